"""Tell Telegram where the webhook is: `python -m connectors.telegram.webhook_setup`.

Webhook mode needs Telegram to know the public URL and the secret token it must send back.
`register_webhook` calls setWebhook with

    url            KLANTREIS_PUBLIC_URL + /webhooks/telegram/webhook
    secret_token   TELEGRAM_WEBHOOK_SECRET (or the one derived from the bot token)
    allowed_updates  message, callback_query

The command prints what it did, never the token or the secret. `--delete` removes the webhook
(for polling), `--info` shows what Telegram has now.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from telegram import Bot
from telegram.error import TelegramError

from connectors.telegram.channel import make_bot
from connectors.telegram.config import (
    TelegramConfig,
    TelegramConfigError,
    quiet_http_loggers,
    redact_logs,
)
from connectors.telegram.updates import ALLOWED_UPDATES

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebhookState:
    """What Telegram reports about the webhook (no secrets in it)."""

    url: str
    pending_update_count: int
    last_error_message: str | None


async def _with_bot(config: TelegramConfig, bot: Bot | None, work):  # type: ignore[no-untyped-def]
    if bot is not None:
        return await work(bot)
    quiet_http_loggers()  # this command talks to Telegram itself: no token in its logs
    own, requests = make_bot(config)
    try:
        return await work(own)
    finally:
        for request in requests:
            await request.shutdown()


async def register_webhook(
    config: TelegramConfig | None = None,
    *,
    bot: Bot | None = None,
    drop_pending_updates: bool = False,
) -> str:
    """Point Telegram at this installation's webhook, with the secret token; returns the URL."""
    config = config or TelegramConfig.from_env()
    redact_logs(config.token, config.webhook_secret)
    url = config.webhook_url
    if url is None:
        raise TelegramConfigError("KLANTREIS_PUBLIC_URL is not set: Telegram needs a public URL")

    async def work(client: Bot) -> None:
        await client.set_webhook(
            url=url,
            secret_token=config.webhook_secret,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=drop_pending_updates,
        )

    await _with_bot(config, bot, work)
    return url


async def delete_webhook(config: TelegramConfig | None = None, *, bot: Bot | None = None) -> None:
    """Remove the webhook (long polling refuses to run while one is set)."""
    config = config or TelegramConfig.from_env()

    async def work(client: Bot) -> None:
        await client.delete_webhook(drop_pending_updates=False)

    await _with_bot(config, bot, work)


async def webhook_state(
    config: TelegramConfig | None = None, *, bot: Bot | None = None
) -> WebhookState:
    config = config or TelegramConfig.from_env()

    async def work(client: Bot) -> WebhookState:
        info = await client.get_webhook_info()
        return WebhookState(info.url, info.pending_update_count, info.last_error_message)

    return await _with_bot(config, bot, work)


def setup_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """For the run/set-up command: register the webhook when this installation uses one.

    Does nothing (returns None) unless TELEGRAM_BOT_TOKEN is set, the mode is webhook and
    KLANTREIS_PUBLIC_URL is set; otherwise returns a line to show the operator.
    """
    try:
        config = TelegramConfig.from_env(environ)
    except TelegramConfigError:
        return None
    if config.mode != "webhook" or config.webhook_url is None:
        return None
    url = asyncio.run(register_webhook(config))
    return f"Telegram webhook: {url} (with secret token; updates: {', '.join(ALLOWED_UPDATES)})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m connectors.telegram.webhook_setup",
        description="Register (or remove, or show) the Telegram webhook of this installation.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--delete", action="store_true", help="remove the webhook (polling)")
    group.add_argument("--info", action="store_true", help="show what Telegram has now")
    group.add_argument(
        "--if-webhook",
        action="store_true",
        help="register only when this installation uses a webhook (what `klantreis run` does)",
    )
    parser.add_argument(
        "--drop-pending", action="store_true", help="let Telegram forget undelivered updates"
    )
    args = parser.parse_args(argv)
    quiet_http_loggers()
    if args.if_webhook:
        try:
            line = setup_from_env()
        except Exception as exc:  # Telegram unreachable: the bot still runs, the operator is told
            print(
                f"Could not register the Telegram webhook ({exc.__class__.__name__}); run "
                "`python -m connectors.telegram.webhook_setup` once Telegram is reachable."
            )
            return 1
        if line:
            print(line)
        return 0
    try:
        config = TelegramConfig.from_env()
        if args.info:
            state = asyncio.run(webhook_state(config))
            print(f"Webhook URL: {state.url or '(none: polling)'}")
            print(f"Updates waiting: {state.pending_update_count}")
            if state.last_error_message:
                print(f"Last error Telegram saw: {config.redact(state.last_error_message)}")
        elif args.delete:
            asyncio.run(delete_webhook(config))
            print("Telegram webhook removed; the bot can poll for updates now.")
        else:
            url = asyncio.run(register_webhook(config, drop_pending_updates=args.drop_pending))
            print(f"Telegram webhook set: {url}")
            print(f"  secret token: set ({len(config.webhook_secret)} characters, not shown)")
            print(f"  updates: {', '.join(ALLOWED_UPDATES)}")
    except TelegramConfigError as exc:
        print(f"Not done: {exc}.", file=sys.stderr)
        return 2
    except TelegramError as exc:
        message = config.redact(exc.message)
        print(f"Telegram refused: {message} ({exc.__class__.__name__}).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

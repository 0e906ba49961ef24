"""The Telegram channel's settings (TELEGRAM_*, read by bot.settings), kept out of logs.

PTB puts the bot token in every request URL, so nothing here ever logs a URL, and the two
HTTP loggers that would (httpx at INFO, PTB at DEBUG) are raised to WARNING before a Bot is
made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.settings import Settings, token_key

WEBHOOK_PATH = "/webhooks/telegram/webhook"
DEFAULT_API_BASE = "https://api.telegram.org/bot"
MODES = ("webhook", "polling")
# What Telegram allows in a webhook secret token: 1-256 of A-Z a-z 0-9 _ -.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
# Loggers that would write request URLs (and so the token) below WARNING.
NOISY_LOGGERS = ("httpx", "httpcore", "telegram", "hpack")


class TelegramConfigError(ValueError):
    """The Telegram settings are incomplete or invalid; the message names the variable."""


def quiet_http_loggers() -> None:
    """Keep URLs with the bot token out of every log, whatever Rasa's log level is."""
    for name in NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)


class RedactingFilter(logging.Filter):
    """Blanks known secrets out of a record's message and traceback before any handler sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = self._redact(record.getMessage())
        if message != record.msg or record.args:
            record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        return True

    def _redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text


_REDACTION = RedactingFilter()
OWN_LOGGERS = ("channel", "output", "polling", "updates", "webhook_setup")


def redact_logs(*secrets: str) -> None:
    """Make the channel's own loggers blank these secrets, even in tracebacks."""
    _REDACTION.secrets.update(secret for secret in secrets if secret)
    for name in OWN_LOGGERS:
        logger = logging.getLogger(f"connectors.telegram.{name}")
        if _REDACTION not in logger.filters:
            logger.addFilter(_REDACTION)


def derived_webhook_secret(token: str) -> str:
    """A webhook secret only the token's holder can compute, when none is configured."""
    digest = hmac.new(token.encode(), b"klantreis telegram webhook secret", hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, repr=False)
class TelegramConfig:
    """Everything the Telegram channel needs; `repr` never shows a secret."""

    token: str
    webhook_secret: str
    mode: str = "polling"
    public_url: str | None = None
    api_base: str = DEFAULT_API_BASE
    bot_username: str | None = None
    token_key: bytes = b""
    shop_url: str | None = None  # where product pictures are public (KLANTREIS_SHOP_URL)

    def __post_init__(self) -> None:
        if not self.token:
            raise TelegramConfigError("TELEGRAM_BOT_TOKEN is not set")
        if self.mode not in MODES:
            raise TelegramConfigError(
                f"TELEGRAM_MODE must be 'webhook' or 'polling', not {self.mode!r}"
            )
        if not _SECRET.fullmatch(self.webhook_secret):
            raise TelegramConfigError(
                "TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1-256 characters)"
            )
        if self.bot_username is not None and not _USERNAME.fullmatch(self.bot_username):
            raise TelegramConfigError(
                f"TELEGRAM_BOT_USERNAME {self.bot_username!r} is not a Telegram bot username"
            )

    def __repr__(self) -> str:
        return (
            f"TelegramConfig(mode={self.mode!r}, public_url={self.public_url!r}, "
            f"api_base={self.redact(self.api_base)!r}, bot_username={self.bot_username!r})"
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TelegramConfig:
        """From these environment variables (the process's by default), through Settings."""
        return cls.from_settings(Settings.from_env(environ))

    @classmethod
    def from_settings(
        cls, settings: Settings, options: Mapping[str, Any] | None = None
    ) -> TelegramConfig:
        """From the installation's settings and the channel's entry in credentials.yml.

        credentials.yml may give the non-secret `mode`, `public_url`, `bot_username` and
        `api_base`; the environment wins. The token and webhook secret come only from the
        environment."""
        options = {k: str(v).strip() for k, v in (options or {}).items() if v is not None}
        telegram = settings.telegram
        token = telegram.bot_token
        if not token:
            raise TelegramConfigError("TELEGRAM_BOT_TOKEN is not set")
        public_url = (settings.public_url or options.get("public_url", "")).rstrip("/") or None
        mode = (telegram.mode or options.get("mode", "")).lower() or (
            "webhook" if public_url else "polling"
        )
        username = (telegram.bot_username or options.get("bot_username", "")).lstrip("@")
        return cls(
            token=token,
            webhook_secret=telegram.webhook_secret or derived_webhook_secret(token),
            mode=mode,
            public_url=public_url,
            api_base=telegram.api_base or options.get("api_base", "") or DEFAULT_API_BASE,
            bot_username=username or None,
            token_key=token_key(settings),
            shop_url=(settings.shop_url or options.get("shop_url", "")).rstrip("/") or None,
        )

    @property
    def webhook_url(self) -> str | None:
        """Where Telegram should post updates, when the bot has a public address."""
        return f"{self.public_url}{WEBHOOK_PATH}" if self.public_url else None

    def redact(self, text: str) -> str:
        """`text` with the bot token (and the webhook secret) blanked out."""
        for secret in (self.token, self.webhook_secret):
            if secret:
                text = text.replace(secret, "<redacted>")
        return text

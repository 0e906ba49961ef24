"""Rasa input channel `telegram`, built on python-telegram-bot's Bot and Update classes.

Routes (under /webhooks/telegram/):
  GET  /         health: {"status": "ok", "mode": …, "polling": …}
  POST /webhook  Telegram's updates; only with the right X-Telegram-Bot-Api-Secret-Token

Each update is read (`updates.read_update`, no side effects), then acted on here through the
shared `Gateway`: deduplicated by update id, resolved to a customer, linked when it carries a
deep-link token or the sender's own phone number, recorded, and only then answered.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot import texts
from bot.ratelimit import RateLimiter
from bot.settings import Settings
from bot.store import identities, timeline
from bot.store.models import ChannelIdentity
from connectors.base import (
    ChannelStore,
    Linker,
    Received,
    StoreBackedChannel,
)
from connectors.pacing import UNPACED, SendPacer, provider_rate
from connectors.telegram.config import TelegramConfig, quiet_http_loggers, redact_logs
from connectors.telegram.deeplink import token_digest, verify_start_token
from connectors.telegram.keyboards import (
    remove_keyboard,
    resolve_button,
    share_phone_keyboard,
    share_phone_prompt,
)
from connectors.telegram.output import ReplyMarkup, TelegramOutput
from connectors.telegram.polling import Poller
from connectors.telegram.updates import Incoming, NotAnUpdate, parse_body, read_update

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEEPLINK_RECEIPTS = "telegram_deeplink"  # used deep-link tokens, so each link works once
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def make_bot(config: TelegramConfig) -> tuple[Bot, list[HTTPXRequest]]:
    """A PTB Bot for the configured Bot API (Telegram's, or a local one in tests).

    Returns its HTTP clients too: the Bot closes them only when it was initialised (which
    calls getMe), so the channel closes them itself. The process that uses it keeps the token
    out of logs first (`from_credentials`, webhook_setup's main): that is global logging, so
    it is not done here.
    """
    requests = [
        HTTPXRequest(connection_pool_size=64, pool_timeout=5.0),
        HTTPXRequest(connection_pool_size=1),
    ]
    bot = Bot(
        config.token,
        base_url=config.api_base,
        request=requests[0],
        get_updates_request=requests[1],
    )
    return bot, requests


@dataclass
class _Turn:
    """What the link step decided inside the gateway's unit of work, for the answer after it."""

    language: str | None = None
    verified: bool = False
    notice: str | None = None
    name: str = ""
    markup: ReplyMarkup | None = None  # goes with the notice
    to_rasa: bool = True
    offer_phone: bool = False  # after Rasa's answer, offer to share the phone number


class TelegramInput(StoreBackedChannel, InputChannel):
    """Telegram as a Rasa channel: webhook or long polling, verified by deep link or phone."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        # Secrets come from the environment (through Settings); credentials.yml holds none.
        options = {k: v for k, v in (credentials or {}).items() if k != "requires"}
        settings = Settings.from_env()
        config = TelegramConfig.from_settings(settings, options)
        # This process now talks to Telegram with the token in every URL: keep it out of logs.
        quiet_http_loggers()
        redact_logs(config.token, config.webhook_secret)
        return cls(config=config, pacer=SendPacer(provider_rate(settings.retailer_file)))

    def __init__(
        self,
        *,
        config: TelegramConfig,
        store: ChannelStore | None = None,
        limiter: RateLimiter | None = None,
        bot: Bot | None = None,
        poll_timeout: int = 25,
        poll_backoff: float = 1.0,
        pacer: SendPacer = UNPACED,
    ):
        self.config = config
        self.pacer = pacer  # the bot is one sender: every output of this channel shares it
        self._requests: list[HTTPXRequest] = []
        if bot is None:
            bot, self._requests = make_bot(config)
        self.bot = bot
        self.poll_timeout = poll_timeout
        self.poll_backoff = poll_backoff
        self.poller: Poller | None = None
        self._store = store
        self._limiter = limiter

    def get_output_channel(self) -> OutputChannel | None:
        return TelegramOutput(self.bot, self.store, shop_url=self.config.shop_url, pacer=self.pacer)

    # --- HTTP -----------------------------------------------------------------------------

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint("klantreis_telegram", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            polling = self.poller is not None and self.poller.running
            return response.json({"status": "ok", "mode": self.config.mode, "polling": polling})

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self.receive_webhook(request, on_new_message)

        @blueprint.listener("after_server_start")
        async def start(_app: Any, _loop: Any) -> None:
            if self.config.mode == "polling":
                self.start_polling(on_new_message)

        @blueprint.listener("before_server_stop")
        async def stop(_app: Any, _loop: Any) -> None:
            await self.stop_polling()
            await self.aclose()

        return blueprint

    def secret_ok(self, supplied: str | None) -> bool:
        if not supplied:
            return False
        expected = self.config.webhook_secret.encode("utf-8")
        return hmac.compare_digest(supplied.encode("utf-8", "replace"), expected)

    async def receive_webhook(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        """Telegram retries anything but a 2xx, so: 200 for whatever it should not resend."""
        if not self.secret_ok(request.headers.get(SECRET_HEADER)):
            return response.json({"error": "forbidden"}, status=403)
        try:
            update = parse_body(request.body, self.bot)
        except NotAnUpdate as exc:
            return response.json({"error": str(exc)}, status=400)
        if update is None:
            return response.json({"status": "ignored"})
        try:
            outcome = await self.handle_update(update, on_new_message)
        except SQLAlchemyError as exc:
            # Nothing was stored (the unit of work rolled back): let Telegram deliver it again.
            logger.error(
                "telegram: update %s not stored (%s)", update.update_id, type(exc).__name__
            )
            return response.json({"error": "try again"}, status=503)
        except Exception:
            logger.exception("telegram: could not handle update %s", update.update_id)
            return response.json({"status": "error"})
        return response.json({"status": outcome})

    # --- polling --------------------------------------------------------------------------

    def start_polling(self, on_new_message: OnNewMessage) -> Poller:
        if self.poller is None or not self.poller.running:

            async def handle(update: Update) -> str:
                return await self.handle_update(update, on_new_message)

            self.poller = Poller(
                self.bot,
                handle,
                timeout=self.poll_timeout,
                redact=self.config.redact,
                initial_backoff=self.poll_backoff,
            )
            self.poller.start()
            logger.info("telegram: polling for updates")
        return self.poller

    async def stop_polling(self) -> None:
        if self.poller is not None:
            await self.poller.stop()

    async def aclose(self) -> None:
        """Close the Bot's HTTP connections."""
        await self.bot.shutdown()
        for request in self._requests:
            await request.shutdown()

    # --- one update -----------------------------------------------------------------------

    async def handle_update(self, update: Update, on_new_message: OnNewMessage) -> str:
        """Act on one update; returns what became of it (processed, duplicate, ignored …)."""
        incoming = read_update(update)
        if incoming is None:
            return "ignored"
        if incoming.kind == "button":
            return await self._button(incoming, on_new_message)
        turn = _Turn()
        output = TelegramOutput(
            self.bot, self.store, shop_url=self.config.shop_url, pacer=self.pacer
        )
        received = await self.gateway.handle(
            incoming.inbound(),
            output,
            self._answer(incoming, turn, output, on_new_message, incoming.rasa_text),
            input_channel=self.name(),
            link=self._linker(incoming, turn),
        )
        return _outcome(received)

    async def _button(self, incoming: Incoming, on_new_message: OnNewMessage) -> str:
        reference = incoming.button
        resolved = None
        if reference is not None:
            conversation = incoming.conversation_id
            resolved = await self.store.run(
                lambda session: resolve_button(session, conversation, *reference)
            )
        if resolved is None:  # stale, forged or another chat's: only stop the spinner
            await self._acknowledge(incoming, remove=False)
            return "ignored"
        title, payload, on_card = resolved
        turn = _Turn()
        output = TelegramOutput(
            self.bot, self.store, shop_url=self.config.shop_url, pacer=self.pacer
        )
        answer = self._answer(incoming, turn, output, on_new_message, payload)
        acknowledged = False

        async def acknowledge_then_answer(message: UserMessage) -> None:
            nonlocal acknowledged
            acknowledged = True
            # a card keeps its buttons: "Vergelijk" after "Meer info" is a fair next press
            await self._acknowledge(incoming, remove=not on_card)
            await answer(message)

        received = await self.gateway.handle(
            incoming.inbound(text=title, payload={"button_payload": payload}),
            output,
            acknowledge_then_answer,
            input_channel=self.name(),
            link=self._linker(incoming, turn),
        )
        if not acknowledged and received.outcome != "duplicate":
            await self._acknowledge(incoming, remove=False)
        return _outcome(received)

    async def _acknowledge(self, incoming: Incoming, *, remove: bool) -> None:
        """Stop the button's spinner and, for a real press, take the buttons away."""
        try:
            if incoming.callback_id:
                await self.bot.answer_callback_query(incoming.callback_id)
            if remove and incoming.message_id is not None:
                await self.bot.edit_message_reply_markup(
                    chat_id=incoming.chat_id, message_id=incoming.message_id, reply_markup=None
                )
        except TelegramError as exc:  # e.g. a press answered before, or an old message
            logger.info("telegram: could not acknowledge a button (%s)", exc.__class__.__name__)

    def _answer(
        self,
        incoming: Incoming,
        turn: _Turn,
        output: TelegramOutput,
        on_new_message: OnNewMessage,
        rasa_text: str | None,
    ) -> OnNewMessage:
        """What the gateway calls for an accepted message: our notice, then Rasa."""

        async def answer(message: UserMessage) -> None:
            try:
                if turn.notice is not None:
                    output.reply_markup = turn.markup
                    text = texts.text(f"notice_{turn.notice}", turn.language, name=turn.name)
                    text = text.replace(", !", "!")  # "Gelukt, {name}!" without a name
                    await output.send_response(incoming.conversation_id, {"text": text})
                if rasa_text is not None and turn.to_rasa:
                    await on_new_message(
                        UserMessage(
                            rasa_text,
                            output,
                            message.sender_id,
                            input_channel=message.input_channel,
                            metadata=message.metadata,
                        )
                    )
                if turn.offer_phone:
                    # Its own message: Rasa's greeting has inline buttons, and a Telegram
                    # message carries one keyboard only.
                    output.reply_markup = share_phone_keyboard(turn.language)
                    text = share_phone_prompt(turn.language)
                    await output.send_response(incoming.conversation_id, {"text": text})
            except Exception:  # recorded already: answer Telegram 200, keep the error in the log
                logger.exception(
                    "telegram: answering update %s of %s failed",
                    incoming.update_id,
                    incoming.conversation_id,
                )

        return answer

    # --- linking a chat to a customer -----------------------------------------------------

    def _linker(self, incoming: Incoming, turn: _Turn) -> Linker:
        def link(session: Session, identity: ChannelIdentity) -> None:
            who = identities.who(session, identity)
            turn.language, turn.verified = who.language, who.verified
            if incoming.kind == "start" and incoming.start_parameter:
                self._link_deep(session, identity, incoming.start_parameter, turn)
            elif incoming.kind == "start" and not who.verified:
                turn.offer_phone = True
            elif incoming.kind == "contact":
                self._link_contact(session, identity, incoming, turn)

        return link

    def _link_deep(
        self, session: Session, identity: ChannelIdentity, token: str, turn: _Turn
    ) -> None:
        ref = verify_start_token(token, self.config.token_key)
        customer = identities.customer_by_ref(session, ref) if ref else None
        if customer is not None and customer.is_anonymous:
            customer = None
        if customer is not None:
            linked_already = (
                bool(identity.verified)
                and identities.live(session, identity.customer).id == customer.id
            )
            first_use = timeline.first_delivery(session, DEEPLINK_RECEIPTS, token_digest(token))
            if not first_use and not linked_already:  # a used link, forwarded to someone else
                customer = None
        if customer is None:
            turn.notice, turn.to_rasa = "link_failed", False
            if not turn.verified:
                turn.markup = share_phone_keyboard(turn.language)
            return
        self._linked(session, identity, customer, "telegram_deeplink", turn)

    def _link_contact(
        self, session: Session, identity: ChannelIdentity, incoming: Incoming, turn: _Turn
    ) -> None:
        turn.to_rasa = False
        if incoming.contact_user_id is None or incoming.contact_user_id != incoming.user_id:
            turn.notice, turn.markup = "contact_not_yours", share_phone_keyboard(turn.language)
            return
        customer = identities.customer_by_phone(session, incoming.contact_phone)
        if customer is None:
            turn.notice, turn.markup = "contact_unknown", remove_keyboard()
            return
        self._linked(session, identity, customer, "telegram_contact", turn)

    @staticmethod
    def _linked(
        session: Session, identity: ChannelIdentity, customer: Any, method: str, turn: _Turn
    ) -> None:
        identities.link(session, identity, customer, method)
        who = identities.who(session, identity)
        turn.notice, turn.markup = "linked", remove_keyboard()
        turn.name = who.first_name or ""
        turn.language, turn.verified = who.language, who.verified


def _outcome(received: Received) -> str:
    return "processed" if received.accepted else received.outcome

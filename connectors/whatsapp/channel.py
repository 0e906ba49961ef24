"""The WhatsApp channel (Twilio): a Rasa input channel at /webhooks/whatsapp/.

  GET  /webhooks/whatsapp/         health
  POST /webhooks/whatsapp/webhook  incoming messages (Twilio form post, signed)
  POST /webhooks/whatsapp/status   delivery reports (signed)

Requests without a valid X-Twilio-Signature get 403 and nothing is stored; a body that is
not a Twilio message gets 400. Replies go out through the REST API, so the webhook answers
with empty TwiML. The customer's phone number is verified by WhatsApp itself, so a number
that belongs to a known customer links this identity to them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.ratelimit import RateLimiter
from bot.settings import Settings
from connectors.base import (
    ChannelStore,
    Inbound,
    Received,
    StoreBackedChannel,
)
from connectors.pacing import SendPacer, provider_rate
from connectors.whatsapp.client import TwilioSender
from connectors.whatsapp.config import WhatsAppConfig
from connectors.whatsapp.inbound import answer_by_number, link_by_phone, parse_inbound
from connectors.whatsapp.output import WhatsAppOutput, new_locks
from connectors.whatsapp.render import choice_number
from connectors.whatsapp.signature import SIGNATURE_HEADER, BadForm, FormParams, is_signed
from connectors.whatsapp.signature import parse_form as parse_form_body
from connectors.whatsapp.status import parse_status, record_status

logger = logging.getLogger(__name__)

EMPTY_TWIML = "<Response/>"
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def twiml() -> HTTPResponse:
    return response.text(EMPTY_TWIML, content_type="text/xml; charset=utf-8")


def refuse(status: int, reason: str) -> HTTPResponse:
    return response.text(reason, status=status)


class WhatsAppInput(StoreBackedChannel, InputChannel):
    """Rasa input channel `whatsapp` (connectors.whatsapp.WhatsAppInput in credentials.yml)."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        options = {k: v for k, v in (credentials or {}).items() if k != "requires"}
        settings = Settings.from_env()
        config = WhatsAppConfig.from_settings(settings, options)
        pacer = SendPacer(provider_rate(settings.retailer_file))
        return cls(config, sender=TwilioSender(config, pacer=pacer))

    def __init__(
        self,
        config: WhatsAppConfig,
        *,
        store: ChannelStore | None = None,
        limiter: RateLimiter | None = None,
        sender: TwilioSender | None = None,
        status_retry_delay: float = 0.5,
    ):
        self.config = config
        self._store = store
        self._limiter = limiter
        self.sender = sender or TwilioSender(self.config)
        self.locks = new_locks()
        self.status_retry_delay = status_retry_delay

    def __repr__(self) -> str:
        return f"WhatsAppInput({self.config!r})"

    def get_output_channel(self) -> WhatsAppOutput:
        return WhatsAppOutput(self.store, self.config, self.sender, self.locks)

    async def handle(self, inbound: Inbound, on_new_message: OnNewMessage) -> Received:
        """One verified, well-formed incoming message: record it, reopen the window, answer."""
        if choice_number(inbound.text) is not None:
            inbound = await self.store.run(lambda session: answer_by_number(session, inbound))
        output = self.get_output_channel()

        async def answer(message: UserMessage) -> None:
            await output.flush_pending(inbound.conversation_id)
            try:
                await on_new_message(message)
            except Exception as exc:  # the message is recorded; Twilio must not retry it
                logger.error("whatsapp: Rasa could not handle a message: %s", type(exc).__name__)
                logger.debug("whatsapp: Rasa failure", exc_info=True)

        received = await self.gateway.handle(
            inbound, output, answer, input_channel=self.name(), link=link_by_phone
        )
        if received.outcome not in ("accepted", "duplicate"):
            await output.flush_pending(inbound.conversation_id)  # the window is open again
        return received

    async def _signed_form(self, request: Request) -> FormParams | HTTPResponse:
        if not request.headers.get(SIGNATURE_HEADER.lower()):
            return refuse(403, "missing signature")
        try:
            params = parse_form_body(request)
        except BadForm:
            return refuse(400, "not a Twilio form post")
        if not is_signed(request, params, self.config):
            return refuse(403, "invalid signature")
        return params

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint("klantreis_whatsapp", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            params = await self._signed_form(request)
            if isinstance(params, HTTPResponse):
                return params
            try:
                inbound = parse_inbound(params)
            except BadForm:
                return refuse(400, "not a WhatsApp message")
            try:
                await self.handle(inbound, on_new_message)
            except Exception as exc:  # the store is down: let Twilio see a failure
                logger.error("whatsapp: could not take a message: %s", type(exc).__name__)
                logger.debug("whatsapp: failure", exc_info=True)
                return refuse(503, "try again later")
            return twiml()

        @blueprint.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            params = await self._signed_form(request)
            if isinstance(params, HTTPResponse):
                return params
            try:
                report = parse_status(params)
            except BadForm:
                return refuse(400, "not a Twilio status callback")
            try:
                recorded = await self.store.run(lambda session: record_status(session, report))
                if not recorded.found and self.status_retry_delay > 0:
                    # The report can overtake our write of the message's SID: look once more.
                    await asyncio.sleep(self.status_retry_delay)
                    recorded = await self.store.run(lambda session: record_status(session, report))
                if recorded.requeue and recorded.message_id is not None:
                    await self.get_output_channel().requeue(recorded.message_id)
            except Exception as exc:
                logger.error("whatsapp: could not record a status: %s", type(exc).__name__)
                logger.debug("whatsapp: failure", exc_info=True)
                return refuse(503, "try again later")
            return twiml()

        @blueprint.listener("after_server_stop")
        async def close_client(*_: Any) -> None:
            await self.sender.close()

        return blueprint

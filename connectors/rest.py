"""Rasa's REST channel, checked at the edge and kept in its own namespace of conversations.

`POST /webhooks/rest/webhook` with `{"sender": "…", "message": "…", "metadata"?: {…}}`, as in
Rasa, with three differences:

* Every REST sender id becomes `rest:<sender>`, so a REST caller can never write into, or read
  from, a WhatsApp, Telegram or web conversation by naming its sender `whatsapp:+316…`.
* The body is checked before Rasa sees it (`bot.validation`): anything but a JSON object with
  a string sender and message, within limits and in valid Unicode, gets a 400 that says what
  is wrong. Rasa's own channel answered those with a 500 and a traceback, and a lone surrogate
  in the sender once stopped the whole bot (issue #15).
* It is for development and tests. In production it is switched off (`KLANTREIS_REST=off`)
  or requires `Authorization: Bearer $KLANTREIS_REST_TOKEN` (docs/channels.md).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import texts, validation
from bot.settings import Settings

logger = logging.getLogger(__name__)

PREFIX = "rest:"
MAX_SENDER_LENGTH = validation.MAX_ID_LENGTH - len(PREFIX)
TOKEN_VARIABLE = "KLANTREIS_REST_TOKEN"


@dataclass(frozen=True)
class RestMessage:
    """One checked REST request: whose conversation, what they said, and extra facts."""

    sender_id: str
    text: str
    metadata: dict[str, Any]


def parse_message(body: bytes | None) -> RestMessage:
    """The message in a REST body, or `validation.Invalid` saying what is wrong with it."""
    data = validation.json_object(body)
    sender = validation.identifier(
        data.get("sender"), field="sender", max_length=MAX_SENDER_LENGTH + len(PREFIX)
    )
    if not sender.startswith(PREFIX) and len(sender) > MAX_SENDER_LENGTH:
        raise validation.Invalid("sender", f"longer than {MAX_SENDER_LENGTH} characters")
    # Over MAX_TEXT_LENGTH is a conversation still: it gets the polite "too long" notice.
    text = validation.clean_text(
        data.get("message"), field="message", max_length=validation.MAX_BODY_BYTES
    )
    metadata = validation.metadata(data.get("metadata"))
    return RestMessage(
        sender_id=sender if sender.startswith(PREFIX) else f"{PREFIX}{sender}",
        text=text,
        metadata=metadata,
    )


def bad_request(exc: validation.Invalid) -> HTTPResponse:
    return response.json(
        {"error": "invalid_request", "field": exc.field, "message": str(exc)}, status=400
    )


class RestInput(RasaRestInput):
    """`POST /webhooks/rest/webhook` as in Rasa, checked, with sender ids of its own."""

    def __init__(self, *, token: str | None = None):
        self.token = token or None

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(token=Settings.from_env().rest_token or None)

    def authorised(self, request: Request) -> bool:
        """Open without a configured token; else `Authorization: Bearer <token>` must match."""
        if self.token is None:
            return True
        scheme, _, supplied = (request.headers.get("authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not supplied:
            return False
        return hmac.compare_digest(
            supplied.strip().encode("utf-8", "replace"), self.token.encode("utf-8")
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("klantreis_rest", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authorised(request):
                return response.json(
                    {"error": "unauthorized", "message": "a valid bearer token is required"},
                    status=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            try:
                message = parse_message(request.body)
            except validation.Invalid as exc:
                return bad_request(exc)
            return response.json(await self.answer(message, on_new_message))

        return blueprint

    async def answer(
        self, message: RestMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> list[dict[str, Any]]:
        """Rasa's answers; if Rasa fails on this message, a polite notice instead of silence."""
        if len(message.text) > validation.MAX_TEXT_LENGTH:
            return [
                {"recipient_id": message.sender_id, "text": texts.text("notice_too_long", None)}
            ]
        collector = CollectingOutputChannel()
        failed = False
        try:
            await on_new_message(
                UserMessage(
                    message.text,
                    collector,
                    message.sender_id,
                    input_channel=self.name(),
                    metadata=message.metadata or None,
                )
            )
        except Exception as exc:  # this message failed; the next one, or anyone else's, will not
            logger.error(
                "rest: could not handle a message of %s: %s",
                message.sender_id,
                exc.__class__.__name__,
            )
            logger.debug("rest: failure", exc_info=True)
            failed = True
        if failed and not collector.messages:
            return [
                {"recipient_id": message.sender_id, "text": texts.text("notice_try_again", None)}
            ]
        return collector.messages

"""Rasa's REST channel, kept in its own namespace of conversations.

Every REST sender id becomes `rest:<sender>`, so a REST caller can never write into, or read
from, a WhatsApp, Telegram or web conversation by naming its sender `whatsapp:+316…`.
"""

from __future__ import annotations

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic.request import Request

PREFIX = "rest:"


class RestInput(RasaRestInput):
    """`POST /webhooks/rest/webhook` as in Rasa, with sender ids of its own."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str | None:
        sender = await super()._extract_sender(req)
        if sender is None:
            return None
        return sender if sender.startswith(PREFIX) else f"{PREFIX}{sender}"

    def _extract_input_channel(self, req: Request) -> str:
        # Rasa lets the caller name any input channel; a REST message is always a REST message.
        return self.name()

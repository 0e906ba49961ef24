"""Bot and agent messages to the shopper's open tabs, or kept until they come back."""

from __future__ import annotations

from typing import Any

from socketio import AsyncServer

from connectors.base import ChannelStore, Delivery, Outbound, RecordingOutput
from connectors.webchat.presence import Presence

BOT_MESSAGE_EVENT = "bot_uttered"


def session_of(recipient_id: str) -> str:
    return recipient_id.split(":", 1)[1] if recipient_id.startswith("web:") else recipient_id


def bot_uttered(message: Outbound) -> dict[str, Any]:
    """Rasa's socket.io message shape, which existing widgets understand, plus who wrote it."""
    data: dict[str, Any] = {}
    if message.text:
        data["text"] = message.text
    if message.buttons:
        data["quick_replies"] = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]}
            for b in message.buttons
        ]
    if message.image:
        data["attachment"] = {"type": "image", "payload": {"src": message.image}}
    meta: dict[str, Any] = {"author": message.author}
    if message.agent_name:
        meta["agent_name"] = message.agent_name
    data["klantreis"] = meta
    return data


class WebChatOutput(RecordingOutput):
    channel = "web"

    def __init__(self, store: ChannelStore, sio: AsyncServer, presence: Presence):
        super().__init__(store)
        self.sio = sio
        self.presence = presence

    async def deliver(self, recipient_id: str, message: Outbound) -> Delivery:
        session_id = session_of(recipient_id)
        if not self.presence.online(session_id):
            return Delivery("pending")  # sent with the history when the shopper comes back
        await self.sio.emit(BOT_MESSAGE_EVENT, bot_uttered(message), room=session_id)
        return Delivery("sent")

"""Bot and agent messages to the shopper's open tabs, or kept until they come back."""

from __future__ import annotations

from typing import Any

from socketio import AsyncServer

from connectors.base import ChannelStore, Delivery, Outbound, Recorded, RecordingOutput
from connectors.webchat.presence import Presence

BOT_MESSAGE_EVENT = "bot_uttered"
META_EVENT = "klantreis_meta"


def session_of(recipient_id: str) -> str:
    return recipient_id.split(":", 1)[1] if recipient_id.startswith("web:") else recipient_id


def bot_uttered(message: Outbound) -> list[dict[str, Any]]:
    """The message in Rasa's exact socket.io shapes, which existing widgets show as they are:
    `{text}` or `{text, quick_replies}`, and an image as its own `{attachment}` message.
    (rasa-webchat drops a message with any other key, so who wrote it travels separately.)"""
    parts: list[dict[str, Any]] = []
    if message.text or message.buttons:
        part: dict[str, Any] = {"text": message.text}
        if message.buttons:
            part["quick_replies"] = [
                {"content_type": "text", "title": b["title"], "payload": b["payload"]}
                for b in message.buttons
            ]
        parts.append(part)
    if message.image:
        parts.append({"attachment": {"type": "image", "payload": {"src": message.image}}})
    return parts


def author_meta(message: Outbound) -> dict[str, Any]:
    """Sent as `klantreis_meta` just before each `bot_uttered` part; other widgets ignore it.

    Product cards travel here too: our widget draws them in place of the text and buttons,
    while rasa-webchat and the like show the text and buttons (a `custom` key in `bot_uttered`
    would make them drop the message)."""
    meta: dict[str, Any] = {"author": message.author}
    if message.agent_name:
        meta["agent_name"] = message.agent_name
    return meta


def part_meta(message: Outbound, part: dict[str, Any]) -> dict[str, Any]:
    meta = author_meta(message)
    if message.product_cards and "text" in part:
        meta["product_cards"] = message.product_cards
    return meta


class WebChatOutput(RecordingOutput):
    channel = "web"

    def __init__(self, store: ChannelStore, sio: AsyncServer, presence: Presence):
        super().__init__(store)
        self.sio = sio
        self.presence = presence

    async def deliver(
        self, recipient_id: str, message: Outbound, recorded: Recorded | None = None
    ) -> Delivery:
        session_id = session_of(recipient_id)
        if not self.presence.online(session_id):
            return Delivery("pending")  # sent with the history when the shopper comes back
        for part in bot_uttered(message):
            await self.sio.emit(META_EVENT, part_meta(message, part), room=session_id)
            await self.sio.emit(BOT_MESSAGE_EVENT, part, room=session_id)
        return Delivery("sent")

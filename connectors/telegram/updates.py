"""What a Telegram update says, decided without acting on it (no database, no network).

`read_update` turns a PTB `Update` into an `Incoming`: who wrote, in which chat, and what. It
returns None for everything the channel ignores: update types other than a message or a
button press, messages without a chat or sender, and chats that are not private (in a group
the chat id would stand for many people, so no customer data may be shown there).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Message, Update
from telegram.constants import ChatType

from bot import validation
from connectors.base import Inbound
from connectors.telegram.keyboards import parse_button_reference

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
GREET = "/greet"  # Rasa reads a leading "/" as an intent: the bot greets
ALLOWED_UPDATES = ("message", "callback_query")
MAX_UPDATE_BYTES = 1024 * 1024
MAX_ID = 2**63 - 1

# Non-text messages, by the Message attribute that carries them, as the timeline names them.
MEDIA = (
    ("photo", "photo"),
    ("sticker", "sticker"),
    ("voice", "voice"),
    ("audio", "audio"),
    ("video", "video"),
    ("video_note", "video_note"),
    ("animation", "animation"),
    ("document", "document"),
    ("location", "location"),
    ("venue", "venue"),
    ("poll", "poll"),
    ("dice", "dice"),
    ("game", "game"),
)


class NotAnUpdate(ValueError):
    """The request body is not JSON at all (a client error, not something Telegram sent)."""


@dataclass(frozen=True)
class Incoming:
    """One update the channel acts on."""

    update_id: int
    chat_id: int
    user_id: int
    kind: str  # text | command | start | contact | button | media
    text: str = ""  # what the customer wrote or pressed, for the timeline
    rasa_text: str | None = None  # what Rasa gets; None: Rasa gets nothing
    start_parameter: str | None = None
    contact_phone: str | None = None
    contact_user_id: int | None = None
    callback_id: str | None = None
    button: tuple[int, int] | None = None  # (timeline message id, index)
    message_id: int | None = None  # the message whose keyboard was pressed
    media: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def external_id(self) -> str:
        return str(self.chat_id)

    @property
    def conversation_id(self) -> str:
        return f"{CHANNEL}:{self.chat_id}"

    def inbound(self, *, text: str | None = None, payload: dict[str, Any] | None = None) -> Inbound:
        """The gateway's view: recorded as `text`, deduplicated by the update id."""
        kinds = {"start": "command", "contact": "command"}
        return Inbound(
            channel=CHANNEL,
            external_id=self.external_id,
            text=self.text if text is None else text,
            delivery_id=str(self.update_id),
            kind=kinds.get(self.kind, self.kind),
            payload={**self.extra, **(payload or {})},
        )


def parse_body(body: bytes, bot: Bot) -> Update | None:
    """The Update in a webhook body; None when it is JSON but not an update we can read.

    Raises NotAnUpdate when the body is not JSON.
    """
    if len(body) > MAX_UPDATE_BYTES:
        raise NotAnUpdate("the body is too large")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise NotAnUpdate("the body is not JSON") from exc
    if not isinstance(data, dict) or not _is_id(data.get("update_id")):
        return None
    try:  # Telegram sends valid Unicode; a forged body may not
        data = validation.clean_json(data)
    except validation.Invalid:
        logger.warning("telegram: ignored an update with unusable values")
        return None
    try:
        return Update.de_json(data, bot)
    except Exception as exc:  # PTB raises KeyError/TypeError/… on a malformed object
        logger.warning("telegram: ignored an unreadable update (%s)", exc.__class__.__name__)
        return None


def _is_id(value: Any) -> bool:
    """A Telegram id: a whole number that fits 64 bits (Telegram's fit 52)."""
    return type(value) is int and -MAX_ID <= value <= MAX_ID


def read_update(update: Update) -> Incoming | None:
    """What the update says, or None when the channel ignores it.

    PTB builds its objects without checking types, so a forged update can carry a number as
    its text or no chat at all: such an update is unreadable, and ignored.
    """
    try:
        incoming = _read(update)
    except (AttributeError, TypeError, ValueError) as exc:
        logger.warning("telegram: ignored a malformed update (%s)", exc.__class__.__name__)
        return None
    if incoming is not None and not _well_typed(incoming):
        logger.warning("telegram: ignored a malformed update (a field of the wrong type)")
        return None
    return incoming


def _well_typed(incoming: Incoming) -> bool:
    optional = (
        incoming.rasa_text,
        incoming.start_parameter,
        incoming.contact_phone,
        incoming.callback_id,
    )
    return isinstance(incoming.text, str) and all(
        value is None or isinstance(value, str) for value in optional
    )


def _read(update: Update) -> Incoming | None:
    if update.message is not None:
        return _read_message(update.update_id, update.message)
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is None or message.chat.type != ChatType.PRIVATE:
            return None
        if not (_is_id(message.chat.id) and _is_id(query.from_user.id)):
            return None
        return Incoming(
            update_id=update.update_id,
            chat_id=message.chat.id,
            user_id=query.from_user.id,
            kind="button",
            callback_id=query.id,
            button=parse_button_reference(query.data),
            message_id=message.message_id,
        )
    return None


def _read_message(update_id: int, message: Message) -> Incoming | None:
    user = message.from_user
    if user is None or message.chat.type != ChatType.PRIVATE:
        return None
    if not (_is_id(message.chat.id) and _is_id(user.id)):
        return None
    base: dict[str, Any] = {"update_id": update_id, "chat_id": message.chat.id, "user_id": user.id}
    if message.contact is not None:
        return Incoming(
            **base,
            kind="contact",
            text="[contact]",
            contact_phone=message.contact.phone_number,
            contact_user_id=message.contact.user_id,
            extra={"command": "share_contact"},
        )
    text = message.text
    if text is None:
        media = next((name for attribute, name in MEDIA if getattr(message, attribute)), "other")
        return Incoming(
            **base, kind="media", text=message.caption or "", media=media, extra={"media": media}
        )
    # Rasa strips a message before it looks for the "/" of an intent, so we do too.
    if text.lstrip().startswith("/"):
        parts = text.lstrip()[1:].split(maxsplit=1)
        command = parts[0].split("@", 1)[0].lower() if parts else ""
        argument = parts[1].strip() if len(parts) > 1 else ""
        if command == "start":
            return Incoming(
                **base,
                kind="start",
                # The token is a credential: the timeline says only that a link was used.
                text="/start (link)" if argument else "/start",
                rasa_text=GREET,
                start_parameter=argument or None,
                extra={"command": "start", "deep_link": bool(argument)},
            )
        # A customer never triggers an intent directly: "/restart" reaches Rasa as "restart".
        words = " ".join(part for part in (command, argument) if part).lstrip("/ ")
        return Incoming(
            **base,
            kind="command",
            text=text,
            rasa_text=words or None,
            extra={"command": command},
        )
    return Incoming(**base, kind="text", text=text, rasa_text=text)

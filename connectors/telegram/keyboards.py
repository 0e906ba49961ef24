"""Quick replies as Telegram keyboards, and reading back which button was pressed.

Telegram returns at most 64 bytes of `callback_data`, and a modified client can send any
bytes it likes. So a button carries only a reference, `b:<timeline message id>:<index>`, and
the payload is read from the recorded outbound message, which must belong to the very chat
the press came from.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot import texts
from bot.store.models import ContactMessage
from connectors.cards import message_buttons

_REFERENCE = re.compile(r"b:([1-9][0-9]{0,18}):([0-9]{1,3})")
MAX_TITLE = 64  # Telegram shows a button title on one line; longer ones are cut


def button_reference(record_id: int, index: int) -> str:
    return f"b:{record_id}:{index}"


def parse_button_reference(data: object) -> tuple[int, int] | None:
    """(timeline message id, button index) from callback data, or None if it is not ours."""
    if not isinstance(data, str):
        return None
    match = _REFERENCE.fullmatch(data)
    return (int(match.group(1)), int(match.group(2))) if match else None


def inline_keyboard(
    record_id: int, buttons: list[dict[str, str]], first: int = 0
) -> InlineKeyboardMarkup:
    """One button per row: titles stay readable on a phone. `first`: the place of the first
    button in the message's list (a card's buttons follow the message's own)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    (button["title"] or button["payload"])[:MAX_TITLE],
                    callback_data=button_reference(record_id, index),
                )
            ]
            for index, button in enumerate(buttons, start=first)
        ]
    )


def share_phone_keyboard(language: str | None) -> ReplyKeyboardMarkup:
    """The one-button keyboard that shares the customer's own, Telegram-verified number."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.text("notice_share_phone", language), request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def share_phone_prompt(language: str | None) -> str:
    return texts.text("share_phone_prompt", language)


def remove_keyboard() -> ReplyKeyboardRemove:
    return ReplyKeyboardRemove()


def resolve_button(
    session: Session, conversation_id: str, record_id: int, index: int
) -> tuple[str, str, bool] | None:
    """(title, payload, on a product card) of a button the bot sent in this conversation;
    None otherwise."""
    message = session.get(ContactMessage, record_id)
    if message is None or message.direction != "out":
        return None
    if message.conversation_id != conversation_id:
        return None
    buttons = message_buttons(message.payload)  # a card's buttons follow the message's own
    if not 0 <= index < len(buttons):
        return None
    button = buttons[index]
    if not isinstance(button, dict) or not isinstance(button.get("payload"), str):
        return None
    own = (message.payload or {}).get("buttons")
    on_card = index >= (len(own) if isinstance(own, list) else 0)
    return str(button.get("title") or button["payload"]), button["payload"], on_card

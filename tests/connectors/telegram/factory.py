"""Telegram updates built with python-telegram-bot's own classes, as Telegram would send them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from telegram import (
    CallbackQuery,
    Chat,
    Contact,
    Document,
    Location,
    Message,
    MessageEntity,
    PhotoSize,
    Sticker,
    Update,
    User,
    Voice,
)
from telegram.constants import ChatType, MessageEntityType

from tests.helpers.fake_telegram import BOT_USER


class Updates:
    """Numbered updates for one test: each call returns a fresh `Update.to_dict()`."""

    def __init__(self, first_update_id: int = 861_000_000):
        self._update_ids = itertools.count(first_update_id)
        self._message_ids = itertools.count(1)
        self.bot_user = User(
            BOT_USER["id"], BOT_USER["first_name"], True, username=BOT_USER["username"]
        )

    @staticmethod
    def user(user_id: int, first_name: str = "Sanne", language_code: str = "nl") -> User:
        return User(user_id, first_name, False, language_code=language_code)

    @staticmethod
    def chat(chat_id: int, kind: str = ChatType.PRIVATE) -> Chat:
        if kind == ChatType.PRIVATE:
            return Chat(chat_id, kind, first_name="Sanne")
        return Chat(chat_id, kind, title="Fietsclub")

    def message(
        self,
        chat_id: int,
        *,
        user_id: int | None = None,
        chat_type: str = ChatType.PRIVATE,
        **fields: Any,
    ) -> dict[str, Any]:
        message = Message(
            message_id=next(self._message_ids),
            date=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            chat=self.chat(chat_id, chat_type),
            from_user=self.user(user_id if user_id is not None else chat_id),
            **fields,
        )
        return Update(next(self._update_ids), message=message).to_dict()

    def text(self, chat_id: int, text: str, **fields: Any) -> dict[str, Any]:
        entities = None
        if text.startswith("/"):
            command = text.split()[0]
            entities = [MessageEntity(MessageEntityType.BOT_COMMAND, 0, len(command))]
        return self.message(chat_id, text=text, entities=entities, **fields)

    def start(self, chat_id: int, parameter: str | None = None) -> dict[str, Any]:
        return self.text(chat_id, f"/start {parameter}" if parameter else "/start")

    def contact(
        self, chat_id: int, phone: str, contact_user_id: int | None, **fields: Any
    ) -> dict[str, Any]:
        contact = Contact(phone, "Sanne", "de Vries", user_id=contact_user_id)
        return self.message(chat_id, contact=contact, **fields)

    def photo(self, chat_id: int, caption: str | None = None) -> dict[str, Any]:
        sizes = [PhotoSize("AgADphoto", "uniq-photo", 320, 240)]
        return self.message(chat_id, photo=sizes, caption=caption)

    def sticker(self, chat_id: int) -> dict[str, Any]:
        sticker = Sticker("CAADsticker", "uniq-sticker", 512, 512, False, False, "regular", "🚲")
        return self.message(chat_id, sticker=sticker)

    def voice(self, chat_id: int) -> dict[str, Any]:
        return self.message(chat_id, voice=Voice("AwADvoice", "uniq-voice", 3))

    def location(self, chat_id: int) -> dict[str, Any]:
        return self.message(chat_id, location=Location(longitude=5.12, latitude=52.09))

    def document(self, chat_id: int) -> dict[str, Any]:
        return self.message(chat_id, document=Document("BQADdoc", "uniq-doc", "bon.pdf"))

    def press(
        self, chat_id: int, data: str, message_id: int, *, user_id: int | None = None
    ) -> dict[str, Any]:
        """The customer presses an inline button under the bot's message `message_id`."""
        shown = Message(
            message_id=message_id,
            date=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            chat=self.chat(chat_id),
            from_user=self.bot_user,
            text="Kies maar",
        )
        query = CallbackQuery(
            id=f"cq-{next(self._message_ids)}",
            from_user=self.user(user_id if user_id is not None else chat_id),
            chat_instance="-8417",
            message=shown,
            data=data,
        )
        return Update(next(self._update_ids), callback_query=query).to_dict()

    def edited(self, chat_id: int, text: str) -> dict[str, Any]:
        message = Message(
            message_id=next(self._message_ids),
            date=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            chat=self.chat(chat_id),
            from_user=self.user(chat_id),
            text=text,
            edit_date=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        )
        return Update(next(self._update_ids), edited_message=message).to_dict()

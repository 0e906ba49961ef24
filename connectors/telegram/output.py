"""Sending to a Telegram chat: plain text (split at 4096), photos, keyboards and product cards.

Every message is plain text, never `parse_mode`, so nothing a customer typed (and an agent
or the bot repeats) can turn into markup or links.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram.constants import MessageLimit
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot import texts
from bot.product_links import public_url
from bot.store import identities
from connectors.base import ChannelStore, Delivery, Outbound, Recorded, RecordingOutput
from connectors.cards import Card, cards_of
from connectors.pacing import UNPACED, SendPacer
from connectors.telegram.keyboards import inline_keyboard

logger = logging.getLogger(__name__)

MAX_TEXT = int(MessageLimit.MAX_TEXT_LENGTH)  # 4096, counted in UTF-16 code units
MAX_CAPTION = int(MessageLimit.CAPTION_LENGTH)  # 1024
MAX_RETRY_AFTER = 5.0  # seconds we wait once when Telegram asks us to slow down
ATTEMPTS = 3  # tries of one call when Telegram fails on its side or cannot be reached
RETRY_DELAY = 0.5  # seconds before the second try; doubles before the third
ReplyMarkup = ReplyKeyboardMarkup | ReplyKeyboardRemove


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """`text` in pieces Telegram accepts, cut at a paragraph, line or word where possible."""
    pieces: list[str] = []
    rest = text
    while _utf16_length(rest) > limit:
        # The longest prefix within the limit (in code points; emoji count as two units).
        cut = limit
        while _utf16_length(rest[:cut]) > limit:
            cut -= 1
        window = rest[:cut]
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at > limit // 2:
                cut = at
                break
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest.strip():
        pieces.append(rest.rstrip())
    return pieces


def chat_of(recipient_id: str) -> int | None:
    """The Telegram chat id in a sender id `telegram:<chat id>`; None for anything else."""
    parts = identities.split_conversation_id(recipient_id)
    if parts is None or parts[0] != "telegram":
        return None
    try:
        return int(parts[1])
    except ValueError:
        return None


class TelegramOutput(RecordingOutput):
    """Rasa's output channel `telegram`: records each message, then sends it with PTB.

    `reply_markup` is a reply keyboard (share-my-number, or its removal) for the first plain
    message this output sends: one output is made per inbound update, so it goes with the
    answer to that update.
    """

    channel = "telegram"

    def __init__(
        self,
        bot: Bot,
        store: ChannelStore,
        *,
        reply_markup: ReplyMarkup | None = None,
        shop_url: str | None = None,
        pacer: SendPacer = UNPACED,
    ):
        super().__init__(store)
        self.pacer = pacer
        self.bot = bot
        self.reply_markup = reply_markup
        self.shop_url = shop_url
        self.retry_delay = RETRY_DELAY
        # What recording learnt about a message, for its delivery: (timeline id, language).

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def deliver(
        self, recipient_id: str, message: Outbound, recorded: Recorded | None = None
    ) -> Delivery:
        record_id, language = (recorded.id, recorded.language) if recorded else (None, None)
        chat_id = chat_of(recipient_id)
        if chat_id is None:
            return Delivery("failed", error_code="bad_recipient")
        text = message.text
        if message.author == "agent" and text:
            label = texts.text("agent_label", language)
            author = f"{message.agent_name} ({label})" if message.agent_name else label.capitalize()
            text = f"{author}: {text}"
        cards = cards_of(message.product_cards)
        if cards and record_id is not None and message.author == "bot":
            return await self._send_cards(chat_id, record_id, message, cards)
        keyboard: InlineKeyboardMarkup | None = None
        if message.buttons:
            if record_id is not None:
                keyboard = inline_keyboard(record_id, message.buttons)
            else:  # nothing to resolve a press against: offer the choices as text
                choices = "\n".join(f"• {b['title'] or b['payload']}" for b in message.buttons)
                text = f"{text}\n\n{choices}" if text else choices
        if keyboard is not None and not text and not message.image:
            text = "👇"  # Telegram needs something to hang the buttons on
        sent: list[Message] = []
        pieces = split_text(text) if text else []
        if message.image:
            sent.append(
                await self._call(
                    self.bot.send_photo,
                    chat_id=chat_id,
                    photo=message.image,
                    reply_markup=None if pieces else keyboard or self._take_reply_markup(),
                )
            )
            if not pieces:
                keyboard = None
        for number, piece in enumerate(pieces, start=1):
            last = number == len(pieces)
            markup: Any = keyboard if last and keyboard is not None else None
            if markup is None and last:
                markup = self._take_reply_markup()
            sent.append(
                await self._call(
                    self.bot.send_message, chat_id=chat_id, text=piece, reply_markup=markup
                )
            )
        if not sent:
            return Delivery("failed", error_code="empty")
        return Delivery("sent", provider_id=f"{chat_id}:{sent[-1].message_id}")

    async def _send_cards(
        self, chat_id: int, record_id: int, message: Outbound, cards: list[Card]
    ) -> Delivery:
        """The intro, then per product a photo with its facts as caption and its buttons as an
        inline keyboard. A picture Telegram cannot fetch (a site-relative link and no public
        shop address) leaves the facts as a text message with the same keyboard."""
        sent: list[Message] = []
        intro = str((message.product_cards or {}).get("intro") or "")
        for piece in split_text(intro) if intro else []:
            sent.append(
                await self._call(
                    self.bot.send_message,
                    chat_id=chat_id,
                    text=piece,
                    reply_markup=self._take_reply_markup(),
                )
            )
        first = len(message.buttons)  # a card's buttons follow the message's own in the record
        for card in cards:
            keyboard = inline_keyboard(record_id, card.buttons, first) if card.buttons else None
            first += len(card.buttons)
            caption = card.caption()
            page = public_url(card.url, self.shop_url)
            if page:
                caption = f"{caption}\n{page}"
            photo = public_url(card.photo or card.image, self.shop_url)
            if photo:
                sent.append(
                    await self._call(
                        self.bot.send_photo,
                        chat_id=chat_id,
                        photo=photo,
                        caption=caption[:MAX_CAPTION],
                        reply_markup=keyboard,
                    )
                )
            else:
                sent.append(
                    await self._call(
                        self.bot.send_message, chat_id=chat_id, text=caption, reply_markup=keyboard
                    )
                )
        return Delivery("sent", provider_id=f"{chat_id}:{sent[-1].message_id}")

    def _take_reply_markup(self) -> ReplyMarkup | None:
        markup, self.reply_markup = self.reply_markup, None
        return markup

    async def _call(self, method: Any, **kwargs: Any) -> Message:
        """One Bot API call. When Telegram asks to wait a moment, wait once and retry; when it
        fails on its side (5xx) or could not be reached, retry a bounded number of times with
        a growing pause. A read timeout is not retried: Telegram may have delivered it."""
        asked_to_wait = False
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with self.pacer.slot():
                    return await method(**kwargs)
            except RetryAfter as exc:
                delay = exc.retry_after
                seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else float(delay)
                if asked_to_wait or seconds > MAX_RETRY_AFTER:
                    raise
                asked_to_wait = True
                await asyncio.sleep(seconds)
            except NetworkError as exc:
                if not _never_delivered(exc) or attempt == ATTEMPTS:
                    raise
                pause = self.retry_delay * 2 ** (attempt - 1)
                logger.warning(
                    "telegram: %s failed (%s); trying again in %ss",
                    getattr(method, "__name__", "call"),
                    exc.__class__.__name__,
                    pause,
                )
                await asyncio.sleep(pause)
        async with self.pacer.slot():  # after a RetryAfter on the last attempt
            return await method(**kwargs)


def _never_delivered(exc: NetworkError) -> bool:
    """True when Telegram surely did not deliver and may succeed later: a 5xx, no connection,
    no free connection. A read timeout may come after Telegram sent the message; a 400 is
    final."""
    if isinstance(exc, BadRequest):  # Telegram refused this message: sending again won't help
        return False
    if isinstance(exc, TimedOut):
        cause = exc.__cause__
        return isinstance(cause, (httpx.ConnectTimeout, httpx.PoolTimeout))
    return True

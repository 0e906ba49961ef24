"""Product cards (actions/product_cards.py) as the channels read them.

The cards travel in the bot message's `custom` and are recorded with the message, so a message
that waits (WhatsApp outside the window, a web shopper who left) is drawn the same later. What
arrives is checked here: only known keys with values of the right type, so a channel never
draws something it did not expect.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.store import timeline

CARD_TYPE = "product_cards"
MAX_CARDS = 10
TEXT_KEYS = (
    "sku",
    "name",
    "brand",
    "price",
    "stock_text",
    "rating_text",
    "reason",  # why it is shown: a search's fit, a suggestion's review snippet
    "image",
    "photo",
    "url",
)


@dataclass(frozen=True)
class Card:
    sku: str
    name: str
    price: str = ""
    brand: str = ""
    stock_text: str = ""
    rating_text: str = ""
    reason: str = ""
    image: str = ""
    photo: str = ""
    url: str = ""
    in_stock: bool = True
    buttons: list[dict[str, str]] = field(default_factory=list)

    def caption(self) -> str:
        """Name and price, rating, the reason (a search's fit, a suggestion's review snippet)
        and stock, a line each, as the web widget shows them."""
        lines = [f"{self.name} · {self.price}" if self.price else self.name]
        lines += [line for line in (self.rating_text, self.reason, self.stock_text) if line]
        return "\n".join(lines)


def _buttons(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        {"title": b["title"], "payload": b["payload"]}
        for b in raw
        if isinstance(b, dict)
        and isinstance(b.get("title"), str)
        and isinstance(b.get("payload"), str)
    ]


def _card(raw: Any) -> Card | None:
    if not isinstance(raw, dict):
        return None
    values = {key: raw.get(key) for key in TEXT_KEYS}
    if not isinstance(values["sku"], str) or not isinstance(values["name"], str):
        return None
    texts = {key: value for key, value in values.items() if isinstance(value, str)}
    return Card(
        **texts,
        in_stock=raw.get("in_stock") is not False,
        buttons=_buttons(raw.get("buttons")),
    )


def read_cards(custom: Any) -> dict[str, Any] | None:
    """`{"intro", "cards"}` as recorded, from a message's `custom`; None when it has no cards."""
    if not isinstance(custom, dict) or custom.get("type") != CARD_TYPE:
        return None
    raw = custom.get("cards")
    if not isinstance(raw, list):
        return None
    cards = [asdict(card) for card in map(_card, raw[:MAX_CARDS]) if card is not None]
    if not cards:
        return None
    intro = custom.get("intro")
    return {"type": CARD_TYPE, "intro": intro if isinstance(intro, str) else "", "cards": cards}


def cards_of(product_cards: Any) -> list[Card]:
    """The cards of a recorded `product_cards` value, checked."""
    if not isinstance(product_cards, dict) or not isinstance(product_cards.get("cards"), list):
        return []
    return [card for card in map(_card, product_cards["cards"]) if card is not None]


def card_buttons(product_cards: Any) -> list[dict[str, str]]:
    """Every card's buttons in order: the second half of a message's button list, after its
    own buttons, for channels that refer to a button by its place (Telegram)."""
    return [button for card in cards_of(product_cards) for button in card.buttons]


def message_buttons(payload: Any) -> list[dict[str, str]]:
    """All buttons of a recorded outbound message: its own, then its cards' buttons."""
    data = payload if isinstance(payload, dict) else {}
    own = data.get("buttons")
    buttons = [b for b in own if isinstance(b, dict)] if isinstance(own, list) else []
    return [*buttons, *card_buttons(data.get("product_cards"))]


def offered(session: Session, conversation_id: str, payload: str, look_back: int = 50) -> bool:
    """Whether the bot offered a button with exactly this payload in this conversation lately.

    Only such a payload may reach Rasa as "/intent{…}": a shopper can press what we showed,
    but not steer Rasa with a typed intent and entities."""
    for message in reversed(timeline.conversation(session, conversation_id, limit=look_back)):
        if message.direction != "out":
            continue
        if any(b.get("payload") == payload for b in message_buttons(message.payload)):
            return True
    return False

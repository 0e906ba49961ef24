"""Products shown like a shop shows them: one bot message per list of products.

The contract every product answer uses (search, follow-ups, comparison, advice, suggestions):
`show_products(dispatcher, products=..., language=..., intro=...)`. The message carries
- `text`: the intro and one line per product, readable on any channel (rasa-webchat, SMS-like);
- `buttons`: one "more about <product>" button per product, for widgets that show no cards;
- `custom`: `{"type": "product_cards", "intro": ..., "cards": [card, ...]}` for channels that
  draw cards (our widget, Telegram photo + inline keyboard, WhatsApp text + link + media).

A card's links (`image`, `photo`, `url`) are as the shop knows them, possibly site-relative;
each channel decides whether it can hand them on (bot/product_links.py). docs/channels.md shows
how each channel draws a card.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot import product_links, texts
from bot.catalogue.sizes import matches_size
from bot.formatting import money_text
from bot.product_facts import rating_text, stock_text
from bot.store.models import Product

CARD_TYPE = "product_cards"
__all__ = ["CARD_TYPE", "product_card", "rating_text", "show_products", "stock_text"]


def _payload(product: Product, aspect: str | None = None) -> str:
    entities = {"product": product.sku}
    if aspect:
        entities["product_aspect"] = aspect
    return f"/product_question{json.dumps(entities)}"


def product_card(
    product: Product,
    *,
    language: str,
    size: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """One card's facts; channels decide how to draw them."""
    in_size = [v for v in product.variants if size is None or matches_size(v.variant, size)]
    return {
        "sku": product.sku,
        "name": product.name(language),
        "brand": product.brand,
        "price": money_text(product.price_cents, language),
        "price_cents": product.price_cents,
        "rating": product.rating,
        "review_count": len(product.reviews),
        "in_stock": any(v.stock > 0 for v in in_size),
        "size": size,
        "reason": reason,
        "stock_text": stock_text(product, language=language, size=size),
        "rating_text": rating_text(product, language),
        "image": product_links.image_url(product),
        "photo": product_links.photo_url(product),
        "url": product_links.page_url(product, language),
        "buttons": [
            {"title": texts.text("card_more_info", language), "payload": _payload(product)},
            {
                "title": texts.text("card_compare", language),
                "payload": _payload(product, "compare"),
            },
            {
                "title": texts.text("card_in_my_size", language),
                "payload": _payload(product, "sizes"),
            },
        ],
    }


def _line(card: Mapping[str, Any]) -> str:
    parts = [f"• {card['name']}: {card['price']}"]
    if card["rating_text"]:
        parts.append(str(card["rating_text"]))  # '★ 4,5 (3 reviews)'
    reason = str(card["reason"] or "")
    if card["size"]:
        stock = str(card["stock_text"])
        stock = stock[:1].lower() + stock[1:]  # mid-sentence: 'op voorraad in maat M'
        if stock not in reason:  # a search's reason may say the stock in the size already
            parts.append(stock)
    if reason:
        parts.append(reason)
    return ", ".join(parts)


def show_products(
    dispatcher: CollectingDispatcher,
    *,
    products: Sequence[Product],
    language: str,
    intro: str,
    size: str | None = None,
    reasons: Mapping[str, str] | None = None,
    aspect: str | None = None,
) -> None:
    """Send `products` as one message: intro text, a line per product, buttons and cards.

    `aspect` ("price", "sizes" …) goes into the plain buttons, so that "which one do you mean?"
    answers what was asked once the shopper picks.
    """
    reasons = reasons or {}
    cards = [
        product_card(p, language=language, size=size, reason=reasons.get(p.sku)) for p in products
    ]
    text = "\n".join([intro, *(_line(c) for c in cards)])
    buttons = [{"title": p.name(language), "payload": _payload(p, aspect)} for p in products]
    dispatcher.utter_message(
        text=text,
        buttons=buttons,
        json_message={"type": CARD_TYPE, "intro": intro, "cards": cards},
    )

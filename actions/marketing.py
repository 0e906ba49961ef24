"""Proactive offers (a lifecycle offer, a back-in-stock notice) are marketing: their messages
say so, with the facts a WhatsApp marketing template is filled with outside the 24-hour window
(connectors/whatsapp/output.py). Inside the window, or on another channel, nothing changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rasa_sdk.executor import CollectingDispatcher

from bot.formatting import money_text
from bot.store.models import Product


@contextmanager
def marketing(dispatcher: CollectingDispatcher, product: Product, language: str) -> Iterator[None]:
    """Mark every message sent inside the block as marketing about `product`."""
    start = len(dispatcher.messages)
    yield
    meta = {
        "purpose": "marketing",
        "template": {
            "product": product.name(language),
            "price": money_text(product.price_cents, language),
        },
    }
    for message in dispatcher.messages[start:]:
        custom = message.get("custom") or {}
        message["custom"] = {**custom, "klantreis": {**custom.get("klantreis", {}), **meta}}

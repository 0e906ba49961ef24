"""Social proof: the product's rating and a short snippet of a good review in the customer's
language (none in another language: a Dutch customer is not quoted English)."""

from __future__ import annotations

import re

from bot.store.models import Product

SNIPPET_CHARS = 90


def shorten(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The first sentence, cut at a word within `limit` characters."""
    text = " ".join(text.split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def snippet(product: Product, language: str) -> str | None:
    reviews = [r for r in product.reviews if r.language == language and r.rating >= 4]
    if not reviews:
        return None
    best = sorted(reviews, key=lambda r: (-r.rating, len(r.text), r.id))[0]
    return shorten(best.text)

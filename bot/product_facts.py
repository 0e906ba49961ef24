"""A product's stock and rating as a card and the shop's product page say them."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot import texts
from bot.catalogue.sizes import matches_size
from bot.formatting import LOCALES
from bot.store.models import Product

LOW_STOCK = 2  # "only 2 left in size 43"


def stock_text(product: Product, *, language: str, size: str | None = None) -> str:
    """'Op voorraad in maat 43', 'Nog 2 op voorraad in maat 43', 'Uitverkocht'."""
    if size is None:
        in_stock = any(v.stock > 0 for v in product.variants)
        return texts.fragment("card_in_stock" if in_stock else "card_sold_out", language)
    stock = sum(v.stock for v in product.variants if matches_size(v.variant, size))
    if stock <= 0:
        return texts.fragment("card_sold_out_size", language, size=size)
    if stock <= LOW_STOCK:
        return texts.fragment("card_low_stock_size", language, size=size, stock=stock)
    return texts.fragment("card_in_stock_size", language, size=size)


def rating_text(product: Product, language: str) -> str | None:
    """'★ 4,5 (12 reviews)'; None for a product nobody rated yet."""
    if not product.rating:
        return None
    rating = format_decimal(product.rating, locale=LOCALES.get(language, "nl_NL"))
    count = len(product.reviews)
    if not count:
        return f"★ {rating}"
    reviews = (
        texts.fragment("card_reviews_one", language)
        if count == 1
        else texts.fragment("card_reviews", language, count=count)
    )
    return f"★ {rating} ({reviews})"

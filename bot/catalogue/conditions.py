"""One condition of a search, checked on one product and said in plain words.

Each check answers: does this product meet the condition, how far off is it (0 is exact, for
ranking), and how to say it in the shopper's language: the reason when met ("waterdicht",
"op voorraad in maat 44"), the miss when not ("niet waterdicht", "maat 44 is uitverkocht").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from bot import texts
from bot.catalogue.sizes import matches_size
from bot.catalogue.vocabulary import amount_text, attribute_label, number_text, value_word
from bot.store.models import Product

# "persons=2": at least 2, and up to half as much again (a 3-person tent is fine for two, a
# 4-person one is not what they asked for). The exact value ranks first.
NUMBER_MARGIN = Decimal("0.5")
OPERATORS = ("<=", ">=", "<", ">", "=")
TRUE_WORDS = frozenset({"true", "yes", "ja"})
FALSE_WORDS = frozenset({"false", "no", "nee"})


@dataclass(frozen=True)
class Check:
    """A condition's outcome for one product."""

    name: str  # "size", "price", "brand", "rating", "attribute:<key>"
    met: bool
    distance: float = 0.0  # how far from the asked value (numbers); 0 when exact
    reason: str | None = None
    miss: str | None = None


def parse_wanted(text: str) -> tuple[str, bool | Decimal | str]:
    """'>=80' → ('>=', 80); 'true' → ('=', True); 'road' → ('=', 'road')."""
    text = text.strip()
    operator = next((op for op in OPERATORS if text.startswith(op)), "=")
    value = text[len(operator) :].strip() if text.startswith(operator) else text
    if value.lower() in TRUE_WORDS and operator == "=":
        return operator, True
    if value.lower() in FALSE_WORDS and operator == "=":
        return operator, False
    number = _number(value)
    if number is not None:
        return operator, number
    return "=", value.lower()


@lru_cache(maxsize=256)
def money_text(cents: int, language: str) -> str:
    """'€130', '€4,95': a budget as shops write it (kept: one search says it per product)."""
    from bot.texts.facts import euro_text

    return euro_text(float(Decimal(cents) / 100), language)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return None


def _words(value: str) -> set[str]:
    return {w for w in re.split(r"[/,;\s]+", value.lower()) if w}


def _text_fits(have: str, want: str, fits: Mapping[str, frozenset[str]]) -> bool:
    have = have.lower()
    return want == have or want in _words(have) or want in fits.get(have, frozenset())


def attribute_check(
    product: Product,
    key: str,
    wanted: str,
    language: str,
    fits: Mapping[str, frozenset[str]] | None = None,
) -> Check:
    """Does the product's attribute `key` give what the shopper wants (`wanted` as text)?"""
    name = f"attribute:{key}"
    have = (product.attributes or {}).get(key)
    operator, want = parse_wanted(wanted)
    if isinstance(want, bool):
        met = bool(have) is want if isinstance(have, bool) or have is None else False
        phrase = flag_phrase(key, want, language)
        return Check(
            name, met, reason=phrase if met else None, miss=None if met else _not(phrase, language)
        )
    if isinstance(want, Decimal):
        number = _number(have)
        if number is None:
            phrase = number_phrase(key, want, language, operator)
            return Check(name, False, distance=float("inf"), miss=_not(phrase, language))
        met = _compare(number, operator, want)
        shown = number_phrase(key, number, language)
        if met:
            return Check(name, True, distance=float(abs(number - want)), reason=shown)
        asked = number_phrase(key, want, language, operator, bare=True)
        miss = texts.fragment("search_miss_number", language, actual=shown, wanted=asked)
        return Check(name, False, distance=float(abs(number - want)), miss=miss)
    phrase = text_phrase(key, str(want), language)
    if isinstance(have, str) and _text_fits(have, str(want), fits or {}):
        exact = have.lower() == want
        reason = phrase if exact else text_phrase(key, have, language)
        return Check(name, True, distance=0.0 if exact else 0.5, reason=reason)
    return Check(name, False, miss=_not(phrase, language))


def _compare(have: Decimal, operator: str, want: Decimal) -> bool:
    if operator == "<=":
        return have <= want
    if operator == ">=":
        return have >= want
    if operator == "<":
        return have < want
    if operator == ">":
        return have > want
    return want <= have <= want + max(Decimal(1), abs(want) * NUMBER_MARGIN)


def _not(phrase: str, language: str) -> str:
    return texts.fragment("search_not", language, what=phrase)


def flag_phrase(key: str, value: bool, language: str) -> str:
    """'waterdicht' / 'niet waterdicht'."""
    label = texts.word(f"search_phrase_{key}", language, attribute_label(key, language))
    return label if value else _not(label, language)


def number_phrase(
    key: str, value: Decimal, language: str, operator: str = "=", bare: bool = False
) -> str:
    """'voor 2 personen', 'dikte 5 mm', 'hoogstens 1000 g'."""
    amount = amount_text(key, value, language)
    if operator in ("<=", "<"):
        amount = texts.fragment("search_at_most", language, amount=amount)
    elif operator in (">=", ">"):
        amount = texts.fragment("search_at_least", language, amount=amount)
    if bare:
        return amount
    special = f"search_phrase_{key}"
    if special in texts.catalogue():
        return texts.fragment(special, language, amount=amount)
    return f"{attribute_label(key, language)} {amount}"


def text_phrase(key: str, value: str, language: str) -> str:
    """'voor de weg', 'voor dames', 'seizoen winter'."""
    special = f"search_phrase_{key}_{value.lower()}"
    if special in texts.catalogue():
        return texts.fragment(special, language)
    return f"{attribute_label(key, language)} {value_word(value, language)}"


def size_check(variants: Sequence[tuple[str, int]], size: str, language: str) -> Check:
    """A variant in that size with stock; 'maat 44 is uitverkocht' when it is there but gone.
    `variants` are the product's (size, stock) pairs."""
    in_size = [stock for variant, stock in variants if matches_size(variant, size)]
    if any(stock > 0 for stock in in_size):
        return Check(
            "size", True, reason=texts.fragment("search_size_in_stock", language, size=size)
        )
    key = "search_size_sold_out" if in_size else "search_size_missing"
    return Check("size", False, miss=texts.fragment(key, language, size=size))


def price_check(product: Product, low: int | None, high: int | None, language: str) -> Check:
    price = product.price_cents
    if high is not None and price > high:
        miss = texts.fragment("search_price_above", language, price=money_text(high, language))
        return Check("price", False, distance=(price - high) / 100, miss=miss)
    if low is not None and price < low:
        miss = texts.fragment("search_price_below", language, price=money_text(low, language))
        return Check("price", False, distance=(low - price) / 100, miss=miss)
    if low is not None and high is not None:
        reason = texts.fragment(
            "search_price_between",
            language,
            low=money_text(low, language),
            high=money_text(high, language),
        )
    elif high is not None:
        reason = texts.fragment("search_price_under", language, price=money_text(high, language))
    else:
        reason = texts.fragment("search_price_over", language, price=money_text(low or 0, language))
    return Check("price", True, reason=reason)


def brand_check(product: Product, brand: str, language: str) -> Check:
    if product.brand.lower() == brand.lower():
        return Check(
            "brand", True, reason=texts.fragment("search_brand", language, brand=product.brand)
        )
    return Check("brand", False, miss=texts.fragment("search_not_brand", language, brand=brand))


def rating_of(product: Product) -> Decimal:
    return _number(product.rating) or Decimal(0)


def rating_check(product: Product, minimum: Decimal, language: str) -> Check:
    rating = rating_of(product)
    shown = number_text(rating, language)
    if rating >= minimum:
        return Check("rating", True, reason=texts.fragment("search_rated", language, rating=shown))
    miss = texts.fragment("search_rated_lower", language, rating=shown)
    return Check("rating", False, distance=float(minimum - rating), miss=miss)

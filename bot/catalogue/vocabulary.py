"""The shop's own words for its categories, attributes and values, in the shopper's language.

This is the one place search asks "what is this key called?". Today the words come from the text
catalogue (bot/texts: `category_<key>`, `spec_<attribute>`, `value_<value>`) with the key itself
as the fallback, so a retailer's new category or attribute is still named, if plainly. When the
catalogue's own definitions (names per language, units) are in the store, these functions read
them there; their callers do not change.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_decimal

from bot import texts
from bot.formatting import LOCALES, SPEC_UNITS

# Units by the key's ending, for attributes the formatting table does not list yet.
UNIT_SUFFIXES = {"_g": " g", "_kg": " kg", "_mm": " mm", "_cm": " cm", "_l": " l", "_c": " °C"}


def category_name(key: str, language: str) -> str:
    """'hardloopschoenen' / 'running shoes': a category as shoppers say it, in the plural."""
    return texts.word(f"category_{key}", language, key.replace("_", " "))


def attribute_label(key: str, language: str) -> str:
    """'waterdicht', 'dikte', 'personen'."""
    fallback = key
    for suffix in UNIT_SUFFIXES:
        if key.endswith(suffix):
            fallback = key[: -len(suffix)]
    return texts.word(f"spec_{key}", language, fallback.replace("_", " "))


def unit(key: str) -> str:
    """' mm', ' g', '' (with its space, as written after a number)."""
    if key in SPEC_UNITS:
        return SPEC_UNITS[key]
    return next((u for s, u in UNIT_SUFFIXES.items() if key.endswith(s)), "")


def value_word(value: str, language: str) -> str:
    """'weg' for 'road', 'dames' for 'women'; other values as the catalogue writes them."""
    return texts.word(f"value_{value}", language, value)


@lru_cache(maxsize=1024)
def number_text(value: Decimal | float | int, language: str) -> str:
    """'0,3' / '0.3', '5': a number as the shopper's language writes it."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format_decimal(number, locale=LOCALES.get(language, "nl_NL"), group_separator=False)


def amount_text(key: str, value: Decimal | float | int, language: str) -> str:
    """'5 mm', '245 g', '2,6 kg': a number with its unit; grams from 1000 on as kilos."""
    suffix = unit(key)
    number = Decimal(str(value))
    if suffix == " g" and abs(number) >= 1000:
        return number_text((number / 1000).quantize(Decimal("0.1")).normalize(), language) + " kg"
    return number_text(number, language) + suffix

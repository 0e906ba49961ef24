"""Dates, money and product facts in the customer's language (Babel's CLDR data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.numbers import format_currency, format_decimal

from bot import texts

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def date_text(value: dt.date | dt.datetime, language: str) -> str:
    """'dinsdag 24 november' / 'Tuesday 24 November'."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(AMSTERDAM).date()
    return babel_date(value, "EEEE d MMMM", locale=LOCALES.get(language, "nl_NL"))


def money_text(cents: int, language: str) -> str:
    return format_currency(Decimal(cents) / 100, "EUR", locale=LOCALES.get(language, "nl_NL"))


def join_words(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    last = texts.fragment("and_word", language)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


SPEC_UNITS: dict[str, str] = {
    # attribute: unit, in the order specs are listed; the labels are in bot/texts/words.yml
    "weight_g": " g",
    "drop_mm": " mm",
    "waterproof": "",
    "material": "",
    "persons": "",
    "comfort_temp_c": " °C",
    "length_cm": " cm",
    "width_cm": " cm",
    "volume_l": " l",
    "thickness_mm": " mm",
    "max_load_kg": " kg",
    "colour": "",
    "gender": "",
    "season": "",
    "surface": "",
}


def spec_text(attributes: dict[str, Any], language: str, keys: list[str] | None = None) -> str:
    """'gewicht 280 g · drop 8 mm · waterdicht ja'."""
    parts = []
    for key in keys or list(SPEC_UNITS):
        if key not in attributes or key not in SPEC_UNITS:
            continue
        shown = spec_value(key, attributes[key], language)
        parts.append(f"{texts.fragment(f'spec_{key}', language)} {shown}")
    return " · ".join(parts)


def spec_value(key: str, value: Any, language: str) -> str:
    """One attribute's value with its unit: '280 g', 'ja', 'weg'."""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    shown = texts.word(f"value_{value}", language, value) if isinstance(value, str) else value
    return f"{shown}{SPEC_UNITS.get(key, '')}"


def rating_text(rating: str | None, language: str) -> str:
    """'4,5' / '4.5'; '-' when a product has no rating yet."""
    if not rating:
        return "-"
    return format_decimal(Decimal(rating), format="0.0", locale=LOCALES.get(language, "nl_NL"))

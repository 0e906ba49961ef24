"""Dates, money and product facts in the customer's language (Babel's CLDR data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.numbers import format_currency

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
    last = " en " if language == "nl" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


SPEC_LABELS: dict[str, tuple[str, str, str]] = {
    # key: (Dutch label, English label, unit)
    "weight_g": ("gewicht", "weight", " g"),
    "drop_mm": ("drop", "drop", " mm"),
    "waterproof": ("waterdicht", "waterproof", ""),
    "material": ("materiaal", "material", ""),
    "persons": ("personen", "people", ""),
    "comfort_temp_c": ("comforttemperatuur", "comfort temperature", " °C"),
    "length_cm": ("lengte", "length", " cm"),
    "width_cm": ("breedte", "width", " cm"),
    "volume_l": ("inhoud", "volume", " l"),
    "thickness_mm": ("dikte", "thickness", " mm"),
    "max_load_kg": ("max. belasting", "max. load", " kg"),
    "colour": ("kleur", "colour", ""),
    "gender": ("voor", "for", ""),
    "season": ("seizoen", "season", ""),
    "surface": ("ondergrond", "surface", ""),
}
VALUE_WORDS = {
    "nl": {
        True: "ja",
        False: "nee",
        "men": "heren",
        "women": "dames",
        "unisex": "unisex",
        "kids": "kinderen",
        "road": "weg",
        "trail": "trail",
    },
    "en": {
        True: "yes",
        False: "no",
        "men": "men",
        "women": "women",
        "unisex": "unisex",
        "kids": "kids",
        "road": "road",
        "trail": "trail",
    },
}


def spec_text(attributes: dict[str, Any], language: str, keys: list[str] | None = None) -> str:
    """'gewicht 280 g · drop 8 mm · waterdicht ja'."""
    parts = []
    for key in keys or list(SPEC_LABELS):
        if key not in attributes or key not in SPEC_LABELS:
            continue
        nl_label, en_label, unit = SPEC_LABELS[key]
        value = attributes[key]
        words = VALUE_WORDS.get(language, VALUE_WORDS["nl"])
        shown = words.get(value, value) if isinstance(value, (bool, str)) else value
        parts.append(f"{nl_label if language == 'nl' else en_label} {shown}{unit}")
    return " · ".join(parts)

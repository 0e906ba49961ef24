"""The shop's own words for its categories, attributes and values, in the shopper's language.

This is the one place search asks "what is this key called?". The names come from the
retailer's imported catalogue (categories.yml, attributes.yml: see docs/data-format.md), read
from the store by `refresh(session=...)` at the start of every search answer (two small tables),
so a retailer's new category or attribute is named in its own words with no code change. The
text catalogue (bot/texts: `spec_<attribute>`, `value_<value>`) and at last the key itself are
the fallbacks for a store without definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_decimal
from sqlalchemy.orm import Session

from bot import texts
from bot.formatting import LOCALES, SPEC_UNITS
from bot.store.vocabulary import attribute_definitions, categories

# Units by the key's ending, for attributes the formatting table does not list yet.
UNIT_SUFFIXES = {"_g": " g", "_kg": " kg", "_mm": " mm", "_cm": " cm", "_l": " l", "_c": " °C"}


Names = dict[str, str]  # language -> name


@dataclass(frozen=True)
class Words:
    """The retailer's names for its keys, as imported."""

    categories: dict[str, Names] = field(default_factory=dict)
    attributes: dict[str, Names] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    values: dict[str, Names] = field(default_factory=dict)


_words = Words()


def refresh(*, session: Session) -> None:
    """Read the retailer's names from the store (after an import they are new at once)."""
    global _words
    definitions = attribute_definitions(session=session)
    _words = Words(
        categories={
            key: {"nl": c.name_nl, "en": c.name_en}
            for key, c in categories(session=session).items()
        },
        attributes={key: {"nl": d.name_nl, "en": d.name_en} for key, d in definitions.items()},
        units={key: d.unit for key, d in definitions.items() if d.unit},
        values={
            value: {"nl": str(spec["name_nl"]), "en": str(spec["name_en"])}
            for d in definitions.values()
            for value, spec in (d.values or {}).items()
        },
    )


def _in_sentence(name: str) -> str:
    """'Hardloopschoenen' → 'hardloopschoenen' inside a sentence; 'SUP-boards' stays."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def category_name(key: str, language: str) -> str:
    """'hardloopschoenen' / 'running shoes': a category as shoppers say it, in the plural."""
    names = _words.categories.get(key)
    if names:
        return _in_sentence(names[language])
    return key.replace("_", " ")


def attribute_label(key: str, language: str) -> str:
    """'waterdicht', 'dikte', 'personen'."""
    names = _words.attributes.get(key)
    if names:
        return names[language]
    fallback = key
    for suffix in UNIT_SUFFIXES:
        if key.endswith(suffix):
            fallback = key[: -len(suffix)]
    return texts.word(f"spec_{key}", language, fallback.replace("_", " "))


def unit(key: str) -> str:
    """' mm', ' g', '' (with its space, as written after a number)."""
    if key in _words.units:
        return f" {_words.units[key]}"
    if key in SPEC_UNITS:
        return SPEC_UNITS[key]
    return next((u for s, u in UNIT_SUFFIXES.items() if key.endswith(s)), "")


def value_word(value: str, language: str) -> str:
    """'weg' for 'road', 'dames' for 'women'; other values as the catalogue writes them."""
    names = _words.values.get(value)
    if names:
        return names[language]
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

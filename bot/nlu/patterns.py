"""Build the catalogue recogniser's patterns from the live catalogue.

Run after every import (`klantreis import` does it): the extractor picks up the new
file on its next message, so new products, categories and attribute words are recognised
without retraining DIET. Shopper words are stored with their plural and inflected forms
(bot.nlu.forms), so the extractor matches them without loading spaCy's lemma tables.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.nlu.forms import word_forms
from bot.store.models import AttributeDefinition, Category, Product

VERSION = 2
NUMBER = "{n}"
# A phrase naming more products than this is a category word, not a product name.
MAX_SKUS_PER_PHRASE = 4


def _clean(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").split())


def _variants_of(phrase: str) -> set[str]:
    """The ways shoppers write one name: 'aero 3', 'aero3', 'aero-3'."""
    base = _clean(phrase)
    found = {base, base.replace("-", " "), re.sub(r"(\w) (\d)", r"\1\2", base)}
    return {" ".join(v.split()) for v in found if v}


_TRAILING_MEASURE = re.compile(r"\s+\d+(?:[.,]\d+)?\s?(?:cm|mm|m|l|ml|liter|kg|g)$")
_TARGET_GROUP = re.compile(r"\s+(heren|dames|men|women|mens|womens|kids|kinderen|junior)$")


def _forms(phrases: list[str]) -> list[str]:
    return sorted({form for phrase in phrases for form in word_forms(_clean(phrase))})


def category_patterns(categories: list[Category]) -> dict[str, Any]:
    """Each category's words, names included, with their inflected forms."""
    return {
        c.key: {
            "name_nl": c.name_nl,
            "name_en": c.name_en,
            "words": _forms([c.name_nl, c.name_en, *c.words_nl, *c.words_en]),
        }
        for c in categories
    }


def attribute_patterns(definitions: list[AttributeDefinition]) -> dict[str, Any]:
    """Words per attribute: bool words mean 'yes', number words are templates with {n},
    text values have words of their own."""
    result: dict[str, Any] = {}
    for d in definitions:
        words = [*d.words_nl, *d.words_en]
        entry: dict[str, Any] = {
            "type": d.type,
            "unit": d.unit,
            "name_nl": d.name_nl,
            "name_en": d.name_en,
        }
        if d.type == "bool":
            entry["words"] = _forms([d.name_nl, d.name_en, *words])
        elif d.type == "number":
            entry["templates"] = sorted(
                {_clean(w if NUMBER in w else f"{NUMBER} {w}") for w in words}
            )
        entry["values"] = {
            key: {
                "name_nl": value["name_nl"],
                "name_en": value["name_en"],
                "words": _forms(
                    [value["name_nl"], value["name_en"], *value["words_nl"], *value["words_en"]]
                ),
            }
            for key, value in (d.values or {}).items()
        }
        result[d.key] = entry
    return result


def product_phrases(product: Product, category_phrases: set[str] | None = None) -> set[str]:
    """The names shoppers use for one product; category words are left to the category."""
    category_phrases = category_phrases or set()
    trailing = (
        re.compile(
            r"\s+("
            + "|".join(sorted(map(re.escape, category_phrases), key=len, reverse=True))
            + r")$"
        )
        if category_phrases
        else None
    )
    names = {product.name_nl, product.name_en, *(product.synonyms or [])}
    phrases: set[str] = set()
    brand = _clean(product.brand)
    for name in names:
        cleaned = _clean(name)
        phrases |= _variants_of(cleaned)
        cleaned = _TRAILING_MEASURE.sub("", cleaned)  # 'koekenpan 28 cm' is a 'koekenpan'
        phrases |= _variants_of(cleaned)
        model = cleaned[len(brand) + 1 :] if cleaned.startswith(brand + " ") else cleaned
        model = trailing.sub("", model) if trailing else model
        # 'storm jas heren' and 'storm jas dames' share the family name 'storm jas'.
        for form in {model, _TARGET_GROUP.sub("", model)}:
            if len(form) >= 3 and not form.isdigit():
                phrases |= _variants_of(form)
    return {p for p in phrases if p not in category_phrases and len(p) >= 3}


def build_patterns(*, session: Session) -> dict[str, Any]:
    categories = category_patterns(
        list(session.execute(select(Category).order_by(Category.key)).scalars())
    )
    attributes = attribute_patterns(
        list(
            session.execute(select(AttributeDefinition).order_by(AttributeDefinition.key)).scalars()
        )
    )
    # A product name that is also a category or attribute word ("summer") is that word.
    category_phrases = {w for c in categories.values() for w in c["words"]}
    category_phrases |= {
        w
        for a in attributes.values()
        for w in [*a.get("words", []), *(w for v in a["values"].values() for w in v["words"])]
    }
    products = session.execute(
        select(Product).options(selectinload(Product.variants)).order_by(Product.sku)
    ).scalars()
    by_phrase: dict[str, set[str]] = defaultdict(set)
    brands: dict[str, str] = {}
    sizes: set[str] = set()
    colours: set[str] = set()
    for product in products:
        for phrase in product_phrases(product, category_phrases):
            by_phrase[phrase].add(product.sku)
        brands[_clean(product.brand)] = product.brand
        for variant in product.variants:
            if variant.variant.lower() != "one size":
                sizes.add(variant.variant)
            if variant.colour:
                colours.add(variant.colour.lower())
    return {
        "version": VERSION,
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "products": {
            phrase: sorted(skus)
            for phrase, skus in sorted(by_phrase.items())
            if len(skus) <= MAX_SKUS_PER_PHRASE and phrase not in brands
        },
        "brands": brands,
        "categories": categories,
        "attributes": attributes,
        "sizes": sorted(sizes),
        "colours": sorted(colours),
    }


def write_patterns(*, session: Session, path: Path) -> tuple[Path, int]:
    """Write atomically, so a running extractor never reads half a file."""
    patterns = build_patterns(session=session)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(patterns, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path, len(patterns["products"])

"""Build the product recogniser's patterns from the live catalogue.

Run after every import (`klantreis import` does it): the extractor picks up the new
file on its next message, so new products are recognised without retraining DIET.
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

from bot.nlu.lexicon import CATEGORY_WORDS
from bot.store.models import Product

# A phrase naming more products than this is a category word, not a product name.
MAX_SKUS_PER_PHRASE = 4
_CATEGORY_PHRASES = {w for words in CATEGORY_WORDS.values() for w in words}
_TRAILING_CATEGORY = re.compile(
    r"\s+("
    + "|".join(sorted((re.escape(w) for w in _CATEGORY_PHRASES), key=len, reverse=True))
    + r")$"
)


def _clean(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").split())


def _variants_of(phrase: str) -> set[str]:
    """The ways shoppers write one name: 'aero 3', 'aero3', 'aero-3'."""
    base = _clean(phrase)
    found = {base, base.replace("-", " "), re.sub(r"(\w) (\d)", r"\1\2", base)}
    return {" ".join(v.split()) for v in found if v}


_TARGET_GROUP = re.compile(r"\s+(heren|dames|men|women|mens|womens|kids|kinderen|junior)$")


def product_phrases(product: Product) -> set[str]:
    names = {product.name_nl, product.name_en, *(product.synonyms or [])}
    phrases: set[str] = set()
    brand = _clean(product.brand)
    for name in names:
        cleaned = _clean(name)
        phrases |= _variants_of(cleaned)
        model = cleaned[len(brand) + 1 :] if cleaned.startswith(brand + " ") else cleaned
        model = _TRAILING_CATEGORY.sub("", model)
        # 'storm jas heren' and 'storm jas dames' share the family name 'storm jas'.
        for form in {model, _TARGET_GROUP.sub("", model)}:
            if len(form) >= 3 and not form.isdigit():
                phrases |= _variants_of(form)
    return {p for p in phrases if p not in _CATEGORY_PHRASES and len(p) >= 3}


def build_patterns(*, session: Session) -> dict[str, Any]:
    products = session.execute(
        select(Product).options(selectinload(Product.variants)).order_by(Product.sku)
    ).scalars()
    by_phrase: dict[str, set[str]] = defaultdict(set)
    brands: dict[str, str] = {}
    sizes: set[str] = set()
    colours: set[str] = set()
    for product in products:
        for phrase in product_phrases(product):
            by_phrase[phrase].add(product.sku)
        brands[_clean(product.brand)] = product.brand
        for variant in product.variants:
            if variant.variant.lower() != "one size":
                sizes.add(variant.variant)
            if variant.colour:
                colours.add(variant.colour.lower())
    return {
        "version": 1,
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "products": {
            phrase: sorted(skus)
            for phrase, skus in sorted(by_phrase.items())
            if len(skus) <= MAX_SKUS_PER_PHRASE and phrase not in brands
        },
        "brands": brands,
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

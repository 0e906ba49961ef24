"""Sizes across products: a shoe size fits a sock range ("42" in "39-42"), a letter size fits
letter sizes; a size of another kind says nothing about a product (a shoe size for a jacket)."""

from __future__ import annotations

import re

from bot.store.models import ProductVariant

LETTERS = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL")
_NUMBER = re.compile(r"\d+(?:[.,]5)?")
_RANGE = re.compile(r"(\d+)-(\d+)")


def kind_of(size: str | None) -> str | None:
    """'number', 'letter', or None for 'one size', board lengths and the like."""
    value = (size or "").strip().upper()
    if value in LETTERS:
        return "letter"
    if _NUMBER.fullmatch(value) or _RANGE.fullmatch(value):
        return "number"
    return None


def fits(variant: str, size: str) -> bool:
    variant = variant.strip().upper().replace(",", ".")
    size = size.strip().upper().replace(",", ".")
    if variant == size:
        return True
    span = _RANGE.fullmatch(variant)
    if span and _NUMBER.fullmatch(size):
        return int(span.group(1)) <= float(size) <= int(span.group(2))
    return False


def sized(variants: list[ProductVariant]) -> str | None:
    """The kind of size a product comes in, None when it has none (one size)."""
    kinds = {kind_of(v.variant) for v in variants}
    kinds.discard(None)
    return kinds.pop() if len(kinds) == 1 else None


def variant_for(variants: list[ProductVariant], sizes: dict[str, str]) -> tuple[bool, str | None]:
    """(available, variant): the variant in stock in the customer's size when the product's
    kind of size is known for them, else any variant in stock (variant None)."""
    kind = sized(variants)
    size = sizes.get(kind) if kind else None
    if size is None:
        return any(v.stock > 0 for v in variants), None
    for variant in variants:
        if variant.stock > 0 and fits(variant.variant, size):
            return True, variant.variant
    return False, None

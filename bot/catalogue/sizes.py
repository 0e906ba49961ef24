"""Sizes as shops write them: one size ('44', 'M') or a range ('43-46') on a variant."""

from __future__ import annotations

import re


def matches_size(variant: str, size: str) -> bool:
    """Is a variant labelled `variant` the shopper's `size`? '43-46' holds 44 and 44.5."""
    variant, size = variant.lower().replace(",", "."), size.lower().replace(",", ".")
    if variant == size:
        return True
    span = re.fullmatch(r"(\d+)-(\d+)", variant)
    if span and re.fullmatch(r"\d+(\.5)?", size):
        return int(span.group(1)) <= float(size) <= int(span.group(2))
    return False

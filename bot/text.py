"""Small normalisers shared by the importer, the NLU components and the actions."""

from __future__ import annotations

import re

_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([a-zA-Z]{2})\s*$")
_BELGIAN_OR_OTHER = re.compile(r"^\s*([1-9][0-9]{3})\s*$")


def normalise_postcode(raw: str) -> str | None:
    """'3511ab' → '3511 AB'; Belgian four-digit codes stay as they are; else None."""
    match = _POSTCODE.match(raw)
    if match:
        return f"{match.group(1)} {match.group(2).upper()}"
    match = _BELGIAN_OR_OTHER.match(raw)
    if match:
        return match.group(1)
    return None


def normalise_order_number(raw: str) -> str:
    """Strip '#', spaces and a leading 'order'/'bestelling' word from an order number."""
    return re.sub(r"[^0-9A-Za-z-]", "", raw).upper()

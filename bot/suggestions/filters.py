"""Which candidates may be suggested at all: in stock (in the customer's size where known),
rated well enough, not owned already (a lifecycle replacement excepted), not what the
conversation is about or the order already holds."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.models import Product
from bot.suggestions.candidates import Candidate
from bot.suggestions.config import SuggestionConfig
from bot.suggestions.sizes import variant_for


@dataclass(frozen=True)
class Allowed:
    candidate: Candidate
    variant: str | None  # the variant in the customer's size, when their size is known


def rating_of(product: Product) -> float:
    try:
        return float(product.rating or 0)
    except ValueError:
        return 0.0


def allowed(
    candidates: list[Candidate],
    *,
    config: SuggestionConfig,
    owned_ids: set[int],
    excluded_ids: set[int],
    sizes: dict[str, str],
) -> list[Allowed]:
    kept = []
    for candidate in candidates:
        product = candidate.product
        if product.id in excluded_ids:
            continue
        if product.id in owned_ids and candidate.rule != "lifecycle":
            continue
        if config.min_rating and rating_of(product) < config.min_rating:
            continue
        available, variant = variant_for(list(product.variants), sizes)
        if not available:
            continue
        kept.append(Allowed(candidate, variant))
    return kept

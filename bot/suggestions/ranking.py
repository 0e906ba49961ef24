"""The order of what may be suggested: the rule's weight plus the retailer's weights for what
holds for the product (see docs/suggestions.md). Ties go to the higher rating, then the SKU,
so the same facts always give the same suggestion."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.models import Product
from bot.suggestions.config import SuggestionConfig
from bot.suggestions.filters import Allowed, rating_of


@dataclass(frozen=True)
class Ranked:
    allowed: Allowed
    score: float
    parts: dict[str, float]  # what the score is made of, kept with the suggestion

    @property
    def product(self) -> Product:
        return self.allowed.candidate.product


def _attribute(product: Product, key: str) -> float:
    value = (product.attributes or {}).get(key)
    try:
        return float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def score(
    allowed: Allowed, *, config: SuggestionConfig, language: str, categories: set[str]
) -> Ranked:
    candidate, weights = allowed.candidate, config.weights
    product = candidate.product
    parts = {"rule": config.rule_weight(candidate.rule)}
    if candidate.topic:
        parts["topic"] = weights.topic
    rating = rating_of(product)
    if rating > 3:
        parts["rating"] = weights.rating * (rating - 3)
    if product.category in categories:
        parts["history"] = weights.history
    margin = _attribute(product, "margin_pct")
    if margin:
        parts["margin"] = weights.margin * margin
    priority = min(max(_attribute(product, "priority"), 0.0), 5.0)
    if priority:
        parts["priority"] = weights.priority * priority
    if any(r.language == language for r in product.reviews):
        parts["review_in_language"] = weights.review_in_language
    if sum(v.stock for v in product.variants) > config.low_stock:
        parts["stock"] = weights.stock
    parts = {k: round(v, 3) for k, v in parts.items() if v}
    return Ranked(allowed, round(sum(parts.values()), 3), parts)


def rank(
    allowed: list[Allowed], *, config: SuggestionConfig, language: str, categories: set[str]
) -> list[Ranked]:
    best: dict[int, Ranked] = {}
    for item in allowed:
        ranked = score(item, config=config, language=language, categories=categories)
        known = best.get(ranked.product.id)
        if known is None or ranked.score > known.score:
            best[ranked.product.id] = ranked
    return sorted(best.values(), key=lambda r: (-r.score, -rating_of(r.product), r.product.sku))

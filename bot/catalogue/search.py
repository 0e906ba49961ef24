"""Search the live catalogue for what the shopper wants (contract 4 of #13).

`search()` loads the candidates once (one query for the products of the category, one each for
their variants and reviews), checks every condition in Python and ranks: the products that meet
every condition first, then (unless the shopper asked for a `sort`) the closest to an asked
number, the best rated and the cheapest. Each match says why it matches; when nothing meets
everything, the nearest alternatives say what they miss. When many products match, `narrowing`
names the attribute that best splits them, so the bot can ask ("Voor de weg of voor trail?").

The category is a hard filter: a shopper who asks for a tent never gets socks as "nearest".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot import texts
from bot.catalogue.conditions import (
    Check,
    attribute_check,
    brand_check,
    number_phrase,
    price_check,
    rating_check,
    rating_of,
    size_check,
)
from bot.store.models import Product, ProductVariant, Review

SORTS = ("cheapest", "best", "lightest")
WEIGHT_KEY = "weight_g"
_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Wanted:
    """What the shopper asked for; every field is optional."""

    category: str | None = None
    attributes: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    size: str | None = None
    price_min_cents: int | None = None
    price_max_cents: int | None = None
    brand: str | None = None
    rating_min: Decimal | None = None
    sort: str | None = None  # "cheapest" | "best" | "lightest"
    exclude_skus: tuple[str, ...] = ()

    def conditions(self) -> int:
        """How many conditions beyond the category (each can be missed)."""
        return (
            len(self.attributes)
            + (self.size is not None)
            + (self.price_min_cents is not None or self.price_max_cents is not None)
            + (self.brand is not None)
            + (self.rating_min is not None)
        )


@dataclass(frozen=True)
class SearchRules:
    """The retailer's know-how the search uses (data/demo/advice.yml, bot/catalogue/advice.py).

    ask_about: attributes worth a narrowing question, in order of preference; empty means any
      yes/no or few-valued text attribute.
    also_fits: per attribute, which stored value also fits which asked ones
      (gender: unisex fits men and women).
    """

    ask_about: tuple[str, ...] = ()
    also_fits: Mapping[str, Mapping[str, frozenset[str]]] = field(
        default_factory=lambda: MappingProxyType({})
    )


@dataclass(frozen=True)
class Match:
    """A product with the plain-words reasons it fits and what it misses."""

    product: Product
    reasons: list[str]
    misses: list[str]
    checks: tuple[Check, ...] = ()

    def reason_for(self, name: str) -> str | None:
        """The reason of one condition ('size', 'price', 'attribute:waterproof' …)."""
        return next((c.reason for c in self.checks if c.name == name and c.met), None)


@dataclass(frozen=True)
class SearchResult:
    matches: list[Match]
    alternatives: list[Match]
    narrowing: str | None = None  # attribute key to ask about
    narrowing_values: tuple[str, ...] = ()  # its values among the matches, most common first
    count: int = 0  # how many products meet every condition


def search(
    *,
    session: Session,
    wanted: Wanted,
    language: str,
    limit: int = 3,
    rules: SearchRules | None = None,
) -> SearchResult:
    """The best `limit` products for `wanted`, or the nearest alternatives when none fits."""
    rules = rules or SearchRules()
    # Price and brand are filtered in SQL first; only when that leaves nothing that fits are the
    # rest read, for the nearest alternatives (which may miss the budget or the brand).
    narrow = wanted.brand is not None or (
        wanted.price_min_cents is not None or wanted.price_max_cents is not None
    )
    checked, seen = _checked(session, wanted, language, rules, in_sql=narrow)
    fitting = sorted((m for m in checked if not m.misses), key=lambda m: _rank(m, wanted, seen))
    if not fitting and narrow:
        checked, seen = _checked(session, wanted, language, rules, in_sql=False)
    if fitting:
        narrowing, values = (None, ()) if wanted.sort else _narrowing(fitting, wanted, rules, limit)
        _preload(session, fitting[:limit])
        return SearchResult(
            matches=fitting[:limit],
            alternatives=[],
            narrowing=narrowing,
            narrowing_values=values,
            count=len(fitting),
        )
    nearest = sorted(checked, key=lambda m: (len(m.misses), *_rank(m, wanted, seen)))[:limit]
    _preload(session, nearest)
    return SearchResult(matches=[], alternatives=nearest, count=0)


@dataclass(frozen=True)
class _Seen:
    """What one search read besides the products: sizes with stock, review counts."""

    sizes: Mapping[int, list[tuple[str, int]]]
    reviews: Mapping[int, int]


def _checked(
    session: Session, wanted: Wanted, language: str, rules: SearchRules, *, in_sql: bool
) -> tuple[list[Match], _Seen]:
    candidates = _candidates(session, wanted, in_sql=in_sql)
    seen = _Seen(
        sizes=_sizes(session, candidates) if wanted.size else {},
        reviews=_review_counts(session, candidates) if wanted.sort == "best" else {},
    )
    return [_match(p, wanted, language, rules, seen) for p in candidates], seen


def _candidates(session: Session, wanted: Wanted, *, in_sql: bool) -> list[Product]:
    query = select(Product)
    if wanted.category:
        query = query.where(Product.category == wanted.category)
    if wanted.exclude_skus:
        query = query.where(Product.sku.not_in(list(wanted.exclude_skus)))
    if in_sql and wanted.brand:
        query = query.where(func.lower(Product.brand) == wanted.brand.lower())
    if in_sql and wanted.price_min_cents is not None:
        query = query.where(Product.price_cents >= wanted.price_min_cents)
    if in_sql and wanted.price_max_cents is not None:
        query = query.where(Product.price_cents <= wanted.price_max_cents)
    return list(session.execute(query.order_by(Product.sku)).scalars())


def _sizes(session: Session, products: Sequence[Product]) -> dict[int, list[tuple[str, int]]]:
    """(size, stock) per product, read as plain rows: a size check needs no variant objects."""
    found: dict[int, list[tuple[str, int]]] = {p.id: [] for p in products}
    rows = session.execute(
        select(ProductVariant.product_id, ProductVariant.variant, ProductVariant.stock).where(
            ProductVariant.product_id.in_(list(found))
        )
    )
    for product_id, variant, stock in rows:
        found[product_id].append((variant, stock))
    return found


def _review_counts(session: Session, products: Sequence[Product]) -> dict[int, int]:
    rows = session.execute(
        select(Review.product_id, func.count(Review.id))
        .where(Review.product_id.in_([p.id for p in products]))
        .group_by(Review.product_id)
    )
    return {product_id: count for product_id, count in rows}


def _preload(session: Session, matches: Sequence[Match]) -> None:
    """Variants and reviews of the products shown, in two queries (cards show stock and
    reviews), so showing them costs no query per product."""
    ids = [m.product.id for m in matches]
    if ids:
        session.execute(
            select(Product)
            .where(Product.id.in_(ids))
            .options(selectinload(Product.variants), selectinload(Product.reviews))
        ).scalars().all()


def _match(
    product: Product, wanted: Wanted, language: str, rules: SearchRules, seen: _Seen
) -> Match:
    checks: list[Check] = []
    for key, value in wanted.attributes.items():
        fits = rules.also_fits.get(key, {})
        checks.append(attribute_check(product, key, value, language, fits))
    if wanted.size:
        checks.append(size_check(seen.sizes.get(product.id, []), wanted.size, language))
    if wanted.price_min_cents is not None or wanted.price_max_cents is not None:
        checks.append(
            price_check(product, wanted.price_min_cents, wanted.price_max_cents, language)
        )
    if wanted.brand:
        checks.append(brand_check(product, wanted.brand, language))
    if wanted.rating_min is not None:
        checks.append(rating_check(product, wanted.rating_min, language))
    reasons = [c.reason for c in checks if c.met and c.reason]
    if wanted.sort == "lightest" and WEIGHT_KEY not in wanted.attributes:
        weight = (product.attributes or {}).get(WEIGHT_KEY)
        if isinstance(weight, int | float) and not isinstance(weight, bool):
            reasons.append(number_phrase(WEIGHT_KEY, Decimal(str(weight)), language))
    misses = [c.miss for c in checks if not c.met and c.miss]
    return Match(product=product, reasons=reasons, misses=misses, checks=tuple(checks))


def _rank(match: Match, wanted: Wanted, seen: _Seen) -> tuple[Any, ...]:
    product, sort = match.product, wanted.sort
    rating = -rating_of(product)
    price = product.price_cents
    if sort == "cheapest":
        return (price, rating)
    if sort == "best":
        return (rating, -seen.reviews.get(product.id, 0), price)
    if sort == "lightest":
        weight = (product.attributes or {}).get(WEIGHT_KEY)
        heavy = weight if isinstance(weight, int | float) else float("inf")
        return (heavy, rating, price)
    distance = sum(min(c.distance, 1e6) for c in match.checks)
    return (distance, rating, price)


def _narrowing(
    fitting: Sequence[Match], wanted: Wanted, rules: SearchRules, limit: int
) -> tuple[str | None, tuple[str, ...]]:
    """The attribute whose answer splits the matches best, when there are too many to show."""
    if len(fitting) <= limit:
        return None, ()
    best: tuple[float, int, str, tuple[str, ...]] | None = None
    keys = rules.ask_about or _askable_keys(fitting)
    for order, key in enumerate(keys):
        if key in wanted.attributes:
            continue
        values = [_value_text((m.product.attributes or {}).get(key)) for m in fitting]
        present = [v for v in values if v is not None]
        counts = Counter(present)
        if len(counts) < 2 or len(present) * 2 < len(fitting):
            continue
        if not rules.ask_about and len(counts) > max(2, len(fitting) // 2):
            continue  # a question with as many answers as products does not narrow
        # a value that fits every answer (unisex) is no answer of its own
        fits_all = rules.also_fits.get(key, {})
        answers = Counter({v: n for v, n in counts.items() if v.lower() not in fits_all})
        if len(answers) < 2:
            continue
        gini = 1 - sum((n / len(fitting)) ** 2 for n in counts.values())
        score = gini * len(present) / len(fitting)
        candidate = (score, -order, key, _in_order(answers))
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return (best[2], best[3]) if best else (None, ())


def _in_order(counts: Counter[str]) -> tuple[str, ...]:
    """Numbers from low to high ('1', '2', '4'), other values the most common first."""
    try:
        return tuple(sorted(counts, key=Decimal))
    except ArithmeticError:
        return tuple(v for v, _ in counts.most_common())


def _askable_keys(fitting: Sequence[Match]) -> list[str]:
    """Yes/no and text attributes, in the order they first appear."""
    keys: dict[str, None] = {}
    for match in fitting:
        for key, value in (match.product.attributes or {}).items():
            if isinstance(value, bool | str):
                keys.setdefault(key, None)
    return list(keys)


def _value_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sort_is_known(sort: str | None) -> bool:
    return sort is None or sort in SORTS


def describe(match: Match, language: str) -> str:
    """The reasons as one phrase: 'waterdicht, op voorraad in maat 44'."""
    return ", ".join(match.reasons) or texts.fragment("search_fits", language)

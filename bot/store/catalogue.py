"""Catalogue look-ups for product answers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from bot.store.models import Product


def products_by_sku(*, session: Session, skus: Sequence[str]) -> list[Product]:
    """Products in the order the SKUs were given; unknown SKUs are skipped."""
    if not skus:
        return []
    found = {
        p.sku: p
        for p in session.execute(
            select(Product)
            .where(Product.sku.in_(list(skus)))
            .options(selectinload(Product.variants), selectinload(Product.reviews))
        ).scalars()
    }
    return [found[s] for s in dict.fromkeys(skus) if s in found]


def products_by_sku_lists(
    *, session: Session, lists: Sequence[Sequence[str]]
) -> list[list[Product]]:
    """`products_by_sku` for several lists at once, with one look-up for all of them (a product
    answer needs the products named, the one in context and the list last shown)."""
    found = {
        p.sku: p
        for p in products_by_sku(session=session, skus=[s for skus in lists for s in skus if s])
    }
    return [[found[s] for s in dict.fromkeys(skus) if s in found] for skus in lists]


def products_in(
    *, session: Session, category: str | None = None, brand: str | None = None, limit: int = 5
) -> list[Product]:
    """Best-rated products of a category and/or brand."""
    query = select(Product).options(selectinload(Product.variants))
    if category:
        query = query.where(Product.category == category)
    if brand:
        query = query.where(func.lower(Product.brand) == brand.lower())
    query = query.order_by(Product.rating.desc(), Product.price_cents).limit(limit)
    return list(session.execute(query).scalars())


def closest_products(*, session: Session, words: Sequence[str], limit: int = 3) -> list[Product]:
    """Products whose name shares a word with what the shopper typed."""
    useful = [w.lower() for w in words if len(w) >= 4][:8]
    if not useful:
        return []
    conditions = []
    for word in useful:
        like = f"%{word[:5]}%"
        conditions += [Product.name_nl.ilike(like), Product.name_en.ilike(like)]
    query = select(Product).where(or_(*conditions)).order_by(Product.rating.desc()).limit(limit)
    return list(session.execute(query).scalars())

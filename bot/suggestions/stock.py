"""Sold out: the nearest alternative in stock, a back-in-stock subscription, and the notice
queued in the outbox (purpose marketing) when stock comes back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.delays import outbox
from bot.store.models import Product
from bot.store.suggestion_models import StockSubscription
from bot.suggestions.sizes import fits, kind_of

INTENT = "EXTERNAL_back_in_stock"
PURPOSE = "marketing"


def sold_out(product: Product, variant: str | None) -> bool:
    """Nothing in stock in that size (or at all, without a size)."""
    wanted = [v for v in product.variants if variant is None or fits(v.variant, variant)]
    return bool(product.variants) and not any(v.stock > 0 for v in wanted)


def nearest_alternative(
    session: Session, *, product: Product, size: str | None, exclude: set[int] | None = None
) -> Product | None:
    """Same category, in stock (in the size asked, when it is the same kind of size), closest
    in price, then best rated."""
    rows = session.scalars(
        select(Product)
        .where(Product.category == product.category, Product.id != product.id)
        .options(selectinload(Product.variants), selectinload(Product.reviews))
    )
    options = []
    for other in rows:
        if exclude and other.id in exclude:
            continue
        usable = [v for v in other.variants if v.stock > 0]
        if size and kind_of(size):
            usable = [v for v in usable if fits(v.variant, size)]
        if usable:
            options.append(other)
    if not options:
        return None
    return min(
        options,
        key=lambda p: (abs(p.price_cents - product.price_cents), -float(p.rating or 0), p.sku),
    )


@dataclass(frozen=True)
class Subscribed:
    subscription: StockSubscription
    created: bool


def subscribe(
    session: Session,
    *,
    customer_id: int,
    conversation_id: str,
    channel: str,
    language: str,
    product: Product,
    variant: str | None,
    now: dt.datetime,
) -> Subscribed:
    """One waiting subscription per customer, product and size."""
    existing = session.scalars(
        select(StockSubscription).where(
            StockSubscription.customer_id == customer_id,
            StockSubscription.product_id == product.id,
            StockSubscription.status == "waiting",
        )
    ).all()
    for row in existing:
        if (row.variant or "") == (variant or ""):
            return Subscribed(row, created=False)
    row = StockSubscription(
        customer_id=customer_id,
        conversation_id=conversation_id,
        channel=channel,
        language=language,
        product_id=product.id,
        variant=variant,
        status="waiting",
        created_at=now,
    )
    session.add(row)
    session.flush()
    return Subscribed(row, created=True)


def release(session: Session, *, now: dt.datetime) -> int:
    """Queue a notice for every waiting subscription whose product is back in stock; returns
    how many. Run after an import and with the periodic scan; the outbox decides the channel
    (marketing consent, the 24-hour WhatsApp window) and the dedup key makes it once."""
    waiting = session.scalars(
        select(StockSubscription)
        .where(StockSubscription.status == "waiting")
        .order_by(StockSubscription.id)
    ).all()
    queued = 0
    for row in waiting:
        product = session.get(Product, row.product_id)
        if product is None or sold_out(product, row.variant):
            continue
        key = f"stock:{row.id}"
        outbox.enqueue(
            session,
            dedup_key=key,
            intent=INTENT,
            entities={
                "subscription_id": str(row.id),
                "product": product.sku,
            },
            now=now,
            customer_id=row.customer_id,
            conversation_id=row.conversation_id,  # where they asked: see reach.py
            purpose=PURPOSE,
        )
        row.status, row.notified_at, row.outbox_key = "notified", now, key
        queued += 1
    session.flush()
    return queued

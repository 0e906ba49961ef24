"""Property-style checks over many customers, products and stock levels (a seeded random loop;
hypothesis is not in the lock): no suggestion ever names an out-of-stock item, builds on
another customer's purchase, or names a product the customer owns (a lifecycle replacement
excepted)."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.store.db import make_engine, make_session_factory
from bot.store.models import Customer, Order, OrderLine, Product, ProductVariant, utcnow
from bot.suggestions.candidates import NOT_OWNED_STATUSES, Context
from bot.suggestions.config import parse_config
from bot.suggestions.engine import ranked_for
from bot.suggestions.sizes import fits

ROUNDS = 150


def owned_by(db: Session, customer_id: int) -> set[int]:
    rows = db.execute(
        select(OrderLine.product_id)
        .join(Order)
        .where(Order.customer_id == customer_id, Order.status.not_in(NOT_OWNED_STATUSES))
    )
    return {row[0] for row in rows}


def test_suggestions_hold_their_promises(sqlite_demo_url: str) -> None:
    engine = make_engine(sqlite_demo_url)
    rng = random.Random(1404)
    config = parse_config({"min_rating": 0})
    with make_session_factory(engine)() as db:
        customers = list(db.scalars(select(Customer)))
        products = list(db.scalars(select(Product).options(selectinload(Product.variants))))
        variants = list(db.scalars(select(ProductVariant)))
        checked = 0
        for _ in range(ROUNDS):
            for variant in rng.sample(variants, 12):  # stock moves between rounds
                variant.stock = rng.choice([0, 0, 1, 3, 10])
            db.flush()
            db.expire_all()
            who = rng.choice(customers)
            own_orders = list(db.scalars(select(Order).where(Order.customer_id == who.id)))
            others = list(db.scalars(select(Order).where(Order.customer_id != who.id)))
            verified = (
                [rng.choice(own_orders).order_number] if own_orders and rng.random() < 0.6 else []
            )
            topic = rng.choice(products).sku if rng.random() < 0.5 else None
            size = rng.choice([None, None, "39", "42", "M", "L", "44"])
            context = Context(
                conversation_id=f"web:prop-{who.id}",
                channel="web",
                language=rng.choice(["nl", "en"]),
                now=utcnow(),
                customer_id=who.id,
                product_sku=topic,
                order_numbers=tuple(verified),
                shopper_size=size,
            )
            ranked, order = ranked_for(db, context=context, config=config)
            mine = owned_by(db, who.id)
            theirs = {line.product_id for o in others for line in o.lines} - mine
            topic_ids = {p.id for p in products if p.sku == topic}
            if order is not None:
                assert order.customer_id == who.id
            asked_about = set(topic_ids)
            for number in verified:  # the customer's own order, verified here
                (placed,) = [o for o in own_orders if o.order_number == number]
                topic_ids |= {line.product_id for line in placed.lines}
            for item in ranked:
                product, candidate = item.product, item.allowed.candidate
                stocked = [v for v in product.variants if v.stock > 0]
                assert stocked, f"{product.sku} is out of stock"
                if item.allowed.variant is not None:
                    assert any(fits(v.variant, item.allowed.variant) for v in stocked)
                if product.id in mine:
                    assert candidate.rule == "lifecycle", f"{product.sku} is owned"
                anchor = candidate.anchor
                if anchor is not None and anchor.id not in topic_ids:
                    assert anchor.id in mine, "built on a purchase that is not theirs"
                    assert anchor.id not in theirs or anchor.id in mine
                assert product.id not in asked_about
                checked += 1
        db.rollback()
    engine.dispose()
    assert checked > ROUNDS  # the loop really looked at suggestions

"""Ranking on a real database: the demo catalogue and its purchase history, imported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.store.db import make_session_factory
from bot.store.models import Customer, Product, utcnow
from bot.suggestions.candidates import Context
from bot.suggestions.config import SuggestionConfigError, parse_config
from bot.suggestions.engine import ranked_for

BASE: dict[str, Any] = {"min_rating": 4.0}


@pytest.fixture
def db(demo_engine: Engine) -> Iterator[Session]:
    with make_session_factory(demo_engine)() as session:
        yield session


def customer(db: Session, ref: str) -> int:
    return int(db.scalars(select(Customer.id).where(Customer.customer_ref == ref)).one())


def context(**facts: Any) -> Context:
    return Context(conversation_id="web:rank", channel="web", language="nl", now=utcnow(), **facts)


def top(db: Session, config: dict[str, Any] | None = None, **facts: Any) -> list[tuple]:
    ranked, _ = ranked_for(db, context=context(**facts), config=parse_config(config or BASE))
    return [(r.product.sku, r.allowed.candidate.rule, r.allowed.variant) for r in ranked]


def test_complements_of_an_unshipped_order_in_the_customers_shoe_size(db: Session) -> None:
    ranked = top(db, customer_id=customer(db, "C1001"), order_numbers=("10475",))
    # Sanne ordered trail socks; she bought shoes in size 39 before.
    assert ranked[0] == ("TP-TRL-002", "complement", "39")
    assert ("TP-ZOL-002", "complement", "39-41") in ranked
    assert "TP-SOK-003" not in [sku for sku, _, _ in ranked]  # already in the order


def test_the_size_the_shopper_says_wins_over_past_orders(db: Session) -> None:
    ranked = top(db, customer_id=customer(db, "C1001"), order_numbers=("10475",), shopper_size="45")
    assert ranked[0] == ("TP-TRL-002", "complement", "45")


def test_a_retailer_priority_moves_a_product_up(db: Session) -> None:
    insole = db.scalars(select(Product).where(Product.sku == "TP-ZOL-002")).one()
    insole.attributes = {**insole.attributes, "priority": 5}
    db.flush()
    ranked = top(db, customer_id=customer(db, "C1001"), order_numbers=("10475",))
    assert ranked[0][0] == "TP-ZOL-002"
    unweighted = top(
        db,
        {**BASE, "weights": {"priority": 0}},
        customer_id=customer(db, "C1001"),
        order_numbers=("10475",),
    )
    assert unweighted[0][0] == "TP-TRL-002"


def test_a_rule_with_weight_zero_is_off(db: Session) -> None:
    runner = customer(db, "C1002")  # bought road shoes more than a year ago
    assert top(db, customer_id=runner)[0] == ("TP-RUN-001", "lifecycle", "43")
    assert top(db, {**BASE, "rules": {"lifecycle": 0, "care": 0}}, customer_id=runner) == []


def test_min_rating_keeps_weaker_products_out(db: Session) -> None:
    ranked = top(db, {"min_rating": 4.6}, product_sku="TP-SUP-001")
    ratings = {
        p.sku: float(p.rating or 0)
        for p in db.scalars(select(Product).where(Product.sku.in_([r[0] for r in ranked])))
    }
    assert ranked and all(rating >= 4.6 for rating in ratings.values())


def test_without_a_customer_only_the_topic_counts(db: Session) -> None:
    ranked = top(db, product_sku="TP-TNT-001")
    assert {rule for _, rule, _ in ranked} == {"complement"}
    assert "TP-TNT-001" not in [sku for sku, _, _ in ranked]


def test_the_configuration_names_what_is_wrong() -> None:
    with pytest.raises(SuggestionConfigError, match="suggestions.rules: unknown rule"):
        parse_config({"rules": {"upsell": 1}})
    with pytest.raises(SuggestionConfigError, match="suggestions.weights.rating"):
        parse_config({"weights": {"rating": "veel"}})
    with pytest.raises(SuggestionConfigError, match="payment_url must contain"):
        parse_config({"add_to_order": {"flow": "payment_link", "payment_url": "https://x"}})
    assert parse_config({"add_to_order": {"flow": "shop_confirms"}}).add_to_order_flow == (
        "shop_confirms"
    )

"""The figures per rule and channel, and attribution of later orders (same product vs anything)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Customer, Order, OrderLine, Product, utcnow
from bot.store.suggestion_models import OrderAddition, Suggestion
from bot.suggestions import record
from bot.suggestions.report import figures, table_lines


def shown(
    db: Session, *, rule: str, channel: str, sku: str, customer_id: int, at: dt.datetime
) -> Suggestion:
    product = db.scalars(select(Product).where(Product.sku == sku)).one()
    suggestion = Suggestion(
        conversation_id=f"{channel}:x",
        customer_id=customer_id,
        channel=channel,
        language="nl",
        rule=rule,
        product_id=product.id,
        score="1",
        context={},
        shown_at=at,
    )
    db.add(suggestion)
    db.flush()
    record.event(db, suggestion=suggestion, kind="shown", now=at)
    return suggestion


def order(db: Session, number: str, customer_id: int, at: dt.datetime, *skus: str) -> None:
    placed = Order(order_number=number, customer_id=customer_id, placed_at=at, status="paid")
    db.add(placed)
    db.flush()
    for line_no, sku in enumerate(skus, start=1):
        product = db.scalars(select(Product).where(Product.sku == sku)).one()
        db.add(
            OrderLine(
                order_id=placed.id,
                line_no=line_no,
                product_id=product.id,
                quantity=1,
                unit_price_cents=product.price_cents,
            )
        )
    db.flush()


def test_figures_and_attribution(sqlite_demo_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_demo_url)
    # Past every demo order: the demo's dates move to today, times of day included, so just
    # after midnight one of its orders lay inside the 7-day window and was counted.
    now = utcnow() + dt.timedelta(days=60)
    with make_session_factory(engine)() as db:
        a, b = db.scalars(select(Customer.id).order_by(Customer.id).limit(2)).all()
        socks = shown(db, rule="complement", channel="web", sku="TP-SOK-001", customer_id=a, at=now)
        record.event(db, suggestion=socks, kind="clicked", now=now)
        record.event(db, suggestion=socks, kind="clicked", now=now)  # one click counts once
        record.event(db, suggestion=socks, kind="accepted", now=now)
        care = shown(db, rule="care", channel="whatsapp", sku="TP-CARE-002", customer_id=b, at=now)
        record.event(db, suggestion=care, kind="declined", now=now)
        shown(db, rule="complement", channel="web", sku="TP-SOK-002", customer_id=b, at=now)
        # a's order two days later holds the socks: same product and anything
        order(db, "S-1", a, now + dt.timedelta(days=2), "TP-SOK-001", "TP-RUN-001")
        # b's order after ten days is outside the 7-day window
        order(db, "S-2", b, now + dt.timedelta(days=10), "TP-CARE-002")
        db.add(
            OrderAddition(
                order_id=db.scalars(select(Order.id).where(Order.order_number == "S-1")).one(),
                customer_id=a,
                suggestion_id=socks.id,
                product_id=socks.product_id,
                unit_price_cents=1495,
                flow="shop_confirms",
                status="confirmed",
                conversation_id="web:x",
                channel="web",
            )
        )
        db.commit()

        rows = {(r.rule, r.channel): r for r in figures(db, attribution_days=7)}
        web = rows[("complement", "web")]
        assert (web.shown, web.clicked, web.accepted, web.declined) == (2, 1, 1, 0)
        assert web.conversion == 0.5 and web.added_cents == 1495
        sock_price = db.scalars(
            select(Product.price_cents).where(Product.sku == "TP-SOK-001")
        ).one()
        shoe_price = db.scalars(
            select(Product.price_cents).where(Product.sku == "TP-RUN-001")
        ).one()
        assert (web.orders_same, web.revenue_same_cents) == (1, sock_price)
        assert (web.orders_any, web.revenue_any_cents) == (1, sock_price + shoe_price)
        whatsapp = rows[("care", "whatsapp")]
        assert (whatsapp.shown, whatsapp.declined, whatsapp.orders_any) == (1, 1, 0)
        assert {r.orders_any for r in figures(db, attribution_days=14)} >= {1}
        lines = table_lines(list(rows.values()), attribution_days=7)
        assert lines[0].split()[:3] == ["rule", "channel", "shown"]
        assert "50.0%" in lines[3] and lines[-2].startswith("total")
    engine.dispose()

    import os

    os.environ["DATABASE_URL"] = sqlite_demo_url
    try:
        assert main(["report", "suggestions"]) == 0
    finally:
        del os.environ["DATABASE_URL"]
    printed = capsys.readouterr().out
    assert "complement   web" in printed and "care         whatsapp" in printed

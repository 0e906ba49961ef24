"""Settling a same-parcel addition: the line joins the order, the confirmation is queued once
(service message, to the conversation it was asked in), a second answer is refused, and the
report counts it as added revenue."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions import common
from actions.order_additions import ActionAnnounceOrderAddition
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import OutboxMessage
from bot.store.models import Order, Product, utcnow
from bot.store.suggestion_models import OrderAddition, Suggestion
from bot.suggestions import record
from bot.suggestions.config import SuggestionConfig
from bot.suggestions.orders import add_to_order
from bot.suggestions.report import figures
from bot.suggestions.settlement import SettleError, settle_addition
from tests.helpers.sales import conversation

ANA = "whatsapp:+31668024913"  # C1022, order 10477 paid, not shipped, English
PAYMENT = SuggestionConfig(
    add_to_order_flow="payment_link", payment_url="https://shop.example/pay/{token}"
)
SHOP = dataclasses.replace(PAYMENT, add_to_order_flow="shop_confirms", payment_url="")


@pytest.fixture
def db(sqlite_demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    monkeypatch.setenv("DATABASE_URL", sqlite_demo_url)
    common._store.cache_clear()
    engine = make_engine(sqlite_demo_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()
    common._store.cache_clear()


def accepted(db: Session, config: SuggestionConfig, *, conversation_id: str = ANA) -> int:
    order = db.scalars(select(Order).where(Order.order_number == "10477")).one()
    product = db.scalars(select(Product).where(Product.sku == "TP-WET-004")).one()
    suggestion = Suggestion(
        conversation_id=conversation_id,
        customer_id=order.customer_id,
        channel=conversation_id.split(":", 1)[0] if ":" in conversation_id else "rest",
        language="en",
        rule="complement",
        product_id=product.id,
        order_id=order.id,
        score="1",
        context={"order": "10477"},
        shown_at=utcnow(),
    )
    db.add(suggestion)
    db.flush()
    record.event(db, suggestion=suggestion, kind="shown", now=utcnow())
    record.event(db, suggestion=suggestion, kind="accepted", now=utcnow())
    added = add_to_order(db, suggestion=suggestion, config=config, now=utcnow())
    db.commit()
    return int(added.addition.id)


def lines_of(db: Session) -> list[tuple[int, int]]:
    db.expire_all()
    order = db.scalars(select(Order).where(Order.order_number == "10477")).one()
    return [(line.line_no, line.unit_price_cents) for line in order.lines]


def test_paid_adds_the_line_and_queues_one_confirmation(db: Session) -> None:
    addition_id = accepted(db, PAYMENT)
    before = lines_of(db)
    settled = settle_addition(db, addition_id=addition_id, status="paid", now=utcnow())
    db.commit()
    assert settled.changed and settled.order_line == len(before) + 1
    addition = db.get(OrderAddition, addition_id)
    assert addition is not None and addition.status == "paid" and addition.settled_at
    assert lines_of(db) == [*before, (len(before) + 1, addition.unit_price_cents)]
    (message,) = db.scalars(select(OutboxMessage)).all()
    assert (message.intent, message.purpose, message.conversation_id) == (
        "EXTERNAL_order_addition_settled",
        "service",
        ANA,
    )
    assert message.entities == {"addition_id": str(addition_id)}

    again = settle_addition(db, addition_id=addition_id, status="paid", now=utcnow())
    db.commit()
    assert not again.changed  # a retried webhook: no second line, no second message
    assert len(lines_of(db)) == len(before) + 1
    assert len(db.scalars(select(OutboxMessage)).all()) == 1
    with pytest.raises(SettleError) as refused:
        settle_addition(db, addition_id=addition_id, status="refused", now=utcnow())
    assert refused.value.code == 409


def test_the_flow_decides_which_answers_fit(db: Session) -> None:
    shop_request = accepted(db, SHOP)
    with pytest.raises(SettleError, match="awaiting_shop"):
        settle_addition(db, addition_id=shop_request, status="paid", now=utcnow())
    with pytest.raises(SettleError) as unknown:
        settle_addition(db, addition_id=999_999, status="paid", now=utcnow())
    assert unknown.value.code == 404
    with pytest.raises(SettleError):
        settle_addition(db, addition_id=shop_request, status="shipped", now=utcnow())
    assert settle_addition(db, addition_id=shop_request, status="confirmed", now=utcnow()).changed


def test_refused_adds_nothing_and_still_tells_the_customer(db: Session) -> None:
    addition_id = accepted(db, SHOP)
    before = lines_of(db)
    settled = settle_addition(db, addition_id=addition_id, status="refused", now=utcnow())
    db.commit()
    assert settled.order_line is None and lines_of(db) == before
    assert db.scalars(select(OutboxMessage.intent)).all() == ["EXTERNAL_order_addition_settled"]


def test_a_rest_conversation_is_reached_through_the_customers_channels(db: Session) -> None:
    addition_id = accepted(db, SHOP, conversation_id="web-sales-test")
    settle_addition(db, addition_id=addition_id, status="confirmed", now=utcnow())
    db.commit()
    message = db.scalars(select(OutboxMessage)).one()
    assert message.conversation_id is None and message.customer_id is not None


def test_the_report_counts_settled_additions_as_revenue(db: Session) -> None:
    paid = accepted(db, PAYMENT)
    waiting = accepted(db, PAYMENT)
    settle_addition(db, addition_id=paid, status="paid", now=utcnow())
    db.commit()
    (row,) = figures(db, attribution_days=7)
    amount = db.get(OrderAddition, paid).unit_price_cents  # type: ignore[union-attr]
    assert (row.accepted, row.added_cents) == (2, amount)
    assert db.get(OrderAddition, waiting).status == "awaiting_payment"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("status", "config", "expected"),
    [
        ("paid", PAYMENT, "Your payment is in."),
        ("confirmed", SHOP, "Done! "),
        ("refused", SHOP, "Sorry, "),
    ],
)
async def test_the_customer_hears_it_in_their_language_only_in_their_conversation(
    db: Session, status: str, config: SuggestionConfig, expected: str
) -> None:
    addition_id = accepted(db, config)
    settle_addition(db, addition_id=addition_id, status=status, now=utcnow())
    db.commit()
    entities = [{"entity": "addition_id", "value": str(addition_id)}]
    external = conversation(
        ANA,
        intent="EXTERNAL_order_addition_settled",
        metadata={"is_external": True},
        entities=entities,
    )
    said = CollectingDispatcher()
    await ActionAnnounceOrderAddition().run(said, external, {})
    (message,) = said.messages
    assert message["text"].startswith(expected) and "10477" in message["text"]

    for sender, metadata in (("web:someone-else", {"is_external": True}), (ANA, {})):
        typed = conversation(
            sender,
            intent="EXTERNAL_order_addition_settled",
            metadata=metadata,
            entities=entities,
        )
        nobody = CollectingDispatcher()
        await ActionAnnounceOrderAddition().run(nobody, typed, {})
        assert nobody.messages == []


async def test_a_retried_trigger_says_nothing_the_second_time(db: Session) -> None:
    """The outbox triggers again when a worker died after Rasa answered: one confirmation."""
    addition_id = accepted(db, PAYMENT)
    settle_addition(db, addition_id=addition_id, status="paid", now=utcnow())
    db.commit()
    entities = [{"entity": "addition_id", "value": str(addition_id)}]

    def trigger(sender: str) -> Tracker:
        return conversation(
            sender,
            intent="EXTERNAL_order_addition_settled",
            metadata={"is_external": True},
            entities=entities,
        )

    stranger = CollectingDispatcher()
    await ActionAnnounceOrderAddition().run(stranger, trigger("web:someone-else"), {})
    assert stranger.messages == []  # a refused attempt does not use up the announcement

    first, again = CollectingDispatcher(), CollectingDispatcher()
    await ActionAnnounceOrderAddition().run(first, trigger(ANA), {})
    await ActionAnnounceOrderAddition().run(again, trigger(ANA), {})
    assert len(first.messages) == 1 and again.messages == []
    db.expire_all()
    assert db.get(OrderAddition, addition_id).announced_at is not None  # type: ignore[union-attr]

"""One suggestion where a service act ends well, without the customer's thanks (#14), in both
languages on the demo shop: the acts themselves run, and the store records every suggestion
and every suppression with its reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.delivery import ActionChangeDelivery
from actions.orders import ActionPerformOrderAct
from actions.products import answer_product_question
from actions.returns import ActionCreateReturn
from actions.suggestions import ActionAnswerSuggestion, ActionThank
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Customer
from bot.store.suggestion_models import Suggestion, SuggestionEvent, SuggestionSuppression
from bot.suggestions import config as config_module
from tests.helpers.sales import action, conversation, slots_of, user
from tests.helpers.trackers import entity, texts

CARDS = "product_cards"


@pytest.fixture
def db(store: str) -> Iterator[Session]:
    config_module.suggestion_config.cache_clear()
    engine = make_engine(store)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def customer(db: Session, ref: str) -> int:
    return int(db.scalars(select(Customer.id).where(Customer.customer_ref == ref)).one())


def act(sender: str, language: str, number: str, before: list | None = None, **slots: Any):  # type: ignore[no-untyped-def]
    """The turn an order act ends in: the order verified, the act's slots filled."""
    return conversation(
        sender,
        intent="inform",
        text=number,
        before=before,
        slots={"language": language, "order_number": number, "verified_orders": [number], **slots},
    )


async def run(action_class: Any, tracker: Any) -> tuple[CollectingDispatcher, list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action_class().run(dispatcher, tracker, {})
    return dispatcher, events


def cards(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    return [
        card
        for m in dispatcher.messages
        if (m.get("custom") or {}).get("type") == CARDS
        for card in m["custom"]["cards"]
    ]


def reasons(db: Session, sender: str) -> list[str]:
    db.expire_all()
    return list(
        db.scalars(
            select(SuggestionSuppression.reason)
            .where(SuggestionSuppression.conversation_id == sender)
            .order_by(SuggestionSuppression.id)
        )
    )


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_confirmed_delivery_change_ends_with_one_suggestion(
    db: Session, language: str
) -> None:
    sender = f"web:moved-{language}"
    wanted = dt.date.today() + dt.timedelta(days=3)
    tracker = act(
        sender,
        language,
        "10476",
        delivery_change_type="date",
        delivery_change_value=wanted.isoformat(),
    )
    dispatcher, events = await run(ActionChangeDelivery, tracker)
    said = texts(dispatcher)
    assert said[0].startswith("Geregeld!" if language == "nl" else "Done!")
    # Willem's Bergpas Ridge 5 in size 45 (order 10476, not shipped): the socks in his size
    (card,) = cards(dispatcher)
    assert card["sku"] == "TP-SOK-003" and card["size"] == "43-46" and card["in_stock"]
    assert said[-1] == (
        "Zal ik het bij dezelfde zending doen? Dan komt het mee met bestelling 10476."
        if language == "nl"
        else "Shall I add it to the same parcel? Then it comes with order 10476."
    )
    slots = slots_of(events)
    assert slots["suggestion_step"] == "offered" and slots["order_step"] == "done"
    db.expire_all()
    (shown,) = db.scalars(select(Suggestion)).all()
    assert (shown.conversation_id, shown.rule, shown.status) == (sender, "complement", "shown")

    # "ja" right after it answers this offer (the act was the bot's last question)
    yes = conversation(
        sender,
        intent="affirm",
        text="ja graag",
        before=[user("inform"), action("action_change_delivery")],
        slots={
            "language": language,
            "suggestion": slots["suggestion"],
            "suggestion_step": "offered",
        },
    )
    dispatcher, _ = await run(ActionAnswerSuggestion, yes)
    assert "10476" in texts(dispatcher)[0] and "bijbetalen/" in texts(dispatcher)[0]
    db.expire_all()
    assert db.scalars(select(SuggestionEvent.kind).order_by(SuggestionEvent.id)).all() == [
        "shown",
        "accepted",
    ]

    # …and the thanks after it brings no second one
    thanks = conversation(
        sender,
        intent="thank",
        before=[user("inform"), action("action_change_delivery")],
        slots={"language": language},
    )
    dispatcher, _ = await run(ActionThank, thanks)
    assert len(dispatcher.messages) == 1
    assert reasons(db, sender) == ["already_suggested"]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_good_order_news_ends_with_a_suggestion(db: Session, language: str) -> None:
    sender = f"web:status-{language}"
    dispatcher, events = await run(
        ActionPerformOrderAct, act(sender, language, "10477", pending_act="status")
    )
    said = texts(dispatcher)
    assert "10477" in said[0]
    assert cards(dispatcher) and slots_of(events)["suggestion_step"] == "offered"
    assert ("dezelfde zending" if language == "nl" else "same parcel") in said[-1]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_late_order_is_bad_news_and_gets_no_offer(db: Session, language: str) -> None:
    sender = f"web:late-{language}"
    dispatcher, events = await run(
        ActionPerformOrderAct,
        act(sender, language, "10452", pending_act="status", customer_id=customer(db, "C1001")),
    )
    assert ("later dan beloofd" if language == "nl" else "running late") in texts(dispatcher)[0]
    assert not cards(dispatcher) and "suggestion_step" not in slots_of(events)
    # the open delay on Sanne's order is named first; the bad news itself is the same turn
    assert reasons(db, sender)[0] in ("delay_open", "bad_news")


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_refused_delivery_change_is_bad_news(db: Session, language: str) -> None:
    sender = f"web:refused-{language}"
    dispatcher, _ = await run(
        ActionPerformOrderAct, act(sender, language, "10447", pending_act="change_delivery")
    )
    assert not cards(dispatcher)
    assert reasons(db, sender) == ["bad_news"]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_good_refund_news_ends_with_a_suggestion(db: Session, language: str) -> None:
    # Lotte's refund for 10445 was paid; she is logged in, so what she owns counts: care for it
    sender = f"web:refund-{language}"
    dispatcher, events = await run(
        ActionPerformOrderAct,
        act(sender, language, "10445", pending_act="refund", customer_id=customer(db, "C1005")),
    )
    assert "10445" in texts(dispatcher)[0]
    assert cards(dispatcher) and slots_of(events)["suggestion_step"] == "offered"
    assert texts(dispatcher)[-1] == ("Iets voor jou?" if language == "nl" else "Interested?")


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_return_holds_back_now_and_after_the_thanks(db: Session, language: str) -> None:
    sender = f"web:return-{language}"
    reason = "past niet" if language == "nl" else "doesn't fit"
    dispatcher, events = await run(
        ActionCreateReturn,
        act(sender, language, "10447", return_reason=reason, customer_id=customer(db, "C1001")),
    )
    assert "RT-" in texts(dispatcher)[0] and len(dispatcher.messages) == 1
    assert "suggestion_step" not in slots_of(events)
    thanks = conversation(
        sender,
        intent="thank",
        before=[user("inform"), action("action_create_return")],
        slots={"language": language, "verified_orders": ["10447"]},
    )
    dispatcher, events = await run(ActionThank, thanks)
    assert len(dispatcher.messages) == 1 and events == []
    assert reasons(db, sender) == ["return_open", "return_open"]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_an_open_complaint_suppresses_the_act_end(db: Session, language: str) -> None:
    sender = f"web:complaint-{language}"
    before = [user("complaint", "dit is echt slecht")]
    dispatcher, _ = await run(
        ActionPerformOrderAct, act(sender, language, "10477", before, pending_act="status")
    )
    assert not cards(dispatcher)
    assert reasons(db, sender) == ["complaint_open"]


@pytest.mark.parametrize(
    ("language", "text", "intro"),
    [
        ("nl", "is de Bergpas Ridge 5 er in maat 43?", "Misschien handig bij je Bergpas Ridge 5"),
        ("en", "is the Bergpas Ridge 5 in stock in size 43?", "go well with your Bergpas Ridge 5"),
    ],
)
async def test_in_stock_in_my_size_ends_with_a_complement(
    db: Session, language: str, text: str, intro: str
) -> None:
    tracker = conversation(
        f"web:size-{language}",
        intent="product_question",
        text=text,
        slots={"language": language},
        catalogue=[entity("product", "TP-TRL-002", "0"), entity("size", "43")],
    )
    dispatcher = CollectingDispatcher()
    events = answer_product_question(dispatcher, tracker)
    said = texts(dispatcher)
    assert ("op voorraad" if language == "nl" else "in stock") in said[0]
    assert intro in said[1] and cards(dispatcher)
    assert said[-1] == ("Iets voor jou?" if language == "nl" else "Interested?")
    assert slots_of(events)["suggestion_step"] == "offered"


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_price_alone_is_still_choosing(db: Session, language: str) -> None:
    tracker = conversation(
        f"web:price-{language}",
        intent="product_question",
        text="wat kost de Bergpas Ridge 5?",
        slots={"language": language},
        catalogue=[entity("product", "TP-TRL-002", "0"), entity("product_aspect", "price")],
    )
    dispatcher = CollectingDispatcher()
    events = answer_product_question(dispatcher, tracker)
    assert len(dispatcher.messages) == 1 and "suggestion_step" not in slots_of(events)
    db.expire_all()
    assert db.scalars(select(Suggestion)).all() == []

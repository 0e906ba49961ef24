"""Proactive lifecycle offers: only to customers with marketing consent, once a month, never
during a "no thanks" cool-down; said by the bot only to that customer."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import common
from actions.lifecycle_offer import ActionAnnounceLifecycleOffer
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import OutboxMessage
from bot.store.models import Consent, Customer, utcnow
from bot.store.suggestion_models import Suggestion, SuggestionCooldown
from bot.suggestions.config import parse_config
from bot.suggestions.proactive import queue_lifecycle_offers
from tests.helpers.sales import conversation, slots_of

CONFIG = parse_config({"min_rating": 4.0})


def test_only_customers_with_marketing_consent_get_one(sqlite_demo_url: str) -> None:
    engine = make_engine(sqlite_demo_url)
    now = utcnow()
    with make_session_factory(engine)() as db:
        consenting = set(
            db.scalars(
                select(Consent.customer_id).where(
                    Consent.purpose == "marketing", Consent.granted.is_(True)
                )
            )
        )
        queued = queue_lifecycle_offers(db, now=now, config=CONFIG)
        assert queued >= 1
        rows = db.scalars(select(OutboxMessage)).all()
        assert {r.customer_id for r in rows} <= consenting
        assert {(r.intent, r.purpose) for r in rows} == {("EXTERNAL_lifecycle_offer", "marketing")}
        assert queue_lifecycle_offers(db, now=now, config=CONFIG) == 0  # once a month
        first = rows[0]
        db.add(
            SuggestionCooldown(
                customer_id=first.customer_id,
                conversation_id="web:x",
                until=now + dt.timedelta(days=60),
                created_at=now,
            )
        )
        db.flush()
        next_month = now + dt.timedelta(days=31)
        assert queue_lifecycle_offers(db, now=next_month, config=CONFIG) >= 0
        fresh = db.scalars(select(OutboxMessage).where(OutboxMessage.created_at == next_month))
        assert first.customer_id not in {r.customer_id for r in fresh}
    engine.dispose()


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_offer_is_said_to_its_customer_with_a_yes_no(
    sqlite_demo_url: str, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_demo_url)
    common._store.cache_clear()
    engine = make_engine(sqlite_demo_url)
    with make_session_factory(engine)() as db:
        priya = db.scalars(select(Customer).where(Customer.customer_ref == "C1009")).one()
        priya.language = language
        phone = priya.phone
        db.commit()
    tracker = conversation(
        f"whatsapp:{phone}",
        intent="EXTERNAL_lifecycle_offer",
        metadata={"is_external": True},
        entities=[{"entity": "product", "value": "TP-SOK-002"}],
    )
    tracker.events[-1]["input_channel"] = None  # a first proactive message
    dispatcher = CollectingDispatcher()
    events = await ActionAnnounceLifecycleOffer().run(dispatcher, tracker, {})
    offer, question = dispatcher.messages
    assert offer["custom"]["cards"][0]["sku"] == "TP-SOK-002"
    assert ("gaat zo'n 9 maanden mee" if language == "nl" else "lasts about 9 months") in (
        offer["text"]
    )
    assert question["text"] == ("Iets voor jou?" if language == "nl" else "Interested?")
    assert slots_of(events)["suggestion_step"] == "offered"
    with make_session_factory(engine)() as db:
        assert db.scalars(select(Suggestion.rule)).all() == ["lifecycle"]
    typed = conversation(
        f"whatsapp:{phone}",
        intent="EXTERNAL_lifecycle_offer",
        entities=[{"entity": "product", "value": "TP-SOK-002"}],
    )
    nothing = CollectingDispatcher()
    assert await ActionAnnounceLifecycleOffer().run(nothing, typed, {}) == []
    assert nothing.messages == []
    engine.dispose()
    common._store.cache_clear()

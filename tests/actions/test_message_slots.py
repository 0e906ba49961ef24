"""action_message_slots: the language, the customer and the open suggestion in one call."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from actions.message_slots import ActionMessageSlots
from bot.store.models import Customer
from tests.helpers.handoff import WEB, db, identity_for
from tests.helpers.sales import action, conversation, slots_of, user

ASKED = [user("thank", "bedankt!"), action("action_thank")]  # the offer was the last question
MOVED_ON = [*ASKED, user("faq", "openingstijden?"), action("utter_faq")]


async def read(tracker: object) -> dict[str, object]:
    events = await ActionMessageSlots().run(CollectingDispatcher(), tracker, {})  # type: ignore[arg-type]
    return slots_of(events)


async def test_one_call_follows_language_customer_and_a_stale_offer(store: str) -> None:
    customer_id = identity_for(store, WEB, "C1001")
    tracker = conversation(
        WEB,
        intent="affirm",
        text="yes",
        before=MOVED_ON,
        slots={"language": "nl", "suggestion": 1.0, "suggestion_step": "offered"},
    )
    tracker.latest_message["language"] = "en"
    slots = await read(tracker)
    assert slots["language"] == "en"
    assert slots["customer_id"] == float(customer_id)
    assert slots["customer_name"]
    assert slots["suggestion_step"] is None  # the offer was not the last question
    with db(store) as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None and customer.language == "en"


async def test_an_offer_just_made_stays_open_and_nothing_else_changes(store: str) -> None:
    tracker = conversation(
        "rest:someone",
        intent="affirm",
        text="ja",
        before=ASKED,
        slots={"language": "nl", "suggestion": 1.0, "suggestion_step": "offered"},
    )
    tracker.latest_message["language"] = "nl"
    assert await read(tracker) == {}


async def test_without_the_store_language_and_offer_are_still_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/missing/dir/store.db")
    common._store.cache_clear()
    try:
        tracker = conversation(
            WEB,
            intent="affirm",
            text="yes",
            before=MOVED_ON,
            slots={"language": "nl", "suggestion": 1.0, "suggestion_step": "offered"},
        )
        tracker.latest_message["language"] = "en"
        assert await read(tracker) == {"language": "en", "suggestion_step": None}
    finally:
        common._store.cache_clear()

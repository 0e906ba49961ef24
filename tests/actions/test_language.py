"""One language fact: the detector's language goes to the slot and to Customer.language."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import follow_language
from actions.session import ActionSessionStart
from bot.handoff import queue
from bot.store.models import Customer
from tests.helpers.handoff import WEB, WHATSAPP, db, identity_for, on_channel
from tests.helpers.trackers import make_tracker


def stored_language(url: str, customer_id: int) -> str:
    with db(url) as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        return str(customer.language)


async def detect(tracker: Tracker, dispatcher: CollectingDispatcher) -> list[EventType]:
    """The language part of action_message_slots (tests/actions/test_message_slots.py)."""
    return follow_language(tracker)


async def test_an_anonymous_customer_who_writes_english_is_english(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    customer_id = identity_for(store, WHATSAPP)
    assert stored_language(store, customer_id) == "nl"
    tracker = on_channel(WHATSAPP, text="where is my parcel?", intent="order_status")
    tracker.latest_message["language"] = "en"
    assert await detect(tracker, dispatcher) == [SlotSet("language", "en")]
    assert stored_language(store, customer_id) == "en"

    # back to Dutch: the store follows; an unclear message ("ok") changes nothing
    tracker = on_channel(WHATSAPP, text="ok", slots={"language": "en"})
    tracker.latest_message["language"] = None
    assert await detect(tracker, dispatcher) == []
    assert stored_language(store, customer_id) == "en"
    tracker = on_channel(WHATSAPP, text="waar blijft mijn pakket?", slots={"language": "en"})
    tracker.latest_message["language"] = "nl"
    assert await detect(tracker, dispatcher) == [SlotSet("language", "nl")]
    assert stored_language(store, customer_id) == "nl"


async def test_a_verified_customer_keeps_one_language_across_channels(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    on_web = identity_for(store, WEB, "C1001")
    on_whatsapp = identity_for(store, WHATSAPP, "C1001")
    assert on_web == on_whatsapp
    tracker = on_channel(WEB, text="thanks, that's all", slots={"language": "en"})
    tracker.latest_message["language"] = "en"
    assert await detect(tracker, dispatcher) == []  # the slot already says so
    assert stored_language(store, on_web) == "en"


async def test_a_sender_that_is_not_its_channel_changes_no_customer(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """A REST caller naming itself `whatsapp:+316…` cannot set that customer's language."""
    customer_id = identity_for(store, WHATSAPP)
    tracker = make_tracker(text="hello there")
    tracker.sender_id = WHATSAPP  # but the message came in over REST
    tracker.latest_message["language"] = "en"
    assert await detect(tracker, dispatcher) == [SlotSet("language", "en")]
    assert stored_language(store, customer_id) == "nl"


async def test_a_new_session_starts_in_the_stored_language(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    customer_id = identity_for(store, WHATSAPP)
    tracker = on_channel(WHATSAPP, text="hello, where is my order?")
    tracker.latest_message["language"] = "en"
    await detect(tracker, dispatcher)
    assert stored_language(store, customer_id) == "en"

    events = await ActionSessionStart().run(dispatcher, on_channel(WHATSAPP, text="hi"), {})
    assert SlotSet("language", "en") in events
    dutch = identity_for(store, "whatsapp:+31600000000")
    assert stored_language(store, dutch) == "nl"
    events = await ActionSessionStart().run(
        dispatcher, on_channel("whatsapp:+31600000000", text="hoi"), {}
    )
    assert not [e for e in events if e.get("name") == "language"]


async def test_an_open_handoff_follows_the_customers_language(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """The console offers canned responses in the handoff's language: it must stay current."""
    customer_id = identity_for(store, WEB)
    with db(store) as session, session.begin():
        queue.request(
            session,
            conversation_id=WEB,
            customer_id=customer_id,
            channel="web",
            language="nl",
            reason="explicit",
        )
    tracker = on_channel(WEB, text="sorry, can you answer in English?")
    tracker.latest_message["language"] = "en"
    await detect(tracker, dispatcher)
    with db(store) as session:
        handoff = queue.open_handoff(session, WEB)
        assert handoff is not None and handoff.language == "en"

"""Handing off: queued for a colleague in opening hours, cancelling the wait, every way to a
person (misses, failed verification, damage, complaints), and the contact details for
conversations without a channel identity (REST, shell)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionFallback
from actions.handoff import (
    ActionCancelHandoff,
    ActionCheckDamage,
    ActionHandoff,
    frustrated,
    mentions_damage,
)
from actions.orders import ActionPerformOrderAct
from bot.handoff import queue
from tests.helpers.handoff import (
    WEB,
    WHATSAPP,
    agent_online,
    ask_for_a_person,
    db,
    followup,
    handoffs,
    identity_for,
    on_channel,
    slot,
    user,
)
from tests.helpers.trackers import make_tracker, plain, texts

# In opening hours, with a colleague online


async def test_in_hours_with_an_agent_online_the_customer_is_queued(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    customer_id = identity_for(store, WEB, "C1001")
    events = await ask_for_a_person(
        dispatcher,
        slots={"order_number": "10452", "verified_orders": ["10452"], "customer_name": "Sanne"},
        events=[user("waar is bestelling 10452", "order_status", 0.97)],
    )
    (text,) = texts(dispatcher)
    assert text.startswith("Ik zet je door naar een collega van de klantenservice.")
    assert "ongeveer 4 minuten" in text and "'laat maar'" in text
    assert slot(events, "handoff_status") == "waiting"
    assert followup(events) == "action_listen"
    (handoff,) = handoffs(store)
    assert (handoff.status, handoff.reason, handoff.channel) == ("waiting", "explicit", "web")
    assert handoff.customer_id == customer_id and handoff.language == "nl"
    assert handoff.summary["last_message"] == "ik wil een medewerker spreken"
    assert [i["name"] for i in handoff.summary["intents"]] == ["human_handoff", "order_status"]
    assert handoff.summary["intents"][1]["confidence"] == 0.97
    assert handoff.summary["slots"] == {
        "language": "nl",
        "customer_name": "Sanne",
        "order_number": "10452",
        "verified_orders": ["10452"],
    }


async def test_queued_in_english_and_asked_twice_is_queued_once(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WHATSAPP)
    await ask_for_a_person(dispatcher, sender=WHATSAPP, language="en")
    assert texts(dispatcher)[0].startswith("I'm passing you on to a colleague")
    again = CollectingDispatcher()
    await ask_for_a_person(again, sender=WHATSAPP, language="en")
    assert "already in the queue" in texts(again)[0]
    (handoff,) = handoffs(store, WHATSAPP)
    assert handoff.channel == "whatsapp" and handoff.language == "en"


async def test_a_message_while_an_agent_has_it_pauses_the_bot_again(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_id = agent_online(store)
    await ask_for_a_person(CollectingDispatcher())  # no identity yet: contact details only
    identity_for(store, WEB)
    await ask_for_a_person(CollectingDispatcher())
    with db(store) as session, session.begin():
        assert queue.claim(session, handoffs(store)[0].id, agent_id)
    events = await ask_for_a_person(dispatcher)
    assert "heeft je gesprek al" in texts(dispatcher)[0]
    assert {"event": "pause"} in plain(events)
    assert slot(events, "handoff_status") == "agent"


# Cancelling the wait


async def test_laat_maar_while_waiting_cancels_the_handoff(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    await ask_for_a_person(CollectingDispatcher())
    tracker = on_channel(
        WEB, text="laat maar, ik wacht niet", intent="stop", slots={"handoff_status": "waiting"}
    )
    events = await ActionCancelHandoff().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["Oké, ik haal je uit de wachtrij. Waarmee kan ik je nog helpen?"]
    assert slot(events, "handoff_status") is None
    (handoff,) = handoffs(store)
    assert handoff.status == "cancelled" and handoff.closed_at is not None


# The other ways to a colleague


async def test_two_misses_in_a_row_hand_off(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    tracker = on_channel(
        WEB,
        text="blorp zing wafel",
        intent="nlu_fallback",
        events=[user("xkcd qwop", "nlu_fallback", 0.1)],
    )
    events = await ActionFallback().run(dispatcher, tracker, {})
    assert texts(dispatcher)[0] == "Het lukt me niet goed om je te helpen, sorry."
    assert texts(dispatcher)[1].startswith("Ik zet je door")
    assert slot(events, "handoff_status") == "waiting"
    (handoff,) = handoffs(store)
    assert handoff.reason == "fallback"


async def test_two_misses_inside_a_form_end_the_form(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("closed")
    identity_for(store, WEB)
    tracker = on_channel(
        WEB,
        text="blorp zing wafel",
        intent="nlu_fallback",
        events=[user("xkcd qwop", "nlu_fallback", 0.1)],
        active_loop="verify_order_form",
        slots={"pending_act": "status", "order_step": "verify"},
    )
    events = plain(await ActionFallback().run(dispatcher, tracker, {}))
    assert {"event": "active_loop", "name": None} in events
    assert slot(events, "order_step") == "done" and slot(events, "pending_act") is None
    assert followup(events) == "leave_message_form"


async def test_one_miss_only_asks_to_rephrase(store: str, dispatcher: CollectingDispatcher) -> None:
    identity_for(store, WEB)
    tracker = on_channel(WEB, text="blorp zing wafel", intent="nlu_fallback")
    await ActionFallback().run(dispatcher, tracker, {})
    assert texts(dispatcher)[0].startswith("Sorry, dat begreep ik niet helemaal")
    assert handoffs(store) == []


async def test_third_failed_verification_hands_off(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    tracker = on_channel(
        WEB,
        text="1234 AB",
        intent="inform",
        slots={"order_number": None, "verification_failures": 3, "pending_act": "status"},
    )
    events = await ActionPerformOrderAct().run(dispatcher, tracker, {})
    lock, handoff_text = texts(dispatcher)
    assert "stop ik nu met vragen" in lock and "030" not in lock
    assert handoff_text.startswith("Ik zet je door")
    assert slot(events, "order_step") == "done" and slot(events, "handoff_status") == "waiting"
    (handoff,) = handoffs(store)
    assert handoff.reason == "verification" and handoff.priority == 2


async def test_a_damaged_item_goes_straight_to_a_colleague(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    tracker = on_channel(WEB, text="mijn tent is kapot aangekomen", intent="complaint")
    await ActionHandoff().run(dispatcher, tracker, {})
    assert texts(dispatcher)[0].startswith("Wat vervelend dat er iets beschadigd is.")
    (handoff,) = handoffs(store)
    assert (handoff.reason, handoff.priority) == ("act", 1)


async def test_a_damaged_return_is_handed_off_after_the_return(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    tracker = on_channel(
        WEB,
        text="beschadigd",
        intent="inform",
        events=[{"event": "slot", "name": "return_reason", "value": "beschadigd"}],
        slots={"return_reason": None, "order_step": "done"},
    )
    events = await ActionCheckDamage().run(dispatcher, tracker, {})
    assert slot(events, "handoff_status") == "waiting"
    assert handoffs(store)[0].reason == "act"
    said = " ".join(texts(dispatcher))
    assert "collega" in said and "Wat vervelend" not in said  # the return already said sorry


async def test_an_ordinary_return_is_not_handed_off(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    identity_for(store, WEB)
    tracker = on_channel(
        WEB,
        text="past niet",
        events=[{"event": "slot", "name": "return_reason", "value": "past niet"}],
    )
    assert await ActionCheckDamage().run(dispatcher, tracker, {}) == []
    assert dispatcher.messages == [] and handoffs(store) == []


async def test_a_calm_first_complaint_gets_an_offer_first(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    tracker = on_channel(WEB, text="de bezorger was erg onvriendelijk", intent="complaint")
    events = await ActionHandoff().run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["text"].startswith("Wat vervelend dat dit niet goed ging")
    assert [b["payload"] for b in message["buttons"]] == [
        "ik wil een medewerker spreken",
        "nee, hoeft niet",
    ]
    assert slot(events, "handoff_status") == "offered"
    assert handoffs(store) == []


OFFERED = [
    user("de bezorger was erg onvriendelijk", "complaint"),
    {"event": "action", "name": "action_handoff"},
    {"event": "slot", "name": "handoff_status", "value": "offered"},
    {"event": "action", "name": "action_listen"},
]


@pytest.mark.parametrize(
    ("text", "intent"), [("ja graag", "affirm"), ("ik wil een medewerker spreken", "human_handoff")]
)
async def test_yes_to_the_offer_hands_off_as_a_complaint(
    store: str, hours: Callable[..., None], text: str, intent: str
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    yes = on_channel(
        WEB, text=text, intent=intent, events=OFFERED, slots={"handoff_status": "offered"}
    )
    events = await ActionHandoff().run(CollectingDispatcher(), yes, {})
    assert slot(events, "handoff_status") == "waiting"
    (handoff,) = handoffs(store)
    assert (handoff.reason, handoff.priority) == ("complaint", 1)


async def test_a_later_request_after_declining_is_explicit(
    store: str, hours: Callable[..., None]
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    later = on_channel(
        WEB,
        text="toch maar een medewerker",
        intent="human_handoff",
        events=[
            *OFFERED,
            user("nee, hoeft niet", "deny"),
            {"event": "action", "name": "utter_ok"},
            {"event": "action", "name": "action_listen"},
        ],
        slots={"handoff_status": "offered"},
    )
    await ActionHandoff().run(CollectingDispatcher(), later, {})
    assert handoffs(store)[0].reason == "explicit"


@pytest.mark.parametrize(
    "text",
    [
        "dit is echt belachelijk, al drie keer gemaild en nog steeds niks",
        "Waar blijft mijn pakket nou!",
        "IK WACHT AL TWEE WEKEN OP MIJN BESTELLING",
        "this is absolutely ridiculous",
    ],
)
async def test_a_frustrated_complaint_is_handed_off_at_once(
    store: str, hours: Callable[..., None], text: str
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    await ActionHandoff().run(
        CollectingDispatcher(), on_channel(WEB, text=text, intent="complaint"), {}
    )
    assert handoffs(store)[0].reason == "complaint"


async def test_a_second_complaint_is_handed_off(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    tracker = on_channel(
        WEB,
        text="en de bon klopte ook niet",
        intent="complaint",
        events=[user("de bezorger was onvriendelijk", "complaint"), user("ok", "affirm")],
    )
    await ActionHandoff().run(dispatcher, tracker, {})
    assert texts(dispatcher)[0].startswith("Wat vervelend, dat spijt me echt.")
    assert handoffs(store)[0].reason == "complaint"


def test_what_counts_as_frustrated_or_damaged() -> None:
    assert not frustrated("de bezorger was erg onvriendelijk")
    assert not frustrated("mijn DHL pakket is te laat")
    assert frustrated("WAAROM DUURT DIT ZO LANG")
    assert mentions_damage("De tent arrived BROKEN") and mentions_damage("beschadigde verpakking")
    assert not mentions_damage("ik heb 2 stuks besteld")


# Conversations without a channel identity keep the contact details


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        ("human_handoff", "ik wil een mens spreken", "Je kunt onze klantenservice bereiken via"),
        ("complaint", "dit is echt belachelijk", "Wat vervelend, dat spijt me echt."),
        ("complaint", "mijn tent is kapot", "Wat vervelend, dat spijt me echt."),
    ],
)
async def test_rest_conversations_get_the_contact_details(
    store: str,
    hours: Callable[..., None],
    dispatcher: CollectingDispatcher,
    intent: str,
    text: str,
    expected: str,
) -> None:
    hours("always")
    agent_online(store)
    events = await ActionHandoff().run(dispatcher, make_tracker(text=text, intent=intent), {})
    (reply,) = texts(dispatcher)
    assert reply.startswith(expected) and "030 123 45 67" in reply
    assert slot(events, "handoff_status") is None
    assert handoffs(store, "test-customer") == []


async def test_rest_cannot_claim_a_channel_sender(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    tracker = on_channel(WEB, text="ik wil een mens spreken", intent="human_handoff")
    tracker.events[-1]["input_channel"] = "rest"
    await ActionHandoff().run(dispatcher, tracker, {})
    assert "030 123 45 67" in texts(dispatcher)[0]
    assert handoffs(store) == []


async def test_rest_fallback_and_lock_out_keep_todays_replies(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(
        text="blorp", intent="nlu_fallback", events=[user("qwop", "nlu_fallback", 0.1)]
    )
    await ActionFallback().run(dispatcher, tracker, {})
    locked = make_tracker(slots={"order_number": None, "verification_failures": 3})
    await ActionPerformOrderAct().run(dispatcher, locked, {})
    offer, lock = texts(dispatcher)
    assert offer.startswith("Het lukt me niet goed om je te helpen") and "030" in offer
    assert "stop ik nu met vragen" in lock and "030" in lock

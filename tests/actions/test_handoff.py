"""Human handoff: queued for a colleague in opening hours, a message for the team otherwise,
the contact details for conversations without a channel identity (REST, shell)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.conversation import ActionFallback
from actions.handoff import (
    ActionAskHandoffMessage,
    ActionCancelHandoff,
    ActionCheckDamage,
    ActionDeliverAgentMessages,
    ActionHandedBack,
    ActionHandoff,
    ActionHandoffTimeout,
    ActionLeaveMessage,
    ValidateLeaveMessageForm,
    frustrated,
    mentions_damage,
)
from actions.orders import ActionPerformOrderAct
from actions.session import ActionSessionStart
from bot import retailer as retailer_module
from bot.handoff import agents, queue
from bot.handoff import policy as policy_module
from bot.settings import PROJECT_ROOT
from bot.store import identities
from bot.store.db import make_engine, make_session_factory
from bot.store.models import AgentReply, Handoff, utcnow
from tests.helpers.trackers import make_tracker, plain, texts

WEB = "web:" + "ab12" * 8
WHATSAPP = "whatsapp:+31612345678"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def write_retailer(
    folder: Path, hours: dict[str, str], surveys: dict[str, int] | None = None
) -> Path:
    """The demo retailer file with other opening hours (and survey settings)."""
    data = yaml.safe_load((PROJECT_ROOT / "config" / "retailer.yml").read_text(encoding="utf-8"))
    data["handoff"] = {**data.get("handoff", {}), "opening_hours": hours, "holidays": []}
    if surveys:
        data["surveys"] = {**data.get("surveys", {}), **surveys}
    path = folder / "retailer.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def use_retailer(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("KLANTREIS_RETAILER_FILE", str(path))
    policy_module.policy.cache_clear()
    retailer_module.retailer.cache_clear()


@pytest.fixture
def hours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set the opening hours: hours("always"), hours("closed"), hours({"mon": "09:00-17:00"})."""

    def set_hours(value: str | dict[str, str], **surveys: int) -> None:
        table = value if isinstance(value, dict) else {day: value for day in WEEKDAYS}
        use_retailer(monkeypatch, write_retailer(tmp_path, table, surveys))

    yield set_hours
    policy_module.policy.cache_clear()
    retailer_module.retailer.cache_clear()


def db(url: str) -> Session:
    return make_session_factory(make_engine(url))()


def identity_for(url: str, sender: str, customer_ref: str | None = None) -> int:
    """The channel layer's work: a (maybe verified) customer behind this sender id."""
    channel, external_id = sender.split(":", 1)
    with db(url) as session, session.begin():
        identity = identities.resolve(session, channel, external_id)
        if customer_ref:
            customer = identities.customer_by_ref(session, customer_ref)
            assert customer is not None
            identities.link(session, identity, customer, "test")
        return identities.who(session, identity).customer_id


def agent_online(url: str, name: str = "Sanne Jansen", seen: bool = True) -> int:
    with db(url) as session, session.begin():
        agent = agents.create_agent(
            session,
            username=name.split()[0].lower() + str(utcnow().timestamp()).replace(".", ""),
            display_name=name,
            password="een lang wachtwoord",
        )
        agent.last_seen_at = utcnow() if seen else utcnow() - dt.timedelta(hours=2)
        session.flush()
        return int(agent.id)


def on_channel(sender: str, **kwargs: Any) -> Tracker:
    """A tracker of a conversation that came in on a real channel (`web:…`, `whatsapp:…`)."""
    tracker = make_tracker(**kwargs)
    tracker.sender_id = sender
    for event in tracker.events:
        if event.get("event") == "user":
            event["input_channel"] = sender.split(":", 1)[0]
    return tracker


def user(text: str, intent: str, confidence: float = 0.9) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": confidence}},
        "input_channel": "web",
    }


def handoffs(url: str, sender: str = WEB) -> list[Handoff]:
    with db(url) as session:
        found = session.scalars(
            select(Handoff).where(Handoff.conversation_id == sender).order_by(Handoff.id)
        ).all()
        session.expunge_all()
        return list(found)


def slot(events: list[dict[str, Any]], name: str) -> Any:
    values = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]
    return values[-1] if values else "<unset>"


def followup(events: list[dict[str, Any]]) -> str | None:
    names = [e["name"] for e in events if e.get("event") == "followup"]
    return names[-1] if names else None


async def ask_for_a_person(
    dispatcher: CollectingDispatcher, sender: str = WEB, language: str = "nl", **kwargs: Any
) -> list[dict[str, Any]]:
    tracker = on_channel(
        sender,
        text="ik wil een medewerker spreken" if language == "nl" else "can I talk to a person",
        intent="human_handoff",
        slots={"language": language, **kwargs.pop("slots", {})},
        **kwargs,
    )
    return await ActionHandoff().run(dispatcher, tracker, {})


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


# Nobody can take it now: a message for the team


async def test_in_hours_but_nobody_online_offers_to_leave_a_message(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store, seen=False)  # logged in two hours ago, not seen since
    identity_for(store, WEB)
    events = await ask_for_a_person(dispatcher)
    assert texts(dispatcher) == ["Er is op dit moment helaas geen collega beschikbaar."]
    assert slot(events, "handoff_status") == "leave_message"
    assert slot(events, "handoff_reason") == "explicit"
    assert followup(events) == "leave_message_form"
    assert handoffs(store) == []


async def test_out_of_hours_says_when_we_open_and_the_message_becomes_a_ticket(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    today = dt.datetime.now(dt.timezone.utc).astimezone(policy_module.policy().zone).date()
    opening_day = today + dt.timedelta(days=2)
    hours({WEEKDAYS[opening_day.weekday()]: "09:00-17:00"})
    agent_online(store)  # online, but out of hours nobody takes chats
    customer_id = identity_for(store, WEB, "C1001")
    events = await ask_for_a_person(dispatcher)
    (closed,) = texts(dispatcher)
    assert closed.startswith("Onze klantenservice is nu gesloten; we zijn er weer op ")
    assert closed.endswith(" om 09:00.") and opening_day.strftime("%-d") in closed
    assert followup(events) == "leave_message_form"

    ask = CollectingDispatcher()
    await ActionAskHandoffMessage().run(ask, on_channel(WEB), {})
    assert "hier in de webchat" in texts(ask)[0]
    assert ask.messages[0]["buttons"] == [{"title": "Geen bericht", "payload": "laat maar"}]

    message = "Mijn jas lekt bij de naden, bestelling 10447. Kunnen jullie bellen?"
    answer = on_channel(WEB, text=message, intent="complaint", active_loop="leave_message_form")
    validated = ValidateLeaveMessageForm().validate_handoff_message(
        message, CollectingDispatcher(), answer, {}
    )
    assert validated == {"handoff_message": message}

    done = CollectingDispatcher()
    submitted = on_channel(
        WEB,
        text=message,
        intent="complaint",
        slots={"handoff_message": message, "handoff_reason": "explicit"},
    )
    events = await ActionLeaveMessage().run(done, submitted, {})
    assert texts(done) == [
        "Dank je, je bericht staat klaar voor het team. We antwoorden je hier in de webchat."
    ]
    assert slot(events, "handoff_status") is None and slot(events, "handoff_message") is None
    (ticket,) = handoffs(store)
    assert (ticket.status, ticket.reason, ticket.message) == ("ticket", "explicit", message)
    assert ticket.customer_id == customer_id
    assert ticket.summary["last_message"] == message


async def test_closed_for_weeks_and_the_english_ticket_on_whatsapp(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("closed")
    identity_for(store, WHATSAPP)
    await ask_for_a_person(dispatcher, sender=WHATSAPP, language="en")
    assert texts(dispatcher) == ["Our customer service team is closed at the moment."]
    done = CollectingDispatcher()
    tracker = on_channel(
        WHATSAPP,
        text="please call me back about my tent",
        slots={"language": "en", "handoff_message": "please call me back about my tent"},
    )
    await ActionLeaveMessage().run(done, tracker, {})
    assert "We'll answer you here on WhatsApp." in texts(done)[0]
    (ticket,) = handoffs(store, WHATSAPP)
    assert ticket.reason == "message" and ticket.language == "en"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("laat maar", "stop"), ("nee", "deny"), ("nee hoor", "affirm"), ("never mind", "stop")],
)
def test_laat_maar_ends_the_message_form_without_a_ticket(
    store: str, text: str, intent: str
) -> None:
    tracker = on_channel(WEB, text=text, intent=intent, active_loop="leave_message_form")
    result = ValidateLeaveMessageForm().validate_handoff_message(
        text, CollectingDispatcher(), tracker, {}
    )
    assert result == {"handoff_message": None, "requested_slot": None}


def test_a_starting_message_form_has_nothing_to_validate(store: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = on_channel(WEB, text="ik wil een medewerker", intent="human_handoff")
    result = ValidateLeaveMessageForm().validate_handoff_message(None, dispatcher, tracker, {})
    assert result == {"handoff_message": None} and dispatcher.messages == []


async def test_no_message_left_makes_no_ticket(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    identity_for(store, WEB)
    events = await ActionLeaveMessage().run(dispatcher, on_channel(WEB, text="laat maar"), {})
    assert texts(dispatcher) == ["Oké, dan laat ik het zo. Waarmee kan ik je nog helpen?"]
    assert slot(events, "handoff_status") is None
    assert handoffs(store) == []


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


# What the agent console runs through Rasa's /execute


def open_handoff_with_agent(url: str, sender: str = WEB, name: str = "Sanne Jansen") -> int:
    agent_id = agent_online(url, name)
    customer_id = identity_for(url, sender)
    with db(url) as session, session.begin():
        handoff = queue.request(
            session,
            conversation_id=sender,
            customer_id=customer_id,
            channel=sender.split(":")[0],
            language="nl",
            reason="explicit",
        )
        queue.claim(session, handoff.id, agent_id)
        return int(handoff.id)


async def test_agent_replies_are_delivered_once_oldest_first(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    handoff_id = open_handoff_with_agent(store)
    with db(store) as session, session.begin():
        handoff = session.get(Handoff, handoff_id)
        base = utcnow() - dt.timedelta(minutes=5)
        session.add_all(
            [
                AgentReply(
                    handoff_id=handoff_id,
                    conversation_id=WEB,
                    agent_id=handoff.agent_id,
                    text=text,
                    created_at=base + dt.timedelta(seconds=n),
                    delivered_at=base if n == 0 else None,
                )
                for n, text in enumerate(["al verstuurd", "Hoi, ik kijk even mee.", "Gevonden!"])
            ]
        )
    events = await ActionDeliverAgentMessages().run(dispatcher, on_channel(WEB), {})
    assert texts(dispatcher) == ["Hoi, ik kijk even mee.", "Gevonden!"]
    assert dispatcher.messages[0]["custom"] == {
        "klantreis": {"author": "agent", "agent_name": "Sanne Jansen"}
    }
    assert [(e["event"], e["name"]) for e in events] == [("action", "action_listen")]
    with db(store) as session:
        assert all(r.delivered_at for r in session.scalars(select(AgentReply)))
    again = CollectingDispatcher()
    await ActionDeliverAgentMessages().run(again, on_channel(WEB), {})
    assert again.messages == []


async def test_handed_back_and_timeout(store: str, dispatcher: CollectingDispatcher) -> None:
    events = await ActionHandedBack().run(
        dispatcher, on_channel(WEB, slots={"handoff_status": "agent"}), {}
    )
    assert texts(dispatcher) == ["Ik help je weer verder. Waarmee kan ik nog helpen?"]
    assert slot(events, "handoff_status") is None
    assert events[-1]["event"] == "action" and events[-1]["name"] == "action_listen"
    late = CollectingDispatcher()
    events = await ActionHandoffTimeout().run(
        late, on_channel(WHATSAPP, slots={"language": "en", "handoff_status": "waiting"}), {}
    )
    assert "you'll get the answer here on WhatsApp" in texts(late)[0]
    assert slot(events, "handoff_status") is None


# A new session after an hour of silence


SESSION_DOMAIN: dict[str, Any] = {
    "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": False}
}


async def test_a_new_session_stays_paused_while_an_agent_has_it(store: str) -> None:
    open_handoff_with_agent(store)
    tracker = on_channel(WEB, slots={"handoff_status": "agent"})
    events = plain(await ActionSessionStart().run(CollectingDispatcher(), tracker, SESSION_DOMAIN))
    assert [e["event"] for e in events] == ["session_started", "pause", "slot", "action"]
    assert events[2]["name"] == "handoff_status" and events[2]["value"] == "agent"
    assert events[3]["name"] == "action_listen"


async def test_a_new_session_without_a_handoff_is_rasas_default(store: str) -> None:
    tracker = make_tracker(events=[{"event": "slot", "name": "language", "value": "en"}])
    events = plain(await ActionSessionStart().run(CollectingDispatcher(), tracker, SESSION_DOMAIN))
    assert [e["event"] for e in events] == ["session_started", "action"]
    carry = {"session_config": {"carry_over_slots_to_new_session": True}}
    events = plain(await ActionSessionStart().run(CollectingDispatcher(), tracker, carry))
    assert events[1] == {"event": "slot", "name": "language", "value": "en"}


async def test_a_new_session_keeps_the_customer_waiting(
    store: str, hours: Callable[..., None]
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    await ask_for_a_person(CollectingDispatcher())
    events = await ActionSessionStart().run(CollectingDispatcher(), on_channel(WEB), SESSION_DOMAIN)
    assert slot(events, "handoff_status") == "waiting"
    assert "pause" not in [e["event"] for e in events]

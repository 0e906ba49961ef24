"""Nobody can take the conversation now: the customer leaves a message, which becomes a ticket."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.leave_message import (
    ActionAskHandoffMessage,
    ActionLeaveMessage,
    ValidateLeaveMessageForm,
)
from bot.handoff import policy as policy_module
from tests.helpers.handoff import (
    WEB,
    WEEKDAYS,
    WHATSAPP,
    agent_online,
    ask_for_a_person,
    followup,
    handoffs,
    identity_for,
    on_channel,
    slot,
)
from tests.helpers.trackers import texts

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


@pytest.mark.parametrize(
    ("text", "intent", "language", "reply"),
    [
        ("bedankt!", "thank", "nl", "Graag gedaan! Dan gaan we verder waar we waren."),
        ("hoi, hoe gaat het?", "greet", "nl", "Goed hoor, dank je!"),
        ("thanks a lot", "thank", "en", "You're welcome! Let's pick up where we were."),
        ("hello there", "greet", "en", "Hi there! We were just in the middle of something."),
    ],
)
def test_small_talk_is_answered_and_never_becomes_the_message(
    store: str, text: str, intent: str, language: str, reply: str
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = on_channel(
        WEB,
        text=text,
        intent=intent,
        active_loop="leave_message_form",
        slots={"language": language},
    )
    result = ValidateLeaveMessageForm().validate_handoff_message(text, dispatcher, tracker, {})
    assert result == {"handoff_message": None}  # the form asks its question again
    (answer,) = texts(dispatcher)
    assert answer.startswith(reply)
    assert "'laat maar'" in answer if language == "nl" else "'never mind'" in answer


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Thanks! My tent pole snapped on the first trip, please call me back", "thank"),
        ("hoi, bestelling 10452 is kapot", "greet"),
    ],
)
def test_a_message_with_thanks_or_hello_is_still_the_message(
    store: str, message: str, intent: str
) -> None:
    tracker = on_channel(WEB, text=message, intent=intent, active_loop="leave_message_form")
    result = ValidateLeaveMessageForm().validate_handoff_message(
        message, CollectingDispatcher(), tracker, {}
    )
    assert result == {"handoff_message": message}

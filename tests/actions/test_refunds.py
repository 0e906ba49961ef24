"""Refund status after verification, on the demo shop: every stage in both languages, the
payment method's time, a colleague when the refund is overdue, nothing without verification."""

from __future__ import annotations

from collections.abc import Callable

from rasa_sdk.executor import CollectingDispatcher

from actions.orders import ActionPerformOrderAct, ActionStartOrderAct
from tests.helpers.handoff import (
    WEB,
    agent_online,
    followup,
    handoffs,
    identity_for,
    on_channel,
    slot,
)
from tests.helpers.trackers import make_tracker, texts

# Demo orders with a refund (data/demo/returns.csv), dates moved to today.
AWAITING = "10448"  # Oliver, English, credit card: return registered, parcel not back
CHECKING = "10443"  # Bram, PayPal: parcel back three days ago, being checked
PAID = "10445"  # Lotte, Klarna: paid back two days ago, still on its way
OVERDUE = "10444"  # Sven, iDEAL: parcel back ten days ago, not paid: overdue
NO_RETURN = "10452"  # Sanne's late parcel
CANCELLED = "10455"
DONE = "10439"  # Jeroen, iDEAL: paid back almost three weeks ago


def refund_tracker(number: str, language: str = "nl", verified: bool = True):  # type: ignore[no-untyped-def]
    return make_tracker(
        text="wanneer krijg ik mijn geld terug",
        intent="refund_status",
        slots={
            "order_number": number,
            "verified_orders": [number] if verified else [],
            "pending_act": "refund",
            "language": language,
        },
    )


async def ask(dispatcher: CollectingDispatcher, number: str, language: str = "nl"):  # type: ignore[no-untyped-def]
    return await ActionPerformOrderAct().run(dispatcher, refund_tracker(number, language), {})


async def test_refund_status_is_an_act_that_needs_verification(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(text="waar blijft mijn terugbetaling", intent="refund_status")
    events = await ActionStartOrderAct().run(dispatcher, tracker, {})
    assert slot(events, "pending_act") == "refund"
    assert slot(events, "order_step") == "verify"
    assert texts(dispatcher) == []


async def test_unverified_order_reveals_no_refund(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    tracker = refund_tracker(PAID, verified=False)
    await ActionPerformOrderAct().run(dispatcher, tracker, {})
    joined = " ".join(texts(dispatcher))
    assert "Klarna" not in joined and "199" not in joined


async def test_paid_refund_says_when_the_money_shows_for_the_method(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    events = await ask(dispatcher, PAID)
    (text,) = texts(dispatcher)
    assert "199,95" in text and "teruggestort via Klarna" in text
    assert "hooguit 3 werkdagen" in text and "uiterlijk" in text
    assert slot(events, "order_step") == "done" and slot(events, "pending_act") is None


async def test_paid_refund_in_english(store: str, dispatcher: CollectingDispatcher) -> None:
    await ask(dispatcher, PAID, language="en")
    (text,) = texts(dispatcher)
    assert "€199.95" in text and "through Klarna" in text and "at most 3 working days" in text


async def test_a_parcel_not_yet_back(store: str, dispatcher: CollectingDispatcher) -> None:
    await ask(dispatcher, AWAITING, language="en")
    (text,) = texts(dispatcher)
    assert "hasn't reached us yet" in text and "RT-Q2W8NE" in text
    assert "to your credit card within 5 working days" in text and "at most 7 working days" in text


async def test_a_return_being_checked(store: str, dispatcher: CollectingDispatcher) -> None:
    await ask(dispatcher, CHECKING)
    (text,) = texts(dispatcher)
    assert "kijken hem nu na" in text and "naar je PayPal-account" in text
    assert "49,95" in text


async def test_no_return_no_refund(store: str, dispatcher: CollectingDispatcher) -> None:
    await ask(dispatcher, NO_RETURN)
    (text,) = texts(dispatcher)
    assert "geen retour" in text and "Trailblazer" not in text


async def test_a_cancelled_order_gets_its_money_back_the_way_it_was_paid(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    await ask(dispatcher, CANCELLED, language="en")
    (text,) = texts(dispatcher)
    assert text.startswith(f"Order {CANCELLED} is cancelled") and "comes back" in text


async def test_overdue_without_a_channel_gets_the_contact_details(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    await ask(dispatcher, OVERDUE)
    first, second = texts(dispatcher)
    assert "dit duurt te lang" in first and "139,95" in first
    assert "030 123 45 67" in second


async def test_overdue_on_a_channel_goes_to_a_colleague(
    store: str, hours: Callable[..., None], dispatcher: CollectingDispatcher
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB, "C1021")
    tracker = on_channel(
        WEB,
        text="mijn terugbetaling is nog niet binnen",
        intent="refund_status",
        slots={"order_number": OVERDUE, "verified_orders": [OVERDUE], "pending_act": "refund"},
    )
    events = await ActionPerformOrderAct().run(dispatcher, tracker, {})
    first, second = texts(dispatcher)
    assert "dit duurt te lang" in first
    assert second.startswith("Ik zet je door naar een collega")  # no second apology
    assert slot(events, "handoff_status") == "waiting" and followup(events) == "action_listen"
    (handoff,) = handoffs(store)
    assert handoff.reason == "act" and handoff.summary["slots"]["pending_act"] == "refund"


async def test_a_refund_paid_long_ago_is_history_with_a_way_to_a_colleague(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    events = await ask(dispatcher, DONE)
    (text,) = texts(dispatcher)
    assert text.startswith("De terugbetaling voor bestelling 10439 is afgerond")
    assert "rekening waarmee je met iDEAL betaalde" in text
    (button,) = dispatcher.messages[0]["buttons"]
    assert button["payload"] == "ik wil een medewerker spreken"
    assert slot(events, "handoff_status") == "<unset>"  # nobody is queued for history

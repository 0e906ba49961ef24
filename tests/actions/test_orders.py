"""Order status and verification: details only after verification, never by guessing."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.orders import ActionPerformOrderAct, ActionStartOrderAct, ValidateVerifyOrderForm
from tests.helpers.trackers import make_tracker, plain, texts

DELAYED = ("10452", "3572 BK")  # Sanne de Vries, trail shoes, late
SHIPPED = ("10458", "1082 ME")  # delivered to a work address
CANCELLED = ("10455", "7511 DZ")
PAID_PICKUP = ("10475", "3572 BK")


async def perform(dispatcher, number: str, language: str = "nl", act: str = "status"):  # type: ignore[no-untyped-def]
    tracker = make_tracker(
        slots={
            "order_number": number,
            "verified_orders": [number],
            "pending_act": act,
            "language": language,
        }
    )
    return await ActionPerformOrderAct().run(dispatcher, tracker, {})


async def test_delayed_order_is_told_honestly_with_new_eta(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    await perform(dispatcher, DELAYED[0])
    (text,) = texts(dispatcher)
    assert "10452" in text and "later dan beloofd" in text and "PostNL" in text
    assert "Veloce Trailblazer GTX" in text
    assert "https://jouw.postnl.nl/track-and-trace/" in text


async def test_status_in_english(store: str, dispatcher: CollectingDispatcher) -> None:
    await perform(dispatcher, DELAYED[0], language="en")
    assert "running late" in texts(dispatcher)[0]


async def test_pickup_point_is_mentioned(store: str, dispatcher: CollectingDispatcher) -> None:
    await perform(dispatcher, PAID_PICKUP[0])
    joined = " ".join(texts(dispatcher))
    assert "inpakken" in joined and "Primera" in joined


async def test_unverified_order_reveals_nothing(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(
        slots={"order_number": DELAYED[0], "verified_orders": [], "pending_act": "status"}
    )
    await ActionPerformOrderAct().run(dispatcher, tracker, {})
    (text,) = texts(dispatcher)
    assert "Trailblazer" not in text and "PostNL" not in text
    assert "030 123 45 67" in text


@pytest.mark.parametrize(
    ("number", "postcode"),
    [
        (DELAYED[0], "3572BK"),
        (DELAYED[0], "3572 bk"),
        (SHIPPED[0], "1082 ME"),
        (SHIPPED[0], "1094 HJ"),
    ],
)
def test_order_number_and_postcode_verify(
    store: str, dispatcher: CollectingDispatcher, number: str, postcode: str
) -> None:
    tracker = make_tracker(slots={"order_number": number})
    result = ValidateVerifyOrderForm().validate_postcode(postcode, dispatcher, tracker, {})
    assert result["verified_orders"] == [number]
    assert dispatcher.messages == []


def test_wrong_postcode_and_unknown_number_look_the_same(store: str) -> None:
    answers = []
    for number, postcode in [(DELAYED[0], "1234 AB"), ("99999", "3572 BK")]:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(slots={"order_number": number})
        result = ValidateVerifyOrderForm().validate_postcode(postcode, dispatcher, tracker, {})
        assert result["order_number"] is None and "verified_orders" not in result
        answers.append(texts(dispatcher))
    assert answers[0] == answers[1]


def test_another_customers_order_is_not_verified_by_identity(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    # Customer 2 (Mark) is verified on his channel; 10452 belongs to Sanne.
    tracker = make_tracker(slots={"customer_id": 2})
    result = ValidateVerifyOrderForm().validate_order_number("10452", dispatcher, tracker, {})
    assert "verified_orders" not in result


def test_third_failure_stops_asking(store: str, dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(slots={"order_number": DELAYED[0], "verification_failures": 2})
    result = ValidateVerifyOrderForm().validate_postcode("9999 ZZ", dispatcher, tracker, {})
    assert result["verification_failures"] == 3
    tracker = make_tracker(slots={"verification_failures": 3})
    import asyncio

    required = asyncio.run(
        ValidateVerifyOrderForm().required_slots(
            ["order_number", "postcode"], dispatcher, tracker, {}
        )
    )
    assert required == []


@pytest.mark.parametrize("value", ["abc", "123", "<script>", "1" * 40, "🙂", ""])
def test_malformed_order_numbers_get_a_polite_answer(
    store: str, dispatcher: CollectingDispatcher, value: str
) -> None:
    result = ValidateVerifyOrderForm().validate_order_number(value, dispatcher, make_tracker(), {})
    assert result == {"order_number": None}
    assert "5 of 6 cijfers" in texts(dispatcher)[0]


async def test_start_goes_straight_on_when_already_verified(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(
        intent="cancel_order", slots={"order_number": "10452", "verified_orders": ["10452"]}
    )
    events = plain(await ActionStartOrderAct().run(dispatcher, tracker, {}))
    assert {"event": "slot", "name": "order_step", "value": "verified"} in events
    assert {"event": "slot", "name": "pending_act", "value": "cancel"} in events


async def test_start_asks_for_verification(store: str, dispatcher: CollectingDispatcher) -> None:
    events = plain(
        await ActionStartOrderAct().run(dispatcher, make_tracker(intent="order_status"), {})
    )
    assert events[-1] == {"event": "slot", "name": "order_step", "value": "verify"}


async def test_cancel_is_refused_once_shipped(store: str, dispatcher: CollectingDispatcher) -> None:
    await perform(dispatcher, DELAYED[0], act="cancel")
    assert "al verzonden" in texts(dispatcher)[0]


async def test_cancel_of_a_paid_order_asks_for_confirmation(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    events = plain(await perform(dispatcher, PAID_PICKUP[0], act="cancel"))
    assert events == [{"event": "slot", "name": "order_step", "value": "cancel"}]


async def test_cancelled_order_status(store: str, dispatcher: CollectingDispatcher) -> None:
    await perform(dispatcher, CANCELLED[0])
    assert "geannuleerd" in texts(dispatcher)[0]


@pytest.mark.parametrize("slot", ["order_number", "postcode"])
def test_a_cleared_slot_is_not_complained_about(
    store: str, dispatcher: CollectingDispatcher, slot: str
) -> None:
    validate = getattr(ValidateVerifyOrderForm(), f"validate_{slot}")
    assert validate(None, dispatcher, make_tracker(), {}) == {slot: None}
    assert dispatcher.messages == []

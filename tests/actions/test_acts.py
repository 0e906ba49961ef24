"""Self-service acts are written to the store and confirmed; refusals say why."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.cancellation import ActionCancelOrder
from actions.delivery import ActionChangeDelivery, ValidateDeliveryChangeForm, parse_address
from actions.returns import ActionCreateReturn
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Order, Return
from tests.helpers.trackers import make_tracker, texts


def order(url: str, number: str) -> Order:
    with make_session_factory(make_engine(url))() as session:
        found = session.execute(select(Order).where(Order.order_number == number)).scalar_one()
        session.expunge(found)
        return found


def verified(number: str, **slots):  # type: ignore[no-untyped-def]
    return make_tracker(slots={"order_number": number, "verified_orders": [number], **slots})


async def test_confirmed_cancellation_is_stored(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    await ActionCancelOrder().run(dispatcher, verified("10475", confirm_cancel=True), {})
    assert "is geannuleerd" in texts(dispatcher)[0]
    assert order(store, "10475").status == "cancelled"


async def test_declined_cancellation_keeps_the_order(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    await ActionCancelOrder().run(dispatcher, verified("10475", confirm_cancel=False), {})
    assert "gewoon staan" in texts(dispatcher)[0]
    assert order(store, "10475").status == "paid"


async def test_unverified_act_does_nothing(store: str, dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(slots={"order_number": "10475", "confirm_cancel": True})
    await ActionCancelOrder().run(dispatcher, tracker, {})
    assert order(store, "10475").status == "paid"


async def test_return_creates_a_code(store: str, dispatcher: CollectingDispatcher) -> None:
    await ActionCreateReturn().run(dispatcher, verified("10447", return_reason="past niet"), {})
    assert "retourcode is RT-" in texts(dispatcher)[0]
    with make_session_factory(make_engine(store))() as session:
        (ret,) = session.execute(
            select(Return).join(Order).where(Order.order_number == "10447")
        ).scalars()
        assert ret.reason == "past niet" and ret.status == "requested"


async def test_second_return_gets_the_existing_code(store: str) -> None:
    first, second = CollectingDispatcher(), CollectingDispatcher()
    await ActionCreateReturn().run(first, verified("10447", return_reason="past niet"), {})
    await ActionCreateReturn().run(second, verified("10447", return_reason="toch niet"), {})
    code = texts(first)[0].split("retourcode is ")[1][:9]
    assert code in texts(second)[0] and "al een retour" in texts(second)[0]


async def test_late_return_is_refused_with_warranty_hint(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    await ActionCreateReturn().run(dispatcher, verified("10412", return_reason="versleten"), {})
    assert "retourtermijn" in texts(dispatcher)[0] and "garantie" in texts(dispatcher)[0]


async def test_damaged_return_adds_photo_instructions(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    await ActionCreateReturn().run(dispatcher, verified("10447", return_reason="beschadigd"), {})
    assert len(dispatcher.messages) == 2 and "foto" in texts(dispatcher)[1]


def test_delivery_date_outside_the_window_is_refused(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    tracker = verified("10458", delivery_change_type="date")
    result = ValidateDeliveryChangeForm().validate_delivery_change_value(
        "31 december", dispatcher, tracker, {}
    )
    assert result == {"delivery_change_value": None}
    assert "Kies een dag tussen" in texts(dispatcher)[0]


async def test_delivery_date_change_is_stored(store: str, dispatcher: CollectingDispatcher) -> None:
    wanted = dt.date.today() + dt.timedelta(days=3)
    tracker = verified(
        "10458", delivery_change_type="date", delivery_change_value=wanted.isoformat()
    )
    await ActionChangeDelivery().run(dispatcher, tracker, {})
    assert "Geregeld!" in texts(dispatcher)[0]
    assert order(store, "10458").requested_delivery_date == wanted


async def test_address_change_after_shipping_is_refused(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    tracker = verified(
        "10458",
        delivery_change_type="address",
        delivery_change_value="Oudegracht 12, 3511 AB Utrecht",
    )
    await ActionChangeDelivery().run(dispatcher, tracker, {})
    assert "kan ik niet meer aanpassen" in texts(dispatcher)[0]
    assert order(store, "10458").street != "Oudegracht"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oudegracht 12, 3511 AB Utrecht", ("Oudegracht", "12", "3511 AB", "Utrecht")),
        (
            "van baerlestraat 3-2 1071aa amsterdam",
            ("Van Baerlestraat", "3-2", "1071 AA", "Amsterdam"),
        ),
        ("bij de buren", None),
    ],
)
def test_address_parsing(text: str, expected: tuple | None) -> None:
    parsed = parse_address(text)
    if expected is None:
        assert parsed is None
    else:
        assert parsed is not None
        assert (
            parsed["street"],
            parsed["house_number"],
            parsed["postcode"],
            parsed["city"],
        ) == expected

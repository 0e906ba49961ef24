"""Where a refund stands: stages, working days per payment method, and when it is overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.formatting import AMSTERDAM
from bot.refunds import (
    APPROVED,
    AWAITING_PARCEL,
    CANCELLED,
    CHECKING,
    PAID,
    REJECTED,
    add_working_days,
    refund_progress,
)
from bot.retailer import Retailer
from bot.store.models import Order, Return

SHOP = Retailer(
    refund_check_days=5,
    refund_payout_days={"ideal": 2, "creditcard": 7, "klarna": 3},
    refund_grace_days=30,
)
MONDAY = dt.date(2026, 11, 23)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM)


def order_with(refund_status: str | None, method: str = "ideal", **refund: object) -> Order:
    """A returned order paid with `method`, with one return in `refund_status` (or none)."""
    order = Order(order_number="10444", status="returned", payment_method=method)
    if refund_status:
        order.returns = [
            Return(return_code="RT-TEST01", created_at=at(MONDAY), status=refund_status, **refund)
        ]
    return order


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (dt.date(2026, 11, 20), 1, dt.date(2026, 11, 23)),  # Friday + 1 = Monday
        (dt.date(2026, 11, 21), 1, dt.date(2026, 11, 23)),  # from a Saturday
        (MONDAY, 5, dt.date(2026, 11, 30)),
        (MONDAY, 0, MONDAY),
    ],
)
def test_working_days_skip_weekends(start: dt.date, days: int, end: dt.date) -> None:
    assert add_working_days(start, days) == end


def test_a_return_not_yet_back_has_no_dates() -> None:
    assert refund_progress(order_with(None), SHOP, MONDAY) is None  # nothing to tell

    progress = refund_progress(order_with("requested"), SHOP, MONDAY)
    assert progress is not None
    assert progress.stage == AWAITING_PARCEL and progress.expected is None
    assert not progress.overdue


def test_checking_counts_the_payment_days_of_the_method() -> None:
    received = dt.date(2026, 11, 19)  # Thursday
    ideal = refund_progress(
        order_with("received", received_at=at(received)), SHOP, dt.date(2026, 11, 20)
    )
    card = refund_progress(
        order_with("received", method="creditcard", received_at=at(received)),
        SHOP,
        dt.date(2026, 11, 20),
    )
    assert ideal is not None and card is not None
    assert ideal.stage == card.stage == CHECKING
    assert ideal.pay_by == card.pay_by == dt.date(2026, 11, 26)
    assert ideal.expected == dt.date(2026, 11, 30)  # + 2 working days
    assert card.expected == dt.date(2026, 12, 7)  # + 7 working days
    assert not ideal.overdue


def test_not_paid_in_time_is_overdue() -> None:
    progress = refund_progress(
        order_with("received", received_at=at(dt.date(2026, 11, 12))), SHOP, MONDAY
    )
    assert progress is not None and progress.overdue and progress.stage == CHECKING


def test_approved_and_paid_stages() -> None:
    approved = refund_progress(
        order_with(
            "received",
            received_at=at(dt.date(2026, 11, 17)),
            approved_at=at(dt.date(2026, 11, 19)),
        ),
        SHOP,
        dt.date(2026, 11, 20),
    )
    assert approved is not None and approved.stage == APPROVED
    assert approved.approved == dt.date(2026, 11, 19)

    paid_on = dt.date(2026, 11, 20)  # Friday; Klarna takes 3 working days
    order = order_with(
        "refunded",
        method="klarna",
        refund_amount_cents=19995,
        received_at=at(dt.date(2026, 11, 17)),
        approved_at=at(dt.date(2026, 11, 19)),
        paid_at=at(paid_on),
    )
    on_its_way = refund_progress(order, SHOP, MONDAY)
    assert on_its_way is not None
    assert (on_its_way.stage, on_its_way.expected, on_its_way.amount_cents) == (
        PAID,
        dt.date(2026, 11, 25),
        19995,
    )
    assert not on_its_way.overdue
    late = refund_progress(order, SHOP, dt.date(2026, 11, 26))
    assert late is not None and late.overdue
    history = refund_progress(order, SHOP, dt.date(2027, 3, 1))
    assert history is not None and not history.overdue  # long done, not a case any more


def test_the_refund_method_wins_over_the_payment_method_and_unknown_is_slowest() -> None:
    order = order_with("refunded", refund_method="giftcard", paid_at=at(MONDAY))
    progress = refund_progress(order, SHOP, MONDAY)
    assert progress is not None and progress.method == "giftcard"
    assert progress.expected == add_working_days(MONDAY, 7)  # giftcard not configured here


def test_rejected_and_undated_refunds() -> None:
    rejected = refund_progress(order_with("rejected"), SHOP, MONDAY)
    assert rejected is not None and rejected.stage == REJECTED and not rejected.overdue
    undated = refund_progress(order_with("refunded"), SHOP, MONDAY)
    assert undated is not None and undated.stage == PAID and undated.expected is None


def test_a_cancelled_order_is_refunded_from_its_cancellation() -> None:
    order = Order(order_number="10475", status="cancelled", payment_method="ideal")
    order.cancelled_at = at(MONDAY)
    progress = refund_progress(order, SHOP, MONDAY)
    assert progress is not None and progress.stage == CANCELLED
    assert progress.pay_by == dt.date(2026, 11, 30)
    assert progress.expected == dt.date(2026, 12, 2)

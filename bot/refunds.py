"""Where a refund stands and when the money should show, from a return's dates.

Pure: the store's records, the retailer's refund times and today go in, a `RefundProgress` comes
out, so the dialogue (actions/refunds.py) only chooses the words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot.formatting import AMSTERDAM
from bot.retailer import Retailer
from bot.store.models import Order, Return

# Stages, in the order a refund goes through them.
AWAITING_PARCEL = "awaiting_parcel"  # return registered, the parcel is not back yet
CHECKING = "checking"  # the parcel is back, we are checking it
APPROVED = "approved"  # accepted, the payment is being made
PAID = "paid"  # paid back; the bank, card or pay-later provider still has to show it
REJECTED = "rejected"  # no refund
CANCELLED = "cancelled"  # the order was cancelled: everything paid comes back


@dataclass(frozen=True)
class RefundProgress:
    """One refund, in the facts a reply needs."""

    stage: str
    method: str | None
    amount_cents: int | None
    return_code: str | None = None
    received: dt.date | None = None
    approved: dt.date | None = None
    paid: dt.date | None = None
    pay_by: dt.date | None = None  # we pay it back at the latest on this day
    expected: dt.date | None = None  # the money shows at the latest on this day
    overdue: bool = False


def local_date(value: dt.datetime | None) -> dt.date | None:
    return value.astimezone(AMSTERDAM).date() if value is not None else None


def add_working_days(start: dt.date, days: int) -> dt.date:
    """`days` working days (Monday to Friday) after `start`."""
    current = start
    left = days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def _overdue(expected: dt.date | None, today: dt.date, grace_days: int) -> bool:
    """Past its date, but not so long ago that it is simply history."""
    if expected is None or today <= expected:
        return False
    return (today - expected).days <= grace_days


def return_progress(ret: Return, order: Order, shop: Retailer, today: dt.date) -> RefundProgress:
    """The refund of return `ret` of `order`, as it stands on `today` (Amsterdam date)."""
    received = local_date(ret.received_at)
    base = RefundProgress(
        stage=REJECTED,
        method=ret.refund_method or order.payment_method,
        amount_cents=ret.refund_amount_cents,
        return_code=ret.return_code,
        received=received,
        approved=local_date(ret.approved_at),
        paid=local_date(ret.paid_at),
    )
    payout = shop.payout_days(base.method)
    if ret.status == "rejected":
        return base
    if ret.status == "refunded":
        if base.paid is None:  # an older export without the payment date: done, no dates
            return replace(base, stage=PAID)
        expected = add_working_days(base.paid, payout)
        overdue = _overdue(expected, today, shop.refund_grace_days)
        return replace(base, stage=PAID, expected=expected, overdue=overdue)
    if received is None:
        return replace(base, stage=AWAITING_PARCEL)
    pay_by = add_working_days(received, shop.refund_check_days)
    return replace(
        base,
        stage=APPROVED if base.approved else CHECKING,
        pay_by=pay_by,
        expected=add_working_days(pay_by, payout),
        overdue=today > pay_by,  # we have not paid in time: always a colleague's case
    )


def cancellation_progress(order: Order, shop: Retailer, today: dt.date) -> RefundProgress:
    """A cancelled order's money comes back like a refund, counted from the cancellation."""
    cancelled = local_date(order.cancelled_at)
    base = RefundProgress(CANCELLED, order.payment_method, order.total_cents)
    if cancelled is None:
        return base
    pay_by = add_working_days(cancelled, shop.refund_check_days)
    expected = add_working_days(pay_by, shop.payout_days(order.payment_method))
    return replace(
        base,
        pay_by=pay_by,
        expected=expected,
        overdue=_overdue(expected, today, shop.refund_grace_days),
    )


def refund_progress(order: Order, shop: Retailer, today: dt.date) -> RefundProgress | None:
    """The refund on this order (its latest return, or its cancellation), or None."""
    if order.returns:
        return return_progress(order.returns[-1], order, shop, today)
    if order.status == "cancelled":
        return cancellation_progress(order, shop, today)
    return None

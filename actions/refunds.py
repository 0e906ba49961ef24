"""Refund status: where the money of a return (or a cancelled order) is, and when it arrives.

Runs after verification, as the `refund` act of action_perform_order_act (actions/orders.py),
so only the customer of a verified order hears about its refund. A refund that is overdue goes
to a colleague (actions/handoff.py) after the bot has said what it knows.
"""

from __future__ import annotations

import datetime as dt

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say, shop
from actions.handoff import hand_off, has_identity
from bot.formatting import AMSTERDAM, date_text, money_text
from bot.refunds import (
    APPROVED,
    AWAITING_PARCEL,
    CANCELLED,
    CHECKING,
    PAID,
    REJECTED,
    RefundProgress,
    refund_progress,
)
from bot.store.models import Order, utcnow
from bot.texts import render

STAGE_REPLIES = {
    AWAITING_PARCEL: "refund_awaiting_parcel",
    CHECKING: "refund_checking",
    APPROVED: "refund_approved",
    REJECTED: "refund_rejected",
}
# Money sent (or due since a cancellation): still on its way, arrived, or no dates known.
SENT_REPLIES = {
    PAID: ("refund_paid", "refund_done", "refund_undated"),
    CANCELLED: ("refund_cancelled", "refund_cancelled_done", "refund_cancelled_undated"),
}


def today() -> dt.date:
    return utcnow().astimezone(AMSTERDAM).date()


def method_text(method: str | None, language: str) -> str:
    """'op de rekening waarmee je met iDEAL betaalde': where the money goes back to."""
    key = f"refund_to_{method}" if method else "refund_to_unknown"
    try:
        return render(key, language)["text"]
    except KeyError:  # a method the catalogue has no words for
        return render("refund_to_unknown", language)["text"]


def progress_words(progress: RefundProgress, language: str) -> dict[str, str]:
    """The reply variables: amount, where it goes, the dates and the time the method takes."""

    def day(value: dt.date | None) -> str:
        return date_text(value, language) if value else ""

    amount = progress.amount_cents
    return {
        "amount": (
            money_text(amount, language) if amount else render("refund_the_money", language)["text"]
        ),
        "to": method_text(progress.method, language),
        "return_code": progress.return_code or "",
        "received": day(progress.received),
        "approved": day(progress.approved),
        "paid": day(progress.paid),
        "pay_by": day(progress.pay_by),
        "expected": day(progress.expected),
        "check_days": str(shop().refund_check_days),
        "payout_days": str(shop().payout_days(progress.method)),
    }


def reply_key(progress: RefundProgress, on: dt.date) -> str:
    """Which reply tells this refund: by stage, and for money already sent, by its date."""
    if progress.overdue:
        return {PAID: "refund_overdue_paid", CANCELLED: "refund_overdue_cancelled"}.get(
            progress.stage, "refund_overdue"
        )
    if progress.stage in SENT_REPLIES:
        coming, done, undated = SENT_REPLIES[progress.stage]
        if progress.expected is None:
            return undated
        return coming if progress.expected >= on else done
    return STAGE_REPLIES[progress.stage]


def tell_refund(
    dispatcher: CollectingDispatcher, tracker: Tracker, order: Order, language: str
) -> tuple[str, list[EventType]]:
    """Say where the refund of this verified order stands; hand an overdue one to a colleague.
    The reply's key (what the act ended with) and the events."""
    on = today()
    progress = refund_progress(order, shop(), on)
    if progress is None:
        say(dispatcher, language, "refund_none", order_number=order.order_number)
        return "refund_none", []
    words = {"order_number": order.order_number, **progress_words(progress, language)}
    key = reply_key(progress, on)
    say(dispatcher, language, key, **words)
    if not progress.overdue:
        return key, []
    if has_identity(tracker):
        return key, hand_off(dispatcher, tracker, "act", apologised=True)
    say(dispatcher, language, "contact_customer_service", contact=shop().contact(language))
    return key, []

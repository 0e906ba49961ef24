"""The demo's delay notice: `klantreis demo` detects the demo shop's late parcels and holds the
notices of the shop page's log-in customers for a few minutes, so a visitor who logs in as one
of them sees theirs arrive in the chat.

Nothing is faked: the scan finds the delay (the carrier's ETA is after the promised date in the
demo data), the notice sits in the outbox like any other, and the worker of `klantreis run`
sends it when it is due, choosing the channel and honouring consent as always. Only its due
time is the demo's choice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delays.episodes import DELAY_INTENT
from bot.store.delay_models import OutboxMessage
from bot.store.models import Customer

NOTICE_AFTER_SECONDS = 180  # time to open the shop page and log in


@dataclass(frozen=True)
class ScheduledNotice:
    customer_ref: str
    first_name: str
    order_number: str
    due: dt.datetime


def schedule_demo_notices(
    session: Session, *, customer_refs: Iterable[str], due: dt.datetime
) -> list[ScheduledNotice]:
    """Hold these customers' delay notices that no worker has tried yet until `due`."""
    rows = session.execute(
        select(OutboxMessage, Customer)
        .join(Customer, Customer.id == OutboxMessage.customer_id)
        .where(
            Customer.customer_ref.in_(tuple(customer_refs)),
            OutboxMessage.intent == DELAY_INTENT,
            OutboxMessage.status == "pending",
            OutboxMessage.attempts == 0,
            OutboxMessage.locked_by.is_(None),
        )
        .order_by(Customer.customer_ref, OutboxMessage.id)
    ).all()
    scheduled = []
    for message, customer in rows:
        message.next_attempt_at = due
        message.reason = "the demo's notice: due a few minutes after loading the demo shop"
        scheduled.append(
            ScheduledNotice(
                customer_ref=customer.customer_ref,
                first_name=customer.first_name or customer.customer_ref,
                order_number=str((message.entities or {}).get("order_number") or ""),
                due=due,
            )
        )
    return scheduled


def describe(scheduled: list[ScheduledNotice], zone: dt.tzinfo) -> str:
    """For the operator: whose notice arrives when, and what to do to see it."""
    if not scheduled:
        return (
            "No delay notice to schedule for the demo log-ins (announced before); the demo "
            "page's 'Vervoerder meldt vertraging' button sends one any time."
        )
    first = scheduled[0]
    at = first.due.astimezone(zone).strftime("%H:%M")
    who = ", ".join(f"{s.first_name} ({s.customer_ref}, order {s.order_number})" for s in scheduled)
    return (
        f"Delay notice scheduled at {at} ({zone}) for {who}: log in as {first.first_name} on "
        "the shop page and keep it open to see it arrive in the chat."
    )

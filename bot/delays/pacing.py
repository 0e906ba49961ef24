"""Pacing per sender, shared by every worker through the store: a large fan-out is spread out
to the provider's rate (Twilio: about 10 messages per second per WhatsApp sender), never dropped."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.delay_models import SenderPace


def reserve_slot(
    session: Session, *, sender: str, per_second: float, now: dt.datetime
) -> dt.datetime:
    """The time this send may go out; the next caller gets the slot after it."""
    if per_second <= 0:
        return now
    interval = dt.timedelta(seconds=1 / per_second)
    # Write first: on SQLite that takes the write lock before we read, on PostgreSQL it locks
    # the row, so two workers never hand out the same slot.
    touched = session.execute(
        update(SenderPace).where(SenderPace.sender == sender).values(sender=sender)
    ).rowcount
    if not touched:
        try:
            with session.begin_nested():
                session.add(SenderPace(sender=sender, next_slot_at=now + interval))
            return now
        except IntegrityError:
            session.execute(
                update(SenderPace).where(SenderPace.sender == sender).values(sender=sender)
            )
    row = session.scalars(
        select(SenderPace)
        .where(SenderPace.sender == sender)
        .execution_options(populate_existing=True)
    ).one()
    slot = max(row.next_slot_at, now)
    row.next_slot_at = slot + interval
    return slot

"""WhatsApp's 24-hour customer-service window, asked of the store.

A business may send free text to a customer only within 24 hours of that customer's latest
message; outside it, only an approved template. The window is computed from the timeline,
so it holds across processes and restarts, and the WhatsApp channel and the handoff desk ask
the same question here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.store import identities, timeline
from bot.store.models import Customer, utcnow

CHANNEL = "whatsapp"
WINDOW = dt.timedelta(hours=24)


def _live_customer_id(session: Session, customer_id: int) -> int:
    customer = session.get(Customer, customer_id)
    return customer_id if customer is None else identities.live(session, customer).id


def window_closes_at(session: Session, customer_id: int) -> dt.datetime | None:
    """When the customer's window closes (or closed); None if they never wrote on WhatsApp."""
    last = timeline.last_inbound_at(session, _live_customer_id(session, customer_id), CHANNEL)
    if last is None:
        return None
    if last.tzinfo is None:  # SQLite may hand back a naive UTC datetime
        last = last.replace(tzinfo=dt.timezone.utc)
    return last + WINDOW


def within_window(session: Session, customer_id: int, now: dt.datetime | None = None) -> bool:
    """True when free text may be sent to this customer on WhatsApp right now."""
    closes = window_closes_at(session, customer_id)
    return closes is not None and (now or utcnow()) < closes

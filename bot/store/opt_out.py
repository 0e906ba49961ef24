"""A customer's 'no more messages from you' on one channel, kept as consent for purpose service.

The delay dispatcher (and anything else proactive) reads the consents table before it picks a
channel, so withdrawing here is what makes the opt-out hold from then on.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Consent, utcnow

SERVICE = "service"


def _recorded(session: Session, *, customer_id: int, channel: str) -> Consent | None:
    return session.scalars(
        select(Consent).where(
            Consent.customer_id == customer_id,
            Consent.purpose == SERVICE,
            Consent.channel == channel,
        )
    ).first()


def withdraw_service_consent(
    session: Session, *, customer_id: int, channel: str, now: dt.datetime | None = None
) -> Consent:
    """Record that this customer wants no proactive service messages on `channel`."""
    consent = _recorded(session, customer_id=customer_id, channel=channel)
    if consent is None:
        consent = Consent(customer_id=customer_id, purpose=SERVICE, channel=channel)
        session.add(consent)
    consent.granted = False
    consent.recorded_at = now or utcnow()
    session.flush()
    return consent


def service_consent(session: Session, *, customer_id: int, channel: str) -> bool | None:
    """True/False as recorded, None when the customer never said."""
    consent = _recorded(session, customer_id=customer_id, channel=channel)
    return None if consent is None else bool(consent.granted)

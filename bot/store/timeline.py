"""The contact timeline: every message in and out, on every channel, per customer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import ContactMessage, InboundReceipt, MessageStatusEvent, utcnow

# Statuses of an outbound message, in the order a provider reports them.
OUTBOUND_STATUSES = ("queued", "pending", "sent", "delivered", "read", "failed", "undelivered")
FINAL_FAILURES = ("failed", "undelivered")


def first_delivery(session: Session, channel: str, delivery_id: str) -> bool:
    """True the first time a provider delivers `delivery_id`; False for a retry."""
    try:
        with session.begin_nested():
            session.add(InboundReceipt(channel=channel, delivery_id=delivery_id))
    except IntegrityError:
        return False
    return True


def unanswered_inbound(
    session: Session, channel: str, delivery_id: str, *, since: dt.datetime
) -> ContactMessage | None:
    """The customer's message of this delivery if it was recorded after `since` and never
    answered: the process handling it stopped before Rasa was done (docs/deployment.md)."""
    return session.scalars(
        select(ContactMessage).where(
            ContactMessage.channel == channel,
            ContactMessage.provider_id == delivery_id,
            ContactMessage.direction == "in",
            ContactMessage.status == "received",
            ContactMessage.created_at >= since,
        )
    ).first()


def mark_answered(session: Session, message_id: int) -> None:
    """Rasa has handled this customer message (a resent delivery of it is a duplicate)."""
    message = session.get(ContactMessage, message_id)
    if message is not None and message.status == "received":
        message.status = "answered"
        message.status_at = utcnow()


def record_inbound(
    session: Session,
    *,
    customer_id: int,
    conversation_id: str,
    channel: str,
    text: str,
    payload: dict[str, Any] | None = None,
    provider_id: str | None = None,
    status: str = "received",
) -> ContactMessage:
    message = ContactMessage(
        customer_id=customer_id,
        conversation_id=conversation_id,
        channel=channel,
        direction="in",
        author="customer",
        text=text,
        payload=payload or {},
        provider_id=provider_id,
        status=status,
        created_at=utcnow(),
    )
    session.add(message)
    session.flush()
    return message


def record_outbound(
    session: Session,
    *,
    customer_id: int,
    conversation_id: str,
    channel: str,
    text: str,
    author: str = "bot",
    payload: dict[str, Any] | None = None,
    status: str = "queued",
) -> ContactMessage:
    message = ContactMessage(
        customer_id=customer_id,
        conversation_id=conversation_id,
        channel=channel,
        direction="out",
        author=author,
        text=text,
        payload=payload or {},
        status=status,
        created_at=utcnow(),
    )
    session.add(message)
    session.flush()
    return message


def set_status(
    session: Session,
    message: ContactMessage,
    status: str,
    *,
    provider_id: str | None = None,
    error_code: str | None = None,
) -> None:
    """Record a delivery report; a late 'sent' never overwrites 'read'."""
    if provider_id:
        message.provider_id = provider_id
    session.add(MessageStatusEvent(message=message, status=status, error_code=error_code))
    current = OUTBOUND_STATUSES.index(message.status) if message.status in OUTBOUND_STATUSES else -1
    new = OUTBOUND_STATUSES.index(status) if status in OUTBOUND_STATUSES else -1
    if status in FINAL_FAILURES or new > current or message.status in FINAL_FAILURES:
        message.status = status
        message.status_at = utcnow()
    session.flush()


def by_provider_id(session: Session, channel: str, provider_id: str) -> ContactMessage | None:
    return session.scalars(
        select(ContactMessage).where(
            ContactMessage.channel == channel, ContactMessage.provider_id == provider_id
        )
    ).first()


def conversation(session: Session, conversation_id: str, limit: int = 200) -> list[ContactMessage]:
    """The latest messages of one conversation, oldest first."""
    rows = session.scalars(
        select(ContactMessage)
        .where(ContactMessage.conversation_id == conversation_id)
        .order_by(ContactMessage.id.desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def pending(session: Session, conversation_id: str) -> list[ContactMessage]:
    return list(
        session.scalars(
            select(ContactMessage)
            .where(
                ContactMessage.conversation_id == conversation_id,
                ContactMessage.direction == "out",
                ContactMessage.status == "pending",
            )
            .order_by(ContactMessage.id)
        )
    )


def for_customer(
    session: Session, customer_id: int, limit: int = 200, after_id: int = 0
) -> list[ContactMessage]:
    """The customer's contacts on every channel, oldest first: the cross-channel timeline."""
    rows = session.scalars(
        select(ContactMessage)
        .where(ContactMessage.customer_id == customer_id, ContactMessage.id > after_id)
        .order_by(ContactMessage.id.desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def last_inbound_at(session: Session, customer_id: int, channel: str) -> dt.datetime | None:
    return session.scalar(
        select(func.max(ContactMessage.created_at)).where(
            ContactMessage.customer_id == customer_id,
            ContactMessage.channel == channel,
            ContactMessage.direction == "in",
        )
    )


def as_dict(message: ContactMessage) -> dict[str, Any]:
    """A message as the widget and the agent console show it."""
    data: dict[str, Any] = {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "channel": message.channel,
        "direction": message.direction,
        "author": message.author,
        "text": message.text,
        "status": message.status,
        "at": message.created_at.isoformat(),
    }
    for key in ("buttons", "image", "agent_name", "kind", "product_cards"):
        if message.payload.get(key):
            data[key] = message.payload[key]
    return data

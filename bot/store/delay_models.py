"""Delay announcements in the store: carrier events, delay episodes, vouchers and the outbox.

They live beside the retail models (same metadata) and are imported at the end of
`bot.store.models`, so Alembic and every session see them.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String

from bot.store.models import Base, UtcDateTime, utcnow


class CarrierEvent(Base):
    """One event a carrier or warehouse reported, kept by its id so a retry changes nothing."""

    __tablename__ = "carrier_events"

    id = Column(Integer, primary_key=True)
    event_id = Column(String(128), nullable=False, unique=True)
    shipment_id = Column(Integer, ForeignKey("shipments.id"), nullable=False, index=True)
    status = Column(String(24), nullable=False)
    at = Column(UtcDateTime, nullable=False)
    eta = Column(Date)
    reason = Column(String(24))
    applied = Column(Integer, nullable=False, default=1)  # 0: older than what we knew
    received_at = Column(UtcDateTime, nullable=False, default=utcnow)


class DelayEpisode(Base):
    """One delay of one order's parcel, from detection until delivery: announced once.

    `open_key` is set while the episode is open and unique, so a second detection of the same
    delay finds this one instead of opening another; closing clears it.
    """

    __tablename__ = "delay_episodes"

    id = Column(Integer, primary_key=True)
    open_key = Column(String(64), unique=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    shipment_id = Column(Integer, ForeignKey("shipments.id"), index=True)
    rule = Column(String(20), nullable=False)
    reason = Column(String(20), nullable=False, default="")
    old_date = Column(Date, nullable=False)
    new_date = Column(Date)
    seq = Column(Integer, nullable=False, default=1)  # 1: first notice; 2, 3 …: updates
    opened_at = Column(UtcDateTime, nullable=False, default=utcnow)
    updated_at = Column(UtcDateTime, nullable=False, default=utcnow)
    closed_at = Column(UtcDateTime)
    closed_reason = Column(String(20))


class Voucher(Base):
    """Goodwill for a delayed order: at most one per order (the unique order_id)."""

    __tablename__ = "vouchers"

    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False, unique=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, unique=True)
    episode_id = Column(Integer, ForeignKey("delay_episodes.id"))
    value_cents = Column(Integer, nullable=False)
    expires_on = Column(Date, nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)


class OutboxMessage(Base):
    """A proactive message to send, written in the same transaction as what it announces.

    status: pending (waiting, maybe until `next_attempt_at`) → sent | to_agent | refused |
    failed | skipped, with the reason (sent: the dialogue announced it; refused: it would
    not). A worker leases a row by setting `locked_by` / `locked_until`; a crashed worker's
    lease runs out and another takes it over.
    """

    __tablename__ = "outbox_messages"

    id = Column(Integer, primary_key=True)
    dedup_key = Column(String(200), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), index=True)
    conversation_id = Column(String(300))  # fixed target (klantreis notify); else chosen
    episode_id = Column(Integer, ForeignKey("delay_episodes.id"), index=True)
    intent = Column(String(80), nullable=False)
    entities = Column(JSON, nullable=False, default=dict)
    purpose = Column(String(20), nullable=False, default="service", server_default="service")
    status = Column(String(12), nullable=False, default="pending", index=True)
    reason = Column(String(300))
    channel = Column(String(20))
    sent_to = Column(String(300))
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UtcDateTime, nullable=False, default=utcnow, index=True)
    locked_by = Column(String(64))
    locked_until = Column(UtcDateTime)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    finished_at = Column(UtcDateTime)


class SenderPace(Base):
    """The next free send slot per sender, shared by every worker so pacing holds across them."""

    __tablename__ = "sender_pacing"

    sender = Column(String(100), primary_key=True)
    next_slot_at = Column(UtcDateTime, nullable=False)


class AnnouncedNotice(Base):
    """A delivery-delay notice the bot announced (or held for the agent), once per notice id.

    The worker that dispatches notices may retry; the row, inserted before anything is said,
    is what makes the announcement exactly-once, and it is what agents see in the context panel.
    """

    __tablename__ = "announced_notices"

    id = Column(Integer, primary_key=True)
    notice_id = Column(String(120), nullable=False, unique=True)
    conversation_id = Column(String(300), nullable=False, index=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), index=True)
    order_number = Column(String(40), nullable=False)
    kind = Column(String(10), nullable=False)  # first | update | arrived
    old_date = Column(Date)
    new_date = Column(Date)
    reason = Column(String(20), nullable=False, default="")
    voucher_code = Column(String(40))
    voucher_value_cents = Column(Integer)
    voucher_expires = Column(Date)
    outcome = Column(String(12), nullable=False)  # announced | to_agent | refused
    language = Column(String(2), nullable=False, default="nl")
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)

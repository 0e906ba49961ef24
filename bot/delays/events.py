"""Carrier and warehouse events: idempotent by event id, out-of-order safe, then the rules.

Decide apart from act: `parse_event` turns a JSON body into a checked `CarrierEventIn` (or a
clear error); `apply_event` records it and re-assesses the parcel in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import validation
from bot.delays.policy import DelayPolicy
from bot.delays.rules import REASONS
from bot.delays.scan import check_orders
from bot.store.delay_models import CarrierEvent
from bot.store.models import SHIPMENT_STATUSES, Shipment, ShipmentEvent

SHIPPED_STATUSES = ("in_transit", "out_for_delivery", "delivered", "delayed")


class EventError(ValueError):
    """The event is malformed or names an unknown parcel; the message says what."""


@dataclass(frozen=True)
class CarrierEventIn:
    event_id: str
    tracking_code: str
    status: str
    at: dt.datetime
    eta: dt.date | None = None
    reason: str | None = None
    description: str | None = None


def _text(data: dict[str, Any], name: str, limit: int, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise EventError(f"{name}: required")
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise EventError(f"{name}: must be text of at most {limit} characters")
    try:  # a carrier's data is refused, not repaired: it must be valid Unicode without NUL
        return validation.check_text(value, field=name)
    except validation.Invalid as exc:
        raise EventError(str(exc)) from None


def parse_event(data: Any) -> CarrierEventIn:
    if not isinstance(data, dict):
        raise EventError("the body must be a JSON object")
    event_id = _text(data, "event_id", 128)
    tracking = _text(data, "tracking_code", 64)
    status = _text(data, "status", 24)
    if status not in SHIPMENT_STATUSES:
        raise EventError(f"status: one of {', '.join(SHIPMENT_STATUSES)}")
    try:
        at = dt.datetime.fromisoformat(str(_text(data, "at", 40)).replace("Z", "+00:00"))
    except ValueError:
        raise EventError(
            "at: an ISO 8601 time with offset, e.g. 2026-12-04T09:30:00+01:00"
        ) from None
    if at.tzinfo is None:
        raise EventError("at: give the time zone offset (e.g. +01:00 or Z)")
    eta_text = _text(data, "eta", 10, required=False)
    try:
        eta = dt.date.fromisoformat(eta_text) if eta_text else None
    except ValueError:
        raise EventError("eta: a date like 2026-12-08") from None
    reason = _text(data, "reason", 24, required=False)
    if reason is not None and reason not in REASONS:
        raise EventError(f"reason: one of {', '.join(r for r in REASONS if r)}")
    assert event_id and tracking  # required above
    return CarrierEventIn(
        event_id=event_id,
        tracking_code=tracking,
        status=status,
        at=at,
        eta=eta,
        reason=reason,
        description=_text(data, "description", 300, required=False),
    )


def apply_event(
    session: Session, *, event: CarrierEventIn, now: dt.datetime, policy: DelayPolicy
) -> str:
    """'applied', 'stale' (older than what we knew: kept, not applied) or 'duplicate'."""
    shipment = session.scalars(
        select(Shipment).where(Shipment.tracking_code == event.tracking_code)
    ).first()
    if shipment is None:
        raise EventError(f"tracking_code: no parcel {event.tracking_code!r}")
    latest = session.scalar(
        select(func.max(ShipmentEvent.at)).where(ShipmentEvent.shipment_id == shipment.id)
    )
    newer = latest is None or event.at >= latest
    terminal = shipment.status == "delivered"
    applies = event.status == "delivered" or (newer and not terminal)
    record = CarrierEvent(
        event_id=event.event_id,
        shipment_id=shipment.id,
        status=event.status,
        at=event.at,
        eta=event.eta,
        reason=event.reason,
        applied=int(applies),
        received_at=now,
    )
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:
        return "duplicate"
    try:
        with session.begin_nested():
            session.add(
                ShipmentEvent(
                    shipment_id=shipment.id,
                    at=event.at,
                    status=event.status,
                    description=event.description,
                )
            )
    except IntegrityError:
        pass  # the same scan came through the import already
    if not applies:
        return "stale"
    shipment.status = event.status
    if event.eta is not None:
        shipment.eta = event.eta
    if event.status in SHIPPED_STATUSES and shipment.shipped_at is None:
        shipment.shipped_at = event.at
    order = shipment.order
    if event.status == "delivered":
        shipment.delivered_at = event.at
        if all(s.status == "delivered" for s in order.shipments) and order.status != "cancelled":
            order.status = "delivered"
    elif event.status in SHIPPED_STATUSES and order.status in ("paid", "processing"):
        order.status = "shipped"
    session.flush()
    check_orders(session, orders=[order], now=now, policy=policy)
    return "applied"

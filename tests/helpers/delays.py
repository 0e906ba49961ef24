"""A small shop for the delay tests: one customer, orders with parcels, written directly."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy.orm import Session

from bot.delays.policy import DelayPolicy
from bot.store.models import (
    ChannelIdentity,
    Consent,
    Customer,
    Order,
    Shipment,
    ShipmentEvent,
)

UTC = dt.timezone.utc
# A Wednesday at noon in Amsterdam: no quiet hours, working days on both sides.
NOW = dt.datetime(2026, 12, 2, 11, 0, tzinfo=UTC)
TODAY = dt.date(2026, 12, 2)
_numbers = itertools.count(1)


def policy(**changes: object) -> DelayPolicy:
    base = {"goodwill_value_cents": 1000, "holidays": frozenset()}
    base.update(changes)
    return DelayPolicy(**base)  # type: ignore[arg-type]


def customer(
    session: Session,
    *,
    ref: str = "",
    phone: str | None = "+31612345678",
    consents: dict[str, bool] | None = None,
    language: str = "nl",
) -> Customer:
    n = next(_numbers)
    person = Customer(
        customer_ref=ref or f"T{n:05d}",
        first_name="Sanne",
        last_name="Test",
        phone=phone,
        language=language,
        postcode="3572 BK",
    )
    session.add(person)
    session.flush()
    for channel, granted in (consents or {}).items():
        session.add(
            Consent(
                customer_id=person.id,
                purpose="service",
                channel=channel,
                granted=granted,
                recorded_at=NOW - dt.timedelta(days=30),
            )
        )
    session.flush()
    return person


def identity(session: Session, person: Customer, channel: str, external_id: str) -> None:
    session.add(
        ChannelIdentity(
            channel=channel,
            external_id=external_id,
            customer_id=person.id,
            verified=True,
            verified_at=NOW - dt.timedelta(days=1),
            verification_method="test",
        )
    )
    session.flush()


def order(
    session: Session,
    person: Customer,
    *,
    status: str = "shipped",
    placed: dt.date = dt.date(2026, 11, 25),
    promised: dt.date | None = dt.date(2026, 11, 30),
    eta: dt.date | None = None,
    shipment_status: str = "in_transit",
    last_scan: dt.datetime | None = None,
) -> Order:
    n = next(_numbers)
    placed_at = dt.datetime.combine(placed, dt.time(10, 0), tzinfo=UTC)
    row = Order(
        order_number=f"9{n:05d}",
        customer_id=person.id,
        placed_at=placed_at,
        status=status,
    )
    session.add(row)
    session.flush()
    if promised is not None:
        parcel = Shipment(
            order_id=row.id,
            carrier="postnl",
            tracking_code=f"3STEST{n:08d}",
            status=shipment_status,
            promised_date=promised,
            eta=eta,
            shipped_at=placed_at + dt.timedelta(days=1) if shipment_status != "announced" else None,
        )
        session.add(parcel)
        session.flush()
        session.add(
            ShipmentEvent(
                shipment_id=parcel.id,
                at=last_scan or placed_at + dt.timedelta(days=1),
                status=shipment_status,
            )
        )
    session.flush()
    session.refresh(row)
    return row

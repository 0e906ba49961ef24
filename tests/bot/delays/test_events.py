"""Carrier events: idempotent by event id, out-of-order safe, checked before they act."""

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.delays.events import EventError, apply_event, parse_event
from bot.store.delay_models import CarrierEvent, OutboxMessage
from tests.helpers import delays as shop
from tests.helpers.delays import NOW

UTC = dt.timezone.utc


def event(tracking: str, event_id: str, at: dt.datetime, **fields: str) -> dict[str, str]:
    return {
        "event_id": event_id,
        "tracking_code": tracking,
        "status": "in_transit",
        "at": at.isoformat(),
        **fields,
    }


def test_a_later_eta_from_the_carrier_is_announced_once_even_when_the_event_repeats(
    session: Session,
) -> None:
    person = shop.customer(session)
    parcel = shop.order(session, person, promised=dt.date(2026, 12, 3)).shipments[0]
    body = event(parcel.tracking_code, "evt-1", NOW, eta="2026-12-07", reason="weather")

    first = apply_event(session, event=parse_event(body), now=NOW, policy=shop.policy())
    again = apply_event(session, event=parse_event(body), now=NOW, policy=shop.policy())

    assert (first, again) == ("applied", "duplicate")
    assert parcel.eta == dt.date(2026, 12, 7)
    [notice] = session.scalars(select(OutboxMessage)).all()
    assert notice.entities["reason"] == "weather" and notice.entities["new_date"] == "2026-12-07"
    assert session.scalar(select(func.count(CarrierEvent.id))) == 1


def test_an_older_event_arriving_late_does_not_undo_a_newer_one(session: Session) -> None:
    person = shop.customer(session)
    parcel = shop.order(session, person, promised=dt.date(2026, 12, 3)).shipments[0]
    newer = event(parcel.tracking_code, "evt-new", NOW, eta="2026-12-08", status="out_for_delivery")
    older = event(parcel.tracking_code, "evt-old", NOW - dt.timedelta(hours=5), eta="2026-12-05")

    assert (
        apply_event(session, event=parse_event(newer), now=NOW, policy=shop.policy()) == "applied"
    )
    outcome = apply_event(session, event=parse_event(older), now=NOW, policy=shop.policy())

    assert outcome == "stale"
    assert parcel.status == "out_for_delivery" and parcel.eta == dt.date(2026, 12, 8)
    assert session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_delivery_ends_the_episode_even_when_it_arrives_out_of_order(session: Session) -> None:
    person = shop.customer(session)
    placed = shop.order(session, person, promised=dt.date(2026, 12, 1))
    parcel = placed.shipments[0]
    late = event(parcel.tracking_code, "evt-late", NOW, eta="2026-12-04")
    delivered = event(
        parcel.tracking_code, "evt-dlv", NOW - dt.timedelta(minutes=1), status="delivered"
    )
    apply_event(session, event=parse_event(late), now=NOW, policy=shop.policy())
    apply_event(session, event=parse_event(delivered), now=NOW, policy=shop.policy())
    assert parcel.status == "delivered" and placed.status == "delivered"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "JSON object"),
        ({"tracking_code": "X", "status": "in_transit", "at": "2026-12-01T10:00:00Z"}, "event_id"),
        ({"event_id": "e", "tracking_code": "X", "status": "lost", "at": "2026-12-01"}, "status"),
        ({"event_id": "e", "tracking_code": "X", "status": "in_transit", "at": "gisteren"}, "at"),
        (
            {
                "event_id": "e",
                "tracking_code": "X",
                "status": "in_transit",
                "at": "2026-12-01T10:00",
            },
            "offset",
        ),
        (
            {
                "event_id": "e",
                "tracking_code": "X",
                "status": "delayed",
                "at": "2026-12-01T10:00:00Z",
                "eta": "volgende week",
            },
            "eta",
        ),
    ],
)
def test_a_malformed_event_is_refused_with_the_field_named(body: object, message: str) -> None:
    with pytest.raises(EventError, match=message):
        parse_event(body)


@pytest.mark.parametrize("field", ["event_id", "tracking_code", "description"])
@pytest.mark.parametrize("bad", ["evt-\ud98d", "evt-\x00"])
def test_invalid_unicode_or_nul_in_an_event_is_refused_not_a_500(field: str, bad: str) -> None:
    """Issue #15: the fuzzer's lone surrogate in event_id reached the database as a 500."""
    body = {**event("3SKAAB574720737", "evt-1", NOW), field: bad}

    with pytest.raises(EventError, match=field):
        parse_event(body)

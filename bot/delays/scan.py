"""Apply the delay rules to every open order: the periodic scan, after an import, and for the
one parcel a carrier event changed. Everything that finds a delay goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.delays import episodes
from bot.delays.policy import DelayPolicy
from bot.delays.rules import Parcel, assess
from bot.store.delay_models import CarrierEvent, DelayEpisode
from bot.store.models import Order, Shipment, ShipmentEvent

OPEN_ORDER_STATUSES = ("paid", "processing", "shipped", "out_for_delivery", "delayed")
CLOSED_ORDER_STATUSES = ("cancelled", "delivered", "returned")
BATCH = 500


@dataclass
class ScanReport:
    counts: dict[str, int] = field(default_factory=lambda: {"first": 0, "update": 0, "closed": 0})

    def add(self, kind: str) -> None:
        if kind in self.counts:
            self.counts[kind] += 1

    def line(self) -> str:
        c = self.counts
        return f"{c['first']} new delay(s), {c['update']} update(s), {c['closed']} closed"


def _last_scans(session: Session, shipment_ids: list[int]) -> dict[int, dt.datetime]:
    rows = session.execute(
        select(ShipmentEvent.shipment_id, func.max(ShipmentEvent.at))
        .where(ShipmentEvent.shipment_id.in_(shipment_ids))
        .group_by(ShipmentEvent.shipment_id)
    )
    return {sid: at for sid, at in rows}


def _carrier_reasons(session: Session, shipment_ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(CarrierEvent.shipment_id, CarrierEvent.reason)
        .where(CarrierEvent.shipment_id.in_(shipment_ids), CarrierEvent.reason.is_not(None))
        .order_by(CarrierEvent.at)
    )
    return {sid: reason for sid, reason in rows}


def _parcel(
    order: Order,
    shipment: Shipment | None,
    last_scan: dt.datetime | None,
    reason: str | None,
    policy: DelayPolicy,
) -> Parcel:
    zone = policy.zone
    return Parcel(
        order_status=order.status,
        placed_on=order.placed_at.astimezone(zone).date(),
        promised_date=shipment.promised_date if shipment else None,
        eta=shipment.eta if shipment else None,
        status=shipment.status if shipment else None,
        shipped=bool(shipment and (shipment.shipped_at or shipment.status != "announced")),
        last_scan_on=last_scan.astimezone(zone).date() if last_scan else None,
        carrier_reason=reason,
    )


def check_orders(
    session: Session, *, orders: Iterable[Order], now: dt.datetime, policy: DelayPolicy
) -> ScanReport:
    """Apply the rules to these orders' parcels; open, update or close their episodes."""
    report = ScanReport()
    today = policy.local_today(now)
    orders = list(orders)
    shipment_ids = [s.id for o in orders for s in o.shipments]
    scans = _last_scans(session, shipment_ids) if shipment_ids else {}
    reasons = _carrier_reasons(session, shipment_ids) if shipment_ids else {}
    for order in orders:
        parcels: list[tuple[int | None, Shipment | None]] = [(s.id, s) for s in order.shipments]
        if not parcels:
            parcels = [(None, None)]
        for shipment_id, shipment in parcels:
            if order.status in CLOSED_ORDER_STATUSES or (
                shipment is not None and shipment.status == "delivered"
            ):
                why = "cancelled" if order.status == "cancelled" else "delivered"
                if episodes.close_episode(
                    session, order=order, shipment_id=shipment_id, why=why, now=now, policy=policy
                ):
                    report.add("closed")
                continue
            parcel = _parcel(
                order, shipment, scans.get(shipment_id or 0), reasons.get(shipment_id or 0), policy
            )
            finding = assess(parcel, today, policy)
            if finding is None:
                continue
            outcome = episodes.record_finding(
                session,
                order=order,
                shipment_id=shipment_id,
                finding=finding,
                now=now,
                policy=policy,
            )
            report.add(outcome.kind)
    return report


def scan(session: Session, *, now: dt.datetime, policy: DelayPolicy) -> ScanReport:
    """Every open order, and every order with an open episode, in batches (one transaction)."""
    report = ScanReport()
    with_episode = select(DelayEpisode.order_id).where(DelayEpisode.open_key.is_not(None))
    ids = list(
        session.scalars(
            select(Order.id)
            .where(Order.status.in_(OPEN_ORDER_STATUSES) | Order.id.in_(with_episode))
            .order_by(Order.id)
        )
    )
    for start in range(0, len(ids), BATCH):
        batch = session.scalars(select(Order).where(Order.id.in_(ids[start : start + BATCH])))
        part = check_orders(session, orders=batch, now=now, policy=policy)
        for kind, count in part.counts.items():
            report.counts[kind] += count
    return report

"""The delay rules, as pure functions: given what we know of a parcel and today, is it late?"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.delays.policy import DelayPolicy

REASONS = ("carrier_delay", "weather", "warehouse", "no_scan", "missed_date", "")
NOT_DISPATCHED = ("paid", "processing")


@dataclass(frozen=True)
class Parcel:
    """What the rules look at: one shipment (or an order still waiting for one)."""

    order_status: str
    placed_on: dt.date
    promised_date: dt.date | None
    eta: dt.date | None = None
    status: str | None = None  # the shipment's status; None: no shipment yet
    shipped: bool = False
    last_scan_on: dt.date | None = None
    carrier_reason: str | None = None


@dataclass(frozen=True)
class Finding:
    """A delay: which rule saw it, the reason code, the promised date and the new one."""

    rule: str
    reason: str
    old_date: dt.date
    new_date: dt.date | None


def reason_code(value: str | None, default: str) -> str:
    return value if value in REASONS and value else default


def assess(parcel: Parcel, today: dt.date, policy: DelayPolicy) -> Finding | None:
    """The first rule that finds `parcel` late, or None (delivered and cancelled never are)."""
    if parcel.status == "delivered" or parcel.order_status in ("cancelled", "delivered"):
        return None
    if parcel.order_status == "returned":
        return None
    promised = parcel.promised_date or policy.add_working_days(
        parcel.placed_on, policy.dispatch_within_working_days + policy.delivery_working_days
    )
    later = parcel.eta if parcel.eta is not None and parcel.eta > promised else None
    if policy.later_eta and later is not None:
        return Finding(
            "later_eta", reason_code(parcel.carrier_reason, "carrier_delay"), promised, later
        )
    if not parcel.shipped and policy.dispatch_within_working_days > 0:
        dispatch_by = policy.add_working_days(parcel.placed_on, policy.dispatch_within_working_days)
        if today > dispatch_by and parcel.order_status in NOT_DISPATCHED + ("delayed",):
            return Finding("not_dispatched", "warehouse", promised, None)
    if policy.promised_date_passed and today > promised:
        return Finding(
            "date_passed", reason_code(parcel.carrier_reason, "missed_date"), promised, None
        )
    if (
        parcel.shipped
        and policy.no_scan_working_days > 0
        and parcel.last_scan_on is not None
        and policy.working_days_between(parcel.last_scan_on, today) >= policy.no_scan_working_days
    ):
        return Finding("no_scan", "no_scan", promised, None)
    return None

"""Orders: verification and the self-service acts (change delivery, cancel, return)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.store.models import Order, OrderLine, Return, Shipment, utcnow
from bot.text import normalise_postcode

CANCELLABLE = ("paid", "processing")
ADDRESS_CHANGEABLE = ("paid", "processing")
DATE_CHANGEABLE = ("paid", "processing", "shipped", "delayed")
RETURNABLE = ("delivered",)


def find_order(*, session: Session, order_number: str) -> Order | None:
    return session.execute(
        select(Order)
        .where(Order.order_number == order_number)
        .options(
            selectinload(Order.lines).selectinload(OrderLine.product),
            selectinload(Order.shipments).selectinload(Shipment.events),
            selectinload(Order.returns),
            selectinload(Order.customer),
        )
    ).scalar_one_or_none()


def verify_order(
    *,
    session: Session,
    order_number: str,
    postcode: str | None = None,
    customer_id: int | None = None,
) -> Order | None:
    """The order, only if the postcode (delivery or billing) or the verified customer matches.

    A wrong number and a wrong postcode look the same to the caller, so trying numbers
    reveals nothing.
    """
    order = find_order(session=session, order_number=order_number)
    if order is None:
        return None
    if customer_id is not None and order.customer_id == customer_id:
        return order
    wanted = normalise_postcode(postcode or "")
    if wanted and wanted in {order.postcode, order.customer.postcode}:
        return order
    return None


@dataclass(frozen=True)
class ActResult:
    """What happened, in words the dialogue can turn into a reply."""

    done: bool
    reason: str = ""
    code: str = ""


def cancel_order(*, session: Session, order: Order, now: dt.datetime | None = None) -> ActResult:
    if order.status == "cancelled":
        return ActResult(False, "already_cancelled")
    if order.status not in CANCELLABLE:
        return ActResult(False, "already_shipped")
    order.status = "cancelled"
    order.cancelled_at = now or utcnow()
    return ActResult(True)


def change_delivery_date(*, session: Session, order: Order, date: dt.date) -> ActResult:
    if order.status not in DATE_CHANGEABLE:
        return ActResult(False, f"status_{order.status}")
    order.requested_delivery_date = date
    return ActResult(True)


def change_delivery_address(
    *, session: Session, order: Order, street: str, house_number: str, postcode: str, city: str
) -> ActResult:
    if order.status not in ADDRESS_CHANGEABLE:
        return ActResult(False, f"status_{order.status}")
    order.street, order.house_number, order.postcode, order.city = (
        street,
        house_number,
        postcode,
        city,
    )
    order.pickup_point = None
    return ActResult(True)


def change_to_pickup_point(*, session: Session, order: Order, pickup_point: str) -> ActResult:
    if order.status not in DATE_CHANGEABLE:
        return ActResult(False, f"status_{order.status}")
    order.pickup_point = pickup_point
    return ActResult(True)


def return_deadline(order: Order, return_days: int) -> dt.date | None:
    delivered = [s.delivered_at for s in order.shipments if s.delivered_at]
    if not delivered:
        return None
    return max(delivered).date() + dt.timedelta(days=return_days)


def create_return(
    *,
    session: Session,
    order: Order,
    reason: str,
    return_days: int,
    now: dt.datetime | None = None,
) -> ActResult:
    now = now or utcnow()
    existing = [r for r in order.returns if r.status != "rejected"]
    if existing:
        return ActResult(False, "already_returned", existing[0].return_code)
    if order.status not in RETURNABLE:
        return ActResult(False, f"status_{order.status}")
    deadline = return_deadline(order, return_days)
    if deadline is None or now.date() > deadline:
        return ActResult(False, "too_late")
    code = "RT-" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
    session.add(
        Return(
            return_code=code,
            order=order,
            created_at=now,
            reason=reason[:1000],
            status="requested",
            refund_amount_cents=order.total_cents,  # the whole order goes back
            refund_method=order.payment_method,
        )
    )
    return ActResult(True, code=code)

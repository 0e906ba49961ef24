"""The shop's answer to a same-parcel addition: paid (payment link), confirmed (the shop's
request flow) or refused. Settling records it, puts the line on the order and queues the
confirmation to the customer in the outbox (a service message: they asked for it).

Idempotent: the same answer again changes nothing and queues nothing new (the outbox's dedup
key is the addition and its outcome); a different answer to a settled addition is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.delays import outbox
from bot.store import identities
from bot.store.models import OrderLine
from bot.store.suggestion_models import OrderAddition
from bot.suggestions.orders import settle

INTENT = "EXTERNAL_order_addition_settled"
OUTCOMES = ("paid", "confirmed", "refused")
# Which outcomes each flow's open status may end in.
ALLOWED = {"awaiting_payment": ("paid", "refused"), "awaiting_shop": ("confirmed", "refused")}
ADDED = ("paid", "confirmed")


class SettleError(ValueError):
    """The answer does not fit the addition; `code` is the HTTP status the webhook answers."""

    def __init__(self, message: str, code: int = 422):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Settled:
    addition_id: int
    status: str
    changed: bool  # False: this answer was recorded before (a retried webhook)
    order_line: int | None  # the line number added to the order
    outbox_id: int | None


def _next_line_no(session: Session, order_id: int) -> int:
    highest = session.scalar(
        select(func.max(OrderLine.line_no)).where(OrderLine.order_id == order_id)
    )
    return int(highest or 0) + 1


def _add_line(session: Session, addition: OrderAddition) -> int:
    line_no = _next_line_no(session, addition.order_id)
    session.add(
        OrderLine(
            order_id=addition.order_id,
            line_no=line_no,
            product_id=addition.product_id,
            variant=addition.variant,
            quantity=addition.quantity,
            unit_price_cents=addition.unit_price_cents,
        )
    )
    return line_no


def _queue_confirmation(session: Session, addition: OrderAddition, now: dt.datetime) -> int:
    """One message per addition and outcome, to the conversation the customer asked in; a
    conversation that is no channel's (REST) goes by the customer's channels instead."""
    conversation = addition.conversation_id
    channel_conversation = identities.split_conversation_id(conversation or "") is not None
    message, _ = outbox.enqueue(
        session,
        dedup_key=f"addition:{addition.id}:{addition.status}",
        intent=INTENT,
        entities={"addition_id": str(addition.id)},
        now=now,
        customer_id=addition.customer_id,
        conversation_id=conversation if channel_conversation else None,
        purpose="service",
    )
    return int(message.id)


def settle_addition(
    session: Session, *, addition_id: int, status: str, now: dt.datetime
) -> Settled:
    """Record the shop's or payment provider's answer (see the module's docstring)."""
    if status not in OUTCOMES:
        raise SettleError(f"status must be one of {', '.join(OUTCOMES)}, not {status!r}")
    addition = session.get(OrderAddition, addition_id)
    if addition is None:
        raise SettleError(f"no order addition {addition_id}", code=404)
    if addition.status == status:
        return Settled(addition.id, status, False, None, None)
    allowed = ALLOWED.get(addition.status)
    if allowed is None:
        raise SettleError(f"order addition {addition_id} is already {addition.status}", code=409)
    if status not in allowed:
        raise SettleError(
            f"order addition {addition_id} is {addition.status} ({addition.flow}); "
            f"it can end {' or '.join(allowed)}, not {status}",
            code=409,
        )
    settle(session, addition_id=addition.id, status=status, now=now)
    line_no = None
    if status in ADDED:
        line_no = _add_line(session, addition)
    session.flush()
    outbox_id = _queue_confirmation(session, addition, now)
    return Settled(addition.id, status, True, line_no, outbox_id)


def open_additions(session: Session, *, customer_id: int) -> list[OrderAddition]:
    """The customer's additions still waiting for payment or the shop (the demo page's list)."""
    return list(
        session.scalars(
            select(OrderAddition)
            .where(
                OrderAddition.customer_id == customer_id,
                OrderAddition.status.in_(tuple(ALLOWED)),
            )
            .order_by(OrderAddition.id)
        )
    )

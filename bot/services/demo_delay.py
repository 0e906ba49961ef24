"""The demo page's "carrier reports a delay": a real delay notice for the logged-in shopper.

It goes the way the dispatcher's notices go (send_proactive → Rasa's trigger_intent →
action_announce_delay), into the shopper's own open web chat, so the demo shows the real
thing. Only for demo log-ins, and only into a chat session verified as that customer.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delay_notice import INTENT
from bot.store import identities
from bot.store.models import Order

SESSION_LENGTH = 64


@dataclass(frozen=True)
class DemoDelay:
    """A notice to trigger, or why not (an error code the page shows in words)."""

    conversation_id: str = ""
    entities: dict[str, str] | None = None
    error: str = ""
    intent: str = INTENT


def demo_delay(
    session: Session, *, customer_ref: str, session_id: str, today: dt.date | None = None
) -> DemoDelay:
    """The notice for this customer's latest order on its way, into their own chat."""
    if not session_id or len(session_id) > SESSION_LENGTH or not session_id.isalnum():
        return DemoDelay(error="no_chat")
    customer = identities.customer_by_ref(session, customer_ref)
    identity = identities.find_identity(session, "web", session_id)
    if customer is None or identity is None:
        return DemoDelay(error="no_chat")
    who = identities.who(session, identity)
    if not who.verified or who.customer_id != customer.id:
        return DemoDelay(error="no_chat")
    orders = session.scalars(
        select(Order)
        .where(
            Order.customer_id == customer.id,
            Order.status.not_in(("delivered", "cancelled", "returned")),
        )
        .order_by(Order.placed_at.desc())
    )
    order = next((o for o in orders if o.shipments), None)  # one a carrier has
    if order is None:
        return DemoDelay(error="no_order")
    shipment = order.shipments[-1]
    old = shipment.eta or shipment.promised_date
    new = max(old, today or dt.date.today()) + dt.timedelta(days=2)
    return DemoDelay(
        conversation_id=identities.conversation_id("web", session_id),
        entities={
            "notice_id": f"demo:{order.order_number}:{secrets.token_hex(6)}",
            "notice_kind": "first",
            "order_number": order.order_number,
            "old_date": old.isoformat(),
            "new_date": new.isoformat(),
            "reason": "carrier_delay",
            "voucher_code": "",
            "voucher_value_eur": "",
            "voucher_expires": "",
        },
    )

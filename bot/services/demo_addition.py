"""The demo page's "the shop settles my addition": the logged-in shopper's latest open
same-parcel addition is paid (payment link) or confirmed (the shop's request), through the
same settlement as the shop's signed webhook, and its confirmation goes out at once through
the outbox worker's own dispatch (consent, channel choice), into the shopper's chat."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.store import identities
from bot.store.models import utcnow
from bot.suggestions.settlement import Settled, open_additions, settle_addition

OUTCOME_OF_FLOW = {"payment_link": "paid", "shop_confirms": "confirmed"}


@dataclass(frozen=True)
class DemoSettled:
    settled: Settled | None = None
    error: str = ""


def settle_latest(session: Session, *, customer_ref: str) -> DemoSettled:
    customer = identities.customer_by_ref(session, customer_ref)
    if customer is None:
        return DemoSettled(error="not_logged_in")
    waiting = open_additions(session, customer_id=customer.id)
    if not waiting:
        return DemoSettled(error="no_addition")
    addition = waiting[-1]
    status = OUTCOME_OF_FLOW.get(addition.flow, "confirmed")
    return DemoSettled(
        settle_addition(session, addition_id=addition.id, status=status, now=utcnow())
    )

"""The shop settled a same-parcel addition (`EXTERNAL_order_addition_settled`, queued by
bot/suggestions/settlement.py): tell the customer, once, in their language, only in a
conversation that is theirs.

"Once" holds across retries: the outbox triggers the intent again when a worker dies after Rasa
answered but before the outbox marked the message sent. The action claims the addition
(`announced_at`, set only where it is still empty) before it speaks, as delay notices claim their
notice id (bot/store/announced_notices.py)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy import update
from sqlalchemy.orm import Session

from actions.common import latest_values, say, store_session
from actions.delays import trusted_external
from bot.formatting import money_text
from bot.language import supported
from bot.store import identities
from bot.store.models import Customer, Order, Product, utcnow
from bot.store.suggestion_models import OrderAddition, Suggestion

SAID = ("paid", "confirmed", "refused")


def theirs(session: Session, conversation_id: str, addition: OrderAddition) -> bool:
    """The conversation it was asked in, or one of the same customer's."""
    if conversation_id == addition.conversation_id:
        return True
    parts = identities.split_conversation_id(conversation_id)
    identity = identities.find_identity(session, *parts) if parts else None
    if identity is None:
        return False
    who = identities.who(session, identity)
    customer = session.get(Customer, addition.customer_id)
    live = identities.live(session, customer).id if customer is not None else None
    return who.verified and who.customer_id in (addition.customer_id, live)


def claim(session: Session, addition: OrderAddition) -> bool:
    """Mark the addition announced; False when an earlier attempt did (say nothing then).

    One conditional UPDATE, so two concurrent attempts cannot both win, on SQLite and PostgreSQL.
    """
    claimed = session.execute(
        update(OrderAddition)
        .where(OrderAddition.id == addition.id, OrderAddition.announced_at.is_(None))
        .values(announced_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount)


def language_for(session: Session, addition: OrderAddition) -> str:
    """The language the customer accepted in, else their current one."""
    if addition.suggestion_id is not None:
        suggestion = session.get(Suggestion, addition.suggestion_id)
        if suggestion is not None and suggestion.language:
            return supported(suggestion.language)
    customer = session.get(Customer, addition.customer_id)
    return supported(customer.language if customer is not None else None)


class ActionAnnounceOrderAddition(Action):
    def name(self) -> str:
        return "action_announce_order_addition"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not trusted_external(tracker):
            return []
        values = latest_values(tracker, "addition_id")
        if not values or not values[0].isdigit():
            return []
        with store_session() as session:
            addition = session.get(OrderAddition, int(values[0]))
            if addition is None or addition.status not in SAID:
                return []
            if not theirs(session, tracker.sender_id or "", addition):
                return []
            order = session.get(Order, addition.order_id)
            product = session.get(Product, addition.product_id)
            if order is None or product is None:
                return []
            if not claim(session, addition):
                return []
            language = language_for(session, addition)
            say(
                dispatcher,
                language,
                f"addition_{addition.status}",
                product=product.name(language),
                price=money_text(addition.unit_price_cents * addition.quantity, language),
                order_number=order.order_number,
            )
        return []

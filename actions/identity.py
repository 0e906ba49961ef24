"""Who the bot is talking to: the verified customer behind this channel identity, if any.

Read on every user message (action_message_slots): the channel has already resolved (channel,
external id) to a customer in the shared store, so a customer verified on WhatsApp is known
on the web and on Telegram too. Only the channel the message really came in on counts: a REST
caller cannot claim to be `whatsapp:+316…`.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.common import store_session
from bot.store import identities
from bot.store.models import ChannelIdentity, Customer, Order, Shipment


def channel_identity(session: Session, tracker: Tracker) -> ChannelIdentity | None:
    parts = identities.split_conversation_id(tracker.sender_id or "")
    if parts is None or parts[0] != tracker.get_latest_input_channel():
        return None
    return identities.find_identity(session, *parts)


def verified_customer(session: Session, tracker: Tracker) -> Customer | None:
    identity = channel_identity(session, tracker)
    if identity is None:
        return None
    who = identities.who(session, identity)
    return session.get(Customer, who.customer_id) if who.verified else None


def link_after_verification(tracker: Tracker, order: Order, session: Session) -> None:
    """Order number + postcode proved who this is: remember it for this channel identity.

    An identity already verified for someone (say, Sanne checking her partner's order)
    is left alone.
    """
    identity = channel_identity(session, tracker)
    if identity is not None and not identity.verified:
        identities.link(session, identity, order.customer, "order_postcode")


def open_matter(session: Session, customer_id: int) -> tuple[Order, Shipment] | None:
    """The customer's most recent order whose parcel is late, if any."""
    orders = session.scalars(
        select(Order)
        .where(Order.customer_id == customer_id, Order.status.not_in(("cancelled", "returned")))
        .order_by(Order.placed_at.desc())
    )
    for order in orders:
        for shipment in order.shipments:
            if shipment.is_late:
                return order, shipment
    return None


def identify_customer(tracker: Tracker) -> list[EventType]:
    """Fill `customer_id` and `customer_name` from the verified channel identity."""
    with store_session() as session:
        customer = verified_customer(session, tracker)
        customer_id = float(customer.id) if customer else None
        name = customer.first_name if customer else None
    events: list[EventType] = []
    if tracker.get_slot("customer_id") != customer_id:
        events.append(SlotSet("customer_id", customer_id))
    if tracker.get_slot("customer_name") != name:
        events.append(SlotSet("customer_name", name))
    return events

"""Where a proactive message may go: the customer's channel with consent for service messages.

Decide apart from act: `candidates` reads the store (consents, identities, the channel the
customer last wrote on) and returns the reachable conversations in order of preference;
the dispatcher then asks whether a web chat tab is open before it picks one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store import identities
from bot.store.models import ChannelIdentity, Consent, ContactMessage, Customer

SERVICE = "service"


@dataclass(frozen=True)
class Candidates:
    """Reachable conversations, preferred first; or why there are none."""

    conversations: tuple[str, ...]
    reason: str = ""


def _consents(session: Session, customer_id: int) -> dict[str, bool]:
    rows = session.scalars(
        select(Consent).where(Consent.customer_id == customer_id, Consent.purpose == SERVICE)
    )
    return {row.channel: bool(row.granted) for row in rows}


def _last_channel(session: Session, customer_id: int) -> str | None:
    return session.scalar(
        select(ContactMessage.channel)
        .where(ContactMessage.customer_id == customer_id, ContactMessage.direction == "in")
        .order_by(ContactMessage.id.desc())
        .limit(1)
    )


def _verified(session: Session, customer_id: int, channel: str) -> list[ChannelIdentity]:
    return list(
        session.scalars(
            select(ChannelIdentity)
            .where(
                ChannelIdentity.customer_id == customer_id,
                ChannelIdentity.channel == channel,
                ChannelIdentity.verified.is_(True),
            )
            .order_by(ChannelIdentity.verified_at.desc(), ChannelIdentity.id.desc())
        )
    )


def _conversation(session: Session, customer: Customer, channel: str) -> str | None:
    """The customer's own conversation on `channel`: a verified identity only, so a notice
    never reaches someone who merely wrote from a shared device; on WhatsApp also the phone
    number the retailer has on file (the customer's consent names that number)."""
    found = _verified(session, customer.id, channel)
    if found:
        return identities.conversation_id(channel, found[0].external_id)
    if channel == "whatsapp":
        phone = identities.normalise_phone(customer.phone)
        if phone:
            return identities.conversation_id("whatsapp", phone)
    return None


def candidates(session: Session, *, customer_id: int, order: tuple[str, ...]) -> Candidates:
    """Conversations with consent for service messages, the last-used channel first.

    WhatsApp and Telegram need a recorded consent; the shop's own web chat is where a
    logged-in customer is talking to us, so it needs none unless they withdrew it (opt-out).
    """
    customer = session.get(Customer, customer_id)
    if customer is None:
        return Candidates((), "customer not found")
    customer = identities.live(session, customer)
    consents = _consents(session, customer.id)
    last = _last_channel(session, customer.id)
    preference = ([last] if last in order else []) + [c for c in order if c != last]
    found: list[str] = []
    consented_somewhere = False
    for channel in preference:
        allowed = consents.get(channel, channel == "web")
        if not allowed:
            continue
        consented_somewhere = consented_somewhere or channel != "web" or channel in consents
        conversation = _conversation(session, customer, channel)
        if conversation is not None:
            found.append(conversation)
    if found:
        return Candidates(tuple(found))
    served = ", ".join(order)
    if consented_somewhere:
        return Candidates(
            (), f"no reachable channel with consent for service messages (served: {served})"
        )
    return Candidates((), f"no consent for service messages on any channel served ({served})")

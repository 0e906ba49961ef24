"""Who is writing: one customer behind every (channel, external id), linked across channels.

Every inbound message resolves its channel identity to a customer, creating an anonymous one
the first time. Verification links the identity to a known customer; when that reveals two
records of one person, the anonymous record is merged into the known one, keeping its history.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.language import LANGUAGES, supported
from bot.store.delay_models import AnnouncedNotice, OutboxMessage
from bot.store.handoff_models import Handoff, SurveyAnswer
from bot.store.models import ChannelIdentity, Consent, ContactMessage, Customer, Order, utcnow
from bot.store.suggestion_models import (
    OrderAddition,
    StockSubscription,
    Suggestion,
    SuggestionCooldown,
    SuggestionSuppression,
)

CHANNELS = ("web", "whatsapp", "telegram")
# Every row that belongs to a customer moves on a merge (consents are reconciled instead).
MOVED_ON_MERGE = (
    ChannelIdentity,
    Order,
    ContactMessage,
    Handoff,
    SurveyAnswer,
    OutboxMessage,
    AnnouncedNotice,
    Suggestion,
    SuggestionSuppression,
    SuggestionCooldown,
    StockSubscription,
    OrderAddition,
)


@dataclass(frozen=True)
class Who:
    """What a connector and the actions need to know about the sender."""

    customer_id: int
    verified: bool
    method: str | None
    first_name: str | None
    language: str | None


def conversation_id(channel: str, external_id: str) -> str:
    """Rasa's sender id for a channel identity."""
    return f"{channel}:{external_id}"


def split_conversation_id(value: str) -> tuple[str, str] | None:
    channel, sep, external_id = value.partition(":")
    if not sep or channel not in CHANNELS or not external_id:
        return None
    return channel, external_id


def normalise_phone(raw: str | None) -> str | None:
    """E.164 for Dutch numbers written any common way; None when it is not a phone number."""
    if not raw:
        return None
    value = raw.strip()
    if value.lower().startswith("whatsapp:"):
        value = value[len("whatsapp:") :]
    digits = re.sub(r"[\s().-]", "", value)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0") and len(digits) == 10:
        digits = "+31" + digits[1:]
    elif not digits.startswith("+") and digits.isdigit() and len(digits) >= 10:
        digits = "+" + digits
    if not re.fullmatch(r"\+[1-9][0-9]{7,14}", digits):  # ASCII digits only
        return None
    return digits


def live(session: Session, customer: Customer) -> Customer:
    """Follow merges to the record that is still in use."""
    seen = set()
    while customer.merged_into_id is not None and customer.id not in seen:
        seen.add(customer.id)
        customer = session.get(Customer, customer.merged_into_id)
    return customer


def remember_language(session: Session, *, identity: ChannelIdentity, language: str) -> bool:
    """The customer wrote in `language`: make it their language, the one fact every proactive
    message (agent reply hint, WhatsApp template, channel notice) reads. True when it changed."""
    if language not in LANGUAGES:
        return False
    customer = live(session, identity.customer)
    if customer.language == language:
        return False
    customer.language = language
    return True


def find_identity(session: Session, channel: str, external_id: str) -> ChannelIdentity | None:
    return session.scalars(
        select(ChannelIdentity).where(
            ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id
        )
    ).first()


def resolve(
    session: Session, channel: str, external_id: str, *, language: str | None = None
) -> ChannelIdentity:
    """The identity for (channel, external id), with a new anonymous customer when unknown."""
    identity = find_identity(session, channel, external_id)
    if identity is not None:
        _repoint_if_merged(session, identity)
        return identity
    customer = Customer(
        customer_ref=f"ANON-{secrets.token_hex(8)}",
        language=supported(language),
        is_anonymous=True,
    )
    identity = ChannelIdentity(channel=channel, external_id=external_id, customer=customer)
    try:
        with session.begin_nested():
            session.add_all([customer, identity])
    except IntegrityError:
        # Another worker created it between our look-up and insert: use theirs.
        found = find_identity(session, channel, external_id)
        if found is None:
            raise
        return found
    return identity


def _repoint_if_merged(session: Session, identity: ChannelIdentity) -> None:
    customer = live(session, identity.customer)
    if customer.id != identity.customer_id:
        identity.customer = customer


def who(session: Session, identity: ChannelIdentity) -> Who:
    customer = live(session, identity.customer)
    return Who(
        customer_id=customer.id,
        verified=bool(identity.verified) and not customer.is_anonymous,
        method=identity.verification_method if identity.verified else None,
        first_name=None if customer.is_anonymous else customer.first_name,
        language=customer.language,
    )


def link(session: Session, identity: ChannelIdentity, customer: Customer, method: str) -> Customer:
    """Mark `identity` as verified to belong to `customer` (by `method`) and merge records.

    The anonymous record the identity used so far is merged into the known customer. An
    identity that was verified for another known customer is moved, never merged: two known
    customers are only merged by an operator.
    """
    target = live(session, customer)
    current = live(session, identity.customer)
    if current.id != target.id and current.is_anonymous:
        merge(session, keep=target, other=current)
    identity.customer = target
    identity.verified = True
    identity.verified_at = utcnow()
    identity.verification_method = method
    session.flush()
    return target


def merge(session: Session, *, keep: Customer, other: Customer) -> None:
    """Move everything of `other` onto `keep`; `other` stays as a pointer to `keep`."""
    if keep.id == other.id:
        return
    session.flush()
    for model in MOVED_ON_MERGE:
        session.execute(
            update(model)
            .where(model.customer_id == other.id)
            .values(customer_id=keep.id)
            .execution_options(synchronize_session="fetch")
        )
    kept = {(c.purpose, c.channel): c for c in keep.consents}
    for consent in list(other.consents):
        mine = kept.get((consent.purpose, consent.channel))
        if mine is None:
            consent.customer_id = keep.id
        elif consent.recorded_at > mine.recorded_at:
            mine.granted, mine.recorded_at = consent.granted, consent.recorded_at
            session.delete(consent)
        else:
            session.delete(consent)
    for name in ("first_name", "last_name", "email", "phone", "street", "house_number"):
        if getattr(keep, name) is None and getattr(other, name) is not None:
            setattr(keep, name, getattr(other, name))
    other.merged_into_id = keep.id
    session.flush()
    session.expire(keep)
    session.expire(other)


def customer_by_phone(session: Session, phone: str | None) -> Customer | None:
    """The known customer with this phone number (the importer stores E.164)."""
    number = normalise_phone(phone)
    if number is None:
        return None
    return session.scalars(
        select(Customer)
        .where(
            Customer.phone == number,
            Customer.is_anonymous.is_(False),
            Customer.merged_into_id.is_(None),
        )
        .order_by(Customer.id)
    ).first()


def customer_by_ref(session: Session, ref: str) -> Customer | None:
    customer = session.scalars(select(Customer).where(Customer.customer_ref == ref)).first()
    return None if customer is None else live(session, customer)


def consents_of(session: Session, customer_id: int) -> list[Consent]:
    return list(
        session.scalars(
            select(Consent).where(Consent.customer_id == customer_id).order_by(Consent.id)
        )
    )

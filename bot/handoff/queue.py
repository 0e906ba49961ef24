"""The handoff queue: request, claim (atomically), reassign, cancel, close, tickets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.handoff.policy import HandoffPolicy
from bot.language import supported
from bot.store.handoff_models import Agent, Handoff
from bot.store.models import utcnow

OPEN = ("waiting", "assigned")
# Reasons: explicit, complaint, fallback, verification, act (the bot may not), message, timeout.
PRIORITY = {"complaint": 1, "act": 1, "verification": 2, "explicit": 2, "fallback": 2}
# The bot's slots an agent sees: in the summary handed over and live in the console.
SUMMARY_SLOTS = (
    "language",
    "customer_name",
    "order_number",
    "verified_orders",
    "verification_failures",
    "pending_act",
    "order_step",
    "product",
    "delivery_change_type",
    "delivery_change_value",
    "return_reason",
)


def recent_intents(events: list[dict[str, Any]], limit: int = 5) -> list[dict[str, Any]]:
    """The last intents the bot recognised (newest first, with confidence), for the agent."""
    intents: list[dict[str, Any]] = []
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name"):
            name, confidence = intent["name"], float(intent.get("confidence") or 0)
            intents.append({"name": name, "confidence": round(confidence, 3)})
        if len(intents) >= limit:
            break
    return intents


def open_handoff(session: Session, conversation_id: str) -> Handoff | None:
    """The waiting or assigned handoff of a conversation, if any."""
    return session.scalars(
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id, Handoff.status.in_(OPEN))
        .order_by(Handoff.id.desc())
    ).first()


def last_resolved(session: Session, conversation_id: str) -> Handoff | None:
    """The conversation's most recently resolved handoff: the one a CSAT answer is about."""
    return session.scalars(
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id, Handoff.status == "resolved")
        .order_by(Handoff.closed_at.desc(), Handoff.id.desc())
    ).first()


def request(
    session: Session,
    *,
    conversation_id: str,
    customer_id: int,
    channel: str,
    language: str,
    reason: str,
    summary: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Handoff:
    """Put the conversation in the queue (once: an open handoff is returned as it is)."""
    existing = open_handoff(session, conversation_id)
    if existing is not None:
        return existing
    return _new(
        session,
        status="waiting",
        conversation_id=conversation_id,
        customer_id=customer_id,
        channel=channel,
        language=language,
        reason=reason,
        summary=summary,
        now=now,
    )


def create_ticket(
    session: Session,
    *,
    conversation_id: str,
    customer_id: int,
    channel: str,
    language: str,
    reason: str,
    message: str,
    summary: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Handoff:
    """A message left for the team while nobody could take the conversation live."""
    return _new(
        session,
        status="ticket",
        conversation_id=conversation_id,
        customer_id=customer_id,
        channel=channel,
        language=language,
        reason=reason,
        summary=summary,
        message=message,
        now=now,
    )


def _new(
    session: Session,
    *,
    status: str,
    language: str,
    reason: str,
    summary: dict[str, Any] | None,
    now: dt.datetime | None,
    **fields: Any,
) -> Handoff:
    now = now or utcnow()
    handoff = Handoff(
        status=status,
        language=supported(language),
        reason=reason,
        priority=PRIORITY.get(reason, 2),
        summary=summary or {},
        requested_at=now,
        updated_at=now,
        **fields,
    )
    session.add(handoff)
    session.flush()
    return handoff


def agents_online(session: Session, policy: HandoffPolicy, now: dt.datetime | None = None) -> int:
    since = (now or utcnow()) - dt.timedelta(seconds=policy.agent_online_seconds)
    return (
        session.scalar(
            select(func.count(Agent.id)).where(Agent.active.is_(True), Agent.last_seen_at >= since)
        )
        or 0
    )


def estimated_wait_minutes(
    session: Session, policy: HandoffPolicy, now: dt.datetime | None = None
) -> int:
    """A plain estimate: the queue ahead, shared over the agents at work."""
    waiting = session.scalar(select(func.count(Handoff.id)).where(Handoff.status == "waiting")) or 0
    online = max(agents_online(session, policy, now), 1)
    return max(2, round((waiting + 1) * policy.minutes_per_conversation / online))


def claim(session: Session, handoff_id: int, agent_id: int, now: dt.datetime | None = None) -> bool:
    """Take a waiting conversation or an unowned ticket. Exactly one of two racing agents wins:
    the update only matches while nobody owns it."""
    now = now or utcnow()
    waiting = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == "waiting", Handoff.agent_id.is_(None))
        .values(status="assigned", agent_id=agent_id, claimed_at=now, updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    if waiting.rowcount == 1:
        return True
    ticket = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == "ticket", Handoff.agent_id.is_(None))
        .values(agent_id=agent_id, claimed_at=now, updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return ticket.rowcount == 1


def reassign(
    session: Session, handoff: Handoff, agent_id: int, now: dt.datetime | None = None
) -> None:
    """A supervisor gives a conversation or ticket to another agent."""
    now = now or utcnow()
    handoff.agent_id = agent_id
    if handoff.status == "waiting":
        handoff.status = "assigned"
    handoff.claimed_at = handoff.claimed_at or now
    handoff.updated_at = now
    session.flush()


def cancel_waiting(session: Session, conversation_id: str) -> Handoff | None:
    """The customer stopped waiting: only a handoff nobody took yet can be cancelled."""
    handoff = open_handoff(session, conversation_id)
    if handoff is None or handoff.status != "waiting":
        return None
    close(session, handoff, "cancelled")
    return handoff


def close(session: Session, handoff: Handoff, status: str, now: dt.datetime | None = None) -> None:
    """resolved | returned (to the bot) | cancelled | answered (a ticket)."""
    now = now or utcnow()
    handoff.status = status
    handoff.closed_at = now
    handoff.updated_at = now
    session.flush()


def overdue(
    session: Session, policy: HandoffPolicy, now: dt.datetime | None = None
) -> list[Handoff]:
    """Waiting longer than the retailer allows: to be turned into messages for the team."""
    limit = (now or utcnow()) - dt.timedelta(minutes=policy.max_wait_minutes)
    return list(
        session.scalars(
            select(Handoff).where(Handoff.status == "waiting", Handoff.requested_at < limit)
        )
    )


def to_ticket(session: Session, handoff: Handoff, now: dt.datetime | None = None) -> None:
    handoff.status = "ticket"
    handoff.reason = "timeout" if handoff.reason != "message" else handoff.reason
    handoff.updated_at = now or utcnow()
    session.flush()

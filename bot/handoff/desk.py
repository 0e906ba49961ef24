"""The handoff desk: what agents do with a handed-over conversation, as store functions.

The console's routes, `klantreis notify`, the actions and any future sender (a delay notice)
call these, so the rules (who may answer, when WhatsApp allows free text, what a supervisor
may move) live once. Each function takes the caller's session and leaves commit to it; a
refusal is a `Refused` with a short reason the caller maps to its own answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.handoff import held, queue
from bot.handoff.context import customer_context, handoff_item
from bot.handoff.policy import HandoffPolicy
from bot.store import service_window, timeline
from bot.store.handoff_models import Agent, AgentNote, AgentReply, Handoff
from bot.store.models import utcnow

MAX_TEXT = 2000
LIVE = ("waiting", "assigned", "ticket")
TRANSCRIPT_LIMIT = 500


class Refused(Exception):
    """The desk will not do this: `reason` is one of not_found, taken, closed, not_yours,
    outside_window."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Moved:
    """What the caller must still tell Rasa after a change on the desk."""

    handoff_id: int
    conversation_id: str
    channel: str
    status: str
    pause_bot: bool = False  # an agent now has a conversation the bot was holding
    live: bool = False  # the customer was waiting live (not a ticket) when it was closed


def _handoff(session: Session, handoff_id: int) -> Handoff:
    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        raise Refused("not_found")
    return handoff


def _moved(handoff: Handoff, **flags: bool) -> Moved:
    return Moved(
        handoff_id=handoff.id,
        conversation_id=handoff.conversation_id,
        channel=handoff.channel,
        status=handoff.status,
        **flags,
    )


def can_reply(handoff: Handoff, agent: Agent) -> bool:
    """The agent who has it answers; an unowned ticket may be answered by anyone."""
    if handoff.status == "assigned":
        return handoff.agent_id == agent.id
    if handoff.status == "ticket":
        return handoff.agent_id in (None, agent.id)
    return False


def whatsapp_window(
    session: Session, *, handoff: Handoff, template_configured: bool
) -> dict[str, bool] | None:
    """For a WhatsApp handoff: may free text go out now, and is there a template otherwise."""
    if handoff.channel != "whatsapp":
        return None
    return {
        "open": service_window.within_window(session, handoff.customer_id),
        "template": template_configured,
    }


def note_dict(note: AgentNote) -> dict[str, Any]:
    return {
        "id": note.id,
        "handoff_id": note.handoff_id,
        "author": note.agent.display_name if note.agent else "Klantreis",
        "text": note.text,
        "at": note.created_at.isoformat(),
    }


def queue_view(
    session: Session, *, agent: Agent, policy: HandoffPolicy, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The agent's queue: waiting, mine, unowned tickets; a supervisor also sees the others'
    conversations and who is online."""
    now = now or utcnow()
    is_supervisor = agent.role == "supervisor"
    rows = session.scalars(
        select(Handoff)
        .where(Handoff.status.in_(LIVE))
        .order_by(Handoff.priority, Handoff.requested_at)
    ).all()
    view: dict[str, Any] = {"waiting": [], "mine": [], "tickets": [], "others": []}
    for row in rows:
        item = handoff_item(row, now.timestamp())
        if row.agent_id == agent.id:
            view["mine"].append(item)
        elif row.status == "waiting":
            view["waiting"].append(item)
        elif row.status == "ticket" and row.agent_id is None:
            view["tickets"].append(item)
        elif is_supervisor:
            view["others"].append(item)
    view["agents"] = []
    if is_supervisor:
        online_since = now - dt.timedelta(seconds=policy.agent_online_seconds)
        view["agents"] = [
            {
                "id": a.id,
                "display_name": a.display_name,
                "online": bool(a.last_seen_at and a.last_seen_at >= online_since),
            }
            for a in session.scalars(
                select(Agent).where(Agent.active.is_(True)).order_by(Agent.display_name)
            )
        ]
    return view


def handoff_view(
    session: Session,
    *,
    handoff_id: int,
    agent: Agent,
    template_configured: bool,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """One conversation as the agent sees it: transcript, notes, the customer's context, the
    summary handed over, and whether this agent may answer (and on WhatsApp, how)."""
    handoff = _handoff(session, handoff_id)
    return {
        "handoff": handoff_item(handoff, (now or utcnow()).timestamp()),
        "transcript": [
            timeline.as_dict(m)
            for m in timeline.conversation(session, handoff.conversation_id, TRANSCRIPT_LIMIT)
        ],
        "notes": [note_dict(n) for n in handoff.notes],
        "context": customer_context(session, handoff.customer_id),
        "summary": handoff.summary or {},
        "whatsapp_window": whatsapp_window(
            session, handoff=handoff, template_configured=template_configured
        ),
        "can_reply": can_reply(handoff, agent),
    }


def claim(session: Session, *, handoff_id: int, agent_id: int) -> Moved:
    """Take a waiting conversation or an unowned ticket; of two racing agents one wins."""
    won = queue.claim(session, handoff_id, agent_id)
    handoff = _handoff(session, handoff_id)
    session.refresh(handoff)  # the claim was a bulk update: read back what it wrote
    if not won:
        raise Refused("taken")
    return _moved(handoff, pause_bot=handoff.status == "assigned")


def assign(session: Session, *, handoff_id: int, agent_id: int) -> Moved:
    """A supervisor gives an open conversation or ticket to an active agent."""
    handoff = session.get(Handoff, handoff_id)
    agent = session.get(Agent, agent_id)
    if handoff is None or agent is None or not agent.active:
        raise Refused("not_found")
    if handoff.status not in LIVE:
        raise Refused("closed")
    was_waiting = handoff.status == "waiting"
    queue.reassign(session, handoff, agent.id)
    return _moved(handoff, pause_bot=was_waiting)


def add_reply(
    session: Session, *, handoff_id: int, agent: Agent, text: str, template_configured: bool
) -> Moved:
    """Keep the agent's answer for delivery by the bot on the customer's own channel.

    Outside WhatsApp's window, free text is refused unless an approved template can reopen
    the conversation. Answering an unowned ticket claims it."""
    handoff = _handoff(session, handoff_id)
    if not can_reply(handoff, agent):
        raise Refused("not_yours")
    window = whatsapp_window(session, handoff=handoff, template_configured=template_configured)
    if window is not None and not window["open"] and not window["template"]:
        raise Refused("outside_window")
    if handoff.status == "ticket" and handoff.agent_id is None:
        queue.claim(session, handoff.id, agent.id)
    session.add(
        AgentReply(
            handoff_id=handoff.id,
            conversation_id=handoff.conversation_id,
            agent_id=agent.id,
            text=text.strip(),
        )
    )
    session.flush()
    return _moved(handoff)


def add_note(
    session: Session, *, handoff_id: int, agent_id: int | None, text: str
) -> dict[str, Any]:
    """An internal note on the conversation (never shown to the customer)."""
    handoff = _handoff(session, handoff_id)
    record = AgentNote(handoff_id=handoff.id, agent_id=agent_id, text=text.strip())
    session.add(record)
    session.flush()
    return note_dict(record)


def finish(session: Session, *, handoff_id: int, agent: Agent, how: str) -> Moved:
    """Close it: `resolve` (then the bot asks for CSAT) or `handback` (the bot helps again).

    A ticket is simply answered. Only its agent, or a supervisor, may close it."""
    handoff = _handoff(session, handoff_id)
    mine = handoff.agent_id == agent.id or agent.role == "supervisor"
    if not mine or handoff.status not in ("assigned", "ticket"):
        raise Refused("not_yours")
    live = handoff.status == "assigned"
    status = "answered" if not live else ("resolved" if how == "resolve" else "returned")
    queue.close(session, handoff, status)
    return _moved(handoff, live=live)


def hold_for_agent(
    session: Session, *, conversation_id: str, intent: str, entities: dict[str, Any] | None
) -> dict[str, Any] | None:
    """A proactive message while an agent has the conversation becomes a note for them, so
    nothing reaches the customer behind the agent's back and nothing is dropped.

    Returns None when the bot may send it itself; else the new note (for the live feed), or
    an empty dict when the same delay notice was held (or said) before."""
    handoff = queue.open_handoff(session, conversation_id)
    if handoff is None or handoff.status != "assigned":
        return None
    text = held.held_text(session, handoff=handoff, intent=intent, entities=dict(entities or {}))
    if text is None:
        return {}
    note = AgentNote(handoff_id=handoff.id, agent_id=None, text=text)
    session.add(note)
    session.flush()
    return {"handoff_id": handoff.id, "note": note_dict(note)}


@dataclass(frozen=True)
class PendingReply:
    text: str
    agent_name: str


def take_undelivered_replies(
    session: Session, *, conversation_id: str, now: dt.datetime | None = None
) -> list[PendingReply]:
    """The agent's replies not yet sent, oldest first, each marked delivered as it is taken,
    so two deliveries at once never send one twice."""
    moment = now or utcnow()
    replies = session.scalars(
        select(AgentReply)
        .where(AgentReply.conversation_id == conversation_id, AgentReply.delivered_at.is_(None))
        .order_by(AgentReply.created_at, AgentReply.id)
    ).all()
    taken = []
    for reply in replies:
        claimed = session.execute(
            update(AgentReply)
            .where(AgentReply.id == reply.id, AgentReply.delivered_at.is_(None))
            .values(delivered_at=moment)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            taken.append(PendingReply(text=reply.text, agent_name=reply.agent.display_name))
    return taken

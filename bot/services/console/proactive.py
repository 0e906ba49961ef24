"""Proactive messages (a delay notice, a reminder): to the customer, or to the agent who has
the conversation, so nothing is silently dropped while the bot is paused."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from bot import delay_notice
from bot.handoff import queue
from bot.services.console.live import LiveFeed, note_dict
from bot.services.console.rasa_api import RasaApi
from bot.store import announced_notices, identities
from bot.store.models import AgentNote, Customer, Handoff
from bot.store.units import Store

logger = logging.getLogger(__name__)


def held_text(handoff: Handoff, intent: str, entities: dict[str, Any]) -> str | None:
    """The note for the agent; None when it is a delay notice already held or announced."""
    if intent == delay_notice.INTENT:
        return delay_note(handoff, entities)
    details = ", ".join(f"{k}={v}" for k, v in entities.items())
    return (
        f"Proactief bericht '{intent}'{f' ({details})' if details else ''} is niet naar "
        "de klant gestuurd, want jij hebt dit gesprek. Geef het zelf door / "
        f"Proactive message '{intent}' was held back because you have this conversation; "
        "pass it on yourself."
    )


def delay_note(handoff: Handoff, entities: dict[str, Any]) -> str | None:
    """The notice as the customer would have read it, so the agent can pass it on verbatim.

    Recorded under its notice id like an announcement, so a retried dispatch adds no second
    note (and the bot does not announce it later either).
    """
    from actions.replies import render  # the reply catalogue lives with the actions

    session = Session.object_session(handoff)
    assert session is not None
    notice = delay_notice.parse({k: "" if v is None else str(v) for k, v in entities.items()})
    customer = identities.live(session, session.get(Customer, handoff.customer_id))
    language = customer.language if customer.language in ("nl", "en") else "nl"
    if not announced_notices.claim(
        session,
        notice=notice,
        conversation_id=handoff.conversation_id,
        customer_id=customer.id,
        outcome="to_agent",
        language=language,
    ):
        return None
    texts = [m["text"] for m in delay_notice.compose(notice, language, customer.first_name)]
    agent_language = handoff.agent.language if handoff.agent else "nl"
    return str(
        render(
            "delay_note",
            agent_language,
            order_number=notice.order_number,
            text=" ".join(texts),
        )["text"]
    )


async def send_proactive(
    store: Store,
    rasa: RasaApi,
    feed: LiveFeed,
    conversation_id: str,
    intent: str,
    entities: dict[str, Any] | None = None,
) -> str:
    """'to_agent' when an agent has the conversation, else 'sent' through its own channel.

    A delay notice (`EXTERNAL_delivery_delayed`) is checked first (bot/delay_notice.py raises
    NoticeError, a ValueError, for bad entities) and is said at most once per notice id,
    whichever way it goes.
    """
    parts = identities.split_conversation_id(conversation_id)
    if parts is None:
        raise ValueError(f"{conversation_id!r} is not a channel conversation (web:, whatsapp:, …)")
    given = dict(entities or {})
    if intent == delay_notice.INTENT:
        delay_notice.parse({k: "" if v is None else str(v) for k, v in given.items()})

    def work(session: Session) -> dict[str, Any] | None:
        handoff = queue.open_handoff(session, conversation_id)
        if handoff is None or handoff.status != "assigned":
            return None
        text = held_text(handoff, intent, given)
        if text is None:
            return {}  # held (or said) before: nothing new for the agent
        note = AgentNote(handoff_id=handoff.id, agent_id=None, text=text)
        session.add(note)
        session.flush()
        return {"handoff_id": handoff.id, "note": note_dict(note)}

    held = await store.run(work)
    if held is not None:
        if held:
            feed.publish("note", held)
        return "to_agent"
    await rasa.trigger_intent(conversation_id, intent, given, parts[0])
    return "sent"

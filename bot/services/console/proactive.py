"""Proactive messages (a delay notice, a reminder): to the customer, or to the agent who has
the conversation, so nothing is silently dropped while the bot is paused."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.handoff import queue
from bot.services.console.live import LiveFeed
from bot.services.console.rasa_api import RasaApi
from bot.store import identities
from bot.store.models import AgentNote
from bot.store.units import Store


async def send_proactive(
    store: Store,
    rasa: RasaApi,
    feed: LiveFeed,
    conversation_id: str,
    intent: str,
    entities: dict[str, Any] | None = None,
) -> str:
    """'to_agent' when an agent has the conversation, else 'sent' through its own channel."""
    parts = identities.split_conversation_id(conversation_id)
    if parts is None:
        raise ValueError(f"{conversation_id!r} is not a channel conversation (web:, whatsapp:, …)")

    def work(session: Session) -> dict[str, Any] | None:
        handoff = queue.open_handoff(session, conversation_id)
        if handoff is None or handoff.status != "assigned":
            return None
        details = ", ".join(f"{k}={v}" for k, v in (entities or {}).items())
        note = AgentNote(
            handoff_id=handoff.id,
            agent_id=None,
            text=f"Proactief bericht '{intent}'{f' ({details})' if details else ''} is niet naar "
            "de klant gestuurd, want jij hebt dit gesprek. Geef het zelf door / "
            f"Proactive message '{intent}' was held back because you have this conversation; "
            "pass it on yourself.",
        )
        session.add(note)
        session.flush()
        return {"handoff_id": handoff.id, "note": {"id": note.id, "text": note.text}}

    held = await store.run(work)
    if held is not None:
        feed.publish("note", held)
        return "to_agent"
    await rasa.trigger_intent(conversation_id, intent, entities, parts[0])
    return "sent"

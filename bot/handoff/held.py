"""What an agent reads when a proactive message is held back because they have the conversation.

A delay notice becomes the notice as the customer would have read it, so the agent can pass it
on verbatim; it is recorded under its notice id like an announcement, so a retried dispatch adds
no second note (and the bot does not announce it later either). Any other intent becomes a plain
"held back" line with its entities.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot import delay_notice, texts
from bot.language import supported
from bot.store import announced_notices, identities
from bot.store.handoff_models import Handoff
from bot.store.models import Customer


def held_text(
    session: Session, *, handoff: Handoff, intent: str, entities: dict[str, Any]
) -> str | None:
    """The note for the agent; None when it is a delay notice already held or announced."""
    if intent == delay_notice.INTENT:
        return delay_note(session, handoff=handoff, entities=entities)
    details = ", ".join(f"{k}={v}" for k, v in entities.items())
    return (
        f"Proactief bericht '{intent}'{f' ({details})' if details else ''} is niet naar "
        "de klant gestuurd, want jij hebt dit gesprek. Geef het zelf door / "
        f"Proactive message '{intent}' was held back because you have this conversation; "
        "pass it on yourself."
    )


def delay_note(session: Session, *, handoff: Handoff, entities: dict[str, Any]) -> str | None:
    notice = delay_notice.parse({k: "" if v is None else str(v) for k, v in entities.items()})
    customer = identities.live(session, session.get(Customer, handoff.customer_id))
    language = supported(customer.language)
    if not announced_notices.claim(
        session,
        notice=notice,
        conversation_id=handoff.conversation_id,
        customer_id=customer.id,
        outcome="to_agent",
        language=language,
    ):
        return None
    said = [m["text"] for m in delay_notice.compose(notice, language, customer.first_name)]
    agent_language = handoff.agent.language if handoff.agent else None
    return texts.text(
        "delay_note", agent_language, order_number=notice.order_number, text=" ".join(said)
    )

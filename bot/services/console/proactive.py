"""Proactive messages (a delay notice, a reminder): to the customer, or to the agent who has
the conversation, so nothing is silently dropped while the bot is paused."""

from __future__ import annotations

import logging
from typing import Any

from bot import delay_notice
from bot.handoff import desk
from bot.services.console.live import LiveFeed
from bot.services.console.rasa_api import RasaApi
from bot.store import announced_notices, identities
from bot.store.units import Store

logger = logging.getLogger(__name__)


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
    whichever way it goes. Its outcome is the dialogue's, not Rasa's: 'sent' only when
    action_announce_delay announced it (now or on an earlier attempt), 'refused' when the
    dialogue would not say it here (another customer's order, a conversation not its own).
    """
    parts = identities.split_conversation_id(conversation_id)
    if parts is None:
        raise ValueError(f"{conversation_id!r} is not a channel conversation (web:, whatsapp:, …)")
    given = dict(entities or {})
    if intent == delay_notice.INTENT:
        delay_notice.parse({k: "" if v is None else str(v) for k, v in given.items()})

    held = await store.run(
        lambda s: desk.hold_for_agent(
            s, conversation_id=conversation_id, intent=intent, entities=given
        )
    )
    if held is not None:
        if held:
            feed.publish("note", held)
        return "to_agent"
    await rasa.trigger_intent(conversation_id, intent, given, parts[0])
    if intent != delay_notice.INTENT:
        return "sent"
    # Rasa answers once the action has run and committed: what it recorded is the outcome.
    said = await store.run(lambda s: announced_notices.outcome(s, str(given["notice_id"])))
    return {"announced": "sent", "to_agent": "to_agent"}.get(said or "", "refused")

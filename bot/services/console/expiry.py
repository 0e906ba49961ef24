"""Nobody took it in time: a waiting conversation becomes a message for the team."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session

from bot.handoff import queue
from bot.handoff.policy import policy
from bot.services.console.live import LiveFeed
from bot.services.console.rasa_api import RasaApi, RasaUnavailable
from bot.store.units import Store

logger = logging.getLogger(__name__)
CHECK_SECONDS = 15


async def expire_overdue(store: Store, rasa: RasaApi, feed: LiveFeed) -> int:
    def work(session: Session) -> list[tuple[str, str]]:
        turned = []
        for handoff in queue.overdue(session, policy()):
            queue.to_ticket(session, handoff)
            turned.append((handoff.conversation_id, handoff.channel))
        return turned

    turned = await store.run(work)
    for conversation_id, channel in turned:
        try:
            await rasa.execute(conversation_id, "action_handoff_timeout", channel)
        except RasaUnavailable as exc:
            logger.warning("handoff timeout: could not tell the customer: %s", exc)
    if turned:
        feed.publish("queue", {})
    return len(turned)


async def run_expiry(store: Store, rasa: RasaApi, feed: LiveFeed) -> None:
    while True:
        try:
            await expire_overdue(store, rasa, feed)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("handoff timeout check failed; trying again")
        await asyncio.sleep(CHECK_SECONDS)

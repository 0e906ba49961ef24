"""When the action server cannot answer, the customer hears "try again in a moment", not silence.

Rasa 3.6 runs a custom action over HTTP (`RemoteAction.run`). When the action server is down,
or answers an error, that raises `RasaException`; `MessageProcessor._run_action` logs it, drops
the action's events and carries on, so the customer gets no reply at all. We wrap
`RemoteAction.run` in the Rasa process: on that failure it returns one polite `BotUttered` in
the customer's language, which Rasa then sends through the customer's channel (our channels
record it on the contact timeline) and stores in the tracker with the customer's message,
then waits for the customer. A failed `action_session_start` falls back to Rasa's own session
start, so the conversation's history stays well-formed for when the action server is back.
Rejections (`ActionExecutionRejection`, a form's "not this slot") keep Rasa's own handling.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from rasa.core.actions.action import (
    ActionExecutionRejection,
    ActionExtractSlots,
    ActionSessionStart,
    RemoteAction,
)
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import BotUttered, Event, FollowupAction, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from bot.language import LANGUAGES, supported
from bot.settings import Settings
from bot.store.db import make_engine, make_session_factory
from bot.store.units import Store
from bot.texts import catalogue, render

logger = logging.getLogger(__name__)

REPLY_KEY = "actions_unavailable"
SESSION_START = "action_session_start"


def apology(language: str) -> str:
    return str(render(REPLY_KEY, language)["text"])


# Slot extraction runs custom actions too, but keeps only their slots, never their messages.
_extracting: ContextVar[bool] = ContextVar("klantreis_extracting_slots", default=False)
# The last customer message we apologised for, per conversation. Slot extraction runs several
# custom actions against the same tracker, so the tracker alone cannot tell within one step.
_apologised: OrderedDict[str, tuple[Any, ...]] = OrderedDict()
MEMO_SIZE = 10_000


def _turn(tracker: DialogueStateTracker) -> tuple[Any, ...]:
    message = tracker.latest_message
    return (message.message_id, message.timestamp) if message else ()


def already_apologised(tracker: DialogueStateTracker) -> bool:
    """True when this turn already has the apology: one per customer message is enough."""
    if _apologised.get(tracker.sender_id) == _turn(tracker):
        return True
    texts = {catalogue()[REPLY_KEY][lang] for lang in LANGUAGES}
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.text in texts:
            return True
    return False


@lru_cache(maxsize=1)
def _store() -> Store:
    return Store(make_session_factory(make_engine(Settings.from_env().database_url)))


def _store_language(conversation_id: str) -> str | None:
    from bot.store import identities

    parts = identities.split_conversation_id(conversation_id)
    if parts is None:
        return None
    with _store().unit() as session:
        identity = identities.find_identity(session, *parts)
        if identity is None:
            return None
        return identities.who(session, identity).language


async def customer_language(tracker: DialogueStateTracker) -> str:
    """The language of this message if the detector was sure, else the customer's language in
    the store, else the conversation's `language` slot, else Dutch."""
    detected = (
        (tracker.latest_message.parse_data or {}).get("language")
        if tracker.latest_message
        else None
    )
    if detected in LANGUAGES:
        return str(detected)
    try:
        stored = await asyncio.to_thread(_store_language, tracker.sender_id)
    except Exception as exc:  # the store may be what is failing: still answer
        logger.warning("action fallback: no language from the store (%s)", exc.__class__.__name__)
        stored = None
    if stored in LANGUAGES:
        return str(stored)
    slot = tracker.get_slot("language")
    return supported(slot if isinstance(slot, str) else None)


def install() -> None:
    """Wrap `RemoteAction.run` (once) so a failed action server call answers politely."""
    if getattr(RemoteAction.run, "klantreis_fallback", False):
        return
    original = RemoteAction.run

    async def run(
        self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> list[Event]:
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except RasaException as exc:
            if _extracting.get():
                raise  # Rasa drops a slot mapping's messages: the next action apologises
            logger.error(
                "conversation %s: action %s failed (%s); the customer is asked to try again",
                tracker.sender_id,
                self.name(),
                exc,
            )
            if self.name() == SESSION_START:  # start the session as Rasa itself would
                return list(await ActionSessionStart().run(output_channel, nlg, tracker, domain))
            # Wait for the customer next: without this, the policies would predict actions
            # that cannot run until Rasa's circuit breaker trips, and the turn ends half-done.
            events: list[Event] = [FollowupAction(ACTION_LISTEN_NAME)]
            if already_apologised(tracker):
                return events
            _apologised[tracker.sender_id] = _turn(tracker)
            _apologised.move_to_end(tracker.sender_id)
            while len(_apologised) > MEMO_SIZE:
                _apologised.popitem(last=False)
            return [BotUttered(apology(await customer_language(tracker))), *events]

    run.klantreis_fallback = True  # type: ignore[attr-defined]
    RemoteAction.run = run  # type: ignore[method-assign]

    original_custom = ActionExtractSlots._run_custom_action

    async def run_custom_action(self: ActionExtractSlots, *args: Any, **kwargs: Any) -> Any:
        token = _extracting.set(True)
        try:
            return await original_custom(self, *args, **kwargs)
        finally:
            _extracting.reset(token)

    ActionExtractSlots._run_custom_action = run_custom_action  # type: ignore[method-assign]

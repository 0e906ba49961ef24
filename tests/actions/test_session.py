"""A new Rasa session after an hour of silence keeps an agent's conversation paused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart
from tests.helpers.handoff import (
    WEB,
    agent_online,
    ask_for_a_person,
    identity_for,
    on_channel,
    open_handoff_with_agent,
    slot,
)
from tests.helpers.trackers import make_tracker, plain

# A new session after an hour of silence


SESSION_DOMAIN: dict[str, Any] = {
    "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": False}
}


async def test_a_new_session_stays_paused_while_an_agent_has_it(store: str) -> None:
    open_handoff_with_agent(store)
    tracker = on_channel(WEB, slots={"handoff_status": "agent"})
    events = plain(await ActionSessionStart().run(CollectingDispatcher(), tracker, SESSION_DOMAIN))
    assert [e["event"] for e in events] == ["session_started", "pause", "slot", "action"]
    assert events[2]["name"] == "handoff_status" and events[2]["value"] == "agent"
    assert events[3]["name"] == "action_listen"


async def test_a_new_session_without_a_handoff_is_rasas_default(store: str) -> None:
    tracker = make_tracker(events=[{"event": "slot", "name": "language", "value": "en"}])
    events = plain(await ActionSessionStart().run(CollectingDispatcher(), tracker, SESSION_DOMAIN))
    assert [e["event"] for e in events] == ["session_started", "action"]
    carry = {"session_config": {"carry_over_slots_to_new_session": True}}
    events = plain(await ActionSessionStart().run(CollectingDispatcher(), tracker, carry))
    assert events[1] == {"event": "slot", "name": "language", "value": "en"}


async def test_a_new_session_keeps_the_customer_waiting(
    store: str, hours: Callable[..., None]
) -> None:
    hours("always")
    agent_online(store)
    identity_for(store, WEB)
    await ask_for_a_person(CollectingDispatcher())
    events = await ActionSessionStart().run(CollectingDispatcher(), on_channel(WEB), SESSION_DOMAIN)
    assert slot(events, "handoff_status") == "waiting"
    assert "pause" not in [e["event"] for e in events]

"""Conversations for the sales-suggestion tests: trackers with a channel sender id and the
events Rasa would have, so the actions read a real session."""

from __future__ import annotations

import time
from typing import Any

from rasa_sdk import Tracker

from tests.helpers.trackers import DEFAULT_SLOTS


def user(intent: str, text: str = "", **extra: Any) -> dict[str, Any]:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": []}
    return {"event": "user", "text": text, "parse_data": parse, "timestamp": time.time(), **extra}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name, "timestamp": time.time()}


def conversation(
    sender: str,
    *,
    intent: str,
    text: str = "",
    before: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    catalogue: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose latest message is `intent`, after the events `before`."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "intent_ranking": [{"name": intent, "confidence": 0.99}],
        "entities": entities or [],
        "catalogue": catalogue or [],
        "metadata": metadata or {},
    }
    events = [
        {"event": "session_started", "timestamp": time.time() - 60},
        *(before or []),
        {
            "event": "user",
            "text": text,
            "parse_data": latest,
            "input_channel": sender.split(":", 1)[0] if ":" in sender else None,
            "timestamp": time.time(),
        },
    ]
    return Tracker(
        sender_id=sender,
        slots={
            **DEFAULT_SLOTS,
            "handoff_status": None,
            "shopper_size": None,
            "suggestion": None,
            "suggestion_step": None,
            "stock_wanted": None,
            "order_step": None,
            **(slots or {}),
        },
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}

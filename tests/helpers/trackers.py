"""Build real rasa-sdk Trackers for action tests, as Rasa would send them."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

DEFAULT_SLOTS: dict[str, Any] = {
    "language": "nl",
    "order_number": None,
    "postcode": None,
    "verified_orders": [],
    "verification_failures": 0,
    "customer_id": None,
    "customer_name": None,
    "pending_act": None,
    "product": None,
    "delivery_change_type": None,
    "delivery_change_value": None,
    "confirm_cancel": None,
    "return_reason": None,
    "requested_slot": None,
}


def entity(name: str, value: Any, group: str | None = None) -> dict[str, Any]:
    data = {"entity": name, "value": value, "start": 0, "end": 1}
    if group is not None:
        data["group"] = group
    return data


def make_tracker(
    *,
    text: str = "",
    intent: str = "",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "intent_ranking": [{"name": intent, "confidence": 0.99}] if intent else [],
        "entities": entities or [],
    }
    user_event = {"event": "user", "text": text, "parse_data": latest}
    return Tracker(
        sender_id="test-customer",
        slots={**DEFAULT_SLOTS, **(slots or {})},
        latest_message=latest,
        events=[*(events or []), user_event],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def texts(dispatcher: Any) -> list[str]:
    return [message.get("text") or "" for message in dispatcher.messages]


def plain(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events without their timestamps, for comparing."""
    return [{k: v for k, v in e.items() if k != "timestamp"} for e in events]

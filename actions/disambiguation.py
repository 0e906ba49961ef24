"""'Bedoel je…?': when the NLU hesitates between two intents, offer both instead of guessing.

Rasa's own two-stage fallback (action_two_stage_fallback) asks about one intent at a time with
'/intent' button payloads, which the web chat drops. So the fallback (actions/conversation.py)
asks itself, with both candidates as buttons whose payloads are plain sentences the NLU knows
(the `choice_*` replies in bot/texts/replies.yml; a live test parses every one of them).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.texts import catalogue, render

FALLBACK = "nlu_fallback"
# The runner-up counts as a real candidate when it has at least this share of the winner's
# confidence: 0.30 against 0.45 is a doubt, 0.05 against 0.45 is not.
CLOSE_RATIO = 0.5


def choice_key(tracker: Tracker, intent: str) -> str | None:
    """The reply naming this intent ('waar je bestelling is'), or None when it has none.

    FAQ questions are named by their topic, as the response selector saw it.
    """
    if intent == "faq":
        selector = (tracker.latest_message.get("response_selector") or {}).get("faq") or {}
        topic = (selector.get("response") or {}).get("intent_response_key") or ""
        intent = topic.replace("/", "_")
    key = f"choice_{intent}"
    return key if intent and key in catalogue() else None


def candidates(tracker: Tracker) -> list[str]:
    """The `choice_*` replies of the two intents the NLU hesitated between, or [] when the
    message was simply unclear (one weak guess, or a candidate that cannot be offered)."""
    ranking = [
        r
        for r in tracker.latest_message.get("intent_ranking") or []
        if r.get("name") and r["name"] != FALLBACK
    ]
    if len(ranking) < 2:
        return []
    first, second = ranking[0], ranking[1]
    if float(second.get("confidence") or 0) < CLOSE_RATIO * float(first.get("confidence") or 0):
        return []
    keys = [choice_key(tracker, first["name"]), choice_key(tracker, second["name"])]
    if None in keys or keys[0] == keys[1]:
        return []
    return [key for key in keys if key]


def offer_choices(
    dispatcher: CollectingDispatcher, tracker: Tracker, language: str, keys: list[str]
) -> None:
    """'Bedoel je waar je bestelling is, of iets retourneren?' with a button for each."""
    first, second = (render(key, language) for key in keys)
    message: dict[str, Any] = render(
        "did_you_mean", language, first=first["text"], second=second["text"]
    )
    message["buttons"] = [*first.get("buttons", []), *second.get("buttons", [])]
    dispatcher.utter_message(**message)

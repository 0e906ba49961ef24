"""Canned responses: the retailer's words for agents, with the retailer's facts filled in."""

from __future__ import annotations

from bot.retailer import retailer
from bot.services.console.canned import canned_responses


def test_canned_responses_carry_the_retailers_facts_in_both_languages() -> None:
    responses = {r["key"]: r for r in canned_responses()}
    damaged = responses["damaged_item"]
    assert retailer().email in damaged["text"]["nl"] and retailer().email in damaged["text"]["en"]
    assert all("{" not in r["text"][lang] for r in responses.values() for lang in ("nl", "en"))
    assert responses["greeting"]["title"] == {"nl": "Begroeting", "en": "Greeting"}

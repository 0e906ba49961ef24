"""The apology when the action server cannot answer: once per customer message, in the
language of that message (else the customer's, else the conversation's), never silence."""

from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

from bot import action_fallback
from bot.action_fallback import already_apologised, apology, customer_language


def tracker(*events, sender: str = "rest:fallback") -> DialogueStateTracker:  # type: ignore[no-untyped-def]
    slots = [TextSlot("language", mappings=[{"type": "custom"}])]
    return DialogueStateTracker.from_events(
        sender, [ActionExecuted("action_listen"), *events], slots
    )


def said(text: str, language: str | None) -> UserUttered:
    return UserUttered(text, {"name": "order_status"}, parse_data={"language": language})


async def test_the_language_of_the_message_wins() -> None:
    assert await customer_language(tracker(said("where is my order?", "en"))) == "en"
    assert await customer_language(tracker(said("waar is mijn pakket?", "nl"))) == "nl"


async def test_an_unclear_message_keeps_the_conversations_language() -> None:
    unclear = tracker(SlotSet("language", "en"), said("10452", None))
    assert await customer_language(unclear) == "en"
    assert await customer_language(tracker(said("10452", None))) == "nl"


def test_one_apology_per_customer_message() -> None:
    action_fallback._apologised.clear()
    first = tracker(said("waar is mijn pakket?", "nl"))
    assert not already_apologised(first)
    after = tracker(said("waar is mijn pakket?", "nl"), BotUttered(apology("nl")))
    assert already_apologised(after)
    next_message = tracker(
        said("waar is mijn pakket?", "nl"), BotUttered(apology("nl")), said("hallo?", "nl")
    )
    assert not already_apologised(next_message)


def test_the_apology_reads_well_in_both_languages() -> None:
    assert apology("nl").startswith("Sorry, er gaat bij mij even iets mis.")
    assert "try again in a moment" in apology("en")

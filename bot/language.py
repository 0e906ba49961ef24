"""The languages the bot speaks: one definition for the store, the NLU, the texts and channels.

A customer's language is one fact, `Customer.language` in the store, kept current from the NLU's
per-message detector (actions/language.py). Everything that speaks to them unasked (agent reply
hints, WhatsApp templates, channel notices) reads it there; the conversation itself follows the
`language` slot, which the same detector sets.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("nl", "en")  # every text in bot/texts/ exists in each of these
DEFAULT_LANGUAGE = "nl"  # a customer who has not shown their language yet


def supported(language: str | None) -> str:
    """`language` when the bot speaks it, else the default: never a language without texts."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE

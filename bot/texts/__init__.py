"""The bot's own words: one catalogue (the YAML files here) and one renderer.

Actions, domain responses (through the NLG endpoint), channel notices and the agent console's
messages all render from here, so a retailer changing a text, or a translator adding a language,
edits one place. Every entry has a text per language in bot.language.LANGUAGES; buttons carry a
title and a payload per language. The retailer's facts (shop name, hours, shipping costs …) are
variables every text may use, read from config/retailer.yml (bot/texts/facts.py), so a rebrand
needs neither code nor retraining.

The agents' canned responses are not here: they are the retailer's words for its agents, edited
by the service team (config/canned_responses.yml), not the bot's.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.language import DEFAULT_LANGUAGE, supported

CATALOGUE_DIR = Path(__file__).parent
FILES = (
    "replies.yml",
    "words.yml",
    "responses.yml",
    "notices.yml",
    "console.yml",
    "search.yml",
    "sales.yml",
)


class ReplyError(KeyError):
    """A text that does not exist or misses a variable: a bug in the caller, not the input."""


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, Any]]:
    """Every entry of every file; a key in two files is an error, not a silent override."""
    entries: dict[str, dict[str, Any]] = {}
    for name in FILES:
        data = yaml.safe_load((CATALOGUE_DIR / name).read_text(encoding="utf-8")) or {}
        for key, entry in data.items():
            if key in entries:
                raise ReplyError(f"{key!r} is in bot/texts/{name} and in another file")
            entries[key] = entry
    return entries


def render(key: str, language: str | None, **variables: Any) -> dict[str, Any]:
    """Text and buttons of entry `key` in `language`, with its {variables} filled in; the
    retailer's facts fill any variable the caller does not give."""
    from bot.texts.facts import facts

    lang = supported(language)
    return _render(key, lang, {**facts(lang), **variables})


def fragment(key: str, language: str | None, **variables: Any) -> str:
    """An entry filled with `variables` only (no retailer facts): words and the pieces the
    retailer's facts themselves are said with."""
    return str(_render(key, supported(language), variables)["text"])


def _render(key: str, lang: str, values: dict[str, Any]) -> dict[str, Any]:
    entry = catalogue().get(key)
    if entry is None:
        raise ReplyError(f"no reply called {key!r} in bot/texts")

    def fill(template: str) -> str:
        try:
            return template.format(**values)
        except KeyError as exc:
            raise ReplyError(f"reply {key!r} needs variable {exc.args[0]!r}") from None

    message: dict[str, Any] = {"text": fill(entry.get(lang) or entry[DEFAULT_LANGUAGE])}
    if entry.get("buttons"):
        message["buttons"] = [
            {
                "title": fill(b.get(lang) or b[DEFAULT_LANGUAGE]),
                "payload": fill(b.get(f"payload_{lang}") or b[f"payload_{DEFAULT_LANGUAGE}"]),
            }
            for b in entry["buttons"]
        ]
    return message


def text(key: str, language: str | None, **variables: Any) -> str:
    """Just the text of entry `key`: for notices, labels and error messages."""
    return str(render(key, language, **variables)["text"])


def word(key: str, language: str | None, fallback: str) -> str:
    """A word for a value the data may hold beyond the catalogue (a new order status): the
    catalogue's word when there is one, else the value itself."""
    return fragment(key, language) if key in catalogue() else fallback

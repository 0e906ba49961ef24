"""The action server's replies: one catalogue (replies.yml), every entry in Dutch and English."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).with_name("replies.yml")


class ReplyError(KeyError):
    """A reply that does not exist or misses a variable: a bug in the action, not the input."""


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def render(key: str, language: str, **variables: Any) -> dict[str, Any]:
    """Text and buttons of reply `key` in `language`, with its {variables} filled in."""
    entry = catalogue().get(key)
    if entry is None:
        raise ReplyError(f"no reply called {key!r} in {CATALOGUE.name}")
    lang = "en" if language == "en" else "nl"
    try:
        text = entry[lang].format(**variables)
    except KeyError as exc:
        raise ReplyError(f"reply {key!r} needs variable {exc.args[0]!r}") from None
    message: dict[str, Any] = {"text": text}
    if entry.get("buttons"):
        message["buttons"] = [
            {
                "title": b[lang].format(**variables),
                "payload": b[f"payload_{lang}"].format(**variables),
            }
            for b in entry["buttons"]
        ]
    return message

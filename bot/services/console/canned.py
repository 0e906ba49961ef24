"""Canned responses for agents, in Dutch and English, from config/canned_responses.yml.

The retailer's words for its agents, kept apart from the bot's own (bot/texts/); the retailer's
facts ({email}, {shop_name} …) are filled in, so a rebrand changes them too."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.language import LANGUAGES
from bot.settings import PROJECT_ROOT
from bot.texts.facts import facts

CANNED_FILE = PROJECT_ROOT / "config" / "canned_responses.yml"


@lru_cache(maxsize=4)
def canned_responses(path: Path = CANNED_FILE) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        {
            "key": key,
            "title": {language: entry[f"title_{language}"] for language in LANGUAGES},
            "text": {
                language: entry[language].strip().format_map(facts(language))
                for language in LANGUAGES
            },
        }
        for key, entry in data.items()
    ]

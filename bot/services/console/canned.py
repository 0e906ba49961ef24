"""Canned responses for agents, in Dutch and English, from config/canned_responses.yml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.settings import PROJECT_ROOT

CANNED_FILE = PROJECT_ROOT / "config" / "canned_responses.yml"


@lru_cache(maxsize=4)
def canned_responses(path: Path = CANNED_FILE) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        {
            "key": key,
            "title": {"nl": entry["title_nl"], "en": entry["title_en"]},
            "text": {"nl": entry["nl"].strip(), "en": entry["en"].strip()},
        }
        for key, entry in data.items()
    ]

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from bot import retailer as retailer_module
from bot.handoff import policy as policy_module
from tests.helpers.handoff import WEEKDAYS, use_retailer, write_retailer


@pytest.fixture
def store(sqlite_demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the actions at a fresh demo store (a real SQLite file)."""
    monkeypatch.setenv("DATABASE_URL", sqlite_demo_url)
    common._store.cache_clear()
    yield sqlite_demo_url
    common._store.cache_clear()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def hours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set the opening hours: hours("always"), hours("closed"), hours({"mon": "09:00-17:00"})."""

    def set_hours(value: str | dict[str, str], **surveys: int) -> None:
        table = value if isinstance(value, dict) else {day: value for day in WEEKDAYS}
        use_retailer(monkeypatch, write_retailer(tmp_path, table, surveys))

    yield set_hours
    policy_module.policy.cache_clear()
    retailer_module.retailer.cache_clear()

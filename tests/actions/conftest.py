from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import common


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

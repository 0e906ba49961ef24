from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from bot.store.db import make_engine, make_session_factory
from tests.helpers.demo import make_demo_store


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One demo store (a real SQLite file) for a module's read-only searches."""
    return make_demo_store(f"sqlite:///{tmp_path_factory.mktemp('search') / 'demo.db'}")


@pytest.fixture
def shop(demo_url: str) -> Iterator[Session]:
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()

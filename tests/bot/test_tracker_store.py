"""The SQL tracker store keeps a bad conversation id to that one request (issue #15)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_config import endpoints
from bot.settings import Settings
from bot.tracker_store import ContainedSQLTrackerStore

LONE_SURROGATE = "\ud98d"


def tracker(sender_id: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender_id, [ActionExecuted("action_listen"), UserUttered("hoi")]
    )


async def test_rasas_own_store_exits_the_process_on_a_lone_surrogate(tmp_path: Path) -> None:
    """The premise: without our subclass, one request is a sys.exit."""
    store = SQLTrackerStore(Domain.empty(), host=f"sqlite:///{tmp_path / 'rasa.db'}")
    with pytest.raises(SystemExit):
        await store.retrieve(LONE_SURROGATE)


async def test_a_bad_id_fails_that_load_or_save_only_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = ContainedSQLTrackerStore(Domain.empty(), host=f"sqlite:///{tmp_path / 'rasa.db'}")
    with caplog.at_level(logging.ERROR, logger="bot.tracker_store"):
        with pytest.raises(UnicodeEncodeError):
            await store.retrieve(LONE_SURROGATE)
        with pytest.raises(UnicodeEncodeError):
            await store.save(tracker(LONE_SURROGATE))
    assert "could not load conversation '\\ud98d'" in caplog.text
    assert "could not save conversation '\\ud98d'" in caplog.text

    await store.save(tracker("rest:sanne"))  # everyone else carries on
    again = await store.retrieve("rest:sanne")
    assert again is not None and again.latest_message.text == "hoi"


def test_the_generated_endpoints_use_the_contained_store(tmp_path: Path) -> None:
    config = endpoints(Settings(runtime_dir=tmp_path))
    assert config["tracker_store"]["type"] == "bot.tracker_store.ContainedSQLTrackerStore"  # type: ignore[index]


@pytest.mark.postgres
async def test_on_postgresql_a_nul_in_the_id_fails_that_request_only(postgres_url: str) -> None:
    """psycopg2 raises a plain ValueError for NUL: Rasa's store took it for a missing schema."""
    from tests.conftest import _reset_postgres

    _reset_postgres(postgres_url)
    store = ContainedSQLTrackerStore(Domain.empty(), host=postgres_url)
    try:
        with pytest.raises(ValueError):
            await store.retrieve("rest:a\x00b")
        await store.save(tracker("rest:pg"))
        again = await store.retrieve("rest:pg")
        assert again is not None and again.latest_message.text == "hoi"
    finally:
        store.engine.dispose()

"""The SQL tracker store saves a conversation's new events without counting the stored ones
first, and stores exactly what Rasa's own store stores."""

from __future__ import annotations

from pathlib import Path

from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event

from bot.tracker_store import ContainedSQLTrackerStore


def counting(store: SQLTrackerStore) -> list[str]:
    """The store's queries that count events (what Rasa runs before each save)."""
    seen: list[str] = []

    def before(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if "count(" in statement.lower():
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", before)
    return seen


async def turn(store: TrackerStore, sender_id: str, text: str) -> None:
    """What Rasa does for one message: load or create, add the turn's events, save."""
    tracker = await store.get_or_create_tracker(sender_id)
    if not tracker.events or tracker.events[-1] == ActionExecuted("action_listen"):
        tracker.update(UserUttered(text))
        tracker.update(ActionExecuted("utter_hoi"))
        tracker.update(BotUttered(f"antwoord op {text}"))
        tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)


def stored(path: Path, sender_id: str) -> list[str]:
    import sqlite3

    with sqlite3.connect(path) as db:
        return [
            row[0]
            for row in db.execute(
                "SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender_id,)
            )
        ]


async def test_the_same_events_as_rasas_store_without_a_count(tmp_path: Path) -> None:
    ours_db, rasas_db = tmp_path / "ours.db", tmp_path / "rasa.db"
    ours = FailSafeTrackerStore(
        ContainedSQLTrackerStore(Domain.empty(), host=f"sqlite:///{ours_db}")
    )
    rasas = FailSafeTrackerStore(SQLTrackerStore(Domain.empty(), host=f"sqlite:///{rasas_db}"))
    counts = counting(ours._tracker_store)  # type: ignore[arg-type]

    for store in (ours, rasas):
        for text in ("hoi", "waar is mijn pakket", "dank je"):
            await turn(store, "telegram:1", text)
        tracker = await store.get_or_create_tracker("telegram:1")
        tracker.update(SessionStarted())  # a new session within a turn
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        await turn(store, "telegram:1", "nog een vraag")

    assert stored(ours_db, "telegram:1") == stored(rasas_db, "telegram:1")
    assert stored(ours_db, "telegram:1").count("user") == 4  # nothing twice, nothing lost
    assert counts == []


async def test_a_tracker_it_did_not_load_is_counted_as_before(tmp_path: Path) -> None:
    path = tmp_path / "ours.db"
    store = ContainedSQLTrackerStore(Domain.empty(), host=f"sqlite:///{path}")
    counts = counting(store)
    await turn(store, "web:abc", "hoi")
    before = stored(path, "web:abc")

    made_elsewhere = DialogueStateTracker.from_events(
        "web:abc", [ActionExecuted("action_listen"), UserUttered("hoi")]
    )
    made_elsewhere.update(ActionExecuted("utter_hoi"))
    await store.save(made_elsewhere)

    assert len(counts) == 1  # Rasa's count: its events are all "stored" already
    assert stored(path, "web:abc") == before

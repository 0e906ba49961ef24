"""Rasa's SQL tracker store, without its way of stopping the whole bot on one bad request.

Rasa 3.6's `SQLTrackerStore.session_scope` catches every `ValueError` as "the PostgreSQL schema
was not found" and calls `sys.exit(1)`. But a `ValueError` is also what SQLite and psycopg2
raise for a sender id or text they cannot store (a lone surrogate is a `UnicodeEncodeError`,
a NUL byte in PostgreSQL text a `ValueError`), so one such request stopped the Rasa process,
and with it every channel (issue #15).

Here the schema check is made once, at start-up, where a missing schema is a genuine
configuration error that may stop the process. During requests nothing exits: an error
fails that one load or save, is logged with the conversation id, and goes up to Rasa, whose
`FailSafeTrackerStore` keeps the conversation going. The channels refuse such ids at the edge
(`bot.validation`), so this is the second line, not the first.

It also saves without counting. Rasa's `save` first counts the conversation's stored events
(a query with a sub-select for the latest session start) to know which events are new; that
count was a third of the time a delay notice spent in Rasa (docs/benchmarks.md). Here a tracker
remembers how many of its events are stored: all of them when it was loaded, none when the
conversation was not found just before, and all of them after each save. Any other tracker
(one Rasa made some other way) is counted as before.

Endpoints: `tracker_store: {type: bot.tracker_store.ContainedSQLTrackerStore, url: …}`.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import time
from collections.abc import Generator, Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.cli import print_error_and_exit
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

logger = logging.getLogger(__name__)

# On a tracker: how many of its first events are in the store (our attribute, not Rasa's).
STORED = "_klantreis_stored_events"
# A conversation found absent counts as having no stored events for this long: the turn that
# looked it up (under Rasa's lock for the conversation) saves it within that time.
ABSENT_SECONDS = 60.0
MAX_ABSENT = 10_000


class ContainedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose per-request failures stay with that request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        engine: Engine = getattr(self, "engine")  # noqa: B009 (Rasa's attribute, untyped)
        if engine.dialect.name == "sqlite" and engine.url.database not in (
            None,
            "",
            ":memory:",
        ):
            self._share_sqlite_as_the_store_does()
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
        except ValueError as exc:  # start-up: a configuration error, so stop here
            print_error_and_exit(
                f"The PostgreSQL schema '{exc}' (POSTGRESQL_SCHEMA) does not exist in the "
                "tracker store's database. Create it, or unset POSTGRESQL_SCHEMA."
            )
        finally:
            session.close()

    def _share_sqlite_as_the_store_does(self) -> None:
        """Rasa opens a connection per load and save, with SQLite's defaults: a file sync on
        every commit while the action server, the channels and the delay workers wait for the
        one writer's lock. Use the store's engine settings instead (bot/store/db.py): pooled
        connections, WAL with synchronous=NORMAL, a 30-second busy timeout."""
        from bot.store.db import sqlite_pragmas

        rasas: Engine = getattr(self, "engine")  # noqa: B009 (Rasa's attribute, untyped)
        url = rasas.url
        rasas.dispose()
        self.engine = create_engine(
            url,
            poolclass=QueuePool,
            connect_args={"timeout": 30, "check_same_thread": False},
        )
        event.listen(self.engine, "connect", sqlite_pragmas)
        self.sessionmaker = sessionmaker(bind=self.engine)

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """A session per load or save; errors are rolled back and raised, never exit."""
        session = self.sessionmaker()
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        try:
            tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        except Exception as exc:
            logger.error(
                "tracker store: could not load conversation %r: %s",
                sender_id,
                exc.__class__.__name__,
            )
            raise
        if not fetch_events_from_all_sessions:  # what `_additional_events` counts
            if tracker is None:
                self._note_absent(sender_id)
            else:
                self._absent.pop(sender_id, None)
                setattr(tracker, STORED, len(tracker.events))
        return tracker

    @property
    def _absent(self) -> dict[str, float]:
        absent: dict[str, float] | None = self.__dict__.get("_absent_since")
        if absent is None:
            absent = self.__dict__["_absent_since"] = {}
        return absent

    def _note_absent(self, sender_id: str) -> None:
        now = time.monotonic()
        absent = self._absent
        absent.pop(sender_id, None)
        absent[sender_id] = now
        if len(absent) > MAX_ABSENT:  # look-ups that never saved: forget the oldest
            for stale in list(itertools.islice(absent, len(absent) - MAX_ABSENT // 2)):
                del absent[stale]

    def _known_stored(self, tracker: DialogueStateTracker) -> int | None:
        """How many of the tracker's events are stored, when we know without a query."""
        if tracker.events.maxlen is not None:  # old events drop off the front: count
            return None
        known: int | None = getattr(tracker, STORED, None)
        if known is None:
            since = self._absent.pop(tracker.sender_id, None)
            if since is not None and time.monotonic() - since < ABSENT_SECONDS:
                known = 0
        if known is None or known > len(tracker.events):
            return None
        return known

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        known = self._known_stored(tracker)
        if known is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, known, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
        except Exception as exc:
            logger.error(
                "tracker store: could not save conversation %r: %s",
                tracker.sender_id,
                exc.__class__.__name__,
            )
            setattr(tracker, STORED, None)  # who knows what got in: count next time
            raise
        self._absent.pop(tracker.sender_id, None)
        setattr(tracker, STORED, len(tracker.events))

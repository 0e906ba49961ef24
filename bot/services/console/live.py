"""Live updates for open consoles: one poller reads what changed, every console gets it.

Messages are written by the Rasa process (the channels) into the shared store, so the
console's process learns about them by polling the timeline: one query every 100 ms for all
consoles together, whatever the number of agents. Notes are polled the same way, because a
note may come from any process (a delay notice held for the agent by the dispatcher worker or
`klantreis notify`). Changes made here (notes, claims) are published straight away; a note
published here is not published again by the poller.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.handoff.desk import note_dict
from bot.store import timeline
from bot.store.handoff_models import AgentNote, Handoff
from bot.store.models import ContactMessage
from bot.store.units import Store

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.1
QUEUE_LIMIT = 1000


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


class LiveFeed:
    def __init__(self, store: Store, poll_seconds: float = POLL_SECONDS):
        self.store = store
        self.poll_seconds = poll_seconds
        self.subscribers: set[asyncio.Queue[str]] = set()
        self._last_message_id: int | None = None
        self._last_handoff_change: dt.datetime | None = None
        self._seen_handoffs: dict[int, str] = {}
        self._last_note_id: int | None = None
        self._published_notes: set[int] = set()

    def subscribe(self) -> asyncio.Queue[str]:
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self.subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str]) -> None:
        self.subscribers.discard(queue)

    def publish(self, event: str, data: Any) -> None:
        if event == "note":
            note_id = (data.get("note") or {}).get("id") if isinstance(data, dict) else None
            if note_id in self._published_notes:
                return
            if isinstance(note_id, int):
                self._published_notes.add(note_id)
        frame = sse(event, data)
        for queue in list(self.subscribers):
            try:
                queue.put_nowait(frame)
            except asyncio.QueueFull:  # a console that stopped reading: drop it
                self.subscribers.discard(queue)

    async def run(self) -> None:
        while True:
            try:
                await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("live feed: polling the store failed; trying again")
                await asyncio.sleep(1)
            await asyncio.sleep(self.poll_seconds)

    async def poll_once(self) -> None:
        messages, changes = await self.store.run(self._changes)
        notes = await self.store.run(self._new_notes)
        for message in messages:
            self.publish("message", message)
        for note in notes:
            self.publish("note", {"handoff_id": note["handoff_id"], "note": note})
        for change in changes:
            self.publish("handoff", change)
        if changes:
            self.publish("queue", {})

    def _changes(self, session: Session) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        if self._last_message_id is None:  # start from now: consoles load history themselves
            self._last_message_id = session.scalar(select(func.max(ContactMessage.id))) or 0
            self._last_handoff_change = session.scalar(select(func.max(Handoff.updated_at)))
            return [], []
        rows = session.scalars(
            select(ContactMessage)
            .where(ContactMessage.id > self._last_message_id)
            .order_by(ContactMessage.id)
            .limit(500)
        ).all()
        messages = [timeline.as_dict(row) for row in rows]
        if rows:
            self._last_message_id = rows[-1].id
        query = select(Handoff).order_by(Handoff.updated_at)
        if self._last_handoff_change is not None:
            query = query.where(Handoff.updated_at >= self._last_handoff_change)
        changes = []
        for handoff in session.scalars(query.limit(500)):
            self._last_handoff_change = handoff.updated_at
            if self._seen_handoffs.get(handoff.id) == _version(handoff):
                continue
            self._seen_handoffs[handoff.id] = _version(handoff)
            changes.append({"id": handoff.id, "status": handoff.status})
        if len(self._seen_handoffs) > 10_000:
            self._seen_handoffs.clear()
        return messages, changes

    def _new_notes(self, session: Session) -> list[dict[str, Any]]:
        if self._last_note_id is None:  # start from now, like messages
            self._last_note_id = session.scalar(select(func.max(AgentNote.id))) or 0
            return []
        rows = session.scalars(
            select(AgentNote)
            .where(AgentNote.id > self._last_note_id)
            .order_by(AgentNote.id)
            .limit(500)
        ).all()
        if rows:
            self._last_note_id = rows[-1].id
        if len(self._published_notes) > 10_000:
            self._published_notes = {n for n in self._published_notes if n > self._last_note_id}
        return [note_dict(row) for row in rows]


def _version(handoff: Handoff) -> str:
    return f"{handoff.status}:{handoff.agent_id}:{handoff.updated_at.isoformat()}"

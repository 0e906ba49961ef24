"""A delay notice for a conversation an agent has: a note the agent can pass on, once, that
every open console sees live, whichever process wrote it."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import select

from bot.delay_notice import NoticeError
from bot.handoff.context import customer_context
from bot.services.console.live import LiveFeed
from bot.services.console.proactive import send_proactive
from bot.services.console.rasa_api import RasaApi, RasaUnavailable
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import AnnouncedNotice
from bot.store.handoff_models import AgentNote, Handoff
from bot.store.units import Store
from tests.helpers.handoff import WHATSAPP, identity_for, open_handoff_with_agent

NOTICE = {
    "notice_id": "delay:7:1",
    "notice_kind": "first",
    "order_number": "10452",
    "old_date": "2026-11-19",
    "new_date": "2026-11-24",
    "reason": "weather",
    "voucher_code": "SORRY-1234",
    "voucher_value_eur": "7.50",
    "voucher_expires": "",
}
NOWHERE = RasaApi("http://127.0.0.1:9")  # nothing listens: any call to Rasa would fail


def frames(queue: asyncio.Queue[str]) -> list[tuple[str, dict[str, object]]]:
    found = []
    while not queue.empty():
        event, data = queue.get_nowait().strip().split("\n")
        found.append((event.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return found


async def test_held_for_the_agent_once_with_the_customers_words(sqlite_demo_url: str) -> None:
    identity_for(sqlite_demo_url, WHATSAPP, "C1001")
    handoff_id = open_handoff_with_agent(sqlite_demo_url, WHATSAPP)
    store = Store(make_session_factory(make_engine(sqlite_demo_url)))
    feed = LiveFeed(store)
    console = feed.subscribe()

    outcome = await send_proactive(
        store, NOWHERE, feed, WHATSAPP, "EXTERNAL_delivery_delayed", NOTICE
    )
    again = await send_proactive(
        store, NOWHERE, feed, WHATSAPP, "EXTERNAL_delivery_delayed", NOTICE
    )

    assert (outcome, again) == ("to_agent", "to_agent")
    with store.unit() as session:
        notes = session.scalars(select(AgentNote).where(AgentNote.handoff_id == handoff_id)).all()
        assert len(notes) == 1, "a retried dispatch adds no second note"
        assert "Hoi Sanne!" in notes[0].text and "10452" in notes[0].text
        assert "Het weer zorgt voor vertraging" in notes[0].text
        assert "SORRY-1234" in notes[0].text and "€\xa07,50" in notes[0].text
        held = session.scalars(select(AnnouncedNotice)).one()
        assert (held.outcome, held.conversation_id) == ("to_agent", WHATSAPP)
        context = customer_context(session, held.customer_id)
    assert [(e, d["note"]["author"]) for e, d in frames(console)] == [("note", "Klantreis")]  # type: ignore[index]
    assert context["announced_notices"][0]["voucher"] == {
        "code": "SORRY-1234",
        "value_eur": "7.50",
        "expires": None,
    }


async def test_bad_notice_entities_are_refused_before_anything_happens(
    sqlite_demo_url: str,
) -> None:
    store = Store(make_session_factory(make_engine(sqlite_demo_url)))
    with pytest.raises(NoticeError, match="old_date"):
        await send_proactive(
            store,
            NOWHERE,
            LiveFeed(store),
            WHATSAPP,
            "EXTERNAL_delivery_delayed",
            {**NOTICE, "old_date": "morgen"},
        )
    with pytest.raises(RasaUnavailable):  # no agent has it: it goes to Rasa (down here)
        await send_proactive(
            store, NOWHERE, LiveFeed(store), WHATSAPP, "EXTERNAL_delivery_delayed", NOTICE
        )


async def test_a_note_written_by_another_process_reaches_open_consoles(
    sqlite_demo_url: str,
) -> None:
    handoff_id = open_handoff_with_agent(sqlite_demo_url, WHATSAPP)
    store = Store(make_session_factory(make_engine(sqlite_demo_url)))
    feed = LiveFeed(store)
    console = feed.subscribe()
    await feed.poll_once()  # the feed starts from now
    # Another process (the dispatcher worker, `klantreis notify`) writes a note …
    other = Store(make_session_factory(make_engine(sqlite_demo_url)))
    with other.unit() as session:
        session.add(AgentNote(handoff_id=handoff_id, agent_id=None, text="van elders"))
    frames(console)  # the handoff's own changes, if any
    await feed.poll_once()
    notes = [d for e, d in frames(console) if e == "note"]
    assert [n["note"]["text"] for n in notes] == ["van elders"]  # type: ignore[index]
    # … and a note published here is not published twice.
    with store.unit() as session:
        note = AgentNote(handoff_id=handoff_id, agent_id=None, text="van hier")
        session.add(note)
        session.flush()
        published = {"handoff_id": handoff_id, "note": {"id": note.id, "text": note.text}}
    feed.publish("note", published)
    await feed.poll_once()
    assert [e for e, _ in frames(console)] == ["note"]
    with store.unit() as session:
        assert session.get(Handoff, handoff_id) is not None

"""The handoff desk as store functions: who may take, answer, move and close a conversation,
and when WhatsApp allows free text. (Over HTTP: tests/bot/services/console/test_api.py.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.handoff import agents, desk, queue
from bot.handoff.policy import HandoffPolicy
from bot.store import identities, timeline
from bot.store.db import make_session_factory
from bot.store.handoff_models import Agent, AgentNote, Handoff
from bot.store.models import utcnow


@pytest.fixture
def store(demo_engine: Engine) -> Iterator[Session]:
    with make_session_factory(demo_engine)() as session:
        yield session


def agent(session: Session, username: str, role: str = "agent") -> Agent:
    return agents.create_agent(
        session, username=username, display_name=username.title(), password="x" * 12, role=role
    )


def waiting(session: Session, channel: str = "web", external: str = "d" * 32) -> Handoff:
    identity = identities.resolve(session, channel, external)
    conversation = identities.conversation_id(channel, external)
    timeline.record_inbound(
        session,
        customer_id=identity.customer_id,
        conversation_id=conversation,
        channel=channel,
        text="mag ik een mens?",
    )
    return queue.request(
        session,
        conversation_id=conversation,
        customer_id=identity.customer_id,
        channel=channel,
        language="nl",
        reason="explicit",
    )


def refusal(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(desk.Refused) as refused:
        call()
    return refused.value.reason


def test_claim_answer_and_resolve(store: Session) -> None:
    noor, lotte = agent(store, "noor"), agent(store, "lotte")
    handoff = waiting(store)
    view = desk.queue_view(store, agent=noor, policy=HandoffPolicy())
    assert [item["id"] for item in view["waiting"]] == [handoff.id] and view["agents"] == []

    moved = desk.claim(store, handoff_id=handoff.id, agent_id=noor.id)
    assert moved.pause_bot and moved.status == "assigned"
    assert refusal(lambda: desk.claim(store, handoff_id=handoff.id, agent_id=lotte.id)) == "taken"
    assert desk.queue_view(store, agent=noor, policy=HandoffPolicy())["mine"][0]["id"] == (
        handoff.id
    )
    assert desk.queue_view(store, agent=lotte, policy=HandoffPolicy())["waiting"] == []

    reply = dict(handoff_id=handoff.id, text=" Ik kijk even mee ", template_configured=False)
    assert refusal(lambda: desk.add_reply(store, agent=lotte, **reply)) == "not_yours"
    desk.add_reply(store, agent=noor, **reply)
    pending = desk.take_undelivered_replies(store, conversation_id=handoff.conversation_id)
    assert [(p.text, p.agent_name) for p in pending] == [("Ik kijk even mee", "Noor")]
    assert desk.take_undelivered_replies(store, conversation_id=handoff.conversation_id) == []

    assert refusal(lambda: desk.finish(store, handoff_id=handoff.id, agent=lotte, how="resolve"))
    finished = desk.finish(store, handoff_id=handoff.id, agent=noor, how="resolve")
    assert finished.live and store.get(Handoff, handoff.id).status == "resolved"
    assert queue.last_resolved(store, handoff.conversation_id).id == handoff.id


def test_a_supervisor_moves_conversations_and_sees_who_is_online(store: Session) -> None:
    noor, ruben = agent(store, "noor"), agent(store, "ruben", "supervisor")
    agents.mark_seen(noor)
    handoff = waiting(store)
    assert desk.assign(store, handoff_id=handoff.id, agent_id=noor.id).pause_bot
    view = desk.queue_view(store, agent=ruben, policy=HandoffPolicy())
    assert [item["id"] for item in view["others"]] == [handoff.id]
    assert {a["display_name"]: a["online"] for a in view["agents"]} == {
        "Noor": True,
        "Ruben": False,
    }
    assert refusal(lambda: desk.assign(store, handoff_id=handoff.id, agent_id=999)) == ("not_found")
    desk.finish(store, handoff_id=handoff.id, agent=ruben, how="handback")
    assert store.get(Handoff, handoff.id).status == "returned"
    assert refusal(lambda: desk.assign(store, handoff_id=handoff.id, agent_id=noor.id)) == (
        "closed"
    )


def test_whatsapp_free_text_only_inside_the_window_or_with_a_template(store: Session) -> None:
    noor = agent(store, "noor")
    handoff = waiting(store, "whatsapp", "+31612345678")
    desk.claim(store, handoff_id=handoff.id, agent_id=noor.id)
    view = desk.handoff_view(store, handoff_id=handoff.id, agent=noor, template_configured=False)
    assert view["whatsapp_window"] == {"open": True, "template": False} and view["can_reply"]

    for message in timeline.conversation(store, handoff.conversation_id, 10):
        message.created_at = utcnow() - dt.timedelta(hours=25)
    store.flush()
    reply = dict(handoff_id=handoff.id, agent=noor, text="Hallo?")
    assert refusal(lambda: desk.add_reply(store, template_configured=False, **reply)) == (
        "outside_window"
    )
    desk.add_reply(store, template_configured=True, **reply)  # the template reopens it


def test_a_proactive_message_waits_for_the_agent_who_has_the_conversation(
    store: Session,
) -> None:
    noor = agent(store, "noor")
    handoff = waiting(store)
    ask = dict(conversation_id=handoff.conversation_id, intent="delay", entities={"order": "1"})
    assert desk.hold_for_agent(store, **ask) is None  # nobody has it: the bot sends it
    desk.claim(store, handoff_id=handoff.id, agent_id=noor.id)
    held = desk.hold_for_agent(store, **ask)
    assert held is not None and held["handoff_id"] == handoff.id
    note = store.get(AgentNote, held["note"]["id"])
    assert "delay" in note.text and "order=1" in note.text


def test_unknown_conversations_are_not_found(store: Session) -> None:
    noor = agent(store, "noor")
    assert refusal(
        lambda: desk.handoff_view(store, handoff_id=404, agent=noor, template_configured=False)
    ) == ("not_found")
    assert refusal(lambda: desk.add_note(store, handoff_id=404, agent_id=noor.id, text="x")) == (
        "not_found"
    )

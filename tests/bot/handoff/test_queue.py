"""The handoff queue: one open handoff per conversation, atomic claims, tickets, time-outs."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.handoff import agents, queue, surveys
from bot.handoff.policy import HandoffPolicy
from bot.store import identities
from bot.store.db import make_session_factory
from bot.store.handoff_models import Handoff
from bot.store.models import utcnow


@pytest.fixture
def store(demo_engine: Engine) -> Session:
    with make_session_factory(demo_engine)() as session:
        yield session


def ask(session: Session, conversation: str = "web:" + "a" * 32, **kwargs: object) -> Handoff:
    identity = identities.resolve(session, "web", conversation.split(":", 1)[1])
    values = {"reason": "explicit", "language": "nl", **kwargs}
    return queue.request(
        session,
        conversation_id=conversation,
        customer_id=identity.customer_id,
        channel="web",
        summary={"last_message": "mag ik een mens?"},
        **values,  # type: ignore[arg-type]
    )


def test_one_open_handoff_per_conversation(store: Session) -> None:
    first = ask(store)
    assert ask(store).id == first.id
    assert first.status == "waiting" and first.priority == 2
    assert ask(store, "web:" + "b" * 32, reason="complaint").priority == 1


def test_cancelling_only_works_while_waiting(store: Session) -> None:
    handoff = ask(store)
    agent = agents.create_agent(store, username="noor", display_name="Noor", password="x" * 10)
    assert queue.claim(store, handoff.id, agent.id)
    assert queue.cancel_waiting(store, handoff.conversation_id) is None
    store.refresh(handoff)
    assert handoff.status == "assigned"
    other = ask(store, "web:" + "c" * 32)
    assert queue.cancel_waiting(store, other.conversation_id) is other
    assert other.status == "cancelled" and queue.open_handoff(store, other.conversation_id) is None


def test_exactly_one_of_many_racing_agents_gets_it(demo_engine: Engine) -> None:
    sessions = make_session_factory(demo_engine)
    with sessions() as session, session.begin():
        handoff_id = ask(session).id
        ids = [
            agents.create_agent(
                session, username=f"agent{n}", display_name=f"A{n}", password="x" * 10
            ).id
            for n in range(8)
        ]
    barrier = threading.Barrier(len(ids))
    results: list[bool] = []

    def race(agent_id: int) -> None:
        with sessions() as session, session.begin():
            barrier.wait()
            results.append(queue.claim(session, handoff_id, agent_id))

    threads = [threading.Thread(target=race, args=(agent_id,)) for agent_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * (len(ids) - 1) + [True]
    with sessions() as session:
        winner = session.get(Handoff, handoff_id)
        assert winner is not None and winner.agent_id in ids and winner.status == "assigned"


def test_waiting_too_long_becomes_a_ticket(store: Session) -> None:
    handoff = ask(store)
    handoff.requested_at = utcnow() - dt.timedelta(minutes=11)
    fresh = ask(store, "web:" + "d" * 32)
    policy = HandoffPolicy(max_wait_minutes=10)
    assert queue.overdue(store, policy) == [handoff]
    queue.to_ticket(store, handoff)
    assert handoff.status == "ticket" and handoff.reason == "timeout"
    assert fresh.status == "waiting"


def test_the_wait_estimate_grows_with_the_queue(store: Session) -> None:
    policy = HandoffPolicy(minutes_per_conversation=4)
    assert queue.estimated_wait_minutes(store, policy) == 4
    for letter in "efgh":
        ask(store, "web:" + letter * 32)
    assert queue.estimated_wait_minutes(store, policy) == 20
    for n in range(2):
        agent = agents.create_agent(store, username=f"on{n}", display_name="On", password="x" * 10)
        agent.last_seen_at = utcnow()
    assert queue.agents_online(store, policy) == 2
    assert queue.estimated_wait_minutes(store, policy) == 10


def test_nps_is_asked_now_and_then(store: Session) -> None:
    handoff = ask(store)
    policy = HandoffPolicy(nps_every_nth_csat=2, nps_min_days_between=90)
    record = dict(conversation_id=handoff.conversation_id, customer_id=handoff.customer_id)
    surveys.record(store, kind="csat", score=4, **record)  # type: ignore[arg-type]
    assert not surveys.nps_due(store, handoff.customer_id, policy)
    surveys.record(store, kind="csat", score=5, comment="top!", **record)  # type: ignore[arg-type]
    assert surveys.nps_due(store, handoff.customer_id, policy)
    surveys.record(store, kind="nps", score=9, **record)  # type: ignore[arg-type]
    surveys.record(store, kind="csat", score=5, **record)  # type: ignore[arg-type]
    surveys.record(store, kind="csat", score=5, **record)  # type: ignore[arg-type]
    assert not surveys.nps_due(store, handoff.customer_id, policy)  # asked recently
    with pytest.raises(ValueError):
        surveys.record(store, kind="csat", score=6, **record)  # type: ignore[arg-type]

"""The outbox: one row per dedup key, one worker per row, leases that run out after a crash,
and pacing slots shared by every worker."""

import datetime as dt

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.delays import outbox
from bot.delays.pacing import reserve_slot
from bot.store.db import make_session_factory
from tests.helpers.delays import NOW


def test_the_same_dedup_key_queues_one_message(session: Session) -> None:
    first, created = outbox.enqueue(session, dedup_key="k", intent="greet", entities={}, now=NOW)
    again, created_again = outbox.enqueue(
        session, dedup_key="k", intent="greet", entities={}, now=NOW
    )
    assert created and not created_again and first.id == again.id
    assert outbox.dedup_key_for("web:a", "greet", {"x": "1"}) == outbox.dedup_key_for(
        "web:a", "greet", {"x": "1"}
    )


def test_two_workers_never_lease_the_same_message(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        for n in range(10):
            outbox.enqueue(session, dedup_key=f"k{n}", intent="greet", entities={}, now=NOW)
    with sessions() as one, one.begin():
        _, mine = outbox.claim(one, worker="one", now=NOW, limit=6)
    with sessions() as two, two.begin():
        _, theirs = outbox.claim(two, worker="two", now=NOW, limit=6)
    assert len(mine) == 6 and len(theirs) == 4
    assert not {m.id for m in mine} & {m.id for m in theirs}


def test_a_crashed_workers_lease_runs_out_and_another_takes_over(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        outbox.enqueue(session, dedup_key="k", intent="greet", entities={}, now=NOW)
    with sessions() as session, session.begin():
        crashed_token, [leased] = outbox.claim(session, worker="crashed", now=NOW)
    later = NOW + dt.timedelta(seconds=outbox.LEASE_SECONDS + 1)
    with sessions() as session, session.begin():
        assert outbox.claim(session, worker="early", now=NOW + dt.timedelta(seconds=5))[1] == []
        token, [taken] = outbox.claim(session, worker="next", now=later)
    assert taken.id == leased.id and taken.attempts == 2
    with sessions() as session, session.begin():
        # the crashed worker comes back: its lease is gone, it cannot finish the row
        assert not outbox.finish(
            session, message_id=taken.id, token=crashed_token, status="sent", now=later
        )
        assert outbox.finish(session, message_id=taken.id, token=token, status="sent", now=later)


def test_pacing_hands_out_one_slot_per_interval_per_sender(session: Session) -> None:
    slots = [
        reserve_slot(session, sender="whatsapp:+14155238886", per_second=10, now=NOW)
        for _ in range(5)
    ]
    other = reserve_slot(session, sender="telegram:bot", per_second=10, now=NOW)
    gaps = [(b - a).total_seconds() for a, b in zip(slots, slots[1:], strict=False)]
    assert slots[0] == NOW and gaps == [0.1, 0.1, 0.1, 0.1]
    assert other == NOW  # another sender has its own rate
    assert reserve_slot(session, sender="x", per_second=0, now=NOW) == NOW  # unpaced

"""A notice id is claimed once, whoever tries and however many at the same time."""

from __future__ import annotations

import concurrent.futures

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.delay_notice import parse
from bot.store import announced_notices
from bot.store.db import make_session_factory
from bot.store.delay_models import AnnouncedNotice
from bot.store.models import Customer

NOTICE = parse({"notice_id": "delay:42:1", "order_number": "10452", "old_date": "2026-11-19"})


def test_only_one_of_many_concurrent_claims_wins(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        customer = Customer(customer_ref="C1", first_name="Sanne", language="nl")
        session.add(customer)
        session.flush()
        customer_id = customer.id

    def claim(n: int) -> bool:
        with sessions() as session, session.begin():
            return announced_notices.claim(
                session,
                notice=NOTICE,
                conversation_id=f"whatsapp:+3161234567{n}",
                customer_id=customer_id,
                outcome="announced",
                language="nl",
            )

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        won = list(pool.map(claim, range(8)))
    assert won.count(True) == 1
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(AnnouncedNotice)) == 1
        row = announced_notices.recorded(session, "delay:42:1")
        assert row is not None and row.outcome == "announced"
        listed = announced_notices.for_customer(session, customer_id)
        assert [announced_notices.as_dict(r)["notice_id"] for r in listed] == ["delay:42:1"]

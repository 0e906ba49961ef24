"""The demo page's 'carrier reports a delay': only into the logged-in shopper's own chat."""

from __future__ import annotations

import datetime as dt

from bot.delay_notice import parse
from bot.services.demo_delay import demo_delay
from tests.helpers.handoff import db, identity_for

SESSION = "ab12" * 8


def test_a_notice_for_the_latest_order_on_its_way_into_their_own_chat(
    sqlite_demo_url: str,
) -> None:
    identity_for(sqlite_demo_url, f"web:{SESSION}", "C1001")
    with db(sqlite_demo_url) as session:
        found = demo_delay(
            session, customer_ref="C1001", session_id=SESSION, today=dt.date(2020, 1, 1)
        )
    assert found.error == "" and found.conversation_id == f"web:{SESSION}"
    assert found.entities is not None
    notice = parse(found.entities)
    assert notice.order_number == "10452" and notice.kind == "first"
    assert notice.old_date is not None and notice.new_date == notice.old_date + dt.timedelta(2)


def test_not_into_someone_elses_or_an_unknown_chat(sqlite_demo_url: str) -> None:
    identity_for(sqlite_demo_url, f"web:{SESSION}", "C1002")  # Mark's chat
    with db(sqlite_demo_url) as session:
        for ref, session_id in (("C1001", SESSION), ("C1001", "cd34" * 8), ("C1001", "../x")):
            assert demo_delay(session, customer_ref=ref, session_id=session_id).error == "no_chat"

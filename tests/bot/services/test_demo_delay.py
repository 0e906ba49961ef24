"""The demo page's 'carrier reports a delay': only into the logged-in shopper's own chat."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from bot import tokens
from bot.delay_notice import parse
from bot.services.demo_delay import demo_delay
from bot.settings import Settings, token_key
from tests.helpers.demo import make_demo_store
from tests.helpers.handoff import db, identity_for
from tests.helpers.services import services_process
from tests.helpers.stack import test_settings

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


@pytest.fixture(scope="module")
def demo_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    """The services process, with no Rasa behind it: a notice that gets that far fails politely."""
    tmp = tmp_path_factory.mktemp("demo-delay")
    settings = test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=600)
    with services_process(settings) as url:
        yield url, settings


def test_the_demo_button_answers_bad_input_with_a_clear_4xx(
    demo_web: tuple[str, Settings],
) -> None:
    url, settings = demo_web
    token = tokens.sign("C1001", token_key(settings), ttl_seconds=600)
    identity_for(settings.database_url, f"web:{SESSION}", "C1001")
    post = f"{url}/demo/api/delay"
    assert (
        httpx.post(post, content=b"{nope", headers={"Content-Type": "application/json"}).status_code
        == 400
    )
    assert httpx.post(post, json={"session_id": SESSION}).status_code == 403
    assert httpx.post(post, json={"token": "forged", "session_id": SESSION}).status_code == 403
    other = httpx.post(post, json={"token": token, "session_id": "cd34" * 8})
    assert (other.status_code, other.json()["error"]) == (409, "no_chat")
    down = httpx.post(post, json={"token": token, "session_id": SESSION})
    assert (down.status_code, down.json()["error"]) == (503, "bot_down")

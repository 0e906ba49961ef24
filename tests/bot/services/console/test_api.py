"""The agent console's HTTP API in a real services process: log-in, roles, CSRF, claims,
notes, the live stream and bad input. (Conversations end to end: tests/test_handoff_e2e.py.)"""

from __future__ import annotations

import concurrent.futures
import json
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session

from bot.handoff import queue
from bot.settings import Settings
from bot.store import identities, timeline
from bot.store.db import make_engine, make_session_factory
from tests.helpers.demo import make_demo_store
from tests.helpers.services import PASSWORD, add_agents, log_in, services_process
from tests.helpers.stack import test_settings


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp: Path = tmp_path_factory.mktemp("console")
    url = make_demo_store(f"sqlite:///{tmp / 'demo.db'}")
    return test_settings(tmp, url, offset=500)  # no Rasa on 5605: calls to it fail politely


@pytest.fixture(scope="module")
def agent_ids(settings: Settings) -> dict[str, int]:
    return add_agents(settings.database_url)


@pytest.fixture(scope="module")
def web(settings: Settings, agent_ids: dict[str, int]) -> Iterator[str]:
    with services_process(settings) as url:
        yield url


def in_store(settings: Settings, work):  # type: ignore[no-untyped-def]
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            return work(session)
    finally:
        engine.dispose()


def waiting_handoff(settings: Settings, text: str = "ik wil een mens spreken") -> int:
    def work(session: Session) -> int:
        external = secrets.token_hex(16)
        identity = identities.resolve(session, "web", external)
        conversation = identities.conversation_id("web", external)
        timeline.record_inbound(
            session,
            customer_id=identity.customer_id,
            conversation_id=conversation,
            channel="web",
            text=text,
        )
        return queue.request(
            session,
            conversation_id=conversation,
            customer_id=identity.customer_id,
            channel="web",
            language="nl",
            reason="explicit",
            summary={"last_message": text, "intents": [{"name": "human_handoff"}]},
        ).id

    return in_store(settings, work)


def test_nothing_without_logging_in(web: str) -> None:
    client = httpx.Client(base_url=web)
    page = client.get("/agent/", follow_redirects=False)
    assert page.status_code == 302 and page.headers["location"] == "/agent/login"
    assert client.get("/agent/api/queue").status_code == 401
    assert client.get("/agent/api/events").status_code == 401
    assert client.post("/agent/api/handoffs/1/claim").status_code == 401
    login = client.get("/agent/login")
    assert (
        login.status_code == 200
        and "frame-ancestors 'none'" in login.headers["content-security-policy"]
    )


def test_log_in_needs_the_csrf_token_and_the_right_password(web: str) -> None:
    client = httpx.Client(base_url=web)
    body = {"username": "noor", "password": PASSWORD}
    assert client.post("/agent/api/login", json=body).status_code == 403
    csrf = client.get("/agent/api/login-csrf").json()["csrf"]
    wrong = client.post(
        "/agent/api/login",
        json={"username": "noor", "password": "verkeerd!!"},
        headers={"X-CSRF-Token": csrf},
    )
    assert wrong.status_code == 401 and wrong.json() == {"error": "invalid"}
    good = client.post("/agent/api/login", json=body, headers={"X-CSRF-Token": csrf})
    assert good.status_code == 200
    cookie = good.headers["set-cookie"]
    assert "kr_agent=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    me = client.get("/agent/api/me").json()
    assert me["username"] == "noor" and me["role"] == "agent" and len(me["csrf_token"]) > 30
    assert client.post("/agent/api/logout").status_code == 403  # no CSRF header
    assert (
        client.post("/agent/api/logout", headers={"X-CSRF-Token": me["csrf_token"]}).status_code
        == 200
    )
    assert client.get("/agent/api/me").status_code == 401


def test_guessing_passwords_is_slowed_down(web: str) -> None:
    client = httpx.Client(base_url=web)
    codes = []
    for _ in range(7):
        csrf = client.get("/agent/api/login-csrf").json()["csrf"]
        codes.append(
            client.post(
                "/agent/api/login",
                json={"username": "indringer", "password": "gok-gok-gok"},
                headers={"X-CSRF-Token": csrf},
            ).status_code
        )
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]


def test_a_cross_site_post_is_refused(web: str) -> None:
    client = log_in(web, "noor")
    reply = client.post(
        "/agent/api/handoffs/999/note",
        json={"text": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert reply.status_code == 403


def test_two_agents_claim_at_once_and_exactly_one_gets_it(web: str, settings: Settings) -> None:
    handoff_id = waiting_handoff(settings)
    noor, lotte = log_in(web, "noor"), log_in(web, "lotte")
    barrier = threading.Barrier(2)

    def claim(client: httpx.Client) -> int:
        barrier.wait()
        return client.post(f"/agent/api/handoffs/{handoff_id}/claim").status_code

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(claim, [noor, lotte]))
    assert codes == [200, 409]
    mine = [
        c
        for c in (noor, lotte)
        if any(i["id"] == handoff_id for i in c.get("/agent/api/queue").json()["mine"])
    ]
    assert len(mine) == 1


def test_only_a_supervisor_reassigns(
    web: str, settings: Settings, agent_ids: dict[str, int]
) -> None:
    handoff_id = waiting_handoff(settings)
    noor, ruben = log_in(web, "noor"), log_in(web, "ruben")
    target = {"agent_id": agent_ids["lotte"]}
    assert noor.post(f"/agent/api/handoffs/{handoff_id}/assign", json=target).status_code == 403
    assert ruben.post(f"/agent/api/handoffs/{handoff_id}/assign", json=target).status_code == 200
    queue_view = ruben.get("/agent/api/queue").json()
    assert any(
        i["id"] == handoff_id and i["agent"]["id"] == agent_ids["lotte"]
        for i in queue_view["others"]
    )
    assert {a["display_name"] for a in queue_view["agents"]} >= {"Noor", "Lotte", "Ruben"}
    assert noor.get("/agent/api/queue").json()["agents"] == []


def test_replies_and_notes_check_their_input(web: str, settings: Settings) -> None:
    handoff_id = waiting_handoff(settings, "<img src=x onerror=alert(1)>")
    noor, lotte = log_in(web, "noor"), log_in(web, "lotte")
    assert (
        noor.post(f"/agent/api/handoffs/{handoff_id}/reply", json={"text": "hoi"}).status_code
        == 403
    )
    assert noor.post(f"/agent/api/handoffs/{handoff_id}/claim").status_code == 200
    for body in ({}, {"text": ""}, {"text": "   "}, {"text": "x" * 2001}, {"text": 42}):
        assert noor.post(f"/agent/api/handoffs/{handoff_id}/reply", json=body).status_code == 400
    assert (
        lotte.post(f"/agent/api/handoffs/{handoff_id}/reply", json={"text": "hoi"}).status_code
        == 403
    )
    bad_json = noor.post(
        f"/agent/api/handoffs/{handoff_id}/note",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert bad_json.status_code == 400
    note = noor.post(
        f"/agent/api/handoffs/{handoff_id}/note", json={"text": "<b>klant belt terug</b>"}
    )
    assert note.status_code == 200
    view = noor.get(f"/agent/api/handoffs/{handoff_id}").json()
    assert view["notes"][0]["text"] == "<b>klant belt terug</b>"
    assert view["transcript"][0]["text"] == "<img src=x onerror=alert(1)>"
    assert view["can_reply"] is True and view["context"]["customer"]["anonymous"] is True
    assert view["context"]["bot"]["intents"] == [{"name": "human_handoff"}]
    assert noor.get("/agent/api/handoffs/999999").status_code == 404
    # Rasa is not running here: the reply is kept and the agent is told.
    assert (
        noor.post(f"/agent/api/handoffs/{handoff_id}/reply", json={"text": "hoi"}).status_code
        == 502
    )


def test_new_customer_messages_reach_open_consoles_live(web: str, settings: Settings) -> None:
    noor = log_in(web, "noor")
    received: list[dict] = []
    ready = threading.Event()

    def listen() -> None:
        with noor.stream("GET", "/agent/api/events", timeout=10) as stream:
            ready.set()
            event = None
            for line in stream.iter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "message":
                    received.append(json.loads(line[6:]))
                    return

    thread = threading.Thread(target=listen)
    thread.start()
    assert ready.wait(5)
    handoff_id = waiting_handoff(settings, "is er iemand?")
    thread.join(10)
    assert received and received[0]["text"] == "is er iemand?"
    assert handoff_id


def test_console_files_and_no_traversal(web: str) -> None:
    client = httpx.Client(base_url=web)
    assert client.get("/agent/static/..%2F..%2Fbot%2Fsettings.py").status_code == 404
    assert client.get("/agent/static/console.html").status_code == 404


def test_the_console_gets_the_icons_it_shares_with_the_widget(web: str) -> None:
    client = httpx.Client(base_url=web)
    icons = client.get("/agent/static/icons.js")
    assert icons.status_code == 200 and "window.KlantreisIcons" in icons.text
    assert client.get("/agent/static/..%2Fshared%2Ficons.js").status_code == 404


def test_values_no_database_can_take_are_refused_or_repaired(web: str, settings: Settings) -> None:
    """Issue #15: ids past BIGINT and lone surrogates reached the database as a 500."""
    handoff_id = waiting_handoff(settings)
    ruben = log_in(web, "ruben")
    for bad in (2**63, 10**30):
        assert ruben.get(f"/agent/api/handoffs/{bad}").status_code == 404
        assert ruben.post(f"/agent/api/handoffs/{bad}/claim").status_code == 404
    for agent_id in (2**63, True, "1", None):
        assigned = ruben.post(
            f"/agent/api/handoffs/{handoff_id}/assign", json={"agent_id": agent_id}
        )
        assert assigned.status_code == 400, agent_id
    note = ruben.post(
        f"/agent/api/handoffs/{handoff_id}/note",
        content=b'{"text": "bel \\ud98d terug\\u0000"}',
        headers={"Content-Type": "application/json"},
    )
    assert note.status_code == 200 and note.json()["note"]["text"] == "bel \ufffd terug"
    csrf = httpx.Client(base_url=web)
    token = csrf.get("/agent/api/login-csrf").json()["csrf"]
    login = csrf.post(
        "/agent/api/login",
        content=b'{"username": "ruben\\ud800", "password": "x\\u0000"}',
        headers={"Content-Type": "application/json", "X-CSRF-Token": token},
    )
    assert login.status_code == 401

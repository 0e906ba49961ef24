"""Rasa restarts in the middle of conversations, with real processes under the supervisor: a
message sent while it is down is answered once it is back, with the conversation's state
(an open form) intact, over REST, socket.io and the real widget in Chromium.

`klantreis run`'s supervisor keeps Rasa's listening socket open across restarts
(bot/stack.py), so a connection made while Rasa is down waits in the socket's backlog
instead of being refused, and the widget keeps what the shopper typed until it is connected.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import socketio
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from bot.settings import Settings
from bot.stack import Stack, running_stack
from bot.store.db import make_engine, make_session_factory
from bot.store.models import ContactMessage
from tests.helpers.browser import chromium, screenshot_on_failure
from tests.helpers.demo import make_demo_store
from tests.helpers.stack import require_model, send, test_settings
from tests.helpers.webchat import Tab

pytestmark = pytest.mark.stack

RASA = "The Rasa server"
WAIT = 180  # seconds for Rasa to come back on a busy 2-core machine


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("restart")
    return test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=1700)


@pytest.fixture(scope="module")
def bot(settings: Settings) -> Iterator[Stack]:
    require_model(settings)
    with running_stack(settings) as stack:
        yield stack


def kill_rasa(bot: Stack) -> int:
    child = bot.supervisor.child(RASA)
    pid = child.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while child.pid == pid or child.healthy:  # the supervisor saw it go
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return pid


def wait_back(bot: Stack, old_pid: int) -> None:
    child = bot.supervisor.child(RASA)
    deadline = time.monotonic() + WAIT
    while not (child.healthy and child.pid != old_pid):
        assert time.monotonic() < deadline, f"Rasa did not come back; see {child.spec.log}"
        time.sleep(0.2)


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def test_the_port_stays_open_while_rasa_is_down(bot: Stack, settings: Settings) -> None:
    old = kill_rasa(bot)
    assert not bot.supervisor.child(RASA).healthy
    with socket.create_connection(("127.0.0.1", settings.rasa_port), timeout=5):
        pass  # accepted by the kernel into the held socket's backlog, not refused
    wait_back(bot, old)


def test_rest_and_socketio_messages_sent_while_rasa_is_down_are_answered_when_it_is_back(
    bot: Stack,
) -> None:
    assert "bestelnummer" in texts(send(bot, "herstart", "waar blijft mijn bestelling?"))
    assert "postcode" in texts(send(bot, "herstart", "10452"))

    async def start_web() -> str:
        tab = Tab(bot.rasa_url)
        session_id = await tab.open()
        assert "postcode" in (await tab.say("waar is mijn bestelling 10452?"))[0]
        await tab.close()
        return session_id

    session_id = asyncio.run(start_web())
    old = kill_rasa(bot)

    # Sent while Rasa is down: REST waits for its answer (tests.helpers.stack.send allows 30 s,
    # Rasa may need longer here, so a plain thread with a long timeout).
    rest: dict[str, Any] = {}

    def rest_call() -> None:
        import json
        import urllib.request

        request = urllib.request.Request(
            f"{bot.rasa_url}/webhooks/rest/webhook",
            data=json.dumps({"sender": "herstart", "message": "3572 BK"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=WAIT) as answer:
            rest["replies"] = json.loads(answer.read())
            rest["at"] = time.monotonic()

    caller = threading.Thread(target=rest_call)
    caller.start()
    time.sleep(1)
    assert not bot.supervisor.child(RASA).healthy  # really sent while Rasa was down

    async def web_while_down() -> list[str]:
        """What the widget does: reconnect until the server answers, then send."""
        deadline = time.monotonic() + WAIT
        while True:
            tab = Tab(bot.rasa_url)
            try:
                assert await tab.open(session_id) == session_id  # the same conversation
                break
            except (socketio.exceptions.ConnectionError, asyncio.TimeoutError):
                assert time.monotonic() < deadline
                await asyncio.sleep(1)
        try:
            return await tab.say("3572 BK", wait=1)
        finally:
            await tab.close()

    web = asyncio.run(web_while_down())
    caller.join(WAIT)
    wait_back(bot, old)

    # Both answered by the new Rasa, from the form's state in the SQL tracker store.
    assert "10452" in texts(rest["replies"]) and "PostNL" in texts(rest["replies"]), rest
    assert "10452" in web[0] and "PostNL" in web[0], web


def web_messages(settings: Settings, session_id: str) -> list[tuple[str, str, str]]:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            return [
                (m.direction, m.text, m.status)
                for m in session.scalars(
                    select(ContactMessage)
                    .where(ContactMessage.conversation_id == f"web:{session_id}")
                    .order_by(ContactMessage.id)
                )
            ]
    finally:
        engine.dispose()


def test_a_web_message_cut_off_by_the_restart_is_answered_once_when_sent_again(
    bot: Stack, settings: Settings
) -> None:
    """The widget sends each message with an id and sends it again after a reconnect until the
    server acknowledges it. Rasa is killed once the message is recorded, before it answered."""
    message = {"message": "hoeveel kost de Veloce Aero 3?", "message_id": "c0ffee01"}

    async def send_then_kill() -> tuple[str, int, str]:
        tab = Tab(bot.rasa_url)
        session_id = await tab.open()
        await tab.client.emit("user_uttered", {**message, "session_id": session_id})
        deadline = time.monotonic() + 20
        while not web_messages(settings, session_id):  # recorded: now kill Rasa
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        old = kill_rasa(bot)
        status = web_messages(settings, session_id)[0][2]
        await tab.close()
        return session_id, old, status

    session_id, old, status_when_killed = asyncio.run(send_then_kill())
    wait_back(bot, old)

    async def send_again() -> tuple[list[dict[str, str]], list[str]]:
        tab = Tab(bot.rasa_url)
        await tab.open(session_id)
        first = await tab.client.call("user_uttered", {**message, "session_id": session_id})
        again = await tab.client.call("user_uttered", {**message, "session_id": session_id})
        await asyncio.sleep(1)
        await tab.close()
        return [first, again], [m.get("text", "") for m in tab.bot]

    acks, replies = asyncio.run(send_again())
    timeline = web_messages(settings, session_id)
    inbound = [m for m in timeline if m[0] == "in"]
    answers = [m for m in timeline if m[0] == "out"]
    assert inbound == [("in", message["message"], "answered")], timeline
    assert len(answers) == 1 and "Veloce Aero 3" in answers[0][1], timeline  # once
    if status_when_killed == "received":  # the case this test is for (Rasa was on it)
        assert acks == [{"status": "accepted"}, {"status": "duplicate"}]
        assert len(replies) == 1 and "Veloce Aero 3" in replies[0]
    else:  # Rasa answered before the kill landed: the resends are duplicates
        assert acks == [{"status": "duplicate"}, {"status": "duplicate"}]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def test_the_widget_keeps_a_message_typed_while_rasa_is_down_and_sends_it_when_back(
    bot: Stack, browser: Browser, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context()
    page = context.new_page()
    bot_messages = page.locator("[data-testid=kr-message][data-author=bot]")
    status = page.get_by_test_id("kr-status")
    with screenshot_on_failure(page, request.node.name):
        page.goto(bot.web_url)
        if page.get_by_test_id("kr-panel").is_hidden():
            page.get_by_test_id("kr-launcher").click()
        expect(status).to_have_attribute("data-state", "connected", timeout=20_000)
        page.get_by_test_id("kr-input").fill("waar is mijn bestelling 10452?")
        page.get_by_test_id("kr-send").click()
        expect(bot_messages.last).to_contain_text("postcode", timeout=20_000)

        old = kill_rasa(bot)
        expect(status).to_have_attribute("data-state", "disconnected", timeout=20_000)
        page.get_by_test_id("kr-input").fill("3572 BK")
        page.get_by_test_id("kr-send").click()
        pending = page.locator(".kr-msg--pending")
        expect(pending).to_contain_text("Wordt verstuurd zodra de verbinding terug is")

        wait_back(bot, old)
        expect(status).to_have_attribute("data-state", "connected", timeout=60_000)
        expect(bot_messages.last).to_contain_text("PostNL", timeout=30_000)
        expect(bot_messages.last).to_contain_text("10452")
        expect(pending).to_have_count(0)
    context.close()

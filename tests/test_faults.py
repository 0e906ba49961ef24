"""Fault injection with the real processes: a process dies, the action server is down, the
database is busy. The customer always hears something, and nothing they said is lost. And
every response of Rasa's server, errors included, carries our security headers."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.settings import Settings
from bot.stack import Stack, running_stack
from bot.store.db import make_engine, make_session_factory
from bot.store.models import ContactMessage
from tests.helpers.demo import make_demo_store
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_NUMBER, FakeTwilio
from tests.helpers.stack import require_model, send, test_settings
from tests.helpers.webchat import Tab

pytestmark = pytest.mark.stack

ACTIONS, RASA, SERVICES = "The action server", "The Rasa server", "The web server"
SORRY_NL = "Probeer het over een momentje nog eens"
SORRY_EN = "Please try again in a moment"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("faults")
    return test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=700)


@pytest.fixture(scope="module")
def bot(settings: Settings) -> Iterator[Stack]:
    """The bot with every channel on (WhatsApp and Telegram against local fakes)."""
    require_model(settings)
    with FakeTwilio() as twilio, FakeTelegram() as telegram:
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": SANDBOX_NUMBER,
            "TWILIO_API_BASE": twilio.base_url,
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_WEBHOOK_SECRET": "faults-webhook-secret",
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_API_BASE": telegram.base_url,
            "TELEGRAM_BOT_USERNAME": "TrekPeddelBot",
            "KLANTREIS_PUBLIC_URL": "https://bot.example.nl",
        }
        with running_stack(settings, extra_env=env) as stack:
            yield stack


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def tracker_events(bot: Stack, conversation: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(
        bot.api_url(f"/conversations/{conversation}/tracker"), timeout=30
    ) as r:
        return list(json.loads(r.read())["events"])


def kill(bot: Stack, name: str) -> int:
    pid = bot.supervisor.child(name).pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    return pid


def wait_back(bot: Stack, name: str, old_pid: int, timeout: float = 180) -> None:
    child = bot.supervisor.child(name)
    deadline = time.monotonic() + timeout
    while not (child.healthy and child.pid != old_pid):
        assert time.monotonic() < deadline, f"{name} did not come back; see {child.spec.log}"
        assert bot.supervisor.failure is None, bot.supervisor.failure
        time.sleep(0.2)


def test_actions_down_the_customer_is_asked_to_try_again_and_nothing_is_lost(
    bot: Stack, settings: Settings
) -> None:
    bot.supervisor.hold(ACTIONS)
    try:
        dutch = texts(send(bot, "down-nl", "waar is mijn bestelling 10452?"))
        assert SORRY_NL in dutch and dutch.count(SORRY_NL) == 1, dutch
        english = texts(send(bot, "down-en", "where is my order 10452?"))
        assert SORRY_EN in english, english

        async def web() -> tuple[str, list[str]]:
            tab = Tab(bot.rasa_url)
            session_id = await tab.open()
            replies = await tab.say("hoeveel kost de Veloce Aero 3?")
            await tab.close()
            return session_id, replies

        session_id, replies = asyncio.run(web())
        assert any(SORRY_NL in r for r in replies), replies
    finally:
        bot.supervisor.release(ACTIONS)
    bot.supervisor.wait_until_healthy(120)

    # The tracker holds what the customer said and what we answered.
    events = tracker_events(bot, "rest:down-nl")
    said = [e["text"] for e in events if e["event"] == "user"]
    answered = [e.get("text") or "" for e in events if e["event"] == "bot"]
    assert said == ["waar is mijn bestelling 10452?"] and any(SORRY_NL in a for a in answered)
    # The web chat's contact timeline has the question and the apology, in order.
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        timeline = session.scalars(
            select(ContactMessage)
            .where(ContactMessage.conversation_id == f"web:{session_id}")
            .order_by(ContactMessage.id)
        ).all()
        entries = [(m.direction, m.text) for m in timeline]
    engine.dispose()
    assert entries[0] == ("in", "hoeveel kost de Veloce Aero 3?")
    assert entries[1][0] == "out" and SORRY_NL in entries[1][1]

    # Back up: the same customer simply asks again and gets the real answer.
    assert "postcode" in texts(send(bot, "down-nl", "waar is mijn bestelling 10452?"))
    assert "costs" in texts(send(bot, "down-en", "how much is the Veloce Aero 3?"))


def test_every_process_killed_mid_conversation_comes_back_with_the_conversation(
    bot: Stack,
) -> None:
    assert "bestelnummer" in texts(send(bot, "phoenix", "waar blijft mijn bestelling?"))
    assert "postcode" in texts(send(bot, "phoenix", "10452"))

    pids = {name: kill(bot, name) for name in (RASA, ACTIONS, SERVICES)}
    for name, pid in pids.items():
        wait_back(bot, name, pid)

    # The form's state came back from the SQL tracker store: the postcode finishes it.
    reply = texts(send(bot, "phoenix", "3572 BK"))
    assert "10452" in reply and "PostNL" in reply, reply
    with urllib.request.urlopen(f"{bot.web_url}/health", timeout=10) as answer:
        assert answer.status == 200
    log = bot.supervisor.events_log
    assert log is not None
    lines = log.read_text()
    assert all(f"{name} stopped (exit code -9)" in lines for name in pids), lines


def test_sqlite_busy_the_message_waits_for_the_lock_and_is_answered(
    bot: Stack, settings: Settings
) -> None:
    path = settings.database_url.removeprefix("sqlite:///")
    holder = subprocess.Popen(  # another process holds the write lock for a while
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"db = sqlite3.connect({path!r}, isolation_level=None)\n"
            "db.execute('BEGIN IMMEDIATE')\n"
            "print('locked', flush=True)\n"
            "time.sleep(7)\n"
            "db.execute('COMMIT')\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result: dict[str, Any] = {}

        def ask() -> None:
            try:
                result["replies"] = send(bot, "busy", "waar is mijn bestelling 10452?")
            except Exception as exc:  # reported by the assertion below
                result["error"] = exc

        asker = threading.Thread(target=ask)
        asker.start()
        asker.join(timeout=60)
        assert holder.wait(timeout=30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
    assert "error" not in result, result
    assert "postcode" in texts(result["replies"])
    reply = texts(send(bot, "busy", "3572 BK"))  # the conversation goes on as normal
    assert "10452" in reply and "PostNL" in reply, reply


@pytest.mark.postgres
def test_postgres_connections_cut_mid_conversation_the_conversation_goes_on(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str
) -> None:
    """Every server connection of the bot is terminated (what a PostgreSQL restart does to
    them) between two messages of one conversation; the next message is answered in place."""
    from sqlalchemy import text

    from tests.conftest import POSTGRES_ADMIN_URL, _reset_postgres

    _reset_postgres(postgres_url)
    make_demo_store(postgres_url)
    database = postgres_url.rsplit("/", 1)[1]
    settings = test_settings(tmp_path_factory.mktemp("pg-faults"), postgres_url, offset=800)
    admin = make_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with running_stack(settings) as bot:
            assert "bestelnummer" in texts(send(bot, "pg-cut", "waar blijft mijn bestelling?"))
            assert "postcode" in texts(send(bot, "pg-cut", "10452"))
            with admin.connect() as connection:
                cut = connection.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": database},
                ).scalar()
            assert cut and cut >= 2  # Rasa's tracker store and the action server's pool
            reply = texts(send(bot, "pg-cut", "3572 BK"))
            assert "10452" in reply and "PostNL" in reply, reply
            assert bot.supervisor.failure is None
            assert all(c.restarts == 0 for c in bot.supervisor.children)  # nothing crashed
    finally:
        admin.dispose()


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/webhooks/rest/webhook", b'{"sender": "hdr", "message": "hoi"}', 200),
        ("GET", "/webhooks/rest/", None, 200),
        ("GET", "/webhooks/web/", None, 200),
        ("GET", "/webhooks/web/static/klantreis-widget.js", None, 200),
        ("GET", "/webhooks/web/static/nope.js", None, 404),
        ("GET", "/socket.io/?EIO=4&transport=polling", None, 200),
        ("GET", "/webhooks/whatsapp/", None, 200),
        ("POST", "/webhooks/whatsapp/webhook", b"Body=hoi&From=whatsapp%3A%2B31600000000", 403),
        ("GET", "/webhooks/telegram/", None, 200),
        ("POST", "/webhooks/telegram/webhook", b"{}", 403),
        ("GET", "/status", None, 401),
        ("GET", "/", None, 200),
        ("GET", "/nowhere", None, 404),
    ],
)
def test_every_rasa_response_has_the_security_headers(
    bot: Stack, method: str, path: str, body: bytes | None, status: int
) -> None:
    request = urllib.request.Request(f"{bot.rasa_url}{path}", data=body, method=method)
    if body is not None:
        kind = "json" if body.startswith(b"{") else "x-www-form-urlencoded"
        request.add_header("Content-Type", f"application/{kind}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            code, headers = answer.status, answer.headers
    except urllib.error.HTTPError as error:
        code, headers = error.code, error.headers
    assert code == status, (path, code)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]

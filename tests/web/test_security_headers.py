"""Security headers on every response of the web services (demo page, widget config, agent
console and its API), and the console showing a message that could not be delivered."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from bot.handoff import queue
from bot.settings import Settings
from bot.store import identities, timeline
from bot.store.db import make_engine, make_session_factory
from tests.helpers.browser import chromium, screenshot_on_failure
from tests.helpers.demo import make_demo_store
from tests.helpers.services import PASSWORD, add_agents, log_in, services_process
from tests.helpers.stack import test_settings

WAIT = 20_000
SAME_FOR_ALL = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp: Path = tmp_path_factory.mktemp("headers")
    return test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=600)


@pytest.fixture(scope="module")
def web(settings: Settings) -> Iterator[str]:
    add_agents(settings.database_url)
    with services_process(settings) as url:
        yield url


def check(response: httpx.Response) -> str:
    """The headers every response has; returns its CSP for the caller to look at."""
    for name, value in SAME_FOR_ALL.items():
        assert response.headers.get(name) == value, (response.url, name, response.headers)
    csp = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, (response.url, csp)
    return csp


@pytest.mark.parametrize("path", ["/", "/demo"])
def test_the_demo_page_allows_only_its_own_scripts_and_the_bot(
    web: str, settings: Settings, path: str
) -> None:
    reply = httpx.get(f"{web}{path}")
    csp = check(reply)
    bot = f"http://127.0.0.1:{settings.rasa_port}"
    assert "script-src 'self' 'sha256-" in csp and f" {bot};" in csp
    assert f"connect-src 'self' {bot} ws://127.0.0.1:{settings.rasa_port}" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/health", 200),
        ("/demo/config.js", 200),
        ("/demo/demo.css", 200),
        ("/demo/nope.css", 404),
        ("/agent/login", 200),
        ("/agent/static/console.js", 200),
        ("/agent/static/nope.js", 404),
        ("/agent/api/login-csrf", 200),
        ("/agent/api/queue", 401),
        ("/agent/", 302),
        ("/nowhere", 404),
    ],
)
def test_every_other_response_has_the_headers(web: str, path: str, status: int) -> None:
    reply = httpx.get(f"{web}{path}")
    assert reply.status_code == status
    csp = check(reply)
    if path in ("/agent/login", "/agent/static/console.js"):
        assert "script-src 'self'" in csp  # the console's own page policy
    elif not path.startswith("/demo/"):
        assert csp.startswith("default-src 'none'")


def test_logged_in_api_answers_have_the_headers_too(web: str) -> None:
    noor = log_in(web, "noor")
    for reply in (
        noor.get("/agent/api/me"),
        noor.get("/agent/api/queue"),
        noor.post("/agent/api/handoffs/999999/claim"),
        noor.post("/agent/api/handoffs/1/note", content=b"{not json"),
    ):
        check(reply)
    with noor.stream("GET", "/agent/api/events", timeout=10) as stream:
        check(stream)  # type: ignore[arg-type]


def failed_bot_message(settings: Settings) -> int:
    """A customer waiting for an agent, whose last bot answer WhatsApp could not deliver."""
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            return _handoff_with_failure(session)
    finally:
        engine.dispose()


def _handoff_with_failure(session: Session) -> int:
    phone = "+3161" + str(secrets.randbelow(10**7)).zfill(7)
    identity = identities.resolve(session, "whatsapp", phone)
    conversation = identities.conversation_id("whatsapp", phone)
    timeline.record_inbound(
        session,
        customer_id=identity.customer_id,
        conversation_id=conversation,
        channel="whatsapp",
        text="waar blijft mijn pakket?",
    )
    answer = timeline.record_outbound(
        session,
        customer_id=identity.customer_id,
        conversation_id=conversation,
        channel="whatsapp",
        text="Je pakket komt morgen.",
    )
    timeline.set_status(session, answer, "failed", error_code="20503")
    return queue.request(
        session,
        conversation_id=conversation,
        customer_id=identity.customer_id,
        channel="whatsapp",
        language="nl",
        reason="explicit",
        summary={"last_message": "waar blijft mijn pakket?", "intents": []},
    ).id


def test_the_console_shows_a_bot_message_that_was_not_delivered(
    web: str, settings: Settings
) -> None:
    handoff_id = failed_bot_message(settings)
    with chromium() as browser:
        page = browser.new_context().new_page()
        with screenshot_on_failure(page, "console-failed-delivery"):
            page.goto(f"{web}/agent/")
            page.get_by_test_id("login-username").fill("noor")
            page.get_by_test_id("login-password").fill(PASSWORD)
            page.get_by_test_id("login-submit").click()
            expect(page.get_by_test_id("live")).to_have_attribute(
                "data-state", "live", timeout=WAIT
            )
            page.locator(
                f'[data-testid=queue-item][data-handoff-id="{handoff_id}"] .kc-qi-open'
            ).first.click()
            bot_line = page.locator("[data-testid=transcript-message][data-author=bot]").last
            expect(bot_line).to_contain_text("Je pakket komt morgen.", timeout=WAIT)
            expect(bot_line.locator(".kc-msg-status--failed")).to_have_text("Niet afgeleverd")

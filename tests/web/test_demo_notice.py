"""`klantreis demo` schedules a delay notice for a demo log-in customer; a shopper logged in as
her on the shop page of the running bot sees it arrive, through the scan, the outbox and the
worker of `klantreis run` (real processes, real Chromium)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from bot.settings import PROJECT_ROOT, Settings
from bot.stack import Stack, child_env, running_stack
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import OutboxMessage
from bot.store.models import Customer, utcnow
from tests.helpers.browser import chromium, screenshot_on_failure
from tests.helpers.stack import require_model, test_settings
from tests.web.test_demo_page import WAIT, bot_messages, open_chat

pytestmark = pytest.mark.stack


def klantreis(settings: Settings, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=child_env(settings, {}),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def sannes_notice(settings: Settings) -> OutboxMessage:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            return session.scalars(
                select(OutboxMessage)
                .join(Customer, Customer.id == OutboxMessage.customer_id)
                .where(Customer.customer_ref == "C1001")
            ).one()
    finally:
        engine.dispose()


def make_due(settings: Settings, message_id: int) -> None:
    """The clock reaches the scheduled time (without a test waiting three minutes for it)."""
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            session.get(OutboxMessage, message_id).next_attempt_at = utcnow()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, str]]:
    tmp = tmp_path_factory.mktemp("demo_notice")
    settings = test_settings(tmp, f"sqlite:///{tmp / 'demo.db'}", offset=3300)
    require_model(settings)
    klantreis(settings, "migrate")
    yield settings, klantreis(settings, "demo", "--notice-after", "3600")


@pytest.fixture(scope="module")
def stack(demo: tuple[Settings, str]) -> Iterator[Stack]:
    with running_stack(demo[0], delays_worker=True) as stack:
        yield stack


def test_klantreis_demo_schedules_sannes_notice(demo: tuple[Settings, str]) -> None:
    settings, said = demo
    assert "Delay notice scheduled at" in said and "Sanne (C1001, order 10452)" in said
    notice = sannes_notice(settings)
    assert notice.status == "pending" and notice.entities["order_number"] == "10452"
    wait = (notice.next_attempt_at - utcnow()).total_seconds()
    assert 3500 < wait <= 3600


def test_a_logged_in_demo_customer_sees_the_scheduled_notice_arrive(
    demo: tuple[Settings, str], stack: Stack, request: pytest.FixtureRequest
) -> None:
    settings, _ = demo
    notice = sannes_notice(settings)
    with chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        with screenshot_on_failure(page, request.node.name):
            page.goto(stack.web_url)
            page.get_by_test_id("demo-login").filter(has_text="Sanne").first.click()
            open_chat(page, stack.web_url)
            # the worker is running (its scan too) but the notice is not due yet
            page.wait_for_timeout(3000)
            assert sannes_notice(settings).status == "pending"
            expect(bot_messages(page)).to_have_count(0)

            make_due(settings, notice.id)

            arrived = bot_messages(page).first
            expect(arrived).to_contain_text("10452", timeout=WAIT)
            expect(arrived).to_contain_text("Hoi Sanne!")
        context.close()
    sent = sannes_notice(settings)
    assert (sent.status, sent.channel, sent.reason) == ("sent", "web", None)

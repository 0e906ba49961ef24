"""The demo shop page in real headless Chromium, chatting with the real bot end to end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from bot.settings import Settings
from bot.stack import Stack, running_stack
from tests.helpers.browser import (
    bot_messages,
    open_chat,
    screenshot_on_failure,
    send,
)
from tests.helpers.demo import make_demo_store
from tests.helpers.stack import require_model, test_settings

pytestmark = pytest.mark.stack
WAIT = 20_000


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("browser")
    settings: Settings = test_settings(
        tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=400
    )
    require_model(settings)
    with running_stack(settings) as stack:
        yield stack


def test_a_shopper_chats_reloads_and_opens_a_second_tab(
    bot: Stack, browser: Browser, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context()
    page = context.new_page()
    with screenshot_on_failure(page, request.node.name):
        open_chat(page, bot.web_url)
        send(page, "waar is mijn bestelling 10452?")
        expect(bot_messages(page).last).to_contain_text("postcode", timeout=WAIT)
        send(page, "3572 BK")
        expect(bot_messages(page).last).to_contain_text("PostNL", timeout=WAIT)
        session_id = page.get_by_test_id("kr-panel").get_attribute("data-session-id")
        assert session_id and len(session_id) == 32

        page.reload()
        open_chat(page, bot.web_url)
        expect(bot_messages(page)).to_have_count(2, timeout=WAIT)
        expect(page.locator("[data-testid=kr-message][data-author=customer]").first).to_have_text(
            "waar is mijn bestelling 10452?"
        )

        second = context.new_page()
        open_chat(second, bot.web_url)
        expect(bot_messages(second)).to_have_count(2, timeout=WAIT)
        send(second, "wat zijn jullie openingstijden?")
        expect(bot_messages(page)).to_have_count(3, timeout=WAIT)
        expect(page.locator("[data-testid=kr-message][data-author=customer]").last).to_have_text(
            "wat zijn jullie openingstijden?"
        )
    context.close()


def test_buttons_and_hostile_text(
    bot: Stack, browser: Browser, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context()
    page = context.new_page()
    with screenshot_on_failure(page, request.node.name):
        open_chat(page, bot.web_url)
        send(page, "hoi")
        button = page.get_by_test_id("kr-button").filter(has_text="Openingstijden")
        expect(button).to_be_visible(timeout=WAIT)
        button.click()
        expect(bot_messages(page)).to_have_count(2, timeout=WAIT)
        expect(bot_messages(page).last).to_contain_text("8:30")

        payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
        send(page, payload)
        expect(page.locator("[data-testid=kr-message][data-author=customer]").last).to_have_text(
            payload, timeout=WAIT
        )
        expect(bot_messages(page)).to_have_count(3, timeout=WAIT)
        assert page.evaluate("window.__pwned") is None
        assert page.locator(".kr-root img[src=x]").count() == 0
    context.close()


def test_a_logged_in_shopper_is_recognised(
    bot: Stack, browser: Browser, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context()
    page = context.new_page()
    with screenshot_on_failure(page, request.node.name):
        page.goto(bot.web_url)
        page.get_by_test_id("demo-login").filter(has_text="Sanne").first.click()
        open_chat(page, bot.web_url)
        send(page, "hoi")
        expect(bot_messages(page).last).to_contain_text("Sanne", timeout=WAIT)
        expect(bot_messages(page).last).to_contain_text("10452")
    context.close()


def test_english_and_mobile(bot: Stack, browser: Browser, request: pytest.FixtureRequest) -> None:
    context = browser.new_context(viewport={"width": 400, "height": 800})
    page = context.new_page()
    with screenshot_on_failure(page, request.node.name):
        open_chat(page, bot.web_url)
        page.get_by_test_id("kr-lang").click()
        expect(page.get_by_test_id("kr-input")).to_have_attribute(
            "placeholder", "Type your message…"
        )
        send(page, "how much is the Veloce Aero 3?")
        expect(bot_messages(page).last).to_contain_text("costs", timeout=WAIT)
        box = page.get_by_test_id("kr-panel").bounding_box()
        assert box is not None and box["width"] >= 390
    context.close()

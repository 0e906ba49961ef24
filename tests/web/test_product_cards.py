"""Product cards in our widget, in real headless Chromium, with the real bot processes.

"wat kost de storm jas?" names two jackets: the bot lists them through show_products, and the
widget draws them as cards (picture, name, price, rating, stock, link, buttons) in a row that
scrolls sideways. A card's "Meer info" is answered like any question about that product.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import update

from bot.settings import Settings
from bot.stack import Stack, running_stack
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Product
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
HOSTILE_NAME = 'Regenwoud Storm jas dames <img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("cards")
    url = make_demo_store(f"sqlite:///{tmp / 'demo.db'}")
    engine = make_engine(url)
    with make_session_factory(engine)() as session, session.begin():
        # Catalogue text is data: on a card it must stay text.
        session.execute(
            update(Product).where(Product.sku == "TP-RJK-002").values(name_nl=HOSTILE_NAME)
        )
    engine.dispose()
    settings: Settings = test_settings(tmp, url, offset=1470)
    require_model(settings)
    with running_stack(settings) as stack:
        yield stack


def test_a_product_list_shows_as_cards_and_more_info_is_answered(
    bot: Stack, browser: Browser, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context()
    page = context.new_page()
    with screenshot_on_failure(page, request.node.name):
        open_chat(page, bot.web_url)
        send(page, "wat kost de storm jas?")
        cards = page.get_by_test_id("kr-card")
        expect(cards).to_have_count(2, timeout=WAIT)
        message = bot_messages(page).last
        # the intro is the text; the product lines and plain buttons became cards
        expect(message.locator(".kr-text")).to_have_text(
            f"Welke bedoel je? Regenwoud Storm jas heren of {HOSTILE_NAME}?"
        )
        expect(message.get_by_test_id("kr-button")).to_have_count(0)

        heren = cards.first
        expect(heren).to_have_attribute("data-sku", "TP-RJK-001")
        expect(heren.locator(".kr-card-name")).to_have_text("Regenwoud Storm jas heren")
        expect(heren.locator(".kr-card-price")).to_contain_text("€")
        expect(heren.locator(".kr-card-rating")).to_contain_text("★")
        expect(heren.locator(".kr-card-stock")).to_have_text("Op voorraad")
        link = heren.get_by_test_id("kr-card-link")
        assert link.get_attribute("href") == f"{bot.web_url}/demo/products/TP-RJK-001"
        assert link.get_attribute("target") == "_blank"
        image = heren.locator("img.kr-card-image")
        expect(image).to_have_attribute("src", f"{bot.web_url}/demo/images/TP-RJK-001.svg")
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        titles = heren.get_by_test_id("kr-card-button").all_inner_texts()
        assert titles == ["Meer info", "Vergelijk", "In mijn maat?"]

        # the row scrolls sideways, not the page
        row = page.get_by_test_id("kr-cards")
        assert row.evaluate("r => getComputedStyle(r).overflowX") == "auto"

        # catalogue text stays text
        dames = cards.nth(1)
        expect(dames.locator(".kr-card-name")).to_have_text(HOSTILE_NAME)
        assert page.evaluate("window.__pwned") is None
        assert page.locator(".kr-root img[src=x]").count() == 0

        heren.get_by_test_id("kr-card-button").filter(has_text="Meer info").click()
        customer = page.locator("[data-testid=kr-message][data-author=customer]").last
        expect(customer).to_have_text("Meer info", timeout=WAIT)
        expect(bot_messages(page)).to_have_count(2, timeout=WAIT)
        answer = bot_messages(page).last
        expect(answer).to_contain_text("Regenwoud Storm jas heren")
        expect(answer).to_contain_text("kost")

        # a reload draws the transcript's cards again, and the button title, not its payload
        page.reload()
        open_chat(page, bot.web_url)
        expect(page.get_by_test_id("kr-card")).to_have_count(2, timeout=WAIT)
        expect(page.locator("[data-testid=kr-message][data-author=customer]").last).to_have_text(
            "Meer info"
        )
    context.close()


def test_the_shop_links_to_product_pages_with_their_pictures(
    bot: Stack, browser: Browser, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context()
    page = context.new_page()
    with screenshot_on_failure(page, request.node.name):
        page.goto(bot.web_url)
        page.locator(".card[data-sku=TP-TNT-001] .name a:visible").click()
        expect(page).to_have_url(f"{bot.web_url}/demo/products/TP-TNT-001")
        expect(page.locator("h1")).to_have_text("Wadden Duo 2 tent")
        page.wait_for_function("() => document.querySelector('main img').naturalWidth > 0")
        page.goto(f"{bot.web_url}/demo/products/TP-RJK-001?lang=en")
        expect(page.locator("h1")).to_have_text("Regenwoud Storm jacket men")
    context.close()


def test_english_cards_on_a_phone(
    bot: Stack, browser: Browser, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context(viewport={"width": 400, "height": 800})
    page = context.new_page()
    with screenshot_on_failure(page, request.node.name):
        open_chat(page, bot.web_url)
        page.get_by_test_id("kr-lang").click()
        send(page, "how much is the Regenwoud Storm jacket?")
        cards = page.get_by_test_id("kr-card")
        expect(cards).to_have_count(2, timeout=WAIT)
        first = cards.first
        expect(first.locator(".kr-card-stock")).to_have_text("In stock")
        titles = first.get_by_test_id("kr-card-button").all_inner_texts()
        assert titles == ["More info", "Compare", "In my size?"]
        link = first.get_by_test_id("kr-card-link")
        assert link.get_attribute("href") == f"{bot.web_url}/demo/products/TP-RJK-001?lang=en"
        # the row scrolls inside the chat: the second card is reachable by scrolling it
        row = page.get_by_test_id("kr-cards")
        assert row.evaluate("r => r.scrollWidth > r.clientWidth")
        cards.nth(1).get_by_test_id("kr-card-button").first.scroll_into_view_if_needed()
        expect(cards.nth(1).get_by_test_id("kr-card-button").first).to_be_in_viewport()
    context.close()

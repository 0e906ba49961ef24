"""A sales suggestion in our widget, in real headless Chromium, with the real bot processes.

The order status ends with one suggestion (#14): a card with its rating and a review snippet,
and the yes/no buttons. The shopper opens the card's "Meer info" and presses "Ja, graag"; another
presses "No thanks", and a new conversation of hers brings none. Each step is checked in the
store as well as on the screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bot.settings import Settings
from bot.stack import Stack, running_stack
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Customer
from bot.store.suggestion_models import (
    OrderAddition,
    Suggestion,
    SuggestionCooldown,
    SuggestionEvent,
    SuggestionSuppression,
)
from tests.helpers.browser import bot_messages, open_chat, screenshot_on_failure, send
from tests.helpers.demo import make_demo_store
from tests.helpers.stack import require_model, test_settings

pytestmark = pytest.mark.stack
WAIT = 30_000
OFFSET = 2900  # Rasa 8005, actions 8055, web 11000 (plus the checkout's shift)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("suggestion_widget")
    settings: Settings = test_settings(
        tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=OFFSET
    )
    require_model(settings)
    with running_stack(settings) as stack:
        stack.database_url = settings.database_url  # type: ignore[attr-defined]
        yield stack


def session_of(bot: Stack):  # type: ignore[no-untyped-def]
    return make_session_factory(make_engine(bot.database_url))()  # type: ignore[attr-defined]


def suggestion_for(bot: Stack, order_number: str) -> tuple[Suggestion, list[str]]:
    """The suggestion offered with this order, and its recorded events."""
    with session_of(bot) as session:
        (found,) = [
            s
            for s in session.scalars(select(Suggestion))
            if (s.context or {}).get("order") == order_number
        ]
        kinds = session.scalars(
            select(SuggestionEvent.kind)
            .where(SuggestionEvent.suggestion_id == found.id)
            .order_by(SuggestionEvent.id)
        ).all()
        session.expunge(found)
        return found, list(kinds)


def offer_buttons(page: Page):  # type: ignore[no-untyped-def]
    return bot_messages(page).last.get_by_test_id("kr-button")


def test_the_suggestion_shows_as_a_card_and_yes_adds_it_to_the_parcel(
    bot: Stack, browser: Browser, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context()
    page = context.new_page()
    with screenshot_on_failure(page, request.node.name):
        open_chat(page, bot.web_url)
        send(page, "Hoe staat het met bestelling 10476? Mijn postcode is 7511 DZ")
        card = page.get_by_test_id("kr-card")
        expect(card).to_have_count(1, timeout=WAIT)
        # the socks in Willem's size 45, with their rating and a Dutch review's first sentence
        expect(card).to_have_attribute("data-sku", "TP-SOK-003")
        expect(card.locator(".kr-card-name")).to_have_text("Bergpas Trailsokken 2-pack")
        expect(card.locator(".kr-card-rating")).to_contain_text("★ 4,4")
        expect(card.locator(".kr-card-reason")).to_have_text(
            '"Stevig en warm, en de hoge schacht houdt zand en steentjes buiten."'
        )
        expect(card.locator(".kr-card-stock")).to_contain_text("43-46")
        intro = page.locator(".kr-msg", has=card).locator(".kr-text")
        expect(intro).to_have_text("Misschien handig bij je Bergpas Ridge 5:")
        expect(bot_messages(page).last).to_contain_text(
            "Zal ik het bij dezelfde zending doen? Dan komt het mee met bestelling 10476."
        )
        expect(offer_buttons(page)).to_have_text(["Ja, graag", "Nee, dank je"])
        assert suggestion_for(bot, "10476")[1] == ["shown"]

        # "Meer info" on the card: the product's answer, and the question again
        before = bot_messages(page).count()
        card.get_by_test_id("kr-card-button").filter(has_text="Meer info").click()
        expect(bot_messages(page)).to_have_count(before + 2, timeout=WAIT)
        expect(bot_messages(page).last).to_contain_text("Zal ik het bij dezelfde zending doen?")
        expect(bot_messages(page).nth(-2)).to_contain_text("Bergpas Trailsokken 2-pack")
        offer_buttons(page).filter(has_text="Ja, graag").click()
        customer = page.locator("[data-testid=kr-message][data-author=customer]").last
        expect(customer).to_have_text("Ja, graag", timeout=WAIT)
        reply = bot_messages(page).last
        expect(reply).to_contain_text("staat klaar voor bestelling 10476", timeout=WAIT)
        expect(reply).to_contain_text("https://www.trekenpeddel.nl/bestelling/bijbetalen/")
    context.close()

    suggestion, kinds = suggestion_for(bot, "10476")
    assert kinds == ["shown", "clicked", "accepted"]
    assert (suggestion.status, suggestion.channel, suggestion.rule) == (
        "accepted",
        "web",
        "complement",
    )
    with session_of(bot) as session:
        addition = session.scalars(select(OrderAddition)).one()
        assert addition.conversation_id == suggestion.conversation_id
        assert addition.status == "awaiting_payment" and addition.variant == "43-46"


def test_no_thanks_is_recorded_and_her_next_conversation_brings_none(
    bot: Stack, browser: Browser, request: pytest.FixtureRequest
) -> None:
    question = "Where is my order 10477? My postcode is 5621 JK"
    first = browser.new_context()
    page = first.new_page()
    with screenshot_on_failure(page, request.node.name):
        open_chat(page, bot.web_url)
        send(page, question)
        card = page.get_by_test_id("kr-card")
        expect(card).to_have_count(1, timeout=WAIT)
        expect(card.locator(".kr-card-rating")).to_contain_text("★")
        expect(offer_buttons(page)).to_have_text(["Yes, please", "No thanks"], timeout=WAIT)
        offer_buttons(page).filter(has_text="No thanks").click()
        expect(bot_messages(page).last).to_contain_text(
            "No problem, I'll leave it there.", timeout=WAIT
        )
    first.close()

    suggestion, kinds = suggestion_for(bot, "10477")
    assert kinds == ["shown", "declined"] and suggestion.status == "declined"
    with session_of(bot) as session:
        ana = session.scalars(select(Customer).where(Customer.customer_ref == "C1022")).one()
        assert suggestion.customer_id == ana.id  # verified in that turn: the cool-down is hers
        cooldown = session.scalars(select(SuggestionCooldown)).one()
        assert (cooldown.customer_id, cooldown.suggestion_id) == (ana.id, suggestion.id)

    # Another day, another conversation (a new browser): the same good news, no offer.
    second = browser.new_context()
    page = second.new_page()
    with screenshot_on_failure(page, f"{request.node.name}-later"):
        open_chat(page, bot.web_url)
        send(page, question)
        expect(bot_messages(page).last).to_contain_text("10477", timeout=WAIT)
        page.wait_for_timeout(2000)  # the offer would come right behind the status
        expect(page.get_by_test_id("kr-card")).to_have_count(0)
        expect(page.get_by_test_id("kr-button")).to_have_count(0)
    second.close()
    with session_of(bot) as session:
        rows = session.scalars(
            select(SuggestionSuppression).where(
                SuggestionSuppression.conversation_id != suggestion.conversation_id
            )
        ).all()
        assert [(r.reason, r.customer_id) for r in rows] == [("no_thanks", ana.id)]

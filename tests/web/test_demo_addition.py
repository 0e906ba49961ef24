"""The demo page's "Bijbestelling betaald": a shopper logged in as Sanne says yes to the
same-parcel offer in the chat widget, presses the button under "Mijn account", and the bot
confirms the paid addition in the open chat (real processes, real Chromium)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from bot.stack import Stack, running_stack
from tests.helpers.browser import bot_messages, chromium, open_chat, screenshot_on_failure, send
from tests.helpers.demo import make_demo_store
from tests.helpers.stack import require_model, test_settings
from tests.web.test_demo_page import WAIT

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("demo_addition")
    settings = test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=3400)
    require_model(settings)
    with running_stack(settings) as stack:
        yield stack


def test_the_button_settles_the_addition_and_the_chat_confirms_it(
    stack: Stack, request: pytest.FixtureRequest
) -> None:
    with chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        with screenshot_on_failure(page, request.node.name):
            page.goto(stack.web_url)
            page.get_by_test_id("demo-login").filter(has_text="Sanne").first.click()
            open_chat(page, stack.web_url)
            button = page.get_by_test_id("demo-addition")
            button.click()  # nothing said yet: nothing to settle
            expect(page.get_by_test_id("demo-addition-status")).to_contain_text(
                "geen bijbestelling open", timeout=WAIT
            )
            send(page, "Hoe staat het met bestelling 10475? Mijn postcode is 3572 BK")
            expect(bot_messages(page).filter(has_text="10475").first).to_be_visible(timeout=WAIT)
            send(page, "top, bedankt!")
            expect(bot_messages(page).filter(has_text="dezelfde zending").first).to_be_visible(
                timeout=WAIT
            )
            send(page, "ja graag")
            expect(bot_messages(page).filter(has_text="bijbetalen/").first).to_be_visible(
                timeout=WAIT
            )
            page.wait_for_timeout(1000)  # the rest of that turn
            before = bot_messages(page).count()
            button.click()
            expect(bot_messages(page)).to_have_count(before + 1, timeout=WAIT)
            confirmation = bot_messages(page).last
            expect(confirmation).to_contain_text("Je betaling is binnen.")
            expect(confirmation).to_contain_text("bestelling 10475")
            expect(page.get_by_test_id("demo-addition-status")).to_be_hidden()
        context.close()

"""Delay notices end to end, on every channel: the notice reaches the customer, the customer
answers and the bot acts on the order in context, without asking to verify again.

Everything is real: Rasa with all three channels, the action server, the services process
(demo page and console), the twilio and python-telegram-bot SDKs against local fake APIs,
the demo page's widget in Chromium. Notices are triggered the way the dispatcher does it
(send_proactive → Rasa's trigger_intent), or with the demo page's button.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from bot.services.console.live import LiveFeed
from bot.services.console.proactive import send_proactive
from bot.services.console.rasa_api import RasaApi
from bot.settings import Settings
from bot.stack import Stack, running_stack
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import AnnouncedNotice
from bot.store.handoff_models import Handoff
from bot.store.models import Customer, Order
from bot.store.opt_out import service_consent
from bot.store.units import Store
from tests.connectors.telegram.factory import Updates
from tests.helpers.browser import chromium, screenshot_on_failure
from tests.helpers.channels import post_telegram, post_whatsapp
from tests.helpers.demo import make_demo_store
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_NUMBER, FakeTwilio
from tests.helpers.handoff import identity_for
from tests.helpers.services import add_agents
from tests.helpers.stack import require_model, test_settings
from tests.test_handoff_e2e import always_open_retailer, item, log_in

pytestmark = pytest.mark.stack

OFFSET = 650  # Rasa 5755, actions 5805, web 8750 (plus the checkout's shift)
WAIT = 20_000
SECRET = "delays-e2e-secret"
TEMPLATE = "HX0123456789abcdef0123456789abcdef"
IRIS = "+31624681357"  # order 10457, writes first: inside the 24-hour window
FLEUR = "+31678123456"  # order 10453, never wrote: only the template may go out
DAAN_CHAT = 9402  # Telegram, linked to Daan (order 10454), who reads English


@dataclass
class World:
    stack: Stack
    settings: Settings
    twilio: FakeTwilio
    telegram: FakeTelegram
    updates: Updates
    browser: Browser
    public_url: str

    def notify(self, conversation_id: str, **entities: str) -> str:
        """What the dispatcher does for one notice."""
        engine = make_engine(self.settings.database_url)
        store = Store(make_session_factory(engine))
        rasa = RasaApi(self.stack.rasa_url, self.stack.rasa_token)
        work = send_proactive(
            store, rasa, LiveFeed(store), conversation_id, "EXTERNAL_delivery_delayed", entities
        )
        try:
            with concurrent.futures.ThreadPoolExecutor(1) as pool:  # Playwright owns this loop
                return str(pool.submit(asyncio.run, work).result())
        finally:
            engine.dispose()

    def query(self, work: Any) -> Any:
        engine = make_engine(self.settings.database_url)
        try:
            with make_session_factory(engine)() as session:
                return work(session)
        finally:
            engine.dispose()

    def whatsapp_seen(self, phone: str) -> list[dict[str, str]]:
        return [
            {
                "body": r.get("Body") or "",
                "content_sid": r.get("ContentSid") or "",
                "variables": r.get("ContentVariables") or "",
            }
            for r in self.twilio.sent()
            if r.get("To") == f"whatsapp:{phone}"
        ]


def notice(number: str, notice_id: str, **extra: str) -> dict[str, str]:
    return {
        "notice_id": notice_id,
        "notice_kind": "first",
        "order_number": number,
        "old_date": "2026-11-19",
        "new_date": "2026-11-24",
        "reason": "carrier_delay",
        "voucher_code": "",
        "voucher_value_eur": "",
        "voucher_expires": "",
        **extra,
    }


def wait_until(check: Any, what: str, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("delays")
    url = make_demo_store(f"sqlite:///{tmp / 'demo.db'}")
    identity_for(url, f"telegram:{DAAN_CHAT}", "C1004")  # linked earlier (a shared contact)
    engine = make_engine(url)
    with make_session_factory(engine)() as session, session.begin():
        daan = session.scalars(select(Customer).where(Customer.customer_ref == "C1004")).one()
        daan.language = "en"
    engine.dispose()
    settings = test_settings(tmp, url, OFFSET)
    settings = dataclasses.replace(settings, retailer_file=always_open_retailer(tmp))
    require_model(settings)
    add_agents(settings.database_url)
    public_url = f"http://127.0.0.1:{settings.rasa_port}"
    with FakeTwilio() as twilio, FakeTelegram() as telegram, chromium() as browser:
        telegram.add_chat(DAAN_CHAT, "Daan")
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": SANDBOX_NUMBER,
            "TWILIO_API_BASE": twilio.base_url,
            "TWILIO_CONTENT_SID": TEMPLATE,
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_API_BASE": telegram.base_url,
            "KLANTREIS_PUBLIC_URL": public_url,
        }
        with running_stack(settings, extra_env=env) as stack:
            yield World(stack, settings, twilio, telegram, Updates(), browser, public_url)


def test_whatsapp_notice_then_a_pick_up_point_without_verifying_again(world: World) -> None:
    post_whatsapp(world.stack.rasa_url, world.public_url, IRIS, "hoi")
    before = len(world.whatsapp_seen(IRIS))
    entities = notice(
        "10457",
        "delay:e2e:1",
        voucher_code="SORRY-E2E1",
        voucher_value_eur="10.00",
        voucher_expires="2027-03-31",
    )
    assert world.notify(f"whatsapp:{IRIS}", **entities) == "sent"
    assert world.notify(f"whatsapp:{IRIS}", **entities) == "sent"  # a retry of the same notice
    seen = wait_until(lambda: world.whatsapp_seen(IRIS)[before:][:2], "the notice on WhatsApp")
    time.sleep(1)
    seen = world.whatsapp_seen(IRIS)[before:]
    assert len(seen) == 2, "the retried notice was said twice"
    assert "Hoi Iris!" in seen[0]["body"] and "10457" in seen[0]["body"]
    assert "dinsdag 24 november" in seen[0]["body"] and "SORRY-E2E1" not in seen[0]["body"]
    assert "SORRY-E2E1" in seen[1]["body"]

    post_whatsapp(
        world.stack.rasa_url, world.public_url, IRIS, "oké, kan het dan naar een afhaalpunt?"
    )
    asked = world.whatsapp_seen(IRIS)[before + 2 :]
    assert asked and "afhaalpunt" in asked[-1]["body"].lower(), asked
    assert not any("postcode" in m["body"].lower() for m in asked), "asked to verify again"
    post_whatsapp(world.stack.rasa_url, world.public_url, IRIS, "1")
    done = world.whatsapp_seen(IRIS)[-1]["body"]
    assert "PostNL-punt Primera Vredenburg" in done, done
    pickup = world.query(
        lambda s: s.scalars(select(Order).where(Order.order_number == "10457")).one().pickup_point
    )
    assert pickup == "PostNL-punt Primera Vredenburg, Utrecht"


def test_whatsapp_outside_the_window_sends_only_the_template_and_the_rest_on_reply(
    world: World,
) -> None:
    entities = notice(
        "10453",
        "delay:e2e:2",
        voucher_code="SORRY-E2E2",
        voucher_value_eur="5.00",
        voucher_expires="2027-03-31",
    )
    assert world.notify(f"whatsapp:{FLEUR}", **entities) == "sent"
    template = wait_until(lambda: world.whatsapp_seen(FLEUR), "the template")
    time.sleep(1)
    assert len(world.whatsapp_seen(FLEUR)) == 1
    assert template[0]["content_sid"] == TEMPLATE and not template[0]["body"]
    assert "SORRY" not in template[0]["variables"], "a voucher in a template's variables"
    assert "Fleur" in template[0]["variables"]
    post_whatsapp(world.stack.rasa_url, world.public_url, FLEUR, "oké, vertel")
    bodies = [m["body"] for m in world.whatsapp_seen(FLEUR)[1:]]
    assert "10453" in bodies[0] and "SORRY-E2E2" in bodies[1], bodies


def test_telegram_notice_in_english_and_cancel_is_answered_for_that_order(world: World) -> None:
    assert world.notify(f"telegram:{DAAN_CHAT}", **notice("10454", "delay:e2e:3")) == "sent"
    first = wait_until(lambda: world.telegram.sent_texts(DAAN_CHAT), "the notice on Telegram")
    assert "Hi Daan!" in first[0] and "Tuesday 24 November" in first[0]
    post_telegram(world.stack.rasa_url, world.updates.text(DAAN_CHAT, "cancel it then"), SECRET)
    reply = world.telegram.sent_texts(DAAN_CHAT)[-1]
    assert "10454" in reply and "postcode" not in reply.lower(), reply


def test_opt_out_on_whatsapp_is_confirmed_and_recorded(world: World) -> None:
    post_whatsapp(world.stack.rasa_url, world.public_url, IRIS, "stuur me geen berichten meer")
    assert "geen berichten meer" in world.whatsapp_seen(IRIS)[-1]["body"]

    def consent(session: Any) -> bool | None:
        customer = session.scalars(select(Customer).where(Customer.customer_ref == "C1018")).one()
        return service_consent(session, customer_id=customer.id, channel="whatsapp")

    assert world.query(consent) is False


def test_web_demo_button_notice_then_pick_up_point_in_the_widget(world: World) -> None:
    page = world.browser.new_context().new_page()
    with screenshot_on_failure(page, "delays-web"):
        page.goto(world.stack.web_url)
        page.get_by_test_id("demo-login").filter(has_text="Sanne").first.click()
        page.get_by_test_id("kr-launcher").click()
        expect(page.get_by_test_id("kr-status")).to_have_attribute(
            "data-state", "connected", timeout=WAIT
        )
        page.get_by_test_id("demo-delay").click()
        bot = page.locator("[data-testid=kr-message][data-author=bot]")
        expect(bot.last).to_contain_text("10452", timeout=WAIT)
        expect(bot.last).to_contain_text("later dan we hadden beloofd")
        page.get_by_test_id("kr-button").filter(has_text="Naar een afhaalpunt").last.click()
        expect(bot.last).to_contain_text("afhaalpunt", timeout=WAIT)
        page.get_by_test_id("kr-button").filter(has_text="Primera Vredenburg").last.click()
        expect(bot.last).to_contain_text("PostNL-punt Primera Vredenburg", timeout=WAIT)
        assert "postcode" not in " ".join(bot.all_text_contents()).lower()
    page.context.close()
    notices = world.query(
        lambda s: [(n.order_number, n.outcome) for n in s.scalars(select(AnnouncedNotice))]
    )
    assert ("10452", "announced") in notices


def test_the_agent_sees_notices_and_vouchers_and_a_held_notice_arrives_live(
    world: World,
) -> None:
    """Iris (who had a notice with a voucher) asks for a person; while Noor has the chat, the
    next notice becomes a note in her console, live, with the words Iris would have read."""
    console = log_in(world)  # type: ignore[arg-type]
    with screenshot_on_failure(console, "delays-console"):
        before = len(world.whatsapp_seen(IRIS))
        post_whatsapp(world.stack.rasa_url, world.public_url, IRIS, "ik wil een medewerker spreken")
        handoff_id = world.query(
            lambda s: max(
                h.id
                for h in s.scalars(select(Handoff).where(Handoff.conversation_id.endswith(IRIS)))
            )
        )
        item(console, handoff_id).get_by_test_id("claim").click()
        expect(console.get_by_test_id("conversation")).to_have_attribute(
            "data-handoff-id", str(handoff_id), timeout=WAIT
        )
        expect(console.get_by_test_id("delay-voucher").first).to_contain_text(
            "SORRY-E2E1", timeout=WAIT
        )
        expect(console.get_by_test_id("delay-notice").first).to_contain_text("10457")
        update = notice("10457", "delay:e2e:9", notice_kind="update", new_date="2026-11-27")
        assert world.notify(f"whatsapp:{IRIS}", **update) == "to_agent"
        expect(console.get_by_test_id("note").last).to_contain_text(
            "vrijdag 27 november", timeout=WAIT
        )
        time.sleep(1)
        assert not any("27 november" in m["body"] for m in world.whatsapp_seen(IRIS)[before:])
        console.get_by_test_id("resolve").click()
    console.context.close()


def test_no_tracebacks_in_the_logs(world: World) -> None:
    logs = world.settings.runtime_dir / "logs"
    for name in ("rasa.log", "actions.log", "services.log"):
        text = (logs / name).read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in text, name

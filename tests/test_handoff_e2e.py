"""Human handoff end to end, on every channel: the customer asks for a person, the agent sees
it in the real console (headless Chromium), answers, the answer reaches the customer on their
own channel, the customer's reply shows up live, the agent resolves and the bot asks for CSAT.
Also: a message left while nobody is online becomes a ticket, and a customer can stop waiting.

Everything is real: Rasa with all three channels, the action server, the services process,
the twilio and python-telegram-bot SDKs against local fake APIs, the demo page's widget.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bot.settings import PROJECT_ROOT, Settings
from bot.stack import Stack, running_stack
from bot.store.db import make_engine, make_session_factory
from bot.store.handoff_models import Handoff, SurveyAnswer
from tests.connectors.telegram.factory import Updates
from tests.helpers.browser import chromium, screenshot_on_failure
from tests.helpers.channels import post_telegram, post_whatsapp
from tests.helpers.demo import make_demo_store
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_NUMBER, FakeTwilio
from tests.helpers.services import PASSWORD, add_agents
from tests.helpers.stack import require_model, test_settings

pytestmark = pytest.mark.stack

OFFSET = 800  # Rasa 5905, actions 5955, web 8900
WAIT = 20_000
SECRET = "handoff-e2e-secret"
WHATSAPP_PHONE = "+31612345678"  # Sanne
TELEGRAM_CHAT = 9301


def always_open_retailer(tmp: Path) -> Path:
    data = yaml.safe_load((PROJECT_ROOT / "config" / "retailer.yml").read_text(encoding="utf-8"))
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    data["handoff"]["opening_hours"] = {day: "always" for day in days}
    data["handoff"]["holidays"] = []
    path = tmp / "retailer.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class World:
    stack: Stack
    settings: Settings
    twilio: FakeTwilio
    telegram: FakeTelegram
    updates: Updates
    browser: Browser
    public_url: str

    def handoff(self, conversation_prefix: str, status: str | None = None) -> Handoff:
        engine = make_engine(self.settings.database_url)
        try:
            with make_session_factory(engine)() as session:
                query = select(Handoff).where(
                    Handoff.conversation_id.startswith(conversation_prefix)
                )
                if status:
                    query = query.where(Handoff.status == status)
                found = session.scalars(query.order_by(Handoff.id.desc())).first()
                assert found is not None, f"no handoff for {conversation_prefix} ({status})"
                return found
        finally:
            engine.dispose()

    def surveys(self) -> list[SurveyAnswer]:
        engine = make_engine(self.settings.database_url)
        try:
            with make_session_factory(engine)() as session:
                return list(session.scalars(select(SurveyAnswer)))
        finally:
            engine.dispose()


class Customer:
    """One customer on one channel: what they send, and everything the channel showed them."""

    conversation_prefix = ""

    def send(self, text: str) -> None:
        raise NotImplementedError

    def seen(self) -> list[str]:
        raise NotImplementedError

    def say(self, text: str, expect_text: str) -> str:
        before = len(self.seen())
        self.send(text)
        return self.wait_for(expect_text, before)

    def wait_for(self, text: str, since: int = 0, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            news = "\n".join(self.seen()[since:])
            if text.lower() in news.lower():
                return news
            time.sleep(0.1)
        raise AssertionError(f"the customer never saw {text!r}; they saw {self.seen()[since:]}")


class WhatsAppCustomer(Customer):
    def __init__(self, world: World, phone: str):
        self.world, self.phone = world, phone
        self.conversation_prefix = f"whatsapp:{phone}"

    def send(self, text: str) -> None:
        post_whatsapp(self.world.stack.rasa_url, self.world.public_url, self.phone, text)

    def seen(self) -> list[str]:
        return [
            r.get("Body") or ""
            for r in self.world.twilio.sent()
            if r.get("To") == f"whatsapp:{self.phone}"
        ]


class TelegramCustomer(Customer):
    def __init__(self, world: World, chat: int):
        self.world, self.chat = world, chat
        self.conversation_prefix = f"telegram:{chat}"

    def send(self, text: str) -> None:
        post_telegram(self.world.stack.rasa_url, self.world.updates.text(self.chat, text), SECRET)

    def seen(self) -> list[str]:
        return self.world.telegram.sent_texts(self.chat)


class WebCustomer(Customer):
    """A shopper on the demo page, chatting through the real widget in Chromium."""

    def __init__(self, world: World):
        self.page = world.browser.new_context().new_page()
        self.page.goto(world.stack.web_url)
        self.page.get_by_test_id("kr-launcher").click()
        status = self.page.get_by_test_id("kr-status")
        expect(status).to_have_attribute("data-state", "connected", timeout=WAIT)
        session = self.page.get_by_test_id("kr-panel").get_attribute("data-session-id")
        self.conversation_prefix = f"web:{session}"

    def send(self, text: str) -> None:
        self.page.get_by_test_id("kr-input").fill(text)
        self.page.get_by_test_id("kr-send").click()

    def seen(self) -> list[str]:
        return self.page.locator(
            "[data-testid=kr-message][data-author=bot], [data-testid=kr-message][data-author=agent]"
        ).all_text_contents()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("handoff")
    settings = test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), OFFSET)
    settings = dataclasses.replace(settings, retailer_file=always_open_retailer(tmp))
    require_model(settings)
    add_agents(settings.database_url)
    public_url = f"http://127.0.0.1:{settings.rasa_port}"
    with FakeTwilio() as twilio, FakeTelegram() as telegram, chromium() as browser:
        telegram.add_chat(TELEGRAM_CHAT)
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": SANDBOX_NUMBER,
            "TWILIO_API_BASE": twilio.base_url,
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_API_BASE": telegram.base_url,
            "KLANTREIS_PUBLIC_URL": public_url,
        }
        with running_stack(settings, extra_env=env) as stack:
            yield World(stack, settings, twilio, telegram, Updates(), browser, public_url)


def log_in(world: World, username: str = "noor") -> Page:
    page = world.browser.new_context().new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Afronden?" confirmation
    page.goto(f"{world.stack.web_url}/agent/")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("live")).to_have_attribute("data-state", "live", timeout=WAIT)
    return page


def item(console: Page, handoff_id: int):  # type: ignore[no-untyped-def]
    return console.locator(f'[data-testid=queue-item][data-handoff-id="{handoff_id}"]').first


def run_handoff(world: World, console: Page, customer: Customer, name: str) -> None:
    """The whole round trip for one channel."""
    with screenshot_on_failure(console, f"handoff-console-{name}"):
        customer.say("ik wil een medewerker spreken", "collega")
        handoff = world.handoff(customer.conversation_prefix, "waiting")

        item(console, handoff.id).get_by_test_id("claim").click()
        conversation = console.get_by_test_id("conversation")
        expect(conversation).to_have_attribute("data-handoff-id", str(handoff.id), timeout=WAIT)
        customer_lines = console.locator("[data-testid=transcript-message][data-author=customer]")
        expect(customer_lines.last).to_contain_text("medewerker", timeout=WAIT)

        console.get_by_test_id("reply-input").fill(f"Hoi, met Noor! Ik help je verder via {name}.")
        console.get_by_test_id("reply-send").click()
        customer.wait_for(f"Ik help je verder via {name}.")
        if isinstance(customer, WebCustomer):  # shown as the agent's, with their name
            agent_line = customer.page.locator("[data-testid=kr-message][data-author=agent]")
            expect(agent_line.last).to_contain_text("Noor", timeout=WAIT)

        before = len(customer.seen())
        customer.send("Het gaat om bestelling 10452 <img src=x onerror=window.__xss=1>")
        expect(customer_lines.last).to_contain_text("<img src=x onerror", timeout=WAIT)
        assert console.evaluate("window.__xss") is None
        time.sleep(1.5)
        assert customer.seen()[before:] == [], "the bot answered while an agent had the chat"

        console.get_by_test_id("resolve").click()
        customer.wait_for("Hoe tevreden", before)
        customer.say("4", "toelichten")
        customer.say("nee", "Dank je wel")
    answers = [
        a for a in world.surveys() if a.conversation_id.startswith(customer.conversation_prefix)
    ]
    assert [(a.kind, a.score) for a in answers][:1] == [("csat", 4)]
    assert answers[0].agent_id is not None and answers[0].handoff_id == handoff.id


def test_a_message_left_while_nobody_is_online_becomes_a_ticket(world: World) -> None:
    customer = TelegramCustomer(world, TELEGRAM_CHAT)
    customer.say("kan ik een medewerker spreken?", "bericht")
    customer.say("Mijn tent is kapot aangekomen, bestelling 10452. Bel me terug?", "team")
    ticket = world.handoff(customer.conversation_prefix, "ticket")
    assert "tent is kapot" in (ticket.message or "")

    console = log_in(world)
    with screenshot_on_failure(console, "handoff-ticket"):
        entry = item(console, ticket.id)
        expect(entry).to_have_attribute("data-status", "ticket", timeout=WAIT)
        entry.get_by_test_id("claim").click()
        console.get_by_test_id("reply-input").fill("We sturen je vandaag nog een nieuwe tent.")
        console.get_by_test_id("reply-send").click()
        customer.wait_for("nieuwe tent")
        console.get_by_test_id("resolve").click()
    console.context.close()


def test_a_customer_can_stop_waiting(world: World) -> None:
    console = log_in(world)  # someone is online, so the customer joins the queue
    customer = TelegramCustomer(world, TELEGRAM_CHAT)
    customer.say("ik wil iemand spreken", "collega")
    waiting = world.handoff(customer.conversation_prefix, "waiting")
    customer.say("laat maar, ik wacht niet", "wachtrij")
    assert world.handoff(customer.conversation_prefix).status == "cancelled"
    expect(item(console, waiting.id)).to_have_count(0, timeout=WAIT)
    console.context.close()


@pytest.mark.parametrize("channel", ["web", "whatsapp", "telegram"])
def test_handoff_round_trip(world: World, channel: str) -> None:
    console = log_in(world)
    make: dict[str, Callable[[], Customer]] = {
        "web": lambda: WebCustomer(world),
        "whatsapp": lambda: WhatsAppCustomer(world, WHATSAPP_PHONE),
        "telegram": lambda: TelegramCustomer(world, TELEGRAM_CHAT),
    }
    run_handoff(world, console, make[channel](), channel)
    console.context.close()


def test_nobody_claims_in_time_so_it_becomes_a_message(world: World) -> None:
    import concurrent.futures
    import datetime as dt

    from bot.services.console.expiry import expire_overdue
    from bot.services.console.live import LiveFeed
    from bot.services.console.rasa_api import RasaApi
    from bot.store.units import Store

    customer = WhatsAppCustomer(world, "+31623456781")  # Mark
    # Someone is online (earlier tests logged in), so he joins the queue …
    customer.say("mag ik een medewerker?", "collega")
    waiting = world.handoff(customer.conversation_prefix, "waiting")
    engine = make_engine(world.settings.database_url)
    store = Store(make_session_factory(engine))
    with store.unit() as session:  # … and waits longer than the retailer allows.
        handoff = session.get(Handoff, waiting.id)
        assert handoff is not None
        handoff.requested_at -= dt.timedelta(minutes=30)
    before = len(customer.seen())
    rasa = RasaApi(world.stack.rasa_url, world.stack.rasa_token)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # Playwright owns this thread's loop
        turned = pool.submit(asyncio.run, expire_overdue(store, rasa, LiveFeed(store))).result()
    assert turned == 1
    customer.wait_for("klaargezet", before)
    assert world.handoff(customer.conversation_prefix).status == "ticket"
    engine.dispose()


def test_a_proactive_message_goes_to_the_agent_while_they_have_the_chat(world: World) -> None:
    import concurrent.futures

    from bot.services.console.live import LiveFeed
    from bot.services.console.proactive import send_proactive
    from bot.services.console.rasa_api import RasaApi
    from bot.store.units import Store

    console = log_in(world)
    customer = TelegramCustomer(world, TELEGRAM_CHAT)
    with screenshot_on_failure(console, "handoff-proactive"):
        customer.say("ik wil een medewerker spreken", "collega")
        handoff = world.handoff(customer.conversation_prefix, "waiting")
        item(console, handoff.id).get_by_test_id("claim").click()
        expect(console.get_by_test_id("conversation")).to_have_attribute(
            "data-handoff-id", str(handoff.id), timeout=WAIT
        )
        before = len(customer.seen())
        engine = make_engine(world.settings.database_url)
        store = Store(make_session_factory(engine))
        rasa = RasaApi(world.stack.rasa_url, world.stack.rasa_token)
        notice = send_proactive(
            store, rasa, LiveFeed(store), handoff.conversation_id, "greet", {"order": "10452"}
        )
        with concurrent.futures.ThreadPoolExecutor(1) as pool:  # Playwright owns this loop
            assert pool.submit(asyncio.run, notice).result() == "to_agent"
        engine.dispose()
        # The note was written by this test's process: the console's feed finds it live.
        expect(console.get_by_test_id("note").last).to_contain_text("greet", timeout=WAIT)
        time.sleep(1)
        assert customer.seen()[before:] == [], "the bot spoke while the agent had the chat"
        console.get_by_test_id("resolve").click()
        customer.wait_for("Hoe tevreden", before)
        customer.say("laat maar", "Geen probleem")
    console.context.close()


def test_no_tracebacks_in_the_logs(world: World) -> None:
    logs = world.settings.runtime_dir / "logs"
    for name in ("rasa.log", "actions.log", "services.log"):
        text = (logs / name).read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in text, name

"""The outbox worker against the real bot: Rasa and the action server as processes, the fake
Twilio and Telegram APIs, a web chat tab; each notice ends sent, to_agent, skipped or waiting."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delays import outbox
from bot.delays.dispatch import Dispatcher, RasaWebPresence
from bot.delays.episodes import DELAY_INTENT
from bot.services.console.live import LiveFeed
from bot.services.console.rasa_api import RasaApi
from bot.settings import PROJECT_ROOT, Settings
from bot.stack import Stack, child_env, running_stack
from bot.store import announced_notices, identities
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import OutboxMessage
from bot.store.handoff_models import AgentNote, Handoff
from bot.store.models import Consent, Customer, utcnow
from bot.store.units import Store
from connectors.webchat.sessions import new_session_id
from tests.helpers import delays as shop
from tests.helpers.demo import make_demo_store
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_NUMBER, FakeTwilio
from tests.helpers.services import add_agents
from tests.helpers.stack import require_model, test_settings
from tests.helpers.webchat import Tab

pytestmark = pytest.mark.stack

OFFSET = 2500
TEMPLATE = "HX" + "d" * 32
SANNE = "+31612345678"  # C1001: service consent on WhatsApp
TELEGRAM_CHAT = 7101


@dataclass
class Live:
    stack: Stack
    settings: Settings
    store: Store
    twilio: FakeTwilio
    telegram: FakeTelegram

    def dispatcher(self, **changes: Any) -> Dispatcher:
        values: dict[str, Any] = {
            "store": self.store,
            "rasa": RasaApi(self.stack.rasa_url, self.stack.rasa_token),
            "feed": LiveFeed(self.store),
            "policy": shop.policy(quiet_start=None, quiet_end=None),
            "presence": RasaWebPresence(self.stack.rasa_url, self.stack.rasa_token),
            "worker": "test",
            "channels": ("whatsapp", "telegram", "web"),  # the stack's, not this process's
        }
        values.update(changes)
        return Dispatcher(**values)

    def queue(self, notice_id: str, *, customer_id: int, order_number: str = "10452") -> int:
        entities = {
            "notice_id": notice_id,
            "notice_kind": "first",
            "order_number": order_number,
            "old_date": "2026-12-03",
            "new_date": "2026-12-08",
            "reason": "weather",
            "voucher_code": "",
            "voucher_value_eur": "",
            "voucher_expires": "",
        }
        with self.store.unit() as session:
            message, _ = outbox.enqueue(
                session,
                dedup_key=notice_id,
                intent=DELAY_INTENT,
                entities=entities,
                now=utcnow(),
                customer_id=customer_id,
            )
            return int(message.id)

    def row(self, message_id: int) -> OutboxMessage:
        with self.store.unit() as session:
            row = session.get(OutboxMessage, message_id)
            assert row is not None
            return row

    def customer_id(self, ref: str) -> int:
        with self.store.unit() as session:
            found = identities.customer_by_ref(session, ref)
            assert found is not None
            return int(found.id)

    def run(self, message_id: int, **changes: Any) -> str:
        results = asyncio.run(self.dispatcher(**changes).run_once(only_id=message_id))
        return results[message_id]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("delays_dispatch")
    url = make_demo_store(f"sqlite:///{tmp / 'demo.db'}")
    settings = test_settings(tmp, url, OFFSET)
    require_model(settings)
    with FakeTwilio() as twilio, FakeTelegram() as telegram:
        telegram.add_chat(TELEGRAM_CHAT)
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": SANDBOX_NUMBER,
            "TWILIO_CONTENT_SID": TEMPLATE,
            "TWILIO_API_BASE": twilio.base_url,
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_WEBHOOK_SECRET": "delays-secret",
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_API_BASE": telegram.base_url,
            "KLANTREIS_PUBLIC_URL": f"http://127.0.0.1:{settings.rasa_port}",
        }
        with running_stack(settings, extra_env=env) as stack:
            engine = make_engine(url)
            yield Live(stack, settings, Store(make_session_factory(engine)), twilio, telegram)
            engine.dispose()


def test_a_notice_goes_to_whatsapp_once_even_when_the_worker_retries(live: Live) -> None:
    sanne = live.customer_id("C1001")
    before = len(live.twilio.sent())
    first = live.queue("delay:test:1", customer_id=sanne)

    assert live.run(first) == "sent"

    row = live.row(first)
    assert (row.channel, row.sent_to) == ("whatsapp", f"whatsapp:{SANNE}")
    sent = live.twilio.wait_for(before + 1)[before:]
    # Sanne has not written on WhatsApp lately: outside the 24-hour window the template goes
    assert [m.get("To") for m in sent] == [f"whatsapp:{SANNE}"]
    assert sent[0].get("ContentSid") == TEMPLATE
    # a worker that crashed after sending retries: the same notice_id sends nothing new
    retry = live.queue("delay:test:1#retry", customer_id=sanne)
    with live.store.unit() as session:
        session.get(OutboxMessage, retry).entities = live.row(first).entities
    assert live.run(retry) == "sent"
    assert len(live.twilio.sent()) == before + 1


def _telegram_customer(session: Session, chat: int = TELEGRAM_CHAT) -> tuple[int, str]:
    """A customer on Telegram and the number of their own order (the bot names no one else's)."""
    person = shop.customer(session, phone=None, consents={"telegram": True}, language="en")
    shop.identity(session, person, "telegram", str(chat))
    return int(person.id), shop.order(session, person).order_number


def _web_customer(session: Session, session_id: str) -> tuple[int, str]:
    person = shop.customer(session, phone=None)
    shop.identity(session, person, "web", session_id)
    return int(person.id), shop.order(session, person).order_number


def test_telegram_gets_the_notice_directly_in_the_customers_language(live: Live) -> None:
    with live.store.unit() as session:
        customer_id, number = _telegram_customer(session)
    message_id = live.queue("delay:test:tg", customer_id=customer_id, order_number=number)

    assert live.run(message_id) == "sent"

    [text] = live.telegram.sent_texts(TELEGRAM_CHAT)
    assert number in text and "running late" in text and "8 December" in text


def test_a_notice_the_dialogue_refuses_is_marked_refused_not_sent(live: Live) -> None:
    chat = TELEGRAM_CHAT + 2
    live.telegram.add_chat(chat)
    with live.store.unit() as session:
        customer_id, _ = _telegram_customer(session, chat)
    # a notice about Sanne's order 10452 queued for this other customer: the bot says nothing
    message_id = live.queue("delay:test:not-theirs", customer_id=customer_id)

    assert live.run(message_id) == "refused"

    row = live.row(message_id)
    assert (row.status, row.sent_to) == ("refused", f"telegram:{chat}")
    assert row.reason == "refused by the dialogue: the order is not this conversation's customer's"
    assert live.telegram.sent_texts(chat) == []
    with live.store.unit() as session:
        assert announced_notices.outcome(session, "delay:test:not-theirs") == "refused"


def test_without_consent_nothing_is_sent_and_the_reason_is_kept(live: Live) -> None:
    with live.store.unit() as session:
        customer_id = shop.customer(session, phone="+31699999999", consents={"email": True}).id
        shop.identity(session, session.get(Customer, customer_id), "web", new_session_id())
        session.add(  # she also withdrew consent for the web chat
            Consent(
                customer_id=customer_id,
                purpose="service",
                channel="web",
                granted=False,
                recorded_at=utcnow(),
            )
        )
    before = len(live.twilio.sent())
    message_id = live.queue("delay:test:none", customer_id=customer_id)

    assert live.run(message_id) == "skipped"

    assert live.row(message_id).reason == (
        "no consent for service messages on any channel served (whatsapp, telegram, web)"
    )
    assert len(live.twilio.sent()) == before


def test_web_chat_offline_keeps_the_notice_for_the_next_visit(live: Live) -> None:
    session_id = new_session_id()
    with live.store.unit() as session:
        customer_id, number = _web_customer(session, session_id)
    message_id = live.queue("delay:test:web", customer_id=customer_id, order_number=number)

    assert live.run(message_id) == "sent"
    row = live.row(message_id)
    assert row.sent_to == f"web:{session_id}"
    assert row.reason == "kept for the customer's next web visit"

    async def visit() -> list[dict[str, Any]]:
        tab = Tab(live.stack.rasa_url)
        try:
            await tab.open(session_id)
            return tab.history
        finally:
            await tab.client.disconnect()

    history = asyncio.run(visit())
    assert any(number in (m.get("text") or "") for m in history), history


def test_web_chat_with_an_open_tab_gets_the_notice_live(live: Live) -> None:
    session_id = new_session_id()
    with live.store.unit() as session:
        customer_id, number = _web_customer(session, session_id)
    message_id = live.queue("delay:test:web-live", customer_id=customer_id, order_number=number)

    async def online() -> tuple[str, list[str]]:
        tab = Tab(live.stack.rasa_url)
        try:
            await tab.open(session_id)
            outcome = (await live.dispatcher().run_once(only_id=message_id))[message_id]
            return outcome, await tab.replies(0, 1)
        finally:
            await tab.client.disconnect()

    outcome, texts = asyncio.run(online())
    assert outcome == "sent" and number in texts[0]
    assert live.row(message_id).reason is None


def test_a_paused_conversation_gets_a_note_for_the_agent(live: Live) -> None:
    agents = add_agents(live.settings.database_url)
    chat = TELEGRAM_CHAT + 1
    live.telegram.add_chat(chat)
    with live.store.unit() as session:
        customer_id, number = _telegram_customer(session, chat)
        session.add(
            Handoff(
                conversation_id=f"telegram:{chat}",
                customer_id=customer_id,
                channel="telegram",
                reason="request",
                status="assigned",
                agent_id=agents["noor"],
            )
        )
    message_id = live.queue("delay:test:paused", customer_id=customer_id, order_number=number)

    assert live.run(message_id) == "to_agent"

    with live.store.unit() as session:
        notes = session.scalars(select(AgentNote.text)).all()
    # the note carries the notice as the customer would have read it, to pass on verbatim
    assert any(number in text and "8 December" in text for text in notes), notes
    assert live.telegram.sent_texts(chat) == []


def test_quiet_hours_postpone_the_notice_until_the_morning(live: Live) -> None:
    sanne = live.customer_id("C1001")
    message_id = live.queue("delay:test:night", customer_id=sanne)
    night = dt.datetime(2026, 12, 2, 21, 30, tzinfo=dt.timezone.utc)  # 22:30 in Amsterdam
    with live.store.unit() as session:
        session.get(OutboxMessage, message_id).next_attempt_at = night
    before = len(live.twilio.sent())

    assert live.run(message_id, clock=lambda: night, policy=shop.policy()) == "pending"

    row = live.row(message_id)
    assert row.reason == "quiet hours" and row.attempts == 0
    assert row.next_attempt_at == dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.timezone.utc)
    assert len(live.twilio.sent()) == before


def test_rasa_down_is_retried_with_backoff_then_failed_with_the_reason(live: Live) -> None:
    sanne = live.customer_id("C1001")
    message_id = live.queue("delay:test:down", customer_id=sanne)
    gone = RasaApi("http://127.0.0.1:9", "x")  # nothing listens on the discard port

    started = utcnow()
    assert (
        live.run(message_id, rasa=gone, policy=shop.policy(quiet_start=None, max_attempts=2))
        == "pending"
    )
    row = live.row(message_id)
    assert row.attempts == 1 and "RasaUnavailable" in (row.reason or "")
    assert 4 <= (row.next_attempt_at - started).total_seconds() <= 10
    with live.store.unit() as session:
        session.get(OutboxMessage, message_id).next_attempt_at = utcnow()
    assert (
        live.run(message_id, rasa=gone, policy=shop.policy(quiet_start=None, max_attempts=2))
        == "failed"
    )
    assert (live.row(message_id).reason or "").startswith("gave up after 2 attempts")


def test_klantreis_notify_twice_sends_once(live: Live) -> None:
    quiet_off = live.settings.runtime_dir / "retailer-no-quiet-hours.yml"
    quiet_off.write_text(
        (PROJECT_ROOT / "config" / "retailer.yml").read_text(encoding="utf-8")
        + "\n# test: any time of day\nnotices:\n  quiet_hours: off\n",
        encoding="utf-8",
    )
    env = child_env(live.settings, {})
    env["KLANTREIS_RETAILER_FILE"] = str(quiet_off)
    command = [
        sys.executable,
        "-m",
        "bot.cli",
        "notify",
        f"telegram:{TELEGRAM_CHAT}",
        "greet",
    ]
    before = len(live.telegram.sent_texts(TELEGRAM_CHAT))
    first = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    second = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "Sent to the customer." in first.stdout
    assert second.returncode == 0 and "nothing sent again" in second.stdout
    assert len(live.telegram.sent_texts(TELEGRAM_CHAT)) == before + 1

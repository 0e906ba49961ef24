"""One customer across WhatsApp, the web chat and Telegram, against the real bot with all
three channels on, and two customers who never see each other's data from any channel."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bot.settings import Settings
from bot.stack import Stack, running_stack
from bot.store import identities, timeline
from bot.store.db import make_engine, make_session_factory
from tests.connectors.telegram.factory import Updates
from tests.helpers.channels import post_telegram, post_whatsapp
from tests.helpers.demo import make_demo_store
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_NUMBER, FakeTwilio
from tests.helpers.stack import require_model, test_settings
from tests.helpers.webchat import Tab

pytestmark = pytest.mark.stack

OFFSET = 700  # Rasa 5805, actions 5855, web 8800
SANNE_PHONE, MARK_PHONE = "+31612345678", "+31623456781"
SANNE_CHAT, MARK_CHAT = 9101, 9102
SECRET = "cross-channel-secret"


@dataclass
class World:
    stack: Stack
    settings: Settings
    twilio: FakeTwilio
    telegram: FakeTelegram
    updates: Updates
    public_url: str

    def whatsapp(self, phone: str, text: str) -> str:
        before = len(self.twilio.sent())
        post_whatsapp(self.stack.rasa_url, self.public_url, phone, text)
        return "\n".join(r.get("Body") or "" for r in self.twilio.sent()[before:])

    def telegram_update(self, chat: int, update: dict[str, Any]) -> str:
        before = len(self.telegram.sent_texts(chat))
        post_telegram(self.stack.rasa_url, update, SECRET)
        return "\n".join(self.telegram.sent_texts(chat)[before:])

    def store(self, work):  # type: ignore[no-untyped-def]
        engine = make_engine(self.settings.database_url)
        try:
            with make_session_factory(engine)() as session:
                return work(session)
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("cross")
    settings = test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), OFFSET)
    require_model(settings)
    public_url = f"http://127.0.0.1:{settings.rasa_port}"
    with FakeTwilio() as twilio, FakeTelegram() as telegram:
        for chat in (SANNE_CHAT, MARK_CHAT):
            telegram.add_chat(chat)
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
            yield World(stack, settings, twilio, telegram, Updates(), public_url)


async def test_sanne_on_whatsapp_then_the_web_then_telegram(world: World) -> None:
    # WhatsApp vouches for her number: she is known at once.
    reply = world.whatsapp(SANNE_PHONE, "waar is mijn bestelling 10452?")
    assert "later dan beloofd" in reply and "postcode" not in reply.lower()

    # On the web she starts anonymous, and proves who she is with order number + postcode.
    tab = Tab(world.stack.rasa_url)
    await tab.open()
    assert "Sanne" not in (await tab.say("hoi"))[0]
    assert "postcode" in (await tab.say("hoe staat het met bestelling 10452?"))[0]
    assert "PostNL" in (await tab.say("3572 BK"))[0]
    greeting = (await tab.say("hallo"))[0]
    assert "Sanne" in greeting and "10452" in greeting  # known now, and her open matter
    other_order = (await tab.say("waar is bestelling 10475?"))[0]  # hers too: no postcode needed
    assert "10475" in other_order and "postcode" not in other_order.lower()
    await tab.close()

    # On Telegram she shares her own number.
    linked = world.telegram_update(
        SANNE_CHAT, world.updates.contact(SANNE_CHAT, SANNE_PHONE, SANNE_CHAT)
    )
    assert "Sanne" in linked
    reply = world.telegram_update(
        SANNE_CHAT, world.updates.text(SANNE_CHAT, "waar blijft bestelling 10452?")
    )
    assert "later dan beloofd" in reply and "postcode" not in reply.lower()

    def sanne_timeline(session: Session) -> set[str]:
        sanne = identities.customer_by_ref(session, "C1001")
        assert sanne is not None
        return {m.channel for m in timeline.for_customer(session, sanne.id, 500)}

    assert world.store(sanne_timeline) == {"whatsapp", "web", "telegram"}


async def test_mark_never_sees_sannes_data(world: World) -> None:
    # Mark is known on WhatsApp by his own number; Sanne's order needs her postcode.
    reply = world.whatsapp(MARK_PHONE, "waar is bestelling 10452?")
    assert "postcode" in reply.lower() and "PostNL" not in reply
    reply = world.whatsapp(MARK_PHONE, "1234 AB")
    assert "Trailblazer" not in reply and "PostNL" not in reply

    # On Telegram, sharing Sanne's contact card does not make him Sanne.
    refused = world.telegram_update(
        MARK_CHAT, world.updates.contact(MARK_CHAT, SANNE_PHONE, SANNE_CHAT)
    )
    assert "eigen nummer" in refused
    reply = world.telegram_update(MARK_CHAT, world.updates.text(MARK_CHAT, "hoi"))
    assert "Sanne" not in reply
    reply = world.telegram_update(
        MARK_CHAT, world.updates.text(MARK_CHAT, "waar is mijn bestelling 10452?")
    )
    assert "postcode" in reply.lower() and "PostNL" not in reply

    # On the web, a REST caller naming itself after Sanne's WhatsApp is nobody.
    request = urllib.request.Request(
        f"{world.stack.rasa_url}/webhooks/rest/webhook",
        data=json.dumps(
            {"sender": f"whatsapp:{SANNE_PHONE}", "message": "waar is bestelling 10452?"}
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        texts = " ".join(m.get("text") or "" for m in json.loads(response.read()))
    assert "postcode" in texts.lower() and "PostNL" not in texts

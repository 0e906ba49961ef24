"""End to end: the real Rasa server and action server, Telegram in webhook mode, the real PTB
Bot answering through the local fake Bot API, on the demo shop's database."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.stack import Stack, running_stack
from bot.store.db import make_engine, make_session_factory
from bot.store.models import ChannelIdentity, Customer
from connectors.telegram import sign_start_token
from tests.connectors.telegram.factory import Updates
from tests.helpers.demo import make_demo_store
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.stack import require_model
from tests.helpers.stack import test_settings as stack_settings

pytestmark = pytest.mark.stack

OFFSET = 200  # Rasa on 5305, actions on 5355
KEY = "telegram-stack-signing-key"
SECRET = "stack-webhook-secret"
STRANGER, SANNE, PRESSER, TRIGGERED, SHOPPER = 7001, 7002, 7003, 7004, 7005


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        for chat in (STRANGER, SANNE, PRESSER, TRIGGERED, SHOPPER):
            server.add_chat(chat)
        yield server


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, fake: FakeTelegram) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("telegram-stack")
    database_url = make_demo_store(f"sqlite:///{tmp / 'demo.db'}")
    settings = stack_settings(tmp, database_url, offset=OFFSET)
    require_model(settings)
    extra_env = {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_API_BASE": fake.base_url,
        "TELEGRAM_BOT_USERNAME": "TrekPeddelBot",
        "KLANTREIS_PUBLIC_URL": f"http://127.0.0.1:{settings.rasa_port}",
        "KLANTREIS_TOKEN_KEY": KEY,
        "KLANTREIS_SHOP_URL": f"http://127.0.0.1:{settings.web_port}",  # the demo shop
    }
    with running_stack(settings, extra_env=extra_env) as stack:
        yield stack, database_url, settings.runtime_dir / "logs"


def post(url: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def telegram(stack: Stack, update: dict[str, Any], secret: str = SECRET) -> tuple[int, Any]:
    """Post an update the way Telegram does; Rasa has answered when this returns."""
    return post(
        f"{stack.rasa_url}/webhooks/telegram/webhook",
        update,
        {"X-Telegram-Bot-Api-Secret-Token": secret},
    )


def test_a_text_update_gets_the_bots_reply(live: Any, fake: FakeTelegram) -> None:
    stack, _, _ = live
    updates = Updates(first_update_id=100)

    assert telegram(stack, updates.text(STRANGER, "hallo"), secret="wrong")[0] == 403
    status, body = telegram(stack, updates.text(STRANGER, "waar blijft mijn bestelling?"))

    assert (status, body) == (200, {"status": "processed"})
    [reply] = fake.sent_texts(STRANGER)
    assert "bestelnummer" in reply

    status, _ = telegram(stack, updates.text(STRANGER, "10452"))
    assert status == 200 and "postcode" in fake.sent_texts(STRANGER)[-1]


def test_a_deep_link_links_sanne_and_the_bot_greets_her(live: Any, fake: FakeTelegram) -> None:
    stack, database_url, _ = live
    token = sign_start_token("C1001", KEY.encode())

    status, body = telegram(stack, Updates(first_update_id=200).start(SANNE, token))

    assert (status, body) == (200, {"status": "processed"})
    linked, greeting, *_ = fake.sent_texts(SANNE)
    assert linked.startswith("Gelukt, Sanne!")
    # Rasa's greeting, after the notice: action_message_slots fills customer_name from the
    # linked identity, so the bot greets her by name and knows her parcel is late.
    assert greeting.startswith("Hoi Sanne!") and "10452" in greeting
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        identity = session.scalars(
            select(ChannelIdentity).where(ChannelIdentity.external_id == str(SANNE))
        ).one()
        customer = session.get(Customer, identity.customer_id)
        assert customer is not None and customer.customer_ref == "C1001"
        assert identity.verification_method == "telegram_deeplink"
    engine.dispose()


def test_a_button_of_the_greeting_can_be_pressed(live: Any, fake: FakeTelegram) -> None:
    stack, _, _ = live
    updates = Updates(first_update_id=300)
    telegram(stack, updates.text(PRESSER, "hoi"))
    [greeting] = [m for m in fake.sent_messages(PRESSER) if "reply_markup" in m]
    first = greeting["reply_markup"]["inline_keyboard"][0][0]
    assert first["text"] == "Waar is mijn bestelling?"

    press = updates.press(PRESSER, first["callback_data"], greeting["message_id"])
    status, body = telegram(stack, press)

    assert (status, body) == (200, {"status": "processed"})
    [edited] = fake.calls_to("editMessageReplyMarkup")
    assert edited["message_id"] == str(greeting["message_id"])
    assert "bestelnummer" in fake.sent_texts(PRESSER)[-1]


def test_trigger_intent_reaches_the_chat(live: Any, fake: FakeTelegram) -> None:
    stack, _, _ = live
    telegram(stack, Updates(first_update_id=400).text(TRIGGERED, "hallo"))
    before = len(fake.sent_texts(TRIGGERED))

    status, _ = post(
        stack.api_url(
            f"/conversations/telegram:{TRIGGERED}/trigger_intent?output_channel=telegram"
        ),
        {"name": "greet"},
    )

    assert status == 200
    texts = fake.sent_texts(TRIGGERED)
    assert len(texts) > before and texts[-1].startswith("Hoi")

    # A chat the bot never met: Telegram says "chat not found", nothing breaks.
    status, _ = post(
        stack.api_url("/conversations/telegram:999999/trigger_intent?output_channel=telegram"),
        {"name": "greet"},
    )
    assert status == 200
    assert [c for c in fake.calls_to("sendMessage") if c["chat_id"] == "999999"]
    with urllib.request.urlopen(f"{stack.rasa_url}/webhooks/telegram/", timeout=10) as health:
        assert json.loads(health.read()) == {"status": "ok", "mode": "webhook", "polling": False}


def test_the_logs_hold_no_token(live: Any, fake: FakeTelegram) -> None:
    _, _, logs = live
    for log in Path(logs).glob("*.log"):
        text = log.read_text(errors="replace")
        assert fake.token not in text, log.name
        assert SECRET not in text, log.name


def test_a_product_list_arrives_as_photos_with_keyboards(live: Any, fake: FakeTelegram) -> None:
    stack, _, _ = live
    updates = Updates(first_update_id=600)

    status, _ = telegram(stack, updates.text(SHOPPER, "wat kost de storm jas?"))

    assert status == 200
    assert fake.sent_texts(SHOPPER) == [
        "Welke bedoel je? Regenwoud Storm jas heren of Regenwoud Storm jas dames?"
    ]
    photos = [c for c in fake.calls_to("sendPhoto") if c["chat_id"] == str(SHOPPER)]
    assert [p["photo"] for p in photos] == [
        f"{stack.web_url}/demo/images/TP-RJK-001.png",
        f"{stack.web_url}/demo/images/TP-RJK-002.png",
    ]
    picture = httpx.get(photos[0]["photo"])  # what Telegram would fetch: the demo shop serves it
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    assert photos[1]["caption"].startswith("Regenwoud Storm jas dames · €")
    rows = photos[1]["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in rows] == ["Meer info", "Vergelijk", "In mijn maat?"]

    more_info = rows[0][0]["callback_data"]
    status, _ = telegram(stack, updates.press(SHOPPER, more_info, message_id=1))

    assert status == 200
    assert fake.sent_texts(SHOPPER)[-1].startswith("Regenwoud Storm jas dames kost €")

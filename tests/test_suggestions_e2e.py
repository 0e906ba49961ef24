"""Sales suggestions end to end: the real Rasa server and action server, the demo shop, the
fake Twilio API (official SDK). Same parcel on web (REST) and WhatsApp, offered with the order's
good news (tests/test_sales_moments_e2e.py has the other moments); a back-in-stock notice
from the sold-out answer through the outbox worker to the customer's phone; the shop settling
an addition (signed webhook, or the demo page's control) and the bot confirming it on WhatsApp
and in the web chat."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot import tokens
from bot.delays.dispatch import Dispatcher, RasaWebPresence
from bot.delays.signature import sign as sign_webhook
from bot.services.console.live import LiveFeed
from bot.services.console.rasa_api import RasaApi
from bot.settings import Settings, token_key
from bot.stack import Stack, running_stack
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import OutboxMessage
from bot.store.models import Order, Product, ProductVariant, utcnow
from bot.store.suggestion_models import OrderAddition, StockSubscription, SuggestionEvent
from bot.store.units import Store
from bot.suggestions.stock import release
from tests.helpers import delays as shop
from tests.helpers import stack as stack_helpers
from tests.helpers.demo import make_demo_store
from tests.helpers.fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    SANDBOX_NUMBER,
    FakeTwilio,
    form_body,
    incoming_message,
    sign,
)
from tests.helpers.webchat import Tab

pytestmark = pytest.mark.stack

OFFSET = 2700
PUBLIC_URL = f"http://127.0.0.1:{5105 + OFFSET + stack_helpers.PORT_SHIFT}"
ANA = "+31668024913"  # C1022, English, order 10477 paid and not shipped
PRIYA = "+31611223344"  # C1009, English, marketing consent on WhatsApp
NAMES = {ANA: "Ana", PRIYA: "Priya"}
SHOP_SECRET = "shop-secret-for-the-e2e-test"


@dataclass
class Live:
    stack: Stack
    twilio: FakeTwilio
    database_url: str
    settings: Settings

    def rest(self, sender: str, text: str) -> str:
        return "\n".join(m.get("text", "") for m in stack_helpers.send(self.stack, sender, text))

    def whatsapp(self, phone: str, text: str) -> str:
        before = len(self.twilio.sent())
        form = incoming_message(phone, text, profile_name=NAMES[phone])
        url = f"{PUBLIC_URL}/webhooks/whatsapp/webhook"
        request = urllib.request.Request(
            f"{self.stack.rasa_url}/webhooks/whatsapp/webhook",
            data=form_body(form).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": sign(AUTH_TOKEN, url, form),
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
        return "\n".join(r.get("Body") or "" for r in self.twilio.sent()[before:])

    def store(self) -> Store:
        return Store(make_session_factory(make_engine(self.database_url)))

    def dispatcher(self) -> Dispatcher:
        store = self.store()
        return Dispatcher(
            store=store,
            rasa=RasaApi(self.stack.rasa_url, self.stack.rasa_token),
            feed=LiveFeed(store),
            policy=shop.policy(quiet_start=None, quiet_end=None),
            presence=RasaWebPresence(self.stack.rasa_url, self.stack.rasa_token),
            worker="test",
            channels=("whatsapp", "web"),
        )

    def settle(self, addition_id: int, status: str) -> httpx.Response:
        """The shop's back office, as it calls the signed webhook."""
        raw = json.dumps({"status": status}).encode()
        stamp = str(int(time.time()))
        return httpx.post(
            f"{self.stack.web_url}/shop/order-additions/{addition_id}",
            content=raw,
            headers={
                "Content-Type": "application/json",
                "X-Klantreis-Timestamp": stamp,
                "X-Klantreis-Signature": sign_webhook(SHOP_SECRET, stamp, raw),
            },
            timeout=30,
        )


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp: Path = tmp_path_factory.mktemp("suggestions_live")
    settings = stack_helpers.test_settings(
        tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), OFFSET
    )
    stack_helpers.require_model(settings)
    with FakeTwilio() as twilio:
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": SANDBOX_NUMBER,
            "TWILIO_API_BASE": twilio.base_url,
            "KLANTREIS_PUBLIC_URL": PUBLIC_URL,
            "KLANTREIS_SHOP_SECRET": SHOP_SECRET,
        }
        with running_stack(settings, extra_env=env) as stack:
            yield Live(stack, twilio, settings.database_url, settings)


def test_same_parcel_on_the_web_in_dutch(live: Live) -> None:
    sender = "web-sales-willem"
    # the good news about the order ends the act: the suggestion comes with it (#14)
    offer = live.rest(sender, "Hoe staat het met bestelling 10476? Mijn postcode is 7511 DZ")
    print(f"\nThe suggestion on the web: {offer!r}")
    assert offer.startswith("Je bestelling 10476")
    assert "Zal ik het bij dezelfde zending doen? Dan komt het mee met bestelling 10476." in offer
    added = live.rest(sender, "ja graag")
    assert "staat klaar voor bestelling 10476" in added
    assert "https://www.trekenpeddel.nl/bestelling/bijbetalen/" in added
    with live.store().unit() as session:
        addition = session.scalars(select(OrderAddition)).one()
        assert addition.payment_url in added and addition.conversation_id.endswith(sender)
    assert "begreep ik niet" not in added  # the rule ends there: the bot waits


def test_same_parcel_on_whatsapp_in_english(live: Live) -> None:
    offer = live.whatsapp(ANA, "Where is my order 10477?")
    print(f"\nThe suggestion on WhatsApp: {offer!r}")
    assert offer.startswith("Your order 10477")
    assert "Shall I add it to the same parcel? Then it comes with order 10477." in offer
    added = live.whatsapp(ANA, "yes please")
    assert "is ready to join order 10477" in added and "bijbetalen/" in added
    assert "didn't quite get" not in added
    with live.store().unit() as session:
        rows = session.scalars(
            select(OrderAddition).where(OrderAddition.channel == "whatsapp")
        ).all()
        assert [r.status for r in rows] == ["awaiting_payment"]
        kinds = session.scalars(
            select(SuggestionEvent.kind).where(SuggestionEvent.channel == "whatsapp")
        ).all()
        assert kinds == ["shown", "accepted"]


def test_a_back_in_stock_notice_reaches_whatsapp_through_the_outbox(live: Live) -> None:
    answer = live.whatsapp(PRIYA, "Do you have the Trailblazer GTX in size 39?")
    print(f"\nSold out on WhatsApp: {answer!r}")
    assert "sold out" in answer and "In stock and similar:" in answer
    assert "Shall I message you as soon as" in answer
    done = live.whatsapp(PRIYA, "yes please")
    assert "Will do!" in done
    store = live.store()
    with store.unit() as session:
        subscription = session.scalars(select(StockSubscription)).one()
        assert subscription.conversation_id == f"whatsapp:{PRIYA}"
        product = session.scalars(select(Product).where(Product.sku == "TP-TRL-001")).one()
        variant = session.scalars(
            select(ProductVariant).where(
                ProductVariant.product_id == product.id, ProductVariant.variant == "39"
            )
        ).one()
        variant.stock = 4  # the stock update a retailer's import brings
    with store.unit() as session:
        assert release(session, now=utcnow()) == 1
    before = len(live.twilio.sent())
    outcome = asyncio.run(live.dispatcher().run_once())
    assert list(outcome.values()) == ["sent"], outcome
    bodies = [r.get("Body") or "" for r in live.twilio.sent()[before:]]
    print(f"\nThe notice: {bodies!r}")
    assert any("Good news:" in b and "size 39 is back in stock" in b for b in bodies)
    assert all(r.get("To") == f"whatsapp:{PRIYA}" for r in live.twilio.sent()[before:])
    with store.unit() as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert (message.status, message.purpose) == ("sent", "marketing")
        assert session.scalars(select(StockSubscription.status)).one() == "announced"
    json.dumps(outcome)  # plain data, as the worker logs it


def test_the_shop_settles_the_whatsapp_addition_and_ana_hears_it(live: Live) -> None:
    store = live.store()
    with store.unit() as session:
        addition = session.scalars(
            select(OrderAddition).where(OrderAddition.channel == "whatsapp")
        ).one()
        addition_id, lines = addition.id, len(session.get(Order, addition.order_id).lines)
    paid = live.settle(addition_id, "paid")
    retried = live.settle(addition_id, "paid")
    assert paid.status_code == 200, paid.text
    assert paid.json()["changed"] is True and retried.json()["changed"] is False
    before = len(live.twilio.sent())
    outcome = asyncio.run(live.dispatcher().run_once())
    assert list(outcome.values()) == ["sent"], outcome
    bodies = [r.get("Body") or "" for r in live.twilio.sent()[before:]]
    print(f"\nThe confirmation on WhatsApp: {bodies!r}")
    assert bodies == [
        "Your payment is in. Golfslag neoprene shoes (€39.95) goes in the same parcel as "
        "order 10477."
    ]
    assert all(r.get("To") == f"whatsapp:{ANA}" for r in live.twilio.sent()[before:])
    with store.unit() as session:
        row = session.get(OrderAddition, addition_id)
        order = session.get(Order, row.order_id)
        assert row.status == "paid" and len(order.lines) == lines + 1
        assert order.lines[-1].product_id == row.product_id
    assert asyncio.run(live.dispatcher().run_once()) == {}  # the retry queued nothing


async def _turn(tab: Tab, token: str, text: str, until: str) -> str:
    start = len(tab.bot)
    await tab.say(text, token=token)
    deadline = time.monotonic() + 60
    while until not in " ".join(m.get("text", "") for m in tab.bot[start:]):
        assert time.monotonic() < deadline, [m.get("text") for m in tab.bot[start:]]
        await asyncio.sleep(0.2)
    await asyncio.sleep(0.5)
    return "\n".join(m.get("text", "") for m in tab.bot[start:])


async def _press_addition_paid(live: Live, tab: Tab, token: str | None) -> tuple[int, dict, str]:
    """The demo page's button; returns its answer and what the chat received after it."""
    start = len(tab.bot)
    async with httpx.AsyncClient(timeout=60) as client:
        answer = await client.post(
            f"{live.stack.web_url}/demo/api/addition", json={"token": token} if token else {}
        )
    if answer.status_code == 200:
        deadline = time.monotonic() + 30
        while len(tab.bot) == start:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.2)
    return answer.status_code, answer.json(), "\n".join(m.get("text", "") for m in tab.bot[start:])


def test_the_demo_page_settles_an_addition_and_the_web_chat_confirms_it(live: Live) -> None:
    token = tokens.sign("C1023", token_key(live.settings), ttl_seconds=600)  # Willem

    async def run() -> tuple[str, list[tuple[int, dict, str]]]:
        tab = Tab(live.stack.rasa_url)
        await tab.open(token=token)
        try:
            await _turn(  # the good news brings the one offer (actions/sales_moment.py)
                tab,
                token,
                "Hoe staat het met bestelling 10476? Mijn postcode is 7511 DZ",
                "Zal ik het bij dezelfde zending doen?",
            )
            added = await _turn(tab, token, "ja graag", "bijbetalen/")
            presses = [await _press_addition_paid(live, tab, t) for t in (token, token, token)]
            presses.append(await _press_addition_paid(live, tab, None))
            return added, presses
        finally:
            await tab.close()

    added, presses = asyncio.run(run())
    print(f"\nIn the web chat: {added!r}\nThen: {presses!r}")
    assert "staat klaar voor bestelling 10476" in added
    (code, answer, confirmation), rest, *refused = presses
    assert (code, answer) == (200, {"status": "paid", "outcome": "sent"})
    assert confirmation.startswith("Je betaling is binnen.")
    assert "dezelfde zending als bestelling 10476" in confirmation
    # Willem's earlier "ja" over REST: REST has no way back, so his own web chat hears it.
    assert rest[:2] == (200, {"status": "paid", "outcome": "sent"})
    assert rest[2].startswith("Je betaling is binnen.")
    assert [r[:2] for r in refused] == [
        (409, {"error": "no_addition"}),
        (403, {"error": "not_logged_in"}),
    ]
    with live.store().unit() as session:
        rows = session.scalars(
            select(OrderAddition.status).where(
                OrderAddition.order_id
                == select(Order.id).where(Order.order_number == "10476").scalar_subquery()
            )
        ).all()
        assert rows == ["paid", "paid"]


def test_the_report_counts_what_happened(
    live: Live, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", live.database_url)
    assert main(["report", "suggestions"]) == 0
    printed = capsys.readouterr().out
    with capsys.disabled():
        print("\n" + printed)
    complements = [line for line in printed.splitlines() if line.startswith("complement")]
    assert complements and all(" 1 " in line or " 2 " in line for line in complements)
    # the settled additions are revenue: Ana's neoprene shoes on WhatsApp, Willem's on the web
    whatsapp = next(line for line in complements if "whatsapp" in line)
    assert "€39.95" in whatsapp
    assert any(line.startswith("total") and "€89.85" in line for line in printed.splitlines())
    assert "Control group" in printed
    assert any(line.startswith("alternative  whatsapp") for line in printed.splitlines())

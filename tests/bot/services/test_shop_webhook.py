"""The shop's webhook in the real services process: a signed answer settles an addition once;
forged, replayed, unsigned and unfitting ones are refused and change nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import func, select

from bot.delays.signature import sign
from bot.settings import Settings
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import OutboxMessage
from bot.store.models import Order, OrderLine, Product, utcnow
from bot.store.suggestion_models import OrderAddition, Suggestion
from bot.suggestions.config import SuggestionConfig
from bot.suggestions.orders import add_to_order
from tests.helpers.demo import make_demo_store
from tests.helpers.services import services_process
from tests.helpers.stack import test_settings

SECRET = "shop-secret-for-tests"
OFFSET = 3500
PAYMENT = SuggestionConfig(
    add_to_order_flow="payment_link", payment_url="https://shop.example/pay/{token}"
)


@dataclass
class Shop:
    url: str
    settings: Settings
    addition_id: int

    def post(
        self,
        body: object,
        *,
        addition_id: int | None = None,
        secret: str = SECRET,
        timestamp: int | None = None,
    ) -> httpx.Response:
        raw = json.dumps(body).encode()
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        return httpx.post(
            f"{self.url}/shop/order-additions/{addition_id or self.addition_id}",
            content=raw,
            headers={
                "Content-Type": "application/json",
                "X-Klantreis-Timestamp": stamp,
                "X-Klantreis-Signature": sign(secret, stamp, raw),
            },
            timeout=20,
        )

    def counts(self) -> tuple[str, int, int]:
        """The addition's status, the order's lines and the queued messages."""
        engine = make_engine(self.settings.database_url)
        try:
            with make_session_factory(engine)() as session:
                addition = session.get(OrderAddition, self.addition_id)
                assert addition is not None
                lines = session.scalar(
                    select(func.count(OrderLine.id)).where(OrderLine.order_id == addition.order_id)
                )
                queued = session.scalar(select(func.count(OutboxMessage.id)))
                return addition.status, lines or 0, queued or 0
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    tmp = tmp_path_factory.mktemp("shop_webhook")
    url = make_demo_store(f"sqlite:///{tmp / 'shop.db'}")
    engine = make_engine(url)
    with make_session_factory(engine)() as session, session.begin():
        order = session.scalars(select(Order).where(Order.order_number == "10477")).one()
        product = session.scalars(select(Product).where(Product.sku == "TP-WET-004")).one()
        suggestion = Suggestion(
            conversation_id="whatsapp:+31668024913",
            customer_id=order.customer_id,
            channel="whatsapp",
            language="en",
            rule="complement",
            product_id=product.id,
            order_id=order.id,
            score="1",
            context={},
            status="accepted",
            shown_at=utcnow(),
        )
        session.add(suggestion)
        session.flush()
        found = add_to_order(session, suggestion=suggestion, config=PAYMENT, now=utcnow())
        added = int(found.addition.id)
    engine.dispose()
    settings = test_settings(tmp, url, OFFSET)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KLANTREIS_SHOP_SECRET", SECRET)
        with services_process(settings) as base:
            yield Shop(base, settings, added)


def test_forged_replayed_and_unfitting_answers_change_nothing(shop: Shop) -> None:
    before = shop.counts()
    paid = {"status": "paid"}
    forged = shop.post(paid, secret="not-the-secret")
    replayed = shop.post(paid, timestamp=int(time.time()) - 3600)
    unsigned = httpx.post(
        f"{shop.url}/shop/order-additions/{shop.addition_id}", json=paid, timeout=20
    )
    unknown_status = shop.post({"status": "shipped"})
    wrong_flow = shop.post({"status": "confirmed"})
    nobody = shop.post(paid, addition_id=999_999)

    assert (forged.status_code, forged.json()["error"]) == (401, "signature does not match")
    assert replayed.status_code == 401 and "replay refused" in replayed.json()["error"]
    assert unsigned.status_code == 401
    assert unknown_status.status_code == 422 and "status" in unknown_status.json()["error"]
    assert wrong_flow.status_code == 409 and "awaiting_payment" in wrong_flow.json()["error"]
    assert nobody.status_code == 404
    assert shop.counts() == before and before[0] == "awaiting_payment"


def test_a_signed_payment_settles_once_and_a_retry_changes_nothing(shop: Shop) -> None:
    _, lines, _ = shop.counts()
    first = shop.post({"status": "paid"})
    retry = shop.post({"status": "paid"})
    late_refusal = shop.post({"status": "refused"})

    assert first.status_code == 200, first.text
    assert first.json() == {
        "addition_id": shop.addition_id,
        "status": "paid",
        "changed": True,
        "order_line": lines + 1,
    }
    assert retry.status_code == 200 and retry.json()["changed"] is False
    assert late_refusal.status_code == 409
    assert shop.counts() == ("paid", lines + 1, 1)

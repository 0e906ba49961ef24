"""A proactive offer on WhatsApp outside the 24-hour window, end to end: the real Rasa and
action server, the outbox worker, the fake Twilio API through the official SDK. With a
marketing template in the customer's language the template goes out, filled with the offer,
and the offer follows their answer; without one in their language the outbox skips it with
the reason."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.delays.dispatch import Dispatcher, RasaWebPresence
from bot.services.console.live import LiveFeed
from bot.services.console.rasa_api import RasaApi
from bot.settings import PROJECT_ROOT
from bot.stack import Stack, running_stack
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import OutboxMessage
from bot.store.models import Consent, Customer, Product, ProductVariant, utcnow
from bot.store.units import Store
from bot.suggestions import config as suggestion_config_module
from bot.suggestions.stock import release, subscribe
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

pytestmark = pytest.mark.stack

OFFSET = 3600
PUBLIC_URL = f"http://127.0.0.1:{5105 + OFFSET + stack_helpers.PORT_SHIFT}"
PRIYA = "+31611223344"  # C1009, English, marketing consent on WhatsApp, never wrote there
LUCAS = "+31666778899"  # C1014, Dutch: given a marketing consent on WhatsApp below
MARKETING_EN = "HX" + "e" * 32


@dataclass
class Live:
    stack: Stack
    twilio: FakeTwilio
    store: Store


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp: Path = tmp_path_factory.mktemp("marketing_live")
    retailer = yaml.safe_load((PROJECT_ROOT / "config" / "retailer.yml").read_text("utf-8"))
    retailer["suggestions"]["whatsapp_marketing_templates"] = {
        "en": {
            "content_sid": MARKETING_EN,
            "variables": {1: "first_name", 2: "product", 3: "price"},
        }
    }
    retailer_file = tmp / "retailer.yml"
    retailer_file.write_text(yaml.safe_dump(retailer, allow_unicode=True), "utf-8")
    settings = dataclasses.replace(
        stack_helpers.test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), OFFSET),
        retailer_file=retailer_file,
    )
    stack_helpers.require_model(settings)
    with pytest.MonkeyPatch.context() as patch, FakeTwilio() as twilio:
        # The worker runs in this process: it reads the same retailer file.
        patch.setenv("KLANTREIS_RETAILER_FILE", str(retailer_file))
        suggestion_config_module.suggestion_config.cache_clear()
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": SANDBOX_NUMBER,
            "TWILIO_API_BASE": twilio.base_url,
            "TWILIO_CONTENT_SID": "HX" + "a" * 32,  # the service template: never for an offer
            "KLANTREIS_PUBLIC_URL": PUBLIC_URL,
        }
        with running_stack(settings, extra_env=env) as stack:
            yield Live(
                stack, twilio, Store(make_session_factory(make_engine(settings.database_url)))
            )
    suggestion_config_module.suggestion_config.cache_clear()


def whatsapp(live: Live, phone: str, text: str) -> None:
    form = incoming_message(phone, text, profile_name="Priya")
    request = urllib.request.Request(
        f"{live.stack.rasa_url}/webhooks/whatsapp/webhook",
        data=form_body(form).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": sign(AUTH_TOKEN, f"{PUBLIC_URL}/webhooks/whatsapp/webhook", form),
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200


def dispatch(live: Live) -> dict[int, str]:
    dispatcher = Dispatcher(
        store=live.store,
        rasa=RasaApi(live.stack.rasa_url, live.stack.rasa_token),
        feed=LiveFeed(live.store),
        policy=shop.policy(quiet_start=None, quiet_end=None),
        presence=RasaWebPresence(live.stack.rasa_url, live.stack.rasa_token),
        worker="test",
        channels=("whatsapp",),
    )
    return asyncio.run(dispatcher.run_once())


def subscribed_and_back(live: Live, phone: str, language: str) -> None:
    """The customer asked on WhatsApp to hear when size 39 is back (days ago), and it is."""
    with live.store.unit() as session:
        customer = session.scalars(select(Customer).where(Customer.phone == phone)).one()
        product = session.scalars(select(Product).where(Product.sku == "TP-TRL-001")).one()
        subscribe(
            session,
            customer_id=customer.id,
            conversation_id=f"whatsapp:{phone}",
            channel="whatsapp",
            language=language,
            product=product,
            variant="39",
            now=utcnow(),
        )
        if language == "nl":
            session.add(
                Consent(
                    customer_id=customer.id,
                    purpose="marketing",
                    channel="whatsapp",
                    granted=True,
                    recorded_at=utcnow(),
                )
            )
        size = session.scalars(
            select(ProductVariant).where(
                ProductVariant.product_id == product.id, ProductVariant.variant == "39"
            )
        ).one()
        size.stock = 3
    with live.store.unit() as session:
        release(session, now=utcnow())


def test_outside_the_window_the_marketing_template_carries_the_offer(live: Live) -> None:
    subscribed_and_back(live, PRIYA, "en")
    assert list(dispatch(live).values()) == ["sent"]
    sent = live.twilio.sent()
    print(f"\nTo Twilio: {[r.form for r in sent]!r}")
    (template,) = sent  # only the template: the offer waits for her answer
    assert template.get("To") == f"whatsapp:{PRIYA}"
    assert template.get("ContentSid") == MARKETING_EN and template.get("Body") is None
    assert json.loads(template.get("ContentVariables") or "") == {
        "1": "Priya",
        "2": "Veloce Trailblazer GTX",
        "3": "€164.95",
    }
    whatsapp(live, PRIYA, "oh nice, tell me")
    bodies = [r.get("Body") or "" for r in live.twilio.sent()[1:]]
    print(f"\nAfter her answer: {bodies!r}")
    assert bodies[0].startswith("Good news: Veloce Trailblazer GTX in size 39 is back in stock!")


def test_without_a_template_in_their_language_the_offer_is_skipped(live: Live) -> None:
    subscribed_and_back(live, LUCAS, "nl")
    before = len(live.twilio.sent())
    assert list(dispatch(live).values()) == ["skipped"]
    assert len(live.twilio.sent()) == before
    with live.store.unit() as session:
        message = session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == "skipped")
        ).one()
        assert message.reason == (
            "WhatsApp outside the 24-hour window needs an approved marketing template (nl); "
            "none configured, not sent"
        )

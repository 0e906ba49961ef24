"""WhatsApp end to end: the real Rasa server and action server, the fake Twilio API.

Twilio's side is played by this test: it posts signed webhooks to Rasa's /webhooks/whatsapp/
and reads what the bot sent from the fake Messages API.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.stack import Stack, running_stack
from bot.store.db import make_engine
from bot.store.models import ContactMessage
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
    status_callback,
)

pytestmark = pytest.mark.stack

OFFSET = 100  # Rasa on 5205, actions on 5255
PUBLIC_URL = f"http://127.0.0.1:{5105 + OFFSET + stack_helpers.PORT_SHIFT}"
TEMPLATE = "HX" + "c" * 32
SANNE = "+31612345678"
MARK = "+31623456781"  # C1002, has never written on WhatsApp
DAAN = "+31645678123"  # C1004


@dataclass
class Live:
    stack: Stack
    twilio: FakeTwilio
    logs: Path
    database_url: str

    def whatsapp(self, phone: str, text: str) -> list[str]:
        """Send `text` as Twilio would; return the bodies the bot sent in answer."""
        before = len(self.twilio.sent())
        form = incoming_message(phone, text)
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
            assert response.read() == b"<Response/>"
        return [r.get("Body") or "" for r in self.twilio.sent()[before:]]

    def trigger(self, phone: str, intent: str) -> None:
        request = urllib.request.Request(
            self.stack.api_url(
                f"/conversations/whatsapp:{phone}/trigger_intent?output_channel=whatsapp"
            ),
            data=json.dumps({"name": intent}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("whatsapp_live")
    settings = stack_helpers.test_settings(
        tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), OFFSET
    )
    stack_helpers.require_model(settings)
    with FakeTwilio() as twilio:
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": SANDBOX_NUMBER,
            "TWILIO_CONTENT_SID": TEMPLATE,
            "TWILIO_API_BASE": twilio.base_url,
            "KLANTREIS_PUBLIC_URL": PUBLIC_URL,
            "KLANTREIS_SHOP_URL": f"http://127.0.0.1:{settings.web_port}",  # the demo shop
        }
        with running_stack(settings, extra_env=env) as stack:
            yield Live(stack, twilio, settings.runtime_dir / "logs", settings.database_url)


def test_sanne_asks_on_whatsapp_and_the_answer_comes_back_through_twilio(live: Live) -> None:
    bodies = live.whatsapp(SANNE, "waar is mijn bestelling 10452?")
    reply = "\n".join(bodies)
    assert reply, "the bot did not answer through Twilio"
    print(f"\nThe bot answered Sanne: {reply!r}")
    sent = live.twilio.sent()[-1]
    assert sent.get("To") == f"whatsapp:{SANNE}" and sent.get("From") == SANDBOX_NUMBER
    assert sent.basic_auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert sent.get("StatusCallback") == f"{PUBLIC_URL}/webhooks/whatsapp/status"
    # WhatsApp vouches for her number, so she is recognised: no order number + postcode check
    assert "later dan beloofd" in reply and "PostNL" in reply
    assert "postcode" not in reply.lower()


def test_a_triggered_intent_reaches_the_customer_on_whatsapp(live: Live) -> None:
    live.whatsapp(SANNE, "hoi")
    before = len(live.twilio.sent())
    live.trigger(SANNE, "greet")
    greeting = live.twilio.sent()[before:]
    assert greeting, "trigger_intent sent nothing through Twilio"
    assert greeting[0].get("To") == f"whatsapp:{SANNE}"
    body = greeting[0].get("Body") or ""
    assert body.startswith("Hoi Sanne!") and "1. " in body and "Antwoord met het nummer." in body
    # a bare "1" answers the numbered option of that greeting
    answer = "\n".join(live.whatsapp(SANNE, "1"))
    assert "10452" in answer and "later dan beloofd" in answer


def test_outside_the_window_the_template_goes_first(live: Live) -> None:
    before = len(live.twilio.sent())
    live.trigger(MARK, "greet")
    [template] = live.twilio.sent()[before:]
    assert template.get("To") == f"whatsapp:{MARK}"
    assert template.get("ContentSid") == TEMPLATE
    assert json.loads(template.get("ContentVariables") or "{}") == {"1": "Mark"}
    bodies = live.whatsapp(MARK, "hallo")  # he answers: the greeting waited for him
    assert len(bodies) == 2 and "Hoi" in bodies[0] and "Mark" in bodies[1], bodies


def test_delivery_reports_reach_the_timeline(live: Live) -> None:
    live.whatsapp(SANNE, "bedankt")
    sid = live.twilio.sent()[-1].response["sid"]
    form = status_callback(sid, "delivered")
    url = f"{PUBLIC_URL}/webhooks/whatsapp/status"
    request = urllib.request.Request(
        f"{live.stack.rasa_url}/webhooks/whatsapp/status",
        data=form_body(form).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": sign(AUTH_TOKEN, url, form),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    engine = make_engine(live.database_url)
    try:
        with engine.connect() as connection:
            status = connection.execute(
                select(ContactMessage.status).where(ContactMessage.provider_id == sid)
            ).scalar_one()
    finally:
        engine.dispose()
    assert status == "delivered"


def test_a_product_list_arrives_with_links_pictures_and_numbers(live: Live) -> None:
    before = len(live.twilio.sent())
    live.whatsapp(DAAN, "wat kost de storm jas?")
    intro, heren, dames, options = live.twilio.sent()[before:]
    shop = live.stack.web_url
    assert intro.get("Body") == (
        "Welke bedoel je? Regenwoud Storm jas heren of Regenwoud Storm jas dames?"
    )
    assert (heren.get("Body") or "").endswith(f"{shop}/demo/products/TP-RJK-001")
    assert heren.form["MediaUrl"] == [f"{shop}/demo/images/TP-RJK-001.png"]
    assert dames.form["MediaUrl"] == [f"{shop}/demo/images/TP-RJK-002.png"]
    assert "2. Regenwoud Storm jas dames" in (options.get("Body") or "")
    # "2" picks the second jacket, and the price asked about comes with it
    answer = "\n".join(live.whatsapp(DAAN, "2"))
    assert answer.startswith("Regenwoud Storm jas dames kost €")


def test_no_traceback_in_the_logs(live: Live) -> None:
    for name in ("rasa.log", "actions.log"):
        log = (live.logs / name).read_text()
        assert "Traceback" not in log, name
        assert AUTH_TOKEN not in log, name

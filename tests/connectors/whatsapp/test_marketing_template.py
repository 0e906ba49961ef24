"""Proactive offers outside the 24-hour window: the approved marketing template in the
customer's language, filled with the offer's facts, through the official SDK against the fake
Twilio API; the offer waits for the answer. Without a template in that language: not sent."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from bot.store.models import ContactMessage
from bot.suggestions.config import MarketingTemplate
from tests.connectors.whatsapp.conftest import SANNE, Start
from tests.connectors.whatsapp.test_window import RECIPIENT, TEMPLATE, age_messages
from tests.helpers.fake_twilio import incoming_message

MARKETING = "HX" + "c" * 32
DUTCH = {
    "nl": MarketingTemplate(
        content_sid=MARKETING,
        variables=(("1", "first_name"), ("2", "product"), ("3", "price")),
    )
}


def offer(text: str) -> dict[str, Any]:
    """A message as actions/marketing.py marks it."""
    meta = {"purpose": "marketing", "template": {"product": "Bergpas Ridge 5", "price": "€ 149,95"}}
    return {"text": text, "custom": {"klantreis": meta}}


async def test_an_offer_outside_the_window_goes_as_the_marketing_template(start: Start) -> None:
    harness = await start(content_sid=TEMPLATE, marketing_templates=DUTCH)
    await harness.message(incoming_message(SANNE, "hoi"))
    age_messages(harness, 30)
    harness.twilio.reset()
    output = harness.channel.get_output_channel()

    await output.send_response(RECIPIENT, offer("Je Bergpas is bijna een jaar oud."))
    await output.send_response(RECIPIENT, offer("Iets voor jou?"))

    [template] = harness.twilio.sent()  # one template, the offer waits behind it
    assert template.get("ContentSid") == MARKETING and template.get("Body") is None
    assert json.loads(template.get("ContentVariables") or "") == {
        "1": "Sanne",
        "2": "Bergpas Ridge 5",
        "3": "€ 149,95",
    }
    recorded = [m for m in harness.timeline() if (m.payload or {}).get("kind") == "template"]
    assert [m.payload["purpose"] for m in recorded] == ["marketing"]
    waiting = [m.text for m in harness.timeline() if m.status == "pending"]
    assert waiting == ["Je Bergpas is bijna een jaar oud.", "Iets voor jou?"]

    await harness.message(incoming_message(SANNE, "vertel"))
    assert harness.twilio.bodies()[1:] == [
        "Je Bergpas is bijna een jaar oud.",
        "Iets voor jou?",
        "Je zei: vertel",
    ]


async def test_without_a_template_in_their_language_the_offer_is_not_sent(start: Start) -> None:
    english_only = {"en": MarketingTemplate(content_sid=MARKETING)}
    harness = await start(content_sid=TEMPLATE, marketing_templates=english_only)
    output = harness.channel.get_output_channel()
    await output.send_response(RECIPIENT, offer("Je Bergpas is bijna een jaar oud."))
    assert harness.twilio.sent() == []  # not even the service template: it carries no offer
    [record] = harness.timeline()

    def events(session: Session) -> list[tuple[str, str | None]]:
        message = session.get(ContactMessage, record.id)
        return [(e.status, e.error_code) for e in message.status_events]

    assert harness.query(events) == [("failed", "no_marketing_tpl")]


async def test_a_service_message_still_takes_the_service_template(start: Start) -> None:
    harness = await start(content_sid=TEMPLATE, marketing_templates=DUTCH)
    output = harness.channel.get_output_channel()
    await output.send_response(RECIPIENT, {"text": "Je bestelling 10452 is vertraagd."})
    [template] = harness.twilio.sent()
    assert template.get("ContentSid") == TEMPLATE
    assert json.loads(template.get("ContentVariables") or "") == {"1": "Sanne"}


async def test_inside_the_window_an_offer_is_plain_text(start: Start) -> None:
    harness = await start(content_sid=TEMPLATE, marketing_templates=DUTCH)
    await harness.message(incoming_message(SANNE, "hoi"))
    harness.twilio.reset()
    output = harness.channel.get_output_channel()
    await output.send_response(RECIPIENT, offer("Iets voor jou?"))
    assert harness.twilio.bodies() == ["Iets voor jou?"]

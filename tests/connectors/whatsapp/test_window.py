"""The 24-hour window: free text inside it, the approved template outside it."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.models import ContactMessage, Customer, utcnow
from connectors.whatsapp import within_window
from tests.connectors.whatsapp.conftest import SANNE, Harness, Start
from tests.helpers.fake_twilio import incoming_message, status_callback

RECIPIENT = f"whatsapp:{SANNE}"
TEMPLATE = "HX" + "b" * 32


def age_messages(harness: Harness, hours: float) -> None:
    """Move the conversation `hours` into the past, as if the customer wrote back then."""

    def work(session: Session) -> None:
        session.execute(
            update(ContactMessage)
            .where(ContactMessage.conversation_id == RECIPIENT)
            .values(created_at=utcnow() - dt.timedelta(hours=hours))
            .execution_options(synchronize_session=False)
        )

    harness.query(work)


def sanne_id(session: Session) -> int:
    return session.scalars(select(Customer.id).where(Customer.customer_ref == "C1001")).one()


def window_open(harness: Harness) -> bool:
    return harness.query(lambda s: within_window(s, sanne_id(s)))


async def test_the_window_is_open_for_24_hours_after_the_customers_message(start: Start) -> None:
    harness = await start()
    assert not window_open(harness)  # she never wrote on WhatsApp
    await harness.message(incoming_message(SANNE, "hoi"))
    assert window_open(harness)
    age_messages(harness, 23.9)
    assert window_open(harness)
    age_messages(harness, 24.1)
    assert not window_open(harness)


async def test_outside_the_window_without_a_template_the_message_fails(start: Start) -> None:
    harness = await start(content_sid=None)
    output = harness.channel.get_output_channel()
    await output.send_response(RECIPIENT, {"text": "Je pakket is vertraagd."})
    assert harness.twilio.messages() == []
    [record] = harness.timeline()
    assert record.status == "failed"

    def events(session: Session) -> list[tuple[str, str | None]]:
        message = session.get(ContactMessage, record.id)
        return [(e.status, e.error_code) for e in message.status_events]

    assert harness.query(events) == [("failed", "outside_window")]


async def test_outside_the_window_the_template_goes_out_and_the_message_waits(
    start: Start,
) -> None:
    harness = await start(content_sid=TEMPLATE)
    await harness.message(incoming_message(SANNE, "hoi"))
    age_messages(harness, 30)
    harness.twilio.reset()
    output = harness.channel.get_output_channel()

    await output.send_response(RECIPIENT, {"text": "Je pakket is vertraagd, nieuwe datum: morgen."})
    await output.send_response(RECIPIENT, {"text": "Excuses voor het ongemak."})

    [template] = harness.twilio.sent()  # one template, however many messages wait
    assert template.get("ContentSid") == TEMPLATE and template.get("Body") is None
    assert json.loads(template.get("ContentVariables") or "") == {"1": "Sanne"}
    waiting = [m for m in harness.timeline() if m.status == "pending"]
    assert [m.text for m in waiting] == [
        "Je pakket is vertraagd, nieuwe datum: morgen.",
        "Excuses voor het ongemak.",
    ]
    sent_template = harness.timeline()[-2]
    assert sent_template.payload["kind"] == "template" and sent_template.author == "system"
    assert sent_template.provider_id == template.response["sid"]

    # She answers: the window reopens, waiting messages go first, in order, then the reply.
    await harness.message(incoming_message(SANNE, "oh, vertel"))
    assert harness.twilio.bodies()[1:] == [
        "Je pakket is vertraagd, nieuwe datum: morgen.",
        "Excuses voor het ongemak.",
        "Je zei: oh, vertel",
    ]
    assert not [m for m in harness.timeline() if m.status == "pending"]


async def test_a_number_that_never_wrote_gets_the_template_with_the_customers_name(
    start: Start,
) -> None:
    harness = await start(content_sid=TEMPLATE)
    output = harness.channel.get_output_channel()
    await output.send_response(RECIPIENT, {"text": "Je bestelling 10452 is vertraagd."})
    [template] = harness.twilio.sent()
    assert json.loads(template.get("ContentVariables") or "") == {"1": "Sanne"}
    assert harness.timeline()[0].status == "pending"
    await harness.message(incoming_message(SANNE, "vertel"))
    assert harness.twilio.bodies()[1:] == ["Je bestelling 10452 is vertraagd.", "Je zei: vertel"]


async def test_a_new_template_after_a_day_without_an_answer(start: Start) -> None:
    harness = await start(content_sid=TEMPLATE)
    output = harness.channel.get_output_channel()
    await output.send_response(RECIPIENT, {"text": "Eerste melding"})
    age_messages(harness, 25)
    await output.send_response(RECIPIENT, {"text": "Tweede melding"})
    assert [r.get("ContentSid") for r in harness.twilio.sent()] == [TEMPLATE, TEMPLATE]


async def test_a_failing_template_fails_the_message(start: Start) -> None:
    harness = await start(content_sid=TEMPLATE)
    harness.twilio.fail_next(status=400, code=63027, message="Template does not exist")
    output = harness.channel.get_output_channel()
    await output.send_response(RECIPIENT, {"text": "Je pakket is vertraagd."})
    message, template = harness.timeline()
    assert (message.status, template.status) == ("failed", "failed")


async def test_twilio_saying_the_window_is_closed_falls_back_to_the_template(
    start: Start,
) -> None:
    harness = await start(content_sid=TEMPLATE)
    await harness.message(incoming_message(SANNE, "hoi"))
    harness.twilio.reset()
    harness.twilio.fail_next(status=400, code=63016, message="outside the allowed window")
    output = harness.channel.get_output_channel()
    await output.send_response(RECIPIENT, {"text": "Nog even dit."})
    assert [r.get("ContentSid") for r in harness.twilio.sent()] == [TEMPLATE]
    assert [m.status for m in harness.timeline()][-2:] == ["pending", "queued"]


async def test_a_late_63016_report_puts_the_message_back_in_the_queue(start: Start) -> None:
    harness = await start(content_sid=TEMPLATE)
    await harness.message(incoming_message(SANNE, "hoi"))
    sid = harness.twilio.sent()[0].response["sid"]
    response = await harness.status(status_callback(sid, "failed", error_code="63016"))
    assert response.status_code == 200
    assert harness.twilio.sent()[-1].get("ContentSid") == TEMPLATE
    reply = [m for m in harness.timeline() if m.text == "Je zei: hoi"][0]
    assert reply.status == "pending"
    await harness.message(incoming_message(SANNE, "ik ben er"))
    assert harness.twilio.bodies()[-2:] == ["Je zei: hoi", "Je zei: ik ben er"]

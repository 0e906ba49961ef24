"""Messages to the customer through the real twilio SDK and the fake Twilio API."""

from __future__ import annotations

import socket

from connectors.base import Outbound
from connectors.whatsapp.render import utf16_length
from tests.connectors.whatsapp.conftest import SANNE, Start
from tests.helpers.fake_twilio import incoming_message

RECIPIENT = f"whatsapp:{SANNE}"


async def open_window(start: Start, **overrides: object):  # type: ignore[no-untyped-def]
    harness = await start(**overrides)
    await harness.message(incoming_message(SANNE, "hoi"))
    harness.twilio.reset()
    return harness, harness.channel.get_output_channel()


async def test_text_image_and_the_provider_id_are_recorded(start: Start) -> None:
    harness, output = await open_window(start)
    await output.send_response(
        RECIPIENT, {"text": "Zo ziet hij eruit:", "image": "https://shop.example/aero3.jpg"}
    )
    [sent] = harness.twilio.sent()
    assert sent.get("Body") == "Zo ziet hij eruit:"
    assert sent.form["MediaUrl"] == ["https://shop.example/aero3.jpg"]
    record = harness.timeline()[-1]
    assert record.payload["image"] == "https://shop.example/aero3.jpg"
    assert (record.status, record.provider_id) == ("queued", sent.response["sid"])


async def test_an_image_alone_is_sent_as_media(start: Start) -> None:
    harness, output = await open_window(start)
    await output.send_image_url(RECIPIENT, "https://shop.example/tent.jpg")
    [sent] = harness.twilio.sent()
    assert sent.get("Body") is None and sent.form["MediaUrl"] == ["https://shop.example/tent.jpg"]


async def test_long_texts_are_split_under_twilios_limit(start: Start) -> None:
    harness, output = await open_window(start)
    paragraph = "De Trailblazer GTX is waterdicht en ademend. " * 11  # about 500 characters
    text = "\n\n".join([paragraph.strip()] * 9)
    await output.send_response(RECIPIENT, {"text": text})
    bodies = harness.twilio.bodies()
    assert len(bodies) == 3  # whole paragraphs together, as many as fit
    assert all(utf16_length(b) <= 1600 and b.count("\n\n") == 2 for b in bodies)
    assert " ".join(" ".join(bodies).split()) == " ".join(text.split())
    record = harness.timeline()[-1]
    assert record.provider_id == harness.twilio.sent()[-1].response["sid"]


async def test_an_agent_message_carries_the_agent_name(start: Start) -> None:
    harness, output = await open_window(start)
    await output.send_response(
        RECIPIENT,
        {
            "text": "Ik kijk even mee.",
            "custom": {"klantreis": {"author": "agent", "agent_name": "Eva"}},
        },
    )
    assert harness.twilio.bodies() == ["Eva (klantenservice): Ik kijk even mee."]
    assert harness.timeline()[-1].author == "agent"


async def test_a_messaging_service_sends_instead_of_a_number(start: Start) -> None:
    harness, output = await open_window(
        start, whatsapp_from=None, messaging_service_sid="MG" + "a" * 32
    )
    await output.send_response(RECIPIENT, {"text": "Hallo"})
    [sent] = harness.twilio.sent()
    assert sent.get("MessagingServiceSid") == "MG" + "a" * 32 and sent.get("From") is None
    assert harness.timeline()[-1].status == "queued"


async def test_a_refusal_by_twilio_is_recorded_not_raised(start: Start) -> None:
    harness, output = await open_window(start)
    harness.twilio.fail_next(status=400, code=21211, message="Invalid 'To' Phone Number")
    await output.send_response(RECIPIENT, {"text": "Hallo"})
    record = harness.timeline()[-1]
    assert record.status == "failed"
    assert [(e.status, e.error_code) for e in harness.query(lambda s: _events(s, record.id))] == [
        ("failed", "21211")
    ]


async def test_an_unreachable_twilio_is_recorded_not_raised(start: Start) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}"
    harness, _ = await open_window(start)
    output = (await start(api_base=dead)).channel.get_output_channel()
    await output.send_response(RECIPIENT, {"text": "Hallo"})
    assert harness.timeline()[-1].status == "failed"
    assert harness.query(lambda s: _events(s, harness.timeline()[-1].id))[0].error_code == (
        "network"
    )


async def test_no_sender_configured_fails_politely(start: Start) -> None:
    harness = await start(whatsapp_from=None)
    response = await harness.message(incoming_message(SANNE, "hoi"))
    assert response.status_code == 200
    assert harness.twilio.messages() == []
    assert harness.timeline()[-1].status == "failed"


async def test_a_recipient_that_is_not_whatsapp_is_refused(start: Start) -> None:
    harness = await start()
    output = harness.channel.get_output_channel()
    delivery = await output.deliver("telegram:12345", Outbound("x"))
    assert delivery.status == "failed" and delivery.error_code == "bad_recipient"
    assert harness.twilio.messages() == []


def _events(session, message_id):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from bot.store.models import MessageStatusEvent

    rows = list(
        session.scalars(
            select(MessageStatusEvent)
            .where(MessageStatusEvent.message_id == message_id)
            .order_by(MessageStatusEvent.id)
        )
    )
    session.expunge_all()
    return rows

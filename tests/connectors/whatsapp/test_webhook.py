"""Incoming WhatsApp messages: signed webhooks in, the reply out through the fake Twilio."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.ratelimit import RateLimiter
from bot.store import identities
from bot.store.models import Customer
from tests.connectors.whatsapp.conftest import PUBLIC_URL, SANNE, Start
from tests.helpers.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_NUMBER, incoming_message

UNKNOWN = "+31687654321"


def identity_of(session: Session, phone: str) -> tuple[bool, str | None, str | None]:
    identity = identities.find_identity(session, "whatsapp", phone)
    assert identity is not None
    customer = identities.live(session, identity.customer)
    return bool(identity.verified), identity.verification_method, customer.customer_ref


async def test_health(start: Start) -> None:
    harness = await start()
    response = await harness.http.get(harness.url("/"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_a_text_reaches_rasa_and_the_reply_goes_out_through_twilio(start: Start) -> None:
    harness = await start()
    response = await harness.message(incoming_message(SANNE, "waar is mijn bestelling 10452?"))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text == "<Response/>"
    [message] = harness.agent.messages
    assert message.sender_id == f"whatsapp:{SANNE}"
    assert message.input_channel == "whatsapp"
    assert message.text == "waar is mijn bestelling 10452?"

    [sent] = harness.twilio.sent()
    assert sent.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert sent.basic_auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert sent.get("To") == f"whatsapp:{SANNE}"
    assert sent.get("From") == SANDBOX_NUMBER
    assert sent.get("Body") == "Je zei: waar is mijn bestelling 10452?"
    assert sent.get("StatusCallback") == f"{PUBLIC_URL}/webhooks/whatsapp/status"

    inbound, outbound = harness.timeline()
    assert (inbound.direction, inbound.text, inbound.status) == ("in", message.text, "answered")
    assert outbound.direction == "out" and outbound.status == "queued"
    assert outbound.provider_id == sent.response["sid"]


async def test_whatsapp_verifies_the_number_so_a_known_customer_is_linked(start: Start) -> None:
    harness = await start()
    await harness.message(incoming_message(SANNE, "hoi"))
    assert harness.query(lambda s: identity_of(s, SANNE)) == (True, "whatsapp_phone", "C1001")
    # a number no customer has stays anonymous and unverified
    await harness.message(incoming_message(UNKNOWN, "hallo"))
    verified, method, ref = harness.query(lambda s: identity_of(s, UNKNOWN))
    assert not verified and method is None and ref is not None and ref.startswith("ANON-")


async def test_an_earlier_anonymous_history_is_kept_when_the_number_is_recognised(
    start: Start,
) -> None:
    harness = await start()

    def forget_the_number(session: Session) -> None:
        sanne = session.scalars(select(Customer).where(Customer.customer_ref == "C1001")).one()
        sanne.phone = None

    def restore_the_number(session: Session) -> None:
        sanne = session.scalars(select(Customer).where(Customer.customer_ref == "C1001")).one()
        sanne.phone = SANNE

    harness.query(forget_the_number)
    await harness.message(incoming_message(SANNE, "eerste bericht"))
    assert harness.query(lambda s: identity_of(s, SANNE))[0] is False
    harness.query(restore_the_number)
    await harness.message(incoming_message(SANNE, "tweede bericht"))
    assert harness.query(lambda s: identity_of(s, SANNE)) == (True, "whatsapp_phone", "C1001")
    texts = [m.text for m in harness.timeline() if m.direction == "in"]
    assert texts == ["eerste bericht", "tweede bericht"]
    owners = {m.customer_id for m in harness.timeline()}
    sanne_id = harness.query(
        lambda s: s.scalars(select(Customer.id).where(Customer.customer_ref == "C1001")).one()
    )
    assert owners == {sanne_id}


async def test_a_retried_message_sid_is_processed_once(start: Start) -> None:
    harness = await start()
    form = incoming_message(SANNE, "waar is mijn pakket?")
    first = await harness.message(form)
    again = await harness.message(form)
    assert first.status_code == again.status_code == 200
    assert again.text == "<Response/>"
    assert harness.agent.texts == ["waar is mijn pakket?"]
    assert len(harness.twilio.sent()) == 1
    assert [m.direction for m in harness.timeline()] == ["in", "out"]


@pytest.mark.parametrize(
    ("extra", "kind"),
    [
        ({"NumMedia": "1", "MediaContentType0": "audio/ogg", "MessageType": "audio"}, "voice"),
        ({"NumMedia": "1", "MediaContentType0": "image/jpeg", "MessageType": "image"}, "image"),
        ({"NumMedia": "1", "MediaContentType0": "image/webp", "MessageType": "sticker"}, "sticker"),
        (
            {"NumMedia": "1", "MediaContentType0": "text/vcard", "MessageType": "contacts"},
            "contact",
        ),
        (
            {
                "Latitude": "52.0907",
                "Longitude": "5.1214",
                "Address": "Biltstraat 112",
                "MessageType": "location",
            },
            "location",
        ),
    ],
)
async def test_anything_but_text_gets_a_polite_reply(
    start: Start, extra: dict[str, str], kind: str
) -> None:
    harness = await start()
    if extra.get("NumMedia"):
        extra["MediaUrl0"] = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Media/ME1"
    response = await harness.message(incoming_message(SANNE, "", **extra))
    assert response.status_code == 200
    assert harness.agent.messages == []
    [notice] = harness.twilio.bodies()
    assert notice.startswith("Sorry, ik kan hier alleen tekst lezen")
    inbound, outbound = harness.timeline()
    assert inbound.payload["kind"] == kind
    assert "Latitude" not in str(inbound.payload) and "MediaUrl" not in str(inbound.payload)
    assert outbound.text == notice


async def test_the_polite_reply_is_in_the_customers_language(start: Start) -> None:
    harness = await start()
    james = "+31667812345"  # C1006, language en
    await harness.message(incoming_message(james, "", NumMedia="1", MediaContentType0="audio/ogg"))
    assert harness.twilio.bodies() == [
        "Sorry, I can only read text here. Just type your question and I'll help you."
    ]


async def test_a_caption_on_an_image_is_kept_but_not_answered_as_text(start: Start) -> None:
    harness = await start()
    await harness.message(
        incoming_message(SANNE, "kapot aangekomen", NumMedia="1", MediaContentType0="image/png")
    )
    assert harness.agent.messages == []
    inbound = harness.timeline()[0]
    assert inbound.text == "kapot aangekomen" and inbound.payload["media_types"] == ["image/png"]


async def test_an_oversized_message_gets_the_too_long_notice(start: Start) -> None:
    harness = await start()
    await harness.message(incoming_message(SANNE, "lang " * 1200))
    assert harness.agent.messages == []
    assert harness.twilio.bodies() == [
        "Dat bericht is te lang voor mij. Kun je je vraag wat korter opschrijven?"
    ]


async def test_a_flood_is_told_to_slow_down_once(start: Start) -> None:
    harness = await start(limiter=RateLimiter(burst=2, per_second=0.0001))
    for number in range(5):
        assert (
            await harness.message(incoming_message(SANNE, f"bericht {number}"))
        ).status_code == 200
    assert harness.agent.texts == ["bericht 0", "bericht 1"]
    bodies = harness.twilio.bodies()
    assert bodies[:2] == ["Je zei: bericht 0", "Je zei: bericht 1"]
    assert bodies[2:] == [
        "Je stuurt veel berichten tegelijk. Ik lees ze allemaal; geef me even een momentje."
    ]
    # every message is on the timeline, also the refused ones
    assert len([m for m in harness.timeline() if m.direction == "in"]) == 5


async def test_a_rasa_failure_still_answers_twilio_with_200(start: Start) -> None:
    harness = await start()
    harness.agent.fail = True
    response = await harness.message(incoming_message(SANNE, "hallo?"))
    assert response.status_code == 200
    assert [m.direction for m in harness.timeline()] == ["in"]


async def test_interactive_button_replies_use_the_button_payload(start: Start) -> None:
    harness = await start()
    await harness.message(
        incoming_message(
            SANNE,
            "Ja, graag",
            ButtonText="Ja, graag",
            ButtonPayload="Waar is mijn bestelling?",
            MessageType="button",
        )
    )
    [message] = harness.agent.messages
    assert message.text == "Waar is mijn bestelling?"
    assert harness.timeline()[0].payload == {"kind": "button", "button_title": "Ja, graag"}


async def test_an_empty_message_is_not_passed_to_rasa(start: Start) -> None:
    harness = await start()
    await harness.message(incoming_message(SANNE, "", MessageType="reaction"))
    assert harness.agent.messages == []
    assert harness.timeline()[0].payload["kind"] == "reaction"


async def test_control_characters_are_dropped_before_anything_is_stored(start: Start) -> None:
    """A percent-encoded NUL reached PostgreSQL, which refuses it in text (issue #15)."""
    harness = await start()
    response = await harness.message(incoming_message(SANNE, "hoi\x00 daar\x07"))
    assert response.status_code == 200
    assert harness.agent.texts == ["hoi daar"]
    assert harness.timeline()[0].text == "hoi daar"


@pytest.mark.parametrize(
    "fields",
    [
        {"MessageSid": "SM" + "a" * 63},  # longer than any Twilio SID
        {"MessageSid": "SM١٢٣"},  # digits, but not ASCII ones
        {"From": "whatsapp:+٣١٦١٢٣٤٥٦٧٨"},
        {"NumMedia": "x"},
    ],
)
async def test_fields_twilio_never_sends_are_a_bad_request(
    start: Start, fields: dict[str, str]
) -> None:
    harness = await start()
    before = harness.counts()
    response = await harness.message(incoming_message(SANNE, "hoi", **fields))
    assert response.status_code == 400
    assert harness.counts() == before and harness.agent.messages == []

"""Twilio answering 5xx or not at all: the message is retried where that is safe, bounded, and
otherwise marked failed on the timeline (where the agent console shows it); never lost."""

from __future__ import annotations

from sqlalchemy import select

from bot.store.models import MessageStatusEvent
from tests.connectors.whatsapp.conftest import SANNE, Start
from tests.helpers.fake_twilio import incoming_message

RECIPIENT = f"whatsapp:{SANNE}"


async def open_window(start: Start, **overrides: object):  # type: ignore[no-untyped-def]
    harness = await start(**overrides)
    await harness.message(incoming_message(SANNE, "hoi"))
    harness.twilio.reset()
    output = harness.channel.get_output_channel()
    output.sender.retry_delay = 0.05  # the real schedule is 0.5 s, then 1 s
    return harness, output


def status_events(harness, record_id: int) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    def read(session):  # type: ignore[no-untyped-def]
        rows = session.scalars(
            select(MessageStatusEvent)
            .where(MessageStatusEvent.message_id == record_id)
            .order_by(MessageStatusEvent.id)
        )
        return [(e.status, e.error_code) for e in rows]

    return harness.query(read)  # type: ignore[no-any-return]


async def test_a_passing_5xx_is_retried_and_the_message_goes_out_once(start: Start) -> None:
    harness, output = await open_window(start)
    harness.twilio.fail_next(status=503, code=20503, message="Service Unavailable")
    harness.twilio.fail_next(status=500, code=20500, message="Internal Server Error")
    await output.send_response(RECIPIENT, {"text": "Je pakket komt morgen."})
    statuses = [r.response_status for r in harness.twilio.messages()]
    assert statuses == [503, 500, 201]
    assert harness.twilio.bodies() == ["Je pakket komt morgen."]
    record = harness.timeline()[-1]
    assert (
        record.status == "queued" and record.provider_id == harness.twilio.sent()[0].response["sid"]
    )


async def test_a_lasting_5xx_marks_the_message_failed_after_three_tries(start: Start) -> None:
    harness, output = await open_window(start)
    for _ in range(3):
        harness.twilio.fail_next(status=502, code=20502, message="Bad Gateway")
    await output.send_response(RECIPIENT, {"text": "Je pakket komt morgen."})
    assert [r.response_status for r in harness.twilio.messages()] == [502, 502, 502]
    record = harness.timeline()[-1]
    assert (record.direction, record.text, record.status) == (
        "out",
        "Je pakket komt morgen.",
        "failed",
    )
    assert status_events(harness, record.id) == [("failed", "20502")]


async def test_a_timeout_is_not_retried_twilio_may_have_sent_it(start: Start) -> None:
    harness, output = await open_window(start, timeout=0.3)
    harness.twilio.delay_next(1.0)
    await output.send_response(RECIPIENT, {"text": "Je pakket komt morgen."})
    assert len(harness.twilio.messages()) <= 1  # one try only: no double message
    record = harness.timeline()[-1]
    assert record.status == "failed"
    assert status_events(harness, record.id) == [("failed", "timeout")]


async def test_a_client_error_is_final_at_once(start: Start) -> None:
    harness, output = await open_window(start)
    harness.twilio.fail_next(status=400, code=21211, message="Invalid 'To' Phone Number")
    await output.send_response(RECIPIENT, {"text": "Hallo"})
    assert len(harness.twilio.messages()) == 1
    assert harness.timeline()[-1].status == "failed"

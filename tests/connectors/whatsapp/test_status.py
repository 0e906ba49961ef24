"""Twilio's delivery reports end up on the timeline, once, and never move a status back."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.store.models import ContactMessage
from tests.connectors.whatsapp.conftest import SANNE, Harness, Start
from tests.helpers.fake_twilio import incoming_message, new_sid, status_callback


async def reply_sid(harness: Harness) -> str:
    await harness.message(incoming_message(SANNE, "hoi"))
    return harness.twilio.sent()[0].response["sid"]


def history(harness: Harness) -> tuple[str, list[tuple[str, str | None]]]:
    def work(session: Session) -> tuple[str, list[tuple[str, str | None]]]:
        reply = [m for m in harness.timeline() if m.direction == "out"][0]
        message = session.get(ContactMessage, reply.id)
        return message.status, [(e.status, e.error_code) for e in message.status_events]

    return harness.query(work)


async def test_reports_are_recorded_in_order(start: Start) -> None:
    harness = await start()
    sid = await reply_sid(harness)
    for status in ("sent", "delivered", "read"):
        response = await harness.status(status_callback(sid, status))
        assert response.status_code == 200
    assert history(harness) == (
        "read",
        [("queued", None), ("sent", None), ("delivered", None), ("read", None)],
    )


async def test_a_repeated_or_late_report_changes_nothing(start: Start) -> None:
    harness = await start()
    sid = await reply_sid(harness)
    await harness.status(status_callback(sid, "read"))
    await harness.status(status_callback(sid, "read"))  # Twilio retried
    await harness.status(status_callback(sid, "delivered"))  # arrived late
    status, events = history(harness)
    assert status == "read"
    assert events.count(("read", None)) == 1


async def test_a_failure_is_recorded_with_its_error_code(start: Start) -> None:
    harness = await start()
    sid = await reply_sid(harness)
    await harness.status(status_callback(sid, "undelivered", error_code="63024"))
    assert history(harness) == ("undelivered", [("queued", None), ("undelivered", "63024")])


async def test_an_unknown_sid_is_ignored_with_200(start: Start) -> None:
    harness = await start()
    await reply_sid(harness)
    before = harness.counts()
    response = await harness.status(status_callback(new_sid(), "delivered"))
    assert response.status_code == 200
    assert harness.counts() == before
    assert history(harness)[1] == [("queued", None)]


async def test_a_report_for_an_incoming_message_is_ignored(start: Start) -> None:
    harness = await start()
    form = incoming_message(SANNE, "hoi")
    await harness.message(form)
    await harness.status(status_callback(form["MessageSid"], "read"))
    assert harness.timeline()[0].status == "answered"  # by the bot; the report changed nothing

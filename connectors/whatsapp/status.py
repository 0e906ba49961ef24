"""Twilio's delivery reports (sent, delivered, read, failed, undelivered …) on the timeline."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.store import timeline
from connectors.whatsapp.client import OUTSIDE_WINDOW_CODES, STATUS_MAP
from connectors.whatsapp.signature import BadForm, FormParams, form_text

CHANNEL = "whatsapp"


@dataclass(frozen=True)
class StatusReport:
    message_sid: str
    status: str | None  # our status, None for one we do not track
    error_code: str | None

    @property
    def outside_window(self) -> bool:
        return self.status in timeline.FINAL_FAILURES and self.error_code in OUTSIDE_WINDOW_CODES


def parse_status(params: FormParams) -> StatusReport:
    sid = (form_text(params, "MessageSid", 64) or form_text(params, "SmsSid", 64)).strip()
    raw = (form_text(params, "MessageStatus", 64) or form_text(params, "SmsStatus", 64)).strip()
    if not sid or not raw or not (sid.isascii() and sid.isalnum()):
        raise BadForm("MessageSid or MessageStatus missing")
    error = form_text(params, "ErrorCode").strip()[:20] or None
    return StatusReport(sid, STATUS_MAP.get(raw.lower()), error)


@dataclass(frozen=True)
class Recorded:
    found: bool
    message_id: int | None = None
    requeue: bool = False  # a free-text message bounced off the closed window


def record_status(session: Session, report: StatusReport) -> Recorded:
    """Record one report on the outbound message with that SID; a repeat adds nothing."""
    message = timeline.by_provider_id(session, CHANNEL, report.message_sid)
    if message is None or message.direction != "out":
        return Recorded(False)
    if report.status is None:
        return Recorded(True, message.id)
    if any(
        event.status == report.status and event.error_code == report.error_code
        for event in message.status_events
    ):
        return Recorded(True, message.id)
    timeline.set_status(session, message, report.status, error_code=report.error_code)
    requeue = report.outside_window and (message.payload or {}).get("kind") != "template"
    return Recorded(True, message.id, requeue)

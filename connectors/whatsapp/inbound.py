"""What a customer sent on WhatsApp, from Twilio's webhook form, as an `Inbound`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.store import identities, timeline
from bot.store.models import ChannelIdentity
from connectors.base import Inbound
from connectors.whatsapp.render import choice_number, pick
from connectors.whatsapp.signature import BadForm, FormParams
from connectors.whatsapp.signature import form_text as field

CHANNEL = "whatsapp"
LINK_METHOD = "whatsapp_phone"
MAX_SID_LENGTH = 64


def sender_phone(params: FormParams) -> str:
    """The customer's E.164 number from `From` (whatsapp:+316…); BadForm otherwise."""
    raw = field(params, "From", 100).strip()
    if not raw.lower().startswith("whatsapp:"):
        raise BadForm("From is not a WhatsApp address")
    phone = identities.normalise_phone(raw)
    if phone is None:
        raise BadForm("From is not a phone number")
    return phone


def message_sid(params: FormParams) -> str:
    sid = field(params, "MessageSid", MAX_SID_LENGTH).strip()
    if not sid or not (sid.isascii() and sid.isalnum()):
        raise BadForm("MessageSid missing")
    return sid


def _media_kind(content_type: str) -> str:
    if content_type.startswith("audio/"):
        return "voice"
    if content_type == "image/webp":
        return "sticker"
    if content_type.startswith("image/"):
        return "image"
    if content_type.startswith("video/"):
        return "video"
    if content_type in ("text/vcard", "text/x-vcard"):
        return "contact"
    return "document"


def _media_count(params: FormParams) -> int:
    try:
        return min(10, max(0, int(field(params, "NumMedia", 5) or 0)))
    except ValueError as exc:
        raise BadForm("NumMedia is not a number") from exc


def parse_inbound(params: FormParams) -> Inbound:
    """The message in a Twilio webhook form. Anything but text gets a kind of its own, which
    the Gateway answers with the polite "I can only read text" notice."""
    phone = sender_phone(params)
    sid = message_sid(params)
    body = field(params, "Body")
    payload: dict[str, Any] = {}
    num_media = _media_count(params)
    message_type = field(params, "MessageType", 100).lower()
    if num_media:
        types = [field(params, f"MediaContentType{i}", 100).lower() for i in range(num_media)]
        kinds = {_media_kind(t) for t in types}
        kind = kinds.pop() if len(kinds) == 1 else "media"
        payload["media_types"] = types[:10]
    elif (field(params, "Latitude") and field(params, "Longitude")) or message_type == "location":
        kind = "location"  # the coordinates themselves are not kept
    elif field(params, "ButtonPayload") or field(params, "ButtonText"):
        kind = "button"
        payload["button_title"] = field(params, "ButtonText", 500)
        body = field(params, "ButtonPayload") or field(params, "ButtonText") or body
    elif body.strip():
        kind = "text"
    elif message_type and message_type not in ("text", "button", "command"):
        kind = message_type[:20]  # a reaction, or a message type WhatsApp added later
    else:
        kind = "unsupported"  # an empty message
    return Inbound(CHANNEL, phone, body, delivery_id=sid, kind=kind, payload=payload)


def latest_buttons(session: Session, conversation_id: str) -> list[dict[str, str]] | None:
    """The buttons of the latest message with buttons the customer can have seen."""
    for message in reversed(timeline.conversation(session, conversation_id, limit=50)):
        if message.direction != "out" or message.status in ("pending", *timeline.FINAL_FAILURES):
            continue
        buttons = (message.payload or {}).get("buttons")
        if buttons:
            return [b for b in buttons if isinstance(b, dict)]
    return None


def answer_by_number(session: Session, inbound: Inbound) -> Inbound:
    """A bare "2" answering numbered options becomes that option's payload."""
    number = choice_number(inbound.text) if inbound.kind == "text" else None
    if number is None:
        return inbound
    buttons = latest_buttons(session, inbound.conversation_id)
    button = pick(buttons or [], number)
    if button is None or not button.get("payload"):
        return inbound
    return Inbound(
        inbound.channel,
        inbound.external_id,
        str(button["payload"]),
        delivery_id=inbound.delivery_id,
        kind="button",
        payload={**inbound.payload, "typed": inbound.text.strip(), "button_title": button["title"]},
    )


def link_by_phone(session: Session, identity: ChannelIdentity) -> None:
    """WhatsApp has verified the number itself: a known customer's number is theirs."""
    if identity.verified:
        return
    customer = identities.customer_by_phone(session, identity.external_id)
    if customer is not None:
        identities.link(session, identity, customer, LINK_METHOD)

"""Bot and agent messages to a customer on WhatsApp, inside or outside the 24-hour window.

Inside the window the message goes out as free text (buttons as numbered options, long text
split, an image as media). Outside it, with TWILIO_CONTENT_SID set, the approved template is
sent once and the real message waits on the timeline as `pending`; when the customer answers,
the window reopens and pending messages go out first, in order. Without a template the
message fails with error code `outside_window`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import MutableMapping
from dataclasses import dataclass
from functools import partial
from weakref import WeakValueDictionary

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot import texts
from bot.language import supported
from bot.store import identities, timeline
from bot.store.models import ContactMessage, utcnow
from bot.store.service_window import WINDOW, within_window
from bot.texts.facts import facts
from connectors.base import ChannelStore, Delivery, Outbound, Recorded, RecordingOutput
from connectors.whatsapp.client import OUTSIDE_WINDOW_CODES, Sent, TwilioSender
from connectors.whatsapp.config import WhatsAppConfig
from connectors.whatsapp.render import parts

CHANNEL = "whatsapp"

Locks = MutableMapping[str, asyncio.Lock]


def new_locks() -> Locks:
    return WeakValueDictionary()


@dataclass(frozen=True)
class Recipient:
    """What deciding how to reach one conversation needs, read in one unit of work."""

    phone: str
    customer_id: int | None
    language: str
    first_name: str | None
    window_open: bool
    template_waiting: bool  # a template went out and the customer has not answered yet


def phone_of(recipient_id: str) -> str | None:
    parts = identities.split_conversation_id(recipient_id)
    if parts is None or parts[0] != CHANNEL:
        return None
    phone = identities.normalise_phone(parts[1])
    return phone if phone == parts[1] else None


def outbound_of(message: ContactMessage) -> Outbound:
    payload = message.payload or {}
    return Outbound(
        text=message.text or "",
        buttons=list(payload.get("buttons") or []),
        image=payload.get("image"),
        author=message.author if message.author in ("bot", "agent") else "bot",
        agent_name=payload.get("agent_name"),
        product_cards=payload.get("product_cards"),
    )


def _template_waiting(session: Session, conversation_id: str, now: dt.datetime) -> bool:
    for message in reversed(timeline.conversation(session, conversation_id, limit=50)):
        if message.direction == "in":
            return False
        if (message.payload or {}).get("kind") == "template":
            return message.status not in timeline.FINAL_FAILURES and (
                now - message.created_at < WINDOW
            )
    return False


def read_recipient(session: Session, conversation_id: str, phone: str) -> Recipient:
    identity = identities.find_identity(session, CHANNEL, phone)
    known = identities.customer_by_phone(session, phone)
    if identity is None:
        language = supported(known.language if known is not None else None)
        first_name = known.first_name if known is not None else None
        return Recipient(phone, None, language, first_name, False, False)
    who = identities.who(session, identity)
    language = supported(who.language)
    first_name = who.first_name
    if first_name is None and known is not None:  # not verified yet, but it is their number
        language, first_name = known.language or language, known.first_name
    now = utcnow()
    return Recipient(
        phone=phone,
        customer_id=who.customer_id,
        language=language,
        first_name=first_name,
        window_open=within_window(session, who.customer_id, now),
        template_waiting=_template_waiting(session, conversation_id, now),
    )


class WhatsAppOutput(RecordingOutput):
    """Rasa output channel `whatsapp`; the recipient id is `whatsapp:+316…`."""

    channel = CHANNEL

    def __init__(
        self,
        store: ChannelStore,
        config: WhatsAppConfig,
        sender: TwilioSender,
        locks: Locks | None = None,
    ):
        super().__init__(store)
        self.config = config
        self.sender = sender
        self.locks = locks if locks is not None else new_locks()

    def __repr__(self) -> str:
        return f"WhatsAppOutput({self.config!r})"

    def _lock(self, conversation_id: str) -> asyncio.Lock:
        lock = self.locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self.locks[conversation_id] = lock
        return lock

    async def deliver(
        self, recipient_id: str, message: Outbound, recorded: Recorded | None = None
    ) -> Delivery:
        phone = phone_of(recipient_id)
        if phone is None:
            return Delivery("failed", error_code="bad_recipient")
        async with self._lock(recipient_id):
            recipient = await self.store.run(
                lambda session: read_recipient(session, recipient_id, phone)
            )
            if recipient.window_open:
                await self._flush(recipient_id, recipient.language)
                sent = await self._send_free_text(phone, message, recipient.language)
                if not (sent.error_code in OUTSIDE_WINDOW_CODES and self._template_for(message)):
                    return Delivery(sent.status, sent.sid, sent.error_code)
            if message.purpose == "marketing":
                return await self._marketing_outside_window(recipient_id, recipient, message)
            return await self._outside_window(recipient_id, recipient)

    async def flush_pending(self, conversation_id: str) -> int:
        """Send the messages waiting for this conversation's window to reopen, oldest first."""
        phone = phone_of(conversation_id)
        if phone is None:
            return 0
        async with self._lock(conversation_id):
            recipient = await self.store.run(
                lambda session: read_recipient(session, conversation_id, phone)
            )
            if not recipient.window_open:
                return 0
            return await self._flush(conversation_id, recipient.language)

    async def requeue(self, message_id: int) -> None:
        """Twilio said a free-text message was outside the window after all: keep it pending
        and ask the customer to answer with the template."""
        if not self.config.content_sid:
            return  # without a template the message stays failed (`outside_window` in effect)
        conversation_id = await self.store.run(lambda session: _to_pending(session, message_id))
        phone = phone_of(conversation_id or "")
        if conversation_id is None or phone is None:
            return
        async with self._lock(conversation_id):
            recipient = await self.store.run(
                lambda session: read_recipient(session, conversation_id, phone)
            )
            if not recipient.template_waiting:
                await self._send_template(conversation_id, recipient)

    async def _send_free_text(self, phone: str, message: Outbound, language: str) -> Sent:
        sent = Sent("failed", error_code="empty")
        for body, image in parts(message, language, self.config.shop_url):
            media = [image] if image else None
            if not body and not media:
                continue
            sent = await self.sender.send(f"whatsapp:{phone}", body=body or None, media_url=media)
            if not sent.ok:
                break
        return sent

    async def _flush(self, conversation_id: str, language: str) -> int:
        phone = phone_of(conversation_id) or ""
        count = 0
        while True:
            claimed = await self.store.run(lambda session: _claim_pending(session, conversation_id))
            if claimed is None:
                return count
            record_id, outbound = claimed
            sent = await self._send_free_text(phone, outbound, language)
            if sent.error_code in OUTSIDE_WINDOW_CODES:
                delivery = Delivery("pending")  # the window is closed after all: keep waiting
            else:
                delivery = Delivery(sent.status, sent.sid, sent.error_code)
            await self.store.run(partial(self._update, record_id=record_id, delivery=delivery))
            if delivery.status == "pending":
                return count
            count += 1

    async def _outside_window(self, conversation_id: str, recipient: Recipient) -> Delivery:
        if not self.config.content_sid:
            return Delivery("failed", error_code="outside_window")
        if recipient.template_waiting:
            return Delivery("pending")
        sent = await self._send_template(conversation_id, recipient)
        if not sent.ok:
            return Delivery("failed", error_code=sent.error_code)
        return Delivery("pending")

    def _template_for(self, message: Outbound) -> bool:
        if message.purpose == "marketing":
            return bool(self.config.marketing_templates)
        return bool(self.config.content_sid)

    async def _marketing_outside_window(
        self, conversation_id: str, recipient: Recipient, message: Outbound
    ) -> Delivery:
        """A proactive offer: the approved marketing template in the customer's language,
        filled with the offer's facts; the offer itself waits for their answer, like any
        message outside the window. No template in their language: not sent."""
        template = self.config.marketing_templates.get(recipient.language)
        if template is None:
            return Delivery("failed", error_code="no_marketing_tpl")
        if recipient.template_waiting:
            return Delivery("pending")
        given = {
            "first_name": recipient.first_name or texts.text("name_fallback", recipient.language),
            "shop": facts(recipient.language).get("shop_name", ""),
            **message.template_facts,
        }
        sent = await self._send_template(
            conversation_id,
            recipient,
            content_sid=template.content_sid,
            variables=template.fill(given),
            purpose="marketing",
        )
        if not sent.ok:
            return Delivery("failed", error_code=sent.error_code)
        return Delivery("pending")

    async def _send_template(
        self,
        conversation_id: str,
        recipient: Recipient,
        *,
        content_sid: str | None = None,
        variables: dict[str, str] | None = None,
        purpose: str = "service",
    ) -> Sent:
        sid = content_sid or self.config.content_sid or ""
        name = recipient.first_name or texts.text("name_fallback", recipient.language)
        sent = await self.sender.send(
            f"whatsapp:{recipient.phone}",
            content_sid=sid,
            content_variables=variables if variables is not None else {"1": name},
        )
        if recipient.customer_id is not None:
            customer_id = recipient.customer_id
            await self.store.run(
                lambda session: _record_template(
                    session, customer_id, conversation_id, sid, sent, purpose
                )
            )
        return sent


def _claim_pending(session: Session, conversation_id: str) -> tuple[int, Outbound] | None:
    """Take the oldest pending message of the conversation, so no other worker sends it too."""
    for message in timeline.pending(session, conversation_id):
        claimed = session.execute(
            update(ContactMessage)
            .where(ContactMessage.id == message.id, ContactMessage.status == "pending")
            .values(status="queued", status_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            return message.id, outbound_of(message)
    return None


def _to_pending(session: Session, message_id: int) -> str | None:
    message = session.get(ContactMessage, message_id)
    if message is None or (message.payload or {}).get("kind") == "template":
        return None
    message.status, message.status_at = "pending", utcnow()
    return str(message.conversation_id)


def _record_template(
    session: Session,
    customer_id: int,
    conversation_id: str,
    content_sid: str,
    sent: Sent,
    purpose: str = "service",
) -> None:
    record = timeline.record_outbound(
        session,
        customer_id=customer_id,
        conversation_id=conversation_id,
        channel=CHANNEL,
        text=f"[template {content_sid}]",
        author="system",
        payload={"kind": "template", "template": content_sid, "purpose": purpose},
    )
    timeline.set_status(
        session, record, sent.status, provider_id=sent.sid, error_code=sent.error_code
    )

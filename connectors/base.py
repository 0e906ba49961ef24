"""What every Klantreis channel shares: one inbound pipeline and a recording output channel.

Inbound, every channel does the same, in one transaction: skip a delivery it has seen before,
resolve (channel, external id) to a customer, let the channel verify or link the identity,
and record the message on the customer's timeline. Only then is the message handed to Rasa,
so a crash afterwards loses nothing and a retried webhook is not answered twice. Once Rasa
has handled it, the message is marked `answered`; a delivery seen before whose message was
never answered (Rasa was killed while handling it) is handled when the provider resends it.

Outbound, every message Rasa (or an agent) sends is recorded first and then delivered by the
channel; the provider's id and status are written back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from sqlalchemy.orm import Session

from bot import texts
from bot.ratelimit import RateLimiter
from bot.store import identities, timeline
from bot.store.models import ChannelIdentity, utcnow
from bot.store.units import Store
from connectors.cards import read_cards

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 5000
# A resent delivery whose message was never answered is handled again within this time;
# later, an answer would come too late to help, so it is a duplicate like any other.
RETRY_WITHIN = dt.timedelta(hours=1)


class ChannelStore(Store):
    """Units of work on the customer context store, run off the event loop."""


@lru_cache(maxsize=1)
def default_store() -> ChannelStore:
    from bot.settings import Settings
    from bot.store.db import make_engine, make_session_factory

    return ChannelStore(make_session_factory(make_engine(Settings.from_env().database_url)))


class StoreBackedChannel:
    """What every Klantreis input channel holds: the store (made on first use) and a Gateway."""

    _store: ChannelStore | None = None
    _limiter: RateLimiter | None = None
    _gateway: Gateway | None = None

    @classmethod
    def name(cls) -> str:
        raise NotImplementedError

    @property
    def store(self) -> ChannelStore:
        if self._store is None:
            self._store = default_store()
        return self._store

    @property
    def gateway(self) -> Gateway:
        if self._gateway is None:
            self._gateway = Gateway(self.name(), self.store, self._limiter)
        return self._gateway


@dataclass
class Inbound:
    """One message from a customer, as the channel received it."""

    channel: str
    external_id: str
    text: str
    delivery_id: str | None = None  # the provider's id of this delivery, for deduplication
    kind: str = "text"  # text | button | media | location | sticker | contact | command …
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def conversation_id(self) -> str:
        return identities.conversation_id(self.channel, self.external_id)


@dataclass
class Received:
    """What became of an inbound message."""

    outcome: str  # accepted | duplicate | rate_limited | too_long | not_text
    who: identities.Who | None = None
    message_id: int | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome == "accepted"


Linker = Callable[[Session, ChannelIdentity], None]


class Gateway:
    """The inbound pipeline one channel instance uses."""

    def __init__(self, channel: str, store: ChannelStore, limiter: RateLimiter | None = None):
        self.channel = channel
        self.store = store
        self.limiter = limiter or RateLimiter()
        self._handling: set[str] = set()  # delivery ids this process is handling right now

    async def receive(self, inbound: Inbound, link: Linker | None = None) -> Received:
        """Deduplicate, resolve the customer, record the message; do not answer yet."""
        sender = inbound.conversation_id
        allowed = self.limiter.allow(sender)
        too_long = len(inbound.text) > MAX_TEXT_LENGTH

        def work(session: Session) -> Received:
            if inbound.delivery_id and not timeline.first_delivery(
                session, inbound.channel, inbound.delivery_id
            ):
                return self._resent(session, inbound, inbound.delivery_id)
            identity = identities.resolve(session, inbound.channel, inbound.external_id)
            if link is not None:
                link(session, identity)
            who = identities.who(session, identity)
            if too_long:
                outcome, status = "too_long", "too_long"
            elif not allowed:
                outcome, status = "rate_limited", "rate_limited"
            elif inbound.kind not in ("text", "button", "command"):
                outcome, status = "not_text", "received"
            else:
                outcome, status = "accepted", "received"
            message = timeline.record_inbound(
                session,
                customer_id=who.customer_id,
                conversation_id=sender,
                channel=inbound.channel,
                text=inbound.text[:MAX_TEXT_LENGTH],
                payload={"kind": inbound.kind, **inbound.payload},
                provider_id=inbound.delivery_id,
                status=status,
            )
            return Received(outcome, who, message.id)

        return await self.store.run(work)

    @staticmethod
    def _resent(session: Session, inbound: Inbound, delivery_id: str) -> Received:
        """A delivery seen before: a duplicate, unless its message was recorded and never
        answered, because the process handling it stopped; then it is handled now."""
        earlier = timeline.unanswered_inbound(
            session, inbound.channel, delivery_id, since=utcnow() - RETRY_WITHIN
        )
        if earlier is None:
            return Received("duplicate")
        identity = identities.resolve(session, inbound.channel, inbound.external_id)
        return Received("accepted", identities.who(session, identity), earlier.id)

    def refusal_key(self, received: Received, inbound: Inbound) -> str | None:
        """The notice to send instead of an answer, if any (a flood is told once)."""
        if received.outcome == "too_long":
            return "too_long"
        if received.outcome == "not_text":
            return "not_text"
        if received.outcome == "rate_limited":
            return "slow_down" if self.limiter.first_refusal(inbound.conversation_id) else None
        return None

    async def handle(
        self,
        inbound: Inbound,
        output: RecordingOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        *,
        input_channel: str,
        link: Linker | None = None,
    ) -> Received:
        """The whole inbound path: record, then answer politely or pass the text to Rasa."""
        key = inbound.delivery_id
        if key is not None and key in self._handling:  # resent while we are still on it
            return Received("duplicate")
        if key is not None:
            self._handling.add(key)
        try:
            return await self._handle(inbound, output, on_new_message, input_channel, link)
        finally:
            if key is not None:
                self._handling.discard(key)

    async def _handle(
        self,
        inbound: Inbound,
        output: RecordingOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        input_channel: str,
        link: Linker | None,
    ) -> Received:
        received = await self.receive(inbound, link)
        if received.outcome == "duplicate" or received.who is None:
            return received
        key = self.refusal_key(received, inbound)
        if key is not None:
            language = received.who.language
            await output.send_response(
                inbound.conversation_id, {"text": texts.text(f"notice_{key}", language)}
            )
            return received
        if received.accepted:
            await on_new_message(
                UserMessage(
                    inbound.text,
                    output,
                    inbound.conversation_id,
                    input_channel=input_channel,
                    metadata={"klantreis": {"channel": inbound.channel, "kind": inbound.kind}},
                )
            )
            message_id = received.message_id
            if message_id is not None:
                await self.store.run(lambda session: timeline.mark_answered(session, message_id))
        return received


@dataclass
class Outbound:
    """One message to a customer, whatever the channel makes of it."""

    text: str = ""
    buttons: list[dict[str, str]] = field(default_factory=list)
    image: str | None = None
    author: str = "bot"
    agent_name: str | None = None
    # Product cards (connectors/cards.py): {"type", "intro", "cards"}; `text` stays the
    # fallback for anything that draws no cards.
    product_cards: dict[str, Any] | None = None
    # "marketing" for a proactive offer (actions/marketing.py): outside WhatsApp's window it
    # needs the marketing template, filled with `template_facts` (product, price).
    purpose: str = "service"
    template_facts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_rasa(cls, message: dict[str, Any]) -> Outbound:
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", b.get("title", "")))}
            for b in (message.get("buttons") or message.get("quick_replies") or [])
            if isinstance(b, dict)
        ]
        custom = message.get("custom")
        meta = custom.get("klantreis") if isinstance(custom, dict) else None
        if not isinstance(meta, dict):
            meta = {}
        image = message.get("image")
        attachment = message.get("attachment")
        if not image and isinstance(attachment, dict) and attachment.get("type") == "image":
            image = (attachment.get("payload") or {}).get("src")
        return cls(
            text=str(message.get("text") or ""),
            buttons=buttons,
            image=str(image) if image else None,
            author="agent" if meta.get("author") == "agent" else "bot",
            agent_name=meta.get("agent_name"),
            product_cards=read_cards(custom),
            purpose="marketing" if meta.get("purpose") == "marketing" else "service",
            template_facts=_facts(meta.get("template")),
        )

    @property
    def empty(self) -> bool:
        return not (self.text or self.buttons or self.image)

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.buttons:
            data["buttons"] = self.buttons
        if self.image:
            data["image"] = self.image
        if self.agent_name:
            data["agent_name"] = self.agent_name
        if self.product_cards:
            data["product_cards"] = self.product_cards
        if self.purpose != "service":
            data["purpose"] = self.purpose
        return data


def _facts(raw: Any) -> dict[str, str]:
    """A marketing template's facts as the action gave them: plain names and values only."""
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v)[:200] for k, v in raw.items() if isinstance(v, (str, int, float))}


@dataclass
class Delivery:
    """What the channel did with an outbound message."""

    status: str  # pending (web, shopper offline) | queued | sent | failed
    provider_id: str | None = None
    error_code: str | None = None


@dataclass(frozen=True)
class Recorded:
    """The timeline entry of an outbound message, as `deliver` gets it."""

    id: int | None = None  # None: not a channel conversation (nothing to record)
    language: str | None = None  # the customer's language


class RecordingOutput(OutputChannel):
    """An output channel that records each message on the timeline before delivering it."""

    channel = "web"

    def __init__(self, store: ChannelStore):
        self.store = store

    @classmethod
    def name(cls) -> str:
        return cls.channel

    async def deliver(
        self, recipient_id: str, message: Outbound, recorded: Recorded | None = None
    ) -> Delivery:
        raise NotImplementedError

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        outbound = Outbound.from_rasa(message)
        if outbound.empty:
            return
        recorded = await self.store.run(
            lambda session: self._record(session, recipient_id, outbound)
        )
        try:
            delivery = await self.deliver(recipient_id, outbound, recorded)
        except Exception as exc:  # the provider failed: keep the message, mark it failed
            logger.warning(
                "%s: could not deliver a message to %s: %s",
                self.channel,
                recipient_id,
                exc.__class__.__name__,
            )
            delivery = Delivery("failed", error_code=exc.__class__.__name__[:20])
        record_id = recorded.id
        if record_id is not None:
            await self.store.run(lambda session: self._update(session, record_id, delivery))

    def _record(self, session: Session, recipient_id: str, outbound: Outbound) -> Recorded:
        """Put the message on the timeline. A proactive message to someone who never wrote
        (a WhatsApp number, a Telegram chat) gives them their anonymous customer now, so the
        message can wait as pending and shows up in their history."""
        parts = identities.split_conversation_id(recipient_id)
        if parts is None:
            return Recorded()
        identity = identities.resolve(session, *parts)
        customer = identities.live(session, identity.customer)
        record = timeline.record_outbound(
            session,
            customer_id=customer.id,
            conversation_id=recipient_id,
            channel=parts[0],
            text=outbound.text,
            author=outbound.author,
            payload=outbound.payload(),
        )
        return Recorded(record.id, customer.language)

    @staticmethod
    def _update(session: Session, record_id: int, delivery: Delivery) -> None:
        from bot.store.models import ContactMessage

        record = session.get(ContactMessage, record_id)
        if record is not None:
            timeline.set_status(
                session,
                record,
                delivery.status,
                provider_id=delivery.provider_id,
                error_code=delivery.error_code,
            )

    # Rasa calls send_response; these keep the classic entry points working too.
    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_response(recipient_id, {"text": text, "buttons": buttons})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"image": image})

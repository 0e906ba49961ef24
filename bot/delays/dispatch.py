"""The outbox worker: lease due messages, choose the channel, respect quiet hours and pacing,
send through Rasa (send_proactive), and mark each one sent, to_agent, refused, failed or
skipped: the dialogue's outcome, not merely Rasa's."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp
from sqlalchemy.orm import Session

from bot.delays import outbox
from bot.delays.channels import candidates
from bot.delays.pacing import reserve_slot
from bot.delays.policy import CHANNEL_ORDER, DelayPolicy
from bot.services.console.live import LiveFeed
from bot.services.console.proactive import send_proactive
from bot.services.console.rasa_api import RasaApi, RasaUnavailable
from bot.settings import Settings, inherited_environment
from bot.store import announced_notices, identities
from bot.store.delay_models import DelayEpisode, OutboxMessage
from bot.store.models import Consent, Order, utcnow
from bot.store.units import Store
from bot.suggestions.config import suggestion_config
from bot.suggestions.reach import MARKETING, marketing_candidates

logger = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 3600.0
PUSH_CHANNELS = ("whatsapp", "telegram")


class WebPresence(Protocol):
    async def online(self, session_id: str) -> bool: ...


class RasaWebPresence:
    """Asks the Rasa process, where the web chat's sockets live, whether a tab is open."""

    def __init__(self, rasa_url: str, token: str):
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token

    async def online(self, session_id: str) -> bool:
        url = f"{self.rasa_url}/webhooks/web/presence/{quote(session_id, safe='')}"
        try:
            timeout = aiohttp.ClientTimeout(total=5)
            async with (
                aiohttp.ClientSession(timeout=timeout) as client,
                client.get(url, params={"token": self.token}) as response,
            ):
                if response.status != 200:
                    return False
                return bool((await response.json()).get("online"))
        except (aiohttp.ClientError, TimeoutError, ValueError):
            return False  # unknown counts as offline: the notice is kept for the next visit


@dataclass(frozen=True)
class Plan:
    """Where one message goes, or why it does not."""

    conversations: tuple[str, ...] = ()
    skip: str = ""


@dataclass(frozen=True)
class Leased:
    """A message this worker holds, under `token`, until `until` unless it renews."""

    token: str
    message: OutboxMessage
    until: dt.datetime

    @property
    def id(self) -> int:
        return int(self.message.id)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def default_senders(settings: Settings | None = None) -> dict[str, str]:
    """One pacing key per provider sender: the WhatsApp number, the Telegram bot."""
    settings = settings or Settings.from_env()
    return {
        "whatsapp": "whatsapp:" + (settings.twilio.whatsapp_from or "default"),
        "telegram": "telegram:" + (settings.telegram.bot_token.split(":", 1)[0] or "bot"),
    }


def enabled_channels(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    """The channels Rasa serves here (credentials.yml less those without secrets): a notice
    for WhatsApp on an installation without Twilio would reach nobody."""
    from bot.rasa_config import credentials

    env = inherited_environment() if environ is None else dict(environ)
    names = " ".join(credentials(env)).lower()
    return tuple(c for c in CHANNEL_ORDER if ("webchat" if c == "web" else c) in names)


def _plan(session: Session, message_id: int, order: tuple[str, ...]) -> Plan:
    message = session.get(OutboxMessage, message_id)
    assert message is not None
    if message.episode_id is not None:
        episode = session.get(DelayEpisode, message.episode_id)
        placed = session.get(Order, episode.order_id) if episode else None
        if placed is not None and placed.status == "cancelled":
            return Plan(skip="the order was cancelled")
    if message.purpose == MARKETING and message.customer_id is not None:
        found = marketing_candidates(
            session,
            customer_id=message.customer_id,
            order=order,
            asked_in=message.conversation_id,
            now=utcnow(),
            template_languages=tuple(suggestion_config().marketing_templates),
        )
        return Plan(conversations=found.conversations, skip=found.reason)
    if message.conversation_id:
        parts = identities.split_conversation_id(message.conversation_id)
        if parts is None:
            return Plan(skip=f"{message.conversation_id!r} is not a channel conversation")
        identity = identities.find_identity(session, *parts)
        if identity is not None:
            customer = identities.live(session, identity.customer)
            withdrawn = session.query(Consent).filter_by(
                customer_id=customer.id, purpose="service", channel=parts[0], granted=False
            )
            if withdrawn.first() is not None:
                return Plan(skip=f"the customer opted out of service messages on {parts[0]}")
        return Plan(conversations=(message.conversation_id,))
    if message.customer_id is None:
        return Plan(skip="no customer and no conversation")
    found = candidates(session, customer_id=message.customer_id, order=order)
    if not found.conversations:
        return Plan(skip=found.reason)
    return Plan(conversations=found.conversations)


def refusal(session: Session, message: OutboxMessage) -> str:
    """Why the dialogue said nothing, as far as the store knows."""
    notice_id = str((message.entities or {}).get("notice_id") or "")
    if announced_notices.outcome(session, notice_id) == "refused":
        return "refused by the dialogue: the order is not this conversation's customer's"
    return "refused by the dialogue: not announced (the conversation is not on its own channel)"


@dataclass
class Dispatcher:
    """One worker. Run several (processes) at once: the outbox leases keep them apart."""

    store: Store
    rasa: RasaApi
    feed: LiveFeed
    policy: DelayPolicy
    presence: WebPresence
    worker: str = field(default_factory=worker_name)
    senders: dict[str, str] = field(default_factory=default_senders)
    channels: tuple[str, ...] = field(default_factory=enabled_channels)
    clock: Callable[[], dt.datetime] = utcnow
    sleep: Callable[[float], Any] = asyncio.sleep

    async def _claim(self, limit: int, only_id: int | None = None) -> list[Leased]:
        now = self.clock()
        token, rows = await self.store.run(
            lambda s: outbox.claim(
                s,
                worker=self.worker,
                now=now,
                limit=limit,
                only_id=only_id,
                lease_seconds=self.policy.lease_seconds,
            )
        )
        until = now + dt.timedelta(seconds=self.policy.lease_seconds)
        return [Leased(token, row, until) for row in rows]

    async def _one(self, leased: Leased) -> str:
        try:
            return await self._dispatch(leased)
        except Exception:  # a bug or the store went away: the lease runs out, retried later
            logger.exception("outbox message %s: dispatch failed; it will be retried", leased.id)
            return "error"

    async def run_once(self, *, limit: int = 0, only_id: int | None = None) -> dict[int, str]:
        """Dispatch what is due now; returns each leased message's resulting status."""
        batch = await self._claim(limit or self.policy.batch_size, only_id)
        # The batch goes out concurrently (Rasa serves many conversations at once); pacing
        # still holds, as each send waits for its own slot.
        outcomes = await asyncio.gather(*(self._one(leased) for leased in batch))
        return {leased.id: outcome for leased, outcome in zip(batch, outcomes, strict=True)}

    async def run_forever(self, stop: asyncio.Event, *, idle_seconds: float = 1.0) -> None:
        """Keep up to `batch_size` messages in flight: a slow one does not hold up the rest,
        and new ones are leased as soon as half the places are free (one lease per handful)."""
        places = max(1, self.policy.batch_size)
        flying: set[asyncio.Task[str]] = set()
        while not stop.is_set():
            free = places - len(flying)
            found = 0
            if free >= max(1, places // 2):
                try:
                    batch = await self._claim(free)
                except Exception:
                    logger.exception("outbox worker: leasing failed; trying again")
                    batch = []
                found = len(batch)
                for leased in batch:
                    task = asyncio.create_task(self._one(leased))
                    flying.add(task)
                    task.add_done_callback(flying.discard)
            if flying and (found or free < places):
                # Wait for a place (or for new rows after a short while, when idle).
                await asyncio.wait(
                    flying,
                    timeout=None if found == free else idle_seconds,
                    return_when=asyncio.FIRST_COMPLETED,
                )
            elif not found:
                with suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=idle_seconds)
        if flying:  # stopping: let the sends under way finish and be marked
            await asyncio.wait(flying)

    async def _finish(self, token: str, message_id: int, status: str, **kw: Any) -> str:
        now = self.clock()
        await self.store.run(
            lambda s: outbox.finish(
                s, message_id=message_id, token=token, status=status, now=now, **kw
            )
        )
        return status

    async def _postpone(
        self, token: str, message_id: int, until: dt.datetime, reason: str, **kw: Any
    ) -> str:
        await self.store.run(
            lambda s: outbox.postpone(
                s, message_id=message_id, token=token, until=until, reason=reason, **kw
            )
        )
        return kw.get("status", "pending")

    async def _choose(self, conversations: tuple[str, ...]) -> tuple[str, str]:
        """The first reachable conversation: a web chat only with an open tab; when only an
        offline web chat is left, it is used all the same (kept for the next visit)."""
        offline_web = ""
        for conversation in conversations:
            channel, external_id = conversation.split(":", 1)
            if channel == "web":
                if await self.presence.online(external_id):
                    return conversation, ""
                offline_web = offline_web or conversation
                continue
            return conversation, ""
        return offline_web, "kept for the customer's next web visit"

    async def _dispatch(self, leased: Leased) -> str:
        policy = self.policy
        token, message = leased.token, leased.message
        order = tuple(c for c in policy.channel_order if c in self.channels)
        plan = await self.store.run(lambda s: _plan(s, message.id, order))
        if plan.skip:
            return await self._finish(token, message.id, "skipped", reason=plan.skip)
        conversation, note = await self._choose(plan.conversations)
        channel = conversation.split(":", 1)[0]
        now = self.clock()
        if channel in PUSH_CHANNELS:
            morning = policy.quiet_until(now)
            if morning is not None:
                return await self._postpone(token, message.id, morning, "quiet hours")
        if channel in PUSH_CHANNELS and policy.per_sender_per_second > 0:
            # Spread the sends of every worker over the sender's slots, so Rasa is not handed
            # a whole batch at once; the exact cap is the channel output's (connectors/pacing.py),
            # where the message leaves, so sends under way need not wait for each other here.
            sender = self.senders.get(channel, channel)
            slot = await self.store.run(
                lambda s: reserve_slot(
                    s, sender=sender, per_second=policy.per_sender_per_second, now=self.clock()
                )
            )
            wait = (slot - self.clock()).total_seconds()
            if wait > 0:
                await self.sleep(wait)
        return await self._send(leased, conversation, note)

    async def _still_mine(self, leased: Leased) -> bool:
        """Renew the lease before sending, unless most of it is left: nobody else can have
        taken the row over before it runs out."""
        now = self.clock()
        if (leased.until - now).total_seconds() > self.policy.lease_seconds / 2:
            return True
        return await self.store.run(
            lambda s: outbox.renew(
                s,
                message_id=leased.id,
                token=leased.token,
                now=now,
                lease_seconds=self.policy.lease_seconds,
            )
        )

    async def _send(self, leased: Leased, conversation: str, note: str) -> str:
        token, message = leased.token, leased.message
        channel = conversation.split(":", 1)[0]
        if not await self._still_mine(leased):
            return "taken_over"
        try:
            outcome = await send_proactive(
                self.store, self.rasa, self.feed, conversation, message.intent, message.entities
            )
        except ValueError as exc:
            return await self._finish(token, message.id, "failed", reason=str(exc))
        except (RasaUnavailable, aiohttp.ClientError, TimeoutError, OSError) as exc:
            return await self._retry(token, message, f"{exc.__class__.__name__}: {exc}")
        if outcome == "refused":
            note = await self.store.run(lambda s: refusal(s, message))
        return await self._finish(
            token, message.id, outcome, reason=note or None, channel=channel, sent_to=conversation
        )

    async def _retry(self, token: str, message: OutboxMessage, reason: str) -> str:
        attempts = message.attempts  # this attempt included (counted by the lease)
        if attempts >= self.policy.max_attempts:
            return await self._finish(
                token, message.id, "failed", reason=f"gave up after {attempts} attempts: {reason}"
            )
        delay = min(self.policy.backoff_seconds * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS)
        until = self.clock() + dt.timedelta(seconds=delay)
        return await self._postpone(token, message.id, until, reason, count_attempt=True)

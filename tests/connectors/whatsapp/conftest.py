"""A real Sanic app serving the WhatsApp channel, a real database and the fake Twilio API.

The Rasa side is an agent that collects each UserMessage and answers through the message's
own output channel, exactly as Rasa's processor does; everything else is the real code.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import pytest
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.ratelimit import RateLimiter
from bot.store.db import make_session_factory
from bot.store.models import ChannelIdentity, ContactMessage, InboundReceipt
from connectors.base import ChannelStore
from connectors.whatsapp import WhatsAppConfig, WhatsAppInput
from tests.helpers.fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    SANDBOX_NUMBER,
    FakeTwilio,
    form_body,
    sign,
)

PUBLIC_URL = "https://bot.example.test"
SANNE = "+31612345678"
T = TypeVar("T")
Reply = Callable[[UserMessage], list[dict[str, Any]]]


def echo(message: UserMessage) -> list[dict[str, Any]]:
    return [{"text": f"Je zei: {message.text}"}]


@dataclass
class CollectingAgent:
    """Stands in for Rasa's agent: collects messages, answers via message.output_channel."""

    reply: Reply = echo
    messages: list[UserMessage] = field(default_factory=list)
    fail: bool = False

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.fail:
            raise RuntimeError("the model is not loaded")
        for response in self.reply(message):
            await message.output_channel.send_response(message.sender_id, response)

    @property
    def texts(self) -> list[str]:
        return [m.text or "" for m in self.messages]


@dataclass
class Harness:
    channel: WhatsAppInput
    agent: CollectingAgent
    twilio: FakeTwilio
    store: ChannelStore
    base_url: str
    http: httpx.AsyncClient

    def url(self, path: str) -> str:
        return f"{self.base_url}/webhooks/whatsapp{path}"

    def signed_url(self, path: str) -> str:
        public = self.channel.config.public_url or self.base_url
        return f"{public}/webhooks/whatsapp{path}"

    async def post(
        self,
        path: str,
        form: dict[str, str],
        *,
        token: str = AUTH_TOKEN,
        signed_for: dict[str, str] | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        body: bytes | str | None = None,
        signed_url: str | None = None,
    ) -> httpx.Response:
        """POST `form` like Twilio: form-encoded, signed with `token` (over `signed_for`)."""
        if signature is None:
            signature = sign(token, signed_url or self.signed_url(path), signed_for or form)
        sent_headers = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}
        if signature:
            sent_headers["X-Twilio-Signature"] = signature
        sent_headers.update(headers or {})
        return await self.http.post(
            self.url(path),
            content=form_body(form) if body is None else body,
            headers=sent_headers,
        )

    async def message(self, form: dict[str, str], **kwargs: Any) -> httpx.Response:
        return await self.post("/webhook", form, **kwargs)

    async def status(self, form: dict[str, str], **kwargs: Any) -> httpx.Response:
        return await self.post("/status", form, **kwargs)

    def query(self, work: Callable[[Session], T]) -> T:
        with self.store.unit() as session:
            return work(session)

    def counts(self) -> tuple[int, int, int]:
        """(timeline messages, inbound receipts, channel identities): all must stay put when a
        request is refused."""

        def count(session: Session) -> tuple[int, int, int]:
            return (
                session.scalar(select(func.count(ContactMessage.id))) or 0,
                session.scalar(select(func.count(InboundReceipt.id))) or 0,
                session.scalar(select(func.count(ChannelIdentity.id))) or 0,
            )

        return self.query(count)

    def timeline(self, conversation_id: str = f"whatsapp:{SANNE}") -> list[ContactMessage]:
        def rows(session: Session) -> list[ContactMessage]:
            found = list(
                session.scalars(
                    select(ContactMessage)
                    .where(ContactMessage.conversation_id == conversation_id)
                    .order_by(ContactMessage.id)
                )
            )
            session.expunge_all()
            return found

        return self.query(rows)


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def store(demo_engine: Engine) -> ChannelStore:
    return ChannelStore(make_session_factory(demo_engine))


def make_config(twilio: FakeTwilio, **overrides: Any) -> WhatsAppConfig:
    values: dict[str, Any] = {
        "account_sid": ACCOUNT_SID,
        "auth_token": AUTH_TOKEN,
        "whatsapp_from": SANDBOX_NUMBER,
        "public_url": PUBLIC_URL,
        "api_base": twilio.base_url,
    }
    values.update(overrides)
    return WhatsAppConfig(**values)


Start = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def start(twilio: FakeTwilio, store: ChannelStore) -> AsyncIterator[Start]:
    """start(**config overrides, limiter=…, reply=…) → a Harness on a running Sanic server."""
    servers: list[Any] = []
    clients: list[httpx.AsyncClient] = []

    async def start_app(
        *, limiter: RateLimiter | None = None, reply: Reply = echo, **overrides: Any
    ) -> Harness:
        channel = WhatsAppInput(
            make_config(twilio, **overrides),
            store=store,
            limiter=limiter,
            status_retry_delay=0,
        )
        agent = CollectingAgent(reply=reply)
        # Sanic rewrites some of its own methods at start-up ("touchup"); doing that a second
        # time in one process only works in test mode (what sanic-testing sets, too).
        Sanic.test_mode = True
        app = Sanic(f"whatsapp_test_{uuid.uuid4().hex[:12]}")
        app.ctx.agent = agent
        register([channel], app, route="/webhooks/")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
        assert server is not None
        await server.startup()
        await server.after_start()
        servers.append(server)
        http = httpx.AsyncClient(timeout=30)
        clients.append(http)
        base = f"http://127.0.0.1:{port}"
        return Harness(channel, agent, twilio, store, base, http)

    yield start_app
    for http in clients:
        await http.aclose()
    for server in servers:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()

"""The Telegram channel mounted in a real Sanic app, served over HTTP, with a real database
(the demo shop) and the real PTB Bot talking to a local fake Bot API.

Rasa itself is replaced by `FakeAgent`: like `rasa.core.agent.Agent.handle_message`, it takes
each UserMessage and answers through `message.output_channel`; everything else is our code.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.ratelimit import RateLimiter
from bot.store.db import make_engine, make_session_factory
from bot.store.models import ChannelIdentity, ContactMessage, Customer
from connectors.base import ChannelStore
from connectors.telegram import TelegramConfig, TelegramInput
from connectors.telegram.config import quiet_http_loggers, redact_logs
from tests.connectors.telegram.factory import Updates
from tests.helpers.demo import make_demo_store
from tests.helpers.fake_telegram import FakeTelegram

KEY = b"telegram-test-signing-key"
SECRET = "webhook-Secret_for-tests-0123"
SANNE_CHAT = 5550101
OTHER_CHAT = 5550202
Reply = Callable[[UserMessage], list[dict[str, Any]]]


def greet_or_echo(message: UserMessage) -> list[dict[str, Any]]:
    if message.text == "/greet":
        return [{"text": "Hoi! Waarmee kan ik je helpen?"}]
    return [{"text": f"Je schreef: {message.text}"}]


@dataclass
class FakeAgent:
    """Stands in for Rasa: collects messages, answers through the message's output channel."""

    reply: Reply = greet_or_echo
    messages: list[UserMessage] = field(default_factory=list)
    fail: bool = False
    stop: bool = False  # the turn never ends, as when Rasa is killed while on it

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.fail:
            raise RuntimeError("the dialogue model broke")
        if self.stop:
            raise asyncio.CancelledError
        for answer in self.reply(message):
            await message.output_channel.send_response(message.sender_id, answer)

    @property
    def texts(self) -> list[str]:
        return [m.text or "" for m in self.messages]


def make_config(fake: FakeTelegram, **overrides: Any) -> TelegramConfig:
    values: dict[str, Any] = {
        "token": fake.token,
        "webhook_secret": SECRET,
        "mode": "webhook",
        "public_url": "https://bot.example.nl",
        "api_base": fake.base_url,
        "bot_username": "TrekPeddelBot",
        "token_key": KEY,
    }
    values.update(overrides)
    return TelegramConfig(**values)


@dataclass
class Served:
    """A running app with the channel; `post` sends an update like Telegram does."""

    channel: TelegramInput
    agent: FakeAgent
    fake: FakeTelegram
    store: ChannelStore
    url: str
    client: httpx.AsyncClient
    updates: Updates

    async def post(
        self, update: Any, *, secret: str | None = SECRET, raw: bytes | None = None
    ) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        if raw is not None:
            return await self.client.post(f"{self.url}/webhook", content=raw, headers=headers)
        return await self.client.post(f"{self.url}/webhook", json=update, headers=headers)

    async def query(self, work: Callable[[Session], Any]) -> Any:
        return await self.store.run(work)

    async def timeline(self, chat_id: int) -> list[ContactMessage]:
        def rows(session: Session) -> list[ContactMessage]:
            found = session.scalars(
                select(ContactMessage)
                .where(ContactMessage.conversation_id == f"telegram:{chat_id}")
                .order_by(ContactMessage.id)
            ).all()
            session.expunge_all()
            return list(found)

        return await self.store.run(rows)

    async def identity(self, chat_id: int) -> tuple[ChannelIdentity | None, Customer | None]:
        def find(session: Session) -> tuple[ChannelIdentity | None, Customer | None]:
            identity = session.scalars(
                select(ChannelIdentity).where(
                    ChannelIdentity.channel == "telegram",
                    ChannelIdentity.external_id == str(chat_id),
                )
            ).first()
            customer = session.get(Customer, identity.customer_id) if identity else None
            session.expunge_all()
            return identity, customer

        return await self.store.run(find)

    async def count(self, model: Any) -> int:
        return await self.store.run(
            lambda session: session.scalar(select(func.count()).select_from(model))
        )


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        server.add_chat(SANNE_CHAT, "Sanne")
        server.add_chat(OTHER_CHAT, "Fleur")
        yield server


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop in SQLite, built once; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("telegram-demo") / "demo.db"
    make_demo_store(f"sqlite:///{path}")
    return path


@pytest.fixture
def store(database_url: str, sqlite_demo_template: Path) -> Iterator[ChannelStore]:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        shutil.copyfile(sqlite_demo_template, url.database)
    else:
        make_demo_store(database_url)
    engine = make_engine(database_url)
    yield ChannelStore(make_session_factory(engine))
    engine.dispose()


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture
def channel_options() -> dict[str, Any]:
    """Overridden by a test module for other settings (polling, a tight rate limit…)."""
    return {}


@pytest.fixture
async def served(
    fake: FakeTelegram, store: ChannelStore, channel_options: dict[str, Any]
) -> AsyncIterator[Served]:
    options = dict(channel_options)
    config = make_config(fake, **options.pop("config", {}))
    # What from_credentials does in the Rasa process before it builds the channel.
    quiet_http_loggers()
    redact_logs(config.token, config.webhook_secret)
    channel = TelegramInput(
        config=config,
        store=store,
        limiter=options.pop("limiter", RateLimiter(burst=50, per_second=50)),
        **options,
    )
    agent = FakeAgent()
    # Several apps in one process (what sanic-testing does): Sanic then keeps its original
    # methods instead of rewriting them once per app start.
    Sanic.test_mode = True
    app = Sanic(f"telegram_test_{uuid.uuid4().hex[:8]}")
    app.config.MOTD = False
    app.ctx.agent = agent  # what rasa's register() hands each message to
    register([channel], app, route="/webhooks/")
    sock = free_socket()
    port = sock.getsockname()[1]
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()  # create_server() is already listening
    async with httpx.AsyncClient(timeout=20) as client:
        yield Served(
            channel=channel,
            agent=agent,
            fake=fake,
            store=store,
            url=f"http://127.0.0.1:{port}/webhooks/telegram",
            client=client,
            updates=Updates(),
        )
    await server.before_stop()
    await server.close()
    await server.after_stop()
    sock.close()

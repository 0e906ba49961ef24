"""The REST channel: malformed bodies get a clear 400, production can switch it off or guard
it with a token. Served by a real Sanic app; the agent answers like Rasa's processor does."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from bot.rasa_config import credentials
from bot.settings import PROJECT_ROOT
from connectors.rest import RestInput

Serve = Callable[..., Awaitable[str]]


class EchoAgent:
    """Stands in for Rasa's agent: answers through the message's own output channel."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []
        self.fail = False

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.fail:
            raise ValueError("the tracker store could not take this")
        await message.output_channel.send_text_message(message.sender_id, f"Je zei: {message.text}")


@pytest.fixture
def agent() -> EchoAgent:
    return EchoAgent()


@pytest.fixture
async def serve(agent: EchoAgent) -> AsyncIterator[Serve]:
    servers: list[Any] = []

    async def start(channel: RestInput) -> str:
        Sanic.test_mode = True
        app = Sanic(f"rest_test_{uuid.uuid4().hex[:12]}")
        app.ctx.agent = agent
        register([channel], app, route="/webhooks/")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
        assert server is not None
        await server.startup()
        await server.after_start()
        servers.append(server)
        return f"http://127.0.0.1:{sock.getsockname()[1]}/webhooks/rest/webhook"

    yield start
    for server in servers:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()


BAD_BODIES = [
    (b'{"sender": "\\ud98d", "message": "hoi"}', "sender", "invalid Unicode"),  # issue #15
    (b"[]", "body", "not an array"),
    (b"null", "body", "not null"),
    (b"{not json", "body", "not valid JSON"),
    (b'{"sender": 5, "message": "hoi"}', "sender", "must be a string"),
    (b'{"sender": ["a"], "message": "hoi"}', "sender", "must be a string"),
    (b'{"sender": "a", "message": {"text": "hoi"}}', "message", "must be a string"),
    (b'{"sender": "a"}', "message", "must be a string"),
    (b'{"sender": "a", "message": "hoi", "metadata": []}', "metadata", "must be an object"),
    (b'{"sender": "a", "message": "' + b"x" * 70_000 + b'"}', "body", "larger than"),
]


@pytest.mark.parametrize(("body", "field", "problem"), BAD_BODIES)
async def test_a_malformed_body_is_a_clear_400_and_never_reaches_rasa(
    serve: Serve, agent: EchoAgent, body: bytes, field: str, problem: str
) -> None:
    url = await serve(RestInput())
    async with httpx.AsyncClient() as http:
        answer = await http.post(url, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["field"] == field and problem in answer.json()["message"]
    assert agent.messages == []


async def test_a_good_message_is_answered_with_text_repaired_and_its_own_sender(
    serve: Serve, agent: EchoAgent
) -> None:
    url = await serve(RestInput())
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            url,
            content=b'{"sender": "whatsapp:+31612345678", "message": "hoi\\u0000 \\udc00"}',
            headers={"Content-Type": "application/json"},
        )
    assert answer.status_code == 200
    assert answer.json() == [
        {"recipient_id": "rest:whatsapp:+31612345678", "text": "Je zei: hoi \ufffd"}
    ]
    assert agent.messages[0].input_channel == "rest"


async def test_a_message_over_5000_characters_gets_the_polite_too_long_notice(
    serve: Serve, agent: EchoAgent
) -> None:
    url = await serve(RestInput())
    async with httpx.AsyncClient() as http:
        answer = await http.post(url, json={"sender": "sanne", "message": "lang " * 1200})
    assert answer.status_code == 200
    assert answer.json()[0]["text"].startswith("Dat bericht is te lang voor mij.")
    assert agent.messages == []


async def test_a_failure_behind_the_channel_gets_a_polite_answer(
    serve: Serve, agent: EchoAgent
) -> None:
    agent.fail = True
    url = await serve(RestInput())
    async with httpx.AsyncClient() as http:
        answer = await http.post(url, json={"sender": "sanne", "message": "hoi"})
    assert answer.status_code == 200
    assert answer.json()[0]["text"].startswith("Sorry, daar ging bij mij iets mis")


async def test_with_a_token_only_a_caller_who_has_it_is_answered(
    serve: Serve, agent: EchoAgent
) -> None:
    url = await serve(RestInput(token="een-lang-geheim"))
    body = {"sender": "sanne", "message": "hoi"}
    async with httpx.AsyncClient() as http:
        for headers in ({}, {"Authorization": "Bearer fout"}, {"Authorization": "een-lang-geheim"}):
            answer = await http.post(url, json=body, headers=headers)
            assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
        assert agent.messages == []
        answer = await http.post(
            url, json=body, headers={"Authorization": "Bearer een-lang-geheim"}
        )
    assert answer.status_code == 200 and answer.json()[0]["text"] == "Je zei: hoi"


def test_the_token_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLANTREIS_REST_TOKEN", "s3cret")
    channel = RestInput.from_credentials(None)
    assert isinstance(channel, RestInput) and channel.token == "s3cret"
    monkeypatch.delenv("KLANTREIS_REST_TOKEN")
    assert RestInput.from_credentials(None).token is None  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false", "no"])
def test_production_can_switch_the_channel_off(value: str) -> None:
    source: Path = PROJECT_ROOT / "credentials.yml"
    assert "connectors.rest.RestInput" in credentials({}, source)
    assert "connectors.rest.RestInput" in credentials({"KLANTREIS_REST": "on"}, source)
    assert "connectors.rest.RestInput" not in credentials({"KLANTREIS_REST": value}, source)
    assert "connectors.webchat.WebChatInput" in credentials({"KLANTREIS_REST": value}, source)

"""No request can take the bot down (issue #15), against the real processes with every
channel on: the issue's own request, the requests the full fuzz run found, then a few hundred
fuzzed inputs (bench/fuzz)."""

from __future__ import annotations

import asyncio
import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio
from sqlalchemy import text

from bench.fuzz import run
from bench.fuzz.rasa_api import ROUTES
from bench.fuzz.world import World, fuzz_world
from bot.rasa_api import SWITCHED_OFF
from bot.store.db import make_engine
from tests.helpers.demo import make_demo_store
from tests.helpers.stack import require_model, test_settings

pytestmark = pytest.mark.stack

OFFSET = 1300  # Rasa 6405, actions 6455, web 9400 (plus KLANTREIS_TEST_PORT_SHIFT)
SUBSET = {
    "rest": 80,
    "webchat": 40,
    "whatsapp_webhook": 50,
    "whatsapp_status": 20,
    "telegram_webhook": 50,
    "console_api": 50,
    "carrier_webhook": 40,
    "rasa_api": 60,
    "import_files": 30,
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp("robustness")
    settings = test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), OFFSET)
    require_model(settings)
    with fuzz_world(settings) as started:
        yield started


def raw_post(url: str, body: bytes) -> tuple[int, bytes]:
    """POST the bytes exactly as given (the issue's request is raw JSON with an escape)."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request(
            "POST", "/webhooks/rest/webhook", body, {"Content-Type": "application/json"}
        )
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_the_request_from_the_issue_is_refused_and_the_bot_carries_on(world: World) -> None:
    status, body = raw_post(world.stack.rasa_url, b'{"sender": "\\ud98d", "message": "hoi"}')
    assert status == 400 and b"sender" in body
    assert world.alive() == []

    asked = world.rest("na-15", "waar is mijn bestelling 10452?")
    answered = world.rest("na-15", "3572 BK")
    assert "postcode" in asked[0]["text"].lower()
    assert "10452" in answered[0]["text"] and "PostNL" in answered[0]["text"]
    # The conversation is in the SQL store (Rasa falls back to memory if our class won't load).
    engine = make_engine(world.settings.database_url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                text("SELECT count(*) FROM events WHERE sender_id = 'rest:na-15'")
            ).scalar()
    finally:
        engine.dispose()
    assert stored and stored > 4


def test_a_few_hundred_fuzzed_inputs_on_every_endpoint_break_nothing(
    world: World, tmp_path: Path
) -> None:
    imports = make_demo_store(f"sqlite:///{tmp_path / 'imports.db'}")
    result = run(world, SUBSET, seed=7, import_url=imports)
    summary = {name: (e["statuses"], e["examples"]) for name, e in result["endpoints"].items()}
    assert result["failures"] == 0, summary
    assert result["exited_processes"] == []
    assert result["refused_but_stored"] == {}
    assert result["conversation_afterwards"] == {"rest": True, "webchat": True}
    assert result["inputs"] == sum(SUBSET.values())


def test_a_session_request_behind_two_long_events_is_answered(world: World) -> None:
    """Inputs 922 to 924 of the full run (seed 15): python-socketio packs the three into one
    polling POST of 72 KB. With a 64 KiB limit engine.io refused the POST and closed the
    connection, so the session_request in it was never answered. Now one POST may hold 1 MB."""

    async def send() -> tuple[object, list[str]]:
        client = socketio.AsyncClient(reconnection=False)
        confirmed: list[str] = []
        client.on("session_confirm", confirmed.append)
        await client.connect(world.stack.rasa_url, transports=["polling"], wait_timeout=20)
        try:
            await client.emit("message", {"message": "/start" * 5001, "session_id": f"{922:032x}"})
            await client.emit(
                "klantreis_x",
                {
                    "message": '/order_status{"order_number": "10452"}' * 1000,
                    "session_id": f"{923:032x}",
                },
            )
            ack = await client.call(
                "session_request",
                {
                    "session_id": "10452",
                    "customData": {
                        "waar retour hello nee": [[], 1.5, 1.5],
                        "\U00089ce6\U0003e23b\U00085538\U000d8d2f\U0006f166": True,
                    },
                },
                timeout=30,
            )
            for _ in range(50):
                if confirmed:
                    break
                await asyncio.sleep(0.1)
            return ack, confirmed
        finally:
            await client.disconnect()

    ack, confirmed = asyncio.run(send())
    assert ack is None  # the handler returned: python-socketio acknowledged it
    assert len(confirmed) == 1 and len(confirmed[0]) == 32  # "10452" is not ours: a new session


def api(world: World, method: str, path: str, token: str | None, body: object = None) -> int:
    query = f"?token={token}" if token is not None else ""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{world.stack.rasa_url}{path}{query}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def test_rasas_api_needs_the_token_and_its_admin_routes_are_off(world: World) -> None:
    token = world.stack.rasa_token
    for method, route in sorted(set(ROUTES)):
        path = route.replace("{id}", "rest:na-api")
        if route in ("/", "/version"):
            assert api(world, method, path, None) == 200, route
            continue
        body = {} if method in ("POST", "PUT") else None
        expected = 403 if (method, route) in SWITCHED_OFF else 401
        assert api(world, method, path, None, body) == expected, (method, route)
        assert api(world, method, path, token + "x", body) == expected, (method, route)
    for method, route in SWITCHED_OFF:
        assert api(world, method, route, token, {}) == 403, (method, route)
    # With the token: what made Rasa answer 500 is a 400, what Klantreis sends still works.
    assert api(world, "POST", "/conversations/rest:na-api/trigger_intent", token, "x") == 400
    assert api(world, "POST", "/conversations/%00/messages", token, {"text": "hoi"}) == 400
    assert api(world, "POST", "/model/parse", token, {"text": "hoi"}) == 200
    assert api(world, "GET", "/conversations/rest:na-api/tracker", token) == 200

"""No request can take the bot down (issue #15), against the real processes with every
channel on: the issue's own request, then a few hundred fuzzed inputs (bench/fuzz)."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bench.fuzz import run
from bench.fuzz.world import World, fuzz_world
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

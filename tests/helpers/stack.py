"""Run the real bot (Rasa server + action server) for a test, on its own ports and database."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from bot.stack import Stack, StackError, latest_model, running_stack

# Several checkouts on one machine (worktrees) run their suites side by side: each sets its own
# KLANTREIS_TEST_PORT_SHIFT so that their real processes do not fight over ports.
PORT_SHIFT = int(os.environ.get("KLANTREIS_TEST_PORT_SHIFT", "0"))


def test_settings(tmp_path: Path, database_url: str, offset: int = 0) -> Settings:
    offset += PORT_SHIFT
    return Settings(
        runtime_dir=tmp_path / "runtime",
        database_url=database_url,
        rasa_port=5105 + offset,
        action_port=5155 + offset,
        web_port=8100 + offset,
        models_dir=Settings.from_env().models_dir,
    )


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def require_model(settings: Settings) -> Path:
    try:
        return latest_model(settings.models_dir)
    except StackError as exc:
        pytest.fail(f"{exc} (make test trains it first)")


@contextmanager
def live_bot(tmp_path: Path, database_url: str) -> Iterator[Stack]:
    settings = test_settings(tmp_path, database_url)
    require_model(settings)
    with running_stack(settings) as stack:
        yield stack


def send(stack: Stack, sender: str, message: str) -> list[dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())

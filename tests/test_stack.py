"""Smoke test: the real Rasa server and action server, as processes, answer over REST."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.stack import live_bot, send

pytestmark = pytest.mark.stack

BAD_INPUT = ["", "   ", "🙂🙂🙂", "<script>alert(1)</script>", "'; DROP TABLE orders; --", "x" * 10_000]


def test_bot_answers_over_rest_with_the_database_in_the_loop(tmp_path: Path, sqlite_demo_url: str) -> None:
    with live_bot(tmp_path, sqlite_demo_url) as stack:
        greeting = send(stack, "smoke", "hoi")
        assert "Trek & Peddel" in greeting[0]["text"]

        send(stack, "smoke", "waar is mijn bestelling 10452?")
        status = send(stack, "smoke", "3572 BK")
        assert "10452" in status[0]["text"] and "PostNL" in status[0]["text"]

        english = send(stack, "smoke-en", "how much is the Veloce Aero 3?")
        assert english[0]["text"].startswith("Veloce Aero 3 costs €")

        for text in BAD_INPUT:
            replies = send(stack, "smoke-bad", text)
            assert replies and all(r.get("text") for r in replies), text
        log = (tmp_path / "runtime" / "logs" / "actions.log").read_text()
        assert "Traceback" not in log and "Exception" not in log

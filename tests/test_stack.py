"""Smoke test: the real Rasa server and action server, as processes, answer over REST."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.demo import BAD_INPUT, make_demo_store
from tests.helpers.stack import live_bot, send

pytestmark = pytest.mark.stack


def test_bot_answers_over_rest_with_the_database_in_the_loop(
    tmp_path: Path, sqlite_demo_url: str
) -> None:
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


@pytest.mark.postgres
def test_postgres_holds_customers_and_conversations(tmp_path: Path, postgres_url: str) -> None:
    """DATABASE_URL=postgresql://…: the action server and Rasa's tracker store share it."""
    from sqlalchemy import text

    from bot.store.db import make_engine
    from tests.conftest import _reset_postgres

    _reset_postgres(postgres_url)
    make_demo_store(postgres_url)
    engine = make_engine(postgres_url)
    with live_bot(tmp_path, postgres_url) as stack:
        send(stack, "pg-customer", "ik wil bestelling 10475 annuleren, postcode 3572 BK")
        assert "is geannuleerd" in send(stack, "pg-customer", "ja")[0]["text"]
    with engine.connect() as connection:
        status = connection.execute(text("SELECT status FROM orders WHERE order_number = '10475'"))
        assert status.scalar() == "cancelled"
        events = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = 'rest:pg-customer'")
        ).scalar()
        assert events and events > 5
    engine.dispose()

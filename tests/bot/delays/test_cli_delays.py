"""`klantreis delays scan` and `klantreis import` find the demo shop's late parcel once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.store.db import make_engine
from bot.store.delay_models import OutboxMessage
from tests.bot.test_cli import klantreis
from tests.helpers.demo import make_demo_store


def test_the_scan_finds_a_delay_once_and_queues_its_notice(tmp_path: Path) -> None:
    url = make_demo_store(f"sqlite:///{tmp_path / 'demo.db'}")

    first = klantreis("delays", "scan", database_url=url, tmp_path=tmp_path)
    again = klantreis("delays", "scan", database_url=url, tmp_path=tmp_path)

    assert first.returncode == 0, first.stderr
    assert "Delay scan:" in first.stdout and "0 new delay(s)" not in first.stdout
    assert again.returncode == 0 and "0 new delay(s), 0 update(s)" in again.stdout
    engine = make_engine(url)
    with engine.connect() as connection:
        orders = connection.execute(select(OutboxMessage.entities)).scalars().all()
    engine.dispose()
    assert "10452" in {entities["order_number"] for entities in orders}  # Sanne's late parcel


def test_notify_refuses_what_is_not_a_channel_conversation(tmp_path: Path) -> None:
    url = make_demo_store(f"sqlite:///{tmp_path / 'demo.db'}")
    result = klantreis("notify", "sanne", "greet", database_url=url, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "is not a channel conversation" in result.stderr and "Traceback" not in result.stderr

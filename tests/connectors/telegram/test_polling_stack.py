"""Polling mode against the real bot: how `make run` works locally without a public URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.stack import running_stack
from tests.connectors.telegram.factory import Updates
from tests.helpers.demo import make_demo_store
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.stack import require_model, test_settings

pytestmark = pytest.mark.stack

CHAT = 7101


@pytest.fixture(scope="module")
def fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeTelegram]:
    tmp: Path = tmp_path_factory.mktemp("telegram-polling")
    settings = test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=1100)
    require_model(settings)
    with FakeTelegram() as server:
        server.add_chat(CHAT)
        env = {
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_MODE": "polling",
            "TELEGRAM_API_BASE": server.base_url,
        }
        with running_stack(settings, extra_env=env):
            yield server


def test_updates_fetched_by_polling_get_real_answers(fake: FakeTelegram) -> None:
    updates = Updates()
    fake.queue_update(updates.text(CHAT, "waar is mijn bestelling?"))
    fake.wait_for("sendMessage", 1, timeout=30)
    assert "bestelnummer" in fake.sent_texts(CHAT)[-1]
    fake.queue_update(updates.text(CHAT, "10452"))
    fake.wait_for("sendMessage", 2, timeout=30)
    assert "postcode" in fake.sent_texts(CHAT)[-1]
    assert fake.calls_to("setWebhook") == []  # polling never registers a webhook

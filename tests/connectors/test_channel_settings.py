"""Channels take their configuration from credentials.yml and Settings, in from_credentials
only; building a channel never reads the environment nor changes global logging."""

from __future__ import annotations

import logging

import pytest

from connectors.telegram import TelegramConfig, TelegramInput
from connectors.whatsapp import WhatsAppInput


def test_whatsapp_needs_its_config_object() -> None:
    with pytest.raises(TypeError):
        WhatsAppInput()  # type: ignore[call-arg]  # no fallback to the environment


def test_telegram_from_credentials_uses_its_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:abcdefghijklmnop")
    monkeypatch.delenv("TELEGRAM_MODE", raising=False)
    monkeypatch.delenv("KLANTREIS_PUBLIC_URL", raising=False)
    channel = TelegramInput.from_credentials(
        {"requires": ["TELEGRAM_BOT_TOKEN"], "public_url": "https://bot.example.nl"}
    )
    assert isinstance(channel, TelegramInput)
    assert channel.config.mode == "webhook"
    assert channel.config.webhook_url == "https://bot.example.nl/webhooks/telegram/webhook"
    monkeypatch.setenv("TELEGRAM_MODE", "polling")  # the environment wins
    channel = TelegramInput.from_credentials({"mode": "webhook"})
    assert isinstance(channel, TelegramInput) and channel.config.mode == "polling"


def test_building_a_telegram_channel_leaves_logging_alone() -> None:
    httpx = logging.getLogger("httpx")
    before = httpx.level
    httpx.setLevel(logging.DEBUG)
    try:
        config = TelegramConfig(token="123456:abcdefghijklmnop", webhook_secret="s")
        TelegramInput(config=config)
        assert httpx.level == logging.DEBUG
    finally:
        httpx.setLevel(before)

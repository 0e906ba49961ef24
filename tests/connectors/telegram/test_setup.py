"""Settings from the environment, deep-link tokens, and registering the webhook with Telegram."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterator

import pytest

from connectors.telegram import (
    TelegramConfig,
    TelegramConfigError,
    deep_link,
    register_webhook,
    sign_start_token,
    verify_start_token,
    webhook_setup,
)
from connectors.telegram.config import derived_webhook_secret
from tests.helpers.fake_telegram import TOKEN, FakeTelegram

KEY = b"deep-link-key"
ENV = {"TELEGRAM_BOT_TOKEN": TOKEN, "KLANTREIS_TOKEN_KEY": "k"}


# --- configuration ------------------------------------------------------------------------


def test_polling_without_a_public_url_webhook_with_one() -> None:
    assert TelegramConfig.from_env(ENV).mode == "polling"
    config = TelegramConfig.from_env({**ENV, "KLANTREIS_PUBLIC_URL": "https://bot.example.nl/"})
    assert config.mode == "webhook"
    assert config.webhook_url == "https://bot.example.nl/webhooks/telegram/webhook"
    assert TelegramConfig.from_env({**ENV, "TELEGRAM_MODE": "Polling"}).mode == "polling"


def test_settings_come_from_the_environment() -> None:
    config = TelegramConfig.from_env(
        {
            **ENV,
            "TELEGRAM_WEBHOOK_SECRET": "my_secret-1",
            "TELEGRAM_API_BASE": "http://127.0.0.1:9/bot",
            "TELEGRAM_BOT_USERNAME": "@TrekPeddelBot",
            "KLANTREIS_TOKEN_KEY": "sleutel",
        }
    )
    assert config.webhook_secret == "my_secret-1"
    assert config.api_base == "http://127.0.0.1:9/bot"
    assert config.bot_username == "TrekPeddelBot"
    assert config.token_key == b"sleutel"


@pytest.mark.parametrize(
    "environ, complaint",
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({**ENV, "TELEGRAM_MODE": "push"}, "TELEGRAM_MODE"),
        ({**ENV, "TELEGRAM_WEBHOOK_SECRET": "with spaces!"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({**ENV, "TELEGRAM_BOT_USERNAME": "no such name"}, "TELEGRAM_BOT_USERNAME"),
    ],
)
def test_bad_settings_say_which_variable(environ: dict[str, str], complaint: str) -> None:
    with pytest.raises(TelegramConfigError, match=complaint) as raised:
        TelegramConfig.from_env(environ)
    assert TOKEN not in str(raised.value)


def test_without_a_configured_secret_one_is_derived_from_the_token() -> None:
    config = TelegramConfig.from_env(ENV)
    assert config.webhook_secret == derived_webhook_secret(TOKEN)
    assert config.webhook_secret != derived_webhook_secret(TOKEN + "x")
    assert TOKEN not in config.webhook_secret and len(config.webhook_secret) >= 40


def test_the_config_never_shows_its_secrets() -> None:
    config = TelegramConfig.from_env({**ENV, "TELEGRAM_WEBHOOK_SECRET": "s3cr3t"})
    shown = repr(config) + str(config)
    assert TOKEN not in shown and "s3cr3t" not in shown
    assert config.redact(f"POST https://x/bot{TOKEN}/getMe") == "POST https://x/bot<redacted>/getMe"


# --- deep-link tokens ---------------------------------------------------------------------


def test_a_deep_link_token_fits_telegrams_start_parameter() -> None:
    for ref in ("C1001", "X" * 32, "klant-ü-42"):
        token = sign_start_token(ref, KEY)
        assert len(token) <= 64
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        assert verify_start_token(token, KEY) == ref
    with pytest.raises(ValueError):
        sign_start_token("X" * 33, KEY)
    with pytest.raises(ValueError):
        sign_start_token("C1001", b"")


def test_a_deep_link_token_is_refused_when_tampered_expired_or_foreign() -> None:
    now = time.time()
    token = sign_start_token("C1001", KEY, ttl_seconds=600, now=now)
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    for position in range(len(raw)):  # any changed byte: ref, expiry or signature
        changed = bytearray(raw)
        changed[position] ^= 0x01
        forged = base64.urlsafe_b64encode(bytes(changed)).rstrip(b"=").decode()
        assert verify_start_token(forged, KEY, now=now) is None, position
    assert verify_start_token(token, b"other key", now=now) is None
    assert verify_start_token(token, KEY, now=now + 600 + 31) is None
    assert verify_start_token(token, KEY, now=now + 599) == "C1001"
    assert verify_start_token(token, b"", now=now) is None
    for junk in (None, 42, "", "a" * 65, "with space", token + "="):
        assert verify_start_token(junk, KEY) is None


def test_deep_link_is_a_t_me_link_to_the_bot() -> None:
    link = deep_link("@TrekPeddelBot", "C1001", KEY, ttl=300)
    prefix = "https://t.me/TrekPeddelBot?start="
    assert link.startswith(prefix)
    assert verify_start_token(link[len(prefix) :], KEY) == "C1001"
    with pytest.raises(ValueError):
        deep_link("not a bot", "C1001", KEY)


# --- the webhook at Telegram --------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


def webhook_env(fake: FakeTelegram) -> dict[str, str]:
    return {
        **ENV,
        "TELEGRAM_API_BASE": fake.base_url,
        "TELEGRAM_WEBHOOK_SECRET": "hook-secret",
        "KLANTREIS_PUBLIC_URL": "https://bot.trekenpeddel.example",
    }


async def test_register_webhook_sets_url_secret_and_update_types(fake: FakeTelegram) -> None:
    config = TelegramConfig.from_env(webhook_env(fake))

    url = await register_webhook(config)

    assert url == "https://bot.trekenpeddel.example/webhooks/telegram/webhook"
    [call] = fake.calls_to("setWebhook")
    assert call["url"] == url
    assert call["secret_token"] == "hook-secret"
    assert call["allowed_updates"] == ["message", "callback_query"]


async def test_register_webhook_needs_a_public_url(fake: FakeTelegram) -> None:
    environ = webhook_env(fake)
    del environ["KLANTREIS_PUBLIC_URL"]
    with pytest.raises(TelegramConfigError, match="KLANTREIS_PUBLIC_URL"):
        await register_webhook(TelegramConfig.from_env(environ))
    assert fake.calls == []


def test_setup_from_env_registers_only_in_webhook_mode(fake: FakeTelegram) -> None:
    environ = webhook_env(fake)
    assert webhook_setup.setup_from_env({**environ, "TELEGRAM_MODE": "polling"}) is None
    assert webhook_setup.setup_from_env({"KLANTREIS_PUBLIC_URL": "https://x"}) is None
    assert fake.calls == []

    line = webhook_setup.setup_from_env(environ)

    assert line is not None and "webhooks/telegram/webhook" in line and TOKEN not in line
    assert len(fake.calls_to("setWebhook")) == 1


def test_the_command_prints_what_it_did_and_never_the_token(
    fake: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for name, value in webhook_env(fake).items():
        monkeypatch.setenv(name, value)

    assert webhook_setup.main([]) == 0
    assert webhook_setup.main(["--info"]) == 0
    assert webhook_setup.main(["--delete"]) == 0
    fake.fail("setWebhook", 400, "Bad Request: bad webhook: Failed to resolve host")
    assert webhook_setup.main([]) == 1
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:wrong")
    assert webhook_setup.main(["--info"]) == 1

    out, err = capsys.readouterr()
    assert "Telegram webhook set: https://bot.trekenpeddel.example/webhooks/telegram/webhook" in out
    assert "Webhook URL: https://bot.trekenpeddel.example/webhooks/telegram/webhook" in out
    assert "Telegram webhook removed" in out
    assert "failed to resolve host" in err and "Unauthorized" in err
    for secret in (TOKEN, "123:wrong", "hook-secret"):
        assert secret not in out + err + caplog.text
    assert [c.method for c in fake.calls][:3] == ["setWebhook", "getWebhookInfo", "deleteWebhook"]

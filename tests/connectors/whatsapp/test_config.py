"""Settings from the environment (and non-secret options from credentials.yml)."""

from __future__ import annotations

import logging

import pytest
from rasa.core.channels.channel import InputChannel

from connectors.whatsapp import ConfigError, WhatsAppConfig, WhatsAppInput
from tests.helpers.fake_twilio import ACCOUNT_SID, AUTH_TOKEN

ENV = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN}


def test_everything_from_the_environment() -> None:
    config = WhatsAppConfig.from_env(
        {
            **ENV,
            "TWILIO_WHATSAPP_FROM": "+14155238886",
            "TWILIO_CONTENT_SID": "HX123",
            "KLANTREIS_PUBLIC_URL": "https://bot.example.nl/",
            "KLANTREIS_TRUST_PROXY": "1",
            "TWILIO_API_BASE": "http://127.0.0.1:9999",
        }
    )
    assert config.whatsapp_from == "whatsapp:+14155238886"
    assert config.content_sid == "HX123" and config.trust_proxy
    assert config.status_callback() == "https://bot.example.nl/webhooks/whatsapp/status"
    assert config.api_base == "http://127.0.0.1:9999"


def test_the_environment_wins_over_credentials_options_and_secrets_there_are_ignored(
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = WhatsAppConfig.from_env(
        {**ENV, "TWILIO_WHATSAPP_FROM": "whatsapp:+31850000000"},
        options={
            "whatsapp_from": "whatsapp:+14155238886",
            "messaging_service_sid": "MG1",
            "auth_token": "from-the-yml",
            "public_url": "https://bot.example.nl",
        },
    )
    assert config.whatsapp_from == "whatsapp:+31850000000"
    assert config.messaging_service_sid == "MG1"
    assert config.auth_token == AUTH_TOKEN
    assert config.public_url == "https://bot.example.nl"
    assert "ignoring auth_token" in caplog.text and "from-the-yml" not in caplog.text


@pytest.mark.parametrize("missing", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"])
def test_missing_secrets_are_named(missing: str) -> None:
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        WhatsAppConfig.from_env(env)


def test_a_bad_public_url_is_refused() -> None:
    with pytest.raises(ConfigError, match="KLANTREIS_PUBLIC_URL"):
        WhatsAppConfig.from_env({**ENV, "KLANTREIS_PUBLIC_URL": "bot.example.nl"})


def test_no_sender_is_an_error_in_the_log_not_a_crash(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        config = WhatsAppConfig.from_env(ENV)
    assert not config.can_send and "TWILIO_WHATSAPP_FROM" in caplog.text


def test_the_repr_hides_the_secrets() -> None:
    config = WhatsAppConfig.from_env(ENV)
    assert AUTH_TOKEN not in repr(config) and ACCOUNT_SID not in repr(config)
    assert "auth_token='***'" in repr(config)


def test_rasa_builds_the_channel_from_credentials_yml(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886")
    channel = WhatsAppInput.from_credentials(
        {"requires": ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"], "public_url": "https://x.nl"}
    )
    assert isinstance(channel, InputChannel) and isinstance(channel, WhatsAppInput)
    assert channel.name() == "whatsapp" and channel.url_prefix() == "whatsapp"
    assert channel.config.public_url == "https://x.nl"

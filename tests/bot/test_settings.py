"""Settings: every variable read in one place, and a wrong value names itself and the fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings, SettingsError, rasa_token, token_key


def test_defaults_need_no_environment() -> None:
    settings = Settings.from_env({})
    assert (settings.rasa_port, settings.action_port, settings.web_port) == (5005, 5055, 8000)
    assert settings.database_url.startswith("sqlite:///") and settings.demo_logins
    assert settings.trust_proxy is None and not settings.secure_cookies
    assert settings.retailer_file == PROJECT_ROOT / "config" / "retailer.yml"


def test_channel_values_are_read_here() -> None:
    settings = Settings.from_env(
        {
            "TWILIO_ACCOUNT_SID": "AC1",
            "TWILIO_AUTH_TOKEN": "geheim",
            "TWILIO_CONTENT_SID": " HX1 ",
            "TELEGRAM_BOT_TOKEN": "1:abc",
            "TELEGRAM_MODE": "Webhook",
            "TELEGRAM_BOT_USERNAME": "@TrekPeddelBot",
            "KLANTREIS_PUBLIC_URL": "https://bot.example.nl/",
            "KLANTREIS_SHOP_URL": " https://shop.example.nl/ ",
            "KLANTREIS_SECURE_COOKIES": "yes",
            "KLANTREIS_DEMO": "0",
        }
    )
    assert settings.twilio.content_sid == "HX1" and settings.twilio.auth_token == "geheim"
    assert settings.telegram.mode == "webhook"
    assert settings.telegram.bot_username == "TrekPeddelBot"
    assert settings.public_url == "https://bot.example.nl"
    assert settings.shop_url == "https://shop.example.nl"
    assert settings.secure_cookies and not settings.demo_logins
    assert "geheim" not in repr(settings) and "1:abc" not in repr(settings)


@pytest.mark.parametrize(
    "environ, variable, advice",
    [
        ({"KLANTREIS_RASA_PORT": "rasa"}, "KLANTREIS_RASA_PORT", "port number from 1 to 65535"),
        ({"KLANTREIS_WEB_PORT": "70000"}, "KLANTREIS_WEB_PORT", "port number from 1 to 65535"),
        ({"KLANTREIS_DEMO": "misschien"}, "KLANTREIS_DEMO", "must be 1 or 0"),
        ({"KLANTREIS_SHOP_URL": "shop.example.nl"}, "KLANTREIS_SHOP_URL", "http(s) address"),
        ({"KLANTREIS_TRUST_PROXY": "2"}, "KLANTREIS_TRUST_PROXY", "must be 1 or 0"),
        ({"KLANTREIS_RETAILER_FILE": "/nowhere.yml"}, "KLANTREIS_RETAILER_FILE", "set it to"),
    ],
)
def test_a_wrong_value_names_the_variable_and_what_to_set(
    environ: dict[str, str], variable: str, advice: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(environ)
    assert variable in str(raised.value) and advice in str(raised.value)


def test_the_command_line_says_it_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "migrate"],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(PROJECT_ROOT),
            "KLANTREIS_ACTION_PORT": "x",
        },
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2
    assert "KLANTREIS_ACTION_PORT must be a port number" in result.stderr
    assert "Traceback" not in result.stderr


def test_secrets_come_from_settings_or_are_made_once(tmp_path: Path) -> None:
    configured = Settings(runtime_dir=tmp_path, token_key="sleutel", rasa_token="r")
    assert token_key(configured) == b"sleutel" and rasa_token(configured) == "r"
    generated = Settings(runtime_dir=tmp_path)
    assert token_key(generated) == token_key(generated) != b""
    assert len(rasa_token(generated)) == 64


def test_rasas_inherited_socket_follows_systemds_protocol_and_ours() -> None:
    import os

    pid = str(os.getpid())
    assert Settings.from_env({}).rasa_listen_fd is None
    assert Settings.from_env({"LISTEN_FDS": "1", "LISTEN_PID": pid}).rasa_listen_fd == 3
    # Meant for another process (systemd sets the pid of the one it started): not ours.
    assert Settings.from_env({"LISTEN_FDS": "1", "LISTEN_PID": "1"}).rasa_listen_fd is None
    assert Settings.from_env({"KLANTREIS_RASA_LISTEN_FD": "7"}).rasa_listen_fd == 7
    with pytest.raises(SettingsError, match="KLANTREIS_RASA_LISTEN_FD"):
        Settings.from_env({"KLANTREIS_RASA_LISTEN_FD": "seven"})
    with pytest.raises(SettingsError, match="LISTEN_FDS"):
        Settings.from_env({"LISTEN_FDS": "2", "LISTEN_PID": pid})

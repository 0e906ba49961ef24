"""The demo page's log-ins: tokens signed as a shop backend would, and a switch to turn off."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot import tokens
from bot.services.demo import demo_customers
from bot.settings import Settings, token_key


def test_demo_log_ins_carry_valid_tokens_and_can_be_turned_off(
    tmp_path: Path, sqlite_demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(runtime_dir=tmp_path / "runtime", database_url=sqlite_demo_url)
    logins = demo_customers(settings)
    assert [c["ref"] for c in logins] == ["C1001", "C1002", "C1003"]
    assert logins[0]["name"] == "Sanne de Vries"
    assert tokens.verify(logins[0]["token"], token_key(settings)) == "C1001"
    monkeypatch.setenv("KLANTREIS_DEMO", "0")
    settings = dataclasses.replace(settings, demo_logins=Settings.from_env().demo_logins)
    assert demo_customers(settings) == []

"""Every reply exists in Dutch and English, with the same variables and buttons."""

from __future__ import annotations

import string

import pytest
import yaml

from actions.replies import ReplyError, catalogue, render
from bot.settings import PROJECT_ROOT


def variables(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_reply_is_bilingual(key: str) -> None:
    entry = catalogue()[key]
    assert entry["nl"].strip() and entry["en"].strip()
    assert variables(entry["nl"]) == variables(entry["en"]), key
    for button in entry.get("buttons", []):
        assert {"nl", "en", "payload_nl", "payload_en"} <= set(button)


def test_domain_responses_have_an_english_variation() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    for name, variations in domain["responses"].items():
        english = [v for v in variations if v.get("condition")]
        dutch = [v for v in variations if not v.get("condition")]
        assert english and dutch, name
        assert english[0]["condition"] == [{"type": "slot", "name": "language", "value": "en"}]


def test_missing_variable_is_a_clear_error() -> None:
    with pytest.raises(ReplyError, match="needs variable 'order_number'"):
        render("order_status_cancelled", "nl")
    with pytest.raises(ReplyError, match="no reply called"):
        render("nope", "en")


def test_render_picks_language_and_buttons() -> None:
    message = render(
        "ask_confirm_cancel", "en", order_number="10475", items="socks", total="€24.95"
    )
    assert message["text"].startswith("Are you sure")
    assert [b["title"] for b in message["buttons"]] == ["Yes", "No"]

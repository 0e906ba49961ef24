"""Every text exists in every language, with the same variables and buttons; one renderer."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml

from bot.language import LANGUAGES
from bot.settings import PROJECT_ROOT
from bot.texts import FILES, ReplyError, catalogue, render, text, word
from bot.texts.facts import facts


def variables(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_reply_is_bilingual(key: str) -> None:
    entry = catalogue()[key]
    assert all(entry[language].strip() for language in LANGUAGES), key
    assert len({frozenset(variables(entry[language])) for language in LANGUAGES}) == 1, key
    for button in entry.get("buttons", []):
        assert {*LANGUAGES, *(f"payload_{language}" for language in LANGUAGES)} <= set(button)


def test_every_domain_response_has_its_text_in_the_catalogue() -> None:
    """domain.yml only names the responses; the NLG endpoint answers from bot/texts."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    for name in domain["responses"]:
        assert name in catalogue(), name
        for language in LANGUAGES:
            assert render(name, language)["text"], (name, language)


def test_every_variable_a_text_takes_from_the_retailer_is_known() -> None:
    known = set(facts("nl"))
    for key, entry in catalogue().items():
        if key.startswith("utter_"):  # domain responses get no variables but the facts
            assert variables(entry["nl"]) <= known, key


def test_a_key_in_two_files_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.texts as texts

    for name in FILES:
        (tmp_path / name).write_text("same:\n  nl: a\n  en: b\n", encoding="utf-8")
    monkeypatch.setattr(texts, "CATALOGUE_DIR", tmp_path)
    texts.catalogue.cache_clear()
    try:
        with pytest.raises(ReplyError, match="'same' is in bot/texts/"):
            texts.catalogue()
    finally:
        monkeypatch.undo()
        texts.catalogue.cache_clear()


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


def test_an_unknown_language_gets_the_default() -> None:
    assert text("agent_label", "de") == text("agent_label", None) == "klantenservice"
    assert text("agent_label", "en") == "customer service"


def test_a_value_without_a_word_is_shown_as_it_is() -> None:
    assert word("order_state_cancelled", "en", "cancelled!") == "cancelled"
    assert word("order_state_on_hold", "nl", "on_hold") == "on_hold"

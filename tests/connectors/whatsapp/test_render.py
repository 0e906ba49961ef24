"""Rich Rasa messages as plain WhatsApp text, and numbers typed back."""

from __future__ import annotations

import pytest

from connectors.base import Outbound
from connectors.whatsapp.render import MAX_BODY, choice_number, render, split_body, utf16_length

BUTTONS = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nee", "payload": "/deny"}]


def test_buttons_become_numbered_options_with_a_hint_in_the_language() -> None:
    message = Outbound(text="Annuleren?", buttons=BUTTONS)
    assert render(message, "nl") == "Annuleren?\n\n1. Ja\n2. Nee\n\nAntwoord met het nummer."
    assert render(message, "en") == "Annuleren?\n\n1. Ja\n2. Nee\n\nReply with the number."
    assert render(Outbound(buttons=BUTTONS), None) == "1. Ja\n2. Nee\n\nAntwoord met het nummer."


@pytest.mark.parametrize(
    ("typed", "number"),
    [("2", 2), ("2.", 2), (" 2 ", 2), ("2)", 2), ("\n1\n", 1), ("12", 12)],
)
def test_a_typed_number_picks_an_option(typed: str, number: int) -> None:
    assert choice_number(typed) == number


@pytest.mark.parametrize("typed", ["", "0", "twee", "2 stuks", "10452", "1.5", "-1", "#2"])
def test_other_text_is_no_choice(typed: str) -> None:
    assert choice_number(typed) is None


def test_long_text_is_split_at_natural_breaks_under_the_limit() -> None:
    sentence = "Dit is een zin over de retourvoorwaarden van Trek & Peddel. "
    text = sentence * 80  # one paragraph of about 4,800 characters
    parts = split_body(text)
    assert len(parts) == 4
    assert all(utf16_length(p) <= MAX_BODY for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == text.strip()


def test_emoji_count_double_and_a_word_without_breaks_is_cut_hard() -> None:
    parts = split_body("🚲" * 1000)
    assert [utf16_length(p) for p in parts] == [1600, 400]
    assert split_body("x" * 3500) == ["x" * 1600, "x" * 1600, "x" * 300]
    assert split_body("kort") == ["kort"] and split_body("") == []


def test_agent_messages_say_who_writes() -> None:
    named = Outbound(text="Ik kijk even mee.", author="agent", agent_name="Eva")
    assert render(named, "nl") == "Eva (klantenservice): Ik kijk even mee."
    assert render(Outbound(text="On it.", author="agent"), "en") == "Customer service: On it."

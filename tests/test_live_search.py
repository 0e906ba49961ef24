"""Search and advice against the real running bot (Rasa + action server + database) over REST,
in both languages: what the shopper reads and the buttons they can press."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.stack import Stack
from tests.helpers.demo import make_demo_store
from tests.helpers.stack import live_bot, send

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("live-search")
    with live_bot(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}")) as stack:
        yield stack


def reply(bot: Stack, sender: str, text: str) -> dict[str, Any]:
    (message,) = [m for m in send(bot, sender, text) if m.get("text")]
    return message


def test_a_category_asks_how_many_people_and_the_button_answers(bot: Stack) -> None:
    question = reply(bot, "s1", "welke tenten hebben jullie?")
    assert question["text"] == "Ik heb 4 tenten voor je. Voor hoeveel personen zoek je er een?"
    button = next(b for b in question["buttons"] if b["title"] == "2-persoons")
    answer = reply(bot, "s1", button["payload"])
    assert answer["text"].startswith("Dit past bij wat je zoekt:")
    assert "Wadden Duo 2 tent" in answer["text"] and "2-persoons" in answer["text"]


def test_trail_shoes_in_a_size_in_english(bot: Stack) -> None:
    answer = reply(bot, "s2", "do you have trail shoes in size 44?")
    assert "Veloce Trailblazer GTX" in answer["text"]
    assert "in stock in size 44" in answer["text"]


def test_advice_for_a_beginner_runner(bot: Stack) -> None:
    """#13: this gave socks, a shirt and a vest."""
    answer = reply(bot, "s3", "wat raden jullie aan voor een beginnende hardloper?")
    assert answer["text"].startswith("Als beginner wil je vooral een goed gedempte")
    assert "Noorderlicht Stride 2" in answer["text"] and "sokken" not in answer["text"]
    english = reply(bot, "s4", "what would you recommend for a beginner runner?")
    assert english["text"].startswith("As a beginner you mainly want")


def test_we_do_not_sell_laptops_or_bikes(bot: Stack) -> None:
    english = reply(bot, "s5", "do you sell laptops?")
    assert english["text"].startswith("Sorry, we don't sell laptops.")
    dutch = reply(bot, "s6", "verkopen jullie fietsen?")
    assert dutch["text"].startswith("Fietsen verkopen we niet, sorry.")


def test_buying_questions_the_classifier_may_call_off_topic(bot: Stack) -> None:
    """Whether the NLU reads these as a product question or as off-topic, the shopper gets an
    answer about the range (action_out_of_scope searches a short message naming a category)."""
    kayak = reply(bot, "s7", "kan ik een kajak kopen")
    assert kayak["text"].startswith("Kajak verkopen we niet, sorry."), kayak["text"]
    tent = reply(bot, "s8", "waar koop ik een tent voor 4 personen")
    assert "Wadden Familie 4" in tent["text"], tent["text"]
    alarm = reply(bot, "s9", "zet een wekker om 7 uur")
    assert "kajak" not in alarm["text"].lower() and "tent" not in alarm["text"].lower()

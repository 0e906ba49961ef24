"""Conversations against the real running bot (Rasa + action server + database), checking
what the customer reads, in both languages."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from bot.stack import Stack
from bot.texts import catalogue
from tests.helpers.demo import BAD_INPUT, make_demo_store
from tests.helpers.stack import live_bot, send

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("live")
    with live_bot(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}")) as stack:
        stack.log_dir = tmp / "runtime" / "logs"  # type: ignore[attr-defined]
        yield stack


def say(bot: Stack, sender: str, text: str) -> str:
    return "\n".join(m.get("text") or "" for m in send(bot, sender, text))


def test_status_then_language_switch(bot: Stack) -> None:
    assert "bestelnummer" in say(bot, "c1", "waar blijft mijn bestelling?")
    assert "postcode" in say(bot, "c1", "10452")
    reply = say(bot, "c1", "3572bk")
    assert "later dan beloofd" in reply and "PostNL" in reply
    assert "You're welcome" in say(bot, "c1", "thank you so much, that's all I needed")
    english = say(bot, "c1", "can you tell me again where my order is?")
    assert "running late" in english


def test_unclear_short_word_keeps_the_language(bot: Stack) -> None:
    assert "costs" in say(bot, "c2", "how much is the Veloce Aero 3?")
    assert "size 42" in say(bot, "c2", "42?")


def test_verification_fails_three_times_then_stops(bot: Stack) -> None:
    say(bot, "c3", "waar is mijn pakket")
    for number in ("10452", "10453", "10454"):
        say(bot, "c3", number)
        reply = say(bot, "c3", "1234 AB")
    assert "stop ik nu met vragen" in reply
    assert "Trailblazer" not in reply


def test_someone_elses_order_is_never_shown(bot: Stack) -> None:
    say(bot, "c4", "where is order 10453?")
    reply = say(bot, "c4", "3572 BK")  # Sanne's postcode, Fleur's order
    assert "can't find that combination" in reply
    assert "DPD" not in reply and "tent" not in reply.lower()


def test_cancel_an_unshipped_order(bot: Stack) -> None:
    say(bot, "c5", "ik wil bestelling 10475 annuleren")
    assert "Weet je zeker" in say(bot, "c5", "3572 BK")
    assert "is geannuleerd" in say(bot, "c5", "ja")
    assert "geannuleerd" in say(bot, "c5", "waar is bestelling 10475?")


def test_return_with_a_code(bot: Stack) -> None:
    say(bot, "c6", "ik wil mijn sokken retourneren, bestelling 10447 postcode 3572 BK")
    reply = say(bot, "c6", "past niet")
    assert "retourcode is RT-" in reply


def test_change_address_before_shipping(bot: Stack) -> None:
    say(bot, "c7", "I need to change the delivery address for order 10472")
    assert "What would you like to change" in say(bot, "c7", "7314 AJ")
    assert "Which address" in say(bot, "c7", "different address")
    assert "Oudegracht 12, 3511 AB Utrecht" in say(bot, "c7", "Oudegracht 12, 3511 AB Utrecht")


def test_product_questions(bot: Stack) -> None:
    assert "Welke bedoel je?" in say(bot, "c8", "wat kost de storm jas?")
    assert "Zo verhouden ze zich" in say(bot, "c8", "verschil tussen de Aero 3 en de Tempo Glide?")
    assert "uitverkocht" in say(bot, "c8", "is de Trailblazer GTX in maat 39 op voorraad?")


def test_bad_input_gets_polite_answers_and_no_errors(bot: Stack) -> None:
    for text in BAD_INPUT:
        assert say(bot, "c9", text).strip(), repr(text[:20])
    log = (bot.log_dir / "actions.log").read_text()  # type: ignore[attr-defined]
    assert "Traceback" not in log


def parse(bot: Stack, text: str) -> dict[str, Any]:
    request = urllib.request.Request(
        bot.api_url("/model/parse"),
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_refund_status_after_verification(bot: Stack) -> None:
    assert "bestelnummer" in say(bot, "r1", "wanneer krijg ik mijn geld terug?")
    assert "postcode" in say(bot, "r1", "10445")
    reply = say(bot, "r1", "3021 GR")
    assert "199,95" in reply and "teruggestort via Klarna" in reply
    assert "hooguit 3 werkdagen" in reply


def test_refund_of_someone_else_is_never_shown(bot: Stack) -> None:
    say(bot, "r2", "where is my refund for order 10445?")
    reply = say(bot, "r2", "3572 BK")  # Sanne's postcode, Lotte's order
    assert "can't find that combination" in reply and "Klarna" not in reply


def test_overdue_refund_gets_a_person(bot: Stack) -> None:
    reply = say(bot, "r3", "my refund for order 10444 isn't showing up, postcode 6524 DK")
    assert "taking too long" in reply and "139.95" in reply
    assert "030 123 45 67" in reply  # REST has no channel identity: the contact details


def test_refund_policy_and_small_talk_in_a_form(bot: Stack) -> None:
    assert "verzendkosten terug" in say(bot, "r4", "in welke gevallen krijg ik mijn geld terug?")
    assert "bestelnummer" in say(bot, "r4", "waar blijft mijn terugbetaling")
    reply = say(bot, "r4", "bedankt")
    assert "Graag gedaan" in reply and "'laat maar'" in reply and "bestelnummer" in reply


def test_every_did_you_mean_button_is_understood(bot: Stack) -> None:
    """The buttons of "Bedoel je…?" send plain sentences: each must reach its own intent."""
    for key, entry in catalogue().items():
        if not key.startswith("choice_"):
            continue
        wanted = key.removeprefix("choice_")
        for language in ("nl", "en"):
            (button,) = entry["buttons"]
            result = parse(bot, button[f"payload_{language}"])
            intent = result["intent"]["name"]
            if wanted.startswith("faq_"):
                topic = result["response_selector"]["faq"]["response"]["intent_response_key"]
                assert (intent, topic) == ("faq", wanted.replace("faq_", "faq/", 1)), button
            else:
                assert intent == wanted, button


def test_invoice_review_account_and_payment_questions_get_their_answer(bot: Stack) -> None:
    """These used to start a return ("I need an invoice"), a complaint or a refund."""
    answers = {
        "I need an invoice for order 10452": "My account",
        "ik wil een review schrijven over mijn tent": "Schrijf een review",
        "I forgot my password": "Forgot password",
        "mijn betaling is mislukt": "andere betaalmethode",
    }
    for sender, (text, expected) in enumerate(answers.items()):
        assert expected in say(bot, f"faq{sender}", text), text

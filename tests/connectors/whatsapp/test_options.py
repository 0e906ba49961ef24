"""Buttons become numbered options; a bare number answers them, also after a restart."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import UserMessage

from tests.connectors.whatsapp.conftest import SANNE, Start
from tests.helpers.fake_twilio import incoming_message

JAMES = "+31667812345"  # C1006, English


def ask_yes_no(message: UserMessage) -> list[dict[str, Any]]:
    if message.text in ("/affirm", "/deny"):
        return [{"text": f"Ok: {message.text}"}]
    return [
        {
            "text": "Weet je zeker dat je bestelling 10475 wilt annuleren?",
            "buttons": [
                {"title": "Ja", "payload": "/affirm"},
                {"title": "Nee", "payload": "/deny"},
            ],
        }
    ]


async def test_buttons_are_sent_as_numbered_options_with_a_hint(start: Start) -> None:
    harness = await start(reply=ask_yes_no)
    await harness.message(incoming_message(SANNE, "annuleer 10475"))
    assert harness.twilio.bodies() == [
        "Weet je zeker dat je bestelling 10475 wilt annuleren?\n\n"
        "1. Ja\n2. Nee\n\nAntwoord met het nummer."
    ]


async def test_the_hint_is_in_the_customers_language(start: Start) -> None:
    harness = await start(reply=ask_yes_no)
    await harness.message(incoming_message(JAMES, "cancel 10475"))
    assert harness.twilio.bodies()[0].endswith("1. Ja\n2. Nee\n\nReply with the number.")


async def test_a_bare_number_answers_the_latest_options(start: Start) -> None:
    harness = await start(reply=ask_yes_no)
    await harness.message(incoming_message(SANNE, "annuleer 10475"))
    for typed in ("2", " 1 ", "2."):
        await harness.message(incoming_message(SANNE, typed))
        await harness.message(incoming_message(SANNE, "annuleer 10475"))  # ask again
    assert harness.agent.texts[1::2] == ["/deny", "/affirm", "/deny"]
    answer = [m for m in harness.timeline() if m.direction == "in"][1]
    assert answer.payload == {"kind": "button", "typed": "2", "button_title": "Nee"}


async def test_a_number_that_is_no_option_stays_text(start: Start) -> None:
    harness = await start(reply=ask_yes_no)
    await harness.message(incoming_message(SANNE, "3"))  # no options asked yet
    await harness.message(incoming_message(SANNE, "annuleer 10475"))
    await harness.message(incoming_message(SANNE, "7"))
    await harness.message(incoming_message(SANNE, "2 stuks"))
    assert harness.agent.texts == ["3", "annuleer 10475", "7", "2 stuks"]


async def test_the_options_are_remembered_across_a_restart(start: Start) -> None:
    before = await start(reply=ask_yes_no)
    await before.message(incoming_message(SANNE, "annuleer 10475"))
    after = await start(reply=ask_yes_no)  # a new process: nothing in memory, same database
    await after.message(incoming_message(SANNE, "1"))
    assert after.agent.texts == ["/affirm"]
    assert after.twilio.bodies()[-1] == "Ok: /affirm"

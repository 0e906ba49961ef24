"""The NLG endpoint: domain responses rendered from bot/texts in the conversation's language."""

from __future__ import annotations

from actions.nlg import response_for
from bot.texts import render


def request(name: object, language: str | None = "nl") -> dict[str, object]:
    return {"response": name, "arguments": {}, "tracker": {"slots": {"language": language}}}


def test_a_response_comes_in_the_conversations_language() -> None:
    message, status = response_for(request("utter_faq/opening_hours", "en"))
    assert status == 200
    assert message["text"].startswith("Our customer service team is available Monday to Friday")
    message, status = response_for(request("utter_out_of_scope", "nl"))
    assert status == 200 and message == render("utter_out_of_scope", "nl")
    assert [b["payload"] for b in message["buttons"]][0] == "Waar is mijn bestelling?"


def test_an_unknown_or_missing_language_gets_dutch() -> None:
    assert (
        response_for(request("utter_ok", None))[0]["text"]
        == "Oké! Waar kan ik je verder mee helpen?"
    )
    assert response_for({"response": "utter_ok"})[0]["text"].startswith("Oké!")


def test_bad_requests_get_a_clear_4xx() -> None:
    assert response_for(None)[1] == 400
    assert response_for({"tracker": {}})[1] == 400
    assert response_for(request("utter_nope"))[1] == 404
    assert response_for(request("greet"))[1] == 404  # only responses, not the actions' replies

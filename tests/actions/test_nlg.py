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


def test_off_topic_to_the_classifier_but_a_thing_we_do_not_sell(store: str) -> None:
    """'Do you guys sell X?' may be classified out of scope; it still asks about our range."""

    def asked(text: str, language: str) -> dict[str, object]:
        body = request("utter_out_of_scope", language)
        body["tracker"] = {"slots": {"language": language}, "latest_message": {"text": text}}
        return body

    message, status = response_for(asked("any chance you sell sushi?", "en"))
    assert status == 200 and message["text"].startswith("Sorry, we don't sell sushi.")
    message, _ = response_for(asked("verkopen jullie ook stofzuigers", "nl"))
    assert message["text"].startswith("Stofzuigers verkopen we niet")
    message, _ = response_for(asked("wat is de beste pizzeria in Utrecht?", "nl"))
    assert message == render("utter_out_of_scope", "nl")  # asks for no thing to buy
    for chat in ("heb je zin in een biertje?", "kan ik hier pinnen?"):  # nothing to buy
        assert response_for(asked(chat, "nl"))[0] == render("utter_out_of_scope", "nl")
    message, _ = response_for(asked("do you sell tents?", "en"))
    assert message == render("utter_out_of_scope", "en")  # ours: never "we don't sell"

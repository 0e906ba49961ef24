"""Product conversations against the real running bot (Rasa + action server + demo store), over
the REST channel, in both languages: follow-ups, comparison and reviews, including the
transcripts at the top of #13."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.stack import Stack
from tests.helpers.demo import make_demo_store
from tests.helpers.stack import live_bot, send

pytestmark = pytest.mark.stack

WHICH = ("Over welk product", "Which product is your question about")
SHIPPING = ("verzend", "shipping", "delivery")


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("products")
    with live_bot(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}")) as stack:
        yield stack


def say(bot: Stack, sender: str, text: str) -> str:
    return "\n".join(m.get("text") or "" for m in send(bot, sender, text))


def messages(bot: Stack, sender: str, text: str) -> list[dict[str, Any]]:
    return send(bot, sender, text)


def no_which(reply: str) -> bool:
    return not any(phrase in reply for phrase in WHICH)


def test_colours_and_something_cheaper_after_price_and_size_nl(bot: Stack) -> None:
    """#13: after the Aero 3's price and size, "welke kleuren?" asked which product, and "heb je
    ook iets goedkopers?" got the Aero 3's stock list."""
    assert "149,95" in say(bot, "p1", "hoeveel kost de Veloce Aero 3?")
    assert "maat 43 is op voorraad" in say(bot, "p1", "is die er in maat 43?")
    assert say(bot, "p1", "welke kleuren?") == "Veloce Aero 3 is er in: zwart/oranje."
    cheaper = say(bot, "p1", "heb je ook iets goedkopers?")
    assert "Goedkoper dan de Veloce Aero 3" in cheaper and "op voorraad in" not in cheaper
    assert "Kustlijn Daily Trainer" in cheaper
    assert "Noorderlicht Stride 2 kost" in say(bot, "p1", "de eerste")


def test_colours_and_something_cheaper_en(bot: Stack) -> None:
    assert "149.95" in say(bot, "p2", "how much is the Veloce Aero 3?")
    assert say(bot, "p2", "which colours?") == "Veloce Aero 3 comes in: zwart/oranje."
    cheaper = say(bot, "p2", "do you have anything cheaper?")
    assert "Cheaper than the Veloce Aero 3" in cheaper and "is in stock in" not in cheaper
    assert "Kustlijn Daily Trainer costs €89.95" in say(bot, "p2", "I'll go for the cheapest one")


def test_compare_it_with_a_named_product_then_reviews_en(bot: Stack) -> None:
    """#13: "compare it with the Trailblazer GTX" described only the Trailblazer, and "what do
    other people say about it" asked which product."""
    say(bot, "p3", "how much is the Veloce Tempo Glide?")
    comparison = say(bot, "p3", "compare it with the Trailblazer GTX")
    assert "Veloce Tempo Glide ↔ Veloce Trailblazer GTX" in comparison
    assert "• price: €169.95 ↔ €164.95" in comparison and "is for anyone who" in comparison
    reviews = say(bot, "p3", "what do other people say about it")
    assert no_which(reviews) and "out of 5 from 3 reviews" in reviews
    assert "Great grip" in reviews  # the English review only


def test_compare_and_reviews_nl(bot: Stack) -> None:
    say(bot, "p4", "wat kost de Tempo Glide")
    comparison = say(bot, "p4", "vergelijk hem met de Trailblazer GTX")
    assert "Veloce Tempo Glide ↔ Veloce Trailblazer GTX" in comparison
    assert "• waterdicht: - ↔ ja" in comparison and "is er voor wie" in comparison
    reviews = say(bot, "p4", "wat vinden anderen ervan?")
    assert "Veloce Trailblazer GTX scoort gemiddeld 4,4 van 5 uit 3 reviews." in reviews
    assert "droge voeten" in reviews and "Great grip" not in reviews


def test_the_difference_between_two_named_products(bot: Stack) -> None:
    nl = say(bot, "p5", "wat is het verschil tussen de Aero 3 en de Tempo Glide?")
    assert "Veloce Aero 3 ↔ Veloce Tempo Glide" in nl and "• gewicht: 245 g ↔ 230 g" in nl
    en = say(bot, "p6", "what's the difference between the Aero 3 and the Tempo Glide?")
    assert "• weight: 245 g ↔ 230 g" in en


def test_a_word_of_one_products_name_picks_it(bot: Stack) -> None:
    """'Storm jacket' names two; 'for women' is a word of one's own name, so no 'which one?'
    and the follow-up is about it."""
    price = say(bot, "p5c", "how much is the storm jacket for women")
    assert "199.95" in price and "Which" not in price, price
    reviews = say(bot, "p5c", "any reviews?")
    assert "4.5" in reviews and "Which" not in reviews, reviews


def test_one_name_for_the_two_products_to_compare(bot: Stack) -> None:
    """'Storm jas' names the men's and the women's jacket: asked to compare, both are weighed."""
    nl = say(bot, "p5b", "storm jas heren vs dames, wat is het verschil")
    assert "480 g" in nl and "420 g" in nl and "Welke bedoel je" not in nl, nl


@pytest.mark.parametrize(
    ("sender", "opener", "question", "price"),
    [
        ("p7", "I have a question about a product", "what does it cost", "149.95"),
        ("p8", "ik heb een vraag over een product", "wat kost het?", "149,95"),
    ],
)
def test_what_does_it_cost_after_which_product(
    bot: Stack, sender: str, opener: str, question: str, price: str
) -> None:
    """#13: "what does it cost", right after the bot asked which product, got shipping costs."""
    assert not no_which(say(bot, sender, opener))
    reply = say(bot, sender, question)
    assert not no_which(reply)  # still: which product?
    assert not any(word in reply.lower() for word in SHIPPING)
    say(bot, sender, "Veloce Aero 3")
    again = say(bot, sender, question)
    assert price in again and not any(word in again.lower() for word in SHIPPING)


def test_a_price_question_with_a_product_in_context_is_not_shipping(bot: Stack) -> None:
    say(bot, "p9", "tell me about the Kustlijn Daily Trainer")
    reply = say(bot, "p9", "what do they cost?")
    assert reply == "Kustlijn Daily Trainer costs €89.95."
    say(bot, "p10", "vertel eens over de Noorderlicht Stride 2")
    assert say(bot, "p10", "en wat kost ie?") == "Noorderlicht Stride 2 kost €\xa0119,95."


def test_the_second_of_an_ambiguous_name(bot: Stack) -> None:
    assert "Welke bedoel je?" in say(bot, "p11", "wat kost de storm jas?")
    assert "Regenwoud Storm jas dames" in say(bot, "p11", "de tweede")


def test_compare_button_with_the_product_in_context(bot: Stack) -> None:
    cheaper = say(bot, "p12", "heb je iets goedkopers dan de Aero 3?")
    assert "Goedkoper dan de Veloce Aero 3" in cheaper
    reply = say(
        bot, "p12", '/product_question{"product": "TP-RUN-004", "product_aspect": "compare"}'
    )
    assert "Veloce Aero 3 ↔ Kustlijn Daily Trainer" in reply


def test_compare_button_without_context_offers_the_list(bot: Stack) -> None:
    say(bot, "p14", "welke trailschoenen hebben jullie?")
    (asked, *_) = messages(
        bot, "p14", '/product_question{"product": "TP-TRL-001", "product_aspect": "compare"}'
    )
    assert asked["text"] == "Waarmee wil je Veloce Trailblazer GTX vergelijken?"
    assert "Veloce Trailblazer GTX ↔" in say(bot, "p14", asked["buttons"][0]["payload"])


def test_in_my_size_uses_the_size_said_before(bot: Stack) -> None:
    say(bot, "p13", "is de Tempo Glide er in maat 44?")
    reply = say(bot, "p13", '/product_question{"product": "TP-RUN-001", "product_aspect": "sizes"}')
    assert "Veloce Aero 3 in maat 44 is helaas uitverkocht" in reply


def test_which_one_weighs_the_two_just_discussed(bot: Stack) -> None:
    say(bot, "p16", "how much is the Wadden Duo 2 tent")
    assert "379.95" in say(bot, "p16", "what about the Basecamp 3?")
    lighter = say(bot, "p16", "which one is lighter?")
    assert "Wadden Duo 2 tent ↔ Noorderlicht Basecamp 3 tent" in lighter
    assert "• weight: 2600 g ↔ 4200 g" in lighter
    say(bot, "p17", "wat kost de Trailblazer GTX?")
    say(bot, "p17", "en de Ridge 5?")
    assert "Veloce Trailblazer GTX ↔ Bergpas Ridge 5" in say(bot, "p17", "welke is beter?")


def test_and_the_other_one_in_the_same_size(bot: Stack) -> None:
    assert "maat 44" in say(bot, "p18", "is de tempo glide er in 44?")
    assert "Veloce Aero 3 in maat 44 is helaas uitverkocht" in say(bot, "p18", "en de aero 3?")

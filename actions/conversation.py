"""Greeting, small talk inside a form, bare answers outside a form and the two-stage fallback
(a doubt between two intents is asked about, the second miss hands off)."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import end_turn, language_of, latest_values, say, store_session
from actions.disambiguation import candidates, offer_choices
from actions.handoff import hand_off
from actions.identity import open_matter
from actions.products import answer_product_question, has_product_question
from actions.search_replies import BUYING, out_of_scope_not_sold
from bot.formatting import date_text

MISSED_INTENTS = ("nlu_fallback",)
# "Hoe gaat het?" is a greeting that asks something back.
HOW_ARE_YOU = re.compile(
    r"\b(hoe gaat (het|ie)|hoe is het|alles (goed|kits)|hoe maak je het|how are (you|things)|"
    r"how'?s (it going|your day|everything)|you (doing )?(ok|alright)|are you well)\b",
    re.IGNORECASE,
)


class ActionGreet(Action):
    """Greet by first name when the customer is known, plainly otherwise.

    A known customer with a late parcel is asked straight away whether that is why they
    came: the bot knows about the delay before they have to explain it.
    """

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        name = tracker.get_slot("customer_name")
        customer_id = tracker.get_slot("customer_id")
        matter = None
        if customer_id is not None:
            with store_session() as session:
                found = open_matter(session, int(customer_id))
                if found is not None:
                    order, shipment = found
                    eta = shipment.eta or shipment.promised_date
                    matter = {"order_number": order.order_number, "eta": date_text(eta, language)}
        if name and matter:
            say(dispatcher, language, "greet_open_matter", first_name=name, **matter)
        elif name:
            say(dispatcher, language, "greet_name", first_name=name)
        else:
            say(dispatcher, language, "greet")
        return []


# A fragment that names a category is a search ('regenjas voor dames'); a longer unclear message
# that mentions one ('mijn tent is kapot en de rits ...') may be anything, so it is asked again.
SHORT_SEARCH_WORDS = 8


def is_short_search(tracker: Tracker, text: str) -> bool:
    return bool(latest_values(tracker, "category")) and len(text.split()) <= SHORT_SEARCH_WORDS


class ActionOutOfScope(Action):
    """Off-topic to the classifier. A message that names a product or a category of the
    catalogue and is short or asks to buy ('kan ik een kajak kopen', 'waar koop ik een goede
    wandelstok') is a shopper's search the classifier missed: answered as one (a thing we
    don't sell gets 'we don't sell that' there). So is a short question about a detail of the
    product being discussed ('hoeveel kilo kan erop?'). Anything else gets the polite off-topic
    answer, whose text (actions/nlg.py) still says 'we don't sell pizza' to 'do you sell pizza?'.
    """

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        unsold = out_of_scope_not_sold(text, language_of(tracker))
        if unsold is not None:  # 'got any tennis rackets': not a typo of a thing we sell
            dispatcher.utter_message(**unsold)
            return []
        named = latest_values(tracker, "product") or latest_values(tracker, "category")
        short = len(text.split()) <= SHORT_SEARCH_WORDS
        if (named and (short or BUYING.search(text))) or (short and has_product_question(tracker)):
            return answer_product_question(dispatcher, tracker)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []


class ActionHandleInform(Action):
    """A bare answer ('10452', 'maat 43') when no form asked for one: find what it is about.
    A fragment naming a category ('tent voor 4 personen') is a search."""

    def name(self) -> str:
        return "action_handle_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if has_product_question(tracker) or is_short_search(tracker, text):
            return answer_product_question(dispatcher, tracker)
        say(dispatcher, language_of(tracker), "ask_rephrase")
        return []


def misses_in_a_row(tracker: Tracker) -> int:
    """How many of the customer's latest messages in a row the bot did not understand."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if intent not in MISSED_INTENTS:
            break
        count += 1
    return count


class ActionFallback(Action):
    """First miss: when the NLU hesitated between two intents, "Bedoel je…?" with both as
    buttons (actions/disambiguation.py), else ask to rephrase with topics. Second miss in a
    row: hand off to a colleague (actions/handoff.py; the contact details when the
    conversation has no channel identity).

    A message whose intent is unclear but which names a product, or a detail of the product
    just discussed, is answered as a product question ('heb je hem in 43?'); so is a short
    one that names a category of the catalogue ('tent voor 4 personen', 'sup board under
    300 euro': a shopper's search typed as a fragment). The turn always
    ends here (or, when nobody can take the handoff, goes on to leave_message_form), so a
    low-confidence prediction cannot call the fallback twice.
    """

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        text = tracker.latest_message.get("text") or ""
        if not text.strip():
            say(dispatcher, language, "empty_message")
            return end_turn()
        if not tracker.active_loop.get("name") and (
            has_product_question(tracker) or is_short_search(tracker, text)
        ):
            return [*answer_product_question(dispatcher, tracker), *end_turn()]
        if misses_in_a_row(tracker) >= 2:
            return hand_off(dispatcher, tracker, "fallback")
        choices = [] if tracker.active_loop.get("name") else candidates(tracker)
        if choices:  # in a form the form's own question follows, so no second question here
            offer_choices(dispatcher, tracker, language, choices)
        else:
            say(dispatcher, language, "ask_rephrase")
        return end_turn()


class ActionSmalltalkInForm(Action):
    """'Bedankt', 'hoi' or 'hoe gaat het?' while a form waits for an answer: a short reply and
    the way out; the form then asks its question again (data/rules/form_smalltalk.yml)."""

    def name(self) -> str:
        return "action_smalltalk_in_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        answer_smalltalk(dispatcher, tracker)
        return []


def answer_smalltalk(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The short reply to thanks, a greeting or 'hoe gaat het?' while a form waits; the form's
    question follows (also used by the survey form, where a bare thanks is no score)."""
    text = tracker.latest_message.get("text") or ""
    if tracker.get_intent_of_latest_message() == "thank":
        key = "form_smalltalk_thanks"
    elif HOW_ARE_YOU.search(text):
        key = "form_smalltalk_how_are_you"
    else:
        key = "form_smalltalk_hello"
    say(dispatcher, language_of(tracker), key)

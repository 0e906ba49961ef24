"""One suggestion after a finished service conversation, and the customer's yes or no.

`action_thank` answers "bedankt" and, when the customer was just served and nothing says
"not now" (bot/suggestions/suppression.py), shows one product through `show_products` with a
yes/no: "zal ik het bij dezelfde zending doen?" when the verified order has not shipped.
`action_answer_suggestion` takes the answer (rules in data/rules/suggestions.yml).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import language_of, say, store_session
from actions.product_cards import show_products
from actions.suggestion_context import (
    ACT_ENDS,
    context_of,
    served,
    signals_of,
    store_customer_id,
)
from bot import texts
from bot.formatting import money_text
from bot.store.models import Product, utcnow
from bot.store.suggestion_models import Suggestion
from bot.suggestions import record
from bot.suggestions.config import suggestion_config
from bot.suggestions.engine import Pick, suggest
from bot.suggestions.orders import CannotAdd, add_to_order
from bot.suggestions.stock import subscribe

# The bot's questions a "ja"/"nee" can answer; any other last action makes it stale.
ASKING = ("action_thank", "action_announce_lifecycle_offer", *ACT_ENDS)


def show_pick(dispatcher: CollectingDispatcher, pick: Pick, language: str) -> None:
    product = pick.product
    anchor = pick.anchor or product
    if pick.rule == "lifecycle":
        intro = texts.text(
            "suggest_intro_lifecycle",
            language,
            anchor=anchor.name(language),
            months=anchor.lifetime_months or 12,
        )
    else:
        intro = texts.text(f"suggest_intro_{pick.rule}", language, anchor=anchor.name(language))
    reasons = {product.sku: texts.text("suggest_proof", language, snippet=pick.snippet)}
    show_products(
        dispatcher,
        products=[product],
        language=language,
        intro=intro,
        size=pick.variant,
        reasons=reasons if pick.snippet else None,
    )


def ask(dispatcher: CollectingDispatcher, language: str, order_number: str | None) -> None:
    if order_number:
        say(dispatcher, language, "suggest_ask_same_parcel", order_number=order_number)
    else:
        say(dispatcher, language, "suggest_ask")


class ActionThank(Action):
    """'Graag gedaan!', and after a finished service question, one suggestion."""

    def name(self) -> str:
        return "action_thank"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        if not served(tracker):
            dispatcher.utter_message(**texts.render("utter_thank", language))
            return []
        with store_session() as session:
            context = context_of(tracker)
            signals = signals_of(session, tracker)
            outcome = suggest(session, context=context, signals=signals, config=suggestion_config())
            pick = outcome.pick
            if pick is None:
                dispatcher.utter_message(**texts.render("utter_thank", language))
                return []
            say(dispatcher, language, "suggest_thanks")
            show_pick(dispatcher, pick, language)
            ask(dispatcher, language, pick.order.order_number if pick.order else None)
            suggestion_id = pick.suggestion.id
        return [SlotSet("suggestion", float(suggestion_id)), SlotSet("suggestion_step", "offered")]


def last_question(tracker: Tracker) -> str | None:
    """The bot's last action before the customer's latest message."""
    events = list(tracker.events)
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
            continue
        if seen_user and event.get("event") == "action":
            name = str(event.get("name"))
            if name not in ("action_listen", "action_detect_language"):
                return name
    return None


class ActionAnswerSuggestion(Action):
    """Yes or no to the suggestion, or to the back-in-stock notice, just offered."""

    def name(self) -> str:
        return "action_answer_suggestion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        step = tracker.get_slot("suggestion_step")
        yes = (tracker.latest_message.get("intent") or {}).get("name") == "affirm"
        done: list[EventType] = [SlotSet("suggestion_step", None)]
        if last_question(tracker) not in ASKING:
            dispatcher.utter_message(**texts.render("utter_ok", language))  # a stale offer
            return done
        with store_session() as session:
            if step == "back_in_stock":
                self._stock(dispatcher, session, tracker, language, yes)
                return [*done, SlotSet("stock_wanted", None)]
            suggestion_id = tracker.get_slot("suggestion")
            suggestion = session.get(Suggestion, int(suggestion_id)) if suggestion_id else None
            if suggestion is None or suggestion.conversation_id != tracker.sender_id:
                dispatcher.utter_message(**texts.render("utter_ok", language))
                return done
            if yes:
                self._accept(dispatcher, session, suggestion, language)
            else:
                now = utcnow()
                record.event(session, suggestion=suggestion, kind="declined", now=now)
                record.no_thanks(
                    session,
                    suggestion=suggestion,
                    days=suggestion_config().no_thanks_days,
                    now=now,
                )
                say(dispatcher, language, "suggest_declined")
        return done

    def _accept(
        self,
        dispatcher: CollectingDispatcher,
        session: Session,
        suggestion: Suggestion,
        language: str,
    ) -> None:
        now, config = utcnow(), suggestion_config()
        product = session.get(Product, suggestion.product_id)
        assert product is not None
        facts: dict[str, Any] = {
            "product": product.name(language),
            "price": money_text(product.price_cents, language),
        }
        if suggestion.order_id is None:
            record.event(session, suggestion=suggestion, kind="accepted", now=now)
            say(dispatcher, language, "suggest_accepted", **facts)
            return
        try:
            added = add_to_order(session, suggestion=suggestion, config=config, now=now)
        except CannotAdd as exc:
            record.event(
                session,
                suggestion=suggestion,
                kind="accepted",
                now=now,
                context={"added": False, "why": str(exc)},
            )
            number = (suggestion.context or {}).get("order") or ""
            say(dispatcher, language, "suggest_add_too_late", order_number=number, **facts)
            return
        addition = added.addition
        record.event(
            session,
            suggestion=suggestion,
            kind="accepted",
            now=now,
            context={"added": True, "addition": addition.id, "flow": addition.flow},
        )
        facts["order_number"] = added.order.order_number
        if addition.flow == "payment_link":
            say(dispatcher, language, "suggest_added_payment", url=addition.payment_url, **facts)
        else:
            say(dispatcher, language, "suggest_added_request", **facts)

    def _stock(
        self,
        dispatcher: CollectingDispatcher,
        session: Session,
        tracker: Tracker,
        language: str,
        yes: bool,
    ) -> None:
        if not yes:
            say(dispatcher, language, "stock_not_subscribed")
            return
        sku, _, variant = str(tracker.get_slot("stock_wanted") or "").partition("|")
        product = session.query(Product).filter_by(sku=sku).first()
        customer_id = store_customer_id(session, tracker)
        context = context_of(tracker)
        if product is None or customer_id is None or context.channel == "rest":
            say(dispatcher, language, "stock_cannot_subscribe")
            return
        subscribe(
            session,
            customer_id=customer_id,
            conversation_id=context.conversation_id,
            channel=context.channel,
            language=language,
            product=product,
            variant=variant or None,
            now=context.now,
        )
        say(
            dispatcher,
            language,
            "stock_subscribed",
            product=product.name(language),
            variant=variant_words(variant, language),
        )


def variant_words(variant: str | None, language: str) -> str:
    return texts.text("stock_variant", language, size=variant) if variant else ""


def expire_suggestion(tracker: Tracker) -> list[EventType]:
    """Read on every message (action_message_slots): an offer is open only for the message
    right after it, so a later "ja" to something else is never taken as a yes to it."""
    if tracker.get_slot("suggestion_step") and last_question(tracker) not in ASKING:
        return [SlotSet("suggestion_step", None)]
    return []

"""After a product answer (called by actions/products.py): a click on the suggestion just
shown, or, when the product asked about is sold out, the nearest alternative and "shall I let
you know when it's back?".

`action_announce_back_in_stock` says the notice the outbox sends when stock returns
(`EXTERNAL_back_in_stock`, queued by bot/suggestions/stock.py), once per subscription.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import language_of, latest_entities, latest_values, say, store_session
from actions.delays import trusted_external
from actions.marketing import marketing
from actions.product_cards import show_products
from actions.sales_moment import at_act_end
from actions.suggestion_context import context_of
from actions.suggestions import ask, variant_words
from bot import texts
from bot.language import supported
from bot.store import identities
from bot.store.catalogue import products_by_sku
from bot.store.models import Order, Product, utcnow
from bot.store.suggestion_models import StockSubscription, Suggestion
from bot.suggestions import record
from bot.suggestions.config import suggestion_config
from bot.suggestions.stock import nearest_alternative, sold_out


def after_product_answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    events: list[EventType],
    ending: str | None = None,
) -> list[EventType]:
    """Called at the end of every product answer (actions/products.py) with its events, and
    the reply that can end the question ("in stock in your size"), if it gave one."""
    slots = [e for e in events if e.get("event") == "slot" and e.get("name") == "product"]
    sku = slots[-1].get("value") if slots else None
    language = language_of(tracker)
    named = latest_entities(tracker, "product")
    mentions = {str(e.get("group", i)) for i, e in enumerate(named)}
    with store_session() as session:
        if tracker.get_slot("suggestion_step") == "offered":
            return AfterProductAnswer()._clicked(dispatcher, session, tracker, language, sku)
        if not sku or len(mentions) > 1:
            return []
        found = products_by_sku(session=session, skus=[str(sku)])
        sizes = latest_values(tracker, "size")
        if found and sold_out(found[0], sizes[0] if sizes else None):
            if not suggestion_config().back_in_stock:
                return []
            return AfterProductAnswer()._sold_out(dispatcher, session, tracker, language, str(sku))
    if ending is None:
        return []
    # in stock in the size asked: the question is answered (actions/sales_moment.py)
    return at_act_end(dispatcher, tracker, ending, events)


class AfterProductAnswer:
    """A click on the suggestion just shown, or a sold-out product's alternative and notice."""

    def _clicked(
        self,
        dispatcher: CollectingDispatcher,
        session: Session,
        tracker: Tracker,
        language: str,
        sku: str | None,
    ) -> list[EventType]:
        suggestion_id = tracker.get_slot("suggestion")
        suggestion = session.get(Suggestion, int(suggestion_id)) if suggestion_id else None
        product = session.get(Product, suggestion.product_id) if suggestion else None
        if suggestion is None or product is None or product.sku != sku:
            return [SlotSet("suggestion_step", None)]  # the customer moved on
        record.event(session, suggestion=suggestion, kind="clicked", now=utcnow())
        order = session.get(Order, suggestion.order_id) if suggestion.order_id else None
        ask(dispatcher, language, order.order_number if order else None)
        return []

    def _sold_out(
        self,
        dispatcher: CollectingDispatcher,
        session: Session,
        tracker: Tracker,
        language: str,
        sku: str,
    ) -> list[EventType]:
        found = products_by_sku(session=session, skus=[sku])
        sizes = latest_values(tracker, "size")
        size = sizes[0] if sizes else None
        if not found or not sold_out(found[0], size):
            return []
        product = found[0]
        context = context_of(tracker)
        alternative = nearest_alternative(session, product=product, size=size)
        if alternative is not None:
            shown = Suggestion(
                conversation_id=context.conversation_id,
                customer_id=None,
                channel=context.channel,
                language=language,
                rule="alternative",
                product_id=alternative.id,
                anchor_product_id=product.id,
                score="0",
                context={"sold_out": product.sku, "size": size},
                status="shown",
                shown_at=context.now,
            )
            session.add(shown)
            session.flush()
            record.event(session, suggestion=shown, kind="shown", now=context.now)
            show_products(
                dispatcher,
                products=[alternative],
                language=language,
                intro=texts.text("stock_alternative", language),
                size=size,
            )
        if context.channel == "rest":
            return []  # no channel to send a notice on later
        say(
            dispatcher,
            language,
            "stock_offer",
            product=product.name(language),
            variant=variant_words(size, language),
        )
        return [
            SlotSet("suggestion_step", "back_in_stock"),
            SlotSet("stock_wanted", f"{product.sku}|{size or ''}"),
        ]


class ActionAnnounceBackInStock(Action):
    """The outbox's back-in-stock notice, said once per subscription, only to its customer."""

    def name(self) -> str:
        return "action_announce_back_in_stock"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not trusted_external(tracker):
            return []
        values = latest_values(tracker, "subscription_id")
        if not values or not values[0].isdigit():
            return []
        with store_session() as session:
            row = session.get(StockSubscription, int(values[0]))
            if row is None or row.status != "notified" or not self._theirs(session, tracker, row):
                return []
            product = session.get(Product, row.product_id)
            if product is None:
                return []
            language = supported(row.language)
            with marketing(dispatcher, product, language):
                show_products(
                    dispatcher,
                    products=[product],
                    language=language,
                    intro=texts.text(
                        "stock_back_notice",
                        language,
                        product=product.name(language),
                        variant=variant_words(row.variant, language),
                    ),
                    size=row.variant,
                )
            row.status = "announced"
            sku = product.sku
        return [SlotSet("product", sku)]

    @staticmethod
    def _theirs(session: Session, tracker: Tracker, row: StockSubscription) -> bool:
        if tracker.sender_id == row.conversation_id:
            return True
        parts = identities.split_conversation_id(tracker.sender_id or "")
        identity = identities.find_identity(session, *parts) if parts else None
        if identity is None:
            return False
        return identities.who(session, identity).customer_id == row.customer_id

"""The proactive lifecycle offer the outbox sends (`EXTERNAL_lifecycle_offer`, queued by
`klantreis suggestions lifecycle`): said only to the customer it was queued for, recorded as a
shown suggestion, with the same yes/no as any suggestion; never during a cool-down."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import latest_values, say, store_session
from actions.delays import recipient, trusted_external
from actions.marketing import marketing
from actions.suggestion_context import channel_of
from actions.suggestions import show_pick
from bot.language import supported
from bot.store.catalogue import products_by_sku
from bot.store.models import utcnow
from bot.store.suggestion_models import Suggestion
from bot.suggestions import record
from bot.suggestions.candidates import Context
from bot.suggestions.engine import Pick
from bot.suggestions.proof import snippet
from bot.suggestions.suppression import cooling_down, shown_in_conversation


class ActionAnnounceLifecycleOffer(Action):
    def name(self) -> str:
        return "action_announce_lifecycle_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not trusted_external(tracker):
            return []
        skus = latest_values(tracker, "product")
        conversation = tracker.sender_id or ""
        now = utcnow()
        with store_session() as session:
            customer, _ = recipient(session, conversation)
            found = products_by_sku(session=session, skus=skus[:1])
            if customer is None or not found:
                return []
            if cooling_down(
                session, customer_id=customer.id, conversation_id=conversation, now=now
            ):
                return []
            language = supported(customer.language)
            context = Context(conversation_id=conversation, channel="", language=language, now=now)
            if shown_in_conversation(session, context) and tracker.get_slot("suggestion_step"):
                return []  # an offer is still open here
            product = found[0]
            suggestion = Suggestion(
                conversation_id=conversation,
                customer_id=customer.id,
                channel=channel_of(tracker),
                language=language,
                rule="lifecycle",
                product_id=product.id,
                anchor_product_id=product.id,
                score="0",
                context={"proactive": True},
                status="shown",
                shown_at=now,
            )
            session.add(suggestion)
            session.flush()
            record.event(session, suggestion=suggestion, kind="shown", now=now)
            pick = Pick(
                suggestion=suggestion,
                product=product,
                rule="lifecycle",
                anchor=product,
                order=None,
                variant=suggestion.variant,
                snippet=snippet(product, language),
            )
            with marketing(dispatcher, product, language):
                show_pick(dispatcher, pick, language)
                say(dispatcher, language, "suggest_ask")
            suggestion_id = suggestion.id
        return [
            SlotSet("language", language),
            SlotSet("suggestion", float(suggestion_id)),
            SlotSet("suggestion_step", "offered"),
        ]

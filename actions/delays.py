"""Delivery-delay notices through Rasa, and the customer's opt-out from such messages.

`action_announce_delay` runs on the external intent `EXTERNAL_delivery_delayed` that the delay
dispatcher triggers (bot/services/console/proactive.py). It speaks only for the order's own
customer, in that customer's language, once per notice id, and puts the order in context so
"kan hij naar een afhaalpunt?" needs no second verification on a verified channel.
"""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.common import language_of, say, store_session
from bot.delay_notice import Notice, NoticeError, compose, entity_values, parse
from bot.language import supported
from bot.store import announced_notices, identities
from bot.store.models import Customer, Order
from bot.store.opt_out import withdraw_service_consent
from bot.texts import render

logger = logging.getLogger(__name__)


def trusted_external(tracker: Tracker) -> bool:
    """Only Rasa's trigger_intent (the dispatcher, with Rasa's token) marks a message external.

    A shopper typing '/EXTERNAL_delivery_delayed{…}' gets an ordinary user message without
    that mark, so nobody can make the bot announce (and put in context) an order of their
    choosing. The message keeps the conversation's latest input channel, which must be the
    conversation's own channel (or none yet, for a first proactive message).
    """
    metadata = tracker.latest_message.get("metadata") or {}
    if not metadata.get("is_external"):
        return False
    parts = identities.split_conversation_id(tracker.sender_id or "")
    latest_channel = tracker.get_latest_input_channel()
    return parts is not None and latest_channel in (None, parts[0])


def recipient(session: Session, conversation_id: str) -> tuple[Customer | None, bool]:
    """Who this conversation reaches, and whether the channel identity is verified as them.

    A WhatsApp number that never wrote has no identity yet: it reaches the known customer
    with that phone number, unverified.
    """
    parts = identities.split_conversation_id(conversation_id)
    if parts is None:
        return None, False
    identity = identities.find_identity(session, *parts)
    if identity is not None:
        who = identities.who(session, identity)
        return session.get(Customer, who.customer_id), who.verified
    if parts[0] == "whatsapp":
        return identities.customer_by_phone(session, parts[1]), False
    return None, False


class ActionAnnounceDelay(Action):
    """Tell the customer their parcel is late (or later still, or there after all)."""

    def name(self) -> str:
        return "action_announce_delay"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not trusted_external(tracker):
            logger.warning("delay notice refused: not triggered by the dispatcher")
            return []
        try:
            notice = parse(entity_values(tracker.latest_message.get("entities") or []))
        except NoticeError as exc:
            logger.warning("delay notice refused: %s", exc)
            return []
        with store_session() as session:
            spoken = self._claim(session, tracker, notice)
        if spoken is None:
            return []
        language, first_name, verified = spoken
        for message in compose(notice, language, first_name):
            dispatcher.utter_message(**message)
        events: list[EventType] = [SlotSet("language", language)]
        if notice.kind == "arrived":
            return events
        # The order the customer was just told about is what "kan hij naar een afhaalpunt?"
        # is about; only a verified channel skips the postcode for it. In the middle of a form
        # the customer may be talking about another order: the form's slot stays theirs.
        if not tracker.active_loop.get("name"):
            events.append(SlotSet("order_number", notice.order_number))
        known = [*(tracker.get_slot("verified_orders") or [])]
        if verified and notice.order_number not in known:
            events.append(SlotSet("verified_orders", [*known, notice.order_number]))
        return events

    @staticmethod
    def _claim(
        session: Session, tracker: Tracker, notice: Notice
    ) -> tuple[str, str | None, bool] | None:
        """(language, first name, verified) when this notice is to be said now, else None."""
        conversation_id = tracker.sender_id
        customer, verified = recipient(session, conversation_id)
        # Only who owns the order: the dispatcher may announce thousands in a row.
        owner_id = session.scalar(
            select(Order.customer_id).where(Order.order_number == notice.order_number)
        )
        owner = session.get(Customer, owner_id) if owner_id is not None else None
        owner = identities.live(session, owner) if owner is not None else None
        if customer is None or owner is None or customer.id != owner.id:
            # Never another customer's order: record the refusal once, say nothing.
            announced_notices.claim(
                session,
                notice=notice,
                conversation_id=conversation_id,
                customer_id=None,
                outcome="refused",
                language="nl",
            )
            logger.warning("delay notice %s refused: not this customer's order", notice.notice_id)
            return None
        language = supported(customer.language)
        if not announced_notices.claim(
            session,
            notice=notice,
            conversation_id=conversation_id,
            customer_id=customer.id,
            outcome="announced",
            language=language,
        ):
            logger.info("delay notice %s was announced before: nothing sent", notice.notice_id)
            return None
        return language, customer.first_name, verified


class ActionOptOut(Action):
    """'Stuur me geen berichten meer' / 'STOP': no more proactive service messages here."""

    def name(self) -> str:
        return "action_opt_out"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        parts = identities.split_conversation_id(tracker.sender_id or "")
        if parts is None or tracker.get_latest_input_channel() != parts[0]:
            say(dispatcher, language, "opt_out_not_known")  # REST, shell: nothing to withdraw
            return []
        with store_session() as session:
            identity = identities.resolve(session, *parts)
            customer = identities.live(session, identity.customer)
            withdraw_service_consent(session, customer_id=customer.id, channel=parts[0])
        channel = say_channel(parts[0], language)
        say(dispatcher, language, "opt_out_confirmed", channel=channel)
        return []


def say_channel(channel: str, language: str) -> str:
    return str(render(f"channel_name_{channel}", language)["text"])


def is_stop_keyword(tracker: Tracker) -> bool:
    """STOP in capitals, or Telegram's /stop command (which reaches Rasa as 'stop')."""
    text = str(tracker.latest_message.get("text") or "").strip()
    if text.rstrip(".!") == "STOP":
        return True
    meta = (tracker.latest_message.get("metadata") or {}).get("klantreis") or {}
    return meta.get("kind") == "command" and text.lower() == "stop"


class ActionStop(Action):
    """'Laat maar' outside a form is simply fine; the bare keyword STOP is an opt-out.

    STOP in capitals is the keyword people use everywhere to stop a sender's messages (and
    /stop the command on Telegram), so it means that here too; 'stop' in a sentence or inside
    a form keeps meaning 'never mind'.
    """

    def name(self) -> str:
        return "action_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if is_stop_keyword(tracker):
            return await ActionOptOut().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_ok")
        return []

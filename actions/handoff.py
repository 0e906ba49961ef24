"""Human handoff: a colleague takes over when one is at work, else the customer leaves a message.

Every way to a person ends in `hand_off()`: an explicit request, a frustrated complaint, two
unclear messages in a row (actions/conversation.py), three failed verifications
(actions/orders.py) and acts the bot may not do alone, like a damaged-item claim.

Only conversations from a real channel (web chat, WhatsApp, Telegram) have a customer in the
store, so only they are queued. A REST or shell conversation gets the customer-service contact
details, as before.

The agent console drives the rest through Rasa's HTTP API: it pauses the conversation when an
agent claims it (`pause` + `handoff_status=agent`), resumes it when the agent is done
(`resume` + `handoff_status=null`) and runs the actions in actions/agent_relay.py with
`POST /conversations/<id>/execute`. The message a customer leaves when nobody can take the
conversation live is actions/leave_message.py.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActiveLoop,
    ConversationPaused,
    EventType,
    FollowupAction,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import end_turn, language_of, reset_act, say, shop, store_session
from actions.identity import channel_identity
from actions.returns import DAMAGE_WORDS
from bot import texts
from bot.formatting import date_text
from bot.handoff import queue
from bot.handoff.policy import HandoffPolicy, policy
from bot.handoff.queue import SUMMARY_SLOTS, recent_intents
from bot.store import identities
from bot.store.handoff_models import Handoff
from bot.store.models import utcnow
from bot.texts import render

ORDER_FORMS = ("verify_order_form", "delivery_change_form", "cancel_form", "return_form")
HANDOFF_SLOTS = ("handoff_status", "handoff_reason", "handoff_message")
MAX_MESSAGE = 2000
# Short answers that mean "no thanks" to leaving a message or a survey question.
SKIP_ANSWERS = frozenset(
    {
        "nee",
        "nee hoor",
        "nee dank je",
        "nee dankje",
        "nee bedankt",
        "liever niet",
        "hoeft niet",
        "geen",
        "niks",
        "niets",
        "laat maar",
        "overslaan",
        "sla over",
        "no",
        "nope",
        "no thanks",
        "no thank you",
        "nothing",
        "skip",
        "skip it",
        "never mind",
        "nevermind",
        "stop",
    }
)
STRONG_WORDS = re.compile(
    r"\b(belachelijk|schandalig|schande|waardeloos|bagger|klote|kut|woedend|boos|"
    r"onacceptabel|onaanvaardbaar|nooit meer|het zat|ben het zat|zwaar teleurgesteld|"
    r"ridiculous|outrageous|disgrace|disgraceful|useless|terrible|awful|worst|furious|"
    r"angry|unacceptable|never again|fed up|sick of|pathetic|joke)\b",
    re.IGNORECASE,
)
ACRONYMS = frozenset({"DHL", "DPD", "UPS", "GLS", "BTW", "VAT", "NPS", "GTX", "SUP", "OK", "XL"})
# An item that arrived broken: a claim a colleague settles (refund, replacement, warranty).
DAMAGE = re.compile(
    r"\b(kapot\w*|beschadig\w*|defect\w*|stuk|gescheurd\w*|scheur\w*|gebroken|"
    r"damaged|broken|defective|faulty|torn|cracked|ripped)\b",
    re.IGNORECASE,
)
REASON_INTROS = {
    "complaint": "handoff_intro_complaint",
    "fallback": "handoff_intro_fallback",
    "verification": "handoff_intro_verification",
    "act": "handoff_intro_damage",
}


def now() -> dt.datetime:
    return utcnow()


def channel_place(tracker: Tracker, language: str) -> str:
    """'hier via WhatsApp' / 'here in the web chat': where the answer will come."""
    channel = (tracker.sender_id or "").partition(":")[0]
    web = texts.text("channel_place_web", language)
    return texts.word(f"channel_place_{channel}", language, web)


def words_of(text: str) -> str:
    return " ".join(re.sub(r"[^\w/' ]+", " ", text.lower()).split())


SMALLTALK_INTENTS = ("thank", "greet")
SMALLTALK_MAX_WORDS = 6  # "hoi, hoe gaat het met je?"; longer messages carry more than that


def is_smalltalk(intent: str | None, text: str) -> bool:
    """'Bedankt', 'hoi', 'hoe gaat het?' alone: no answer to a form's question. A longer message
    ('thanks, my jacket leaks, please call me') or one with a number ('9, thanks', 'hoi, order
    10452 is kapot') is an answer."""
    words = words_of(text).split()
    return (
        intent in SMALLTALK_INTENTS
        and len(words) <= SMALLTALK_MAX_WORDS
        and not any(c.isdigit() for c in text)
    )


def is_skip(tracker: Tracker, text: str) -> bool:
    """'laat maar', 'nee', 'skip': the customer does not want to answer."""
    if tracker.get_intent_of_latest_message() == "stop":
        return True
    return words_of(text) in SKIP_ANSWERS


def mentions_damage(text: str) -> bool:
    return bool(DAMAGE.search(text or ""))


def shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) >= 0.6:
        return True
    capitals = [w for w in re.findall(r"[A-Za-zÀ-ÿ]{4,}", text) if w.isupper()]
    return any(w not in ACRONYMS for w in capitals)


def frustrated(text: str) -> bool:
    """Strong words, an exclamation mark or shouting."""
    return "!" in text or bool(STRONG_WORDS.search(text)) or shouting(text)


def session_events(tracker: Tracker) -> list[dict[str, Any]]:
    """The events of the current session (after the last session start or restart)."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") in ("session_started", "restart"):
            return events[index + 1 :]
    return events


def user_intents(tracker: Tracker) -> list[str]:
    """The intents of this session's user messages, oldest first."""
    return [
        ((e.get("parse_data") or {}).get("intent") or {}).get("name") or ""
        for e in session_events(tracker)
        if e.get("event") == "user"
    ]


def summary(tracker: Tracker) -> dict[str, Any]:
    """What the bot knew, for the agent: the last intents, the slots that matter, the text."""
    intents = recent_intents(tracker.events)
    slots = {}
    for name in SUMMARY_SLOTS:
        value = tracker.get_slot(name)
        if value not in (None, "", [], {}, 0):
            slots[name] = value
    return {
        "intents": intents,
        "slots": slots,
        "last_message": tracker.latest_message.get("text") or "",
    }


def end_active_form(tracker: Tracker) -> list[EventType]:
    """A colleague takes over: stop the form the customer was in (and its order act)."""
    loop = tracker.active_loop.get("name") if tracker.active_loop else None
    if not loop:
        return []
    events: list[EventType] = [ActiveLoop(None), SlotSet("requested_slot", None)]
    if loop in ORDER_FORMS:
        events.extend(reset_act())
    return events


def opening_text(
    rules: HandoffPolicy, when: dt.datetime, moment: dt.datetime, language: str
) -> str:
    """'vandaag om 08:30', 'morgen om 08:30', 'op maandag 24 november om 08:30'."""
    local = when.astimezone(rules.zone)
    today = moment.astimezone(rules.zone).date()
    key = {0: "when_today", 1: "when_tomorrow"}.get((local.date() - today).days, "when_day")
    return render(
        key, language, day=date_text(local.date(), language), time=local.strftime("%H:%M")
    )["text"]


def contact_details(
    dispatcher: CollectingDispatcher, tracker: Tracker, language: str, reason: str
) -> None:
    """A conversation without a channel identity (REST, shell): how to reach a colleague."""
    contact = shop().contact(language)
    if reason == "verification":
        say(dispatcher, language, "verification_locked", contact=contact)
    elif reason == "fallback":
        say(dispatcher, language, "offer_human", contact=contact)
    elif reason == "complaint" or (
        reason == "act" and tracker.get_intent_of_latest_message() == "complaint"
    ):
        say(dispatcher, language, "complaint", contact=contact)
    elif reason == "explicit":
        say(dispatcher, language, "contact_customer_service", contact=contact)
    # a damaged return was already told where to send a photo (actions/returns.py)


def hand_off(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, *, apologised: bool = False
) -> list[EventType]:
    """Queue the conversation for a colleague, or, when nobody can take it now, ask the
    customer to leave a message. Ends the customer's turn, or follows up with
    leave_message_form whichever action called it (the fallback, the order act, …).
    `apologised`: the caller already said sorry, so the reason's intro is left out."""
    language = language_of(tracker)
    events = end_active_form(tracker)
    rules = policy()
    moment = now()
    minutes = 0
    with store_session() as session:
        identity = channel_identity(session, tracker)
        if identity is None:
            contact_details(dispatcher, tracker, language, reason)
            return [*events, SlotSet("handoff_status", None), *end_turn()]
        existing = queue.open_handoff(session, tracker.sender_id)
        if existing is not None:
            return [*events, *already_open(dispatcher, session, existing, rules, language)]
        online = rules.is_open(moment) and queue.agents_online(session, rules, moment) > 0
        if online:
            minutes = queue.estimated_wait_minutes(session, rules, moment)
            queue.request(
                session,
                conversation_id=tracker.sender_id,
                customer_id=identities.who(session, identity).customer_id,
                channel=identity.channel,
                language=language,
                reason=reason,
                summary=summary(tracker),
                now=moment,
            )
    if not apologised:
        intro(dispatcher, language, reason)
    if online:
        say(dispatcher, language, "handoff_waiting", minutes=minutes)
        return [
            *events,
            SlotSet("handoff_status", "waiting"),
            SlotSet("handoff_reason", reason),
            *end_turn(),
        ]
    if rules.is_open(moment):
        say(dispatcher, language, "handoff_busy")
    else:
        opening = rules.next_opening(moment)
        if opening is None:
            say(dispatcher, language, "handoff_closed_for_now")
        else:
            say(
                dispatcher,
                language,
                "handoff_closed",
                when=opening_text(rules, opening, moment, language),
            )
    return [
        *events,
        SlotSet("handoff_status", "leave_message"),
        SlotSet("handoff_reason", reason),
        SlotSet("handoff_message", None),
        FollowupAction("leave_message_form"),
    ]


def intro(dispatcher: CollectingDispatcher, language: str, reason: str) -> None:
    if reason in REASON_INTROS:
        say(dispatcher, language, REASON_INTROS[reason])


def already_open(
    dispatcher: CollectingDispatcher,
    session: Session,
    handoff: Handoff,
    rules: HandoffPolicy,
    language: str,
) -> list[EventType]:
    """Asked again while waiting, or a message got through while an agent has it."""
    if handoff.status == "assigned":
        # The console pauses the bot on a claim; if that pause got lost, restore it.
        say(dispatcher, language, "handoff_with_agent")
        return [SlotSet("handoff_status", "agent"), ConversationPaused()]
    minutes = queue.estimated_wait_minutes(session, rules)
    say(dispatcher, language, "handoff_already_waiting", minutes=minutes)
    return [SlotSet("handoff_status", "waiting"), *end_turn()]


def answers_the_offer(tracker: Tracker) -> bool:
    """This message answers the colleague offered after a complaint (the bot's last act)."""
    if tracker.get_slot("handoff_status") != "offered":
        return False
    events = list(tracker.events)
    latest_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    for event in reversed(events[:latest_user]):
        if event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name") == "action_handoff"
    return False


def has_identity(tracker: Tracker) -> bool:
    with store_session() as session:
        return channel_identity(session, tracker) is not None


class ActionHandoff(Action):
    """The customer asked for a person, complained, or described a damaged item.

    A complaint without strong words, an exclamation mark or shouting, and the first in this
    session, is acknowledged first with the offer of a colleague (buttons; `handoff_status`
    "offered", and "ja" to it comes back here); a second complaint or a frustrated one goes
    straight to the queue.
    """

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        intent = tracker.get_intent_of_latest_message()
        intents = user_intents(tracker)
        if mentions_damage(text):
            reason = "act"
        elif intent == "complaint":
            calm = not frustrated(text) and intents.count("complaint") < 2
            if calm and not tracker.get_slot("handoff_status") and has_identity(tracker):
                say(dispatcher, language_of(tracker), "complaint_offer")
                return [
                    *end_active_form(tracker),
                    SlotSet("handoff_status", "offered"),
                    *end_turn(),
                ]
            reason = "complaint"
        elif answers_the_offer(tracker):
            reason = "complaint"  # "ja" / "yes, a colleague please" to the complaint offer
        else:
            reason = "explicit"
        return hand_off(dispatcher, tracker, reason)


def damaged_return_reason(tracker: Tracker) -> str:
    """The reason given for the return just registered (its slot is already cleared)."""
    for event in reversed(tracker.events):
        is_reason = event.get("event") == "slot" and event.get("name") == "return_reason"
        if is_reason and event.get("value"):  # the last reason given, not the reset after it
            return str(event["value"])
    return tracker.latest_message.get("text") or ""


class ActionCheckDamage(Action):
    """After a return: an item that arrived damaged is for a colleague (reason "act")."""

    def name(self) -> str:
        return "action_check_damage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reason = damaged_return_reason(tracker)
        if not mentions_damage(reason):
            return []
        # The return's own reply already apologised for the damage (actions/returns.py).
        apologised = any(word in reason.lower() for word in DAMAGE_WORDS)
        return hand_off(dispatcher, tracker, "act", apologised=apologised)


class ActionCancelHandoff(Action):
    """'Laat maar, ik wacht niet': leave the queue."""

    def name(self) -> str:
        return "action_cancel_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with store_session() as session:
            queue.cancel_waiting(session, tracker.sender_id)
        say(dispatcher, language_of(tracker), "handoff_cancelled")
        return [SlotSet("handoff_status", None), SlotSet("handoff_reason", None)]

"""One suggestion after a finished service question, in both languages, on the demo shop."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.suggestions import ActionAnswerSuggestion, ActionThank, expire_suggestion
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Customer
from bot.store.suggestion_models import (
    OrderAddition,
    Suggestion,
    SuggestionCooldown,
    SuggestionEvent,
    SuggestionSuppression,
)
from bot.suggestions import config as config_module
from tests.helpers.sales import action, conversation, slots_of, user
from tests.helpers.trackers import texts

SERVED = [user("order_status", "waar is mijn bestelling?"), action("action_perform_order_act")]


@pytest.fixture
def db(store: str) -> Iterator[Session]:
    config_module.suggestion_config.cache_clear()
    engine = make_engine(store)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def customer(db: Session, ref: str) -> int:
    return int(db.scalars(select(Customer.id).where(Customer.customer_ref == ref)).one())


async def run(action_class: Any, tracker: Any) -> tuple[CollectingDispatcher, list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action_class().run(dispatcher, tracker, {})
    return dispatcher, events


def thanks(sender: str, language: str = "nl", before: list | None = None, **slots: Any):  # type: ignore[no-untyped-def]
    text = "bedankt!" if language == "nl" else "thanks!"
    return conversation(
        sender,
        intent="thank",
        text=text,
        before=SERVED if before is None else before,
        slots={"language": language, **slots},
    )


def answer(sender: str, yes: bool, language: str, suggestion: float, step: str = "offered"):  # type: ignore[no-untyped-def]
    words = {("nl", True): "ja graag", ("nl", False): "nee dank je"}
    words |= {("en", True): "yes please", ("en", False): "no thanks"}
    return conversation(
        sender,
        intent="affirm" if yes else "deny",
        text=words[(language, yes)],
        before=[*SERVED, user("thank"), action("action_thank")],
        slots={"language": language, "suggestion": suggestion, "suggestion_step": step},
    )


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_same_parcel_offer_and_yes_adds_it_with_a_payment_link(
    db: Session, language: str
) -> None:
    sender = f"web:parcel-{language}"
    sanne = customer(db, "C1001")
    dispatcher, events = await run(
        ActionThank, thanks(sender, language, verified_orders=["10475"], customer_id=sanne)
    )
    said = texts(dispatcher)
    assert said[0] == ("Graag gedaan!" if language == "nl" else "You're welcome!")
    card_message = dispatcher.messages[1]
    (card,) = card_message["custom"]["cards"]
    # Complement of the socks in order 10475, in Sanne's shoe size, with a review quoted.
    assert card["sku"] == "TP-TRL-002" and card["size"] == "39" and card["in_stock"]
    # A Dutch review is quoted to a Dutch customer; an English one gets the rating only.
    if language == "nl":
        assert card["reason"] == '"Loop er al maanden mee over de Posbank en de Sint-Jansberg."'
    else:
        assert card["reason"] is None and card["rating"] == "4.3"
    question = dispatcher.messages[2]
    if language == "nl":
        assert question["text"].startswith("Zal ik het bij dezelfde zending doen?")
        assert [b["payload"] for b in question["buttons"]] == ["ja graag", "nee dank je"]
    else:
        assert question["text"].startswith("Shall I add it to the same parcel?")
    slots = slots_of(events)
    assert slots["suggestion_step"] == "offered"

    dispatcher, events = await run(
        ActionAnswerSuggestion, answer(sender, True, language, slots["suggestion"])
    )
    (reply,) = texts(dispatcher)
    assert "https://www.trekenpeddel.nl/bestelling/bijbetalen/" in reply and "10475" in reply
    db.expire_all()
    addition = db.scalars(select(OrderAddition)).one()
    assert addition.status == "awaiting_payment" and addition.payment_url in reply
    assert addition.variant == "39" and addition.customer_id == sanne
    kinds = db.scalars(select(SuggestionEvent.kind).order_by(SuggestionEvent.id)).all()
    assert kinds == ["shown", "accepted"]
    assert slots_of(events)["suggestion_step"] is None


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_no_thanks_starts_the_cool_down(db: Session, language: str) -> None:
    sender = f"web:nothanks-{language}"
    sanne = customer(db, "C1001")
    _, events = await run(
        ActionThank, thanks(sender, language, verified_orders=["10475"], customer_id=sanne)
    )
    dispatcher, _ = await run(
        ActionAnswerSuggestion, answer(sender, False, language, slots_of(events)["suggestion"])
    )
    assert texts(dispatcher) == [
        "Prima, dan laat ik het hierbij. Kan ik nog ergens anders mee helpen?"
        if language == "nl"
        else "No problem, I'll leave it there. Anything else I can help with?"
    ]
    db.expire_all()
    assert db.scalars(select(Suggestion.status)).one() == "declined"
    assert db.scalars(select(SuggestionCooldown)).one().customer_id == sanne
    # A new conversation of the same customer, another day: still no suggestion.
    dispatcher, events = await run(
        ActionThank, thanks(f"{sender}-later", language, customer_id=sanne)
    )
    assert len(dispatcher.messages) == 1 and not events
    db.expire_all()
    assert db.scalars(select(SuggestionSuppression.reason)).all() == ["no_thanks"]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_lifecycle_replacement_for_shoes_bought_a_year_ago(
    db: Session, language: str
) -> None:
    before = [user("faq", "verzendkosten?"), action("utter_faq")]
    dispatcher, _ = await run(
        ActionThank,
        thanks(f"web:life-{language}", language, before, customer_id=customer(db, "C1002")),
    )
    intro = dispatcher.messages[1]["text"]
    assert dispatcher.messages[1]["custom"]["cards"][0]["sku"] == "TP-RUN-001"
    if language == "nl":
        assert "gaat zo'n 12 maanden mee" in intro and "Toe aan een nieuwe?" in intro
        assert texts(dispatcher)[2] == "Iets voor jou?"
    else:
        assert "usually lasts about 12 months" in intro
        assert texts(dispatcher)[2] == "Interested?"


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_care_for_what_the_customer_owns(db: Session, language: str) -> None:
    before = [user("faq"), action("utter_faq")]
    dispatcher, _ = await run(
        ActionThank,
        thanks(f"web:care-{language}", language, before, customer_id=customer(db, "C1005")),
    )
    (card,) = dispatcher.messages[1]["custom"]["cards"]
    assert card["sku"] == "TP-CARE-002"
    intro = dispatcher.messages[1]["text"]
    assert ("een seizoen langer mee" if language == "nl" else "an extra season") in intro


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_complement_of_the_product_in_context_is_accepted(
    db: Session, language: str
) -> None:
    before = [user("product_question"), action("action_answer_product")]
    sender = f"web:topic-{language}"
    dispatcher, events = await run(
        ActionThank, thanks(sender, language, before, product="TP-SUP-001")
    )
    (card,) = dispatcher.messages[1]["custom"]["cards"]
    assert card["sku"] in ("TP-PDL-001", "TP-PDL-002", "TP-WET-001", "TP-ACC-003")
    assert ("Misschien handig bij je" if language == "nl" else "go well with your") in (
        dispatcher.messages[1]["text"]
    )
    tracker = conversation(
        sender,
        intent="affirm",
        before=[*before, user("thank"), action("action_thank")],
        slots={
            "language": language,
            "suggestion": slots_of(events)["suggestion"],
            "suggestion_step": "offered",
        },
    )
    dispatcher, _ = await run(ActionAnswerSuggestion, tracker)
    assert "https://www.trekenpeddel.nl" in texts(dispatcher)[0]
    db.expire_all()
    assert db.scalars(select(Suggestion.status)).one() == "accepted"


def test_nothing_is_suggested_before_the_customer_was_served(db: Session) -> None:
    import asyncio

    dispatcher, events = asyncio.run(
        run(ActionThank, thanks("web:early", "nl", before=[], product="TP-SUP-001"))
    )
    assert texts(dispatcher) == ["Graag gedaan! Kan ik nog ergens anders mee helpen?"]
    assert events == []
    assert db.scalars(select(Suggestion)).all() == []


SUPPRESSIONS = [
    ("complaint_open", [user("complaint", "dit is echt slecht")], {}),
    ("delay_open", [user("EXTERNAL_delivery_delayed"), action("action_announce_delay")], {}),
    ("verification_failed", [], {"verification_failures": 1.0}),
    ("handoff_open", [], {"handoff_status": "waiting"}),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("reason", "before", "slots"), SUPPRESSIONS)
async def test_suppressed_with_its_reason(
    db: Session, language: str, reason: str, before: list, slots: dict
) -> None:
    sender = f"web:{reason}-{language}"
    dispatcher, events = await run(
        ActionThank, thanks(sender, language, [*before, *SERVED], product="TP-SUP-001", **slots)
    )
    thanks_text = {
        "nl": "Graag gedaan! Kan ik nog ergens anders mee helpen?",
        "en": "You're welcome! Anything else I can help with?",
    }
    assert texts(dispatcher) == [thanks_text[language]] and events == []
    db.expire_all()
    row = db.scalars(select(SuggestionSuppression)).one()
    assert (row.reason, row.conversation_id) == (reason, sender)


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_low_csat_just_given_suppresses(db: Session, language: str) -> None:
    from bot.handoff import surveys

    sender = f"web:csat-{language}"
    surveys.record(db, kind="csat", score=3, conversation_id=sender, customer_id=1)
    db.commit()
    dispatcher, _ = await run(ActionThank, thanks(sender, language, product="TP-SUP-001"))
    assert len(dispatcher.messages) == 1
    db.expire_all()
    assert db.scalars(select(SuggestionSuppression.reason)).one() == "low_csat"


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_at_most_one_per_conversation(db: Session, language: str) -> None:
    sender = f"web:once-{language}"
    first, _ = await run(ActionThank, thanks(sender, language, product="TP-SUP-001"))
    second, _ = await run(ActionThank, thanks(sender, language, product="TP-TNT-001"))
    assert len(first.messages) == 3 and len(second.messages) == 1
    db.expire_all()
    assert db.scalars(select(SuggestionSuppression.reason)).one() == "already_suggested"


async def test_a_yes_long_after_the_offer_is_not_taken_for_it(db: Session) -> None:
    sender = "web:stale"
    _, events = await run(ActionThank, thanks(sender, "nl", product="TP-SUP-001"))
    suggestion = slots_of(events)["suggestion"]
    later = conversation(
        sender,
        intent="affirm",
        before=[*SERVED, user("thank"), action("action_thank"), user("faq"), action("utter_faq")],
        slots={"suggestion": suggestion, "suggestion_step": "offered"},
    )
    expired = expire_suggestion(later)
    assert slots_of(expired) == {"suggestion_step": None}
    dispatcher, _ = await run(ActionAnswerSuggestion, later)
    assert texts(dispatcher)[0].startswith("Oké")
    db.expire_all()
    assert db.scalars(select(Suggestion.status)).one() == "shown"


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_no_offer_in_the_same_turn_as_bad_news(db: Session, language: str) -> None:
    sender = f"web:badnews-{language}"
    tracker = thanks(sender, language, product="TP-SUP-001")
    tracker.events.append(action("action_fallback"))  # this turn already went wrong
    dispatcher, events = await run(ActionThank, tracker)
    assert len(dispatcher.messages) == 1 and events == []
    db.expire_all()
    assert db.scalars(select(SuggestionSuppression.reason)).one() == "bad_news"


async def test_a_delay_notice_never_carries_an_offer(db: Session) -> None:
    from actions.delays import ActionAnnounceDelay
    from tests.actions.test_delays import NOTICE, WHATSAPP, notice_tracker
    from tests.helpers.handoff import identity_for

    identity_for(db.get_bind().url.render_as_string(hide_password=False), WHATSAPP, "C1001")
    dispatcher = CollectingDispatcher()
    notice = notice_tracker(WHATSAPP, NOTICE, channel="whatsapp")
    await ActionAnnounceDelay().run(dispatcher, notice, {})
    assert dispatcher.messages, "the notice was said"
    assert not any(
        (m.get("custom") or {}).get("type") == "product_cards" for m in dispatcher.messages
    )
    # …and a thanks right after it is not an opening for one either.
    after = conversation(
        WHATSAPP,
        intent="thank",
        before=[user("EXTERNAL_delivery_delayed"), action("action_announce_delay")],
        slots={"product": "TP-SUP-001"},
    )
    later, _ = await run(ActionThank, after)
    assert len(later.messages) == 1
    db.expire_all()
    assert db.scalars(select(Suggestion)).all() == []


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_more_info_on_the_suggestion_counts_as_a_click_and_asks_again(
    db: Session, language: str
) -> None:
    from actions.products import answer_product_question
    from tests.helpers.trackers import entity

    sender = f"web:click-{language}"
    sanne = customer(db, "C1001")
    first, events = await run(
        ActionThank, thanks(sender, language, verified_orders=["10475"], customer_id=sanne)
    )
    sku = first.messages[1]["custom"]["cards"][0]["sku"]
    click = conversation(
        sender,
        intent="product_question",
        text=f'/product_question{{"product": "{sku}"}}',
        catalogue=[entity("product", sku, "0")],
        slots={"language": language, **slots_of(events)},
    )
    dispatcher = CollectingDispatcher()
    answer_product_question(dispatcher, click)
    assert texts(dispatcher)[-1].startswith(
        "Zal ik het bij dezelfde zending doen?"
        if language == "nl"
        else "Shall I add it to the same parcel?"
    )
    db.expire_all()
    kinds = db.scalars(select(SuggestionEvent.kind).order_by(SuggestionEvent.id)).all()
    assert kinds == ["shown", "clicked"]
    assert db.scalars(select(Suggestion.status)).one() == "clicked"


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_shop_confirms_flow_and_an_order_that_shipped_meanwhile(
    db: Session, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.store.models import Order
    from bot.suggestions.config import parse_config

    shop_confirms = parse_config({"add_to_order": {"flow": "shop_confirms"}, "min_rating": 4})
    monkeypatch.setattr("actions.suggestions.suggestion_config", lambda: shop_confirms)
    sanne = customer(db, "C1001")
    _, events = await run(
        ActionThank,
        thanks(f"web:shop-{language}", language, verified_orders=["10475"], customer_id=sanne),
    )
    dispatcher, _ = await run(
        ActionAnswerSuggestion,
        answer(f"web:shop-{language}", True, language, slots_of(events)["suggestion"]),
    )
    assert texts(dispatcher)[0].startswith(
        "Top! Ik heb gevraagd of" if language == "nl" else "Great! I've asked for"
    )
    db.expire_all()
    assert db.scalars(select(OrderAddition.status)).one() == "awaiting_shop"

    _, events = await run(
        ActionThank,
        thanks(f"web:late-{language}", language, verified_orders=["10476"]),
    )
    db.scalars(select(Order).where(Order.order_number == "10476")).one().status = "shipped"
    db.commit()
    dispatcher, _ = await run(
        ActionAnswerSuggestion,
        answer(f"web:late-{language}", True, language, slots_of(events)["suggestion"]),
    )
    assert ("al onderweg" if language == "nl" else "already on its way") in texts(dispatcher)[0]
    db.expire_all()
    assert db.scalars(select(OrderAddition.status)).all() == ["awaiting_shop"]

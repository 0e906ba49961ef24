"""Sold out: the nearest alternative and a back-in-stock notice, subscribed on yes, queued in
the outbox when stock returns, said once, only to the customer who asked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.back_in_stock import ActionAnnounceBackInStock
from actions.products import answer_product_question
from actions.suggestions import ActionAnswerSuggestion
from bot.store import identities
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import OutboxMessage
from bot.store.models import Product, ProductVariant, utcnow
from bot.store.suggestion_models import StockSubscription, Suggestion
from bot.suggestions import config as config_module
from bot.suggestions.stock import release
from tests.helpers.sales import action, conversation, slots_of, user
from tests.helpers.trackers import entity, texts


@pytest.fixture
def db(store: str) -> Iterator[Session]:
    config_module.suggestion_config.cache_clear()
    engine = make_engine(store)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def ask_size(sender: str, language: str, size: str = "39") -> Any:
    text = "heb je de trailblazer in 39?" if language == "nl" else "trailblazer in size 39?"
    return conversation(
        sender,
        intent="product_question",
        text=text,
        slots={"language": language},
        catalogue=[entity("product", "TP-TRL-001", "0"), entity("size", size)],
    )


def restock(db: Session, sku: str, variant: str, stock: int) -> None:
    product = db.scalars(select(Product).where(Product.sku == sku)).one()
    row = db.scalars(
        select(ProductVariant).where(
            ProductVariant.product_id == product.id, ProductVariant.variant == variant
        )
    ).one()
    row.stock = stock
    db.commit()


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_sold_out_size_names_an_alternative_and_subscribes_on_yes(
    db: Session, language: str
) -> None:
    sender = f"web:stock-{language}"
    identities.resolve(db, "web", f"stock-{language}")
    db.commit()
    dispatcher = CollectingDispatcher()
    events = answer_product_question(dispatcher, ask_size(sender, language))
    sold_out, alternative, offer = dispatcher.messages
    assert ("uitverkocht" if language == "nl" else "sold out") in sold_out["text"]
    (card,) = alternative["custom"]["cards"]
    assert card["sku"] != "TP-TRL-001" and card["in_stock"] and card["size"] == "39"
    assert alternative["text"].startswith(
        "Wel op voorraad en vergelijkbaar:" if language == "nl" else "In stock and similar:"
    )
    name = db.scalars(select(Product).where(Product.sku == "TP-TRL-001")).one().name(language)
    assert offer["text"] == (
        f"Zal ik je een bericht sturen zodra {name} in maat 39 weer binnen is?"
        if language == "nl"
        else f"Shall I message you as soon as {name} in size 39 is back in stock?"
    )
    slots = slots_of(events)
    assert slots["suggestion_step"] == "back_in_stock"
    assert slots["stock_wanted"] == "TP-TRL-001|39"

    tracker = conversation(
        sender,
        intent="affirm",
        before=[user("product_question"), action("action_answer_product")],
        slots={"language": language, **slots},
    )
    reply = CollectingDispatcher()
    await ActionAnswerSuggestion().run(reply, tracker, {})
    assert ("Doe ik!" if language == "nl" else "Will do!") in texts(reply)[0]
    db.expire_all()
    (subscription,) = db.scalars(select(StockSubscription)).all()
    assert (subscription.variant, subscription.status) == ("39", "waiting")
    assert db.scalars(select(Suggestion.rule)).all() == ["alternative"]


async def test_a_conversation_without_a_channel_gets_no_offer(db: Session) -> None:
    dispatcher = CollectingDispatcher()
    events = answer_product_question(dispatcher, ask_size("rest-user", "nl"))
    assert len(dispatcher.messages) == 2  # the answer and the alternative; no notice offer
    assert "suggestion_step" not in slots_of(events)


async def test_back_in_stock_goes_through_the_outbox_once(db: Session) -> None:
    sender = "web:restock"
    identity = identities.resolve(db, "web", "restock")
    db.commit()
    customer_id = identity.customer_id
    answer_product_question(CollectingDispatcher(), ask_size(sender, "nl"))
    tracker = conversation(
        sender,
        intent="affirm",
        before=[user("product_question"), action("action_answer_product")],
        slots={"suggestion_step": "back_in_stock", "stock_wanted": "TP-TRL-001|39"},
    )
    await ActionAnswerSuggestion().run(CollectingDispatcher(), tracker, {})
    db.expire_all()
    assert release(db, now=utcnow()) == 0  # still sold out: nothing queued
    restock(db, "TP-TRL-001", "39", 5)
    assert release(db, now=utcnow()) == 1
    assert release(db, now=utcnow()) == 0
    db.commit()
    (message,) = db.scalars(select(OutboxMessage)).all()
    assert (message.intent, message.purpose, message.customer_id) == (
        "EXTERNAL_back_in_stock",
        "marketing",
        customer_id,
    )
    assert message.conversation_id == sender

    external = conversation(
        sender,
        intent="EXTERNAL_back_in_stock",
        metadata={"is_external": True},
        entities=[{"entity": k, "value": v} for k, v in message.entities.items()],
    )
    first, second = CollectingDispatcher(), CollectingDispatcher()
    await ActionAnnounceBackInStock().run(first, external, {})
    await ActionAnnounceBackInStock().run(second, external, {})  # a retried dispatch
    (notice,) = first.messages
    assert (
        notice["text"].startswith("Goed nieuws: ")
        and "in maat 39 is weer op voorraad" in (notice["text"])
    )
    assert notice["custom"]["cards"][0]["sku"] == "TP-TRL-001"
    # marketing: outside WhatsApp's window only with the marketing template, filled with these
    assert notice["custom"]["klantreis"]["purpose"] == "marketing"
    assert notice["custom"]["klantreis"]["template"]["product"] == "Veloce Trailblazer GTX"
    assert second.messages == []

    typed = conversation(
        "web:someone-else",
        intent="EXTERNAL_back_in_stock",
        entities=[{"entity": k, "value": v} for k, v in message.entities.items()],
    )
    nobody = CollectingDispatcher()
    await ActionAnnounceBackInStock().run(nobody, typed, {})
    assert nobody.messages == []

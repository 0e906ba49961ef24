"""The contact timeline: deduplicated deliveries, delivery reports, offline messages."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.store import identities, timeline
from bot.store.db import make_session_factory


@pytest.fixture
def store(demo_engine: Engine) -> Session:
    with make_session_factory(demo_engine)() as session:
        yield session


def test_a_provider_delivery_is_processed_once(store: Session) -> None:
    assert timeline.first_delivery(store, "whatsapp", "SM1")
    assert not timeline.first_delivery(store, "whatsapp", "SM1")
    assert timeline.first_delivery(store, "telegram", "SM1")  # per channel
    store.commit()
    assert not timeline.first_delivery(store, "whatsapp", "SM1")


def test_delivery_reports_only_move_forward(store: Session) -> None:
    identity = identities.resolve(store, "whatsapp", "+31612345678")
    message = timeline.record_outbound(
        store,
        customer_id=identity.customer_id,
        conversation_id="whatsapp:+31612345678",
        channel="whatsapp",
        text="Je pakket is onderweg.",
    )
    timeline.set_status(store, message, "sent", provider_id="SM9")
    timeline.set_status(store, message, "read")
    timeline.set_status(store, message, "delivered")  # late report: status stays 'read'
    store.commit()
    assert message.status == "read"
    assert [e.status for e in message.status_events] == ["sent", "read", "delivered"]
    assert timeline.by_provider_id(store, "whatsapp", "SM9") is message
    timeline.set_status(store, message, "failed", error_code="63016")
    assert message.status == "failed"


def test_offline_messages_wait_as_pending(store: Session) -> None:
    identity = identities.resolve(store, "web", "d" * 32)
    conversation = identities.conversation_id("web", "d" * 32)
    for text, status in (("een", "sent"), ("twee", "pending"), ("drie", "pending")):
        message = timeline.record_outbound(
            store,
            customer_id=identity.customer_id,
            conversation_id=conversation,
            channel="web",
            text=text,
        )
        timeline.set_status(store, message, status)
    store.commit()
    assert [m.text for m in timeline.pending(store, conversation)] == ["twee", "drie"]
    assert [m.text for m in timeline.conversation(store, conversation)] == ["een", "twee", "drie"]


def test_the_timeline_spans_every_channel_of_a_customer(store: Session) -> None:
    sanne = identities.customer_by_ref(store, "C1001")
    assert sanne is not None
    for channel, external in (("whatsapp", "+31612345678"), ("web", "e" * 32)):
        identity = identities.resolve(store, channel, external)
        identities.link(store, identity, sanne, "test")
        timeline.record_inbound(
            store,
            customer_id=sanne.id,
            conversation_id=identities.conversation_id(channel, external),
            channel=channel,
            text=f"via {channel}",
        )
    store.commit()
    items = [timeline.as_dict(m) for m in timeline.for_customer(store, sanne.id)]
    assert [(i["channel"], i["text"]) for i in items] == [
        ("whatsapp", "via whatsapp"),
        ("web", "via web"),
    ]
    assert timeline.last_inbound_at(store, sanne.id, "whatsapp") is not None
    assert timeline.last_inbound_at(store, sanne.id, "telegram") is None

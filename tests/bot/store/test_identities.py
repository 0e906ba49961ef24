"""One customer behind every channel identity: resolve, link by verification, merge."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.handoff import queue, surveys
from bot.store import identities, timeline
from bot.store.db import make_session_factory
from bot.store.handoff_models import Handoff, SurveyAnswer
from bot.store.models import Base, ChannelIdentity, Consent, ContactMessage, Customer


@pytest.fixture
def store(demo_engine: Engine) -> Session:
    with make_session_factory(demo_engine)() as session:
        yield session


def sanne(session: Session) -> Customer:
    customer = identities.customer_by_ref(session, "C1001")
    assert customer is not None
    return customer


def test_a_new_identity_gets_an_anonymous_customer(store: Session) -> None:
    identity = identities.resolve(store, "web", "a" * 32, language="en")
    store.commit()
    who = identities.who(store, identity)
    assert not who.verified and who.first_name is None and who.language == "en"
    assert identity.customer.is_anonymous
    again = identities.resolve(store, "web", "a" * 32)
    assert again.id == identity.id


def test_linking_merges_the_anonymous_record_and_keeps_its_history(store: Session) -> None:
    identity = identities.resolve(store, "telegram", "777")
    anonymous = identity.customer
    timeline.record_inbound(
        store,
        customer_id=anonymous.id,
        conversation_id="telegram:777",
        channel="telegram",
        text="hoi",
    )
    store.add(
        Consent(
            customer_id=anonymous.id,
            purpose="marketing",
            channel="telegram",
            granted=True,
            recorded_at=dt.datetime.now(dt.timezone.utc),
        )
    )
    store.commit()
    known = sanne(store)
    identities.link(store, identity, known, "telegram_contact")
    store.commit()

    who = identities.who(store, identity)
    assert who.verified and who.customer_id == known.id and who.first_name == "Sanne"
    assert who.method == "telegram_contact"
    assert store.get(Customer, anonymous.id).merged_into_id == known.id
    texts = [m.text for m in timeline.for_customer(store, known.id)]
    assert "hoi" in texts
    consents = store.scalars(select(Consent).where(Consent.customer_id == known.id)).all()
    assert ("marketing", "telegram") in {(c.purpose, c.channel) for c in consents}
    # The merged record still leads to Sanne.
    assert identities.live(store, store.get(Customer, anonymous.id)).id == known.id


def test_the_newest_consent_wins_when_both_records_have_one(store: Session) -> None:
    known = sanne(store)
    mine = next(iter(known.consents), None)
    if mine is None:
        pytest.skip("the demo customer has no consents")
    purpose, channel, original = mine.purpose, mine.channel, mine.granted
    identity = identities.resolve(store, "whatsapp", "+31600000001")
    store.add(
        Consent(
            customer_id=identity.customer_id,
            purpose=purpose,
            channel=channel,
            granted=not original,
            recorded_at=mine.recorded_at + dt.timedelta(days=1),
        )
    )
    store.commit()
    identities.link(store, identity, known, "whatsapp_phone")
    store.commit()
    kept = store.scalars(
        select(Consent).where(
            Consent.customer_id == known.id,
            Consent.purpose == purpose,
            Consent.channel == channel,
        )
    ).all()
    assert len(kept) == 1 and kept[0].granted is (not original)


def test_a_verified_identity_is_moved_not_merged(store: Session) -> None:
    identity = identities.resolve(store, "web", "b" * 32)
    identities.link(store, identity, sanne(store), "web_token")
    other = identities.customer_by_ref(store, "C1002")
    assert other is not None
    identities.link(store, identity, other, "web_token")
    store.commit()
    assert identities.who(store, identity).customer_id == other.id
    assert sanne(store).merged_into_id is None and other.merged_into_id is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+31612345678", "+31612345678"),
        ("whatsapp:+31612345678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("06 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("31612345678", "+31612345678"),
        ("hallo", None),
        ("", None),
        ("+0123", None),
    ],
)
def test_phone_numbers_are_normalised(raw: str, expected: str | None) -> None:
    assert identities.normalise_phone(raw) == expected


def test_a_customer_is_found_by_phone(store: Session) -> None:
    found = identities.customer_by_phone(store, "06 12345678")
    assert found is not None and found.customer_ref == "C1001"
    assert identities.customer_by_phone(store, "+31699999999") is None


def test_conversation_ids_name_their_channel() -> None:
    assert identities.conversation_id("whatsapp", "+316") == "whatsapp:+316"
    assert identities.split_conversation_id("telegram:42") == ("telegram", "42")
    assert identities.split_conversation_id("rest-user") is None
    assert identities.split_conversation_id("sms:+316") is None
    assert identities.split_conversation_id("web:") is None


def test_identities_are_unique_per_channel(store: Session) -> None:
    identities.resolve(store, "web", "c" * 32)
    identities.resolve(store, "telegram", "c" * 32)
    store.commit()
    count = store.scalars(select(ChannelIdentity).where(ChannelIdentity.external_id == "c" * 32))
    assert len(count.all()) == 2
    assert store.scalars(select(ContactMessage)).first() is None


def test_a_merge_moves_every_kind_of_row_of_the_customer(store: Session) -> None:
    identity = identities.resolve(store, "web", "m" * 32)
    anonymous_id = identity.customer_id
    conversation = identities.conversation_id("web", "m" * 32)
    timeline.record_inbound(
        store, customer_id=anonymous_id, conversation_id=conversation, channel="web", text="hoi"
    )
    handoff = queue.request(
        store,
        conversation_id=conversation,
        customer_id=anonymous_id,
        channel="web",
        language="nl",
        reason="explicit",
    )
    surveys.record(
        store,
        kind="csat",
        score=4,
        conversation_id=conversation,
        customer_id=anonymous_id,
        handoff_id=handoff.id,
    )
    store.commit()
    known = sanne(store)
    identities.link(store, identity, known, "web_token")
    store.commit()

    assert store.get(Handoff, handoff.id).customer_id == known.id
    answers = store.scalars(select(SurveyAnswer).where(SurveyAnswer.handoff_id == handoff.id))
    assert [a.customer_id for a in answers] == [known.id]
    assert identities.who(store, identity).customer_id == known.id
    for model in identities.MOVED_ON_MERGE:
        left = store.scalars(select(model).where(model.customer_id == anonymous_id)).all()
        assert left == [], f"{model.__name__} rows stayed with the merged record"


def test_every_table_with_a_customer_is_handled_by_merge() -> None:
    """A new table that belongs to a customer must be added to the merge, or it is orphaned."""
    handled = {model.__table__.name for model in identities.MOVED_ON_MERGE}
    handled.add(Consent.__table__.name)  # reconciled: the newest consent wins
    owning = {
        table.name
        for table in Base.metadata.tables.values()
        if any(fk.column.table.name == "customers" for fk in table.foreign_keys)
        and table.name != "customers"
    }
    assert owning == handled

"""Marketing messages go only where the customer allowed them: a recorded marketing consent,
or the conversation they asked for this notice in; WhatsApp outside the 24-hour window only
with an approved marketing template in the customer's language."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store import identities, timeline
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Consent, Customer, utcnow
from bot.suggestions.reach import marketing_candidates

ORDER = ("whatsapp", "telegram", "web")


def setup(db: Session, ref: str) -> Customer:
    return db.scalars(select(Customer).where(Customer.customer_ref == ref)).one()


def wrote_on_whatsapp(db: Session, customer: Customer, at: dt.datetime) -> str:
    conversation = f"whatsapp:{customer.phone}"
    record = timeline.record_inbound(
        db,
        customer_id=customer.id,
        conversation_id=conversation,
        channel="whatsapp",
        text="hoi",
    )
    record.created_at = at
    db.flush()
    return conversation


def test_marketing_needs_consent_or_the_customers_own_request(sqlite_demo_url: str) -> None:
    engine = make_engine(sqlite_demo_url)
    now = utcnow()
    with make_session_factory(engine)() as db:
        mark = setup(db, "C1002")  # no marketing consent anywhere
        found = marketing_candidates(db, customer_id=mark.id, order=ORDER, asked_in=None, now=now)
        assert found.conversations == () and "no marketing consent" in found.reason
        identity = identities.resolve(db, "web", "mark-tab")
        identities.link(db, identity, mark, "web_token")
        asked = marketing_candidates(
            db, customer_id=mark.id, order=ORDER, asked_in="web:mark-tab", now=now
        )
        assert asked.conversations == ("web:mark-tab",)
        db.add(
            Consent(
                customer_id=mark.id,
                purpose="marketing",
                channel="web",
                granted=False,
                recorded_at=now,
            )
        )
        db.flush()
        withdrawn = marketing_candidates(
            db, customer_id=mark.id, order=ORDER, asked_in="web:mark-tab", now=now
        )
        assert withdrawn.conversations == ()
    engine.dispose()


def test_whatsapp_only_inside_the_window(sqlite_demo_url: str) -> None:
    engine = make_engine(sqlite_demo_url)
    now = utcnow()
    with make_session_factory(engine)() as db:
        priya = setup(db, "C1009")  # marketing consent on WhatsApp
        conversation = wrote_on_whatsapp(db, priya, now - dt.timedelta(hours=30))
        late = marketing_candidates(db, customer_id=priya.id, order=ORDER, asked_in=None, now=now)
        assert late.conversations == () and "24-hour window" in late.reason
        wrote_on_whatsapp(db, priya, now - dt.timedelta(hours=1))
        fresh = marketing_candidates(db, customer_id=priya.id, order=ORDER, asked_in=None, now=now)
        assert fresh.conversations == (conversation,)
    engine.dispose()


def test_outside_the_window_whatsapp_needs_a_marketing_template_in_their_language(
    sqlite_demo_url: str,
) -> None:
    engine = make_engine(sqlite_demo_url)
    now = utcnow()
    with make_session_factory(engine)() as db:
        priya = setup(db, "C1009")  # English, marketing consent on WhatsApp
        conversation = wrote_on_whatsapp(db, priya, now - dt.timedelta(hours=30))

        def reach(*languages: str) -> tuple[tuple[str, ...], str]:
            found = marketing_candidates(
                db,
                customer_id=priya.id,
                order=ORDER,
                asked_in=None,
                now=now,
                template_languages=languages,
            )
            return found.conversations, found.reason

        assert reach("en") == ((conversation,), "")
        dutch_only = reach("nl")
        assert dutch_only[0] == ()
        assert dutch_only[1] == (
            "WhatsApp outside the 24-hour window needs an approved marketing template (en); "
            "none configured, not sent"
        )
    engine.dispose()

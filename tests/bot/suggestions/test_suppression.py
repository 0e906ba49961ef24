"""The "no thanks" cool-down on a real demo store: it lasts the configured `no_thanks_days`, for
that customer in any conversation and on any channel, and for no one else; and what an act's
ending means for a suggestion (bot/suggestions/moments.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.store.db import make_engine, make_session_factory
from bot.store.models import Customer, Product, utcnow
from bot.store.suggestion_models import Suggestion
from bot.suggestions import moments, record
from bot.suggestions.candidates import Context
from bot.suggestions.config import parse_config
from bot.suggestions.suppression import REASONS, Signals, reason_not_to


@pytest.mark.parametrize("days", [3, 30])
def test_no_thanks_lasts_the_configured_days_for_that_customer_everywhere(
    sqlite_demo_url: str, days: int
) -> None:
    config = parse_config({"no_thanks_days": days})
    engine = make_engine(sqlite_demo_url)
    now = utcnow()
    with make_session_factory(engine)() as db:
        sanne, ana = (
            db.scalars(select(Customer).where(Customer.customer_ref == ref)).one()
            for ref in ("C1001", "C1022")
        )
        product = db.scalars(select(Product)).first()
        assert product is not None
        declined = Suggestion(
            conversation_id="web:first",
            customer_id=sanne.id,
            channel="web",
            language="nl",
            rule="complement",
            product_id=product.id,
            score="1",
            context={},
            status="shown",
            shown_at=now,
        )
        db.add(declined)
        db.flush()
        record.no_thanks(db, suggestion=declined, days=config.no_thanks_days, now=now)

        def reason(conversation: str, customer_id: int | None, at: dt.datetime) -> str | None:
            context = Context(
                conversation_id=conversation, channel="whatsapp", language="nl", now=at
            )
            found = reason_not_to(
                db, context=context, signals=Signals(), config=config, customer_id=customer_id
            )
            return found[0] if found else None

        almost = now + dt.timedelta(days=days) - dt.timedelta(minutes=1)
        over = now + dt.timedelta(days=days, minutes=1)
        # another conversation and channel of Sanne's: held back until the period ends
        assert reason("whatsapp:+31612345678", sanne.id, now) == "no_thanks"
        assert reason("whatsapp:+31612345678", sanne.id, almost) == "no_thanks"
        assert reason("whatsapp:+31612345678", sanne.id, over) is None
        # the conversation it was said in, even without knowing who it is
        assert reason("web:first", None, almost) == "no_thanks"
        # someone else is not held back by Sanne's no
        assert reason("web:other", ana.id, now) is None
    engine.dispose()


def test_every_ending_means_a_known_outcome() -> None:
    outcomes = {moments.OFFER, moments.BAD_NEWS, moments.RETURN}
    assert set(moments.ENDINGS.values()) == outcomes
    assert {moments.BAD_NEWS, moments.RETURN} <= set(REASONS)  # recorded under these names
    assert moments.meaning("order_status_delayed") == moments.BAD_NEWS
    assert moments.meaning("return_created") == moments.RETURN
    assert moments.meaning("delivery_changed_pickup") == moments.OFFER
    assert moments.meaning("refund_none") is None  # no moment: nothing shown, nothing recorded


def test_every_ending_is_a_reply_in_the_catalogue() -> None:
    from bot.texts import catalogue

    assert set(moments.ENDINGS) <= set(catalogue())

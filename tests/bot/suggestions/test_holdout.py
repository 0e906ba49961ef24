"""The control group: a deterministic share of customers, their suggestion recorded as held out
and not shown, and the report comparing what shown and held-out customers bought."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.cli import main
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import OutboxMessage
from bot.store.models import Consent, Customer, utcnow
from bot.store.suggestion_models import Suggestion, SuggestionEvent
from bot.suggestions.candidates import Context
from bot.suggestions.config import SuggestionConfig, SuggestionConfigError, parse_config
from bot.suggestions.control import compare, control_lines, z_score
from bot.suggestions.engine import suggest
from bot.suggestions.holdout import bucket, held_out
from bot.suggestions.proactive import queue_lifecycle_offers
from bot.suggestions.report import figures
from bot.suggestions.suppression import Signals
from tests.bot.suggestions.test_report import order, shown


@pytest.fixture
def db(demo_engine: Engine) -> Iterator[Session]:
    with make_session_factory(demo_engine)() as session:
        yield session


def customer(db: Session, ref: str) -> int:
    return int(db.scalars(select(Customer.id).where(Customer.customer_ref == ref)).one())


def salt_for(customer_id: int, *, out: bool, share: float = 0.5) -> SuggestionConfig:
    """A config whose salt puts this customer in (or out of) the control group."""
    for n in range(200):
        config = SuggestionConfig(min_rating=4.0, holdout_share=share, holdout_salt=f"s{n}")
        if held_out(config, customer_id=customer_id, conversation_id="") == out:
            return config
    raise AssertionError("no salt found")


def test_the_share_is_deterministic_and_about_right() -> None:
    config = SuggestionConfig(holdout_share=0.1)
    picks = [held_out(config, customer_id=i, conversation_id="") for i in range(5000)]
    assert 0.08 < sum(picks) / len(picks) < 0.12
    assert picks == [held_out(config, customer_id=i, conversation_id="") for i in range(5000)]
    assert bucket("klantreis", "customer:7") == bucket("klantreis", "customer:7")
    assert not held_out(SuggestionConfig(), customer_id=1, conversation_id="")  # 0: nobody
    anonymous = [held_out(config, customer_id=None, conversation_id=f"web:{i}") for i in range(999)]
    assert 0 < sum(anonymous) < 200


def test_the_share_is_checked() -> None:
    assert parse_config({"holdout_share": 0.1}).holdout_share == 0.1
    for wrong in (1, 1.5, -0.1, "veel"):
        with pytest.raises(SuggestionConfigError, match="holdout_share"):
            parse_config({"holdout_share": wrong})


@pytest.mark.parametrize("out", [True, False])
def test_an_eligible_suggestion_is_held_out_not_shown(db: Session, out: bool) -> None:
    sanne = customer(db, "C1001")
    config = salt_for(sanne, out=out)
    context = Context(
        conversation_id="web:holdout",
        channel="web",
        language="nl",
        now=utcnow(),
        customer_id=sanne,
        order_numbers=("10475",),
    )
    outcome = suggest(db, context=context, signals=Signals(), config=config)
    row = db.scalars(select(Suggestion).where(Suggestion.conversation_id == "web:holdout")).one()
    kinds = db.scalars(
        select(SuggestionEvent.kind).where(SuggestionEvent.suggestion_id == row.id)
    ).all()
    if out:
        assert outcome.pick is None and outcome.held_out
        assert (row.status, row.rule, row.channel, kinds) == (
            "held_out",
            "complement",
            "web",
            ["held_out"],
        )
    else:
        assert outcome.pick is not None and not outcome.held_out
        assert (row.status, kinds) == ("shown", ["shown"])
    again = suggest(db, context=context, signals=Signals(), config=config)
    assert again.suppressed == "already_suggested"  # held out counts: one per conversation
    assert [r.shown for r in figures(db, attribution_days=7)] == ([] if out else [1])


def test_a_held_out_lifecycle_offer_is_recorded_once_and_not_queued(db: Session) -> None:
    runner = customer(db, "C1002")  # a road-shoe replacement is due
    db.add(
        Consent(
            customer_id=runner,
            purpose="marketing",
            channel="whatsapp",
            granted=True,
            recorded_at=utcnow(),
        )
    )
    db.flush()
    config = salt_for(runner, out=True, share=0.9)
    now = utcnow()
    queue_lifecycle_offers(db, now=now, config=config)
    queue_lifecycle_offers(db, now=now + dt.timedelta(hours=1), config=config)
    held = db.scalars(
        select(Suggestion).where(Suggestion.customer_id == runner, Suggestion.status == "held_out")
    ).all()
    assert [(s.rule, s.channel, s.context.get("proactive")) for s in held] == [
        ("lifecycle", "outbox", True)
    ]
    assert db.scalars(select(OutboxMessage).where(OutboxMessage.customer_id == runner)).all() == []


def test_the_report_compares_shown_with_held_out(sqlite_demo_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_demo_url)
    now = utcnow()
    with make_session_factory(engine)() as db:
        ids = db.scalars(select(Customer.id).order_by(Customer.id).limit(8)).all()
        for i, who in enumerate(ids[:4]):  # shown: two of four bought the socks
            shown(db, rule="complement", channel="web", sku="TP-SOK-001", customer_id=who, at=now)
            if i < 2:
                order(db, f"H-{i}", who, now + dt.timedelta(days=1), "TP-SOK-001")
        for i, who in enumerate(ids[4:]):  # held out: one of four bought something else
            row = shown(
                db, rule="complement", channel="web", sku="TP-SOK-001", customer_id=who, at=now
            )
            row.status = "held_out"
            if i == 0:
                order(db, f"C-{i}", who, now + dt.timedelta(days=1), "TP-RUN-001")
        db.commit()
        (row,) = compare(db, attribution_days=7)
        assert (row.shown, row.shown_same, row.shown_any) == (4, 2, 2)
        assert (row.held_out, row.held_same, row.held_any) == (4, 0, 1)
        assert row.uplift_same == pytest.approx(50.0) and row.uplift_any == pytest.approx(25.0)
        assert row.z_same == pytest.approx(z_score(2, 4, 0, 4))
        assert [r.shown for r in figures(db, attribution_days=7)] == [4]  # held out left out
        lines = control_lines([row], attribution_days=7, share=0.5)
        assert "+50.0pp" in lines[3] and "50.0%" in lines[3]
    engine.dispose()

    import os

    os.environ["DATABASE_URL"] = sqlite_demo_url
    try:
        assert main(["report", "suggestions"]) == 0
    finally:
        del os.environ["DATABASE_URL"]
    printed = capsys.readouterr().out
    assert "Control group" in printed and "+50.0pp" in printed


def test_z_score() -> None:
    assert z_score(1, 0, 1, 1) is None
    assert z_score(50, 100, 50, 100) == 0.0
    assert z_score(60, 100, 40, 100) == pytest.approx(2.83, abs=0.01)

"""CSAT and NPS answers, and whether it is time to ask a customer the NPS question."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.handoff.policy import HandoffPolicy
from bot.store.handoff_models import SurveyAnswer
from bot.store.models import utcnow

RANGES = {"csat": (1, 5), "nps": (0, 10)}


def record(
    session: Session,
    *,
    kind: str,
    score: int,
    conversation_id: str,
    customer_id: int,
    handoff_id: int | None = None,
    agent_id: int | None = None,
    comment: str | None = None,
) -> SurveyAnswer:
    low, high = RANGES[kind]
    if not low <= score <= high:
        raise ValueError(f"a {kind} score is {low}-{high}, not {score}")
    answer = SurveyAnswer(
        kind=kind,
        score=score,
        conversation_id=conversation_id,
        customer_id=customer_id,
        handoff_id=handoff_id,
        agent_id=agent_id,
        comment=(comment or None) and comment[:2000],
    )
    session.add(answer)
    session.flush()
    return answer


def answered(session: Session, *, handoff_id: int, kind: str) -> bool:
    """Whether the customer already answered this survey about this handoff."""
    found = session.scalar(
        select(SurveyAnswer.id).where(
            SurveyAnswer.handoff_id == handoff_id, SurveyAnswer.kind == kind
        )
    )
    return found is not None


def nps_due(
    session: Session, customer_id: int, policy: HandoffPolicy, now: dt.datetime | None = None
) -> bool:
    """Now and then: after every n-th CSAT answer, and not within the quiet period."""
    now = now or utcnow()
    csat = (
        session.scalar(
            select(func.count(SurveyAnswer.id)).where(
                SurveyAnswer.customer_id == customer_id, SurveyAnswer.kind == "csat"
            )
        )
        or 0
    )
    if csat == 0 or csat % max(policy.nps_every_nth_csat, 1) != 0:
        return False
    last = session.scalar(
        select(func.max(SurveyAnswer.answered_at)).where(
            SurveyAnswer.customer_id == customer_id, SurveyAnswer.kind == "nps"
        )
    )
    return last is None or now - last >= dt.timedelta(days=policy.nps_min_days_between)


def history(session: Session, customer_id: int) -> list[SurveyAnswer]:
    return list(
        session.scalars(
            select(SurveyAnswer)
            .where(SurveyAnswer.customer_id == customer_id)
            .order_by(SurveyAnswer.id.desc())
            .limit(20)
        )
    )

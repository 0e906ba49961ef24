"""The control group: a share of customers (`holdout_share`) never sees a suggestion. When
one would have been shown, it is recorded as `held_out` (rule, product, channel) instead, so
the report can compare what shown and held-out customers bought afterwards.

Deterministic per customer: a hash of the salt and the customer (the conversation, for an
anonymous visitor), so a customer stays in one group across conversations and processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy.orm import Session

from bot.store.suggestion_models import Suggestion
from bot.suggestions import record
from bot.suggestions.config import SuggestionConfig

HELD_OUT = "held_out"


def bucket(salt: str, key: str) -> float:
    """Where `key` falls in [0, 1), the same on every machine and run."""
    digest = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def held_out(config: SuggestionConfig, *, customer_id: int | None, conversation_id: str) -> bool:
    if config.holdout_share <= 0:
        return False
    key = f"customer:{customer_id}" if customer_id is not None else f"conv:{conversation_id}"
    return bucket(config.holdout_salt, key) < config.holdout_share


def record_held_out(
    session: Session, *, suggestion: Suggestion, now: dt.datetime, context: dict[str, Any]
) -> Suggestion:
    """Store the suggestion that would have been shown, as held out."""
    suggestion.status = HELD_OUT
    suggestion.context = {**(suggestion.context or {}), "held_out": True}
    session.add(suggestion)
    session.flush()
    record.event(session, suggestion=suggestion, kind=HELD_OUT, now=now, context=context)
    return suggestion

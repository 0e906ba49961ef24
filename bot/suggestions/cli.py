"""`klantreis suggestions lifecycle`, `klantreis report suggestions` and the back-in-stock
release after an import: the operator's side of the sales suggestions (docs/suggestions.md)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable

from sqlalchemy.engine import Engine

from bot.settings import Settings
from bot.store.db import make_session_factory
from bot.store.models import utcnow
from bot.suggestions.config import load_config


def release_back_in_stock(*, engine: Engine) -> int:
    """Stock came back with the import: queue the notices customers asked for (outbox)."""
    from bot.suggestions.stock import release

    with make_session_factory(engine)() as session, session.begin():
        return release(session, now=utcnow())


def report(
    settings: Settings, args: argparse.Namespace, *, engine: Engine, say: Callable[[str], None]
) -> None:
    """Shown, accepted, conversion and revenue per rule and channel."""
    from bot.suggestions.control import compare, control_lines
    from bot.suggestions.report import figures, table_lines

    config = load_config(settings.retailer_file)
    days = config.attribution_days
    since = utcnow() - dt.timedelta(days=args.days) if args.days else None
    with make_session_factory(engine)() as session:
        rows = figures(session, attribution_days=days, since=since)
        control = compare(session, attribution_days=days, since=since)
    for line in table_lines(rows, attribution_days=days):
        say(line)
    say("")
    for line in control_lines(control, attribution_days=days, share=config.holdout_share):
        say(line)


def lifecycle(settings: Settings, *, engine: Engine, say: Callable[[str], None]) -> None:
    """Queue the replacement offers that are due (marketing consent only)."""
    from bot.suggestions.proactive import queue_lifecycle_offers

    config = load_config(settings.retailer_file)
    with make_session_factory(engine)() as session, session.begin():
        queued = queue_lifecycle_offers(session, now=utcnow(), config=config)
    say(f"Lifecycle offers: {queued} queued (customers with marketing consent only).")

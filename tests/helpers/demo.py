"""A migrated store holding the demo shop, its dates moved to today."""

from __future__ import annotations

from bot.cli import DEMO_DIR, demo_shift
from bot.importer import import_folder
from bot.store import migrate
from bot.store.db import make_engine, make_session_factory

# What the bot must survive politely on every channel.
BAD_INPUT = [
    "",
    "   ",
    "🙂🙂🙂",
    "<script>alert(1)</script>",
    "'; DROP TABLE orders; --",
    "x" * 10_000,
    "10452' OR '1'='1",
]


def make_demo_store(url: str) -> str:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with make_session_factory(engine)() as session, session.begin():
        import_folder(session=session, folder=DEMO_DIR, shift=demo_shift())
    engine.dispose()
    return url

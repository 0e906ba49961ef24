"""Open the store for a command or service, with errors that say what to do next."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError, SQLAlchemyError

from bot.store import migrate
from bot.store.db import StoreConfigError, make_engine


def connect(database_url: str) -> Engine:
    """An engine that has been shown to connect."""
    engine = make_engine(database_url)
    safe_url = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DatabaseError as exc:  # unreachable server, unreadable or foreign file, bad login
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreConfigError(
            f"Cannot open the database at {safe_url}: {reason}. "
            "Check DATABASE_URL (and that the server runs / the folder is writable)."
        ) from exc
    return engine


def require_current_schema(engine: Engine) -> None:
    """Refuse to work on a database whose schema is missing or from another version."""
    try:
        current = migrate.current_revision(engine)
    except SQLAlchemyError as exc:
        raise StoreConfigError(f"Cannot read the schema version: {exc}") from exc
    head = migrate.head_revision(engine)
    if current == head:
        return
    if current is None:
        raise StoreConfigError("The database has no Klantreis schema yet. Run: klantreis migrate")
    raise StoreConfigError(
        f"The database schema is at revision {current}, this Klantreis expects {head}. "
        "Run: klantreis migrate (back up first if it holds real data)."
    )


def migrate_to_head(engine: Engine) -> tuple[str | None, str | None]:
    """Upgrade to the newest schema; returns (before, after)."""
    before = migrate.current_revision(engine)
    if before is not None and before not in migrate.known_revisions(engine):
        raise StoreConfigError(
            f"The database is at schema revision {before}, which this Klantreis does not know "
            "(it was made by a newer version). Upgrade Klantreis; nothing was changed."
        )
    if before is None:
        ours = {"customers", "products", "orders"}
        if ours & set(inspect(engine).get_table_names()):
            raise StoreConfigError(
                "The database already holds Klantreis-like tables but no schema version, so it "
                "cannot be migrated safely. Point DATABASE_URL at an empty database, or restore "
                "the alembic_version table; nothing was changed."
            )
    try:
        migrate.upgrade(engine)
    except (OperationalError, ProgrammingError) as exc:
        raise StoreConfigError(
            f"The migration failed and was rolled back: {exc.orig}. Nothing was changed."
        ) from exc
    return before, migrate.current_revision(engine)

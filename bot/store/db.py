"""Engines and sessions: built by factories, never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool


class StoreConfigError(Exception):
    """The database URL or file cannot be used; the message says what to do."""


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """Create an engine for `database_url`, tuned for SQLite when it is a file."""
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise StoreConfigError(
            f"DATABASE_URL {database_url!r} is not a database URL. "
            "Use sqlite:///path/to/file.db or postgresql://user@host:5432/dbname."
        ) from exc
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            folder = Path(url.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreConfigError(
                    f"Cannot create the folder {folder} for the SQLite database: {exc.strerror}. "
                    "Set DATABASE_URL or KLANTREIS_RUNTIME_DIR to a writable place."
                ) from exc
            # Keep connections open (SQLAlchemy 1.4 opens one per session for a file): opening
            # one and setting its pragmas cost more than the queries of a small unit of work.
            # A pooled connection is used by one thread at a time, so it may change threads.
            kwargs.setdefault("poolclass", QueuePool)
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    else:
        # A server restart closes pooled connections: test each before use, reconnect if dead.
        kwargs.setdefault("pool_pre_ping", True)
    try:
        engine = create_engine(url, future=True, **kwargs)
    except (ModuleNotFoundError, NoSuchModuleError) as exc:
        raise StoreConfigError(
            f"No database driver for {url.drivername!r}. "
            "Klantreis supports SQLite (sqlite:///…) and PostgreSQL (postgresql://…)."
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", sqlite_pragmas)
    return engine


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets Rasa's tracker store, the action server and our services share one file.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False, class_=Session)

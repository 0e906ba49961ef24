"""Alembic environment: runs against the connection handed over by bot.store.migrate."""

from __future__ import annotations

from alembic import context

from bot.store.migrate import include_object
from bot.store.models import Base


def run_migrations_online() -> None:
    connectable = context.config.attributes.get("connection")
    if connectable is None:
        from bot.store.db import make_engine

        url = context.config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("run migrations through `klantreis migrate`")
        connectable = make_engine(url).connect()
    context.configure(
        connection=connectable,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connectable.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()

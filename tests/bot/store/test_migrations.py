"""The schema is built by Alembic alone, and every migration can be undone and redone."""

from sqlalchemy import inspect

from bot.store import migrate
from bot.store.db import make_engine

TABLES = {
    "customers",
    "consents",
    "channel_identities",
    "products",
    "product_variants",
    "reviews",
    "orders",
    "order_lines",
    "shipments",
    "shipment_events",
    "returns",
    "categories",
    "attribute_definitions",
}


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    assert migrate.current_revision(engine) is None

    migrate.upgrade(engine)

    assert set(inspect(engine).get_table_names()) >= TABLES
    assert migrate.is_up_to_date(engine)


def test_downgrade_and_upgrade_round_trip(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine)

    migrate.downgrade(engine, "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    assert migrate.current_revision(engine) is None

    migrate.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES


def test_models_match_the_migrations(engine) -> None:  # type: ignore[no-untyped-def]
    """Autogenerate finds nothing to do: no model change without a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.store.migrate import include_object
    from bot.store.models import Base

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_an_existing_catalogue_is_described_on_upgrade(database_url: str) -> None:
    """Products imported before 0007 get their categories and attribute keys, so a
    products-only import keeps working after the upgrade."""
    import json

    from sqlalchemy import text

    engine = make_engine(database_url)
    migrate.upgrade(engine, "0006")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO products (sku, brand, category, name_nl, name_en, description_nl,"
                " description_en, price_cents, complementary, synonyms, attributes) VALUES"
                " ('S1', 'B', 'tents', 'n', 'n', 'd', 'd', 100, '[]', '[]', :a)"
            ),
            {"a": json.dumps({"waterproof": True, "persons": 2, "material": "nylon"})},
        )

    migrate.upgrade(engine)

    with engine.connect() as connection:
        assert connection.execute(text("SELECT key FROM categories")).scalars().all() == ["tents"]
        types = dict(connection.execute(text("SELECT key, type FROM attribute_definitions")).all())
    assert types == {"waterproof": "bool", "persons": "number", "material": "text"}

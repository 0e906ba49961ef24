"""Catalogue look-ups for product answers."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.store.catalogue import products_by_sku, products_by_sku_lists


def test_several_lists_of_skus_in_one_look_up(demo_engine: Engine) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    with Session(demo_engine) as session:
        event.listen(demo_engine, "before_cursor_execute", count)
        try:
            named, context, shown = products_by_sku_lists(
                session=session,
                lists=[["TP-TRL-001"], [""], ["TP-TNT-001", "NOPE", "TP-TRL-001", "TP-TNT-001"]],
            )
        finally:
            event.remove(demo_engine, "before_cursor_execute", count)
        assert [p.sku for p in named] == ["TP-TRL-001"]
        assert context == []  # no product in context: nothing asked for it
        assert [p.sku for p in shown] == ["TP-TNT-001", "TP-TRL-001"]  # order kept, once each
        assert len(statements) == 3  # the products, their variants and their reviews
        assert shown[1] is named[0]
        assert shown == products_by_sku(session=session, skus=["TP-TNT-001", "TP-TRL-001"])

"""Natural key → id look-ups for references between import files, loaded once per kind."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.importer.fields import FieldError
from bot.store import models as m


class References:
    """Answers 'which id has SKU X?' from the database as it is inside this import."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[str, dict[Any, Any]] = {}
        self._words: dict[str, str] = {}  # shopper word → its owner in this import

    def claim_word(self, word: str, owner: str, field: str) -> None:
        """One shopper word means one thing: a category, an attribute or one of its values."""
        lowered = " ".join(word.lower().split())
        taken = self._words.setdefault(lowered, owner)
        if taken != owner:
            raise FieldError(
                f"{field}: {word!r} is already a word of {taken}; a word can mean one thing only, "
                "so keep it in one place"
            )

    def invalidate(self) -> None:
        self._cache.clear()

    def _table(self, name: str, *columns: Any) -> dict[Any, Any]:
        if name not in self._cache:
            rows = self._session.execute(select(*columns)).all()
            if len(columns) == 2:
                self._cache[name] = {row[0]: row[1] for row in rows}
            else:
                self._cache[name] = {row[0]: tuple(row[1:]) for row in rows}
        return self._cache[name]

    def _lookup(self, name: str, key: str, what: str, *columns: Any) -> Any:
        found = self._table(name, *columns).get(key)
        if found is None:
            raise FieldError(f"unknown {what} {key!r}")
        return found

    def product_id(self, sku: str) -> int:
        return self._lookup("products", sku, "sku", m.Product.sku, m.Product.id)

    def customer_id(self, ref: str) -> int:
        return self._lookup(
            "customers", ref, "customer_ref", m.Customer.customer_ref, m.Customer.id
        )

    def order_id(self, number: str) -> int:
        return self._lookup("orders", number, "order_number", m.Order.order_number, m.Order.id)

    def shipment_id(self, code: str) -> int:
        return self._lookup(
            "shipments", code, "tracking_code", m.Shipment.tracking_code, m.Shipment.id
        )

    def require_category(self, key: str) -> str:
        known = self._table("categories", m.Category.key, m.Category.id)
        if key not in known:
            names = ", ".join(sorted(known)) or "none yet"
            raise FieldError(
                f"category: unknown category {key!r}; add it to categories.yml "
                f"(known categories: {names})"
            )
        return key

    def attribute_definitions(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Attribute key → (type, the keys of its values; empty when free text)."""
        rows = self._table(
            "attributes",
            m.AttributeDefinition.key,
            m.AttributeDefinition.type,
            m.AttributeDefinition.values,
        )
        return {key: (kind, tuple(values or {})) for key, (kind, values) in rows.items()}

    def require_variant(self, product_id: int, sku: str, variant: str) -> None:
        if "variants" not in self._cache:
            pairs = self._session.execute(
                select(m.ProductVariant.product_id, m.ProductVariant.variant)
            ).all()
            self._cache["variants"] = {(pid, name): True for pid, name in pairs}
        if (product_id, variant) not in self._cache["variants"]:
            raise FieldError(f"product {sku} has no variant {variant!r}")

    def customer_address(self, customer_id: int) -> dict[str, Any]:
        table = self._table(
            "addresses",
            m.Customer.id,
            m.Customer.street,
            m.Customer.house_number,
            m.Customer.postcode,
            m.Customer.city,
        )
        street, house_number, postcode, city = table[customer_id]
        return {"street": street, "house_number": house_number, "postcode": postcode, "city": city}

"""The retailer's catalogue vocabulary for answers: what its categories and attributes are
called, in the shopper's language, straight from the imported data (no word list in code)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts
from bot.store.models import AttributeDefinition, Category


def categories(*, session: Session) -> dict[str, Category]:
    """Every category the shop sells, by key: what "do you sell X?" is checked against."""
    return {c.key: c for c in session.execute(select(Category).order_by(Category.key)).scalars()}


def attribute_definitions(*, session: Session) -> dict[str, AttributeDefinition]:
    return {
        d.key: d
        for d in session.execute(
            select(AttributeDefinition).order_by(AttributeDefinition.key)
        ).scalars()
    }


def attribute_phrase(definition: AttributeDefinition, value: Any, language: str) -> str:
    """One attribute of a product in plain words: 'waterdicht', 'weg', 'gewicht 245 g',
    'inhoud 1,5 l' (Dutch decimal comma), '2 personen', 'materiaal gerecycled mesh'."""
    name = definition.name(language)
    if definition.type == "bool":
        yes = texts.fragment("value_yes" if value else "value_no", language)
        return name if value else f"{name}: {yes}"
    if definition.type == "number":
        number = _number(value, language)
        # A measure reads 'gewicht 245 g'; a count without a unit reads '2 personen'.
        return f"{name} {number} {definition.unit}" if definition.unit else f"{number} {name}"
    spec = (definition.values or {}).get(str(value))
    if spec:
        return str(spec["name_en" if language == "en" else "name_nl"])
    return f"{name} {value}"


def _number(value: Any, language: str) -> str:
    amount = Decimal(str(value))
    text = str(amount.normalize()) if amount != amount.to_integral_value() else str(int(amount))
    return text if language == "en" else text.replace(".", ",")

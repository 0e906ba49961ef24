"""The retailer's catalogue vocabulary: categories and attribute definitions, and the checks
a product's category and attributes must pass against them.

Shopper words are matched by the NLU (bot.nlu.patterns), so one word may belong to one
category, attribute or attribute value only; a clash stops the import and names both owners.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.importer import fields as f
from bot.importer.refs import References

NUMBER = "{n}"  # where the number goes in a number attribute's words: "{n} persoons", "for {n}"
VALUE_FIELDS = ("name_nl", "name_en", "words_nl", "words_en")
NO_SHIFT = dt.timedelta(0)


def attribute_values(value: Any, shift: dt.timedelta) -> dict[str, dict[str, Any]]:
    """The values of a text attribute: {key: {name_nl, name_en, words_nl, words_en}}."""
    raw = f.mapping(value, shift)
    result: dict[str, dict[str, Any]] = {}
    for raw_key, spec in raw.items():
        try:
            key = f.key(raw_key, shift)
        except f.FieldError as exc:
            raise f.FieldError(f"value {exc}") from None
        spec = spec or {}
        if not isinstance(spec, dict):
            raise f.FieldError(f"{key}: give the value as a mapping with {', '.join(VALUE_FIELDS)}")
        unknown = sorted(set(spec) - set(VALUE_FIELDS))
        if unknown:
            raise f.FieldError(
                f"{key}: unknown field(s) {', '.join(unknown)}; use {', '.join(VALUE_FIELDS)}"
            )
        try:
            result[key] = {
                "name_nl": f.text(100)(spec.get("name_nl") or key, shift),
                "name_en": f.text(100)(spec.get("name_en") or key, shift),
                "words_nl": f.words(spec.get("words_nl") or [], shift),
                "words_en": f.words(spec.get("words_en") or [], shift),
            }
        except f.FieldError as exc:
            raise f.FieldError(f"{key}: {exc}") from None
    return result


def categories(row: dict[str, Any], refs: References) -> dict[str, Any]:
    owner = f"category {row['key']}"
    columns = {
        "key": row["key"],
        "name_nl": row["name_nl"],
        "name_en": row["name_en"],
        "words_nl": row.get("words_nl") or [],
        "words_en": row.get("words_en") or [],
    }
    for field in ("words_nl", "words_en"):
        for word in columns[field]:
            _no_number(word, field)
            refs.claim_word(word, owner, field)
    return columns


def attributes(row: dict[str, Any], refs: References) -> dict[str, Any]:
    key, kind = row["key"], row["type"]
    values = row.get("values") or {}
    if values and kind != "text":
        raise f.FieldError(f"values: only a text attribute has values; {key} is {kind}")
    columns = {
        "key": key,
        "type": kind,
        "unit": row.get("unit"),
        "name_nl": row["name_nl"],
        "name_en": row["name_en"],
        "words_nl": row.get("words_nl") or [],
        "words_en": row.get("words_en") or [],
        "values": values,
    }
    for field in ("words_nl", "words_en"):
        for word in columns[field]:
            if kind != "number":
                _no_number(word, field)
            elif word.count(NUMBER) > 1:
                raise f.FieldError(f"{field}: {word!r} has {NUMBER} more than once")
            elif not word.replace(NUMBER, "").strip(" -"):
                raise f.FieldError(
                    f"{field}: {word!r} is only a number; add the words around it ('{NUMBER} cm')"
                )
            refs.claim_word(word, f"attribute {key}", field)
    if kind == "text" and columns["words_nl"] + columns["words_en"] and not values:
        raise f.FieldError(
            "words_nl/words_en: a text attribute without values has nothing to match the "
            "words to; give the words per value under values"
        )
    for value_key, spec in values.items():
        for field in ("words_nl", "words_en"):
            for word in spec[field]:
                _no_number(word, f"values.{value_key}.{field}")
                refs.claim_word(word, f"attribute {key}={value_key}", f"values.{value_key}")
    return columns


def _no_number(word: str, field: str) -> None:
    if NUMBER in word:
        raise f.FieldError(f"{field}: {NUMBER} only goes in the words of a number attribute")


def product_attributes(attributes: dict[str, Any], refs: References) -> dict[str, Any]:
    """The product's attributes checked against their definitions, values in stored form."""
    definitions = refs.attribute_definitions()
    result: dict[str, Any] = {}
    for key, value in attributes.items():
        definition = definitions.get(key)
        if definition is None:
            known = ", ".join(sorted(definitions)) or "none yet"
            raise f.FieldError(
                f"attributes: unknown key {key!r}; define it in attributes.yml "
                f"(known keys: {known})"
            )
        kind, values = definition
        try:
            result[key] = _attribute_value(value, kind, values)
        except f.FieldError as exc:
            raise f.FieldError(f"attributes.{key}: {exc}") from None
    return result


def _attribute_value(value: Any, kind: str, values: tuple[str, ...]) -> Any:
    if value is None:
        raise f.FieldError("has no value; give one or leave the key out")
    if isinstance(value, (dict, list)):
        raise f.FieldError("must be one value, not a list or mapping")
    if kind == "bool":
        return f.boolean(value, NO_SHIFT)
    if kind == "number":
        return _number(value)
    text = str(value).strip()
    if not values:
        return f.text(200)(text, NO_SHIFT)
    if text.lower() not in values:
        raise f.FieldError(
            f"{text!r} is not one of {', '.join(values)}; use one of those or add the value "
            "to this attribute in attributes.yml"
        )
    return text.lower()


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise f.FieldError(f"{value!r} is not a number")
    if isinstance(value, int):
        return value
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise f.FieldError(f"{value!r} is not a number like 310 or 2.5") from None
    if not amount.is_finite() or abs(amount) > f.INT_MAX:
        raise f.FieldError(f"{value!r} is not a number like 310 or 2.5")
    return int(amount) if amount == amount.to_integral_value() else float(amount)

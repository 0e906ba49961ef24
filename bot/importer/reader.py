"""Read an import file as (line number, row) pairs, whether it is CSV or YAML."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from bot import validation
from bot.importer.errors import ImportRowError

Row = dict[str, Any]
SUFFIXES = (".csv", ".yml", ".yaml")


def find_file(folder: Path, kind: str) -> Path | None:
    """The file for `kind` in `folder`; two files for one kind is an error."""
    found = [
        folder / f"{kind}{suffix}" for suffix in SUFFIXES if (folder / f"{kind}{suffix}").is_file()
    ]
    if len(found) > 1:
        raise ImportRowError(
            found[1], 1, f"both {found[0].name} and {found[1].name} exist; keep one"
        )
    return found[0] if found else None


def read_rows(path: Path) -> Iterator[tuple[int, Row]]:
    if path.suffix == ".csv":
        yield from _read_csv(path)
    else:
        yield from _read_yaml(path)


def checked(row: Row, path: Path, line: int) -> Row:
    """The row, if every text in it (names and values, nested too) is storable as it is.

    YAML escapes can spell a lone surrogate ("\\ud800") or NUL ("\\0"), which the database
    cannot take; such a row stops the import like any other bad row.
    """
    stack: list[tuple[str, Any]] = [(name, value) for name, value in row.items()]
    seen: set[int] = set()  # YAML anchors can make a structure refer to itself
    while stack:
        name, value = stack.pop()
        if isinstance(value, (dict, list)):
            if id(value) in seen:
                continue
            seen.add(id(value))
        try:
            validation.check_text(name, field="field name")
            if isinstance(value, str):
                validation.check_text(value, field=name)
        except validation.Invalid as exc:
            raise ImportRowError(path, line, str(exc)) from None
        if isinstance(value, dict):
            stack.extend((f"{name}.{key}", item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((name, item) for item in value)
    return row


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRowError(
            path, 1, f"not UTF-8 text ({exc.reason}); save the file as UTF-8"
        ) from exc


def _read_csv(path: Path) -> Iterator[tuple[int, Row]]:
    text = _read_text(path)
    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    try:
        start = 2
        for row in reader:
            if None in row:
                raise ImportRowError(path, start, "more cells than columns in the header")
            if any(value is None for value in row.values()):
                raise ImportRowError(path, start, "fewer cells than columns in the header")
            if any((value or "").strip() for value in row.values()):
                record = {k.strip(): (v.strip() if v.strip() else None) for k, v in row.items()}
                yield start, checked(record, path, start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRowError(path, reader.line_num, f"broken CSV: {exc}") from exc


def _read_yaml(path: Path) -> Iterator[tuple[int, Row]]:
    loader = yaml.SafeLoader(_read_text(path))
    try:
        node = loader.get_single_node()
        if node is None:
            return
        if not isinstance(node, yaml.SequenceNode):
            raise ImportRowError(path, node.start_mark.line + 1, "expected a list of records")
        for item in node.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.MappingNode):
                raise ImportRowError(path, line, "each record must be a mapping of field: value")
            data = loader.construct_mapping(item, deep=True)
            record = {str(k): (None if v == "" else v) for k, v in data.items()}
            yield line, checked(record, path, line)
    except RecursionError:
        raise ImportRowError(path, 1, "nested too deeply") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ImportRowError(
            path, (mark.line + 1) if mark else 1, f"broken YAML: {exc.problem}"
        ) from exc
    finally:
        loader.dispose()

"""The layout's rules, checked on the source: bot/ never imports connectors/, and only
bot/settings.py reads the environment."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from bot.settings import PROJECT_ROOT

ENV_READERS = {"environ", "environb", "getenv", "getenvb"}


def sources(*folders: str) -> Iterator[tuple[str, ast.Module]]:
    for folder in folders:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            relative = str(path.relative_to(PROJECT_ROOT))
            yield relative, ast.parse(Path(path).read_text(encoding="utf-8"), relative)


def imported_modules(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_nothing_under_bot_imports_connectors() -> None:
    found = [
        f"{path} imports {module}"
        for path, tree in sources("bot")
        for module in imported_modules(tree)
        if module == "connectors" or module.startswith("connectors.")
    ]
    assert found == []


def env_reads(tree: ast.Module) -> Iterator[int]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ENV_READERS
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ):
            yield node.lineno
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(alias.name in ENV_READERS for alias in node.names)
        ):
            yield node.lineno


def test_only_the_settings_module_reads_the_environment() -> None:
    found = [
        f"{path}:{line}"
        for path, tree in sources("bot", "actions", "connectors")
        if path != "bot/settings.py"
        for line in env_reads(tree)
    ]
    assert found == []


def test_the_checks_would_see_a_violation() -> None:
    """The two checks above are only worth something if they can fail."""
    tree = ast.parse("import os\nfrom connectors.whatsapp import x\nos.environ.get('A')\n")
    assert list(imported_modules(tree)) == ["os", "connectors.whatsapp"]
    assert list(env_reads(tree)) == [3]

"""The NLU training data as Rasa reads it: no line it would skip, no text under two intents."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

NLU = Path(__file__).resolve().parents[3] / "data" / "nlu"
FILES = sorted(NLU.glob("*/*.yml"))


def blocks(path: Path) -> list[dict]:
    return [b for b in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"] if "intent" in b]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_line_of_an_examples_block_is_an_example(path: Path) -> None:
    """Rasa skips a line without "- " with a warning on every training: comments belong above
    the `- intent:` line, as YAML comments."""
    for block in blocks(path):
        language = block.get("metadata", {}).get("language")
        assert language == path.parent.name, f"{block['intent']}: language {language!r}"
        for line in str(block.get("examples", "")).splitlines():
            assert not line.strip() or line.startswith("- "), f"{block['intent']}: {line!r}"


def test_no_text_is_taught_as_two_intents() -> None:
    intents: dict[str, set[str]] = defaultdict(set)
    for path in FILES:
        for block in blocks(path):
            for line in str(block.get("examples", "")).splitlines():
                if line.startswith("- "):
                    intents[line[2:].strip().lower()].add(block["intent"])
    conflicts = {text: sorted(names) for text, names in intents.items() if len(names) > 1}
    assert not conflicts

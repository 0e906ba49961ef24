"""The written product conversations are well formed; the runner judges replies as documented."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def runner() -> ModuleType:
    path = ROOT / "bench" / "product_conversations" / "run.py"
    spec = importlib.util.spec_from_file_location("product_conversations_run", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


RUN = runner()


@pytest.mark.parametrize("language", RUN.LANGUAGES)
def test_at_least_sixty_conversations_per_language(language: str) -> None:
    conversations = RUN.load(language)
    assert len(conversations) >= 60
    ids = [c["id"] for c in conversations]
    assert len(ids) == len(set(ids))
    assert all(c["id"].startswith(f"{language}-") for c in conversations)
    assert {c["behaviour"] for c in conversations} == set(RUN.BEHAVIOURS)


@pytest.mark.parametrize("language", RUN.LANGUAGES)
def test_every_turn_says_something_and_checks_the_answer(language: str) -> None:
    for conversation in RUN.load(language):
        assert conversation["turns"], conversation["id"]
        for turn in conversation["turns"]:
            assert set(turn) <= {"say", "has", "any", "not"}, conversation["id"]
            assert str(turn["say"]).strip(), conversation["id"]
            assert turn.get("has") or turn.get("any") or turn.get("not"), conversation["id"]


def test_a_reply_is_judged_on_has_any_and_not() -> None:
    turn = {"has": ["149,95"], "any": ["zwart", "wit"], "not": ["Over welk product"]}
    assert RUN.problems("Veloce Aero 3 kost €\xa0149,95. Zwart/oranje.", turn) == []
    assert RUN.problems("Over welk product gaat je vraag?", turn) == [
        "misses '149,95'",
        "has none of ['zwart', 'wit']",
        "says 'Over welk product'",
    ]
    assert RUN.problems("", {"not": ["x"]}) == ["empty reply"]


def test_summary_counts_conversations_per_behaviour() -> None:
    played = [
        {
            "id": "nl-a",
            "behaviour": "search",
            "turns": [{"say": "a", "reply": "r", "problems": []}],
        },
        {
            "id": "nl-b",
            "behaviour": "search",
            "turns": [
                {"say": "b", "reply": "r", "problems": []},
                {"say": "c", "reply": "r", "problems": ["misses 'x'"]},
            ],
        },
    ]
    figures = RUN.summary(played)
    assert (figures["conversations"], figures["right"], figures["share"]) == (2, 1, 50.0)
    assert (figures["turns"], figures["turns_right"]) == (3, 2)
    assert figures["behaviours"] == {"search": {"conversations": 2, "right": 1, "share": 50.0}}
    assert figures["failures"][0]["id"] == "nl-b" and figures["failures"][0]["turn"] == 2


@pytest.mark.parametrize("language", RUN.LANGUAGES)
def test_the_later_set_is_apart_and_in_other_words(language: str) -> None:
    written = RUN.load(language)
    more = RUN.load(language, "more")
    assert more and {c["behaviour"] for c in more} <= set(RUN.BEHAVIOURS)
    assert not {c["id"] for c in more} & {c["id"] for c in written}
    said = {str(t["say"]).lower() for c in written for t in c["turns"]}
    assert not {str(t["say"]).lower() for c in more for t in c["turns"]} & said

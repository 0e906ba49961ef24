"""The retailer's advice rules: read from data, checked with clear errors, by season."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalogue.advice import AdviceError, load_advice, parse_advice, season_in, season_of
from bot.settings import PROJECT_ROOT

DEMO = PROJECT_ROOT / "data" / "demo" / "advice.yml"


def rule(**changes: Any) -> dict[str, Any]:
    base = {
        "name": "gift",
        "need": {"nl": ["cadeau"], "en": ["gift"]},
        "wanted": {"price_max": 50, "sort": "best"},
        "reason": {"nl": "Valt altijd goed.", "en": "Always goes down well."},
    }
    return {**base, **changes}


def test_the_demo_rules_load() -> None:
    advice = load_advice(DEMO)
    names = {r.name for r in advice.rules}
    assert {"beginner_runner", "cold_water", "gift", "sup_beginner"} <= names
    assert "surface" in advice.search_rules.ask_about
    assert advice.search_rules.also_fits["gender"]["unisex"] == {"men", "women"}


@pytest.mark.parametrize(
    ("text", "language", "category", "expected"),
    [
        ("wat raden jullie aan voor een beginnende hardloper?", "nl", None, "beginner_runner"),
        ("Which shoes for a beginner runner?", "en", None, "beginner_runner"),
        ("ik ben net begonnen met hardlopen", "nl", "running_shoes", "beginner_runner"),
        ("wij gaan een weekend wadlopen", "nl", None, "cold_water"),
        ("a wetsuit for cold water swimming", "en", "wetsuits", "cold_water"),
        ("een cadeau onder de 50 euro", "nl", None, "gift"),
        ("a gift for my brother", "en", None, "gift"),
        ("welke SUP voor beginners?", "nl", "sup_boards", "sup_beginner"),
        ("welke tent voor beginners?", "nl", "tents", None),  # sup_beginner is for SUPs only
        ("hoeveel kost de Veloce Aero 3?", "nl", None, None),
        ("cadeaubon", "nl", None, None),  # a whole word, not a part of one
    ],
)
def test_the_need_in_a_message(
    text: str, language: str, category: str | None, expected: str | None
) -> None:
    found = load_advice(DEMO).need_in(text, language, category)
    assert (found.name if found else None) == expected


def test_the_longest_need_words_win() -> None:
    advice = parse_advice(
        {
            "rules": [
                rule(name="beginner", need={"nl": ["beginner"], "en": ["beginner"]}),
                rule(name="runner", need={"nl": ["beginner hardloper"], "en": ["beginner runner"]}),
            ]
        }
    )
    found = advice.need_in("schoenen voor een beginner hardloper", "nl")
    assert found is not None and found.name == "runner"


def test_seasons_follow_the_date() -> None:
    cold = next(r for r in load_advice(DEMO).rules if r.name == "cold_water")
    winter, summer = cold.for_day(dt.date(2026, 12, 4)), cold.for_day(dt.date(2026, 7, 1))
    assert winter.wanted["attributes"] == {"thickness_mm": "5"}
    assert winter.wanted["category"] == "wetsuits"
    assert summer.wanted["attributes"] == {"thickness_mm": "3"}
    assert "5 mm" in winter.reason["nl"] and "3 mm" in summer.reason["en"]
    assert [season_of(dt.date(2026, m, 1)) for m in (1, 3, 6, 9, 12)] == [
        "winter",
        "spring",
        "summer",
        "autumn",
        "winter",
    ]


def test_prices_in_the_file_are_euros() -> None:
    advice = parse_advice({"rules": [rule(wanted={"price_max": 49.95})]})
    assert advice.rules[0].need.wanted["price_max"] == 4995


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a mapping"),
        ({"rulez": []}, "unknown key(s) rulez"),
        ({"rules": [rule(need={"nl": ["cadeau"]})]}, "rules[0] (gift): need must list"),
        (
            {"rules": [rule(reason={"nl": "Alleen Nederlands"})]},
            "reason must be a text in nl and en",
        ),
        (
            {"rules": [rule(wanted={"sort": "prettiest"})]},
            "sort must be one of cheapest, best, lightest",
        ),
        ({"rules": [rule(wanted={"price_max": "vijftig"})]}, "price_max must be a number"),
        ({"rules": [rule(wanted={"colour": "red"})]}, "wanted has unknown key(s) colour"),
        ({"rules": [rule(seasons={"monsoon": {}})]}, "seasons may only be winter"),
        ({"rules": [rule(), rule()]}, "rule name(s) used twice: gift"),
        ({"rules": [rule(name="")]}, "rules[0]: the rule needs a name"),
        ({"ask_about": "surface"}, "ask_about must be a list"),
        ({"also_fits": {"gender": ["men"]}}, "also_fits must map"),
    ],
)
def test_mistakes_are_said_clearly(data: Any, message: str) -> None:
    with pytest.raises(AdviceError) as error:
        parse_advice(data, "advice.yml")
    assert message in str(error.value)
    assert str(error.value).startswith("advice.yml")


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "advice.yml"
    path.write_text(yaml.safe_dump({"rules": [rule()]}), encoding="utf-8")
    assert [r.name for r in load_advice(path).rules] == ["gift"]
    path.write_text(yaml.safe_dump({"rules": [rule(name="present")]}), encoding="utf-8")
    import os

    os.utime(path, (1, 2))  # a different modification time, as an edit gives
    assert [r.name for r in load_advice(path).rules] == ["present"]


def test_a_broken_or_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "advice.yml"
    path.write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(AdviceError, match="cannot read it"):
        load_advice(path)
    with pytest.raises(AdviceError, match="cannot read it"):
        load_advice(tmp_path / "missing.yml")


def test_the_shops_search_rules_for_other_callers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bot.catalogue.advice import shop_search_rules

    assert "surface" in shop_search_rules().ask_about
    broken = tmp_path / "advice.yml"
    broken.write_text("rules: 3", encoding="utf-8")
    monkeypatch.setenv("KLANTREIS_ADVICE_FILE", str(broken))
    assert shop_search_rules().ask_about == ()


@pytest.mark.parametrize(
    ("text", "language", "category", "expected"),
    [
        # words with a gap: what lies between is what the care is for
        ("hoe hou ik mijn wandelschoenen waterdicht?", "nl", "trail_shoes", "keep_waterproof"),
        ("how do I keep these boots waterproof", "en", None, "keep_waterproof"),
        # a rule for some categories counts for any of them
        ("een tent voor ons gezin", "nl", "tents", "family_camping"),
        ("a sleeping bag for the kids", "en", "sleeping_bags", None),
        # ... or for none named, with one of its words ('schoenen' is both kinds of shoe)
        ("schoenen voor modderige paden", "nl", None, "wet_trails"),
        ("trainers for rainy days", "en", None, "wet_trails"),
        ("een jas voor als het regent", "nl", "rain_jackets", None),
        ("training for a half marathon", "en", None, "race"),
        ("nog nooit gesupt, welk board?", "nl", "sup_boards", "sup_beginner"),
    ],
)
def test_needs_by_category_words_and_gaps(
    text: str, language: str, category: str | None, expected: str | None
) -> None:
    found = load_advice(DEMO).need_in(text, language, category)
    assert (found.name if found else None) == expected


@pytest.mark.parametrize(
    ("text", "language", "season"),
    [
        ("we gaan in juli wadlopen", "nl", "summer"),
        ("zwemmen in open water in oktober", "nl", "autumn"),
        ("this fall we go to the coast", "en", "autumn"),
        ("in het voorjaar", "nl", "spring"),
        ("may I ask something", "en", None),  # 'may' is too often not a month
        ("wadlopen", "nl", None),
    ],
)
def test_the_season_a_message_names(text: str, language: str, season: str | None) -> None:
    assert season_in(text, language) == season


def test_a_named_season_beats_the_date() -> None:
    cold = next(r for r in load_advice(DEMO).rules if r.name == "cold_water")
    in_july = cold.for_day(dt.date(2026, 12, 4), season_in("wadlopen in juli", "nl"))
    assert in_july.wanted["attributes"] == {"thickness_mm": "3"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"when_category": 3}, "when_category must be a category key or a list"),
        ({"when_category": "tents", "when_words": ["tent"]}, "when_words must list words"),
        ({"when_words": {"nl": ["tent"]}}, "when_words only count with when_category"),
        ({"own_category": True}, "own_category is true or false, and needs wanted.category"),
    ],
)
def test_mistakes_in_when(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(AdviceError, match=message):
        parse_advice({"rules": [rule(**changes)]})

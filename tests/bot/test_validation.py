"""The edge checks every channel shares: repair text, refuse ids, types and sizes."""

from __future__ import annotations

import pytest

from bot import validation
from bot.validation import Invalid


def test_text_is_repaired_so_every_store_and_log_can_take_it() -> None:
    assert validation.clean_text("hoi\ud98d daar\x00\x07\n\tok") == "hoi\ufffd daar\n\tok"
    assert validation.clean_text("👍🏽 é") == "👍🏽 é"
    assert validation.clean_text("a\x7f\x85b") == "ab"


@pytest.mark.parametrize(
    ("value", "problem"),
    [(None, "must be a string"), (42, "must be a string"), ("x" * 5001, "longer than 5000")],
)
def test_text_of_the_wrong_type_or_too_long_is_refused(value: object, problem: str) -> None:
    with pytest.raises(Invalid, match=problem):
        validation.clean_text(value)


@pytest.mark.parametrize(
    "value", [None, 5, ["a"], "", "   ", "\ud98d", "a\x00b", " padded", "x" * 129]
)
def test_an_identifier_is_refused_never_repaired(value: object) -> None:
    with pytest.raises(Invalid):
        validation.identifier(value, field="sender")


def test_a_good_identifier_is_kept_exactly() -> None:
    assert validation.identifier("sanne-ü 🙂", field="sender") == "sanne-ü 🙂"


def test_metadata_is_an_object_within_limits_with_clean_strings() -> None:
    assert validation.metadata(None) == {}
    assert validation.metadata({"a\ud800": ["x\x00", 1, None, 1.5]}) == {
        "a\ufffd": ["x", 1, None, 1.5]
    }
    for bad in ([], "x", {"a": float("nan")}, {"a": "x" * 9000}, {"a": [[[[[[1]]]]]]}):
        with pytest.raises(Invalid):
            validation.metadata(bad)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "empty"),
        (b"[]", "not an array"),
        (b"null", "not null"),
        (b"7", "not a number"),
        (b"{", "not valid JSON"),
        (b"\xff", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "larger than"),
        (b"{" + b" " * 70_000 + b"}", "larger than"),
    ],
)
def test_a_body_must_be_one_json_object(body: bytes, problem: str) -> None:
    with pytest.raises(Invalid, match=problem):
        validation.json_object(body)


def test_deep_nesting_within_the_size_limit_is_refused_not_a_crash() -> None:
    with pytest.raises(Invalid, match="nested too deeply|must be a JSON object"):
        validation.json_object(b"[" * 30_000 + b"]" * 30_000)


def test_record_ids_fit_a_bigint_and_are_not_booleans() -> None:
    assert validation.record_id(7) == 7
    for bad in (0, -1, 2**63, True, "7", 7.0, None):
        with pytest.raises(Invalid):
            validation.record_id(bad)


def test_language_is_one_we_speak_or_none() -> None:
    assert validation.language("EN-gb") == "en" and validation.language("nl") == "nl"
    assert validation.language({"x": 1}) is None and validation.language("de") is None

"""The holdout filter drops rows the bench or the training data (nearly) holds, keeps the rest."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from holdout_filter import filter_file, is_near, normalised, seen_texts  # noqa: E402


def test_near_means_equal_or_a_ratio_above_nine_tenths() -> None:
    assert is_near("cancel order 10452", {"cancel order 10452"})
    assert is_near("cancel order 10452", {"cancel order 10453"})
    assert not is_near("where is my parcel", {"cancel order 10452"})


def test_the_training_data_and_the_bench_are_what_counts_as_seen() -> None:
    seen = seen_texts()
    assert normalised("how do I get a refund for my order") in seen  # a training example
    assert normalised("how can I cancel purchase 113542617735902?") in seen  # bench/realdata


def test_filter_keeps_comments_and_new_rows_and_drops_seen_and_repeated_ones(
    tmp_path: Path,
) -> None:
    source = tmp_path / "candidates.yml"
    source.write_text(
        "# where the rows came from\n"
        "return_request:\n"
        "  # the first group\n"
        '  - "how do I get a refund for my order"\n'
        '  - "a row nobody has seen, number 1"\n'
        '  - "a row nobody has seen, number 2"\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.yml"
    counts = filter_file(source, target, seen_texts())
    assert counts[("return_request", "kept")] == 1
    assert counts[("return_request", "dropped")] == 2  # seen in training; same template as kept
    written = target.read_text(encoding="utf-8")
    assert "# the first group" in written
    assert yaml.safe_load(written) == {"return_request": ["a row nobody has seen, number 1"]}


def test_a_label_left_without_rows_becomes_a_comment(tmp_path: Path) -> None:
    source = tmp_path / "candidates.yml"
    source.write_text(
        'return_request:\n  - "how do I get a refund for my order"\n'
        'greet:\n  - "a greeting nobody has written before, surely"\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.yml"
    filter_file(source, target, seen_texts())
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == {
        "greet": ["a greeting nobody has written before, surely"]
    }

"""Drop the candidate holdout rows that the bench or the training data already (nearly) holds.

A holdout is only worth its figure if none of its rows was seen before. This filter is the
mechanical step between the rows a reader copied out of a public data set and the holdout file:
a row is dropped if its lowercased, whitespace-collapsed text equals, or has a
difflib.SequenceMatcher ratio above 0.9 with,

- any message of bench/realdata/*.yml or of an earlier holdout (bench/holdout*/*.yml),
- any training example of data/nlu/*/*.yml,
- or a row kept before it, in this file or an earlier one of the same run (the same template
  with only a number or a name changed).

Comments and keys are copied as they are; only the row lines are tested. It prints counts per
label, never a row: the rows of a fresh holdout are not to be read before it is scored.

Usage: python bench/holdout_filter.py OUT_DIR CANDIDATE.yml [CANDIDATE.yml ...]
       (each candidate is written to OUT_DIR under its own file name)
"""

from __future__ import annotations

import argparse
import difflib
from collections import Counter
from pathlib import Path

import yaml
from nlu_by_language import load_examples
from nlu_challenge import normalised
from nlu_realdata import HOLDOUTS, load_realdata

RATIO = 0.9


def seen_texts(out_dir: Path | None = None) -> set[str]:
    """Every bench message, earlier holdout row and training example, normalised.

    `out_dir` (the holdout being made) is not an earlier holdout."""
    splits = ["all"] + [name for name, folder in HOLDOUTS.items() if folder != out_dir]
    rows = [row for split in splits for row in load_realdata(split)] + load_examples()
    return {normalised(text) for text, _, _ in rows}


def is_near(text: str, others: set[str]) -> bool:
    """True if `text` is one of `others` or is closer to one than RATIO."""
    if text in others:
        return True
    matcher = difflib.SequenceMatcher(b=text, autojunk=False)
    for other in others:
        matcher.set_seq1(other)
        if (
            matcher.real_quick_ratio() > RATIO
            and matcher.quick_ratio() > RATIO
            and matcher.ratio() > RATIO
        ):
            return True
    return False


def filter_file(source: Path, target: Path, seen: set[str]) -> Counter:
    """Copy `source` to `target` without the rows near `seen`; each row kept joins `seen`."""
    counts: Counter = Counter()
    label = ""
    lines: list[str] = []
    label_at = -1
    for line in source.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")) and line.rstrip().endswith(":"):
            empty_label(lines, label_at, counts[(label, "kept")])
            label, label_at = line.rstrip()[:-1], len(lines)
        if line.lstrip().startswith("- "):
            text = normalised(yaml.safe_load(line.strip())[0])
            if is_near(text, seen):
                counts[(label, "dropped")] += 1
                continue
            seen.add(text)
            counts[(label, "kept")] += 1
        lines.append(line)
    empty_label(lines, label_at, counts[(label, "kept")])
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return counts


def empty_label(lines: list[str], label_at: int, kept: int) -> None:
    """A label whose every row was dropped becomes a comment, so the file still loads as lists."""
    if label_at >= 0 and not kept:
        lines[label_at] = f"# {lines[label_at].rstrip()[:-1]}: every row was dropped by the filter"


def main(out_dir: Path, candidates: list[Path]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    seen = seen_texts(out_dir.resolve())
    for candidate in candidates:
        counts = filter_file(candidate, out_dir / candidate.name, seen)
        print(candidate.name)
        for label in dict.fromkeys(label for label, _ in counts):
            kept_n, dropped_n = counts[(label, "kept")], counts[(label, "dropped")]
            print(f"  {label}: kept {kept_n}, dropped {dropped_n}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("candidates", type=Path, nargs="+")
    arguments = parser.parse_args()
    main(arguments.out_dir, arguments.candidates)

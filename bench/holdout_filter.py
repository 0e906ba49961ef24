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

ROOT = Path(__file__).resolve().parent.parent
RATIO = 0.9


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def seen_texts(out_dir: Path | None = None) -> list[str]:
    """Every bench message, earlier holdout row and training example, normalised.

    `out_dir` (the holdout being made) is not an earlier holdout."""
    texts: list[str] = []
    holdouts = [p for p in sorted((ROOT / "bench").glob("holdout*/*.yml")) if p.parent != out_dir]
    for path in sorted((ROOT / "bench" / "realdata").glob("*.yml")) + holdouts:
        for rows in yaml.safe_load(path.read_text(encoding="utf-8")).values():
            texts += [normalised(row) for row in rows]
    for path in sorted((ROOT / "data" / "nlu").glob("*/*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            examples = block.get("examples", "")
            texts += [
                normalised(line[2:]) for line in examples.splitlines() if line.startswith("- ")
            ]
    return texts


def is_near(text: str, others: list[str], exact: set[str]) -> bool:
    """True if `text` equals one of `others` or is closer to one than RATIO."""
    if text in exact:
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


def filter_file(source: Path, target: Path, seen: list[str], kept: list[str]) -> Counter:
    """Copy `source` to `target` without the rows near `seen` or `kept`; `kept` grows."""
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
            if is_near(text, seen + kept, set(seen) | set(kept)):
                counts[(label, "dropped")] += 1
                continue
            kept.append(text)
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
    kept: list[str] = []
    for candidate in candidates:
        counts = filter_file(candidate, out_dir / candidate.name, seen, kept)
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

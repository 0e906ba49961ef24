"""Play the written product conversations against the live bot and count how many it handles.

Each conversation in bench/product_conversations/<language>.yml is sent turn by turn over the
REST channel, as one shopper (its own sender id). A turn is right when the bot's reply holds every
`has` phrase, at least one `any` phrase and no `not` phrase (case ignored); a conversation is right
when all its turns are. The share of right conversations is reported per language and per
behaviour (search, follow-up, comparison, advice, reviews, unsold), with every failed turn.

By default the runner starts its own bot (Rasa + action server) on a fresh demo store with the
latest trained model, on ports moved by KLANTREIS_TEST_PORT_SHIFT; `--url` plays against a bot
that already runs (e.g. `klantreis run`).

Usage: python bench/product_conversations/run.py [OUT_JSON] [--url http://127.0.0.1:5005]
       [--set written|more]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.settings import Settings  # noqa: E402
from bot.stack import running_stack  # noqa: E402

HERE = Path(__file__).resolve().parent
LANGUAGES = ("nl", "en")
BEHAVIOURS = ("search", "follow-up", "comparison", "advice", "reviews", "unsold")
SHIFT = int(os.environ.get("KLANTREIS_TEST_PORT_SHIFT", "0"))


SETS = {"written": "{language}.yml", "more": "{language}-more.yml"}


def load(language: str, which: str = "written") -> list[dict[str, Any]]:
    path = HERE / SETS[which].format(language=language)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data["conversations"])


def normalised(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").lower().split())


def problems(reply: str, turn: Mapping[str, Any]) -> list[str]:
    """What is wrong with `reply` as the answer to `turn`; empty when it is right."""
    text = normalised(reply)
    found = []
    if not text:
        found.append("empty reply")
    found += [f"misses {p!r}" for p in turn.get("has", []) if normalised(str(p)) not in text]
    wanted = [normalised(str(p)) for p in turn.get("any", [])]
    if wanted and not any(p in text for p in wanted):
        found.append(f"has none of {turn['any']!r}")
    found += [f"says {p!r}" for p in turn.get("not", []) if normalised(str(p)) in text]
    return found


def send(url: str, sender: str, message: str) -> str:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        messages = json.loads(response.read())
    return "\n".join(str(m.get("text") or "") for m in messages)


def play(url: str, conversations: Sequence[Mapping[str, Any]], run_id: str) -> list[dict]:
    """Every conversation's turns with the bot's replies and what was wrong with them."""
    played = []
    for conversation in conversations:
        sender = f"bench-{run_id}-{conversation['id']}"
        turns = []
        for turn in conversation["turns"]:
            reply = send(url, sender, str(turn["say"]))
            turns.append({"say": turn["say"], "reply": reply, "problems": problems(reply, turn)})
        played.append({**conversation, "turns": turns})
    return played


def summary(played: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    turns_right = turns_total = 0
    failures = []
    for conversation in played:
        ok = all(not t["problems"] for t in conversation["turns"])
        for key in ("all", conversation["behaviour"]):
            total[key] += 1
            right[key] += ok
        for number, turn in enumerate(conversation["turns"], start=1):
            turns_total += 1
            turns_right += not turn["problems"]
            if turn["problems"]:
                failures.append(
                    {
                        "id": conversation["id"],
                        "turn": number,
                        "say": turn["say"],
                        "reply": turn["reply"][:300],
                        "problems": turn["problems"],
                    }
                )
    return {
        "conversations": total["all"],
        "right": right["all"],
        "share": share(right["all"], total["all"]),
        "turns": turns_total,
        "turns_right": turns_right,
        "turn_share": share(turns_right, turns_total),
        "behaviours": {
            b: {"conversations": total[b], "right": right[b], "share": share(right[b], total[b])}
            for b in BEHAVIOURS
            if total[b]
        },
        "failures": failures,
    }


def share(right: int, total: int) -> float:
    return round(100 * right / total, 1) if total else 0.0


def run_all(url: str, which: str = "written") -> dict[str, Any]:
    run_id = str(int(time.time()))
    return {language: summary(play(url, load(language, which), run_id)) for language in LANGUAGES}


def with_own_bot(which: str = "written") -> dict[str, Any]:
    from tests.helpers.demo import make_demo_store

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        settings = Settings(
            runtime_dir=tmp / "runtime",
            database_url=make_demo_store(f"sqlite:///{tmp}/bench.db"),
            rasa_port=5405 + SHIFT,
            action_port=5455 + SHIFT,
            web_port=8405 + SHIFT,
            models_dir=Settings.from_env().models_dir,
        )
        with running_stack(settings) as stack:
            return run_all(stack.rasa_url, which)


def print_table(results: Mapping[str, Mapping[str, Any]]) -> None:
    print(f"{'':12}" + "".join(f"{language:>16}" for language in results))
    rows = [("all", None), *((b, b) for b in BEHAVIOURS)]
    for label, key in rows:
        cells = []
        for figures in results.values():
            part = figures if key is None else figures["behaviours"].get(key)
            cells.append(
                f"{part['right']}/{part['conversations']} {part['share']:5.1f} %" if part else "-"
            )
        print(f"{label:12}" + "".join(f"{c:>16}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=None, help="write the JSON here")
    parser.add_argument("--url", help="a running bot's Rasa URL; default: start one")
    parser.add_argument(
        "--set",
        choices=sorted(SETS),
        default="written",
        help="written: the first 69 per language (nl.yml, en.yml); more: those written later "
        "in other words (nl-more.yml, en-more.yml), scored apart",
    )
    args = parser.parse_args()
    which = args.set
    results = run_all(args.url.rstrip("/"), which) if args.url else with_own_bot(which)
    print_table(results)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

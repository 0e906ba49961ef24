"""The challenge sets stay apart from the training data and use only the intent contract."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted((ROOT / "bench" / "challenge").glob("*.yml"))
CONTRACT = {
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "order_status",
    "change_delivery", "cancel_order", "return_request", "product_question", "human_handoff",
    "complaint", "out_of_scope", "faq/opening_hours", "faq/shipping_costs",
    "faq/delivery_options", "faq/payment_methods", "faq/warranty", "faq/store_locations",
    "faq/returns_policy",
}  # fmt: skip


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def test_there_is_a_set_per_language() -> None:
    assert {path.stem.split("-")[0] for path in SETS} == {"nl", "en"}


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_set_uses_the_intent_contract_and_has_no_duplicates(path: Path) -> None:
    labels = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(labels) == CONTRACT
    texts = [normalised(text) for examples in labels.values() for text in examples]
    assert all(texts)
    assert len(texts) == len(set(texts))

"""Signed customer tokens: valid ones name the customer, everything else is ignored."""

from __future__ import annotations

import pytest

from bot import tokens

KEY = b"k" * 32
NOW = 1_800_000_000


def test_a_fresh_token_names_its_customer() -> None:
    token = tokens.sign("C1001", KEY, ttl_seconds=600, now=NOW)
    assert tokens.verify(token, KEY, now=NOW + 599) == "C1001"


def test_an_expired_token_is_ignored() -> None:
    token = tokens.sign("C1001", KEY, ttl_seconds=600, now=NOW)
    assert tokens.verify(token, KEY, now=NOW + 600 + tokens.LEEWAY_SECONDS + 1) is None


def test_a_token_signed_with_another_key_is_ignored() -> None:
    token = tokens.sign("C1001", b"other key", now=NOW)
    assert tokens.verify(token, KEY, now=NOW) is None


def test_a_changed_customer_breaks_the_signature() -> None:
    token = tokens.sign("C1001", KEY, now=NOW)
    payload, signature = token.split(".")
    forged = tokens.sign("C1002", b"attacker", now=NOW).split(".")[0]
    assert tokens.verify(f"{forged}.{signature}", KEY, now=NOW) is None
    assert tokens.verify(f"{payload}.{signature}", KEY, now=NOW) == "C1001"


@pytest.mark.parametrize(
    "token",
    [None, "", ".", "abc", "a.b.c", "x" * 5000, 42, {"sub": "C1001"}, "é.é", "====.===="],
)
def test_malformed_tokens_are_ignored(token: object) -> None:
    assert tokens.verify(token, KEY, now=NOW) is None


def test_no_key_trusts_nothing() -> None:
    assert tokens.verify(tokens.sign("C1001", KEY), b"") is None

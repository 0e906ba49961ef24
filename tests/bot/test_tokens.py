"""Signed customer tokens: valid ones name the customer, everything else is ignored."""

from __future__ import annotations

import jwt
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
    header, payload, signature = token.split(".")
    forged = tokens.sign("C1002", b"attacker", now=NOW).split(".")[1]
    assert tokens.verify(f"{header}.{forged}.{signature}", KEY, now=NOW) is None
    assert tokens.verify(f"{header}.{payload}.{signature}", KEY, now=NOW) == "C1001"


@pytest.mark.parametrize(
    "token",
    [None, "", ".", "abc", "a.b.c", "x" * 5000, 42, {"sub": "C1001"}, "é.é", "====.===="],
)
def test_malformed_tokens_are_ignored(token: object) -> None:
    assert tokens.verify(token, KEY, now=NOW) is None


def test_no_key_trusts_nothing() -> None:
    assert tokens.verify(tokens.sign("C1001", KEY), b"") is None


def test_an_unsigned_or_otherwise_signed_token_is_ignored() -> None:
    claims = {"sub": "C1001", "iat": NOW, "exp": NOW + 600}
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert tokens.verify(unsigned, KEY, now=NOW) is None
    other_algorithm = jwt.encode(claims, KEY, algorithm="HS512")
    assert tokens.verify(other_algorithm, KEY, now=NOW) is None


def test_a_token_made_by_any_jwt_library_works() -> None:
    """What a shop's backend in another language would send: a plain HS256 JWT."""
    token = jwt.encode({"sub": "C1002", "iat": NOW, "exp": NOW + 60}, KEY, algorithm="HS256")
    assert tokens.verify(token, KEY, now=NOW) == "C1002"

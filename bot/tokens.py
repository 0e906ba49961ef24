"""Signed customer tokens: how a shop's backend tells the bot who is logged in.

A token is a JSON Web Token (RFC 7519) signed with HS256 and the shared signing key, with the
claims `sub` (the customer reference), `iat` and `exp`. Any JWT library can make one, so a
shop's backend in any language can sign them; see docs/channels.md. A token that is
malformed, forged, unsigned or expired is ignored, never trusted.
"""

from __future__ import annotations

import time

import jwt

MAX_TOKEN_LENGTH = 2048
LEEWAY_SECONDS = 30
ALGORITHM = "HS256"


def sign(
    customer_ref: str, key: bytes, *, ttl_seconds: int = 3600, now: float | None = None
) -> str:
    issued = int(time.time() if now is None else now)
    claims = {"sub": customer_ref, "iat": issued, "exp": issued + ttl_seconds}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def verify(token: object, key: bytes, *, now: float | None = None) -> str | None:
    """The customer reference in a valid, unexpired token; None for anything else."""
    if not key or not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
        return None
    try:
        # Only HS256 (never "none" or a public-key algorithm); expiry is checked below
        # against `now`, which PyJWT cannot be given.
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError:
        return None
    subject, expires = claims.get("sub"), claims.get("exp")
    if not isinstance(subject, str) or not subject or not isinstance(expires, int):
        return None
    if expires + LEEWAY_SECONDS < (time.time() if now is None else now):
        return None
    return subject

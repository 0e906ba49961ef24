"""Signed customer tokens: how a shop's backend tells the bot who is logged in.

A token is `<payload>.<signature>`, both base64url without padding. The payload is JSON
`{"sub": "<customer_ref>", "iat": <unix time>, "exp": <unix time>}`; the signature is
HMAC-SHA256 over the payload part with the shared signing key. See docs/channels.md.
A token that is malformed, forged or expired is ignored, never trusted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time

MAX_TOKEN_LENGTH = 2048
LEEWAY_SECONDS = 30


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(
    customer_ref: str, key: bytes, *, ttl_seconds: int = 3600, now: float | None = None
) -> str:
    issued = int(time.time() if now is None else now)
    payload = _b64(
        json.dumps(
            {"sub": customer_ref, "iat": issued, "exp": issued + ttl_seconds},
            separators=(",", ":"),
        ).encode()
    )
    signature = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
    return f"{payload}.{_b64(signature)}"


def verify(token: object, key: bytes, *, now: float | None = None) -> str | None:
    """The customer reference in a valid, unexpired token; None for anything else."""
    if not key or not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
        return None
    payload, sep, signature = token.partition(".")
    if not sep:
        return None
    try:
        expected = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            return None
        claims = json.loads(_unb64(payload))
    except (UnicodeError, ValueError, binascii.Error):
        return None
    if not isinstance(claims, dict):
        return None
    subject, expires = claims.get("sub"), claims.get("exp")
    if not isinstance(subject, str) or not subject or not isinstance(expires, int):
        return None
    if expires + LEEWAY_SECONDS < (time.time() if now is None else now):
        return None
    return subject

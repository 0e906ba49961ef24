"""Carrier webhooks are signed: HMAC-SHA256 over "<timestamp>.<body>" with a shared secret.

The timestamp is signed with the body, so an old request cannot be replayed once it is older
than the tolerance; a replay inside it repeats an event id and changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac

TOLERANCE_SECONDS = 300
PREFIX = "sha256="


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return PREFIX + mac.hexdigest()


def check(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> str:
    """'' when the request is authentic and fresh, else why it is refused."""
    if not timestamp or not signature:
        return "missing X-Klantreis-Timestamp or X-Klantreis-Signature"
    try:
        sent_at = int(timestamp)
    except ValueError:
        return "X-Klantreis-Timestamp must be Unix seconds"
    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip()):
        return "signature does not match"
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        return "timestamp too old or in the future (replay refused)"
    return ""

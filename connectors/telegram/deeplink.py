"""Deep links `https://t.me/<bot>?start=<token>` that tell the bot who the shopper is.

Telegram allows at most 64 characters of [A-Za-z0-9_-] after `?start=`, so the signed
customer tokens of `bot.tokens` (JWTs, about 150 characters) do not fit. A deep-link token is
base64url (no padding) of

    expiry (4 bytes, unix seconds, big-endian) | customer ref (UTF-8) | MAC (12 bytes)

where MAC is the first 12 bytes of HMAC-SHA256, with the installation's token key, over a
fixed context string and the first two parts. The context string keeps a deep-link MAC from
ever being valid as any other signature made with the same key. With 16 bytes of overhead, a
customer reference may be up to 32 bytes long.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
import time

MAX_START_PARAMETER = 64
MAC_BYTES = 12
MAX_REF_BYTES = (MAX_START_PARAMETER * 3) // 4 - 4 - MAC_BYTES  # 32
DEFAULT_TTL_SECONDS = 15 * 60
LEEWAY_SECONDS = 30
_CONTEXT = b"klantreis/telegram-deeplink/v1\x00"
_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


def _mac(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, _CONTEXT + body, hashlib.sha256).digest()[:MAC_BYTES]


def sign_start_token(
    customer_ref: str,
    key: bytes,
    *,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    now: float | None = None,
) -> str:
    """A compact token for `?start=`: who the shopper is, until when, signed with `key`."""
    if not key:
        raise ValueError("no signing key: set KLANTREIS_TOKEN_KEY")
    ref = customer_ref.encode("utf-8")
    if not ref or len(ref) > MAX_REF_BYTES:
        raise ValueError(f"a customer reference must be 1-{MAX_REF_BYTES} bytes for a deep link")
    expires = int(time.time() if now is None else now) + ttl_seconds
    body = struct.pack(">I", expires) + ref
    token = base64.urlsafe_b64encode(body + _mac(key, body)).rstrip(b"=").decode("ascii")
    assert len(token) <= MAX_START_PARAMETER
    return token


def verify_start_token(token: object, key: bytes, *, now: float | None = None) -> str | None:
    """The customer reference in a valid, unexpired deep-link token; None for anything else."""
    if not key or not isinstance(token, str) or not _START_PARAMETER.fullmatch(token):
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) < 4 + 1 + MAC_BYTES:
        return None
    body, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
    if not hmac.compare_digest(_mac(key, body), mac):
        return None
    (expires,) = struct.unpack(">I", body[:4])
    if expires + LEEWAY_SECONDS < (time.time() if now is None else now):
        return None
    try:
        return body[4:].decode("utf-8")
    except UnicodeDecodeError:
        return None


def token_digest(token: str) -> str:
    """What is remembered of a used token (to make each link work once), never the token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()[:40]


def deep_link(
    bot_username: str, customer_ref: str, key: bytes, ttl: int = DEFAULT_TTL_SECONDS
) -> str:
    """`https://t.me/<bot>?start=<token>`: opens the chat and links it to `customer_ref`.

    The shop shows it to a logged-in customer ("chat with us on Telegram"). It works once,
    for one Telegram account, within `ttl` seconds.
    """
    username = bot_username.strip().lstrip("@")
    if not _USERNAME.fullmatch(username):
        raise ValueError(f"{bot_username!r} is not a Telegram bot username")
    return f"https://t.me/{username}?start={sign_start_token(customer_ref, key, ttl_seconds=ttl)}"

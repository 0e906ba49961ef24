"""Web chat session ids: random, unguessable, and never chosen by a stranger for someone else."""

from __future__ import annotations

import re
import secrets

_SESSION_ID = re.compile(r"[0-9a-f]{32}")


def valid_session_id(value: object) -> str | None:
    """A client's stored session id if it has the shape we issue (128 random bits)."""
    if not isinstance(value, str):
        return None
    candidate = value.strip().lower().replace("-", "")
    return candidate if _SESSION_ID.fullmatch(candidate) else None


def new_session_id() -> str:
    return secrets.token_hex(16)

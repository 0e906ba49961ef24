"""Signed webhooks (the carrier's, the shop's): one check for all of them.

HMAC-SHA256 over "<timestamp>.<body>" with the sender's shared secret (bot/delays/signature.py),
the body size capped, a stale timestamp refused (no replay after the tolerance); what the
webhook then does must be idempotent, so a replay inside the tolerance changes nothing.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.delays import signature

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Parsed:
    """An authentic, fresh request's JSON body."""

    data: Any


def signed_json(
    request: Request, secret: str, *, what: str, variable: str
) -> Parsed | HTTPResponse:
    """The request's JSON body when it is authentic and fresh, else the refusal to answer."""
    if not secret:
        return response.json({"error": f"{what} webhook not configured ({variable})"}, status=503)
    body = request.body or b""
    if len(body) > MAX_BODY_BYTES:
        return response.json({"error": "body too large"}, status=413)
    refused = signature.check(
        secret,
        request.headers.get("X-Klantreis-Timestamp"),
        request.headers.get("X-Klantreis-Signature"),
        body,
        time.time(),
    )
    if refused:
        logger.warning("%s webhook refused: %s", what, refused)
        return response.json({"error": refused}, status=401)
    try:
        return Parsed(json.loads(body))
    except ValueError:
        return response.json({"error": "the body is not valid JSON"}, status=422)

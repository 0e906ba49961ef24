"""POST /webhooks/carrier: carrier and warehouse events (docs/delays.md), signed with HMAC."""

from __future__ import annotations

import json
import logging
import time

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.delays import signature
from bot.delays.events import EventError, apply_event, parse_event
from bot.delays.policy import DelayPolicy
from bot.store.models import utcnow
from bot.store.units import Store

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024


def carrier_blueprint(store: Store, policy: DelayPolicy, secret: str) -> Blueprint:
    bp = Blueprint("carrier_events", url_prefix="/webhooks")

    @bp.route("/carrier", methods=["POST"])
    async def carrier_event(request: Request) -> HTTPResponse:
        if not secret:
            return response.json(
                {"error": "carrier webhook not configured (KLANTREIS_CARRIER_SECRET)"}, status=503
            )
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
            logger.warning("carrier webhook refused: %s", refused)
            return response.json({"error": refused}, status=401)
        try:
            event = parse_event(json.loads(body))
        except (ValueError, EventError) as exc:
            message = str(exc) if isinstance(exc, EventError) else "the body is not valid JSON"
            return response.json({"error": message}, status=422)
        try:
            outcome = await store.run(
                lambda s: apply_event(s, event=event, now=utcnow(), policy=policy)
            )
        except EventError as exc:
            return response.json({"error": str(exc)}, status=422)
        return response.json({"status": outcome, "event_id": event.event_id})

    return bp

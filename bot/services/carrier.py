"""POST /webhooks/carrier: carrier and warehouse events (docs/delays.md), signed with HMAC."""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.delays.events import EventError, apply_event, parse_event
from bot.delays.policy import DelayPolicy
from bot.services.signed import signed_json
from bot.store.models import utcnow
from bot.store.units import Store


def carrier_blueprint(store: Store, policy: DelayPolicy, secret: str) -> Blueprint:
    bp = Blueprint("carrier_events", url_prefix="/webhooks")

    @bp.route("/carrier", methods=["POST"])
    async def carrier_event(request: Request) -> HTTPResponse:
        found = signed_json(request, secret, what="carrier", variable="KLANTREIS_CARRIER_SECRET")
        if isinstance(found, HTTPResponse):
            return found
        try:
            event = parse_event(found.data)
        except EventError as exc:
            return response.json({"error": str(exc)}, status=422)
        try:
            outcome = await store.run(
                lambda s: apply_event(s, event=event, now=utcnow(), policy=policy)
            )
        except EventError as exc:
            return response.json({"error": str(exc)}, status=422)
        return response.json({"status": outcome, "event_id": event.event_id})

    return bp

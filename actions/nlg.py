"""Rasa's NLG endpoint on the action server: the texts of domain.yml's responses (utter_*).

Rasa asks here (endpoints.yml `nlg`) whenever a rule or story says `utter_…`, with the tracker;
we answer with the entry of the same name from the one catalogue (bot/texts/responses.yml) in
the conversation's language. So the FAQ answers and the small talk live with every other text,
take the retailer's facts from configuration, and change without retraining.
"""

from __future__ import annotations

from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.search_replies import out_of_scope_not_sold
from bot.texts import catalogue, render, supported

ROUTE = "/nlg"
OUT_OF_SCOPE = "utter_out_of_scope"


def response_for(body: object) -> tuple[dict[str, Any], int]:
    """The message for one NLG request and its HTTP status (400: not a request, 404: no text)."""
    if not isinstance(body, dict) or not isinstance(body.get("response"), str):
        return {"error": "expected a JSON object with a 'response' name"}, 400
    name = body["response"]
    if not name.startswith("utter_") or name not in catalogue():
        return {"error": f"no text called {name!r} in bot/texts"}, 404
    tracker = body.get("tracker")
    slots = tracker.get("slots") if isinstance(tracker, dict) else None
    language = slots.get("language") if isinstance(slots, dict) else None
    if name == OUT_OF_SCOPE and isinstance(tracker, dict):
        latest = tracker.get("latest_message") or {}
        text = str(latest.get("text") or "") if isinstance(latest, dict) else ""
        unsold = out_of_scope_not_sold(text, supported(language))
        if unsold is not None:  # 'do you sell pizza?' asks about our range
            return unsold, 200
    return render(name, language), 200


async def nlg(request: Request) -> HTTPResponse:
    try:
        body = request.json
    except Exception:  # Sanic raises on a body that is not JSON
        body = None
    message, status = response_for(body)
    return response.json(message, status=status)


def add_nlg_route(app: Sanic) -> None:
    app.add_route(nlg, ROUTE, methods=["POST"], name="klantreis_nlg")

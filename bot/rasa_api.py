"""Rasa's HTTP API as Klantreis exposes it: checked at the edge, and no route that swaps the bot.

Klantreis starts Rasa with `--enable-api --auth-token …` because the action server, the outbox
worker and the agent console talk to it (`/conversations/…/trigger_intent`, `/tracker/events`,
`/tracker`, `/status`). Rasa's API also has admin routes that replace, unload or retrain the
model and run test sets. Klantreis does not use them (`klantreis train` trains, a restart loads
the new model), and with the token alone they would let whoever holds it swap the bot for
another one, or keep a server busy training for minutes. So they answer 403, token or not.

The other routes are checked before Rasa's handlers run, once the token is right (a caller
without it gets Rasa's own 401): Rasa answered 500 to a body that is not a JSON object, a
trigger without `name` as text, an event it cannot read, an id with a NUL (found by
bench/fuzz/rasa_api.py). Now the conversation id must be an id (`validation.identifier`), the
body valid JSON of the route's shape with its strings repaired, and each event one Rasa can
read; anything else is a 400 that names the field.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import validation

MAX_API_BODY_BYTES = 1_000_000
MAX_API_DEPTH = 32

SWITCHED_OFF = frozenset(
    {
        ("POST", "/model/train"),
        ("POST", "/model/test/stories"),
        ("POST", "/model/test/intents"),
        ("PUT", "/model"),
        ("DELETE", "/model"),
    }
)


def switched_off(method: str, path: str) -> bool:
    """Whether Klantreis refuses this Rasa API route (trailing slashes do not get round it)."""
    return (method.upper(), "/" + path.strip("/")) in SWITCHED_OFF


def _json_body(body: bytes | None) -> Any:
    if body is None or not body.strip():
        raise validation.Invalid("body", "is empty; send JSON")
    if len(body) > MAX_API_BODY_BYTES:
        raise validation.Invalid("body", f"larger than {MAX_API_BODY_BYTES} bytes")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise validation.Invalid("body", "is not valid JSON") from None
    except RecursionError:
        raise validation.Invalid("body", "is nested too deeply") from None
    return validation.clean_json(data, field="body", max_depth=MAX_API_DEPTH)


def _object(data: Any, field: str = "body") -> dict[str, Any]:
    if not isinstance(data, dict):
        raise validation.Invalid(field, "must be a JSON object")
    return data


def _optional(data: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> None:
    value = data.get(key)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise validation.Invalid(key, f"must be {what}")


def _text(data: dict[str, Any]) -> None:
    if not isinstance(data.get("text"), str):
        raise validation.Invalid("text", "must be text")


def _events(data: Any, *, single: bool) -> None:
    """Events Rasa can read: one object or a non-empty list (appending, `single`), or a list
    (replacing a tracker, predicting)."""
    from rasa.shared.core.events import Event

    events = [data] if single and isinstance(data, dict) else data
    if not isinstance(events, list):
        raise validation.Invalid("body", "must be a list of events")
    if single and not events:  # Rasa wraps its own 400 for this in a 500
        raise validation.Invalid("body", "holds no event to append")
    for number, event in enumerate(events):
        field = f"events[{number}]"
        if not isinstance(_object(event, field).get("event"), str):
            raise validation.Invalid(field, "needs `event`, the event's type")
        try:
            Event.from_parameters(event)
        except Exception:  # Rasa would fail the same way inside its handler: a 500
            raise validation.Invalid(field, "is not an event Rasa can read") from None


def _entities(value: Any) -> None:
    if value is None or isinstance(value, dict):
        return
    if not isinstance(value, list) or not all(
        isinstance(e, dict) and isinstance(e.get("entity"), str) for e in value
    ):
        raise validation.Invalid("entities", "must be an object, or a list of {entity, value}")


def check_body(method: str, route: str, data: Any) -> None:
    """`data` (parsed, cleaned JSON) has the shape Rasa's handler for `route` reads."""
    if route.endswith("/tracker/events"):
        _events(data, single=method == "POST")
    elif route == "/model/predict":
        _events(data, single=False)
    elif route.endswith("/trigger_intent"):
        validation.identifier(_object(data).get("name"), field="name")
        _entities(data.get("entities"))
    elif route.endswith("/execute"):
        validation.identifier(_object(data).get("name"), field="name")
        _optional(data, "policy", str, "text")
        _optional(data, "confidence", (int, float), "a number")
    elif route.endswith("/messages"):
        validation.identifier(_object(data).get("sender"), field="sender")
        _text(data)
        _optional(data, "parse_data", dict, "an object")
    elif route == "/model/parse":
        _text(_object(data))
        _optional(data, "message_id", str, "text")


BODY_ROUTES = ("/tracker/events", "/trigger_intent", "/execute", "/messages", "/model/parse",
               "/model/predict")  # fmt: skip


def check_request(request: Request) -> None:
    """Check an authorised API request; its JSON, cleaned, is what Rasa's handler reads."""
    conversation_id = request.match_info.get("conversation_id")
    if conversation_id is not None:
        validation.identifier(conversation_id, field="conversation_id")
    route = request.path.rstrip("/")
    if request.method in ("POST", "PUT") and route.endswith(BODY_ROUTES):
        data = _json_body(request.body)
        check_body(request.method, route, data)
        request.parsed_json = data


def install(app: Sanic, token: str = "") -> None:
    """Refuse the admin routes, and check API requests that carry `token`, before Rasa's
    own handlers (and their auth check) run."""

    def authorised(request: Request) -> bool:
        given = request.args.get("token") or ""
        return bool(token) and hmac.compare_digest(
            given.encode("utf-8", "replace"), token.encode("utf-8")
        )

    async def refuse_admin_routes(request: Request) -> HTTPResponse | None:
        if switched_off(request.method, request.path):
            return response.json(
                {
                    "error": "switched_off",
                    "message": "Klantreis does not serve this Rasa API route; "
                    "train with `klantreis train` and restart to load a model.",
                },
                status=403,
            )
        if request.path.startswith(("/conversations/", "/model/")) and authorised(request):
            try:
                check_request(request)
            except validation.Invalid as exc:
                return response.json(
                    {"error": "invalid_request", "field": exc.field, "message": str(exc)},
                    status=400,
                )
        return None

    app.register_middleware(refuse_admin_routes, "request")

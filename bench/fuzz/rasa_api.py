"""Fuzzing Rasa's own HTTP API (`--enable-api`): every route our Rasa server exposes, with the
token, without it and with a wrong one.

With the valid token the fuzzed parts (conversation ids in the path, query parameters, JSON
bodies and events) get past the gate into Rasa's handlers; the answer must never be 500 or
above. Without a valid token every route but `/` and `/version` must refuse (401 or 403):
a protected route that answers 2xx or 400 without the token is recorded as `open`, a failure.
The admin routes that replace, unload or retrain the model are switched off in Klantreis
(bot/rasa_server.py) and must answer 403 even with the token.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from bench.fuzz.endpoints import TIMEOUT, Tally, Target, _send_all, _status
from bench.fuzz.inputs import Inputs
from bot.rasa_api import SWITCHED_OFF

# (method, path; {id} is a conversation id), weighted by how often each is tried.
ROUTES = [
    ("GET", "/"),
    ("GET", "/version"),
    ("GET", "/status"),
    ("GET", "/domain"),
    ("GET", "/conversations/{id}/tracker"),
    ("GET", "/conversations/{id}/tracker"),
    ("POST", "/conversations/{id}/tracker/events"),
    ("POST", "/conversations/{id}/tracker/events"),
    ("PUT", "/conversations/{id}/tracker/events"),
    ("GET", "/conversations/{id}/story"),
    ("POST", "/conversations/{id}/execute"),
    ("POST", "/conversations/{id}/trigger_intent"),
    ("POST", "/conversations/{id}/trigger_intent"),
    ("POST", "/conversations/{id}/predict"),
    ("POST", "/conversations/{id}/messages"),
    ("POST", "/conversations/{id}/messages"),
    ("POST", "/model/parse"),
    ("POST", "/model/parse"),
    ("POST", "/model/predict"),
    ("POST", "/model/train"),
    ("POST", "/model/test/stories"),
    ("POST", "/model/test/intents"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
    ("GET", "/webhooks/web/presence/{id}"),
]
REFUSED = (401, 403, 404)  # 404: a path no route matches, token or not
OPEN_ROUTES = {"/", "/version"}  # Rasa's greeting and version: public by design
EVENT_NAMES = ["user", "bot", "action", "slot", "restart", "reset_slots", "followup",
               "active_loop", "session_started", "pause", "resume", "reminder", "xyz"]  # fmt: skip
INTENTS = ["greet", "order_status", "EXTERNAL_delivery_delayed", "nlu_fallback", "nope"]
ACTIONS = ["action_listen", "utter_greet", "action_restart", "action_check_order_status",
           "action_session_start", "no_such_action"]  # fmt: skip
QUERY_KEYS = ["include_events", "until", "output_channel", "execute_side_effects", "emulation_mode"]


def _conversation_id(inputs: Inputs, i: int) -> str:
    roll = inputs.random.random()
    if roll < 0.5:
        return f"api-fuzz-{i}"
    if roll < 0.6:
        return inputs.pick(["web:" + "0" * 32, "whatsapp:+31612345678", "rest:na-15"])
    return inputs.text()[:300]


def _event(inputs: Inputs) -> Any:
    event: dict[str, Any] = {"event": inputs.pick(EVENT_NAMES)}
    extras = {
        "user": {"text": inputs.text(), "parse_data": {"intent": {"name": inputs.pick(INTENTS)}}},
        "bot": {"text": inputs.text()},
        "action": {"name": inputs.pick(ACTIONS)},
        "slot": {
            "name": inputs.pick(["order_number", "postcode", inputs.text()]),
            "value": inputs.value(),
        },  # fmt: skip
        "active_loop": {"name": inputs.pick(["verification_form", None, inputs.text()])},
        "followup": {"name": inputs.pick(ACTIONS)},
        "reminder": {"intent": inputs.pick(INTENTS), "date_time": inputs.text()},
    }
    event.update(extras.get(event["event"], {}))
    if inputs.chance(0.3):
        event["timestamp"] = inputs.scalar()
    return inputs.mutate(event) if inputs.chance(0.4) else event


def _body(inputs: Inputs, method: str, path: str) -> bytes | None:
    if method in ("GET", "DELETE"):
        return None
    if inputs.chance(0.1):
        return inputs.junk_bytes()
    data: Any
    if path.endswith("/tracker/events"):
        data = (
            _event(inputs)
            if method == "POST" and inputs.chance(0.6)
            else [_event(inputs) for _ in range(inputs.random.randint(0, 4))]
        )
    elif path.endswith("/trigger_intent"):
        data = {"name": inputs.pick(INTENTS + [inputs.text()]), "entities": inputs.value()}
    elif path.endswith("/execute"):
        data = {"name": inputs.pick(ACTIONS + [inputs.text()]), "policy": inputs.value()}
    elif path.endswith("/messages"):
        data = {"text": inputs.text(), "sender": inputs.pick(["user", "bot", inputs.text()])}
    elif path == "/model/parse":
        data = {"text": inputs.text(), "message_id": inputs.value()}
    else:
        data = inputs.value()
    if inputs.chance(0.25):
        data = inputs.value()
    return inputs.json_bytes(data)


def _query(inputs: Inputs, token: str | None) -> str:
    params = []
    for _ in range(inputs.random.randint(0, 2)):
        value = str(inputs.scalar())[:300]
        params.append(f"{inputs.pick(QUERY_KEYS)}={quote(value, safe='', errors='surrogatepass')}")
    if token is not None:
        params.append(f"token={quote(token, safe='', errors='surrogatepass')}")
    return "?" + "&".join(params) if params else ""


async def fuzz_rasa_api(
    target: Target, inputs: Inputs, count: int, tally: Tally, *, token: str
) -> None:
    async with httpx.AsyncClient(base_url=target.rasa_url, timeout=TIMEOUT) as http:

        async def one(i: int) -> tuple[str, str]:
            method, route = inputs.pick(ROUTES)
            conversation = _conversation_id(inputs, i)
            path = route.replace("{id}", quote(conversation, safe=":+", errors="surrogatepass"))
            roll = inputs.random.random()
            given: str | None = token
            if roll < 0.15:
                given = None
            elif roll < 0.3:
                given = inputs.pick(
                    ["", token[:-1], token + "x", token.upper(), inputs.text()[:300]]
                )
            body = _body(inputs, method, path)
            url = path + _query(inputs, given)
            headers = {"Content-Type": inputs.pick(["application/json", "text/plain"])}
            response = await http.request(method, url, content=body, headers=headers)
            status = _status(response)
            valid = given == token
            if (method, route) in SWITCHED_OFF and response.status_code != 403:
                status = f"open: {status}"  # must stay switched off, token or not
            elif not valid and route not in OPEN_ROUTES and response.status_code not in REFUSED:
                status = f"open: {status}"
            return status, f"{method} {url[:200]} {(body or b'')[:200]!r} -> {response.text[:200]}"

        await _send_all(count, one, tally)

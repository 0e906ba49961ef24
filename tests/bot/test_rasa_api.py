"""Rasa's API at our edge: the bodies that made Rasa answer 500 are a 400 naming the field, the
ones Klantreis sends pass unchanged, and the admin routes stay switched off."""

from __future__ import annotations

from typing import Any

import pytest

from bot import rasa_api, validation


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/model/train"),
        ("post", "/model/train/"),
        ("PUT", "/model"),
        ("DELETE", "//model/"),
        ("POST", "/model/test/intents"),
        ("POST", "/model/test/stories"),
    ],
)
def test_the_admin_routes_are_switched_off(method: str, path: str) -> None:
    assert rasa_api.switched_off(method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/model/parse"), ("GET", "/model"), ("POST", "/conversations/a/trigger_intent")],
)
def test_the_routes_we_use_are_not(method: str, path: str) -> None:
    assert not rasa_api.switched_off(method, path)


# What Klantreis itself sends (bot/delays, the console, the fuzz world, the tests).
GOOD = [
    ("POST", "/conversations/web:1/tracker/events", {"event": "action", "name": "action_listen"}),
    ("POST", "/conversations/web:1/tracker/events", [{"event": "slot", "name": "x", "value": 1}]),
    ("PUT", "/conversations/web:1/tracker/events", []),
    ("POST", "/conversations/web:1/trigger_intent", {"name": "EXTERNAL_delivery_delayed"}),
    (
        "POST",
        "/conversations/web:1/trigger_intent",
        {"name": "greet", "entities": {"order_number": "10452"}},
    ),
    ("POST", "/conversations/web:1/trigger_intent", {"name": "greet", "entities": []}),
    ("POST", "/conversations/web:1/execute", {"name": "action_listen", "confidence": 0.5}),
    ("POST", "/conversations/web:1/messages", {"text": "hoi", "sender": "user"}),
    ("POST", "/model/parse", {"text": "waar is mijn bestelling?"}),
    ("POST", "/model/predict", [{"event": "action", "name": "action_listen"}]),
]


@pytest.mark.parametrize(("method", "route", "data"), GOOD)
def test_what_klantreis_sends_passes(method: str, route: str, data: Any) -> None:
    rasa_api.check_body(method, route, data)


# Each of these was a 500 from Rasa in bench/fuzz/rasa_api.py (seed 15).
BAD = [
    ("POST", "/conversations/0/trigger_intent", None, "body"),
    ("POST", "/conversations/a/trigger_intent", "text", "body"),
    ("POST", "/conversations/a/trigger_intent", {"name": "greet", "entities": [1, 2]}, "entities"),
    ("POST", "/conversations/a/trigger_intent", {"entities": {}}, "name"),
    ("POST", "/conversations/a/messages", [[1e308, 1.5]], "body"),
    ("POST", "/conversations/a/messages", {"sender": "user"}, "text"),
    ("POST", "/conversations/a/execute", -1, "body"),
    ("POST", "/model/parse", {"order": 1.5}, "text"),
    ("PUT", "/conversations/a/tracker/events", {"event": "action", "name": "x"}, "body"),
    (
        "PUT",
        "/conversations/a/tracker/events",
        [{"event": "reminder", "intent": "greet", "date_time": "mijn"}],
        "events[0]",
    ),
    ("POST", "/conversations/a/tracker/events", [{"name": "x"}], "events[0]"),
    ("POST", "/conversations/a/tracker/events", [], "body"),  # the full run's 8 (seed 15)
    ("POST", "/model/predict", {"event": "action"}, "body"),
]


@pytest.mark.parametrize(("method", "route", "data", "field"), BAD)
def test_what_made_rasa_fail_is_refused_naming_the_field(
    method: str, route: str, data: Any, field: str
) -> None:
    with pytest.raises(validation.Invalid) as refused:
        rasa_api.check_body(method, route, data)
    assert refused.value.field == field

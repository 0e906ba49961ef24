"""The Rasa launcher's speed-ups must not change what Rasa accepts or rejects."""

from __future__ import annotations

import jsonschema
import pytest

from bot import rasa_server


@pytest.fixture(scope="module", autouse=True)
def patched() -> None:
    rasa_server.install()


def test_action_responses_are_still_validated() -> None:
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    good = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hoi"}]}
    jsonschema.validate(good, schema)
    jsonschema.validate(good, schema)  # second call uses the compiled validator
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"events": "not a list"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"events": [{"no_event_key": 1}]}, schema)


def test_an_invalid_schema_is_still_refused() -> None:
    with pytest.raises(jsonschema.SchemaError):
        jsonschema.validate({}, {"type": 12})


def test_event_classes_are_found_as_before() -> None:
    from rasa.shared.core.events import Event, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses

    found = all_subclasses(Event)
    assert SlotSet in found and UserUttered in found
    assert Event.resolve_by_type("slot") is SlotSet


async def test_nlg_is_asked_only_for_the_domain_s_responses() -> None:
    """/restart: Rasa asked our NLG for utter_restart, got "no such text" and lost the restart."""
    from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
    from rasa.utils.endpoints import EndpointConfig

    nlg = CallbackNaturalLanguageGenerator(EndpointConfig("http://127.0.0.1:9/nlg"))
    said = await nlg.generate("utter_restart", None, "rest", domain_responses={"utter_ok": []})
    assert said is None  # nothing asked: port 9 would have refused the connection


RESULTS = [
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hoi"}]},
    {"events": [{"event": "session_started"}, {"event": "action", "name": "action_listen"}]},
    {"events": [{"event": "slot", "name": 3}]},  # a slot's name is text
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "x"}]},
    {"events": [{"event": "user", "text": 5}]},
    {"events": "not a list"},
    {"events": [3]},
    {"responses": [1]},
    {"responses": "hoi"},
    {},
]


@pytest.mark.parametrize("result", RESULTS)
def test_the_quick_event_check_accepts_and_refuses_as_rasa_does(result: dict) -> None:
    from rasa.core.actions.action import RemoteAction

    def verdict(check: object) -> str:
        try:
            check(result)  # type: ignore[operator]
        except jsonschema.ValidationError as exc:
            return f"refused: {exc.message}"
        return "valid"

    rasas = verdict(
        lambda r: jsonschema.Draft7Validator(RemoteAction.action_response_format_spec()).validate(r)
    )
    ours = verdict(RemoteAction("action_x", None)._validate_action_result)
    assert ours.split(". Failed to validate")[0] == rasas


async def test_endpoint_sessions_are_kept_open_per_endpoint() -> None:
    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")
    async with endpoint.session() as first, endpoint.session() as second:
        assert first is second and not first.closed
    assert not first.closed  # kept for the next call
    other = EndpointConfig("http://127.0.0.1:9/nlg").session().session
    assert other is not first
    await first.close()
    await other.close()


def test_the_rule_policy_finds_the_same_rules_as_before() -> None:
    import json

    from rasa.core.policies.rule_policy import RulePolicy

    def state(action: str, intent: str | None = None, **slots: float) -> dict:
        found: dict = {"prev_action": {"action_name": action}}
        if intent:
            found["user"] = {"intent": intent}
        if slots:
            found["slots"] = {name: (value,) for name, value in slots.items()}
        return found

    listen, notice = "action_listen", "EXTERNAL_delivery_delayed"
    rules = {
        json.dumps([state(listen, "greet")]): "utter_greet",
        json.dumps([state(listen, notice)]): "action_announce_delay",
        json.dumps([state(listen, notice), state("action_announce_delay", notice)]): listen,
        json.dumps([state(listen, "greet", handoff=1.0)]): "utter_agent_busy",
    }
    conversations = [
        [state("action_session_start"), state(listen, "greet")],
        [state(listen, "greet", handoff=1.0)],
        [state(listen, notice)],
        [state(listen, notice), state("action_announce_delay", notice)],
        [state(listen, "bye")],
    ]
    policy = RulePolicy.__new__(RulePolicy)  # the look-up uses only the rule table and states
    original = RulePolicy._get_possible_keys.__wrapped__  # type: ignore[attr-defined]
    expected = [set(original(policy, rules, states)) for states in conversations]
    assert expected[1] >= {json.dumps([state(listen, "greet", handoff=1.0)])}
    for _ in range(2):  # the second round is remembered
        for states, keys in zip(conversations, expected, strict=True):
            found = policy._get_possible_keys(rules, states)
            assert found == keys
            found.clear()  # the caller's own set: what is remembered stays
    assert [policy._get_possible_keys(rules, states) for states in conversations] == expected

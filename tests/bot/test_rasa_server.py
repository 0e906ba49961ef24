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

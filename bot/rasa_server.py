"""Start Rasa (`python -m bot.rasa_server run …`, same arguments as `rasa`), adjusted for us,
with known third-party warnings kept off the terminal (bot/third_party_warnings.py).

Sturdier: the SQL tracker store reconnects after a database restart and waits for a busy
SQLite file; a failed action server call gets a polite reply (bot/action_fallback.py); every
response carries our security headers (bot/security_headers.py); the API's routes that swap
or retrain the model are switched off (bot/rasa_api.py).

Two speed-ups. Profiling Klantreis under load (py-spy, docs/benchmarks.md) showed Rasa 3.6
spending about a third of its busy time on two things that give the same answer every time:

* `jsonschema.validate` on every action-server response: it re-checks the schema itself against
  the JSON Schema meta-schema on each call (and resolves its $refs). We compile a validator once
  per schema; the response is still validated in full and a bad one still raises ValidationError.
* `all_subclasses(Event)` for every event it deserialises: a recursive walk over the class tree.
  The event classes are all defined at import, so the list is memoised per class.

Two more for the delay fan-out (docs/benchmarks.md): one kept-alive HTTP session per endpoint
(the action server, NLG) instead of a new connection per call, and a failed `import sniffio`
remembered instead of searched for again on every Telegram API call.

A rule policy that remembers which rules fit a conversation's recent states, since a fan-out
asks it the same question for every conversation.

And one fix: a triggered intent (`/trigger_intent`) runs to the end even when its caller hangs
up, so a proactive notice is never sent without being saved in the tracker (docs/delays.md).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
from functools import lru_cache
from typing import Any


def _install_cached_validate() -> None:
    import jsonschema

    original = jsonschema.validate
    validators: dict[str, Any] = {}

    def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
        if cls is not None or args or kwargs:
            return original(instance, schema, cls, *args, **kwargs)
        key = json.dumps(schema, sort_keys=True, default=str)
        validator = validators.get(key)
        if validator is None:
            validator_class = jsonschema.validators.validator_for(schema)
            validator_class.check_schema(schema)
            validator = validators[key] = validator_class(schema)
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    jsonschema.validate = validate


def _install_quick_action_result_check() -> None:
    """Rasa checks each event an action returns against a `oneOf` of all 23 event schemas,
    which tries every one of them: 13 ms for a session start's few slots on a busy machine,
    a tenth of Rasa's time in the delay fan-out. The branches are told apart by their
    `event` constant, so an event is valid exactly when it is valid for its own branch: that
    is checked first, and anything it does not pass goes through Rasa's full check, which
    raises Rasa's own error."""
    import copy

    import jsonschema
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.utils.schemas.events import EVENTS_SCHEMA

    item = EVENTS_SCHEMA["items"]
    branches: dict[str, list[Any]] = {}
    for branch in item["oneOf"]:
        const = branch.get("properties", {}).get("event", {}).get("const")
        branches.setdefault(str(const), []).append(branch)
    base = {k: copy.deepcopy(v) for k, v in item.items() if k != "oneOf"}
    validator_class = jsonschema.validators.validator_for(EVENTS_SCHEMA)
    per_event = {
        name: validator_class({**base, "allOf": found})
        for name, found in branches.items()
        if len(found) == 1  # a constant shared by two branches: only the full check knows
    }
    original = RemoteAction._validate_action_result

    def passes(result: Any) -> bool:
        if not isinstance(result, dict):
            return False
        responses = result.get("responses", [])
        if not isinstance(responses, list) or not all(isinstance(r, dict) for r in responses):
            return False
        events = result.get("events", [])
        if not isinstance(events, list):
            return False
        for event in events:
            name = event.get("event") if isinstance(event, dict) else None
            validator = per_event.get(name) if isinstance(name, str) else None
            if validator is None or not validator.is_valid(event):
                return False
        return True

    def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        return passes(result) or bool(original(self, result))

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def _install_cached_subclasses() -> None:
    import rasa.shared.utils.common as common

    common.all_subclasses = lru_cache(maxsize=None)(common.all_subclasses)


def _install_sturdy_tracker_engine() -> None:
    """Rasa's SQL tracker store survives a database restart and a busy SQLite file.

    `pool_pre_ping` tests a pooled connection before each use and replaces one the server
    closed (a PostgreSQL restart, `pg_terminate_backend`), instead of failing the next message.
    SQLite waits up to 30 s for another process's write lock, as our own engines do
    (bot/store/db.py), instead of Python's 5 s.
    """
    import rasa.core.tracker_store as tracker_store

    original = tracker_store.create_engine_kwargs

    def create_engine_kwargs(url: Any) -> dict[str, Any]:
        kwargs = dict(original(url))
        kwargs["pool_pre_ping"] = True
        if str(getattr(url, "drivername", url)).startswith("sqlite"):
            kwargs.setdefault("connect_args", {"timeout": 30})
        return kwargs

    tracker_store.create_engine_kwargs = create_engine_kwargs


def _install_security_headers() -> None:
    """Every response of Rasa's server (channels, REST, widget files) gets our headers, and
    the API's admin routes are switched off (bot/rasa_api.py)."""
    import rasa.core.run as run

    from bot import rasa_api, security_headers

    original = run.configure_app
    signature = inspect.signature(original)

    def configure_app(*args: Any, **kwargs: Any) -> Any:
        app = original(*args, **kwargs)
        security_headers.install(app)
        token = signature.bind_partial(*args, **kwargs).arguments.get("auth_token")
        rasa_api.install(app, token=token or "")
        return app

    run.configure_app = configure_app


def _install_whole_triggered_turns() -> None:
    """Sanic cancels a request's handler when the client disconnects. For `trigger_intent`
    that can cut a turn in half: the channel has sent the messages, the tracker is not saved,
    and the caller's retry (the outbox worker was killed) would send them again. So the turn
    is shielded and finished, inside the conversation's lock, before the cancel goes on."""
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor.trigger_external_user_uttered

    async def trigger_external_user_uttered(self: Any, *args: Any, **kwargs: Any) -> None:
        task = asyncio.ensure_future(original(self, *args, **kwargs))
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            await asyncio.wait({task})
            raise

    MessageProcessor.trigger_external_user_uttered = trigger_external_user_uttered  # type: ignore[method-assign]


def _install_nlg_for_domain_responses_only() -> None:
    """Ask our NLG endpoint only for responses the domain defines, as Rasa's own NLG does.

    Rasa's default actions say a response only if the domain has it (action_restart says
    `utter_restart`, silently skipped otherwise). With an NLG endpoint Rasa 3.6 asks for it
    anyway and takes the endpoint's "no such text" as an error that drops the action's events:
    a customer typing /restart was not restarted (found by the fuzzer).
    """
    from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator

    original = CallbackNaturalLanguageGenerator.generate

    async def generate(
        self: Any, utter_action: str, tracker: Any, output_channel: str, **kwargs: Any
    ) -> Any:
        known = kwargs.get("domain_responses")
        if known is not None and utter_action not in known:
            return None
        return await original(self, utter_action, tracker, output_channel, **kwargs)

    CallbackNaturalLanguageGenerator.generate = generate  # type: ignore[method-assign]


class _KeptSession:
    """`async with` over a shared session that stays open afterwards."""

    def __init__(self, session: Any):
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *_exc: object) -> None:
        return None


def _install_kept_alive_endpoints() -> None:
    """Rasa opens a new HTTP session, so a new TCP connection, for every call to the action
    server and the NLG endpoint (`EndpointConfig.request`): two or three per turn. One session
    per endpoint and event loop, kept open, serves them all. Idle connections are dropped after
    2 s, before the action server's own keep-alive timeout (5 s) could close one under a call."""
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    original = EndpointConfig.session

    def session(self: Any) -> Any:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return original(self)
        kept = self.__dict__.get("_klantreis_session")
        if kept is None or kept[0] is not loop or kept[1].closed:
            auth = None
            if self.basic_auth:
                auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            kept = self.__dict__["_klantreis_session"] = (
                loop,
                aiohttp.ClientSession(
                    headers=self.headers,
                    auth=auth,
                    timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                    connector=aiohttp.TCPConnector(keepalive_timeout=2),
                ),
            )
        return _KeptSession(kept[1])

    EndpointConfig.session = session  # type: ignore[method-assign]


def _install_quick_sniffio_miss() -> None:
    """httpcore (under python-telegram-bot) runs `import sniffio` on every HTTP request. It is
    not installed (anyio 4 no longer needs it), and a failed import is not remembered: each
    one searched sys.path again, a tenth of Rasa's busy time in the delay fan-out. Recording
    the miss makes the import fail at once, as it would anyway."""
    import importlib.util

    if importlib.util.find_spec("sniffio") is None:
        sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]


RULE_ANSWERS_KEPT = 4096  # remembered rule look-ups (distinct conversation states) per policy


def _install_remembered_rule_lookup() -> None:
    """RulePolicy finds the rules that fit a conversation by testing every rule (about 270
    here) against each of the recent states, in Python, on every prediction: the largest part
    of a delay notice's time in Rasa after the tracker store (docs/benchmarks.md). The answer
    depends only on the rules and the states, and a fan-out asks the same question for
    thousands of conversations, so the policy remembers its latest answers by the states.
    Rules do not change in a running server; the remembered answer keeps its rule table alive,
    so a new table (another model) never matches an old entry."""
    from collections import OrderedDict

    from rasa.core.policies.rule_policy import RulePolicy

    original = getattr(RulePolicy._get_possible_keys, "__wrapped__", RulePolicy._get_possible_keys)

    def _get_possible_keys(self: Any, lookup: dict[str, str], states: list[Any]) -> set[str]:
        try:
            key = (id(lookup), len(lookup), json.dumps(states, sort_keys=True))
        except (TypeError, ValueError):  # a state we cannot write down: no memory
            return set(original(self, lookup, states))
        kept: OrderedDict[Any, Any] | None = self.__dict__.get("_klantreis_rule_answers")
        if kept is None:
            kept = self.__dict__["_klantreis_rule_answers"] = OrderedDict()
        found = kept.get(key)
        if found is None or found[0] is not lookup:
            found = kept[key] = (lookup, frozenset(original(self, lookup, states)))
            if len(kept) > RULE_ANSWERS_KEPT:
                kept.popitem(last=False)
        else:
            kept.move_to_end(key)
        return set(found[1])  # the caller's own set

    _get_possible_keys.__wrapped__ = original  # type: ignore[attr-defined]
    RulePolicy._get_possible_keys = _get_possible_keys  # type: ignore[method-assign]


def _install_held_listener() -> None:
    """Serve on the listening socket this process inherited, if any, instead of binding the
    port: `klantreis run` keeps Rasa's port open across restarts (bot/stack.py), systemd does
    the same with klantreis-rasa.socket. A connection made while Rasa restarts then waits and
    is answered, where it would otherwise have been refused."""
    import socket

    from sanic import Sanic

    from bot.settings import Settings

    fd = Settings.from_env().rasa_listen_fd
    if fd is None:
        return
    original = Sanic.run

    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("host", None)
        kwargs.pop("port", None)
        kwargs["sock"] = socket.socket(fileno=fd)
        return original(self, *args, **kwargs)

    Sanic.run = run  # type: ignore[method-assign]


def install() -> None:
    from bot import action_fallback

    _install_cached_validate()
    _install_quick_action_result_check()
    _install_cached_subclasses()
    _install_sturdy_tracker_engine()
    _install_security_headers()
    action_fallback.install()
    _install_whole_triggered_turns()
    _install_nlg_for_domain_responses_only()
    _install_kept_alive_endpoints()
    _install_quick_sniffio_miss()
    _install_remembered_rule_lookup()
    _install_held_listener()


def main() -> None:
    from bot import third_party_warnings

    third_party_warnings.install()
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()

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
    _install_cached_subclasses()
    _install_sturdy_tracker_engine()
    _install_security_headers()
    action_fallback.install()
    _install_whole_triggered_turns()
    _install_nlg_for_domain_responses_only()
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

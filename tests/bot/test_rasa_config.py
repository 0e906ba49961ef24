"""The endpoints Rasa gets: the domain goes only to the actions that read it."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.forms import FormValidationAction

import actions
from bot.rasa_config import endpoints
from bot.settings import PROJECT_ROOT, Settings


def test_the_action_server_gets_the_domain_only_where_asked(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/store.db")
    assert endpoints(settings)["action_endpoint"] == {  # type: ignore[index]
        "url": settings.action_server_url,
        "enable_selective_domain": True,
    }


def test_every_action_that_reads_the_domain_is_sent_it() -> None:
    """Form validators read the form's required slots from the domain, and the session start
    reads session_config; without `send_domain: true` they would get an empty domain."""
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    executor = ActionExecutor()
    executor.register_package(actions)
    readers = {
        name
        for name, run in executor.actions.items()
        if isinstance(getattr(run, "__self__", None), FormValidationAction)
        or name == "action_session_start"
    }
    assert len(readers) >= 7
    for name in readers:
        assert domain.does_custom_action_explicitly_need_domain(name), name
    # the per-message action and the product answers do without it
    for name in ("action_message_slots", "action_answer_product", "action_thank"):
        assert not domain.does_custom_action_explicitly_need_domain(name), name

"""Building blocks for the handoff action tests: channel trackers, agents, the retailer file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.handoff import (
    ActionHandoff,
)
from bot import retailer as retailer_module
from bot.handoff import agents, queue
from bot.handoff import policy as policy_module
from bot.settings import PROJECT_ROOT
from bot.store import identities
from bot.store.db import make_engine, make_session_factory
from bot.store.handoff_models import Handoff
from bot.store.models import utcnow
from tests.helpers.trackers import make_tracker

WEB = "web:" + "ab12" * 8
WHATSAPP = "whatsapp:+31612345678"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def write_retailer(
    folder: Path, hours: dict[str, str], surveys: dict[str, int] | None = None
) -> Path:
    """The demo retailer file with other opening hours (and survey settings)."""
    data = yaml.safe_load((PROJECT_ROOT / "config" / "retailer.yml").read_text(encoding="utf-8"))
    data["handoff"] = {**data.get("handoff", {}), "opening_hours": hours, "holidays": []}
    if surveys:
        data["surveys"] = {**data.get("surveys", {}), **surveys}
    path = folder / "retailer.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def use_retailer(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("KLANTREIS_RETAILER_FILE", str(path))
    policy_module.policy.cache_clear()
    retailer_module.retailer.cache_clear()


def db(url: str) -> Session:
    return make_session_factory(make_engine(url))()


def identity_for(url: str, sender: str, customer_ref: str | None = None) -> int:
    """The channel layer's work: a (maybe verified) customer behind this sender id."""
    channel, external_id = sender.split(":", 1)
    with db(url) as session, session.begin():
        identity = identities.resolve(session, channel, external_id)
        if customer_ref:
            customer = identities.customer_by_ref(session, customer_ref)
            assert customer is not None
            identities.link(session, identity, customer, "test")
        return identities.who(session, identity).customer_id


def agent_online(url: str, name: str = "Sanne Jansen", seen: bool = True) -> int:
    with db(url) as session, session.begin():
        agent = agents.create_agent(
            session,
            username=name.split()[0].lower() + str(utcnow().timestamp()).replace(".", ""),
            display_name=name,
            password="een lang wachtwoord",
        )
        agent.last_seen_at = utcnow() if seen else utcnow() - dt.timedelta(hours=2)
        session.flush()
        return int(agent.id)


def on_channel(sender: str, **kwargs: Any) -> Tracker:
    """A tracker of a conversation that came in on a real channel (`web:…`, `whatsapp:…`)."""
    tracker = make_tracker(**kwargs)
    tracker.sender_id = sender
    for event in tracker.events:
        if event.get("event") == "user":
            event["input_channel"] = sender.split(":", 1)[0]
    return tracker


def user(text: str, intent: str, confidence: float = 0.9) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": confidence}},
        "input_channel": "web",
    }


def handoffs(url: str, sender: str = WEB) -> list[Handoff]:
    with db(url) as session:
        found = session.scalars(
            select(Handoff).where(Handoff.conversation_id == sender).order_by(Handoff.id)
        ).all()
        session.expunge_all()
        return list(found)


def slot(events: list[dict[str, Any]], name: str) -> Any:
    values = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]
    return values[-1] if values else "<unset>"


def followup(events: list[dict[str, Any]]) -> str | None:
    names = [e["name"] for e in events if e.get("event") == "followup"]
    return names[-1] if names else None


async def ask_for_a_person(
    dispatcher: CollectingDispatcher, sender: str = WEB, language: str = "nl", **kwargs: Any
) -> list[dict[str, Any]]:
    tracker = on_channel(
        sender,
        text="ik wil een medewerker spreken" if language == "nl" else "can I talk to a person",
        intent="human_handoff",
        slots={"language": language, **kwargs.pop("slots", {})},
        **kwargs,
    )
    return await ActionHandoff().run(dispatcher, tracker, {})


def open_handoff_with_agent(url: str, sender: str = WEB, name: str = "Sanne Jansen") -> int:
    agent_id = agent_online(url, name)
    customer_id = identity_for(url, sender)
    with db(url) as session, session.begin():
        handoff = queue.request(
            session,
            conversation_id=sender,
            customer_id=customer_id,
            channel=sender.split(":")[0],
            language="nl",
            reason="explicit",
        )
        queue.claim(session, handoff.id, agent_id)
        return int(handoff.id)

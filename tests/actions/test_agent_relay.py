"""What the agent console runs through Rasa's /execute: agent replies, hand-back, time-out."""

from __future__ import annotations

import datetime as dt

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.agent_relay import ActionDeliverAgentMessages, ActionHandedBack, ActionHandoffTimeout
from bot.store.handoff_models import AgentReply, Handoff
from bot.store.models import utcnow
from tests.helpers.handoff import (
    WEB,
    WHATSAPP,
    db,
    on_channel,
    open_handoff_with_agent,
    slot,
)
from tests.helpers.trackers import texts

# What the agent console runs through Rasa's /execute


async def test_agent_replies_are_delivered_once_oldest_first(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    handoff_id = open_handoff_with_agent(store)
    with db(store) as session, session.begin():
        handoff = session.get(Handoff, handoff_id)
        base = utcnow() - dt.timedelta(minutes=5)
        session.add_all(
            [
                AgentReply(
                    handoff_id=handoff_id,
                    conversation_id=WEB,
                    agent_id=handoff.agent_id,
                    text=text,
                    created_at=base + dt.timedelta(seconds=n),
                    delivered_at=base if n == 0 else None,
                )
                for n, text in enumerate(["al verstuurd", "Hoi, ik kijk even mee.", "Gevonden!"])
            ]
        )
    events = await ActionDeliverAgentMessages().run(dispatcher, on_channel(WEB), {})
    assert texts(dispatcher) == ["Hoi, ik kijk even mee.", "Gevonden!"]
    assert dispatcher.messages[0]["custom"] == {
        "klantreis": {"author": "agent", "agent_name": "Sanne Jansen"}
    }
    assert [(e["event"], e["name"]) for e in events] == [("action", "action_listen")]
    with db(store) as session:
        assert all(r.delivered_at for r in session.scalars(select(AgentReply)))
    again = CollectingDispatcher()
    await ActionDeliverAgentMessages().run(again, on_channel(WEB), {})
    assert again.messages == []


async def test_handed_back_and_timeout(store: str, dispatcher: CollectingDispatcher) -> None:
    events = await ActionHandedBack().run(
        dispatcher, on_channel(WEB, slots={"handoff_status": "agent"}), {}
    )
    assert texts(dispatcher) == ["Ik help je weer verder. Waarmee kan ik nog helpen?"]
    assert slot(events, "handoff_status") is None
    assert events[-1]["event"] == "action" and events[-1]["name"] == "action_listen"
    late = CollectingDispatcher()
    events = await ActionHandoffTimeout().run(
        late, on_channel(WHATSAPP, slots={"language": "en", "handoff_status": "waiting"}), {}
    )
    assert "you'll get the answer here on WhatsApp" in texts(late)[0]
    assert slot(events, "handoff_status") is None

"""Actions the agent console runs through `POST /conversations/<id>/execute?output_channel=…`.

They run without a user message (and work while the conversation is paused), so each ends with
`action_listen`, as if the bot had just finished a normal turn.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, say, store_session
from actions.handoff import HANDOFF_SLOTS, channel_place, now
from bot.handoff import desk


class ActionDeliverAgentMessages(Action):
    """Send the agent's replies that have not reached the customer yet, oldest first."""

    def name(self) -> str:
        return "action_deliver_agent_messages"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with store_session() as session:
            replies = desk.take_undelivered_replies(
                session, conversation_id=tracker.sender_id, now=now()
            )
        for reply in replies:
            dispatcher.utter_message(
                text=reply.text,
                json_message={"klantreis": {"author": "agent", "agent_name": reply.agent_name}},
            )
        return [ActionExecuted("action_listen")]


class ActionHandedBack(Action):
    """The agent handed the conversation back: the bot helps again."""

    def name(self) -> str:
        return "action_handed_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, language_of(tracker), "handed_back")
        return [*(SlotSet(slot, None) for slot in HANDOFF_SLOTS), ActionExecuted("action_listen")]


class ActionHandoffTimeout(Action):
    """Nobody took it in time; the services process already made it a message for the team."""

    def name(self) -> str:
        return "action_handoff_timeout"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        say(dispatcher, language, "handoff_timeout", place=channel_place(tracker, language))
        return [*(SlotSet(slot, None) for slot in HANDOFF_SLOTS), ActionExecuted("action_listen")]

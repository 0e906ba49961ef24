"""The handoff desk's tables: agents, their sessions, handoffs, replies, notes and surveys.

They share the retail models' metadata and are imported at the end of `bot.store.models`.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.language import DEFAULT_LANGUAGE
from bot.store.models import Base, UtcDateTime, utcnow


class Agent(Base):
    """A service agent (or supervisor) who logs in to the agent console."""

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    display_name = Column(String(100), nullable=False)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(20), nullable=False, default="agent")  # agent | supervisor
    language = Column(String(2), nullable=False, default=DEFAULT_LANGUAGE)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UtcDateTime)


class AgentSession(Base):
    """A logged-in console session; only a hash of the cookie's token is stored."""

    __tablename__ = "agent_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    expires_at = Column(UtcDateTime, nullable=False)
    revoked_at = Column(UtcDateTime)

    agent = relationship("Agent")


class Handoff(Base):
    """A conversation handed to people: waiting in the queue, with an agent, or a ticket.

    status: waiting -> assigned -> resolved | returned (handed back to the bot);
    waiting -> cancelled (the customer stopped waiting);
    ticket (left a message) -> answered.
    """

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(300), nullable=False, index=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    language = Column(String(2), nullable=False, default=DEFAULT_LANGUAGE)
    reason = Column(String(30), nullable=False)
    priority = Column(Integer, nullable=False, default=2)  # 1 urgent, 2 normal, 3 low
    status = Column(String(20), nullable=False, index=True)
    summary = Column(JSON, nullable=False, default=dict)  # what the bot knew: intents, slots
    message = Column(Text)  # the customer's message for a ticket
    agent_id = Column(Integer, ForeignKey("agents.id"), index=True)
    requested_at = Column(UtcDateTime, nullable=False, default=utcnow)
    claimed_at = Column(UtcDateTime)
    closed_at = Column(UtcDateTime)
    updated_at = Column(UtcDateTime, nullable=False, default=utcnow, index=True)

    customer = relationship("Customer")
    agent = relationship("Agent")
    notes = relationship("AgentNote", back_populates="handoff", order_by="AgentNote.id")


class AgentReply(Base):
    """An agent's message on its way to the customer through the bot's channel."""

    __tablename__ = "agent_replies"

    id = Column(Integer, primary_key=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id"), nullable=False, index=True)
    conversation_id = Column(String(300), nullable=False, index=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    delivered_at = Column(UtcDateTime)

    agent = relationship("Agent")


class AgentNote(Base):
    """An internal note on a handoff: for colleagues, never shown to the customer."""

    __tablename__ = "agent_notes"

    id = Column(Integer, primary_key=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id"), nullable=False, index=True)
    agent_id = Column(Integer, ForeignKey("agents.id"))  # None: written by the system
    text = Column(Text, nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)

    handoff = relationship("Handoff", back_populates="notes")
    agent = relationship("Agent")


class SurveyAnswer(Base):
    """A CSAT (1-5) or NPS (0-10) score, per conversation and, after a handoff, per agent."""

    __tablename__ = "survey_answers"

    id = Column(Integer, primary_key=True)
    kind = Column(String(4), nullable=False)  # csat | nps
    conversation_id = Column(String(300), nullable=False, index=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id"))
    agent_id = Column(Integer, ForeignKey("agents.id"), index=True)
    score = Column(Integer, nullable=False)
    comment = Column(Text)
    answered_at = Column(UtcDateTime, nullable=False, default=utcnow)

"""Agent accounts: scrypt hashes, log-in, sessions that expire and can be ended."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from bot.handoff import agents
from bot.store.handoff_models import Agent
from bot.store.models import utcnow


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = agents.hash_password("correct horse"), agents.hash_password("correct horse")
    assert first.startswith("scrypt$") and first != second
    assert agents.check_password("correct horse", first)
    assert not agents.check_password("Correct horse", first)
    assert not agents.check_password("x", "not a hash")


def test_log_in_and_sessions(session: Session) -> None:
    agent = agents.create_agent(
        session, username="Noor", display_name="Noor de Boer", password="lang-wachtwoord"
    )
    assert agent.username == "noor" and "lang-wachtwoord" not in agent.password_hash
    assert agents.authenticate(session, "noor", "verkeerd-wachtwoord") is None
    assert agents.authenticate(session, "niemand", "lang-wachtwoord") is None
    assert agents.authenticate(session, " NOOR ", "lang-wachtwoord") is agent

    token, record = agents.start_session(session, agent)
    assert record.token_hash != token and len(record.csrf_token) >= 32
    assert agents.session_for(session, token) is record
    assert agents.session_for(session, token + "x") is None
    later = utcnow() + dt.timedelta(hours=agents.SESSION_HOURS, seconds=1)
    assert agents.session_for(session, token, now=later) is None
    agents.end_session(session, record)
    assert agents.session_for(session, token) is None


def test_a_disabled_agent_is_logged_out(session: Session) -> None:
    agent = agents.create_agent(
        session, username="ruben", display_name="Ruben", password="lang-wachtwoord"
    )
    token, _ = agents.start_session(session, agent)
    agent.active = False
    assert agents.session_for(session, token) is None
    assert agents.authenticate(session, "ruben", "lang-wachtwoord") is None


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("", "lang-wachtwoord", "agent", "username"),
        ("noor de boer", "lang-wachtwoord", "agent", "username"),
        ("noor", "kort", "agent", "10 characters"),
        ("noor", "lang-wachtwoord", "admin", "role"),
    ],
)
def test_account_rules(
    session: Session, username: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(agents.AccountError, match=message):
        agents.create_agent(
            session, username=username, display_name="x", password=password, role=role
        )


def test_usernames_are_unique(session: Session) -> None:
    agents.create_agent(session, username="noor", display_name="Noor", password="lang-wachtwoord")
    with pytest.raises(agents.AccountError, match="already"):
        agents.create_agent(session, username="NOOR", display_name="N", password="lang-wachtwoord")


def test_an_agent_away_for_a_day_is_seen_again() -> None:
    """`timedelta.seconds` ignores whole days: an agent back after a day and a few seconds
    stayed 'offline'. The whole interval counts."""
    now = utcnow()
    agent = Agent(username="noor", display_name="Noor", password_hash="x", role="agent")
    agent.last_seen_at = now - dt.timedelta(days=1, seconds=5)
    assert agents.mark_seen(agent, now) and agent.last_seen_at == now
    assert not agents.mark_seen(agent, now + dt.timedelta(seconds=3))
    assert agents.mark_seen(agent, now + dt.timedelta(seconds=11))
    fresh = Agent(username="lotte", display_name="Lotte", password_hash="x", role="agent")
    assert agents.mark_seen(fresh, now) and fresh.last_seen_at == now

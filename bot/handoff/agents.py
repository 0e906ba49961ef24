"""Agent accounts and console sessions: scrypt password hashes, hashed session tokens."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.language import supported
from bot.store.handoff_models import Agent, AgentSession
from bot.store.models import utcnow

ROLES = ("agent", "supervisor")
SESSION_HOURS = 12
SEEN_EVERY_SECONDS = 10  # how often a busy console writes "still here" (online status)
# scrypt with N=2^15, r=8, p=1: about 32 MiB and 50-100 ms per check (OWASP's minimum is 2^17
# with r=8 for new systems on fast hardware; 2^15 keeps logins snappy on a 2-core box).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """An account cannot be created as asked; the message says why."""


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * 1024 * 1024, dklen=32
    )


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    encode = base64.b64encode
    return (
        f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"
    )


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
        return hmac.compare_digest(actual, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked when the username is unknown, so timing does not reveal which names exist."""
    return hash_password(secrets.token_hex(8))


def create_agent(
    session: Session,
    *,
    username: str,
    display_name: str,
    password: str,
    role: str = "agent",
    language: str = "nl",
) -> Agent:
    username = username.strip().lower()
    if (
        not username
        or len(username) > 64
        or not username.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        raise AccountError("a username is 1-64 letters, digits, dots, dashes or underscores")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalars(select(Agent).where(Agent.username == username)).first():
        raise AccountError(f"there is already an agent called {username!r}")
    agent = Agent(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=hash_password(password),
        role=role,
        language=supported(language),
    )
    session.add(agent)
    session.flush()
    return agent


def authenticate(session: Session, username: str, password: str) -> Agent | None:
    agent = session.scalars(
        select(Agent).where(Agent.username == username.strip().lower(), Agent.active.is_(True))
    ).first()
    if agent is None:
        check_password(password, _dummy_hash())
        return None
    return agent if check_password(password, agent.password_hash) else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(
    session: Session, agent: Agent, now: dt.datetime | None = None
) -> tuple[str, AgentSession]:
    """A new console session; the raw token goes in the cookie and is never stored."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    record = AgentSession(
        token_hash=_token_hash(token),
        agent=agent,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + dt.timedelta(hours=SESSION_HOURS),
    )
    session.add(record)
    agent.last_seen_at = now
    session.flush()
    return token, record


def session_for(
    session: Session, token: str | None, now: dt.datetime | None = None
) -> AgentSession | None:
    if not token or len(token) > 200:
        return None
    record = session.scalars(
        select(AgentSession).where(AgentSession.token_hash == _token_hash(token))
    ).first()
    now = now or utcnow()
    if record is None or record.revoked_at is not None or record.expires_at <= now:
        return None
    if not record.agent.active:
        return None
    return record


def end_session(session: Session, record: AgentSession, now: dt.datetime | None = None) -> None:
    record.revoked_at = now or utcnow()
    session.flush()


def end_session_by_id(session: Session, *, session_id: int, now: dt.datetime | None = None) -> None:
    """Log out the console session with this id (gone already: nothing to do)."""
    record = session.get(AgentSession, session_id)
    if record is not None:
        end_session(session, record, now)


def mark_seen(agent: Agent, now: dt.datetime | None = None) -> bool:
    """Note that the agent is at work, at most every few seconds (it decides who is online).

    True when the time was written."""
    now = now or utcnow()
    last = agent.last_seen_at
    if last is not None and (now - last).total_seconds() <= SEEN_EVERY_SECONDS:
        return False
    agent.last_seen_at = now
    return True

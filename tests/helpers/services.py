"""The services process (demo page + agent console) as a real process, and console log-ins."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from bot.handoff import agents
from bot.settings import Settings
from bot.stack import _spawn, _stop, child_env, wait_for
from bot.store.db import make_engine, make_session_factory

PASSWORD = "een-lang-wachtwoord"


@contextmanager
def services_process(settings: Settings) -> Iterator[str]:
    logs = settings.runtime_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / "services.log"
    process = _spawn([sys.executable, "-m", "bot.services"], child_env(settings), log)
    url = f"http://127.0.0.1:{settings.web_port}"
    try:
        wait_for(f"{url}/health", process, 60, log, "The web services")
        yield url
    finally:
        _stop(process)


def add_agents(database_url: str) -> dict[str, int]:
    """Noor (agent), Lotte (agent) and Ruben (supervisor), all with PASSWORD."""
    engine = make_engine(database_url)
    ids = {}
    with make_session_factory(engine)() as session, session.begin():
        for username, role in (("noor", "agent"), ("lotte", "agent"), ("ruben", "supervisor")):
            ids[username] = _agent(session, username, role)
    engine.dispose()
    return ids


def _agent(session: Session, username: str, role: str) -> int:
    return agents.create_agent(
        session,
        username=username,
        display_name=username.capitalize(),
        password=PASSWORD,
        role=role,
        language="nl",
    ).id


def log_in(url: str, username: str, password: str = PASSWORD) -> httpx.Client:
    """A console client with the session cookie and the CSRF header set."""
    client = httpx.Client(base_url=url, timeout=20)
    csrf = client.get("/agent/api/login-csrf").json()["csrf"]
    reply = client.post(
        "/agent/api/login",
        json={"username": username, "password": password},
        headers={"X-CSRF-Token": csrf},
    )
    assert reply.status_code == 200, reply.text
    me = client.get("/agent/api/me").json()
    client.headers["X-CSRF-Token"] = me["csrf_token"]
    return client


def log_dir(settings: Settings) -> Path:
    return settings.runtime_dir / "logs"

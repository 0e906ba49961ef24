"""`klantreis agent …`: create, list and disable agent-console accounts."""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys

from sqlalchemy import select

from bot.handoff.agents import AccountError, create_agent
from bot.language import DEFAULT_LANGUAGE, LANGUAGES
from bot.settings import Settings
from bot.store.access import connect
from bot.store.db import make_session_factory
from bot.store.handoff_models import Agent

DEMO_AGENTS = (
    ("noor", "Noor de Boer", "agent", "nl"),
    ("ruben", "Ruben Smit", "supervisor", "nl"),
)


class AgentCommandError(Exception):
    """Shown to the operator as is."""


def _password(settings: Settings, args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if settings.agent_password:
        return settings.agent_password
    if not sys.stdin.isatty():
        raise AgentCommandError(
            "no password given: use --password-stdin or set KLANTREIS_AGENT_PASSWORD"
        )
    first = getpass.getpass("Password (at least 10 characters): ")
    if getpass.getpass("Again: ") != first:
        raise AgentCommandError("the passwords differ; nothing was created")
    return first


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("add", "list", "disable"))
    parser.add_argument("username", nargs="?")
    parser.add_argument("--name", help="the name customers see, e.g. 'Noor de Boer'")
    parser.add_argument("--role", choices=("agent", "supervisor"), default="agent")
    parser.add_argument("--language", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )


def run(settings: Settings, args: argparse.Namespace) -> None:
    engine = connect(settings.database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            if args.action == "list":
                for agent in session.scalars(select(Agent).order_by(Agent.username)):
                    state = "active" if agent.active else "disabled"
                    print(
                        f"{agent.username:20} {agent.role:11} {agent.language} {state:8} "
                        f"{agent.display_name}"
                    )
                return
            if not args.username:
                raise AgentCommandError(f"agent {args.action} needs a USERNAME")
            if args.action == "disable":
                agent = session.scalars(
                    select(Agent).where(Agent.username == args.username.lower())
                ).first()
                if agent is None:
                    raise AgentCommandError(f"there is no agent called {args.username!r}")
                agent.active = False
                print(f"Disabled {agent.username}; their sessions stop working now.")
                return
            try:
                agent = create_agent(
                    session,
                    username=args.username,
                    display_name=args.name or args.username,
                    password=_password(settings, args),
                    role=args.role,
                    language=args.language,
                )
            except AccountError as exc:
                raise AgentCommandError(str(exc)) from None
            print(f"Created {agent.role} {agent.username} ({agent.display_name}).")
    finally:
        engine.dispose()


def ensure_demo_agents(settings: Settings) -> str:
    """Demo log-ins for `make run` when there are no agents yet; where they are written."""
    path = settings.runtime_dir / "demo-agents.txt"
    engine = connect(settings.database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            if session.scalars(select(Agent)).first() is not None:
                return str(path) if path.exists() else ""
            lines = ["# Demo log-ins for the agent console (made by `klantreis run`)"]
            for username, name, role, language in DEMO_AGENTS:
                password = secrets.token_urlsafe(9)
                create_agent(
                    session,
                    username=username,
                    display_name=name,
                    password=password,
                    role=role,
                    language=language,
                )
                lines.append(f"{username:8} {password:14} {role}")
    finally:
        engine.dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return str(path)

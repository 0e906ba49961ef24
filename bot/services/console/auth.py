"""Console log-in: hashed session tokens in HttpOnly SameSite cookies, CSRF tokens, roles."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.handoff import agents
from bot.store.handoff_models import Agent, AgentSession
from bot.store.units import Store

SESSION_COOKIE = "kr_agent"
LOGIN_CSRF_COOKIE = "kr_login_csrf"
COOKIE_PATH = "/agent"

Handler = Callable[..., Awaitable[HTTPResponse | None]]


def secure_cookies(request: Request, forced: bool) -> bool:
    return forced or request.scheme == "https"


def set_cookie(
    reply: HTTPResponse, request: Request, name: str, value: str, *, secure: bool, max_age: int
) -> None:
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = COOKIE_PATH
    cookie["max-age"] = max_age
    if secure_cookies(request, secure):
        cookie["secure"] = True


def clear_cookie(reply: HTTPResponse, name: str) -> None:
    reply.cookies[name] = ""
    reply.cookies[name]["path"] = COOKIE_PATH
    reply.cookies[name]["max-age"] = 0


def new_login_csrf() -> str:
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


def same_origin(request: Request) -> bool:
    """Browsers send Origin on cross-site POSTs; when present it must be this host."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1].rstrip("/") == host


async def current_session(request: Request, store: Store) -> tuple[AgentSession, Agent] | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None

    def work(session: Any) -> tuple[AgentSession, Agent] | None:
        record = agents.session_for(session, token)
        if record is None:
            return None
        agents.mark_seen(record.agent)
        return record, record.agent

    return await store.run(work)


def require_agent(store: Store, *, role: str | None = None) -> Callable[[Handler], Handler]:
    """Only for a logged-in agent (and the given role); POSTs also need the CSRF token."""

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse | None:
            found = await current_session(request, store)
            if found is None:
                return response.json({"error": "login_required"}, status=401)
            record, agent = found
            unsafe = request.method not in ("GET", "HEAD")
            if unsafe and not (
                same_origin(request)
                and same_token(request.headers.get("x-csrf-token"), record.csrf_token)
            ):
                return response.json({"error": "csrf"}, status=403)
            if role is not None and agent.role != role:
                return response.json({"error": "forbidden"}, status=403)
            request.ctx.agent = agent
            request.ctx.agent_session = record
            return await handler(request, *args, **kwargs)

        return guarded

    return decorate

"""The console's pages and JSON API (see docs/agent-console.md)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot import texts, validation
from bot.handoff import agents, desk
from bot.handoff.context import bot_view
from bot.handoff.policy import policy
from bot.ratelimit import RateLimiter
from bot.services.console.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    current_session,
    new_login_csrf,
    require_agent,
    same_origin,
    same_token,
    set_cookie,
)
from bot.services.console.canned import canned_responses
from bot.services.console.live import LiveFeed
from bot.services.console.rasa_api import RasaApi, RasaUnavailable
from bot.settings import PROJECT_ROOT
from bot.store.handoff_models import Agent
from bot.store.units import Store

logger = logging.getLogger(__name__)
CONSOLE_DIR = PROJECT_ROOT / "web" / "agent"
SHARED_DIR = PROJECT_ROOT / "web" / "shared"  # what the console shares with the chat widget
KEEPALIVE_SECONDS = 15
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self'; img-src 'self' data: https:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


# The refusals the console has words for (bot/texts/console.yml, console_<reason>).
WORDED = {"empty", "too_long", "not_yours", "outside_window", "not_delivered", "invalid"}

STATUS = {"not_found": 404, "taken": 409, "closed": 409, "not_yours": 403, "outside_window": 409}


def valid_credentials(username: str, password: str) -> bool:
    """A log-in that could be right: valid Unicode without control characters."""
    try:
        return (
            validation.clean_text(username, max_length=64) == username
            and validation.clean_text(password, max_length=1024) == password
        )
    except validation.Invalid:
        return False


def error(key: str, agent: Agent, status: int) -> HTTPResponse:
    message = texts.text(f"console_{key}", agent.language, max_reply=desk.MAX_TEXT)
    return response.json({"error": key, "message": message}, status=status)


def refusal(refused: desk.Refused, agent: Agent) -> HTTPResponse:
    """The desk's refusal as an HTTP answer, in the agent's language where we have words."""
    status = STATUS[refused.reason]
    if refused.reason in WORDED:
        return error(refused.reason, agent, status)
    return response.json({"error": refused.reason}, status=status)


def json_body(request: Request) -> dict[str, Any]:
    return request.json if isinstance(request.json, dict) else {}


def agent_dict(agent: Agent, csrf: str | None = None) -> dict[str, Any]:
    data = {
        "id": agent.id,
        "username": agent.username,
        "display_name": agent.display_name,
        "role": agent.role,
        "language": agent.language,
    }
    if csrf is not None:
        data["csrf_token"] = csrf
    return data


def console_blueprint(
    store: Store,
    rasa: RasaApi,
    feed: LiveFeed,
    *,
    secure_cookies: bool = False,
    template_configured: bool = False,
) -> Blueprint:
    """The console's routes: they authenticate, parse, call bot.handoff.desk and answer.

    `template_configured`: an approved WhatsApp template (TWILIO_CONTENT_SID) can reach a
    customer outside the 24-hour window, so agents may still answer there."""
    bp = Blueprint("agent_console", url_prefix="/agent")
    login_limiter = RateLimiter(burst=5, per_second=5 / 60)
    guard = require_agent(store)

    @bp.on_request
    async def known_ids(request: Request) -> HTTPResponse | None:
        """An id in the path that no row can have is not found, before any query overflows."""
        handoff_id = (request.match_info or {}).get("handoff_id")
        if handoff_id is not None:
            try:
                validation.record_id(handoff_id)
            except validation.Invalid:
                return response.json({"error": "not_found"}, status=404)
        return None

    supervisor = require_agent(store, role="supervisor")

    async def page(name: str) -> HTTPResponse:
        return await response.file(CONSOLE_DIR / name, headers=SECURITY_HEADERS)

    @bp.route("/", methods=["GET"])
    async def console(request: Request) -> HTTPResponse:
        if await current_session(request, store) is None:
            return response.redirect("/agent/login")
        return await page("console.html")

    @bp.route("/login", methods=["GET"])
    async def login_page(request: Request) -> HTTPResponse:
        return await page("login.html")

    @bp.route("/static/<name:str>", methods=["GET"])
    async def static(request: Request, name: str) -> HTTPResponse:
        if Path(name).name != name or name.endswith(".html"):
            return response.json({"error": "not found"}, status=404)
        path = CONSOLE_DIR / name
        if not path.is_file():
            path = SHARED_DIR / name
        if not path.is_file():
            return response.json({"error": "not found"}, status=404)
        return await response.file(path, headers=SECURITY_HEADERS)

    @bp.route("/api/login-csrf", methods=["GET"])
    async def login_csrf(request: Request) -> HTTPResponse:
        token = new_login_csrf()
        reply = response.json({"csrf": token}, headers={"Cache-Control": "no-store"})
        set_cookie(reply, request, LOGIN_CSRF_COOKIE, token, secure=secure_cookies, max_age=3600)
        return reply

    @bp.route("/api/login", methods=["POST"])
    async def login(request: Request) -> HTTPResponse:
        if not same_origin(request) or not same_token(
            request.headers.get("x-csrf-token"), request.cookies.get(LOGIN_CSRF_COOKIE)
        ):
            return response.json({"error": "csrf"}, status=403)
        body = json_body(request)
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            return response.json({"error": "invalid"}, status=400)
        if len(username) > 64 or len(password) > 1024 or not valid_credentials(username, password):
            return response.json({"error": "invalid"}, status=401)
        key = f"{request.remote_addr or request.ip}:{username.strip().lower()}"
        if login_limiter.exhausted(key):  # only failed attempts count
            return response.json({"error": "too_many"}, status=429)

        def work(session: Session) -> tuple[str, dict[str, Any]] | None:
            agent = agents.authenticate(session, username, password)
            if agent is None:
                return None
            token, record = agents.start_session(session, agent)
            return token, agent_dict(agent)

        found = await store.run(work)
        if found is None:
            login_limiter.allow(key)
            logger.info("console: failed log-in for %r", username.strip().lower()[:64])
            return response.json({"error": "invalid"}, status=401)
        token, agent = found
        reply = response.json({"agent": agent})
        set_cookie(
            reply,
            request,
            SESSION_COOKIE,
            token,
            secure=secure_cookies,
            max_age=agents.SESSION_HOURS * 3600,
        )
        clear_cookie(reply, LOGIN_CSRF_COOKIE)
        return reply

    @bp.route("/api/logout", methods=["POST"])
    @guard
    async def logout(request: Request) -> HTTPResponse:
        record_id = request.ctx.agent_session.id

        await store.run(lambda s: agents.end_session_by_id(s, session_id=record_id))
        reply = response.json({"ok": True})
        clear_cookie(reply, SESSION_COOKIE)
        return reply

    @bp.route("/api/me", methods=["GET"])
    @guard
    async def me(request: Request) -> HTTPResponse:
        return response.json(agent_dict(request.ctx.agent, request.ctx.agent_session.csrf_token))

    @bp.route("/api/canned", methods=["GET"])
    @guard
    async def canned(request: Request) -> HTTPResponse:
        return response.json({"responses": canned_responses()})

    @bp.route("/api/queue", methods=["GET"])
    @guard
    async def queue_view(request: Request) -> HTTPResponse:
        me: Agent = request.ctx.agent
        return response.json(
            await store.run(lambda s: desk.queue_view(s, agent=me, policy=policy()))
        )

    @bp.route("/api/handoffs/<handoff_id:int>", methods=["GET"])
    @guard
    async def handoff_view(request: Request, handoff_id: int) -> HTTPResponse:
        me: Agent = request.ctx.agent
        try:
            data = await store.run(
                lambda s: desk.handoff_view(
                    s, handoff_id=handoff_id, agent=me, template_configured=template_configured
                )
            )
        except desk.Refused as refused:
            return refusal(refused, me)
        tracker = await rasa.tracker(data["handoff"]["conversation_id"])
        data["context"]["bot"] = bot_view(data.pop("summary"), tracker)
        return response.json(data)

    @bp.route("/api/handoffs/<handoff_id:int>/claim", methods=["POST"])
    @guard
    async def claim(request: Request, handoff_id: int) -> HTTPResponse:
        agent_id = request.ctx.agent.id
        try:
            moved = await store.run(
                lambda s: desk.claim(s, handoff_id=handoff_id, agent_id=agent_id)
            )
        except desk.Refused as refused:
            return refusal(refused, request.ctx.agent)
        if moved.pause_bot:
            await _quietly(rasa.pause(moved.conversation_id))
        await feed.poll_once()
        return response.json({"handoff": {"id": moved.handoff_id, "status": moved.status}})

    @bp.route("/api/handoffs/<handoff_id:int>/assign", methods=["POST"])
    @supervisor
    async def assign(request: Request, handoff_id: int) -> HTTPResponse:
        try:
            target = validation.record_id(json_body(request).get("agent_id"), field="agent_id")
        except validation.Invalid as exc:
            return response.json({"error": str(exc)}, status=400)
        try:
            moved = await store.run(
                lambda s: desk.assign(s, handoff_id=handoff_id, agent_id=target)
            )
        except desk.Refused as refused:
            return refusal(refused, request.ctx.agent)
        if moved.pause_bot:
            await _quietly(rasa.pause(moved.conversation_id))
        await feed.poll_once()
        return response.json({"ok": True})

    @bp.route("/api/handoffs/<handoff_id:int>/reply", methods=["POST"])
    @guard
    async def reply(request: Request, handoff_id: int) -> HTTPResponse:
        me: Agent = request.ctx.agent
        text = json_body(request).get("text")
        if not isinstance(text, str) or not text.strip():
            return error("empty", me, 400)
        try:
            text = validation.clean_text(text, max_length=desk.MAX_TEXT)
        except validation.Invalid:
            return error("too_long", me, 400)
        try:
            moved = await store.run(
                lambda s: desk.add_reply(
                    s,
                    handoff_id=handoff_id,
                    agent=me,
                    text=text,
                    template_configured=template_configured,
                )
            )
        except desk.Refused as refused:
            return refusal(refused, me)
        try:
            await rasa.execute(
                moved.conversation_id, "action_deliver_agent_messages", moved.channel
            )
        except RasaUnavailable as exc:
            logger.warning("console: reply kept for later delivery: %s", exc)
            return error("not_delivered", me, 502)
        return response.json({"ok": True})

    @bp.route("/api/handoffs/<handoff_id:int>/note", methods=["POST"])
    @guard
    async def note(request: Request, handoff_id: int) -> HTTPResponse:
        try:
            text = validation.clean_text(json_body(request).get("text"), max_length=desk.MAX_TEXT)
        except validation.Invalid:
            return error("invalid", request.ctx.agent, 400)
        if not text.strip():
            return error("invalid", request.ctx.agent, 400)
        agent_id = request.ctx.agent.id
        try:
            saved = await store.run(
                lambda s: desk.add_note(s, handoff_id=handoff_id, agent_id=agent_id, text=text)
            )
        except desk.Refused as refused:
            return refusal(refused, request.ctx.agent)
        feed.publish("note", {"handoff_id": handoff_id, "note": saved})
        return response.json({"note": saved})

    async def finish(request: Request, handoff_id: int, how: str) -> HTTPResponse:
        me: Agent = request.ctx.agent
        try:
            moved = await store.run(
                lambda s: desk.finish(s, handoff_id=handoff_id, agent=me, how=how)
            )
        except desk.Refused as refused:
            return refusal(refused, me)
        if moved.live:
            await _quietly(rasa.resume(moved.conversation_id))
            action = "action_ask_csat" if how == "resolve" else "action_handed_back"
            await _quietly(rasa.execute(moved.conversation_id, action, moved.channel))
        await feed.poll_once()
        return response.json({"ok": True})

    @bp.route("/api/handoffs/<handoff_id:int>/resolve", methods=["POST"])
    @guard
    async def resolve(request: Request, handoff_id: int) -> HTTPResponse:
        return await finish(request, handoff_id, "resolve")

    @bp.route("/api/handoffs/<handoff_id:int>/handback", methods=["POST"])
    @guard
    async def handback(request: Request, handoff_id: int) -> HTTPResponse:
        return await finish(request, handoff_id, "handback")

    @bp.route("/api/events", methods=["GET"])
    @guard
    async def events(request: Request) -> None:
        stream = await request.respond(
            content_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )
        frames = feed.subscribe()
        try:
            await stream.send(": live\n\n")
            while True:
                try:
                    frame = await asyncio.wait_for(frames.get(), KEEPALIVE_SECONDS)
                except asyncio.TimeoutError:
                    frame = ": keep-alive\n\n"
                    if await current_session(request, store) is None:
                        break  # logged out or expired: stop streaming
                await stream.send(frame)
        finally:
            feed.unsubscribe(frames)

    return bp


async def _quietly(call: Any) -> None:
    """Rasa being briefly away must not undo what the agent did; it is logged instead."""
    try:
        await call
    except RasaUnavailable as exc:
        logger.warning("console: %s", exc)

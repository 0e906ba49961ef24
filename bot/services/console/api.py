"""The console's pages and JSON API (see docs/agent-console.md)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import time
from pathlib import Path
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import validation
from bot.handoff import agents, queue
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
from bot.services.console.context import bot_view, customer_context, handoff_item
from bot.services.console.live import LiveFeed
from bot.services.console.rasa_api import RasaApi, RasaUnavailable
from bot.settings import PROJECT_ROOT
from bot.store import timeline
from bot.store.models import Agent, AgentNote, AgentReply, Handoff, utcnow
from bot.store.units import Store
from connectors.ratelimit import RateLimiter

logger = logging.getLogger(__name__)
CONSOLE_DIR = PROJECT_ROOT / "web" / "agent"
MAX_REPLY = 2000
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


ERRORS = {
    "empty": {"nl": "Typ eerst een bericht.", "en": "Type a message first."},
    "too_long": {
        "nl": f"Een bericht heeft hoogstens {MAX_REPLY} tekens.",
        "en": f"A message has at most {MAX_REPLY} characters.",
    },
    "not_yours": {
        "nl": "Pak het gesprek eerst op.",
        "en": "Claim the conversation first.",
    },
    "outside_window": {
        "nl": "WhatsApp staat vrije tekst alleen toe binnen 24 uur na het laatste bericht van de "
        "klant, en er is geen goedgekeurde template ingesteld. Neem via een ander kanaal "
        "contact op.",
        "en": "WhatsApp allows free text only within 24 hours of the customer's last message, "
        "and no approved template is configured. Reach the customer on another channel.",
    },
    "not_delivered": {
        "nl": "Bewaard, maar de bot is nu niet bereikbaar; probeer het zo opnieuw.",
        "en": "Saved, but the bot can't be reached right now; try again in a moment.",
    },
    "invalid": {
        "nl": "Een notitie heeft 1 tot 2000 tekens.",
        "en": "A note has 1-2000 characters.",
    },
}


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
    language = agent.language if agent.language in ("nl", "en") else "nl"
    return response.json({"error": key, "message": ERRORS[key][language]}, status=status)


def note_dict(note: AgentNote) -> dict[str, Any]:
    return {
        "id": note.id,
        "handoff_id": note.handoff_id,
        "author": note.agent.display_name if note.agent else "Klantreis",
        "text": note.text,
        "at": note.created_at.isoformat(),
    }


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


def whatsapp_window(session: Session, handoff: Handoff) -> dict[str, bool] | None:
    if handoff.channel != "whatsapp":
        return None
    from connectors.whatsapp import within_window

    return {
        "open": within_window(session, handoff.customer_id),
        "template": bool(os.environ.get("TWILIO_CONTENT_SID")),
    }


def can_reply(handoff: Handoff, agent: Agent) -> bool:
    if handoff.status == "assigned":
        return handoff.agent_id == agent.id
    if handoff.status == "ticket":
        return handoff.agent_id in (None, agent.id)
    return False


def console_blueprint(
    store: Store, rasa: RasaApi, feed: LiveFeed, *, secure_cookies: bool = False
) -> Blueprint:
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
        path = CONSOLE_DIR / name
        if Path(name).name != name or name.endswith(".html") or not path.is_file():
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
        body = request.json if isinstance(request.json, dict) else {}
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

        def work(session: Session) -> None:
            from bot.store.models import AgentSession

            record = session.get(AgentSession, record_id)
            if record is not None:
                agents.end_session(session, record)

        await store.run(work)
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
        me_agent: Agent = request.ctx.agent
        is_supervisor = me_agent.role == "supervisor"

        def work(session: Session) -> dict[str, Any]:
            from bot.handoff.policy import policy

            now = time.time()
            rows = session.scalars(
                select(Handoff)
                .where(Handoff.status.in_(("waiting", "assigned", "ticket")))
                .order_by(Handoff.priority, Handoff.requested_at)
            ).all()
            result: dict[str, list[dict[str, Any]]] = {
                "waiting": [],
                "mine": [],
                "tickets": [],
                "others": [],
            }
            for row in rows:
                item = handoff_item(row, now)
                if row.agent_id == me_agent.id:
                    result["mine"].append(item)
                elif row.status == "waiting":
                    result["waiting"].append(item)
                elif row.status == "ticket" and row.agent_id is None:
                    result["tickets"].append(item)
                elif is_supervisor:
                    result["others"].append(item)
            agents_list = []
            if is_supervisor:
                online_since = utcnow() - dt.timedelta(seconds=policy().agent_online_seconds)
                agents_list = [
                    {
                        "id": a.id,
                        "display_name": a.display_name,
                        "online": bool(a.last_seen_at and a.last_seen_at >= online_since),
                    }
                    for a in session.scalars(
                        select(Agent).where(Agent.active.is_(True)).order_by(Agent.display_name)
                    )
                ]
            return {**result, "agents": agents_list}

        return response.json(await store.run(work))

    @bp.route("/api/handoffs/<handoff_id:int>", methods=["GET"])
    @guard
    async def handoff_view(request: Request, handoff_id: int) -> HTTPResponse:
        me_agent: Agent = request.ctx.agent

        def work(session: Session) -> dict[str, Any] | None:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                return None
            return {
                "handoff": handoff_item(handoff, time.time()),
                "transcript": [
                    timeline.as_dict(m)
                    for m in timeline.conversation(session, handoff.conversation_id, 500)
                ],
                "notes": [note_dict(n) for n in handoff.notes],
                "context": customer_context(session, handoff.customer_id),
                "summary": handoff.summary or {},
                "whatsapp_window": whatsapp_window(session, handoff),
                "can_reply": can_reply(handoff, me_agent),
            }

        data = await store.run(work)
        if data is None:
            return response.json({"error": "not_found"}, status=404)
        tracker = await rasa.tracker(data["handoff"]["conversation_id"])
        data["context"]["bot"] = bot_view(data.pop("summary"), tracker)
        return response.json(data)

    @bp.route("/api/handoffs/<handoff_id:int>/claim", methods=["POST"])
    @guard
    async def claim(request: Request, handoff_id: int) -> HTTPResponse:
        agent_id = request.ctx.agent.id

        def work(session: Session) -> tuple[bool, Handoff | None]:
            won = queue.claim(session, handoff_id, agent_id)
            return won, session.get(Handoff, handoff_id)

        won, handoff = await store.run(work)
        if handoff is None:
            return response.json({"error": "not_found"}, status=404)
        if not won:
            return response.json({"error": "taken"}, status=409)
        if handoff.status == "assigned":
            await _quietly(rasa.pause(handoff.conversation_id))
        await feed.poll_once()
        return response.json({"handoff": {"id": handoff.id, "status": handoff.status}})

    @bp.route("/api/handoffs/<handoff_id:int>/assign", methods=["POST"])
    @supervisor
    async def assign(request: Request, handoff_id: int) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        try:
            target = validation.record_id(body.get("agent_id"), field="agent_id")
        except validation.Invalid as exc:
            return response.json({"error": str(exc)}, status=400)

        def work(session: Session) -> str | None:
            handoff = session.get(Handoff, handoff_id)
            agent = session.get(Agent, target)
            if handoff is None or agent is None or not agent.active:
                return "not_found"
            if handoff.status not in ("waiting", "assigned", "ticket"):
                return "closed"
            was_waiting = handoff.status == "waiting"
            queue.reassign(session, handoff, agent.id)
            return "pause" if was_waiting else None

        outcome = await store.run(work)
        if outcome == "not_found":
            return response.json({"error": "not_found"}, status=404)
        if outcome == "closed":
            return response.json({"error": "closed"}, status=409)
        if outcome == "pause":
            conversation = await store.run(lambda s: s.get(Handoff, handoff_id).conversation_id)
            await _quietly(rasa.pause(conversation))
        await feed.poll_once()
        return response.json({"ok": True})

    @bp.route("/api/handoffs/<handoff_id:int>/reply", methods=["POST"])
    @guard
    async def reply(request: Request, handoff_id: int) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            return error("empty", request.ctx.agent, 400)
        try:
            text = validation.clean_text(text, max_length=MAX_REPLY)
        except validation.Invalid:
            return error("too_long", request.ctx.agent, 400)
        me_agent: Agent = request.ctx.agent

        def work(session: Session) -> tuple[str, Handoff | None]:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                return "not_found", None
            if not can_reply(handoff, me_agent):
                return "not_yours", handoff
            window = whatsapp_window(session, handoff)
            if window is not None and not window["open"] and not window["template"]:
                return "outside_window", handoff
            if handoff.status == "ticket" and handoff.agent_id is None:
                queue.claim(session, handoff.id, me_agent.id)
            session.add(
                AgentReply(
                    handoff_id=handoff.id,
                    conversation_id=handoff.conversation_id,
                    agent_id=me_agent.id,
                    text=text.strip(),
                )
            )
            return "ok", handoff

        outcome, handoff = await store.run(work)
        if outcome == "not_found" or handoff is None:
            return response.json({"error": "not_found"}, status=404)
        if outcome == "not_yours":
            return error("not_yours", me_agent, 403)
        if outcome == "outside_window":
            return error("outside_window", me_agent, 409)
        try:
            await rasa.execute(
                handoff.conversation_id, "action_deliver_agent_messages", handoff.channel
            )
        except RasaUnavailable as exc:
            logger.warning("console: reply kept for later delivery: %s", exc)
            return error("not_delivered", me_agent, 502)
        return response.json({"ok": True})

    @bp.route("/api/handoffs/<handoff_id:int>/note", methods=["POST"])
    @guard
    async def note(request: Request, handoff_id: int) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        try:
            text = validation.clean_text(body.get("text"), max_length=MAX_REPLY)
        except validation.Invalid:
            return error("invalid", request.ctx.agent, 400)
        if not text.strip():
            return error("invalid", request.ctx.agent, 400)
        agent_id = request.ctx.agent.id

        def work(session: Session) -> dict[str, Any] | None:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                return None
            record = AgentNote(handoff_id=handoff.id, agent_id=agent_id, text=text.strip())
            session.add(record)
            session.flush()
            return note_dict(record)

        saved = await store.run(work)
        if saved is None:
            return response.json({"error": "not_found"}, status=404)
        feed.publish("note", {"handoff_id": handoff_id, "note": saved})
        return response.json({"note": saved})

    async def finish(request: Request, handoff_id: int, how: str) -> HTTPResponse:
        me_agent: Agent = request.ctx.agent

        def work(session: Session) -> tuple[str, Handoff | None, bool]:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                return "not_found", None, False
            mine = handoff.agent_id == me_agent.id or me_agent.role == "supervisor"
            if not mine or handoff.status not in ("assigned", "ticket"):
                return "not_yours", handoff, False
            live = handoff.status == "assigned"
            status = "answered" if not live else ("resolved" if how == "resolve" else "returned")
            queue.close(session, handoff, status)
            return "ok", handoff, live

        outcome, handoff, live = await store.run(work)
        if outcome == "not_found" or handoff is None:
            return response.json({"error": "not_found"}, status=404)
        if outcome == "not_yours":
            return response.json({"error": "not_yours"}, status=403)
        if live:
            await _quietly(rasa.resume(handoff.conversation_id))
            action = "action_ask_csat" if how == "resolve" else "action_handed_back"
            await _quietly(rasa.execute(handoff.conversation_id, action, handoff.channel))
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

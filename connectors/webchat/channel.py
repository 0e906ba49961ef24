"""The web chat channel: Rasa's socket.io protocol, done so that persistence really works.

Rasa 3.6's own socketio channel calls `AsyncServer.enter_room` without awaiting it (a
coroutine in python-socketio 5.x), so with session persistence its replies go to a room
nobody joined. Here every tab of a session joins the session's room, a reload or a second
tab gets the transcript (`klantreis_history`), and messages sent while no tab is open stay
pending on the timeline until the shopper comes back.

Protocol (what existing Rasa widgets speak, plus three extra events they ignore):
  client → session_request {session_id?, customData?: {customer_token?, language?}}
  server → session_confirm "<session id>"    (a new id when the requested one is not ours)
  server → klantreis_history {messages: [...]}
  client → user_uttered {message, session_id, message_id?, customData?: {customer_token?, …}}
           ack ← {status}: accepted, duplicate, too_long …, once the message is handled; a
           message sent again with the same message_id after a reconnect is answered if it
           never was (Rasa restarted while on it), else it is a duplicate
  server → klantreis_meta {author, agent_name?, product_cards?}  (about the bot_uttered that
           follows: who wrote it, and the product cards our widget draws instead of its text)
  server → bot_uttered {text, quick_replies?} or {attachment}  (Rasa's exact shapes)
  server → klantreis_user_echo {text}        (to the session's other tabs)
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from sqlalchemy.orm import Session

from bot import tokens, validation
from bot.ratelimit import RateLimiter
from bot.settings import PROJECT_ROOT, Settings, rasa_token, token_key
from bot.store import identities, timeline
from bot.store.models import ChannelIdentity, Customer
from connectors.base import ChannelStore, Inbound, StoreBackedChannel
from connectors.cards import offered
from connectors.webchat.output import WebChatOutput
from connectors.webchat.presence import Presence
from connectors.webchat.sessions import new_session_id, valid_session_id

logger = logging.getLogger(__name__)

STATIC_FILES = {
    "klantreis-widget.css": PROJECT_ROOT / "web" / "widget" / "klantreis-widget.css",
    "socket.io.min.js": PROJECT_ROOT / "web" / "vendor" / "socket.io.min.js",
}
# The widget is one <script> for the shop, made of the icons it shares with the agent console
# and its own code (no build step: joined as served).
WIDGET_PARTS = (
    PROJECT_ROOT / "web" / "shared" / "icons.js",
    PROJECT_ROOT / "web" / "widget" / "klantreis-widget.js",
)
STATIC_HEADERS = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}
# What engine.io accepts in one HTTP request (polling) or one WebSocket message. On polling a
# client packs every event it has queued into one POST, so this bounds a batch, not a message:
# at 64 KiB, a python-socketio client that sent two long messages and then asked for a session
# had the whole POST refused and its connection closed, session_request included (found by the
# fuzzer, docs/robustness.md). A message's own limit is the gateway's (5,000 characters, then a
# polite "too long"); this one only keeps a request's size in check. 1 MB is engine.io's default.
MAX_SOCKET_PAYLOAD_BYTES = 1_000_000
_HEX = re.compile(r"[0-9a-fA-F]+")


class _SocketBlueprint(Blueprint):
    """A blueprint that attaches the socket.io server to the app it is registered on."""

    def __init__(self, sio: AsyncServer, socketio_path: str, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.ctx.sio = sio
        self.ctx.socketio_path = socketio_path

    def register(self, app: Any, options: dict[str, Any]) -> None:
        self.ctx.sio.attach(app, self.ctx.socketio_path)
        super().register(app, options)


def _custom_data(data: dict[str, Any]) -> dict[str, Any]:
    custom = data.get("customData")
    return custom if isinstance(custom, dict) else {}


class WebChatInput(StoreBackedChannel, InputChannel):
    """Rasa input channel `web`: socket.io at /socket.io, widget files at /webhooks/web/static/."""

    @classmethod
    def name(cls) -> str:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            cors_allowed_origins=credentials.get("cors_allowed_origins", "*"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
        )

    def __init__(
        self,
        *,
        cors_allowed_origins: str | list[str] = "*",
        socketio_path: str = "/socket.io",
        store: ChannelStore | None = None,
        signing_key: bytes | None = None,
        limiter: RateLimiter | None = None,
    ):
        self.cors_allowed_origins = cors_allowed_origins
        self.socketio_path = socketio_path
        self._store = store
        self._signing_key = signing_key
        self._limiter = limiter
        self.presence = Presence()
        self.sio: AsyncServer | None = None

    @property
    def signing_key(self) -> bytes:
        if self._signing_key is None:
            self._signing_key = token_key(Settings.from_env())
        return self._signing_key

    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return None
        return WebChatOutput(self.store, self.sio, self.presence)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.cors_allowed_origins,
            max_http_buffer_size=MAX_SOCKET_PAYLOAD_BYTES,
        )
        self.sio = sio
        blueprint = _SocketBlueprint(sio, self.socketio_path, "klantreis_webchat", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/presence/<session_id:str>", methods=["GET"])
        async def presence(request: Request, session_id: str) -> HTTPResponse:
            """Whether a tab of this web session is open (the delay worker asks, with Rasa's
            token: presence lives in this process only)."""
            expected = rasa_token(Settings.from_env())
            given = request.args.get("token") or ""
            if not hmac.compare_digest(given.encode(), expected.encode()):
                return response.json({"error": "unauthorised"}, status=401)
            return response.json({"online": self.presence.online(session_id)})

        @blueprint.route("/static/<name:str>", methods=["GET"])
        async def static(_: Request, name: str) -> HTTPResponse:
            if name == "klantreis-widget.js":
                script = "\n".join(part.read_text(encoding="utf-8") for part in WIDGET_PARTS)
                return response.text(
                    script,
                    content_type="application/javascript; charset=utf-8",
                    headers=STATIC_HEADERS,
                )
            path = STATIC_FILES.get(name)
            if path is None or not path.is_file():
                return response.json({"error": "not found"}, status=404)
            return await response.file(path, headers=STATIC_HEADERS)

        @sio.on("connect")
        async def connect(sid: str, environ: dict, auth: Any = None) -> bool:
            return True

        @sio.on("disconnect")
        async def disconnect(sid: str, *args: Any) -> None:
            self.presence.leave(sid)

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None) -> None:
            if data is None:
                data = {}
            if not isinstance(data, dict):
                logger.debug("web chat: ignored a malformed session_request from %s", sid)
                return
            try:
                await self._start_session(sid, data.get("session_id"), _custom_data(data))
            except Exception:  # python-socketio would drop it silently: keep it in the log
                logger.exception("web chat: could not start a session for socket %s", sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Any = None) -> dict[str, str]:
            """Handle one message; the acknowledgement (when the client asked for one) comes
            once it is handled, saying what became of it."""
            # rasa-webchat sends user_uttered without `message` when it opens: not a message.
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                logger.debug("web chat: ignored a malformed user_uttered from %s", sid)
                return {"status": "ignored"}
            try:  # over 5,000 characters gets the gateway's polite "too long" notice
                text = validation.clean_text(data["message"], max_length=MAX_SOCKET_PAYLOAD_BYTES)
                display = validation.optional_text(data.get("display"), max_length=500)
            except validation.Invalid:
                logger.debug("web chat: ignored a malformed user_uttered from %s", sid)
                return {"status": "ignored"}
            message_id = _message_id(data.get("message_id"))
            session_id = self.presence.session_of(sid)
            if session_id is None:  # a widget that skipped session_request
                session_id = await self._start_session(
                    sid, data.get("session_id"), _custom_data(data)
                )
            # "/intent{…}" would let a shopper steer Rasa directly: only the payload of a button
            # the bot offered in this conversation (a product card's "Meer info", pressed in our
            # widget or in rasa-webchat) goes to Rasa as it is.
            if text.startswith("/") and not await self._offered(session_id, text):
                text = text.lstrip("/")
            await sio.emit(
                "klantreis_user_echo",
                {"text": display or text},
                room=session_id,
                skip_sid=sid,
            )
            ref = self._token_subject(_custom_data(data))
            try:
                received = await self.gateway.handle(
                    Inbound(
                        channel="web",
                        external_id=session_id,
                        text=text,
                        # the widget's own id: a message sent again after a reconnect is
                        # answered if it never was, and not twice (connectors/base.py)
                        delivery_id=f"{session_id}:{message_id}" if message_id else None,
                        kind="button" if display else "text",
                    ),
                    WebChatOutput(self.store, sio, self.presence),
                    on_new_message,
                    input_channel=self.name(),
                    link=self._linker(ref),
                )
            except Exception:  # never let one message break the socket
                logger.exception("web chat: could not handle a message of session %s", sid)
                return {"status": "failed"}
            return {"status": received.outcome}

        return blueprint

    async def _offered(self, session_id: str, payload: str) -> bool:
        conversation_id = identities.conversation_id("web", session_id)
        return bool(
            await self.store.run(lambda session: offered(session, conversation_id, payload))
        )

    def _token_subject(self, custom: dict[str, Any]) -> str | None:
        token = custom.get("customer_token")
        return tokens.verify(token, self.signing_key) if token else None

    def _linker(self, ref: str | None) -> Callable[[Session, ChannelIdentity], None] | None:
        if ref is None:
            return None

        def link(session: Session, identity: ChannelIdentity) -> None:
            customer = identities.customer_by_ref(session, ref)
            if customer is None or _belongs_to_other(session, identity, customer):
                return
            if not identity.verified:
                identities.link(session, identity, customer, "web_token")

        return link

    async def _start_session(self, sid: str, requested: Any, custom: dict[str, Any]) -> str:
        """Join `sid` to its session (a new one when needed) and send it the transcript."""
        assert self.sio is not None
        ref = self._token_subject(custom)
        wanted = valid_session_id(requested)

        def work(session: Session) -> tuple[str, list[dict[str, Any]]]:
            customer = identities.customer_by_ref(session, ref) if ref else None
            session_id = wanted or new_session_id()
            identity = identities.find_identity(session, "web", session_id)
            if (
                customer is not None
                and identity is not None
                and _belongs_to_other(session, identity, customer)
            ):
                # Another customer's session on a shared computer: start afresh.
                session_id, identity = new_session_id(), None
            if customer is not None:
                if identity is None:
                    identity = identities.resolve(
                        session,
                        "web",
                        session_id,
                        language=validation.language(custom.get("language")),
                    )
                if not identity.verified:
                    identities.link(session, identity, customer, "web_token")
            conversation_id = identities.conversation_id("web", session_id)
            messages = timeline.conversation(session, conversation_id)
            for message in messages:
                if message.status == "pending":
                    timeline.set_status(session, message, "sent")
            return session_id, [_history_item(m) for m in messages]

        session_id, history = await self.store.run(work)
        previous = self.presence.join(sid, session_id)
        if previous is not None:
            await self.sio.leave_room(sid, previous)
        await self.sio.enter_room(sid, session_id)
        await self.sio.emit("session_confirm", session_id, room=sid)
        await self.sio.emit("klantreis_history", {"messages": history}, room=sid)
        return session_id


def _message_id(value: object) -> str | None:
    """The widget's id for one message (hex, at most 64 characters), if it sent a usable one."""
    if isinstance(value, str) and 0 < len(value) <= 64 and _HEX.fullmatch(value):
        return value.lower()
    return None


def _belongs_to_other(session: Session, identity: ChannelIdentity, customer: Customer) -> bool:
    owner = identities.live(session, identity.customer)
    return bool(identity.verified) and not owner.is_anonymous and owner.id != customer.id


def _history_item(message: Any) -> dict[str, Any]:
    item = timeline.as_dict(message)
    return {
        key: item[key]
        for key in ("author", "text", "buttons", "image", "agent_name", "product_cards", "at")
        if key in item
    }

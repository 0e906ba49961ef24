"""A local fake of the Telegram Bot API: a real HTTP server in a thread that records each call.

The real `telegram.Bot(token, base_url=fake.base_url)` talks to it over HTTP, so a test sees
exactly the requests python-telegram-bot makes (method, decoded parameters) and PTB parses
realistic answers (`{"ok": true, "result": …}`, or Telegram's error shapes). Implemented:
getMe, sendMessage, sendPhoto, answerCallbackQuery, editMessageReplyMarkup, setWebhook,
deleteWebhook, getWebhookInfo and getUpdates (long polling over a queue of updates).

Like Telegram, it answers 401 for a wrong token, 400 "chat not found" for a chat that never
talked to the bot, and 409 for getUpdates while a webhook is set. `fail(method, …)` makes the
next calls of a method fail, to test retries.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "123456789:AAFakeTokenForKlantreisTests_abcdefghij"
BOT_USER: dict[str, Any] = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Trek & Peddel",
    "username": "TrekPeddelBot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
MAX_TEXT = 4096
MAX_POLL_SECONDS = 10.0  # a test never waits longer for getUpdates than this
TEXT_FIELDS = ("text", "caption")  # what the bot writes stays a string, even "true"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float


class FakeTelegram:
    """The Bot API on 127.0.0.1:<free port>; use as a context manager."""

    def __init__(self, token: str = TOKEN):
        self.token = token
        self.calls: list[Call] = []
        self.messages: list[dict[str, Any]] = []  # every Message the bot sent, as returned
        self.chats: dict[int, dict[str, Any]] = {}
        self.webhook: dict[str, Any] = {"url": ""}
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}
        self._delays: dict[str, list[float]] = {}
        self._message_ids = itertools.count(5001)
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._closing = False

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeTelegram:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                fake._serve(self)

            def do_GET(self) -> None:
                fake._serve(self)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so stop() is quick
            name="fake-telegram",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake first"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE / Bot(base_url=…) should be: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    # --- what tests arrange ---------------------------------------------------------------

    def add_chat(self, chat_id: int, first_name: str = "Klant") -> None:
        """A private chat that has talked to the bot, so the bot may write to it."""
        self.chats[chat_id] = {"id": chat_id, "type": "private", "first_name": first_name}

    def queue_update(self, update: dict[str, Any]) -> None:
        """An update for getUpdates (long polling) to hand out."""
        with self._changed:
            self._updates.append(update)
            self._changed.notify_all()

    def fail(
        self,
        method: str,
        error_code: int = 500,
        description: str = "Internal Server Error",
        *,
        times: int = 1,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        """Make the next `times` calls of `method` fail the way Telegram does."""
        self._failures.setdefault(method, []).extend(
            [(error_code, description, parameters or {})] * times
        )

    def delay(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Sit on the next `times` calls of `method` this long before answering (a hung API)."""
        self._delays.setdefault(method, []).extend([seconds] * times)

    # --- what tests check -----------------------------------------------------------------

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [call.params for call in list(self.calls) if call.method == method]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        return [
            params["text"]
            for params in self.calls_to("sendMessage")
            if chat_id is None or str(params.get("chat_id")) == str(chat_id)
        ]

    def sent_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The Messages the bot sent to a chat, with their message_id, as Telegram returned them."""
        return [m for m in list(self.messages) if m["chat"]["id"] == chat_id]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The calls of `method` once there are `count` of them (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.calls_to(method)
            if len(calls) >= count:
                return calls
            time.sleep(0.02)
        raise AssertionError(
            f"expected {count} {method} call(s), got {len(self.calls_to(method))}: "
            f"{[c.method for c in self.calls]}"
        )

    def clear(self) -> None:
        self.calls.clear()

    # --- the API --------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = urllib.parse.urlparse(handler.path).path
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        prefix = "/bot"
        token, _, method = (
            path[len(prefix) :].partition("/") if path.startswith(prefix) else ("", "", "")
        )
        if token != self.token:
            self._reply(
                handler, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
            return
        params = _decode(handler.headers.get("Content-Type", ""), body)
        self.calls.append(Call(method, params, time.monotonic()))
        delays = self._delays.get(method)
        if delays:
            time.sleep(delays.pop(0))  # this request's own thread: others are still served
        failures = self._failures.get(method)
        if failures:
            code, description, parameters = failures.pop(0)
            answer: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
            if parameters:
                answer["parameters"] = parameters
            self._reply(handler, code, answer)
            return
        implementation = getattr(self, f"_api_{method}", None)
        if implementation is None:
            self._reply(handler, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        try:
            result = implementation(params)
        except _ApiError as error:
            self._reply(
                handler,
                error.code,
                {"ok": False, "error_code": error.code, "description": error.description},
            )
            return
        self._reply(handler, 200, {"ok": True, "result": result})

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, answer: dict[str, Any]) -> None:
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _chat(self, params: dict[str, Any]) -> dict[str, Any]:
        try:
            chat_id = int(params.get("chat_id", ""))
        except ValueError:
            raise _ApiError(400, "Bad Request: chat not found") from None
        chat = self.chats.get(chat_id)
        if chat is None:
            raise _ApiError(400, "Bad Request: chat not found")
        return chat

    def _message(self, chat: dict[str, Any], params: dict[str, Any], **fields: Any) -> dict:
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            **fields,
        }
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self.messages.append(message)
        return message

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
            raise _ApiError(400, "Bad Request: message is too long")
        return self._message(chat, params, text=text)

    def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        if not params.get("photo"):
            raise _ApiError(400, "Bad Request: there is no photo in the request")
        photo = [{"file_id": "AgAD-fake", "file_unique_id": "fake1", "width": 320, "height": 240}]
        fields: dict[str, Any] = {"photo": photo}
        if params.get("caption"):
            fields["caption"] = params["caption"]
        return self._message(chat, params, **fields)

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if not params.get("callback_query_id"):
            raise _ApiError(400, "Bad Request: query is too old and response timeout expired")
        return True

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        return {
            "message_id": int(params.get("message_id", 0)),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            "text": "…",
        }

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url", "")
        if url and not url.startswith(("http://", "https://")):
            raise _ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
        }
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {"url": ""}
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook.get("allowed_updates"):
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), MAX_POLL_SECONDS)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                # An offset confirms (forgets) every update before it, as Telegram does.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or self._closing:
                    return list(self._updates[:limit])
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._changed.wait(remaining)


class _ApiError(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


def _decode(content_type: str, body: bytes) -> dict[str, Any]:
    """PTB sends form fields (JSON-encoded when not a string), multipart when uploading."""
    if not body:
        return {}
    if content_type.startswith("application/json"):
        data = json.loads(body)
        return data if isinstance(data, dict) else {}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        fields: dict[str, str] = {}
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            payload = part.get_payload(decode=True)
            fields[name] = payload.decode() if isinstance(payload, bytes) else str(payload)
        return {
            key: value if key in TEXT_FIELDS else _value(value) for key, value in fields.items()
        }
    pairs = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    return {key: value if key in TEXT_FIELDS else _value(value) for key, value in pairs}


def _value(raw: str) -> Any:
    """Objects and lists as Python values; numbers and text stay strings, as sent."""
    if raw[:1] in ("{", "[") or raw in ("true", "false"):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


@contextmanager
def fake_telegram(token: str = TOKEN) -> Iterator[FakeTelegram]:
    with FakeTelegram(token) as fake:
        yield fake

"""A local stand-in for Twilio: the Messages REST API, and webhooks signed the way Twilio does.

`FakeTwilio` is a real HTTP server (a thread) that answers
POST /2010-04-01/Accounts/{AccountSid}/Messages.json like api.twilio.com: HTTP basic auth
with the account SID and auth token, Twilio's validation errors, and a JSON message resource
with a fresh SM… sid. Every request is recorded. Point the real twilio SDK at it with
TWILIO_API_BASE=fake.base_url.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f4k3-t0k3n-" + "9" * 21  # looks like a token, so a leak is easy to grep for
SANDBOX_NUMBER = "whatsapp:+14155238886"
_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Messages\.json$")


def new_sid(prefix: str = "SM") -> str:
    return prefix + secrets.token_hex(16)


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """X-Twilio-Signature for a POST of `params` to `url`, computed as Twilio computes it."""
    return RequestValidator(auth_token).compute_signature(url, dict(params))


def incoming_message(
    phone: str,
    body: str = "",
    *,
    sid: str | None = None,
    to: str = SANDBOX_NUMBER,
    account_sid: str = ACCOUNT_SID,
    profile_name: str = "Sanne",
    **extra: str,
) -> dict[str, str]:
    """The form Twilio posts for an incoming WhatsApp message (text unless `extra` says)."""
    sid = sid or new_sid()
    form = {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": profile_name,
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": phone.lstrip("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": to,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": f"whatsapp:{phone}",
        "ApiVersion": "2010-04-01",
    }
    form.update(extra)
    return form


def status_callback(
    message_sid: str,
    status: str,
    *,
    error_code: str | None = None,
    to: str = "whatsapp:+31612345678",
    account_sid: str = ACCOUNT_SID,
) -> dict[str, str]:
    """The form Twilio posts to a message's StatusCallback."""
    form = {
        "ChannelPrefix": "whatsapp",
        "ApiVersion": "2010-04-01",
        "MessageStatus": status,
        "SmsSid": message_sid,
        "SmsStatus": status,
        "ChannelInstallSid": new_sid("XE"),
        "To": to,
        "From": SANDBOX_NUMBER,
        "MessageSid": message_sid,
        "AccountSid": account_sid,
    }
    if error_code:
        form["ErrorCode"] = error_code
        form["EventType"] = "UNDELIVERED" if status == "undelivered" else "FAILED"
    return form


@dataclass
class RecordedRequest:
    method: str
    path: str
    authorization: str | None
    form: dict[str, list[str]]
    response_status: int = 0
    response: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        values = self.form.get(name)
        return values[0] if values else None

    @property
    def basic_auth(self) -> tuple[str, str] | None:
        if not self.authorization or not self.authorization.startswith("Basic "):
            return None
        user, _, password = base64.b64decode(self.authorization[6:]).decode().partition(":")
        return user, password


@dataclass
class Failure:
    status: int
    code: int
    message: str


class FakeTwilio:
    """Run with `with FakeTwilio() as twilio:`; `twilio.messages()` are the API calls made."""

    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.requests: list[RecordedRequest] = []
        self.failures: list[Failure] = []
        self.initial_status = "queued"
        self.delays: list[float] = []  # seconds to sit on the next calls before answering
        self._lock = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> FakeTwilio:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                fake._handle(self)

            def do_GET(self) -> None:  # noqa: N802
                fake._reply(self, 404, _error(20404, "The requested resource was not found", 404))

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def fail_next(self, status: int = 400, code: int = 63016, message: str = "") -> None:
        """Answer the next Messages.json call with this Twilio error."""
        with self._lock:
            self.failures.append(Failure(status, code, message or f"Twilio error {code}"))

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Sit on the next `times` calls this long before answering (a slow or hung Twilio)."""
        with self._lock:
            self.delays.extend([seconds] * times)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.failures.clear()
            self.delays.clear()

    # -- inspection -----------------------------------------------------------------------
    def messages(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/Messages.json")]

    def sent(self) -> list[RecordedRequest]:
        """The Messages.json calls Twilio accepted."""
        return [r for r in self.messages() if r.response_status == 201]

    def bodies(self) -> list[str]:
        return [r.get("Body") or "" for r in self.sent()]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[RecordedRequest]:
        """Wait until at least `count` messages were accepted; return them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                sent = [r for r in self.requests if r.response_status == 201]
                if len(sent) >= count or time.monotonic() >= deadline:
                    return sent
                self._lock.wait(timeout=max(0.0, min(0.2, deadline - time.monotonic())))

    # -- the API ------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode("utf-8") if length else ""
        record = RecordedRequest(
            method="POST",
            path=handler.path,
            authorization=handler.headers.get("Authorization"),
            form=parse_qs(raw, keep_blank_values=True),
        )
        with self._lock:
            delay = self.delays.pop(0) if self.delays else 0.0
        if delay:
            time.sleep(delay)  # this request's own thread: the fake keeps serving others
        status, payload = self._answer(record)
        record.response_status, record.response = status, payload
        with self._lock:
            self.requests.append(record)
            self._lock.notify_all()
        self._reply(handler, status, payload)

    def _answer(self, request: RecordedRequest) -> tuple[int, dict[str, Any]]:
        match = _MESSAGES.match(request.path.split("?")[0])
        if match is None:
            return 404, _error(20404, "The requested resource was not found", 404)
        if request.basic_auth != (self.account_sid, self.auth_token):
            return 401, _error(20003, "Authenticate", 401)
        if match.group(1) != self.account_sid:
            return 404, _error(20404, "The requested resource was not found", 404)
        with self._lock:
            failure = self.failures.pop(0) if self.failures else None
        if failure is not None:
            return failure.status, _error(failure.code, failure.message, failure.status)
        to, sender = request.get("To"), request.get("From")
        service = request.get("MessagingServiceSid")
        if not to:
            return 400, _error(21604, "A 'To' phone number is required.")
        if not sender and not service:
            return 400, _error(21603, "A 'From' phone number is required.")
        if not (request.get("Body") or request.get("MediaUrl") or request.get("ContentSid")):
            return 400, _error(21602, "Message body is required.")
        if len(request.get("Body") or "") > 1600:
            return 400, _error(21617, "The concatenated message body exceeds the 1600 character")
        return 201, self._message_resource(request, to, sender, service)

    def _message_resource(
        self, request: RecordedRequest, to: str, sender: str | None, service: str | None
    ) -> dict[str, Any]:
        sid = new_sid("MM" if request.get("MediaUrl") else "SM")
        now = format_datetime(dt.datetime.now(dt.timezone.utc), usegmt=True)
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json"
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": request.get("Body") or "",
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender,
            "messaging_service_sid": service,
            "num_media": str(len(request.form.get("MediaUrl", []))),
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "accepted" if service and not sender else self.initial_status,
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": to,
            "uri": uri,
        }

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


def _error(code: int, message: str, status: int = 400) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def form_body(params: Mapping[str, str]) -> str:
    return urlencode(list(params.items()))

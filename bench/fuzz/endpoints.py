"""One fuzzer per way in: each sends generated requests to the running bot and tallies them.

Every fuzzer speaks the endpoint's real protocol around the fuzzed part: Twilio's form posts
carry a valid X-Twilio-Signature, Telegram's updates the webhook's secret token, and console
calls a logged-in agent's session cookie and CSRF token, so the fuzzed values get past the
gate and into the code behind it. Refused requests note the ids they carried, so the harness
can check afterwards that a refusal wrote nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import socketio

from bench.fuzz.inputs import Inputs
from connectors.webchat.channel import MAX_SOCKET_PAYLOAD_BYTES
from tests.connectors.telegram.factory import Updates
from tests.helpers.fake_twilio import AUTH_TOKEN, incoming_message, sign, status_callback

CONCURRENCY = 6
TIMEOUT = 60.0


FAILED = ("no answer", "crash", "partial write")


def failed(status: str) -> bool:
    return status.startswith(("5", "open")) or status in FAILED


@dataclass
class Tally:
    """What one endpoint answered."""

    sent: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)  # the first few, for the report
    refused_ids: set[str] = field(default_factory=set)  # ids of refused requests

    @property
    def failures(self) -> int:
        """Answers of 500 and above, no answer at all, crashes and partial writes."""
        return sum(n for status, n in self.statuses.items() if failed(status))

    def record(self, status: str, what: str = "") -> None:
        self.sent += 1
        self.statuses[status] += 1
        if failed(status) and len(self.server_errors) < 10:
            self.server_errors.append(f"{status}: {what[:300]}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "statuses": dict(sorted(self.statuses.items())),
            "failures": self.failures,
            "examples": self.server_errors,
        }


@dataclass
class Target:
    """Where the running bot is, and the secrets a real caller would have."""

    rasa_url: str
    web_url: str
    public_url: str  # what Twilio signs
    telegram_secret: str
    console_cookies: dict[str, str]
    console_csrf: str
    handoff_ids: list[int]
    rasa_token: str = ""  # Rasa's API token (`?token=`)


async def _send_all(
    count: int, make: Callable[[int], Awaitable[tuple[str, str]]], tally: Tally
) -> None:
    """Run `make(i)` for i < count, a few at a time; each returns (status, description)."""
    numbers = iter(range(count))

    async def worker() -> None:
        for i in numbers:
            try:
                status, what = await make(i)
            except (httpx.TransportError, asyncio.TimeoutError) as exc:
                status, what = "no answer", f"{exc.__class__.__name__} on input {i}"
            tally.record(status, what)

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


def _status(response: httpx.Response) -> str:
    return str(response.status_code)


async def fuzz_rest(target: Target, inputs: Inputs, count: int, tally: Tally) -> None:
    url = f"{target.rasa_url}/webhooks/rest/webhook"
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:

        async def one(i: int) -> tuple[str, str]:
            roll = inputs.random.random()
            sender: Any = f"fuzz-{i}"
            if roll < 0.02:
                body = b'{"sender": "\\ud98d", "message": "hoi"}'  # issue #15, verbatim
            elif roll < 0.15:
                body = inputs.junk_bytes()
            elif roll < 0.35:
                sender = inputs.value()
                data = {"sender": sender, "message": inputs.value(), "metadata": inputs.value()}
                body = inputs.json_bytes(inputs.pick([data, inputs.value()]))
            else:
                sender = f"fuzz-{i}-{inputs.text()}" if inputs.chance(0.3) else sender
                data = {"sender": sender, "message": inputs.text()}
                if inputs.chance(0.2):
                    data["metadata"] = inputs.value()
                body = inputs.json_bytes(data)
            response = await http.post(url, content=body, headers=_json_type(inputs))
            if 400 <= response.status_code < 500 and str(sender).startswith("fuzz-"):
                tally.refused_ids.add(f"rest:{sender}")
            return _status(response), f"{body[:200]!r} -> {response.text[:200]}"

        await _send_all(count, one, tally)


def _json_type(inputs: Inputs) -> dict[str, str]:
    return {"Content-Type": inputs.pick(["application/json", "text/plain", "application/xml"])}


def _form(params: dict[str, str]) -> bytes:
    """A form body as a client would send it; lone surrogates go out as their UTF-8 bytes."""
    return urlencode(list(params.items()), encoding="utf-8", errors="surrogatepass").encode()


def _as_read(value: str) -> str:
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _phone(inputs: Inputs) -> str:
    return f"+316{inputs.random.randint(10_000_000, 99_999_999)}"


WHATSAPP_FIELDS = [
    "From", "Body", "MessageSid", "NumMedia", "MediaContentType0", "MessageType",
    "ButtonPayload", "ButtonText", "Latitude", "Longitude", "ProfileName", "WaId",
]  # fmt: skip
STATUS_FIELDS = ["MessageSid", "MessageStatus", "ErrorCode", "SmsSid", "SmsStatus"]


async def fuzz_twilio(
    target: Target, inputs: Inputs, count: int, tally: Tally, *, status: bool
) -> None:
    path = "/webhooks/whatsapp/status" if status else "/webhooks/whatsapp/webhook"
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:

        async def one(i: int) -> tuple[str, str]:
            if status:
                form = status_callback(
                    f"SM{i:032x}", inputs.pick(["sent", "delivered", "read", "failed"])
                )
                names = STATUS_FIELDS
            else:
                form = incoming_message(_phone(inputs), inputs.text())
                names = WHATSAPP_FIELDS
            for _ in range(inputs.random.randint(0, 3)):
                form[inputs.pick(names + ["X-" + inputs.text()[:20]])] = inputs.text()
            # Signed over the values exactly as the server will read them back.
            readable = {_as_read(k): _as_read(v) for k, v in form.items()}
            signature = sign(AUTH_TOKEN, f"{target.public_url}{path}", readable)
            response = await http.post(
                f"{target.rasa_url}{path}",
                content=_form(form),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Twilio-Signature": signature,
                },
            )
            sid = form.get("MessageSid", "")
            if 400 <= response.status_code < 500 and not status and sid.startswith("SM"):
                tally.refused_ids.add(sid)  # a generated, unique sid: never stored by another
            return _status(response), f"{form!r:.300} -> {response.text[:200]}"

        await _send_all(count, one, tally)


async def fuzz_telegram(target: Target, inputs: Inputs, count: int, tally: Tally) -> None:
    updates = Updates(first_update_id=700_000_000)
    url = f"{target.rasa_url}/webhooks/telegram/webhook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": target.telegram_secret}
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:

        async def one(i: int) -> tuple[str, str]:
            chat = inputs.random.randint(10_000, 99_999)
            kinds: list[Callable[[], dict[str, Any]]] = [
                lambda: updates.text(chat, inputs.text() or "hoi"),
                lambda: updates.start(chat, inputs.text()[:64] or None),
                lambda: updates.contact(chat, inputs.text()[:30], chat),
                lambda: updates.photo(chat, inputs.text()),
                lambda: updates.press(chat, inputs.text()[:64] or "x", 5001),
            ]
            update = inputs.pick(kinds)()
            if inputs.chance(0.1):
                body = inputs.junk_bytes()
            else:
                if inputs.chance(0.6):
                    update = inputs.mutate(update)
                body = inputs.json_bytes(update)
            response = await http.post(url, content=body, headers=headers)
            if 400 <= response.status_code < 500:
                tally.refused_ids.add(str(update.get("update_id")))
            return _status(response), f"{body[:300]!r} -> {response.text[:200]}"

        await _send_all(count, one, tally)


CONSOLE_ACTIONS = ["note", "reply", "claim", "assign", "resolve", "handback", "view", "login"]


async def fuzz_console(target: Target, inputs: Inputs, count: int, tally: Tally) -> None:
    headers = {"X-CSRF-Token": target.console_csrf, "Content-Type": "application/json"}
    async with httpx.AsyncClient(
        base_url=target.web_url, timeout=TIMEOUT, cookies=target.console_cookies
    ) as http:

        async def one(i: int) -> tuple[str, str]:
            action = inputs.pick(CONSOLE_ACTIONS)
            handoff: Any = inputs.pick(
                target.handoff_ids + [0, -1, 2**63, 10**30, "abc", "1.5", "%00", "..%2f"]
            )
            base = f"/agent/api/handoffs/{handoff}"
            if inputs.chance(0.15):
                body = inputs.junk_bytes()
            else:
                fields = {"note": "text", "reply": "text", "assign": "agent_id"}
                name = fields.get(action, inputs.text()[:20])
                if action == "login":
                    data: Any = {"username": inputs.value(), "password": inputs.value()}
                else:
                    data = {name: inputs.pick([inputs.text(), inputs.value()])}
                body = inputs.json_bytes(data if inputs.chance(0.8) else inputs.value())
            if action == "view":
                response = await http.get(base)
            elif action == "login":
                response = await http.post("/agent/api/login", content=body, headers=headers)
            else:
                response = await http.post(f"{base}/{action}", content=body, headers=headers)
            return _status(response), f"{action} {base} {body[:200]!r} -> {response.text[:200]}"

        await _send_all(count, one, tally)


WEB_EVENTS = ["user_uttered", "session_request", "user_uttered", "klantreis_x", "message"]
HANDLED = ("user_uttered", "session_request")


def socket_bytes(event: str, data: Any) -> int:
    """The size of the event as a socket.io packet ("42" and the compact JSON array)."""
    return 2 + len(json.dumps([event, data], separators=(",", ":")))


async def fuzz_webchat(target: Target, inputs: Inputs, count: int, tally: Tally) -> None:
    """socket.io events, a few clients at a time. Events we handle are sent with an ack
    request: python-socketio acknowledges only once the handler returned, so a handler that
    crashed shows up as no answer. Events nobody handles get no ack; afterwards a fresh
    client must still get a session confirmed. A packet over engine.io's limit makes the server
    close that connection: a refusal, and the next event gets a new client.

    Like every python-socketio client, this one packs the events it has queued into one
    polling POST without heeding the server's `maxPayload`; the server refuses a POST over it
    and closes the connection, losing every event in it (docs/robustness.md)."""
    numbers = iter(range(count))

    async def worker() -> None:
        client = await _connected(target)
        try:
            for i in numbers:
                if not client.connected:
                    await client.disconnect()
                    client = await _connected(target)
                event = inputs.pick(WEB_EVENTS)
                data = _webchat_payload(inputs, event, i)
                try:
                    if socket_bytes(event, data) > MAX_SOCKET_PAYLOAD_BYTES:
                        await client.emit(event, data)
                        tally.record("refused: too large" if await _closed(client) else "sent")
                    elif event in HANDLED:
                        await client.call(event, data, timeout=TIMEOUT)
                        tally.record("acknowledged")
                    else:
                        await client.emit(event, data)
                        tally.record("sent (not handled)")
                except socketio.exceptions.TimeoutError:
                    tally.record("no answer", f"{event} {json.dumps(data)[:200]}")
                except socketio.exceptions.SocketIOError:
                    tally.record("refused: connection closed", event)
        finally:
            await client.disconnect()

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    if await _session_confirmed(target):
        tally.statuses["then a session confirmed"] += 1
    else:
        tally.record("no answer", "web chat: no session confirmed afterwards")


async def _closed(client: socketio.AsyncClient, seconds: float = 10) -> bool:
    for _ in range(int(seconds * 10)):
        if not client.connected:
            return True
        await asyncio.sleep(0.1)
    return False


async def _connected(target: Target) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(target.rasa_url, transports=["polling"], wait_timeout=20)
    return client


async def _session_confirmed(target: Target) -> bool:
    client = socketio.AsyncClient(reconnection=False)
    confirmed = asyncio.Event()
    client.on("session_confirm", _setter(confirmed))
    try:
        await client.connect(target.rasa_url, transports=["polling"], wait_timeout=20)
        await client.emit("session_request", {"session_id": None})
        await asyncio.wait_for(confirmed.wait(), 30)
        return True
    except (socketio.exceptions.SocketIOError, asyncio.TimeoutError):
        return False
    finally:
        await client.disconnect()


def _setter(event: asyncio.Event) -> Callable[..., None]:
    return lambda *_: event.set()


def _webchat_payload(inputs: Inputs, event: str, i: int) -> Any:
    roll = inputs.random.random()
    if roll < 0.2:
        return inputs.value()
    if event == "session_request":
        return {
            "session_id": inputs.pick([inputs.text(), inputs.value(), f"{i:032x}"]),
            "customData": inputs.pick(
                [inputs.value(), {"customer_token": inputs.value(), "language": inputs.value()}]
            ),
        }
    payload: dict[str, Any] = {"message": inputs.text(), "session_id": f"{i:032x}"}
    if inputs.chance(0.3):
        payload = inputs.mutate(payload)
    if inputs.chance(0.2):
        payload["display"] = inputs.value()
    if inputs.chance(0.2):
        payload["customData"] = {"customer_token": inputs.value(), "language": inputs.value()}
    return json.loads(json.dumps(payload))

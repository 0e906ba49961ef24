"""The bot the fuzzer runs against: real Rasa, action server and web services with every
channel on, the fake Twilio and Telegram APIs, demo shop data, and an agent logged in."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bench.fuzz.endpoints import Target
from bot.handoff import queue
from bot.settings import Settings
from bot.stack import Stack, running_stack
from bot.store import identities
from bot.store.db import make_engine, make_session_factory
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_NUMBER, FakeTwilio
from tests.helpers.services import add_agents, log_in

SECRET = "fuzz-webhook-secret"


@dataclass
class World:
    stack: Stack
    settings: Settings
    target: Target
    twilio: FakeTwilio
    telegram: FakeTelegram

    def alive(self) -> list[str]:
        """The processes that have exited (none, when all is well)."""
        names = ("action server", "Rasa", "web services")
        return [n for n, p in zip(names, self.stack.processes, strict=True) if p.poll() is not None]

    def rest(self, sender: str, message: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(
            f"{self.stack.rasa_url}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return list(json.loads(response.read()))

    def stored_senders(self) -> set[str]:
        """Every conversation id Rasa's tracker store and the timeline hold."""
        engine = make_engine(self.settings.database_url)
        try:
            with engine.connect() as connection:
                found = {
                    row[0] for row in connection.exec_driver_sql("SELECT sender_id FROM events")
                }
                found |= {
                    row[0]
                    for row in connection.exec_driver_sql(
                        "SELECT conversation_id FROM contact_messages"
                    )
                }
                found |= {
                    row[0]
                    for row in connection.exec_driver_sql(
                        "SELECT delivery_id FROM inbound_receipts"
                    )
                }
                return found
        finally:
            engine.dispose()


def _handoffs(database_url: str, count: int = 4) -> list[int]:
    """A few open handoffs of web conversations, for the console calls to act on."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            ids = []
            for n in range(count):
                identity = identities.resolve(session, "web", f"{n:032x}")
                who = identities.who(session, identity)
                handoff = queue.request(
                    session,
                    conversation_id=f"web:{n:032x}",
                    customer_id=who.customer_id,
                    channel="web",
                    language="nl",
                    reason="explicit",
                )
                ids.append(int(handoff.id))
            return ids
    finally:
        engine.dispose()


def _start_conversations(stack: Stack, conversation_ids: list[str]) -> None:
    """Give the handoffs' conversations a tracker in Rasa, as a real handoff has, so an
    agent's reply can be delivered."""
    for conversation_id in conversation_ids:
        request = urllib.request.Request(
            stack.api_url(f"/conversations/{conversation_id}/tracker/events"),
            data=json.dumps({"event": "action", "name": "action_listen"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()


@contextmanager
def fuzz_world(settings: Settings) -> Iterator[World]:
    """Start everything on `settings` (a migrated store holding the demo shop)."""
    public_url = f"http://127.0.0.1:{settings.rasa_port}"
    add_agents(settings.database_url)
    handoff_ids = _handoffs(settings.database_url)
    with FakeTwilio() as twilio, FakeTelegram() as telegram:
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": SANDBOX_NUMBER,
            "TWILIO_API_BASE": twilio.base_url,
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "KLANTREIS_CARRIER_SECRET": SECRET,
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_API_BASE": telegram.base_url,
            "KLANTREIS_PUBLIC_URL": public_url,
        }
        with running_stack(settings, extra_env=env) as stack:
            _start_conversations(stack, [f"web:{n:032x}" for n in range(len(handoff_ids))])
            console = log_in(stack.web_url, "ruben")  # the supervisor: every route is open
            target = Target(
                rasa_url=stack.rasa_url,
                web_url=stack.web_url,
                public_url=public_url,
                telegram_secret=SECRET,
                console_cookies=dict(console.cookies),
                console_csrf=console.headers["X-CSRF-Token"],
                handoff_ids=handoff_ids,
                rasa_token=stack.rasa_token,
            )
            console.close()
            yield World(stack, settings, target, twilio, telegram)

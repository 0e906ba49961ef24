"""`klantreis notify` and `klantreis delays …`: proactive messages through the outbox."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.engine import Engine

from bot.delays import outbox
from bot.delays.policy import load_delay_policy
from bot.settings import Settings
from bot.store.db import make_session_factory
from bot.store.units import Store


class OutboxCommandError(Exception):
    """Shown to the operator as is."""


def notify(
    settings: Settings, args: argparse.Namespace, *, engine: Engine, say: Callable[[str], None]
) -> None:
    """Through the outbox with a dedup key: running the same notify twice sends once."""
    from bot.delays.worker import build_dispatcher
    from bot.store import identities
    from bot.store.delay_models import OutboxMessage
    from bot.store.models import utcnow

    if identities.split_conversation_id(args.conversation) is None:
        raise OutboxCommandError(
            f"{args.conversation!r} is not a channel conversation (web:, whatsapp:, telegram:)"
        )
    entities = dict(item.split("=", 1) for item in args.entity if "=" in item)
    key = args.key or outbox.dedup_key_for(args.conversation, args.intent, entities)
    store = Store(make_session_factory(engine))
    with store.unit() as session:
        message, created = outbox.enqueue(
            session,
            dedup_key=key,
            intent=args.intent,
            entities=entities,
            now=utcnow(),
            conversation_id=args.conversation,
        )
        message_id, status = message.id, message.status
    if not created and status in outbox.FINAL:
        say(f"Already done earlier ({status}, key {key}): nothing sent again.")
        return
    dispatcher = build_dispatcher(settings, store, load_delay_policy(settings.retailer_file))
    results = asyncio.run(dispatcher.run_once(only_id=message_id))
    outcome = results.get(message_id)
    with store.unit() as session:
        final = session.get(OutboxMessage, message_id)
        reason = final.reason if final else None
    messages = {
        "sent": "Sent to the customer.",
        "to_agent": "An agent has this conversation: it went to them as a note.",
        "skipped": f"Not sent: {reason}.",
        "refused": f"Not said: {reason}.",
        "failed": f"Failed: {reason}.",
        "pending": f"Queued (key {key}): {reason}; a delays worker sends it later.",
        None: f"Queued (key {key}); another worker is sending it.",
    }
    say(messages.get(outcome, f"Queued (key {key}): {outcome}."))
    if outcome == "failed":
        raise OutboxCommandError(f"the message could not be sent: {reason}")


def delays(
    settings: Settings, args: argparse.Namespace, *, engine: Engine, say: Callable[[str], None]
) -> None:
    """`delays scan` applies the rules once; `delays work` runs one outbox worker."""
    from bot.delays.worker import scan_once, serve

    if args.action == "scan":
        store = Store(make_session_factory(engine))
        report = scan_once(store, load_delay_policy(settings.retailer_file))
        say(f"Delay scan: {report.line()}.")
        return
    # `engine` was made with the schema check: it is current before a worker starts.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(serve(settings, with_scan=args.scan))

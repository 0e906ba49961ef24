"""Everything an agent needs beside the transcript, so they never ask what the bot knows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.formatting import money_text
from bot.handoff import surveys
from bot.handoff.queue import SUMMARY_SLOTS, recent_intents
from bot.retailer import retailer
from bot.store import announced_notices, identities, timeline
from bot.store.handoff_models import Agent, Handoff
from bot.store.models import ChannelIdentity, Customer, Order

BOT_SLOTS = (*SUMMARY_SLOTS, "handoff_status")


def mask(channel: str, external_id: str) -> str:
    """Enough to recognise, not enough to copy: +31 6•••• 5678, a web session's first chars."""
    if channel == "whatsapp" and len(external_id) > 6:
        return f"{external_id[:4]}••••{external_id[-4:]}"
    if channel == "web":
        return f"sessie {external_id[:6]}…"
    return external_id


def handoff_item(handoff: Handoff, now_seconds: float) -> dict[str, Any]:
    customer = handoff.customer
    named = customer is not None and not customer.is_anonymous
    last = (handoff.summary or {}).get("last_message")
    return {
        "id": handoff.id,
        "conversation_id": handoff.conversation_id,
        "channel": handoff.channel,
        "language": handoff.language,
        "reason": handoff.reason,
        "priority": handoff.priority,
        "status": handoff.status,
        "customer_name": f"{customer.first_name or ''} {customer.last_name or ''}".strip()
        if named
        else None,
        "requested_at": handoff.requested_at.isoformat(),
        "wait_seconds": max(0, int(now_seconds - handoff.requested_at.timestamp())),
        "agent": {"id": handoff.agent.id, "display_name": handoff.agent.display_name}
        if handoff.agent
        else None,
        "last_message": last,
        "message": handoff.message,
    }


def _orders(session: Session, customer_id: int) -> list[dict[str, Any]]:
    shop = retailer()
    orders = session.scalars(
        select(Order).where(Order.customer_id == customer_id).order_by(Order.placed_at.desc())
    ).all()
    result = []
    for order in orders[:20]:
        result.append(
            {
                "order_number": order.order_number,
                "status": order.status,
                "placed_at": order.placed_at.isoformat(),
                "total": money_text(order.total_cents, "nl"),
                "items": ", ".join(
                    f"{line.quantity}× {line.product.name_nl}"
                    + (f" ({line.variant})" if line.variant else "")
                    for line in order.lines
                ),
                "shipments": [
                    {
                        "carrier": s.carrier,
                        "status": s.status,
                        "promised_date": s.promised_date.isoformat(),
                        "eta": s.eta.isoformat() if s.eta else None,
                        "late": s.is_late,
                        "tracking_url": shop.tracking_url(
                            s.carrier, s.tracking_code, order.postcode
                        ),
                    }
                    for s in order.shipments
                ],
            }
        )
    return result


def customer_context(session: Session, customer_id: int) -> dict[str, Any]:
    customer = identities.live(session, session.get(Customer, customer_id))
    owned = session.scalars(
        select(ChannelIdentity).where(ChannelIdentity.customer_id == customer.id)
    ).all()
    agent_names = {a.id: a.display_name for a in session.scalars(select(Agent))}
    return {
        "customer": {
            "ref": customer.customer_ref,
            "name": None
            if customer.is_anonymous
            else f"{customer.first_name or ''} {customer.last_name or ''}".strip(),
            "language": customer.language,
            "anonymous": bool(customer.is_anonymous),
            "email": customer.email,
            "phone": customer.phone,
        },
        "identities": [
            {
                "channel": i.channel,
                "external_id": mask(i.channel, i.external_id),
                "verified": bool(i.verified),
                "method": i.verification_method if i.verified else None,
                "verified_at": i.verified_at.isoformat() if i.verified_at else None,
            }
            for i in owned
        ],
        "orders": _orders(session, customer.id) if not customer.is_anonymous else [],
        "timeline": [timeline.as_dict(m) for m in timeline.for_customer(session, customer.id, 100)],
        "consents": [
            {
                "purpose": c.purpose,
                "channel": c.channel,
                "granted": bool(c.granted),
                "recorded_at": c.recorded_at.isoformat(),
            }
            for c in identities.consents_of(session, customer.id)
        ],
        "announced_notices": [
            announced_notices.as_dict(n)
            for n in announced_notices.for_customer(session, customer.id)
        ],
        "surveys": [
            {
                "kind": s.kind,
                "score": s.score,
                "comment": s.comment,
                "at": s.answered_at.isoformat(),
                "agent": agent_names.get(s.agent_id) if s.agent_id else None,
            }
            for s in surveys.history(session, customer.id)
        ],
    }


def bot_view(handoff_summary: dict[str, Any], tracker: dict[str, Any] | None) -> dict[str, Any]:
    """The bot's last intents and slots: live from Rasa when it answers, else as handed off."""
    summary = handoff_summary or {}
    if not tracker:
        return {
            "intents": summary.get("intents", []),
            "slots": summary.get("slots", {}),
            "last_message": summary.get("last_message"),
        }
    events = tracker.get("events") or []
    intents = recent_intents(events)
    last_message = next((e.get("text") for e in reversed(events) if e.get("event") == "user"), None)
    slots = tracker.get("slots") or {}
    return {
        "intents": intents or summary.get("intents", []),
        "slots": {k: slots[k] for k in BOT_SLOTS if slots.get(k) not in (None, [], "")},
        "last_message": last_message or summary.get("last_message"),
    }

"""Who may receive a marketing message (a back-in-stock notice, a lifecycle offer), and where.

Like service notices (bot/delays/channels.py) but stricter: a channel needs a recorded
marketing consent. The one exception is the channel the customer asked for this notice on,
unless they withdrew marketing consent there; there it goes to the conversation they asked
in. WhatsApp outside the 24-hour window needs an approved marketing template in the
customer's language (`suggestions.whatsapp_marketing_templates`); without one WhatsApp is left
out, and the message goes to another consented channel or is skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delays.channels import Candidates, _conversation, _last_channel
from bot.language import supported
from bot.store import identities
from bot.store.models import Consent, Customer
from bot.store.service_window import within_window

MARKETING = "marketing"


def marketing_candidates(
    session: Session,
    *,
    customer_id: int,
    order: tuple[str, ...],
    asked_in: str | None,
    now: dt.datetime,
    template_languages: Collection[str] = (),
) -> Candidates:
    """Conversations allowed for a marketing message, preferred first; `asked_in` is the
    conversation the customer asked for it in (allowed without a recorded consent);
    `template_languages` have an approved WhatsApp marketing template."""
    parts = identities.split_conversation_id(asked_in or "")
    asked_on = parts[0] if parts else None
    customer = session.get(Customer, customer_id)
    if customer is None:
        return Candidates((), "customer not found")
    customer = identities.live(session, customer)
    consents = {
        row.channel: bool(row.granted)
        for row in session.scalars(
            select(Consent).where(Consent.customer_id == customer.id, Consent.purpose == MARKETING)
        )
    }
    last = _last_channel(session, customer.id)
    preference = ([last] if last in order else []) + [c for c in order if c != last]
    found: list[str] = []
    outside_window = False
    language = supported(customer.language)
    for channel in preference:
        if not consents.get(channel, channel == asked_on):
            continue
        if (
            channel == "whatsapp"
            and language not in template_languages
            and not within_window(session, customer.id, now)
        ):
            outside_window = True
            continue
        conversation = _conversation(session, customer, channel)
        if channel == asked_on:
            conversation = asked_in
        if conversation is not None:
            found.append(conversation)
    if found:
        return Candidates(tuple(found))
    if outside_window:
        return Candidates(
            (),
            "WhatsApp outside the 24-hour window needs an approved marketing template "
            f"({language}); none configured, not sent",
        )
    return Candidates((), f"no marketing consent on any channel served ({', '.join(order)})")

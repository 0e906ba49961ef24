"""Delay notices through Rasa: what the customer reads, once, and only about their own order;
opting out of such messages."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.delays import ActionAnnounceDelay, ActionOptOut, ActionStop
from bot.store.delay_models import AnnouncedNotice
from bot.store.models import Consent, Customer
from bot.store.opt_out import service_consent
from tests.helpers.handoff import WHATSAPP, db, identity_for, on_channel, slot
from tests.helpers.trackers import DEFAULT_SLOTS, texts

TELEGRAM = "telegram:9301"
NOTICE = {
    "notice_id": "delay:1:1",
    "notice_kind": "first",
    "order_number": "10452",
    "old_date": "2026-11-19",
    "new_date": "2026-11-24",
    "reason": "carrier_delay",
    "voucher_code": "SORRY-7KQ2",
    "voucher_value_eur": "10.00",
    "voucher_expires": "2027-03-31",
}


def notice_tracker(
    sender: str, entities: dict[str, str], *, external: bool = True, channel: str | None = None
) -> Tracker:
    """The tracker Rasa sends after trigger_intent (external) or after a typed '/intent{…}'."""
    latest: dict[str, Any] = {
        "text": "EXTERNAL: EXTERNAL_delivery_delayed",
        "intent": {"name": "EXTERNAL_delivery_delayed", "confidence": 1.0},
        "entities": [{"entity": k, "value": v} for k, v in entities.items()],
        "metadata": {"is_external": True} if external else {},
    }
    event = {"event": "user", "parse_data": latest, "input_channel": channel, **latest}
    return Tracker(
        sender_id=sender,
        slots=dict(DEFAULT_SLOTS),
        latest_message=latest,
        events=[event],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def recorded(url: str) -> list[tuple[str, str, str]]:
    with db(url) as session:
        return [
            (n.notice_id, n.conversation_id, n.outcome)
            for n in session.scalars(select(AnnouncedNotice).order_by(AnnouncedNotice.id))
        ]


async def announce(tracker: Tracker) -> tuple[list[str], list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionAnnounceDelay().run(dispatcher, tracker, {})
    return texts(dispatcher), dispatcher.messages, events


async def test_a_first_notice_names_order_dates_reason_and_voucher_once(store: str) -> None:
    identity_for(store, WHATSAPP, "C1001")  # Sanne, verified on WhatsApp
    said, messages, events = await announce(notice_tracker(WHATSAPP, NOTICE, channel="whatsapp"))
    assert len(said) == 2, said
    notice, voucher = said
    assert notice.startswith("Hoi Sanne!") and "10452" in notice
    assert "donderdag 19 november" in notice and "dinsdag 24 november" in notice
    assert "druk bij de vervoerder" in notice
    assert "SORRY-7KQ2" not in notice, "the voucher travels in a message of its own"
    assert "SORRY-7KQ2" in voucher and "€\xa010,00" in voucher and "31 maart" in voucher
    assert [b["title"] for b in messages[0]["buttons"]][0] == "Naar een afhaalpunt"
    # On a verified channel the order is in context: no second verification for the reply.
    assert slot(events, "order_number") == "10452"
    assert slot(events, "verified_orders") == ["10452"]
    assert slot(events, "language") == "nl"

    mid_form = notice_tracker(WHATSAPP, {**NOTICE, "notice_id": "delay:1:9"}, channel="whatsapp")
    mid_form.active_loop = {"name": "verify_order_form"}
    _, _, events = await announce(mid_form)
    assert slot(events, "order_number") == "<unset>", "the form's order number stays theirs"
    assert slot(events, "verified_orders") == ["10452"]

    again, _, events = await announce(notice_tracker(WHATSAPP, NOTICE, channel="whatsapp"))
    assert again == [] and events == []
    assert recorded(store) == [
        ("delay:1:1", WHATSAPP, "announced"),
        ("delay:1:9", WHATSAPP, "announced"),
    ]


async def test_the_notice_follows_the_customers_language(store: str) -> None:
    identity_for(store, TELEGRAM, "C1001")
    with db(store) as session, session.begin():
        customer = session.scalars(select(Customer).where(Customer.customer_ref == "C1001")).one()
        customer.language = "en"
    said, _, events = await announce(notice_tracker(TELEGRAM, NOTICE, channel="telegram"))
    assert said[0].startswith("Hi Sanne!") and "Tuesday 24 November" in said[0]
    assert "The carrier is very busy." in said[0]
    assert "€10.00 voucher" in said[1] and "SORRY-7KQ2" in said[1]
    assert slot(events, "language") == "en"


async def test_an_update_is_short_and_an_arrival_carries_no_voucher(store: str) -> None:
    identity_for(store, WHATSAPP, "C1001")
    update = {**NOTICE, "notice_id": "delay:1:2", "notice_kind": "update", "voucher_code": ""}
    said, messages, _ = await announce(notice_tracker(WHATSAPP, update, channel="whatsapp"))
    assert said == [
        "Nog een update over bestelling 10452: die schuift helaas weer op. "
        "We verwachten hem nu op dinsdag 24 november."
    ]
    assert not messages[0]["buttons"]
    arrived = {**NOTICE, "notice_id": "delay:1:3", "notice_kind": "arrived"}
    said, _, events = await announce(notice_tracker(WHATSAPP, arrived, channel="whatsapp"))
    assert len(said) == 1 and "bezorgd" in said[0] and "SORRY" not in said[0]
    assert slot(events, "verified_orders") == "<unset>"


async def test_unknown_new_date_says_it_will_follow(store: str) -> None:
    identity_for(store, WHATSAPP, "C1001")
    unknown = {**NOTICE, "new_date": "", "voucher_code": "", "reason": "no_scan"}
    said, _, _ = await announce(notice_tracker(WHATSAPP, unknown, channel="whatsapp"))
    assert "niet op donderdag 19 november" in said[0] and "nieuwe datum" in said[0]
    assert "niet gescand" in said[0]


async def test_never_another_customers_order(store: str) -> None:
    identity_for(store, WHATSAPP, "C1002")  # Mark's number, Sanne's order
    said, _, events = await announce(notice_tracker(WHATSAPP, NOTICE, channel="whatsapp"))
    assert said == [] and events == []
    assert recorded(store) == [("delay:1:1", WHATSAPP, "refused")]


async def test_a_typed_external_intent_is_ignored(store: str) -> None:
    """'/EXTERNAL_delivery_delayed{…}' typed by someone is not the dispatcher."""
    identity_for(store, WHATSAPP, "C1001")
    said, _, events = await announce(
        notice_tracker(WHATSAPP, NOTICE, external=False, channel="whatsapp")
    )
    assert said == [] and events == [] and recorded(store) == []
    # Nor a REST caller naming its conversation after a customer's channel.
    said, _, _ = await announce(notice_tracker(WHATSAPP, NOTICE, channel="rest"))
    assert said == [] and recorded(store) == []


async def test_a_number_that_never_wrote_hears_it_but_must_still_verify(store: str) -> None:
    said, _, events = await announce(notice_tracker(WHATSAPP, NOTICE, channel=None))
    assert len(said) == 2 and "Sanne" in said[0]
    assert slot(events, "order_number") == "10452"
    assert slot(events, "verified_orders") == "<unset>", "not verified: the postcode is asked"


async def test_bad_entities_say_nothing(store: str) -> None:
    identity_for(store, WHATSAPP, "C1001")
    for broken in (
        {**NOTICE, "notice_id": ""},
        {**NOTICE, "old_date": "19-11-2026"},
        {**NOTICE, "notice_kind": "second"},
        {**NOTICE, "voucher_value_eur": "tien"},
    ):
        said, _, events = await announce(notice_tracker(WHATSAPP, broken, channel="whatsapp"))
        assert said == [] and events == [], broken
    assert recorded(store) == []


async def test_opt_out_withdraws_service_consent_on_this_channel(store: str) -> None:
    customer_id = identity_for(store, WHATSAPP, "C1001")
    with db(store) as session:
        assert service_consent(session, customer_id=customer_id, channel="whatsapp") is True
    dispatcher = CollectingDispatcher()
    tracker = on_channel(WHATSAPP, text="stuur me geen berichten meer", intent="opt_out")
    await ActionOptOut().run(dispatcher, tracker, {})
    assert "via WhatsApp geen berichten meer" in texts(dispatcher)[0]
    with db(store) as session:
        assert service_consent(session, customer_id=customer_id, channel="whatsapp") is False
        assert service_consent(session, customer_id=customer_id, channel="email") is True


async def test_stop_in_capitals_opts_out_other_stops_are_never_mind(store: str) -> None:
    customer_id = identity_for(store, TELEGRAM, "C1001")
    dispatcher = CollectingDispatcher()
    await ActionStop().run(dispatcher, on_channel(TELEGRAM, text="laat maar", intent="stop"), {})
    assert dispatcher.messages == [
        {
            "text": None,
            "buttons": [],
            "elements": [],
            "custom": {},
            "template": "utter_ok",
            "response": "utter_ok",
            "image": None,
            "attachment": None,
        }
    ]
    with db(store) as session:
        assert service_consent(session, customer_id=customer_id, channel="telegram") is None
    dispatcher = CollectingDispatcher()
    tracker = on_channel(TELEGRAM, text="STOP", intent="stop", slots={"language": "en"})
    await ActionStop().run(dispatcher, tracker, {})
    assert "on Telegram" in texts(dispatcher)[0]
    with db(store) as session:
        assert service_consent(session, customer_id=customer_id, channel="telegram") is False
        consents = session.scalars(select(Consent).where(Consent.channel == "telegram")).all()
        assert [(c.purpose, c.granted) for c in consents] == [("service", False)]


async def test_telegrams_stop_command_opts_out(store: str) -> None:
    customer_id = identity_for(store, TELEGRAM, "C1001")
    tracker = on_channel(TELEGRAM, text="stop", intent="stop")
    tracker.latest_message["metadata"] = {"klantreis": {"channel": "telegram", "kind": "command"}}
    dispatcher = CollectingDispatcher()
    await ActionStop().run(dispatcher, tracker, {})
    assert "via Telegram geen berichten meer" in texts(dispatcher)[0]
    with db(store) as session:
        assert service_consent(session, customer_id=customer_id, channel="telegram") is False


async def test_opt_out_outside_a_channel_withdraws_nothing(store: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = on_channel(WHATSAPP, text="stop sending me messages", intent="opt_out")
    tracker.sender_id = "rest:someone"
    await ActionOptOut().run(dispatcher, tracker, {})
    assert (
        "don't send you messages" in texts(dispatcher)[0] or "stuur je hier" in texts(dispatcher)[0]
    )

"""The minimal delay notice: in the customer's language, and each notice_id only once."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.delays import DELAY_INTENT, ActionAnnounceDelay
from tests.helpers.trackers import entity, make_tracker, texts

NOTICE = {
    "notice_id": "delay:7:1",
    "notice_kind": "first",
    "order_number": "10452",
    "old_date": "2026-12-03",
    "new_date": "2026-12-08",
    "reason": "weather",
    "voucher_code": "KR-ABCDEFGH",
    "voucher_value_eur": "10.00",
    "voucher_expires": "2027-03-02",
}


def notice_tracker(sender: str, *, earlier: int = 0, **changes: str) -> Tracker:
    values = {**NOTICE, **changes}
    entities = [entity(k, v) for k, v in values.items()]
    previous = {
        "event": "user",
        "text": None,
        "parse_data": {"intent": {"name": DELAY_INTENT}, "entities": entities},
    }
    tracker = make_tracker(intent=DELAY_INTENT, entities=entities, events=[previous] * earlier)
    tracker.sender_id = sender
    return tracker


async def test_the_notice_names_order_date_and_voucher(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    await ActionAnnounceDelay().run(dispatcher, notice_tracker("whatsapp:+31612345678"), {})
    notice, voucher = texts(dispatcher)
    assert "10452" in notice and "dinsdag 8 december" in notice  # Sanne reads Dutch
    assert "KR-ABCDEFGH" in voucher and "€\xa010,00" in voucher and "2 maart" in voucher


async def test_a_retried_notice_sends_nothing(store: str, dispatcher: CollectingDispatcher) -> None:
    await ActionAnnounceDelay().run(dispatcher, notice_tracker("web:abc", earlier=1), {})
    assert dispatcher.messages == []


async def test_an_update_without_a_voucher_is_one_short_message(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    tracker = notice_tracker(
        "web:abc", notice_kind="update", notice_id="delay:7:2", voucher_code=""
    )
    await ActionAnnounceDelay().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [
        "Update over bestelling 10452: die verwachten we nu op dinsdag 8 december."
    ]

"""Detection on a real database: each delay once, a re-slip is an update, goodwill once per
order and never when cancelled, and the notice is in the outbox with the delay."""

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.delays.scan import check_orders, scan
from bot.store.delay_models import DelayEpisode, OutboxMessage, Voucher
from tests.helpers import delays as shop
from tests.helpers.delays import NOW


def outbox(session: Session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_delay_is_announced_once_however_often_it_is_seen(session: Session) -> None:
    person = shop.customer(session)
    late = shop.order(session, person, promised=dt.date(2026, 12, 3), eta=dt.date(2026, 12, 4))
    policy = shop.policy()

    first = scan(session, now=NOW, policy=policy)
    again = scan(session, now=NOW + dt.timedelta(hours=1), policy=policy)

    assert first.counts["first"] == 1 and again.counts == {"first": 0, "update": 0, "closed": 0}
    [notice] = outbox(session)
    episode = session.get(DelayEpisode, notice.episode_id)
    assert notice.intent == "EXTERNAL_delivery_delayed" and notice.status == "pending"
    assert notice.customer_id == person.id
    assert notice.entities == {
        "notice_id": f"delay:{episode.id}:1",
        "notice_kind": "first",
        "order_number": late.order_number,
        "old_date": "2026-12-03",
        "new_date": "2026-12-04",
        "reason": "carrier_delay",
        "voucher_code": "",  # one working day late: no goodwill
        "voucher_value_eur": "",
        "voucher_expires": "",
    }


def test_a_further_slip_is_a_shorter_update_with_the_new_date(session: Session) -> None:
    person = shop.customer(session)
    late = shop.order(session, person, promised=dt.date(2026, 12, 3), eta=dt.date(2026, 12, 4))
    policy = shop.policy()
    scan(session, now=NOW, policy=policy)
    late.shipments[0].eta = dt.date(2026, 12, 10)

    report = check_orders(session, orders=[late], now=NOW, policy=policy)

    assert report.counts["update"] == 1
    first, update = outbox(session)
    assert update.entities["notice_kind"] == "update"
    assert update.entities["notice_id"].endswith(":2")
    assert update.entities["new_date"] == "2026-12-10"
    # now five working days late: the update brings the voucher
    assert update.entities["voucher_code"].startswith("KR-")
    assert update.entities["voucher_value_eur"] == "10.00"
    assert session.scalar(select(func.count(DelayEpisode.id))) == 1


def test_goodwill_is_given_at_most_once_per_order(session: Session) -> None:
    person = shop.customer(session)
    late = shop.order(session, person, promised=dt.date(2026, 12, 3), eta=dt.date(2026, 12, 9))
    policy = shop.policy()
    scan(session, now=NOW, policy=policy)
    # the episode closes on delivery, and the order is late again with a second parcel
    late.shipments[0].status = "delivered"
    scan(session, now=NOW, policy=policy)
    shop_parcel = shop.order(
        session, person, promised=dt.date(2026, 12, 3), eta=dt.date(2026, 12, 9)
    )
    shop_parcel.shipments[0].order_id = late.id
    session.flush()
    session.expire_all()
    scan(session, now=NOW, policy=policy)

    vouchers = list(session.scalars(select(Voucher).where(Voucher.order_id == late.id)))
    assert len(vouchers) == 1
    codes = [m.entities["voucher_code"] for m in outbox(session) if m.entities["voucher_code"]]
    assert codes == [vouchers[0].code]
    assert vouchers[0].value_cents == 1000 and vouchers[0].expires_on == dt.date(2027, 3, 2)


def test_a_cancelled_order_gets_no_voucher_and_its_episode_closes(session: Session) -> None:
    person = shop.customer(session)
    late = shop.order(session, person, promised=dt.date(2026, 12, 1), eta=dt.date(2026, 12, 10))
    policy = shop.policy()
    scan(session, now=NOW, policy=policy)
    assert session.scalar(select(func.count(Voucher.id))) == 1
    cancelled = shop.order(
        session,
        person,
        status="cancelled",
        promised=dt.date(2026, 12, 1),
        eta=dt.date(2026, 12, 10),
    )
    late.status = "cancelled"

    report = scan(session, now=NOW, policy=policy)

    assert report.counts["closed"] == 1
    assert session.scalar(select(func.count(Voucher.id))) == 1  # none for the cancelled one
    episodes = list(session.scalars(select(DelayEpisode)))
    assert [e.closed_reason for e in episodes] == ["cancelled"]
    assert all(m.customer_id == person.id for m in outbox(session))
    assert cancelled.id not in {e.order_id for e in episodes}


def test_delivery_closes_the_episode_and_arrived_is_sent_only_when_switched_on(
    session: Session,
) -> None:
    person = shop.customer(session)
    quiet = shop.order(session, person, promised=dt.date(2026, 12, 1))
    told = shop.order(session, person, promised=dt.date(2026, 12, 1))
    scan(session, now=NOW, policy=shop.policy())
    quiet.shipments[0].status = "delivered"
    check_orders(session, orders=[quiet], now=NOW, policy=shop.policy())
    told.shipments[0].status = "delivered"
    check_orders(session, orders=[told], now=NOW, policy=shop.policy(arrived_notice=True))

    kinds = [(m.entities["order_number"], m.entities["notice_kind"]) for m in outbox(session)]
    assert kinds == [
        (quiet.order_number, "first"),
        (told.order_number, "first"),
        (told.order_number, "arrived"),
    ]
    assert session.scalar(select(func.count()).where(DelayEpisode.open_key.is_not(None))) == 0

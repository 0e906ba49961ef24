"""The refund on a return: amount, method and dates imported, shifted, and checked row by row."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.importer import ImportRowError
from bot.store import models as m
from tests.bot.importer.test_import import SMALL, run_import

HEADER = "return_code,order_number,created_at,reason,status,refund_amount,refund_method,"
HEADER += "received_at,approved_at,paid_at\n"
PAID = "RT-TEST01,50001,2026-11-05T12:00:00+01:00,past niet,refunded,109.95,klarna,"
PAID += "2026-11-07T10:00:00+01:00,2026-11-09T15:00:00+01:00,2026-11-10T09:30:00+01:00\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "import"
    shutil.copytree(SMALL, target)
    (target / "returns.csv").write_text(HEADER + PAID)
    return target


def the_return(session: Session) -> m.Return:
    return session.execute(select(m.Return)).scalar_one()


def test_refund_fields_are_imported_and_shifted(session: Session, folder: Path) -> None:
    run_import(session, folder, shift=dt.timedelta(days=2))
    ret = the_return(session)
    assert (ret.refund_amount_cents, ret.refund_method, ret.status) == (10995, "klarna", "refunded")
    assert ret.received_at == dt.datetime(2026, 11, 9, 9, 0, tzinfo=dt.timezone.utc)
    assert ret.approved_at == dt.datetime(2026, 11, 11, 14, 0, tzinfo=dt.timezone.utc)
    assert ret.paid_at == dt.datetime(2026, 11, 12, 8, 30, tzinfo=dt.timezone.utc)


def test_refund_fields_are_optional(session: Session, folder: Path) -> None:
    (folder / "returns.csv").write_text(
        "return_code,order_number,created_at,reason,status\n"
        "RT-TEST01,50001,2026-11-05T12:00:00+01:00,past niet,requested\n"
    )
    run_import(session, folder)
    ret = the_return(session)
    assert ret.refund_amount_cents is None and ret.refund_method is None
    assert ret.received_at is None and ret.paid_at is None


def test_a_refund_paid_later_is_updated_in_place(session: Session, folder: Path) -> None:
    (folder / "returns.csv").write_text(
        HEADER + "RT-TEST01,50001,2026-11-05T12:00:00+01:00,past niet,received,109.95,,"
        "2026-11-07T10:00:00+01:00,,\n"
    )
    run_import(session, folder)
    (folder / "returns.csv").write_text(HEADER + PAID)
    report = run_import(session, folder)
    assert report.kinds["returns"].updated == 1 and report.kinds["returns"].inserted == 0
    session.expire_all()
    assert the_return(session).paid_at is not None


BAD_REFUNDS = [
    # (old text, new text, words in the reason)
    ("109.95", "109.9x", "refund_amount"),
    ("klarna", "bitcoin", "refund_method"),
    ("2026-11-09T15:00:00+01:00", "2026-11-06T15:00:00+01:00", "approved_at is before received_at"),
    ("2026-11-10T09:30:00+01:00", "vorige week", "paid_at"),
    ("refunded,", "received,", "paid_at needs status refunded"),
]


@pytest.mark.parametrize(("old", "new", "reason"), BAD_REFUNDS)
def test_a_bad_refund_stops_the_import(
    session: Session, folder: Path, old: str, new: str, reason: str
) -> None:
    path = folder / "returns.csv"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(ImportRowError) as caught:
        run_import(session, folder)
    assert caught.value.path.name == "returns.csv" and caught.value.line == 2
    assert reason.lower() in caught.value.reason.lower()


def test_a_requested_return_has_no_refund_dates(session: Session, folder: Path) -> None:
    (folder / "returns.csv").write_text(
        HEADER + "RT-TEST01,50001,2026-11-05T12:00:00+01:00,past niet,requested,109.95,ideal,"
        "2026-11-07T10:00:00+01:00,,\n"
    )
    with pytest.raises(ImportRowError, match="cannot be requested"):
        run_import(session, folder)


def test_the_demo_shop_has_a_refund_in_every_stage(demo_engine) -> None:  # type: ignore[no-untyped-def]
    with Session(demo_engine) as session:
        returns = session.execute(select(m.Return)).scalars().all()
        assert {r.status for r in returns} >= {"requested", "received", "refunded"}
        assert all(r.refund_amount_cents for r in returns)
        assert any(r.status == "refunded" and r.paid_at for r in returns)

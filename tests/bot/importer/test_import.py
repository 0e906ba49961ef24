"""Importing a retailer's files: good files, every kind of bad row, idempotence."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.importer import ImportRowError, import_folder
from bot.store import models as m

SMALL = Path(__file__).resolve().parents[2] / "data" / "import_small"


def run_import(session: Session, folder: Path, **kwargs):  # type: ignore[no-untyped-def]
    if session.in_transaction():
        session.rollback()  # end the read transaction the previous assertions opened
    with session.begin():
        return import_folder(session=session, folder=folder, **kwargs)


def count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "import"
    shutil.copytree(SMALL, target)
    return target


def test_good_files_are_imported_with_types_and_defaults(session: Session, folder: Path) -> None:
    report = run_import(session, folder)

    assert report.kinds["products"].inserted == 2
    shoe = session.execute(select(m.Product).where(m.Product.sku == "T-SHOE-1")).scalar_one()
    assert shoe.price_cents == 9995 and shoe.rating == "4.4"
    assert shoe.attributes == {"weight_g": 250, "drop_mm": 8, "surface": "road"}
    assert shoe.synonyms == ["testloper", "test runner"]
    c2 = session.execute(select(m.Customer).where(m.Customer.customer_ref == "C2")).scalar_one()
    assert c2.phone == "+31687654321" and c2.language == "en"
    order = session.execute(select(m.Order).where(m.Order.order_number == "50001")).scalar_one()
    # No delivery address given: the customer's (normalised) address is copied.
    assert (order.street, order.postcode) == ("Oudegracht", "3511 AB")
    assert order.total_cents == 9995 + 2 * 1250
    assert order.placed_at.tzinfo is not None
    assert order.placed_at == dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)
    consent = session.execute(
        select(m.Consent).where(m.Consent.purpose == "marketing")
    ).scalar_one()
    # A time without offset is Amsterdam time (CET in January).
    assert consent.recorded_at == dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)


def test_reimport_changes_nothing(session: Session, folder: Path) -> None:
    run_import(session, folder)
    before = {model: count(session, model) for model in (m.Product, m.Order, m.ShipmentEvent)}

    report = run_import(session, folder)

    assert report.changed == 0
    assert all(r.inserted == 0 and r.updated == 0 for r in report.kinds.values())
    assert {model: count(session, model) for model in before} == before


def test_changed_rows_are_updated_in_place(session: Session, folder: Path) -> None:
    run_import(session, folder)
    path = folder / "variants.csv"
    path.write_text(path.read_text().replace("T-SHOE-1,43,zwart,0", "T-SHOE-1,43,zwart,7"))

    report = run_import(session, folder)

    assert report.kinds["variants"].updated == 1 and report.kinds["variants"].inserted == 0
    stock = session.execute(
        select(m.ProductVariant.stock).where(m.ProductVariant.variant == "43")
    ).scalar_one()
    assert stock == 7


def test_date_shift_moves_every_date(session: Session, folder: Path) -> None:
    run_import(session, folder, shift=dt.timedelta(days=10))
    shipment = session.execute(
        select(m.Shipment).where(m.Shipment.tracking_code == "3SKAAB000000002")
    ).scalar_one()
    assert shipment.promised_date == dt.date(2026, 12, 3)


def test_replace_history_moves_events_instead_of_adding_them(
    session: Session, folder: Path
) -> None:
    run_import(session, folder)
    report = run_import(session, folder, shift=dt.timedelta(days=3), replace_history=True)

    assert report.removed == 2
    assert count(session, m.ShipmentEvent) == 2


BAD_ROWS = [
    # (file, old text, new text, expected line, words in the reason)
    ("products.yml", 'price: "99.95"', 'price: "99,95"', 1, "price"),
    ("products.yml", "category: socks", "category: shoes", 14, "category"),
    ("products.yml", "weight_g: 250", "weight_kg: 250", 1, "weight_kg"),
    ("products.yml", "  brand: Kustlijn\n", "", 14, "brand is required"),
    ("variants.csv", "T-SHOE-1,43,zwart,0", "T-SHOE-1,43,zwart,-1", 3, "stock"),
    ("variants.csv", "T-SOCK-1,39-42,,10", "T-NOPE,39-42,,10", 4, "unknown sku"),
    ("variants.csv", "T-SHOE-1,43,zwart,0", "T-SHOE-1,42,zwart,0", 3, "duplicate of line 2"),
    ("reviews.csv", "5,nl", "6,nl", 2, "rating"),
    ("customers.csv", "sanne@example.nl", "sanne-at-example", 2, "email"),
    ("customers.csv", "+31612345678", "12345", 2, "phone"),
    ("customers.csv", "3511ab", "35111", 2, "postcode"),
    ("consents.csv", "true,2026", "maybe,2026", 2, "granted"),
    ("orders.csv", "delivered,ideal", "lost,ideal", 2, "status"),
    ("orders.csv", "2026-11-20T21:15:00+01:00", "gisteren", 3, "placed_at"),
    ("orders.csv", "50002,C2", "50002,C9", 3, "unknown customer_ref"),
    ("order_lines.csv", "50001,1,T-SHOE-1,42", "50001,1,T-SHOE-1,47", 2, "no variant '47'"),
    ("order_lines.csv", "50002,1,T-SOCK-1,,1", "50002,1,T-SOCK-1,,0", 4, "quantity"),
    ("order_lines.csv", "50002,1", "59999,1", 4, "unknown order_number"),
    ("shipments.csv", "50002,postnl", "50002,pigeon", 3, "carrier"),
    ("shipments.csv", "2026-11-23,2026-11-23", "23-11-2026,2026-11-23", 3, "promised_date"),
    (
        "shipment_events.csv",
        "3SKAAB000000001,2026-11-03",
        "3SKAAB999,2026-11-03",
        3,
        "unknown tracking_code",
    ),
    ("returns.csv", "received", "sent", 2, "status"),
    (
        "order_lines.csv",
        "50001,1,T-SHOE-1,42,1,99.95",
        "50001,1,T-SHOE-1,42,1,99.95,extra",
        2,
        "more cells",
    ),
    ("customers.csv", "customer_ref,", "customer_ref,nickname,", 2, "fewer cells"),
]


@pytest.mark.parametrize(("name", "old", "new", "line", "reason"), BAD_ROWS)
def test_a_bad_row_stops_the_import_and_writes_nothing(
    session: Session, folder: Path, name: str, old: str, new: str, line: int, reason: str
) -> None:
    path = folder / name
    assert old in path.read_text(), "the test's premise no longer holds"
    path.write_text(path.read_text().replace(old, new, 1))

    with pytest.raises(ImportRowError) as caught:
        run_import(session, folder)

    assert caught.value.path.name == name
    assert caught.value.line == line
    assert reason.lower() in caught.value.reason.lower()
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert count(session, m.Product) == 0 and count(session, m.Customer) == 0


def test_unknown_column_is_named(session: Session, folder: Path) -> None:
    path = folder / "reviews.csv"
    path.write_text(
        path.read_text().replace("text\n", "text,mood\n", 1).replace('."\n', '.",blij\n')
    )
    with pytest.raises(ImportRowError, match="unknown field.*mood"):
        run_import(session, folder)


def test_bad_row_in_a_later_file_rolls_back_earlier_files(session: Session, folder: Path) -> None:
    path = folder / "returns.csv"
    path.write_text(path.read_text().replace("received", "sent"))
    with pytest.raises(ImportRowError):
        run_import(session, folder)
    assert count(session, m.Product) == 0 and count(session, m.Order) == 0


def test_not_utf8_and_broken_yaml_are_reported(session: Session, folder: Path) -> None:
    (folder / "reviews.csv").write_bytes("sku,author\nT-SHOE-1,Zoë\n".encode("latin-1"))
    with pytest.raises(ImportRowError, match="UTF-8"):
        run_import(session, folder)
    (folder / "reviews.csv").unlink()
    (folder / "products.yml").write_text("- sku: [unclosed\n")
    with pytest.raises(ImportRowError, match="broken YAML"):
        run_import(session, folder)


def test_folder_without_import_files_is_refused(session: Session, tmp_path: Path) -> None:
    with pytest.raises(ImportRowError, match="no import files"):
        run_import(session, tmp_path)


def test_csv_and_yaml_for_one_kind_is_refused(session: Session, folder: Path) -> None:
    (folder / "variants.yml").write_text("[]\n")
    with pytest.raises(ImportRowError, match="keep one"):
        run_import(session, folder)


def test_demo_shop_covers_every_order_state(demo_engine) -> None:  # type: ignore[no-untyped-def]
    with Session(demo_engine) as session:
        states = set(session.execute(select(m.Order.status)).scalars())
        assert states == set(m.ORDER_STATUSES)
        assert count(session, m.Product) >= 40
        assert count(session, m.Customer) >= 20
        assert count(session, m.Order) >= 60


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("name_nl: Veloce Testloper", 'name_nl: "Veloce \\ud800Testloper"', "lone surrogate"),
        ("name_en: Veloce Test Runner", 'name_en: "Veloce\\0Runner"', "control character"),
        ("synonyms: [testloper, test runner]", 'synonyms: [testloper, "a\\0b"]', "control"),
        ("brand: Veloce", "brand: [Veloce, Nova]", "must be text"),
    ],
)
def test_text_no_database_can_store_stops_the_import(
    session: Session, folder: Path, old: str, new: str, reason: str
) -> None:
    """YAML escapes can spell a lone surrogate or NUL (issue #15): a bad row, not a crash."""
    path = folder / "products.yml"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(ImportRowError) as caught:
        run_import(session, folder)
    assert caught.value.path.name == "products.yml" and caught.value.line == 1
    assert reason in caught.value.reason
    assert count(session, m.Product) == 0 and count(session, m.Customer) == 0


def test_a_yaml_record_that_refers_to_itself_is_refused_not_looped(
    session: Session, folder: Path
) -> None:
    path = folder / "products.yml"
    path.write_text(
        path.read_text().replace("synonyms: [testloper, test runner]", "synonyms: &s [*s]", 1)
    )
    with pytest.raises(ImportRowError):
        run_import(session, folder)


@pytest.mark.parametrize(
    ("name", "old", "new", "reason"),
    [
        ("variants.csv", "T-SHOE-1,42,zwart,3", "T-SHOE-1,42,zwart,99999999999999999999", "above"),
        ("products.yml", 'price: "99.95"', 'price: "Infinity"', "not an amount"),
        ("products.yml", 'price: "99.95"', 'price: "1e30"', "not an amount"),
        ("products.yml", "rating: 4.4", "rating: .nan", "not between 0 and 5"),
    ],
)
def test_numbers_no_column_can_hold_are_a_bad_row_not_a_crash(
    session: Session, folder: Path, name: str, old: str, new: str, reason: str
) -> None:
    """Found by bench/fuzz: an overflowing integer and an infinite price crashed the import."""
    path = folder / name
    assert old in path.read_text(), "the test's premise no longer holds"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(ImportRowError) as caught:
        run_import(session, folder)
    assert reason in caught.value.reason
    assert count(session, m.Product) == 0


def test_yaml_nested_past_the_parsers_depth_is_a_bad_file(session: Session, folder: Path) -> None:
    path = folder / "products.yml"
    path.write_text(path.read_text().replace("rating: 4.4", "rating: " + "[" * 3000 + "]" * 3000))
    with pytest.raises(ImportRowError, match="nested too deeply"):
        run_import(session, folder)

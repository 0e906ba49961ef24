"""A retailer's own categories, attributes and shopper words are imported and checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.importer import ImportRowError, import_folder
from bot.store import models as m

SMALL = Path(__file__).resolve().parents[2] / "data" / "import_small"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "import"
    shutil.copytree(SMALL, target)
    return target


def run_import(session: Session, folder: Path) -> None:
    if session.in_transaction():
        session.rollback()
    with session.begin():
        import_folder(session=session, folder=folder)


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    assert old in path.read_text(), "the test's premise no longer holds"
    path.write_text(path.read_text().replace(old, new, 1))


def test_vocabulary_and_image_are_stored(session: Session, folder: Path) -> None:
    edit(folder, "products.yml", "  rating: 4.4\n", "  rating: 4.4\n  image_url: /img/s.svg\n")

    run_import(session, folder)

    socks = session.execute(select(m.Category).where(m.Category.key == "socks")).scalar_one()
    assert (socks.name("nl"), socks.name("en"), socks.words_nl) == ("Sokken", "Socks", ["sok"])
    surface = session.execute(
        select(m.AttributeDefinition).where(m.AttributeDefinition.key == "surface")
    ).scalar_one()
    assert surface.type == "text"
    assert surface.values["road"] == {
        "name_nl": "weg",
        "name_en": "road",
        "words_nl": ["weg", "straat"],
        "words_en": ["road"],
    }
    shoe = session.execute(select(m.Product).where(m.Product.sku == "T-SHOE-1")).scalar_one()
    assert shoe.image_url == "/img/s.svg"


def test_categories_as_csv_with_words_separated_by_bars(session: Session, folder: Path) -> None:
    (folder / "categories.yml").unlink()
    (folder / "categories.csv").write_text(
        "key,name_nl,name_en,words_nl,words_en\n"
        "running_shoes,Hardloopschoenen,Running shoes,hardloopschoen|loopschoen,running shoe\n"
        "socks,Sokken,Socks,sok,sock\n",
        encoding="utf-8",
    )
    run_import(session, folder)
    shoes = session.execute(
        select(m.Category).where(m.Category.key == "running_shoes")
    ).scalar_one()
    assert shoes.words_nl == ["hardloopschoen", "loopschoen"]


BAD_ROWS = [
    # (file, old text, new text, expected line, words in the reason)
    ("products.yml", "category: socks", "category: shoes", 14, "add it to categories.yml"),
    ("products.yml", "weight_g: 250", "weight_kg: 250", 1, "define it in attributes.yml"),
    ("products.yml", "surface: road", "surface: gravel", 1, "not one of road, trail"),
    ("products.yml", "weight_g: 250", "weight_g: heavy", 1, "attributes.weight_g"),
    ("products.yml", "  rating: 4.4\n", "  rating: 4.4\n  image_url: ftp://x\n", 1, "https://"),
    ("categories.yml", "key: socks", "key: Socks!", 6, "lower-case letters"),
    ("categories.yml", "words_nl: [sok]", "words_nl: [loopschoen]", 6, "already a word of"),
    ("categories.yml", "words_nl: [sok]", 'words_nl: ["{n} sokken"]', 6, "number attribute"),
    ("attributes.yml", "type: number\n  unit: g", "type: weight\n  unit: g", 1, "type"),
    ("attributes.yml", "words_nl: [trail]", "words_nl: [weg]", 11, "already a word of"),
    ("attributes.yml", "  values:\n", "  words_nl: [ondergrond]\n  valuez:\n", 11, "valuez"),
    # A definition that no longer fits the products: the product is the bad row.
    ("attributes.yml", "type: number\n  unit: mm", "type: bool\n  unit: mm", 1, "drop_mm"),
    ("attributes.yml", "{name_nl: trail,", "{naam: trail,", 11, "unknown field(s) naam"),
    (
        "attributes.yml",
        "name_en: drop\n",
        'name_en: drop\n  words_nl: ["{n}"]\n',
        6,
        "only a number",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "line", "reason"), BAD_ROWS)
def test_a_bad_vocabulary_row_says_where_and_what_to_do(
    session: Session, folder: Path, name: str, old: str, new: str, line: int, reason: str
) -> None:
    edit(folder, name, old, new)

    with pytest.raises(ImportRowError) as caught:
        run_import(session, folder)

    bad_file = "products.yml" if reason == "drop_mm" else name
    assert (caught.value.path.name, caught.value.line) == (bad_file, line)
    assert reason.lower() in caught.value.reason.lower()
    assert session.execute(select(m.Category)).first() is None


def test_values_only_for_text_attributes(session: Session, folder: Path) -> None:
    edit(folder, "attributes.yml", "key: surface\n  type: text", "key: surface\n  type: bool")
    with pytest.raises(ImportRowError, match="only a text attribute has values"):
        run_import(session, folder)


def test_a_text_attribute_without_values_cannot_have_words(session: Session, folder: Path) -> None:
    with (folder / "attributes.yml").open("a", encoding="utf-8") as handle:
        handle.write("- {key: material, type: text, name_nl: materiaal, name_en: material,\n")
        handle.write("   words_nl: [materiaal]}\n")
    with pytest.raises(ImportRowError, match="give the words per value"):
        run_import(session, folder)


def test_demo_vocabulary(demo_engine) -> None:  # type: ignore[no-untyped-def]
    with Session(demo_engine) as session:
        keys = set(session.execute(select(m.Category.key)).scalars())
        assert len(keys) == 12 and {"tents", "sup_boards", "accessories"} <= keys
        season = session.execute(
            select(m.AttributeDefinition).where(m.AttributeDefinition.key == "season")
        ).scalar_one()
        assert set(season.values) == {
            "summer",
            "spring_autumn",
            "three_season",
            "four_season",
            "winter",
        }
        products = session.execute(select(m.Product)).scalars().all()
        assert all(p.image_url == f"/demo/images/{p.sku}.svg" for p in products)
        # Generic words are category words now, no longer names of one product.
        assert not any("hardloopschoenen" in p.synonyms for p in products)

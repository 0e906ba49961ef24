"""Any retailer's catalogue: a kitchenware shop's own categories, attributes and words are
recognised after `import`, with no code change and no retraining."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.importer import import_folder
from bot.nlu.matcher import CatalogueMatcher
from bot.nlu.patterns import build_patterns, write_patterns
from bot.store import migrate
from bot.store import models as m
from bot.store.db import make_engine

KITCHEN = Path(__file__).resolve().parents[2] / "fixtures" / "kitchen"


@pytest.fixture(scope="module")
def kitchen_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('kitchen') / 'kookpunt.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        import_folder(session=session, folder=KITCHEN)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def kitchen(kitchen_db: str) -> CatalogueMatcher:
    engine = make_engine(kitchen_db)
    with Session(engine) as session:
        return CatalogueMatcher(build_patterns(session=session))


def facts(matcher: CatalogueMatcher, text: str) -> set[tuple[str, str]]:
    return {(f.entity, f.value) for f in matcher.find(text)}


def test_the_kitchen_catalogue_is_stored_as_its_own(kitchen_db: str) -> None:
    with Session(make_engine(kitchen_db)) as session:
        assert set(session.execute(select(m.Category.key)).scalars()) == {
            "pans",
            "knives",
            "coffee_makers",
            "kettles",
        }
        pan = session.execute(select(m.Product).where(m.Product.sku == "KP-PAN-001")).scalar_one()
        assert pan.attributes == {
            "material": "cast_iron",
            "diameter_cm": 28,
            "induction": True,
            "dishwasher_safe": False,
        }
        assert pan.image_url == "https://kookpunt.example/img/KP-PAN-001.jpg"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "hebben jullie een gietijzeren koekenpan voor inductie?",
            {
                ("category", "pans"),
                ("attribute", "material=cast_iron"),
                ("attribute", "induction=true"),
            },
        ),
        (
            "a cast iron skillet that works on induction",
            {
                ("category", "pans"),
                ("attribute", "material=cast_iron"),
                ("attribute", "induction=true"),
            },
        ),
        (
            "welke pannen kunnen in de vaatwasser",
            {("category", "pans"), ("attribute", "dishwasher_safe=true")},
        ),
        ("een koekenpan van 28 cm", {("category", "pans"), ("attribute", "diameter_cm=28")}),
        (
            "rvs pannen onder de 50 euro",
            {("attribute", "material=stainless_steel"), ("price_max", "5000")},
        ),
        ("hebben jullie messen?", {("category", "knives")}),
        ("a good chef's knife under €100", {("category", "knives"), ("price_max", "10000")}),
        ("the cheapest espresso machine", {("category", "coffee_makers"), ("sort", "cheapest")}),
        (
            "een koffiezetapparaat van 1,5 liter",
            {("category", "coffee_makers"), ("attribute", "capacity_l=1.5")},
        ),
        ("waterkokers met minstens 4 sterren", {("category", "kettles"), ("rating_min", "4")}),
        ("wat kost de Vulcano wok?", {("product", "KP-PAN-004"), ("product_aspect", "price")}),
        (
            "is de Filtro vaatwasserbestendig",
            {("product", "KP-COF-002"), ("attribute", "dishwasher_safe=true")},
        ),
        ("keramishe pan", {("category", "pans"), ("attribute", "material=ceramic")}),  # typo
    ],
)
def test_kitchen_words_give_the_facts(
    kitchen: CatalogueMatcher, text: str, expected: set[tuple[str, str]]
) -> None:
    assert expected <= facts(kitchen, text)


def test_outdoor_words_mean_nothing_in_a_kitchen_shop(kitchen: CatalogueMatcher) -> None:
    found = facts(kitchen, "waterdichte wandelschoenen voor twee personen")
    assert not {entity for entity, _ in found} & {"category", "attribute", "product"}


def test_the_extractor_picks_up_an_import_without_retraining(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.components import CatalogueEntityExtractor

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    patterns_file = tmp_path / "patterns.json"
    with Session(engine) as session:
        write_patterns(session=session, path=patterns_file)  # an empty shop
    monkeypatch.setattr(CatalogueEntityExtractor, "CHECK_EVERY_S", 0.0)
    extractor = CatalogueEntityExtractor({"patterns_file": str(patterns_file)})

    def catalogue(text: str) -> set[tuple[str, str]]:
        (message,) = extractor.process([Message(data={"text": text})])
        facts: list[dict[str, Any]] = message.get("catalogue")
        return {(f["entity"], f["value"]) for f in facts}

    assert ("category", "pans") not in catalogue("hebben jullie gietijzeren pannen?")

    with Session(engine) as session, session.begin():
        import_folder(session=session, folder=KITCHEN)
    with Session(engine) as session:
        write_patterns(session=session, path=patterns_file)
    later = patterns_file.stat().st_mtime + 1
    os.utime(patterns_file, (later, later))  # a file system with coarse timestamps

    assert {("category", "pans"), ("attribute", "material=cast_iron")} <= catalogue(
        "hebben jullie gietijzeren pannen?"
    )
    assert json.loads(patterns_file.read_text(encoding="utf-8"))["categories"]["pans"]


def test_the_fashion_example_in_the_docs_works_as_written(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "data-format.md").read_text("utf-8")
    block = doc.split("## Another kind of shop", 1)[1].split("```yaml\n", 1)[1].split("```")[0]
    folder = tmp_path / "fashion"
    folder.mkdir()
    for part in ("\n" + block).split("\n# ")[1:]:  # one file after each '# name.yml'
        name, _, body = part.partition("\n")
        (folder / name.strip()).write_text(body, encoding="utf-8")
    engine = make_engine(f"sqlite:///{tmp_path / 'fashion.db'}")
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        import_folder(session=session, folder=folder)
    with Session(engine) as session:
        matcher = CatalogueMatcher(build_patterns(session=session))

    assert {
        ("category", "dresses"),
        ("attribute", "fit=relaxed"),
        ("attribute", "organic=true"),
        ("price_max", "7000"),
    } <= facts(matcher, "een ruimvallende jurk van biologisch katoen onder de 70 euro")
    assert {("category", "jeans"), ("attribute", "fit=slim")} <= facts(matcher, "skinny jeans")


def test_the_kitchen_shop_gets_search_answers_and_cards_with_no_code_change(
    kitchen_db: str, kitchen: CatalogueMatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the shopper's words to an answer with cards, in the shop's own words: the matcher's
    facts, the search action and the cards, on the imported kitchen catalogue."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions import common
    from actions.product_search import search_reply
    from tests.helpers.trackers import make_tracker

    monkeypatch.setenv("DATABASE_URL", kitchen_db)
    common._store.cache_clear()
    text = "hebben jullie een gietijzeren koekenpan voor inductie?"
    tracker = make_tracker(text=text, intent="product_question", slots={"language": "nl"})
    tracker.latest_message["catalogue"] = [f.as_rasa() for f in kitchen.find(text)]
    dispatcher = CollectingDispatcher()
    try:
        with common.store_session() as session:
            events = search_reply(dispatcher, tracker, session=session, language="nl")
    finally:
        common._store.cache_clear()
    assert events is not None
    (message,) = dispatcher.messages
    cards = message["custom"]["cards"]
    assert [c["sku"] for c in cards][0] == "KP-PAN-001"
    assert cards[0]["image"] == "https://kookpunt.example/img/KP-PAN-001.jpg"
    reason = cards[0]["reason"] or ""
    assert "gietijzer" in reason and "inductie" in reason  # the shop's words, not its keys
    assert "cast_iron" not in message["text"]

"""The retailer's facts in the texts: a second retailer file rebrands the bot, no retraining."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.handoff.policy import load_policy
from bot.settings import PROJECT_ROOT
from bot.texts import render
from bot.texts.facts import euro_text, opening_hours_text, reload

RETAILER = PROJECT_ROOT / "config" / "retailer.yml"


def other_retailer(folder: Path) -> Path:
    data = yaml.safe_load(RETAILER.read_text(encoding="utf-8"))
    data.update(shop_name="Fietsfabriek", free_shipping_from_eur=75, return_days=60)
    data["shipping_costs_eur"] = {"standard": 5, "evening": 3.5, "same_day": 9.95}
    data["handoff"]["opening_hours"] = {
        "mon": "09:00-17:30",
        "tue": "09:00-17:30",
        "wed": "09:00-17:30",
        "thu": "09:00-21:00",
        "fri": "09:00-17:30",
        "sat": "closed",
        "sun": "closed",
    }
    path = folder / "retailer.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def rebranded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = other_retailer(tmp_path)
    monkeypatch.setenv("KLANTREIS_RETAILER_FILE", str(path))
    reload()
    yield path
    monkeypatch.undo()
    reload()


def test_the_demo_shop_reads_as_before() -> None:
    hours = load_policy(RETAILER).opening_hours
    assert opening_hours_text(hours, "nl") == (
        "van maandag t/m vrijdag van 8:30 tot 20:00 en op zaterdag van 9:00 tot 17:00; "
        "op zondag zijn we dicht"
    )
    assert opening_hours_text(hours, "en") == (
        "Monday to Friday from 8:30 to 20:00 and on Saturday from 9:00 to 17:00; "
        "we're closed on Sunday"
    )
    assert render("greet", "nl")["text"].startswith(
        "Hoi! Ik ben de digitale assistent van Trek & Peddel."
    )
    assert render("utter_faq/shipping_costs", "nl")["text"].startswith(
        "Vanaf €50 verzenden we je bestelling gratis, daaronder betaal je €4,95 verzendkosten."
    )
    assert (
        "from €50; below that we charge €4.95" in render("utter_faq/shipping_costs", "en")["text"]
    )


def test_a_second_retailer_file_changes_the_replies(rebranded: Path) -> None:
    assert "digitale assistent van Fietsfabriek" in render("greet", "nl")["text"]
    assert "Fietsfabriek gift card" in render("utter_faq/payment_methods", "en")["text"]
    shipping = render("utter_faq/shipping_costs", "nl")["text"]
    assert "Vanaf €75" in shipping and "€5 verzendkosten" in shipping and "€9,95" in shipping
    hours = render("utter_faq/opening_hours", "en")["text"]
    assert "Monday to Wednesday from 9:00 to 17:30, on Thursday from 9:00 to 21:00 and on " in hours
    assert "Friday from 9:00 to 17:30; we're closed on Saturday and Sunday" in hours
    assert "Je hebt 60 dagen bedenktijd" in render("utter_faq/returns_policy", "nl")["text"]


def test_euros_are_written_as_shops_write_them() -> None:
    assert euro_text(50, "nl") == "€50"
    assert euro_text(4.95, "nl") == "€4,95"
    assert euro_text(4.95, "en") == "€4.95"
    assert euro_text(1250, "en") == "€1,250"

"""Generic shopper vocabulary (categories, aspects, colours) in Dutch and English.

Product names, brands, models and sizes come from the catalogue (bot.nlu.patterns);
these are the everyday words around them.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "running_shoes": (
        "hardloopschoenen",
        "hardloopschoen",
        "loopschoenen",
        "running shoes",
        "running shoe",
        "runners",
        "sneakers",
        "hardloop schoenen",
    ),
    "trail_shoes": (
        "trailschoenen",
        "trailschoen",
        "trail schoenen",
        "trail shoes",
        "trail shoe",
        "trailrunners",
        "trail running shoes",
    ),
    "socks": ("sokken", "sok", "hardloopsokken", "socks", "sock"),
    "insoles": ("inlegzolen", "inlegzool", "zolen", "insoles", "insole"),
    "tents": ("tent", "tenten", "tents", "koepeltent", "tunneltent"),
    "sleeping_bags": ("slaapzak", "slaapzakken", "sleeping bag", "sleeping bags", "sleepingbag"),
    "sup_boards": (
        "sup",
        "supboard",
        "sup board",
        "sup-board",
        "suppen",
        "supboards",
        "paddleboard",
        "paddle board",
        "stand-up paddle board",
        "stand up paddle board",
    ),
    "paddles": ("peddel", "peddels", "paddle", "paddles"),
    "wetsuits": ("wetsuit", "wetsuits", "wetsuite", "duikpak", "surfpak"),
    "rain_jackets": (
        "regenjas",
        "regenjassen",
        "regenjack",
        "regenjasje",
        "rain jacket",
        "raincoat",
        "rain coat",
        "jas",
        "jacket",
        "regenbroek",
        "rain trousers",
    ),
    "care": (
        "impregneerspray",
        "schoenreiniger",
        "wasmiddel",
        "onderhoud",
        "shoe cleaner",
        "waterproofing spray",
        "care products",
    ),
    "accessories": (
        "hoofdlamp",
        "slaapmat",
        "drybag",
        "hardloopvest",
        "head torch",
        "headlamp",
        "sleeping mat",
        "dry bag",
    ),
}

ASPECT_WORDS: dict[str, tuple[str, ...]] = {
    "price": (
        "prijs",
        "kost",
        "kosten",
        "wat kost",
        "hoeveel kost",
        "duur",
        "goedkoop",
        "goedkoopste",
        "euro",
        "price",
        "cost",
        "costs",
        "how much",
        "cheap",
        "cheapest",
        "expensive",
        "korting",
        "discount",
        "aanbieding",
        "sale",
    ),
    "stock": (
        "voorraad",
        "op voorraad",
        "leverbaar",
        "beschikbaar",
        "uitverkocht",
        "hebben jullie nog",
        "nog te krijgen",
        "in stock",
        "available",
        "availability",
        "sold out",
        "out of stock",
        "do you have",
        "heb je",
        "hebben jullie",
    ),
    "sizes": (
        "maten",
        "welke maten",
        "valt klein",
        "valt groot",
        "valt die",
        "pasvorm",
        "sizes",
        "sizing",
        "what sizes",
        "runs small",
        "runs large",
        "run small",
        "run large",
        "runs big",
        "run big",
        "size up",
        "true to size",
        "valt hij klein",
        "valt ie klein",
        "fit",
        "maattabel",
        "size chart",
    ),
    "specs": (
        "gewicht",
        "weegt",
        "zwaar",
        "licht",
        "waterdicht",
        "waterproof",
        "materiaal",
        "material",
        "specs",
        "specificaties",
        "afmetingen",
        "dimensions",
        "lengte",
        "length",
        "drop",
        "weight",
        "heavy",
        "how heavy",
        "hoe zwaar",
        "warm",
        "temperatuur",
        "temperature",
        "comfort",
        "dikte",
        "thickness",
        "inhoud",
        "volume",
        "hoeveel personen",
        "how many people",
        "draagvermogen",
        "max load",
        "eigenschappen",
        "features",
        "details",
    ),
    "compare": (
        "verschil",
        "vergelijk",
        "vergelijken",
        "versus",
        "vs",
        "beter",
        "of de",
        "difference",
        "compare",
        "comparison",
        "better",
        "which is better",
        "welke is beter",
    ),
    "reviews": (
        "review",
        "reviews",
        "beoordeling",
        "beoordelingen",
        "ervaring",
        "ervaringen",
        "wat vinden",
        "rating",
        "ratings",
        "sterren",
        "stars",
        "recensie",
        "recensies",
        "what do people think",
        "opinions",
        "any good",
    ),
}

# Dutch colour names as stored on variants, with the English words shoppers use.
COLOUR_WORDS: dict[str, tuple[str, ...]] = {
    "zwart": ("zwart", "zwarte", "black"),
    "wit": ("wit", "witte", "white"),
    "grijs": ("grijs", "grijze", "grey", "gray"),
    "blauw": ("blauw", "blauwe", "blue"),
    "donkerblauw": ("donkerblauw", "donkerblauwe", "navy", "dark blue"),
    "rood": ("rood", "rode", "red"),
    "groen": ("groen", "groene", "green"),
    "geel": ("geel", "gele", "yellow"),
    "oranje": ("oranje", "orange"),
    "roze": ("roze", "pink"),
    "paars": ("paars", "paarse", "purple"),
    "bruin": ("bruin", "bruine", "brown"),
    "beige": ("beige",),
    "khaki": ("khaki", "kaki", "olijfgroen", "olive"),
    "turquoise": ("turquoise", "turkoois"),
}

LETTER_SIZES = ("xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl")
SIZE_WORDS = {"small": "S", "medium": "M", "large": "L", "extra large": "XL"}


def _spacy_stop_words(language: str) -> set[str]:
    """spaCy's stop-word list, read without importing spaCy (which would pull in TensorFlow)."""
    spec = importlib.util.find_spec("spacy")
    assert spec is not None and spec.submodule_search_locations, "spaCy is not installed"
    path = Path(next(iter(spec.submodule_search_locations))) / "lang" / language / "stop_words.py"
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return set(namespace["STOP_WORDS"])  # type: ignore[call-overload]


@lru_cache(maxsize=2)
def stop_words(language: str) -> frozenset[str]:
    return frozenset(_spacy_stop_words(language))


@lru_cache(maxsize=1)
def everyday_words() -> frozenset[str]:
    """Common Dutch and English words and our shop vocabulary: never product typos."""
    words = set(stop_words("nl")) | set(stop_words("en"))
    for table in (CATEGORY_WORDS, ASPECT_WORDS, COLOUR_WORDS):
        for values in table.values():
            words.update(w for phrase in values for w in phrase.split())
    return frozenset(words)

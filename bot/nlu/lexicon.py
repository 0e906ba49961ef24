"""Generic shopper vocabulary (aspects, colours, sorting, references) in Dutch and English.

Product names, brands, sizes, categories and attributes with their shopper words come from
the retailer's catalogue (bot.nlu.patterns); these are the everyday words around them,
the same for every shop.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

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
        "sizes",
        "sizing",
        "what sizes",
        "maattabel",
        "size chart",
    ),
    # how it fits ('valt ie klein?'): what wearers say, not the list of sizes
    "fit": (
        "valt klein",
        "valt groot",
        "valt smal",
        "valt ruim",
        "valt die",
        "valt hij klein",
        "valt ie klein",
        "valt hij groot",
        "valt ie groot",
        "pasvorm",
        "runs small",
        "runs large",
        "run small",
        "run large",
        "runs big",
        "run big",
        "size up",
        "true to size",
        "fit",
        "how does it fit",
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

# "de goedkoopste", "the best one": how the shopper wants a list ordered.
SORT_WORDS: dict[str, tuple[str, ...]] = {
    "cheapest": (
        "goedkoopste",
        "de goedkoopste",
        "het goedkoopst",
        "het goedkoopste",
        "laagste prijs",
        "cheapest",
        "the cheapest",
        "cheapest one",
        "lowest price",
        "least expensive",
    ),
    "best": (
        "de beste",
        "het beste",
        "het best",
        "beste keuze",
        "best beoordeeld",
        "best beoordeelde",
        "hoogst gewaardeerd",
        "hoogst gewaardeerde",
        "the best",
        "best one",
        "is best",
        "best rated",
        "top rated",
        "highest rated",
    ),
    "lightest": (
        "lichtste",
        "de lichtste",
        "het lichtst",
        "het lichtste",
        "lightest",
        "the lightest",
        "lightest one",
        # 'een hele lichte regenjas': light is what they want, so the lightest first
        "lichte",
        "heel licht",
        "erg licht",
        "lightweight",
        "really light",
        "very light",
        "super light",
    ),
}

# Words that point at a product or list already in the conversation.
REFERENCE_WORDS: dict[str, tuple[str, ...]] = {
    "it": ("die", "deze", "het", "hem", "dat model", "it", "that one", "this one", "that model"),
    "first": ("de eerste", "het eerste", "nummer 1", "the first", "first one", "number 1"),
    "second": ("de tweede", "het tweede", "nummer 2", "the second", "second one", "number 2"),
    "third": ("de derde", "het derde", "nummer 3", "the third", "third one", "number 3"),
    "cheaper": (
        "iets goedkopers",
        "goedkoper",
        "een goedkopere",
        "something cheaper",
        "cheaper",
        "a cheaper one",
    ),
    "better": ("iets beters", "een betere", "something better", "a better one"),
    "lighter": ("iets lichters", "lichter", "een lichtere", "something lighter", "lighter"),
}

# "goed beoordeeld": at least four stars.
RATING_WORDS: dict[str, tuple[str, ...]] = {
    "4": (
        "goed beoordeeld",
        "goed beoordeelde",
        "goede reviews",
        "goede recensies",
        "goede beoordelingen",
        "hoog gewaardeerd",
        "hoog gewaardeerde",
        "well rated",
        "well reviewed",
        "highly rated",
        "good reviews",
        "good ratings",
    ),
}

# Numbers shoppers write as words; "een"/"a" only count before a unit ("eenpersoons").
NUMBER_WORDS: dict[str, int] = {
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
}
ARTICLE_NUMBERS: dict[str, int] = {"een": 1}

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
    """Common Dutch and English words and the shop vocabulary above: never product typos."""
    words = set(stop_words("nl")) | set(stop_words("en"))
    for table in (ASPECT_WORDS, COLOUR_WORDS, SORT_WORDS, REFERENCE_WORDS, RATING_WORDS):
        for values in table.values():
            words.update(w for phrase in values for w in phrase.split())
    return frozenset(words)

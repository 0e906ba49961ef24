"""Things the shop does not sell: "do you sell laptops?" gets an honest no, not a guess.

`unsold_thing` finds the thing a shopper asks the shop to sell ("verkopen jullie fietsen?" →
"fietsen") and says whether the catalogue knows it. It is asked only about a product question
whose words the catalogue recogniser found nothing in (no product, category, brand or attribute),
and it steps aside for order and service words ("hebben jullie mijn pakket al verstuurd?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.language import LANGUAGES
from bot.nlu.lexicon import stop_words
from bot.store.catalogue import closest_products
from bot.store.models import Product
from bot.store.vocabulary import categories as shop_categories

# How shoppers ask whether a shop sells something; the thing follows.
ASKING = {
    "nl": (
        r"verko(?:op|pen) (?:jullie|je|u)",
        r"(?:hebben|heb) (?:jullie|je|u)",
        r"kan (?:ik|je) (?:bij jullie|hier)",
        r"zijn er (?:bij jullie )?(?:ook )?",
        r"doen jullie (?:ook )?in",
        r"hebben jullie",
    ),
    "en": (
        r"do you(?: guys)? (?:sell|have|stock|carry|do)",
        r"(?:can|could) i (?:buy|get|order)",
        r"have you got",
        r"you(?: guys)? sell",
        r"are there any",
    ),
}
# Words around the thing that are not it (verbs, fillers) beyond the stop words.
FILLERS = frozenset(
    {
        "ook",
        "nog",
        "misschien",
        "eigenlijk",
        "soms",
        "kopen",
        "bestellen",
        "krijgen",
        "verkopen",
        "ergens",
        "iets",
        "wat",
        "also",
        "still",
        "maybe",
        "perhaps",
        "buy",
        "order",
        "get",
        "sell",
        "any",
        "some",
        "something",
        "anything",
        "stuff",
        "things",
        "goedkoper",
        "goedkopers",
        "duurder",
        "duurders",
        "lichter",
        "lichters",
        "beter",
        "beters",
        "anders",
        "andere",
        "cheaper",
        "better",
        "lighter",
        "else",
        "other",
    }
)
# Order and service words: a question about these is not about a product range.
SERVICE = frozenset(
    {
        "bestelling",
        "bestellingen",
        "order",
        "orders",
        "pakket",
        "pakketje",
        "pakketten",
        "retour",
        "retouren",
        "retourneren",
        "levering",
        "bezorging",
        "verzending",
        "verzendkosten",
        "betaling",
        "factuur",
        "korting",
        "kortingscode",
        "cadeaubon",
        "cadeaubonnen",
        "cadeaukaart",
        "winkel",
        "winkels",
        "filiaal",
        "vestiging",
        "openingstijden",
        "klantenservice",
        "medewerker",
        "account",
        "garantie",
        "nieuwsbrief",
        "vraag",
        "vragen",
        "tijd",
        "parcel",
        "package",
        "packages",
        "delivery",
        "shipping",
        "return",
        "returns",
        "refund",
        "payment",
        "invoice",
        "discount",
        "voucher",
        "vouchers",
        "card",
        "cards",
        "giftcard",
        "giftcards",
        "store",
        "stores",
        "shop",
        "branch",
        "hours",
        "service",
        "agent",
        "warranty",
        "newsletter",
        "question",
        "questions",
        "time",
    }
)
MAX_WORDS = 4
MAX_LETTERS = 30  # no word is longer ('x' * 10_000 is not a thing to sell)
ARTICLES = frozenset({"een", "de", "het", "die", "deze", "a", "an", "the", "these", "those"})


def asked_thing(text: str, language: str) -> str | None:
    """The thing in 'verkopen jullie ook fietsen?' ('fietsen'); None when there is none."""
    lowered = " ".join(text.lower().split())
    for lang in (language, *(lang for lang in LANGUAGES if lang != language)):
        for pattern in ASKING.get(lang, ()):
            found = re.search(rf"(?<!\w){pattern}(?!\w)(.*)", lowered)
            if found:
                return _head(found.group(1), lang)
    return None


def _head(rest: str, language: str) -> str | None:
    """The words right after the question: 'een laptop voor mijn zoon' → 'laptop'. A thing
    after a preposition ('anything for a long day') is a need, not a thing."""
    stop = stop_words(language)
    words: list[str] = []
    for word in re.findall(r"[^\W_]+(?:-[^\W_]+)*", rest):
        if not words and (word in FILLERS or word in ARTICLES):
            continue
        if word in stop or word in FILLERS or word.isdigit():
            if words:
                break
            return None
        words.append(word)
    if not words or len(words) > MAX_WORDS or max(map(len, words)) > MAX_LETTERS:
        return None
    if SERVICE & set(words):
        return None
    return " ".join(words)


def unsold_thing(*, session: Session, text: str, language: str) -> str | None:
    """The thing the shopper asks for when the shop sells nothing like it, else None."""
    thing = asked_thing(text, language)
    if thing is None or _known(session, thing.split()):
        return None
    return thing


def _known(session: Session, words: Sequence[str]) -> bool:
    if closest_products(session=session, words=words, limit=1):
        return True
    brands = {b.lower() for b in session.execute(select(Product.brand).distinct()).scalars()}
    if brands & set(words):
        return True
    defined = shop_categories(session=session)
    names = {key.replace("_", " ") for key in categories(session)}
    for category in defined.values():
        names |= {category.name_nl, category.name_en, *category.words_nl, *category.words_en}
    names = {name.lower() for name in names}
    thing = " ".join(words)
    return any(thing in name or name in thing for name in names)


def categories(session: Session) -> list[str]:
    """The category keys the shop sells, in a stable order."""
    query = select(Product.category).distinct().order_by(Product.category)
    return list(session.execute(query).scalars())

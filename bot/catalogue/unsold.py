"""Things the shop does not sell: "do you sell laptops?" gets an honest no, not a guess.

`unsold_thing` finds the thing a shopper asks the shop to sell ("verkopen jullie fietsen?" →
"fietsen") and says whether the catalogue knows it. It is asked only about a product question
whose words the catalogue recogniser found nothing in (no product, category, brand or attribute),
and it steps aside for order and service words ("hebben jullie mijn pakket al verstuurd?").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.language import LANGUAGES
from bot.nlu.forms import word_forms
from bot.nlu.lexicon import stop_words
from bot.store.models import Product
from bot.store.vocabulary import categories as shop_categories

# How shoppers ask whether a shop sells something; the thing follows.
ASKING = {
    "nl": (
        r"verko(?:op|pen) (?:jullie|je|u)",
        r"(?:hebben|heb) (?:jullie|je|u)",
        r"kan (?:ik|je) (?:bij jullie|hier)",
        # 'kan ik een kajak kopen', 'is het mogelijk om een fiets te bestellen': a buying verb
        # later in the sentence makes the words after 'kan ik' the thing.
        r"kan (?:ik|je)(?: ergens| online)?(?=.*\b(?:kopen|bestellen|aanschaffen)\b)",
        r"is het mogelijk(?: om)?(?=.*\bte (?:kopen|bestellen)\b)",
        r"zijn er (?:bij jullie )?(?:ook )?",
        r"doen jullie (?:ook )?in",
        r"hebben jullie",
        r"(?:ik )?(?:ben )?op zoek naar",
        r"ik zoek",
        r"is er (?:hier )?(?:ook )?",
    ),
    "en": (
        r"do you(?: guys)? (?:sell|have|stock|carry|do)",
        r"(?:can|could) i (?:buy|get|order)",
        r"have you got",
        r"you(?: guys)? sell",
        r"are there any",
        r"(?:i'?m |i am )?looking for",
        r"got any",
        r"any chance (?:of|you sell|you have)",
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
        "aanschaffen",
        "online",
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
TARGET_GROUPS = frozenset(
    {"heren", "dames", "kinderen", "kids", "men", "women", "mens", "womens", "junior"}
)
DEFINITE = frozenset({"de", "het", "the"})
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
    after a preposition ('anything for a long day') is a need, not a thing; one after 'de' or
    'the' is one product by name ('hebben jullie de Trailmaster?'), not a kind of thing."""
    stop = stop_words(language)
    words: list[str] = []
    for word in re.findall(r"[^\W_]+(?:-[^\W_]+)*", rest):
        if not words and word in DEFINITE:
            return None
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


def unsold_thing(
    *, session: Session, text: str, language: str, known_words: Iterable[str] = ()
) -> str | None:
    """The thing the shopper asks for when the shop sells nothing like it, else None.
    `known_words` are words the recogniser already placed ('waterdichte'): not the thing."""
    thing = asked_thing(text, language)
    if thing is None:
        return None
    skip = {w.lower() for w in known_words}
    words = [w for w in thing.split() if w not in skip]
    if not words or _known(session, " ".join(words)):
        return None
    return " ".join(words)


def _known(session: Session, thing: str) -> bool:
    """Does the shop sell this kind of thing? Yes when a category word or the head noun of a
    product's name is the thing or a kind of it: 'schoenen' (a 'hardloopschoen'), 'lamp' (a
    'hoofdlamp'), 'boots' ('hiking boot'). Not when the thing is only a product's modifier
    ('kajak' of 'kajakpeddel') or a more special kind ('voetbalschoenen', 'ski boots')."""
    brands = {b.lower() for b in session.execute(select(Product.brand).distinct()).scalars()}
    if brands & set(thing.split()):
        return True
    category_words = _category_words(session)
    names = [
        (name, brand)
        for name_nl, name_en, brand in session.execute(
            select(Product.name_nl, Product.name_en, Product.brand)
        )
        for name in (name_nl, name_en)
    ]
    kinds = _forms(category_words | {h for n, b in names if (h := _product_head(n, b))})
    variants = {thing, thing.replace("-", " "), thing.replace(" ", "")}
    if any(kind.endswith(v) for kind in kinds for v in variants if len(v) >= 3):
        return True
    return any(_names_model(thing, name.lower(), _forms(category_words)) for name, _ in names)


def _names_model(thing: str, name: str, category_words: set[str]) -> bool:
    """Is the thing the model name in a product's name ('trailblazer' in 'Veloce Trailblazer
    GTX'), rather than what the product is for ('kayak' in 'Kayak paddle')?"""
    for form in _singulars(thing):
        found = re.search(rf"(?<!\w){re.escape(form)}(?!\w)\s*(.*)", name)
        if found is not None:
            after = found.group(1).split()
            return not (after and after[0] in category_words)
    return False


def _singulars(thing: str) -> set[str]:
    """The thing and what it is without a plural ending: 'kajaks' → 'kajak', 'boots' → 'boot'."""
    ends = ("s", "en", "es")
    return {thing, *(thing[: -len(end)] for end in ends if thing.endswith(end) and len(thing) > 4)}


def _category_words(session: Session) -> set[str]:
    """The category names and words the shop defined, and its category keys as words."""
    phrases = {key.replace("_", " ") for key in categories(session)}
    for category in shop_categories(session=session).values():
        phrases |= {category.name_nl, category.name_en, *category.words_nl, *category.words_en}
    return {p.lower() for p in phrases}


def _forms(phrases: Iterable[str]) -> set[str]:
    """The phrases with their plural and inflected forms, also with '-' as a space."""
    forms: set[str] = set()
    for phrase in phrases:
        for form in word_forms(phrase):
            forms |= {form, form.replace("-", " ")}
    return forms


def _product_head(name: str, brand: str) -> str | None:
    """'Noorderlicht hoofdlamp 300' → 'hoofdlamp', 'Zeestroom Kayak paddle' → 'paddle'."""
    words = [w for w in re.findall(r"[^\W_]+(?:-[^\W_]+)*", name.lower()) if w != brand.lower()]
    words = [w for w in words if not any(ch.isdigit() for ch in w) and w not in TARGET_GROUPS]
    return words[-1] if words else None


def categories(session: Session) -> list[str]:
    """The category keys the shop sells, in a stable order."""
    query = select(Product.category).distinct().order_by(Product.category)
    return list(session.execute(query).scalars())


def what_it_is_for(*, session: Session, text: str, language: str, product: Product) -> str | None:
    """'Kan ik een kajak kopen?' finds the Kajakpeddel by 'kajak', but a kayak is what that
    paddle is for, not what it is: the thing asked for when so (and the shop sells nothing like
    it), else None. Reads the catalogue's words only when the thing is a modifier in the
    product's name."""
    thing = asked_thing(text, language)
    if thing is None:
        return None
    for name in (product.name_nl.lower(), product.name_en.lower()):
        for form in _singulars(thing):
            found = re.search(rf"(?<!\w){re.escape(form)}(?:[^\W\d_]+|\s+[^\W\d_]+)", name)
            if found:
                return unsold_thing(session=session, text=text, language=language)
    return None

"""The inflected forms of a shopper word, so 'wandelschoen' also finds 'wandelschoenen'.

The retailer lists a word once; shoppers write plurals and inflected adjectives
("waterdichte", "hiking boots", "pannen"). We generate those forms with the regular Dutch and
English spelling rules (and a few irregular plurals) when the patterns are built, and the
spaCy PhraseMatcher matches them all on the lower-case text. Matching forms instead of
lemmatising the message keeps a base word from matching a different word that shares its
lemma ("kind" is not "kinderen"). spaCy's own lemma tables (spacy-lookups-data) were tried:
for catalogue words they added noise ("shodden", "wege") and seconds of loading to every
pattern build, and little the rules do not give.
"""

from __future__ import annotations

import re
from functools import lru_cache

_VOWELS = "aeiou"
_SHORT_VOWEL_END = re.compile(r"(?:^|[^aeiou])[aeiou]([bdfgklmnprst])$")
_LONG_VOWEL_END = re.compile(r"([aeiou])\1([bdfgklmnprst])$")
IRREGULAR: dict[str, tuple[str, ...]] = {
    "child": ("children",),
    "man": ("men",),
    "woman": ("women",),
    "foot": ("feet",),
    "person": ("people",),
    "kind": ("kinderen",),
    "ei": ("eieren",),
    "blad": ("bladeren",),
    "schip": ("schepen",),
    "stad": ("steden",),
    "lid": ("leden",),
}


def _rule_forms(word: str) -> set[str]:
    """Regular Dutch and English plurals and adjective endings.

    Kept narrow on purpose: a generated form that is a common word of its own ("here" from
    "heer", "mess" from "mes") would turn everyday talk into a catalogue fact.
    """
    if not word.isalpha() or len(word) < 3:
        return set()
    forms = set()
    if not word.endswith("s"):
        forms.add(word + "s")
    if word.endswith("e"):
        forms.add(word + "n")
    else:
        forms.add(word + "en")
        if len(word) >= 4:
            forms.add(word + "e")
    if word.endswith(("s", "x", "ch", "sh")):
        forms.add(word + "es")
    if _SHORT_VOWEL_END.search(word):
        forms |= {word + word[-1] + "en", word + word[-1] + "e"}  # pan → pannen, dik → dikke
    long_vowel = _LONG_VOWEL_END.search(word)
    if long_vowel:
        forms.add(word[: long_vowel.start()] + long_vowel.group(1) + long_vowel.group(2) + "en")
    if word.endswith("y") and word[-2] not in _VOWELS:
        forms.add(word[:-1] + "ies")
    if word.endswith("fe"):
        forms.add(word[:-2] + "ves")  # knife → knives
    return forms


@lru_cache(maxsize=20_000)
def word_forms(phrase: str) -> frozenset[str]:
    """The phrase as written plus the forms of its last word ('hiking boot' → 'hiking boots')."""
    phrase = " ".join(phrase.lower().split())
    if not phrase:
        return frozenset()
    head, _, last = phrase.rpartition(" ")
    lasts = {last, *_rule_forms(last), *IRREGULAR.get(last, ())}
    prefix = f"{head} " if head else ""
    return frozenset(prefix + form for form in lasts)

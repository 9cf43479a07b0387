"""Plausible person-name surrogates that keep a name's structure and capitalisation.

Surrogates are chosen word by word: HMAC(key, role, word) picks an index into a bundled list of
first or last names (``data/*.txt``, generated from Faker's en_US lists by
``scripts/gen_transform_names.py``). Word-level choice is what makes a later "Smith" or "John" in
the same document follow the surrogate chosen for "John Smith" without any mapping table: the
surrogate of ("last", "smith") is the same wherever it is computed. A lone word's role (first or
last name) comes from the multi-word names of the same document first, then from the first-name
list, and is "last" otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

from scrubber.transform.keyed_random import KeyedRandom

#: Bump when the name lists or the derivation change: every PERSON surrogate changes with it.
NAMES_VERSION = "names/v1"

#: A name word: letters, optionally joined by an apostrophe to 2+ more letters (O'Brien, D'Angelo)
#: so that a possessive "'s" stays outside the word and is kept verbatim.
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]{2,})*")

#: Honorifics and suffixes are not identifying on their own; they are kept so the text reads the same.
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "madam", "lady", "lord", "rev", "fr",
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq",
})


@cache
def _load(name: str) -> tuple[str, ...]:
    text = resources.files("scrubber.transform").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line and not line.startswith("#"))


def first_names() -> tuple[str, ...]:
    return _load("first_names.txt")


def last_names() -> tuple[str, ...]:
    return _load("last_names.txt")


@cache
def _first_name_set() -> frozenset[str]:
    return frozenset(n.casefold() for n in first_names())


def match_case(surrogate: str, original: str) -> str:
    """Give ``surrogate`` the capitalisation pattern of ``original`` (UPPER, lower, or Title)."""
    if original.isupper() and len(original) > 1:
        return surrogate.upper()
    if original.islower():
        return surrogate.lower()
    return surrogate


def name_words(value: str) -> list[re.Match[str]]:
    """The words of a name that get surrogates (titles excluded)."""
    return [m for m in WORD.finditer(value) if m.group().casefold().rstrip(".") not in TITLES]


def roles_from_names(values: Iterable[str]) -> dict[str, str]:
    """Map casefolded words to "first"/"last" from the multi-word names among ``values``.

    The last word of a multi-word name is a last name, the others first (or middle) names. A word seen
    in both roles keeps the one from the earliest name, so the result does not depend on dict order.
    """
    roles: dict[str, str] = {}
    for value in values:
        words = [m.group() for m in name_words(value)]
        if len(words) < 2:
            continue
        for i, word in enumerate(words):
            roles.setdefault(word.casefold(), "last" if i == len(words) - 1 else "first")
    return roles


@lru_cache(maxsize=100_000)  # names repeat a lot in a corpus; the key is part of the cache key
def word_surrogate(key: bytes, role: str, word: str) -> str:
    """The surrogate of one name word in ``role``; never the word itself."""
    folded = word.casefold()
    rng = KeyedRandom(key, NAMES_VERSION, role, folded)
    if len(word) == 1:  # an initial: "J." -> "K."
        letters = "ABCDEFGHIJKLMNOPRSTW"
        pick = rng.choice([c for c in letters if c != word.upper()])
        return match_case(pick, word) if word.islower() else pick
    pool = first_names() if role == "first" else last_names()
    index = rng.below(len(pool))
    if pool[index].casefold() == folded:
        index = (index + 1) % len(pool)
    return match_case(pool[index], word)


def person_surrogate(key: bytes, value: str, doc_roles: dict[str, str]) -> str:
    """Replace every name word of ``value``, keeping titles, spacing, punctuation and capitalisation."""
    words = name_words(value)
    if not words:
        return value
    out: list[str] = []
    pos = 0
    for i, match in enumerate(words):
        word = match.group()
        if len(words) >= 2:
            role = "last" if i == len(words) - 1 else "first"
        else:
            role = doc_roles.get(word.casefold()) or (
                "first" if word.casefold() in _first_name_set() else "last"
            )
        out.append(value[pos:match.start()])
        out.append(word_surrogate(key, role, word))
        pos = match.end()
    out.append(value[pos:])
    return "".join(out)

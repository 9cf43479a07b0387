"""English dictionary words from the spaCy model package itself, to tell a name from a common word.

A capitalised word that is no English word ("Lyberth", "Sonoka", "Kavran") is a proper noun: a name,
a place or a brand. The gate sends such words to NER, which tells which. A capitalised word that is
one ("Tales", "Salesperson") is rarely a person's name unless a name list says it is. The words are
the rule lemmatizer's tables (WordNet's ~77,000 nouns, verbs, adjectives and adverbs, the suffix
rules that map "tales" to "tale" and the irregular forms) shipped inside the model package
(``<package>/<package>-<version>/lemmatizer/lookups/lookups.bin``), plus spaCy's stop words for
the closed-class words WordNet lacks ("Because", "Whose" open sentences and are no names): no
download, no extra dependency, the same words on every worker. WordNet also holds famous proper nouns in lower case
("paris", "bach"), so membership says "may be a common word", never "is not a name": callers use it
only where a listed name or a cue does not already decide.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

#: Where the lemmatizer's tables sit inside an installed spaCy model package.
LOOKUPS_GLOB = "*/lemmatizer/lookups/lookups.bin"


@dataclass(frozen=True)
class EnglishDictionary:
    """Lemmas per part of speech, the suffix rules and irregular forms of spaCy's rule lemmatizer."""

    lemmas: dict[str, frozenset[str]] = field(default_factory=dict)
    rules: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    irregular: frozenset[str] = frozenset()
    #: Closed-class words WordNet leaves out ("because", "whose", "themselves"): spaCy's stop words.
    function_words: frozenset[str] = frozenset()
    #: The key of the noun table in ``lemmas`` (spaCy's hash of "noun").
    noun: str = ""
    #: The key of the verb table in ``lemmas`` (spaCy's hash of "verb").
    verb: str = ""
    #: Answers already computed: prose repeats its words, and the suffix rules cost ~25 lookups a word.
    _seen: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def __contains__(self, word: object) -> bool:
        """Is ``word`` (any case) an English word or a regular inflection of one ("Tales", "Ledgers")?"""
        if not isinstance(word, str):
            return False
        known = self._seen.get(word)
        if known is None:
            known = self._lookup(word)
            if len(self._seen) < MAX_CACHED_WORDS:
                self._seen[word] = known
        return known

    def noun_only(self, word: str) -> bool:
        """Is ``word`` an English word only as a noun, not a function word ("john", "maria", "fern":
        WordNet keeps some given names in lower case), rather than also an adjective, verb or adverb
        ("sure", "going", "fine")? Not cached: asked only for a word right after a cue."""
        low = word.lower()
        if not self.noun or not low.isalpha() or low in self.irregular or low in self.function_words:
            return False
        return {pos for pos in self.lemmas if self._form_of(low, pos)} == {self.noun}

    def is_noun(self, word: str) -> bool:
        """Is ``word`` an English noun or the regular plural of one ("Courier", "Freight", "Libraries"),
        whatever else it may also be? Asked only of the last word of a span that already failed to
        be a name in other ways, so it is not cached."""
        low = word.lower()
        if not self.noun or not low.isalpha():
            return False
        return self._form_of(low, self.noun)

    def is_verb_lemma(self, word: str) -> bool:
        """Is ``word`` the base form of an English verb ("Remove", "Point", "Mark"), as an
        instruction, a changelog entry or a commit subject opens with it? Inflections ("Removes",
        "Closes") are no instruction's verb. Not cached: asked only of a span's first word at the
        start of a list item."""
        return bool(self.verb) and word.lower() in self.lemmas.get(self.verb, frozenset())

    def _form_of(self, low: str, pos: str) -> bool:
        """Is ``low`` (lower case) a lemma of part of speech ``pos`` or a regular form of one (the
        rule lemmatizer's suffix rules: "tales" → "tale", "libraries" → "library")?"""
        lemmas = self.lemmas.get(pos, frozenset())
        return low in lemmas or any(old and low.endswith(old) and len(low) > len(old) + 1
                                    and low[: -len(old)] + new in lemmas for old, new in self.rules.get(pos, ()))

    def _lookup(self, word: str) -> bool:
        if not word.isalpha():
            return False
        low = word.lower()
        if low in self.irregular or low in self.function_words:
            return True
        return any(self._form_of(low, pos) for pos in self.lemmas)


#: Bound on the answers an :class:`EnglishDictionary` keeps (a few MB; the answers never change).
MAX_CACHED_WORDS = 200_000


@functools.cache
def english_dictionary(model: str) -> EnglishDictionary:
    """The model package's dictionary; empty when the model or its lemmatizer tables are not installed
    (then no word counts as a dictionary word, which is how detection behaved before this module)."""
    try:
        spec = importlib.util.find_spec(model)
    except (ImportError, ValueError):
        return EnglishDictionary()
    if spec is None or spec.origin is None:
        return EnglishDictionary()
    paths = sorted(Path(spec.origin).parent.glob(LOOKUPS_GLOB))
    if not paths:
        return EnglishDictionary()
    import srsly  # spaCy's own serialisation library, installed with spaCy

    tables = srsly.msgpack_loads(paths[0].read_bytes())
    if not isinstance(tables, dict):
        return EnglishDictionary()
    index = tables.get("lemma_index") or {}
    rules = tables.get("lemma_rules") or {}
    exc = tables.get("lemma_exc") or {}
    return EnglishDictionary(
        lemmas={str(pos): frozenset(w for w in words if isinstance(w, str) and w.isalpha())
                for pos, words in index.items()},
        rules={str(pos): tuple((str(o), str(n)) for o, n in pairs) for pos, pairs in rules.items()
               if str(pos) in {str(p) for p in index}},
        irregular=frozenset(w for forms in exc.values() for w in forms if isinstance(w, str) and w.isalpha()),
        function_words=_stop_words(paths[0]),
        noun=_pos_key("noun"),
        verb=_pos_key("verb"),
    )


def _pos_key(pos: str) -> str:
    """The key spaCy's lookups give a part of speech's table: the hash of its name ("noun", "verb")
    in its string store."""
    from spacy.strings import get_string_id

    return str(get_string_id(pos))


def _stop_words(lookups: Path) -> frozenset[str]:
    """spaCy's stop words of the model's language (``lang`` in the package's meta.json), lower case."""
    import json

    meta = lookups.parent.parent.parent / "meta.json"
    lang = json.loads(meta.read_text(encoding="utf-8")).get("lang", "en") if meta.exists() else "en"
    try:
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(w.lower() for w in getattr(module, "STOP_WORDS", ()) if w.isalpha()) | (
        MORE_FUNCTION_WORDS if lang == "en" else frozenset())


#: English closed-class words in neither WordNet nor spaCy's stop words that open sentences.
MORE_FUNCTION_WORDS = frozenset({"everybody", "anybody", "whichever", "oneself", "shall", "unto", "whilst",
                                 "oops", "hey", "wouldn", "couldn", "mustn", "shouldn", "isn", "aren", "hasn"})

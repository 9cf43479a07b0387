"""Is a stretch of text English? The name rules' cheap language test.

Why the name rules ask: spaCy's English model and the name lists read capitalised words as names,
and in German every noun, in French, Spanish or Dutch every sentence's first word is capitalised
(``Die Pakete``, ``Ceci est``, ``Elke regel``). Where the text is not English, a name must be
vouched for by more than its capital letter.

Why judged where the word is, not once per document: a German or Dutch manual page opens with its
synopsis, English option words (``update``, ``install``, ``remove``) that made the whole page look
English; an English README may end with a translator's credits in French. :class:`LanguageView`
judges the paragraph around a position by its function words (``language.other_language_words``
against English stop words) or script, then the text around it, and falls back on the share of
English dictionary words or the document's start (:func:`looks_english`) where they tell nothing.
"""

from __future__ import annotations

import regex

from scrubber.detect.dictionary import english_dictionary
from scrubber.detect.rules import NerRules

#: How many lower-case words of a document :func:`looks_english` looks up (the first ones).
LANGUAGE_SAMPLE_WORDS = 40
#: A document with fewer lower-case words than this is taken as English (too short to tell).
LANGUAGE_MIN_WORDS = 5
#: The share of the sampled words that must be English words.
ENGLISH_SHARE = 0.5
#: A lower-case word of 3+ letters standing alone: not part of an identifier or a contraction, nor
#: of an e-mail address, a host name or a path (``users.noreply.github.com``: Portuguese "com").
LOWER_WORD = regex.compile(r"(?<![\w'’.@/])\p{Ll}{3,}(?![\w'’@/]|\.\w)")

#: :class:`LanguageView` judges the paragraph around a position (between blank lines) when one ends
#: within this many characters either side of it; otherwise, or when the paragraph has too few
#: function words, the block of :data:`LANGUAGE_BLOCK` characters holding the position and this
#: many characters either side of the block, so that the judgement is remembered for the block.
LANGUAGE_REACH = 1024
LANGUAGE_BLOCK = 512
#: A stretch with fewer lower-case words than this is judged by no share of its words.
LOCAL_MIN_WORDS = 12
#: Function words (English ones and ``language.other_language_words``) needed to decide by them.
FUNCTION_WORDS_MIN = 4
#: English needs this many times as many English function words as other languages' ones; between
#: that and as many of the other's, a stretch is two languages (a translation file's ``msgid`` and
#: ``msgstr``, a manual quoting English options), where a capitalised word is as likely the other's.
ENGLISH_MAJORITY = 2

#: What :func:`language_evidence` finds: English, another language, the two mixed, or nothing.
ENGLISH, OTHER, MIXED = "english", "other", "mixed"


def lower_words(text: str, rules: NerRules, start: int = 0, end: int | None = None,
                limit: int | None = None) -> list[str]:
    """The lower-case words of ``text[start:end]`` (:data:`LOWER_WORD`; the first ``limit``), without
    a name particle before a capitalised word: the Dutch "van" of "Guido van Rossum" in English
    text is no Dutch, nor the German "von" of "Ursula von der Leyen" German."""
    particles = rules.name_particles
    out: list[str] = []
    for m in LOWER_WORD.finditer(text, start, len(text) if end is None else end):
        word = m.group()
        if word in particles and text[m.end():m.end() + 1] == " " and text[m.end() + 1:m.end() + 2].isupper():
            continue
        out.append(word)
        if limit is not None and len(out) >= limit:
            break
    return out


def language_evidence(words: list[str], rules: NerRules) -> str | None:
    """What ``words`` (the lower-case words of a stretch of text) say of its language:
    :data:`ENGLISH`, :data:`OTHER`, :data:`MIXED`, or None when they do not tell.

    * Words mostly of letters outside ASCII are no English (Cyrillic, Greek: "Якщо існує файл").
    * Function words, when there are :data:`FUNCTION_WORDS_MIN` of them: every language writes its
      own in every sentence, so a stretch with more of another language's ("die", "les", "para":
      ``language.other_language_words``) than of English ones (spaCy's stop words: "the", "and",
      "with") is not English, though WordNet lists many of its other words ("mode", "robot",
      "charge", "script", "file"); with fewer than :data:`ENGLISH_MAJORITY` times as many English
      ones as the other's, it is two languages mixed.
    * With fewer (a list, a heading, a file's one-line description) and :data:`LOCAL_MIN_WORDS`
      words: another language's function word and no English one ("Script Vim per determinare il
      tipo di un file": a dozen words of English prose hold "the" or "and").
    A list of names, paths or identifiers tells nothing: few function words of any language.
    """
    if len(words) >= FUNCTION_WORDS_MIN and 2 * sum(not w.isascii() for w in words) > len(words):
        return OTHER
    function_words = english_dictionary(rules.model).function_words
    other = rules.other_language_words
    other_function = sum(w in other for w in words)
    english_function = sum(w in function_words and w not in other for w in words)
    if english_function + other_function >= FUNCTION_WORDS_MIN:
        if english_function >= ENGLISH_MAJORITY * other_function:
            return ENGLISH
        return OTHER if other_function >= english_function else MIXED
    if len(words) >= LOCAL_MIN_WORDS and other_function and not english_function:
        return OTHER
    return None


#: A lower-case word of two letters or more standing alone, for :func:`holds_english_function_word`.
_SHORT_OR_LONG_WORD = regex.compile(r"(?<![\w'’])\p{Ll}{2,}(?![\w'’])")
#: English function words of two letters that the languages a line is told from write rarely (not
#: "to", "in", "no", "do", "on", "me", "we", "so", "an", "by": Polish, German, Spanish, French...):
#: "Why is Radoš so impulsive?" holds no longer one.
_SHORT_ENGLISH_WORDS = frozenset({"is", "of", "at", "be", "he", "if", "it", "my", "or", "up", "us", "am"})


def holds_english_function_word(line: str, rules: NerRules) -> bool:
    """Does ``line`` hold an English function word (spaCy's stop words, or a two-letter one of
    :data:`_SHORT_ENGLISH_WORDS`)? Asked of one line, too short for :func:`language_evidence`: a
    name with diacritics in English prose stands on a line with "the", "and", "is"."""
    function_words = english_dictionary(rules.model).function_words
    return any(w in function_words or w in _SHORT_ENGLISH_WORDS for w in _SHORT_OR_LONG_WORD.findall(line))


def english_by_dictionary(words: list[str], rules: NerRules) -> bool:
    """Are at least :data:`ENGLISH_SHARE` of ``words`` English dictionary words (and no function
    word of another language)? Coarse: English prose scores ~0.9, French or German prose ~0.1-0.3,
    technical text in any language more (its terms are English), code and lists of names less."""
    dictionary = english_dictionary(rules.model)
    other = rules.other_language_words
    return sum(w in dictionary and w not in other for w in words) >= ENGLISH_SHARE * len(words)


def looks_english(text: str, rules: NerRules) -> bool:
    """Are the first 40 lower-case words of ``text`` English (:func:`language_evidence`, else
    :func:`english_by_dictionary`)? Coarse and cheap (40 lookups per document); short texts count
    as English."""
    words = lower_words(text, rules, limit=LANGUAGE_SAMPLE_WORDS)
    if len(words) < LANGUAGE_MIN_WORDS:
        return True
    evidence = language_evidence(words, rules)
    return english_by_dictionary(words, rules) if evidence is None else evidence == ENGLISH


class LanguageView:
    """One document's language, judged around each position asked about: in its paragraph, and
    remembered per paragraph (per block where no blank line is near).

    Asked only for the words that need it (a capitalised word that is no English word, a name the
    lists do not vouch for, a name's lone word), so most documents are never judged; a judgement
    reads at most ``LANGUAGE_BLOCK + 2 * LANGUAGE_REACH`` characters.
    """

    def __init__(self, text: str, rules: NerRules) -> None:
        self.text = text
        self.rules = rules
        self._paragraphs: dict[tuple[int, int], str | None] = {}  # (start, end) -> evidence
        self._blocks: dict[int, tuple[str | None, bool | None]] = {}  # block start -> evidence, by dictionary
        self._document: bool | None = None

    def english_at(self, pos: int) -> bool:
        """Is the text around ``pos`` English? By the evidence of its function words or script (two
        languages mixed are not); else by the share of English dictionary words around it; else the
        document's start decides."""
        evidence = self._evidence(pos)
        if evidence is not None:
            return evidence == ENGLISH
        by_dictionary = self._block(pos)[1]
        if by_dictionary is not None:
            return by_dictionary
        if self._document is None:
            self._document = looks_english(self.text, self.rules)
        return self._document

    def other_language_at(self, pos: int) -> bool:
        """Do the function words or the script around ``pos`` show another language? Asked where a
        wrong answer would lose a name the lists found: a list of names, paths or identifiers, a
        short message, a URL's words show none (the dictionary share would call them no English)."""
        return self._evidence(pos) == OTHER

    def _evidence(self, pos: int) -> str | None:
        """:func:`language_evidence` of the paragraph of ``pos``; where it tells nothing (a file
        name and its one-line description) or no paragraph break is near, of the block of ``pos``
        with :data:`LANGUAGE_REACH` characters either side. The paragraph first: a manual page
        translated in part holds English paragraphs beside Polish ones."""
        text = self.text
        lo = text.rfind("\n\n", max(0, pos - LANGUAGE_REACH), pos)
        hi = text.find("\n\n", pos, pos + LANGUAGE_REACH)
        if lo >= 0 and hi >= 0:
            if (lo, hi) not in self._paragraphs:
                self._paragraphs[lo, hi] = language_evidence(lower_words(text, self.rules, lo, hi), self.rules)
            if self._paragraphs[lo, hi] is not None:
                return self._paragraphs[lo, hi]
        return self._block(pos)[0]

    def _block(self, pos: int) -> tuple[str | None, bool | None]:
        """The evidence of the block of ``pos`` and its surroundings, and their English dictionary
        share's answer (None with fewer than :data:`LOCAL_MIN_WORDS` words)."""
        block = pos // LANGUAGE_BLOCK * LANGUAGE_BLOCK
        if block not in self._blocks:
            words = lower_words(self.text, self.rules, max(0, block - LANGUAGE_REACH),
                                block + LANGUAGE_BLOCK + LANGUAGE_REACH)
            self._blocks[block] = (language_evidence(words, self.rules),
                                   english_by_dictionary(words, self.rules) if len(words) >= LOCAL_MIN_WORDS else None)
        return self._blocks[block]

"""PERSON (and other NER labels) with spaCy, sent only the parts of the text that can hold a name.

Cost is what matters: spaCy's small English pipeline runs at ~0.07 MB/s per core with NER alone,
so the stage must not give it every character. The *gate* keeps windows around words that can be
part of a name — a listed first or last name, a word after a title, two capitalised words in a row —
and only those windows go through ``nlp.pipe`` with just ``tok2vec`` and ``ner`` loaded. What the
gate costs in recall is measured by benchmarks/bench_detect_gate.py (numbers in docs/detection.md).

The evidence that needs no model — name lists, cues, coreference, the place and company filters —
lives in :mod:`scrubber.detect.names`; :class:`NerRecognizer` runs both and filters spaCy's output
with the same rules.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from pathlib import Path

import regex

from scrubber.detect.dictionary import english_dictionary
from scrubber.detect.language import LanguageView, holds_english_function_word
from scrubber.detect.name_fields import name_field_values
from scrubber.detect.names import (
    _CAMEL_WORD,
    HANDLE_AFTER_NAME,
    NER_PRIORITY,
    NEVER_LAST,
    NameListRecognizer,
    Token,
    _before_lower_word,
    _in_unbroken_run,
    _line_end,
    _line_start,
    _plausible_person,
    _sentence_initial,
    adjacent,
    after_article,
    attribution_line,
    author_lists,
    capitalised_tokens,
    code_identifier,
    code_span_or_identifier,
    code_word_without_names,
    common_words_only,
    company_or_place,
    coreferent,
    eponym,
    field_label,
    given_names_before,
    heading_without_names,
    is_first_name,
    is_proper_noun,
    is_surname,
    opens_sentence_or_line,
    role_word,
    street_or_place,
    surnames_after_elided_particle,
)
from scrubber.detect.recognizers import Candidate
from scrubber.detect.rules import NerRules
from scrubber.errors import ConfigError

NER_RECOGNIZER = "spacy_ner_v1"
#: The account handle written right after a found name (:meth:`NerRecognizer._handles_after_names`).
HANDLE_RECOGNIZER = "name_handle_user_v1"
#: Characters trimmed from both ends of an entity span (see NerRecognizer._entity_lines): quotes,
#: brackets, punctuation, and the footnote marks of author lists (`Noam Shazeer∗`, `Gomez†`).
_EDGE_MARKS = frozenset("'\"`‘’“”«»()[]{}<>,;:*∗†‡")
#: Dashes: trimmed from an entity's ends when a space separates them from its words (the field break
#: " - " left at the end of a piece: "R. E. Schapire -"; a list's bullet); glued to a word they stay, for
#: :func:`_no_name_word` to judge ("Windows-, macOS- and CI-specific").
_DASHES = "-\u2013\u2014"
#: A possessive ending spaCy keeps inside a PERSON entity ("Maria Lopez's").
_POSSESSIVE_END = ("'s", "’s")
#: Where an entity span is cut like at a line break: line breaks, and a tab or a run of two or more
#: spaces, which in forms, tables and fixed-width records separate fields, never the words of a name
#: ("Ramirez, Luis A.  DOB: 04/17/1962" gave `Luis A.  DOB`); a dash between spaces, which separates
#: a name from a title or a journal ("R. E. Schapire - Ecological Modelling", "Salvatore Bonaccorso -").
_FIELD_BREAK = regex.compile(r"(\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|\t[ \t]*|  [ \t]*| [\-\u2013\u2014] )")


def _within_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` (one line) cut before a bracket it opens and does not close, and after one
    it closes without opening, then trimmed as at its edges: spaCy runs a name into the note after
    it ("Lucia Fernández (Design), Tom" gave `Lucia Fernández (Design`, and the redaction took the
    note and left its `)`). A nickname in brackets inside a name (``Maria (Masha) Ivanova``) is
    balanced and stays, and a bracket glued to the word before it opens a call in code, not a note
    (``Client(key="...``: the span stays as spaCy gave it, for the plausibility filter to refuse)."""
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                start = i + 1  # closes what opened before the span: the name starts after it
            else:
                depth -= 1
    if depth:
        opened = 0
        for i in range(end - 1, start - 1, -1):  # the outermost unclosed bracket ends the name
            ch = text[i]
            if ch in ")]}":
                opened -= 1
            elif ch in "([{":
                opened += 1
                if opened > 0:
                    if i > start and not text[i - 1].isspace():
                        break  # glued to a word: a call in code (`Client(key="...`), left to the filters
                    end, opened = i, 0
    while start < end and (text[start].isspace() or text[start] in _EDGE_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_MARKS):
        end -= 1
    return start, end


#: "to:" after an invoice's field word ("Bill to:", "Ship to:", "Remit to:"): the word labels a field.
_TO_LABEL = regex.compile(r"[ \t]+to:")


def _addressee_label(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is one word opening its line before ``to:``: an invoice's ``Bill to:``,
    which spaCy tags as the given name Bill. ("Bill:" alone is a speaker, and "Bill wrote:" a name.)"""
    line_start = _line_start(text, start)
    return (" " not in text[start:end] and not text[line_start:start].strip()
            and _TO_LABEL.match(text, end) is not None)


#: Two or three dotted initials opening a span, then a capitalised word ("J.R.R. Tolkien", "C. S. Lewis").
_INITIALS_OPENING = regex.compile(r"(?:\p{Lu}\.[ ]?){2,3}+\p{Lu}\p{Ll}")
#: Initials of places and institutions, never a person's ("U.S. Army", "D.C. Comics", "L.A. Times").
_PLACE_INITIALS = ("U.S.", "U.K.", "U.N.", "E.U.", "D.C.", "L.A.", "N.Y.", "U.S.A.", "S.F.", "P.R.", "R.I.")


def _initialled(span: str) -> bool:
    """``span`` opens with a person's dotted initials before a capitalised word: spaCy's PERSON is
    kept though its last word is an English word to the dictionary (WordNet lists "tolkien"), for
    initials name a person ("J.R.R. Tolkien", "C. S. Lewis"); not the initials of places ("U.S.
    Army"), nor one capital and its dot, which ends as many sentences ("... study I. Market tough")."""
    return _INITIALS_OPENING.match(span) is not None and not span.startswith(_PLACE_INITIALS)


def load_spacy(rules: NerRules):
    """Load the configured spaCy package with only ``rules.components`` (never downloads)."""
    try:
        module = importlib.import_module(rules.model)
    except ImportError:
        raise ConfigError(
            f"detect: full mode needs the spaCy model package {rules.model!r} (rules/detect/ner.yaml); "
            "install it with pip, or run with --mode fast (no NER)"
        ) from None
    pipeline: list[str] = []
    meta_path = Path(module.__file__).parent / "meta.json"
    if meta_path.exists():
        pipeline = list(json.loads(meta_path.read_text(encoding="utf-8")).get("pipeline", []))
    missing = [c for c in rules.components if pipeline and c not in pipeline]
    if missing:
        raise ConfigError(f"detect: spaCy model {rules.model!r} has no component {missing[0]!r} "
                          f"(it has: {', '.join(pipeline)}); fix 'components' in rules/detect/ner.yaml")
    exclude = [p for p in pipeline if p not in rules.components]
    return module.load(exclude=exclude)


class NerGate:
    """Chooses the windows of a document that go to NER."""

    def __init__(self, rules: NerRules) -> None:
        self.rules = rules

    def is_trigger(self, text: str, tokens: list[Token], i: int, english: bool = True) -> bool:
        """Can a name start at (or right after) ``tokens[i]``?

        A title or a first word of a sentence counts only when a capitalised word follows it: many
        listed names are also English words ("Lot", "Job", "Mr" in word lists) that open sentences.
        A word that is no English word counts only in English text (``english``, judged where the word
        is: :class:`~scrubber.detect.language.LanguageView`): in German every noun, in French or
        Spanish every sentence's first word would go to NER.
        """
        rules = self.rules
        tok = tokens[i]
        word = tok.word
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        followed = nxt is not None and nxt.word not in rules.stop_words and (
            adjacent(text, tok, nxt) or (word in rules.titles and text[tok.end:nxt.start] == ". ")
        )
        if word in rules.titles:
            return followed
        if (len(word) == 1 and word.isupper() and nxt is not None and text[tok.end:nxt.start] == ". "
                and nxt.word not in rules.stop_words and len(nxt.word) > 1):
            # dotted initials before a capitalised word ("J.R.R. Tolkien", "C.S. Lewis"): the surname
            # may be an English word to the dictionary (WordNet lists "tolkien"), and no list holds it
            return True
        if word in rules.stop_words or (len(word) <= 3 and word.isupper()):  # acronyms: ID, USA, API
            return False
        if followed:  # two capitalised words in a row ("Cecilie Josefsen", "Leigha Mackay")
            return True
        if english and is_proper_noun(word, rules):  # no English word: a name, place or brand ("Why is Armen so")
            return True
        if _sentence_initial(text, tok.start):
            # A listed first name opening a sentence goes to NER, which tells "Daniel is ..." from
            # a sentence's first word; names that are common words are in names.ambiguous.
            return is_first_name(word, rules)
        return is_first_name(word, rules) or is_surname(word, rules)

    def windows(self, text: str, tokens: list[Token] | None = None) -> list[tuple[int, int]]:
        """Merged, whitespace-snapped ``(start, end)`` windows around name-like words."""
        rules = self.rules
        ctx = rules.context_chars
        n = len(text)
        tokens = capitalised_tokens(text) if tokens is None else tokens
        language: LanguageView | None = None  # asked only when a word needs it: most documents have no such word
        spans: list[tuple[int, int]] = []
        for i, tok in enumerate(tokens):
            if text[tok.start - 1] not in " \n" and _in_unbroken_run(text, tok):  # inlined: most words follow a space
                continue
            if not self.is_trigger(text, tokens, i, english=False):
                if not is_proper_noun(tok.word, rules):
                    continue
                if language is None:
                    language = LanguageView(text, rules)
                if not language.english_at(tok.start):
                    continue
            s, e = max(0, tok.start - ctx), min(n, tok.end + ctx)
            if spans and s <= spans[-1][1]:
                spans[-1] = (spans[-1][0], e)
            else:
                spans.append((s, e))
        out: list[tuple[int, int]] = []
        for s, e in spans:
            s, e = _snap(text, s, e)
            if out and s <= out[-1][1]:
                out[-1] = (out[-1][0], max(e, out[-1][1]))
            else:
                out.append((s, e))
        return [piece for w in out for piece in _split(text, w, rules.max_chars)]


_SURROGATE = regex.compile("[\ud800-\udfff]")


#: A manual page's section after a name: ``Xft(3)``, ``fontconfig(3)``, ``ls(1)``, ``printf(3p)``.
_MANUAL_SECTION = regex.compile(r"\([1-9][a-z]{0,3}\)")
#: The name before it: a command's or a library's, written as one word.
_PAGE_NAME = regex.compile(r"(?<![\w.\-])[A-Za-z][\w.\-]{0,40}$")


def _without_manual_page_names(text: str, found: list[Candidate], counters) -> list[Candidate]:
    """``found`` less the one-word PERSON spans whose word the document writes as a manual page
    (``Xft(3)``): a command's or a library's name, not a person's.

    Why: spaCy read ``Xft is a simple library`` as a person, and coreference carried it to every
    mention (510 spans in the 6 Xft pages of 1,199 manual pages). Cheap: the section is searched by
    its ``(``, which most documents hold a few of, and the word before each is read only there."""
    if "(" not in text or not any(c.entity == "PERSON" for c in found):
        return found
    pages = set()
    for m in _MANUAL_SECTION.finditer(text):
        name = _PAGE_NAME.search(text, max(0, m.start() - 41), m.start())
        if name is not None:
            pages.add(name.group())
    if not pages:
        return found
    kept = [c for c in found if c.entity != "PERSON" or not _one_word_of(text[c.start:c.end], pages)]
    counters["ner_rejected_person_manual_page"] += len(found) - len(kept)
    return kept


def _one_word_of(span: str, words: set[str]) -> bool:
    """Is ``span`` one capitalised word of ``words``, maybe with a hyphen that breaks it at a line's
    end (``Xft‐``)?"""
    tokens = capitalised_tokens(span)
    return len(tokens) == 1 and tokens[0].word in words and " " not in span.strip()


_LATIN_LETTER = regex.compile(r"\p{Latin}")


def spacy_safe(piece: str) -> str:
    """``piece`` with lone surrogates (``"\\ud800"``, which a JSON line may spell as an escape) as
    U+FFFD: spaCy's string store encodes every token to UTF-8 and raised UnicodeEncodeError, which
    failed the whole shard. Same length, so entity offsets still point into the original text."""
    if piece.isascii():
        return piece
    try:
        piece.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", piece)
    return piece


def _past_leading_marks(text: str, start: int, end: int) -> int:
    """Where a PERSON span starts past the marks spaCy ran into it at a line's start: a quotation's
    attribution dash (``-- Thomas Jefferson`` under a quote, as fortune files, epigraphs and e-mail
    signatures write it), a bullet or a quote. No name opens with a mark, and the redacted text lost
    its dash; so after a quotation on the same line (``so rare.  -- Thomas Jefferson``). Elsewhere
    in a line (``Section 4 -- Sui Generis Database Rights``) or after a longer run (``-----BEGIN
    PGP SIGNED MESSAGE``) the marks stay, and tell the filters it is no name."""
    before = text[_line_start(text, start):start].rstrip(" \t")
    if before and not before.endswith(_SENTENCE_CLOSERS):  # "...a thing so rare.  -- Thomas Jefferson"
        return start
    moved = start
    while moved < end and moved - start <= MAX_LEADING_MARKS and text[moved] in _LEADING_MARKS:
        moved += 1
    return moved if moved - start <= MAX_LEADING_MARKS else start


#: What ends the quotation an attribution follows on its line.
_SENTENCE_CLOSERS = (".", "!", "?", '"', "”", "’", "'", "…", ")")
#: A dash, a bullet, a quote and the blanks after them; a longer run of marks is a rule or a banner.
MAX_LEADING_MARKS = 4


#: Marks that open a line or a quotation's attribution, never a name. Not a backtick, `%` or an
#: emoji: a code span (`` `Quickstart <...>` ``), a format placeholder (``%s. Bạn``) or a heading's
#: icon tell the filters the span is no name.
_LEADING_MARKS = frozenset("-‐–—―*•·>\"'“”‘’«»( \t")


def _past_transcript_marker(text: str, start: int, end: int) -> int:
    """Where a PERSON span starts past a transcript's answer or question mark ("Q. ... ⏎A. Harold
    Eugene Whitcomb."): spaCy reads the `A.` opening the line as an initial, and the redacted
    deposition lost its mark ("<PERSON>."). Only in a document whose lines open with both marks."""
    if (end - start > 3 and text.startswith(("A. ", "Q. "), start) and (start == 0 or text[start - 1] == "\n")
            and (text.startswith("Q. ") or "\nQ. " in text) and "\nA. " in text):
        return start + 3
    return start


def _past_lower_words(text: str, start: int, end: int, rules: NerRules) -> int:
    """Where a PERSON span starts past leading lower-case words that are no name particle
    (``names.particles`` of ner.yaml), and past particles before a listed first name.

    spaCy's small model takes the word before a name into it on text in other languages ("Cześć,
    jestem Katarzyna Nowak", "Merhaba, ben Ayşe Yılmaz": "I am"); redacting it lost the word, and a
    word joined by a comma to that span was then read as another name ("Cześć"). A name particle
    stays ("van der Berg"), but not before a given name and a surname: German's "der von Tim
    Thompson" ("the one by") holds two particles, and no surname's particle opens a full name."""
    pos = start
    while True:
        word_end = text.find(" ", pos, end)
        if word_end < 0:
            return pos  # the last word: a span is never emptied
        word = text[pos:word_end]
        if not word.isalpha() or not word.islower():
            return pos
        if word in rules.name_particles:
            after = word_end + 1
            while (next_end := text.find(" ", after, end)) >= 0 and text[after:next_end] in rules.name_particles:
                after = next_end + 1
            head, _, rest = text[after:end].partition(" ")
            given = is_first_name(head, rules) and rest[:1].isupper()  # "Tim Thompson", not "Berg"
            return after if given else pos
        pos = word_end + 1


def _after_person_verb(text: str, start: int, end: int, rules: NerRules) -> int:
    """Where a PERSON span starts past a leading verb whose object is a person (``names.person_verbs``),
    a salutation (``names.salutations``), a title (``names.titles``: "Mrs", "Herr", "Madame") or a
    role word before a listed first name and another word (:func:`role_word`; "Orbital Ledger" is
    left whole, for the company filters to judge): spaCy's small model takes a capitalised word into
    the name after it ("Email John Smith today", "Dear Zoë Vasquez,", "Dear Mrs Smith", "Analyst Zoë
    Thornbury said" → the name alone), and redacting that word with the name loses the sentence's
    sense. Each such word is passed ("Chère Madame Dubois" → "Dubois")."""
    while True:
        head, sep, rest = text[start:end].partition(" ")
        if not sep or not rest.strip():
            return start
        after = rest.split()
        if not (head in rules.person_verbs or head in rules.salutations or head.rstrip(".") in rules.titles or (
                len(after) >= 2 and is_first_name(after[0], rules) and role_word(head, rules))):
            return start
        start += len(head) + 1
        while start < end and text[start] == " ":
            start += 1


#: What stands on its line before a list item's first word: indentation, then a bullet or a number,
#: maybe a bracketed commit id (``[ed1eb70]``) and the file or part the item is about
#: (``d/control:``), or nothing (a commit's subject opens its line). The file's prefix only after a
#: bullet: a line opening with a label ("Name:    Peer Villareal") is no list item.
_LIST_ITEM_OPENING = regex.compile(
    r"[ \t]{0,12}+(?:(?:[*+\-•]|\d{1,3}[.)])[ \t]{1,4}+(?:\[[^\]\n]{1,40}\][ \t]{1,4}+)?"
    r"(?:[\w./\-]{1,60}:[ \t]{1,4}+)?)?")


#: A comment's or docstring's opening right before a span: code comments and docstrings open with
#: an instruction too ("# Rewind the file", "# Create ZipInfo instance", a docstring's "Raise an
#: exception").
_COMMENT_OPENING = regex.compile(r"(?:#|//|/\*\*?|(?<![^\s])\*|(?<![^\s])--|\"{3}|'{3})[ \t]{0,3}$")


def _past_item_verb(text: str, start: int, end: int, rules: NerRules) -> int | None:
    """Where a PERSON span starts past the verb opening a list item or a commit subject, or ``None``
    when no name is left after it.

    Changelogs, release notes and commit messages open each entry with an instruction's verb ("*
    d/control: Remove Testsuite field", "* Point Vcs-Git to the branch", "Mark libdconf-doc with",
    a commit's subject "Move Quickstart doc to MyST", "Merge Main into Stable"):
    spaCy's small model reads the verb and the capitalised word after it as a person, and
    coreference then spread "Remove" over the changelog. The verb is left out when a listed first
    name follows it ("Thank Helmut Grohne" → "Helmut Grohne", "Remove Arnaud"); the span is no name
    when no listed name follows ("Remove Testsuite", "Mark libdconf-doc"). A verb before a listed
    surname alone is the name's given name ("- Peer Villareal": "peer" is a verb too), and so is a
    verb that is a listed first name before a capitalised word ("Mark Smith fixed it") or any verb
    before an initial ("Saber E. Daviau"). On a bare line (no bullet, no comment's mark), where a
    roster or an address block puts names, the verb is never left out ("Saber Mailly") and the span
    is dropped only when every word after the verb is an English word or code ("Merge Main into
    Stable")."""
    line_start = _line_start(text, start)  # bounded: a line of a megabyte is searched no further back
    item = _LIST_ITEM_OPENING.fullmatch(text, line_start, start)
    comment = _COMMENT_OPENING.search(text, max(line_start, start - 8), start) is not None
    if (item is None and not comment) or attribution_line(text, line_start):
        return start
    head, sep, rest = text[start:end].partition(" ")
    rest = rest.lstrip(" ")
    if head.isupper():
        return start  # capitals are a heading's or a licence's ("# LANCE ELLINGHOUSE DISCLAIMS"), no instruction
    verb = english_dictionary(rules.model).is_verb_lemma(head)
    marked = comment or bool(text[line_start:start].strip(" \t"))  # a bullet or a comment, not a bare line
    if (not sep and verb and marked and _before_lower_word(text, end)
            and not (is_first_name(head, rules) or head in rules.ambiguous)):
        return None  # "# Rewind the file", "* Bump the version": one verb, then the instruction's words
    if not sep or not rest or not verb:
        return start
    if ((is_first_name(head, rules) or head in rules.ambiguous) and not rest[0].islower()) or (
            rest.split(" ", 1)[0] in rules.name_particles):  # "Mark van Gogh"
        return start
    if _INITIAL.match(rest):
        return start  # "Saber E. Daviau": an initial follows a given name, not an instruction's verb
    words = [t.word for t in capitalised_tokens(rest)]
    if words and is_first_name(words[0], rules) and rest.startswith(words[0]):
        return end - len(rest) if marked else start  # a bare line: "Saber Mailly" is a name
    if any(is_first_name(w, rules) or is_surname(w, rules) for w in words):
        return start
    if not marked and not all(w in english_dictionary(rules.model) or w.isupper() or _CAMEL_WORD.match(w)
                              for w in words):
        return start  # a bare line's unknown word may be a surname; a commit's words are words or code
    return None


#: A capital and a dot: a middle initial.
_INITIAL = regex.compile(r"\p{Lu}\.")


#: A word a name never is: one opening or closing with a hyphen (the suspended half of a compound:
#: "Windows-, macOS- and CI-specific changes"), a compound whose later part is a lower-case English
#: word ("CI-specific", "Python-based"), or an acronym run into a capitalised word ("GDBus",
#: "HTTPServer"; not "O" and a capital: "OBrien" of exports that drop the apostrophe).
_SUSPENDED_OR_ACRONYM = regex.compile(r"(?:^|\s)-\p{L}|\p{L}-(?:\s|$)|(?:^|\s)(?!O\p{Lu}\p{Ll})\p{Lu}{2,}\p{Ll}")
_LOWER_PART = regex.compile(r"(?:^|(?<=\s))(\p{L}+)-(\p{Ll}+)\b")


def _no_name_word(value: str, rules: NerRules) -> bool:
    """A word of ``value`` cannot be part of a name (:data:`_SUSPENDED_OR_ACRONYM`), or ``value`` is
    one compound of English words none of which is a listed name ("Bug-Database", "Bug-Submit" of
    Debian's upstream metadata fields), or an adjective compound: an acronym and an English word in
    lower case ("CI-specific", "GPU-based"), or, alone, a word that is no listed name and an English
    word of five or more letters ("Python-based"). Korean and Chinese given names are written so too
    ("Kim Ji-won", "Park Ji-young", "Lee Min-ho": short second syllables, after a surname) and stay."""
    if _SUSPENDED_OR_ACRONYM.search(value) is not None:
        return True
    dictionary = english_dictionary(rules.model)
    for m in _LOWER_PART.finditer(value):
        first, part = m.group(1), m.group(2)
        if part not in dictionary:
            continue
        if (len(first) >= 2 and first.isupper()) or (
                " " not in value and len(part) >= 5 and not is_first_name(first, rules)
                and not is_surname(first, rules)):
            return True
    if " " in value or "-" not in value:
        return False
    parts = value.split("-")
    return all(p in dictionary and not is_first_name(p, rules) and not is_surname(p, rules)
               and p not in rules.ambiguous for p in parts)


def _before_lower_tail(text: str, start: int, end: int, particles: frozenset[str]) -> int:
    """Where a PERSON span ends without the lower-case words after its last capitalised one
    ("obsoleted by Dyson patch." gave `Dyson patch.`): spaCy ran into the sentence; a name particle
    stays ("Vincent van"), and the first word always does."""
    while True:
        cut = text.rfind(" ", start, end)
        if cut <= start:
            return end
        word = text[cut + 1:end].rstrip(".,;:!?")
        if not word or not word.isalpha() or not word.islower() or word in particles:
            return end
        end = cut
        while end > start and text[end - 1] == " ":
            end -= 1


#: Month abbreviations as calendars, date formats and code write them.
_MONTH_ABBREVIATIONS = frozenset(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"])
#: A month abbreviation next to another, with at most quotes, commas and spaces between.
_MONTH_NEIGHBOUR = regex.compile(r"[\s,'\"]{1,4}(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b")
_MONTH_BEFORE = regex.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[\s,'\"]{1,4}$")


def _in_month_run(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is month abbreviations only, next to another one: a calendar's or a
    date parser's list (``Months = ' Jan Feb Mar Apr May Jun Jul'``, ``"May", "Jun",``), where "Jan"
    and "Jun" read as given names and name_given_v1 then widened over the others."""
    words = text[start:end].split()
    if not words or not all(w in _MONTH_ABBREVIATIONS for w in words):
        return False
    return (_MONTH_NEIGHBOUR.match(text, end) is not None
            or _MONTH_BEFORE.search(text, max(0, start - 8), start) is not None)


def _snap(text: str, s: int, e: int) -> tuple[int, int]:
    """Move window edges outwards to whitespace (at most 40 characters) so no word is cut."""
    n = len(text)
    lo = max(0, s - 40)
    while s > lo and not text[s - 1].isspace():
        s -= 1
    hi = min(n, e + 40)
    while e < hi and not text[e].isspace():
        e += 1
    return s, e


def _split(text: str, window: tuple[int, int], max_chars: int) -> list[tuple[int, int]]:
    """Split a long window at whitespace into pieces of at most ``max_chars`` (spaCy's limit is 1e6)."""
    s, e = window
    out = []
    while e - s > max_chars:
        cut = text.rfind(" ", s + max_chars // 2, s + max_chars)
        if cut <= s:
            cut = s + max_chars
        out.append((s, cut))
        s = cut
    out.append((s, e))
    return out


class NerRecognizer:
    """Runs spaCy over gated windows of many documents at once (``nlp.pipe``)."""

    def __init__(self, nlp, rules: NerRules, entities: frozenset[str], batch_size: int = 64) -> None:
        self.nlp = nlp
        self.rules = rules
        self.gate = NerGate(rules)
        self.labels = {label: ent for label, ent in rules.labels.items() if ent in entities}
        self.batch_size = batch_size
        self.names = NameListRecognizer(rules) if "PERSON" in entities else None

    def find(self, texts: Sequence[str | None], counters) -> list[list[Candidate]]:
        """Candidates per text (``None`` texts are skipped: dropped rows)."""
        jobs: list[tuple[int, int, int]] = []  # (row, start, end)
        out: list[list[Candidate]] = [[] for _ in texts]
        row_tokens: dict[int, list[Token]] = {}
        for row, text in enumerate(texts):
            if not text:
                continue
            tokens = capitalised_tokens(text)
            if self.names is not None:  # also without capitals: "my name is john smith"
                found = [c for c in self._past_item_verbs(text, self.names.find(text, tokens))
                         if not self._not_a_name(text[c.start:c.end]) and not code_identifier(text, c.start, c.end)]
                counters["names_list_spans"] += len(found)
                out[row].extend(found)
                fields = name_field_values(text, self.rules.name_score, NER_PRIORITY, self.rules.field_placeholders)
                if fields:  # {"firstName": "Harriet"}, a CSV's last_name column: any case
                    counters["names_field_spans"] += len(fields)
                    out[row].extend(fields)
            if not tokens:
                continue
            row_tokens[row] = tokens
            wins = self.gate.windows(text, tokens)
            if wins:
                counters["ner_docs"] += 1
                counters["ner_windows"] += len(wins)
                counters["ner_chars"] += sum(e - s for s, e in wins)
                jobs.extend((row, s, e) for s, e in wins)
        if jobs:
            self._run_ner(texts, jobs, out, counters)
        # a name opening a term named for someone ("Newton's laws") is dropped before coreference,
        # so it does not make the name's other mentions names, and again after it; so are month
        # abbreviations in a run of them ("Jan Feb Mar Apr May Jun": Jan and Jun are given names)
        for row in row_tokens:
            out[row] = [c for c in self._without_eponyms(texts[row], out[row], counters)  # type: ignore[arg-type]
                        if not _in_month_run(texts[row], c.start, c.end)]  # type: ignore[arg-type]
            out[row] = self._past_other_language_words(texts[row], out[row], counters)  # type: ignore[arg-type]
            out[row] = _without_manual_page_names(texts[row], out[row], counters)  # type: ignore[arg-type]
        if self.names is not None and self.rules.coreference:
            for row, tokens in row_tokens.items():
                more = coreferent(texts[row], tokens, out[row], self.rules)  # type: ignore[arg-type]
                more = self._without_eponyms(texts[row], more, counters)  # type: ignore[arg-type]
                counters["names_coref_spans"] += len(more)
                out[row].extend(more)
        if self.names is not None:
            for row, tokens in row_tokens.items():
                given = given_names_before(texts[row], tokens, out[row], self.rules)  # type: ignore[arg-type]
                given += surnames_after_elided_particle(texts[row], out[row], self.rules)  # type: ignore[arg-type]
                counters["names_given_spans"] += len(given)
                out[row].extend(given)
                authors = author_lists(texts[row], out[row], self.rules)  # type: ignore[arg-type]
                counters["names_author_list_spans"] += len(authors)
                out[row].extend(authors)
                out[row] = [c for c in out[row] if not _in_month_run(texts[row], c.start, c.end)]  # type: ignore[arg-type]
                out[row] += self._handles_after_names(texts[row], out[row])  # type: ignore[arg-type]
        return out

    def _handles_after_names(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """USERNAME candidates for the ``@handle`` written right after a found name (``Anna
        Henningsen @addaleax (TSC)``, ``Rod Vagg (@rvagg)``): the person's account. Redacting the
        name and leaving the handle beside it kept the person identified; the document's other
        mentions of the handle follow (``username_coref_v1``). A mention alone (``thanks
        @octocat``) is not read: nothing says whose account it is."""
        if "@" not in text:
            return []
        out = []
        for cand in found:
            if cand.entity == "PERSON" and (m := HANDLE_AFTER_NAME.match(text, cand.end)) is not None:
                out.append(Candidate(m.start("handle"), m.end("handle"), "USERNAME", self.rules.name_score,
                                     HANDLE_RECOGNIZER, NER_PRIORITY))
        return out

    def _past_item_verbs(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """``found`` without the verb opening a list item (:func:`_past_item_verb`): the name lists
        read "* Remove Ross from uploaders" as a given name and a listed surname."""
        out = []
        for cand in found:
            start = _past_item_verb(text, cand.start, cand.end, self.rules) if cand.entity == "PERSON" else cand.start
            if start is not None:
                out.append(cand if start == cand.start else cand._replace(start=start))
        return out

    def _past_other_language_words(self, text: str, found: list[Candidate], counters) -> list[Candidate]:
        """``found`` with the PERSON spans that open with a function word of another language
        (``language.other_language_words``: "Die Felder", "Der Grund", "Diese Felder") cut past it,
        in text that is not English; a span left with one word is dropped.

        Why: German capitalises every noun and the lists hold many as names ("Felder", "Grund"),
        so an article and a noun read as a given name and a surname, and coreference then spread
        "Der" over the page. A listed given name stays ("Dan", Indonesian for "and"; "Meg")."""
        other = self.rules.other_language_words
        language: LanguageView | None = None
        out = []
        for cand in found:
            start = cand.start
            if cand.entity == "PERSON":
                while ((space := text.find(" ", start, cand.end)) > 0 and text[start:space].lower() in other
                       and not is_first_name(text[start:space], self.rules)):  # "Dan", "Meg": given names
                    start = space + 1
            if start != cand.start:
                if language is None:
                    language = LanguageView(text, self.rules)
                if language.other_language_at(cand.start):
                    if " " not in text[start:cand.end]:
                        counters["ner_rejected_person_not_english"] += 1
                        continue
                    cand = cand._replace(start=start)
            out.append(cand)
        return out

    def _without_eponyms(self, text: str, found: list[Candidate], counters) -> list[Candidate]:
        """``found`` less the one-word PERSON spans that open a term named for someone (:func:`eponym`).
        Terms are named by a surname alone; a full name before them is someone ("Grace Thornbury's
        syndrome diagnosis")."""
        kept = [c for c in found if c.entity != "PERSON" or " " in text[c.start:c.end]
                or not eponym(text, c.start, c.end, self.rules)]
        if len(kept) < len(found):
            counters["names_eponym_kept"] += len(found) - len(kept)
        return kept

    @staticmethod
    def _without_trailing_function_words(text: str, start: int, end: int) -> int:
        """Where a PERSON span ends without the function words spaCy ran it into (``DECLARATION OF
        MARGARET T. O'SULLIVAN IN SUPPORT``: in capitals the model takes ``IN`` as part of the name).
        Only :data:`NEVER_LAST`: other stop words end names (``Lewis West``, ``Grace Park``); the
        first word always stays."""
        while True:
            cut = text.rfind(" ", start, end)
            if cut <= start or text[cut + 1:end].lower() not in NEVER_LAST:
                return end
            end = cut
            while end > start and text[end - 1] == " ":
                end -= 1

    def _not_a_name(self, span: str) -> bool:
        """Only countries, nationalities, languages (``names.not_names``), titles and stop words."""
        rules = self.rules
        words = [t.word for t in capitalised_tokens(span)]
        return bool(words) and all(w in rules.not_names or w in rules.stop_words or w in rules.titles for w in words)

    def _listed_name(self, span: str) -> bool:
        """A word of ``span`` is a listed first name or surname (or has a surname ending).

        Why: on German, French or Spanish text the English model tags capitalised nouns and
        article-noun pairs as PERSON (``Der Preis``, ``Die Lieferung``, ``Werktagen``: every German
        noun is capitalised), and coreference then spread ``Die`` over the document. There, a NER
        PERSON is kept only when the lists vouch for one of its words (``Angela Merkel``)."""
        return any(is_first_name(t.word, self.rules) or is_surname(t.word, self.rules)
                   for t in capitalised_tokens(span))

    def _run_ner(self, texts: Sequence[str | None], jobs: list[tuple[int, int, int]],
                 out: list[list[Candidate]], counters) -> None:
        pieces = (spacy_safe(texts[row][s:e]) for row, s, e in jobs)  # type: ignore[index]
        languages: dict[int, LanguageView] = {}  # row -> its language, asked only for a PERSON
        for (row, offset, _), doc in zip(jobs, self.nlp.pipe(pieces, batch_size=self.batch_size), strict=True):
            text: str = texts[row]  # type: ignore[assignment]
            for ent in doc.ents:
                entity = self.labels.get(ent.label_)
                if entity is None:
                    continue
                for start, end in self._entity_lines(text, offset + ent.start_char, offset + ent.end_char,
                                                     entity, counters):
                    if entity == "PERSON":
                        start = _past_lower_words(text, _after_person_verb(
                            text, _past_transcript_marker(text, _past_leading_marks(text, start, end), end),
                            end, self.rules), end, self.rules)
                        item_start = _past_item_verb(text, start, end, self.rules)
                        if item_start is None:
                            counters["ner_rejected_person"] += 1
                            continue
                        start = item_start
                        end = _before_lower_tail(text, start, end, self.rules.name_particles)
                        if (handle := text.find(" @", start, end)) > start:
                            end = handle  # "Rich Trott @trott": the model ran the account into the name
                    value = text[start:end]
                    if entity == "PERSON" and (not _plausible_person(value) or value in self.rules.stop_words
                                               or self._not_a_name(value) or _no_name_word(value, self.rules)
                                               or (common_words_only(value, self.rules) and not _initialled(value))
                                               or _addressee_label(text, start, end)
                                               or field_label(text, start, end, self.rules)
                                               or street_or_place(text, start, end, self.rules)
                                               or company_or_place(text, start, end, self.rules)
                                               or code_identifier(text, start, end)
                                               or heading_without_names(text, start, end, self.rules)
                                               or code_span_or_identifier(text, start, end, self.rules)
                                               or code_word_without_names(text, start, end, self.rules)):
                        counters["ner_rejected_person"] += 1
                        continue
                    if entity == "PERSON" and (" " not in value or not self._listed_name(value)):
                        if row not in languages:
                            languages[row] = LanguageView(text, self.rules)
                        if self._other_languages_word(text, start, value, languages[row]):
                            counters["ner_rejected_person_not_english"] += 1
                            continue
                    out[row].append(Candidate(start, end, entity, self.rules.score, NER_RECOGNIZER, NER_PRIORITY))

    def _other_languages_word(self, text: str, start: int, value: str, language: LanguageView) -> bool:
        """Is the NER PERSON ``value`` at ``start`` rather a word of another language?

        * One word in text of another language (:meth:`LanguageView.other_language_at`), but for a
          listed given name inside a sentence ("sagte Jürgen") and not after an article ("der
          Mann"): the lists hold "Cela", "Kraft", "Felder", "Mann" (French and German words), which
          coreference then spread over the document.
        * No listed word, where the text is not English (:meth:`LanguageView.english_at`).
        * No listed word, letters outside ASCII, and :meth:`_foreign_word`.
        """
        rules = self.rules
        if (" " not in value and language.other_language_at(start)
                and not (is_first_name(value, rules) and not opens_sentence_or_line(text, start)
                         and not after_article(text, start))):  # "zog der Mann eine Pistole"
            return True
        if self._listed_name(value):
            return False
        return not language.english_at(start) or (not value.isascii() and self._foreign_word(text, start, value))

    def _foreign_word(self, text: str, start: int, value: str) -> bool:
        """An unlisted NER PERSON with letters outside ASCII that reads as a word of another
        language: in a script other than Latin (Cyrillic, Greek: "Внесете", "Επιλογή"), or one word
        on a line holding no English function word ("msgstr "Usuń wybrane"", "Contraseña").

        Why: a translation file (``msgid``/``msgstr``), a bilingual page or a list of translations
        is English around its other language's words, and spaCy's English model tags those as
        names. A name with diacritics in English prose is on a line with "the", "and", "with"."""
        if _LATIN_LETTER.search(value) is None:
            return True
        if " " in value:
            return False
        return not holds_english_function_word(text[_line_start(text, start):_line_end(text, start)], self.rules)

    def _entity_lines(self, text: str, start: int, end: int, entity: str, counters) -> list[tuple[int, int]]:
        """An entity's span without surrounding whitespace, quotes and brackets, cut at line breaks
        and field breaks (a tab, two or more spaces: :data:`_FIELD_BREAK`).

        spaCy's small model often runs an entity over a line break: a signature's name line into the
        company line below it ("Elijah Iyer\nOrbital Ledger"), or keeps the newline ("Liam Dubois\n");
        likewise over the spaces between two fields of a form ("Luis A.  DOB"). Redacting that whole
        span destroys the next line or field and joins the two. For PERSON, the pieces that open with
        a listed first name are kept (the first piece when none does); other labels keep each piece.
        """
        lines = []
        pos = start
        parts = _FIELD_BREAK.split(text[start:end])
        # split() alternates text and the break it cut at; a break is kept with the text before it
        for k in range(0, len(parts), 2):
            piece = parts[k] + (parts[k + 1] if k + 1 < len(parts) else "")
            lo, hi = 0, len(piece)
            # spaCy's tokens keep a quote or bracket glued to a word (`'Margaret Okafor'` in code gives
            # `Margaret Okafor'`): redacted with the name, the closing quote went too and the code
            # around it broke. No name begins or ends with one (O'Connell's is inside).
            while lo < hi and (piece[lo].isspace() or piece[lo] in _EDGE_MARKS or (
                    piece[lo] in _DASHES and lo + 1 < hi and piece[lo + 1].isspace())):
                lo += 1  # (a list's "- " bullet too: "- Saber E. Daviau")
            while hi > lo and (piece[hi - 1].isspace() or piece[hi - 1] in _EDGE_MARKS or (
                    piece[hi - 1] in _DASHES and hi - 2 >= lo and piece[hi - 2].isspace())):
                hi -= 1
            if entity == "PERSON" and piece.endswith(_POSSESSIVE_END, lo, hi) and hi - lo > 2:
                hi -= 2  # "Maria Lopez's law firm": the possessive is the sentence's, not the name's
            s, e = _within_brackets(text, pos + lo, pos + hi) if lo < hi else (0, 0)
            if entity == "PERSON":
                e = self._without_trailing_function_words(text, s, e)
            if s < e:
                lines.append((s, e))
            pos += len(piece)
        if len(lines) <= 1 or entity != "PERSON":
            return lines
        counters["ner_split_multiline"] += 1
        named = []
        for s, e in lines:
            words = capitalised_tokens(text[s:e])
            if words and is_first_name(words[0].word, self.rules):
                named.append((s, e))
        return named or lines[:1]

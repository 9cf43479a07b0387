"""Name evidence that needs no model: name lists, cues, coreference, and what is not a name.

spaCy's small model misses many names in signatures, e-mail headers, CSV rows and short sentences,
and labels places and companies PERSON. This module holds what the lists and the text around a word
can tell, at the cost of a lookup: :class:`NameListRecognizer` ("first name + surname", "title +
name", "salutation + first name", cues such as "my name is"), :func:`coreferent` (other mentions of
a name already found in the same document), and the filters that reject a PERSON inside a street
line, a place or a company name. :mod:`scrubber.detect.ner` uses the same filters on spaCy's output.
Everything it reads is data in rules/detect/ner.yaml and the name lists.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from scrubber.detect.dictionary import english_dictionary
from scrubber.detect.language import LanguageView, looks_english
from scrubber.detect.recognizers import Candidate
from scrubber.detect.rules import NerRules

NAMES_RECOGNIZER = "name_list_v2"
COREF_RECOGNIZER = "name_coref_v1"
GIVEN_NAME_RECOGNIZER = "name_given_v1"
AUTHOR_LIST_RECOGNIZER = "name_author_list_v1"
NER_PRIORITY = 1
#: Longer capitalised "words" are identifiers, base64 or junk, not names; never worth NER.
MAX_NAME_CHARS = 40

#: How far the line around a word is read. The checks look at a line's first word, its last words or
#: whether it is blank, and a document without line breaks (one JSON line of a megabyte) must not make
#: every capitalised word read the whole document: that made name finding quadratic in document size.
LINE_REACH = 256
#: Characters after which the next word starts a sentence, a line or a list item.
_SENTENCE_END = frozenset(".!?\n:;•*#>|-")
#: Possessive endings cut from a capitalised word.
_POSSESSIVE = ("'s", "’s")
#: A capitalised word (any script's upper-case letter), not glued to a preceding word character nor to
#: an apostrophe inside a word (`l'Europe`); a quote opening a string (`'Dolores Whitfield'`) is no
#: apostrophe, and a URL-encoded space (`%20`) is a space (`?name=Priya%20Raman`).
_CAPITALISED = regex.compile(r"(?:(?<!\w)|(?<=%20))(?<!\w['’])\p{Lu}[\p{L}\p{M}'’\-]*")
#: One or two words in lower case (letters and hyphens) right after a cue of ``names.lower``.
_LOWER_NAMES = regex.compile(r"[ \t]+(\p{Ll}[\p{Ll}\p{M}\-]*)(?![\w])(?:[ \t]+(\p{Ll}[\p{Ll}\p{M}\-]*)(?![\w]))?")
#: What may stand right before a lower-case name found without a cue: the start, a blank, an opening
#: bracket, quote or backtick, a comma. Not a letter, digit, ``_``, ``.``, ``/``, ``@``, ``#``, ``-`` or
#: ``:`` (``john_smith``, ``user.john smith``, ``/home/john smith``, ``#john``).
_BEFORE_LOWER_PAIR = frozenset(" \t\n\r([{\"'“‘«,;>*`")
#: Punctuation around words, as spaces: the text is split on blanks to find the lower-case first
#: names it holds, and "(kevin", "priya!", "@kevin" must give the name.
_WORD_EDGES_TO_SPACE = str.maketrans(dict.fromkeys("([{\"'“‘«,;>*@)]}”’»!?.:`", " "))
#: After a lower-case first name: maybe an initial ("h.", "m"), then a lower-case word (the surname).
_LOWER_PAIR_TAIL = regex.compile(r"[ ](?:(\p{Ll})\.?[ ])?(\p{Ll}[\p{Ll}\p{M}\-]{1,30}+)")
#: A number right after a name: a house number ("r. luís camões 81"), so a street named for someone;
#: not a count or a time ("john smith 2 years ago", "maria lopez 3 of 5").
_HOUSE_NUMBER_AFTER = regex.compile(
    r"[ ]\d{1,5}+(?![\d.,:/\-])(?![ ](?:years?|yrs?|days?|weeks?|months?|hours?|hrs?|minutes?|mins?|times?|"
    r"more|of|out|points?|goals?)(?!\w))")
#: One more lower-case word after a surname.
_LOWER_NEXT_WORD = regex.compile(r"[ ](\p{Ll}[\p{Ll}\p{M}\-]{1,30}+)")


def _ends_a_word(text: str, end: int) -> bool:
    """Nothing of an identifier, a path or an address goes on at ``end``: no ``@``, ``/``, ``\\``,
    ``_`` or ``=``, and no ``.``, ``-`` or ``:`` before a letter or digit (``user.john``,
    ``john-smith.dev``, ``kevin@x.org``). A sentence's full stop, a comma, a possessive end a word."""
    nxt = text[end:end + 1]
    if not nxt or nxt.isspace():
        return True
    if nxt in "@/\\_=":
        return False
    return not (nxt in ".-:" and text[end + 1:end + 2].isalnum())


def _lower_surname(word: str, rules: NerRules) -> bool:
    """A surname of the lower-case lists (``rules.lower_surnames``: "smith", "jones", "kowalski"), or a
    word with a surname ending that is no English word ("kristjánsdóttir", "petrović")."""
    if word in rules.lower_surnames:
        return True
    title = word.title()
    return (len(word) >= SURNAME_ENDING_MIN and title.endswith(rules.surname_endings)
            and word not in english_dictionary(rules.model) and title not in rules.not_names)


def _written_in_lower_case(text: str, tokens: list[Token]) -> bool:
    """Is ``text`` written in lower case, as chats, forums and comments are: at most one capitalised
    word (``tokens``) per ``LOWER_CASE_CHARS_PER_CAPITAL`` characters (about 25 words), or, in a
    short text, capitals only opening its sentences and in the pronoun I ("Thanks priya!", "I met
    john smith")? Text with capitals in every sentence writes its names capitalised, and there the
    split of every document cost +17% of full-mode time on prose; this test costs nothing (counting
    the words with ``str.count`` cost 1.6 ms per MB, ~2.5%)."""
    caps = len(tokens)
    if caps * LOWER_CASE_CHARS_PER_CAPITAL <= len(text):
        return True
    return caps <= MAX_SHORT_TEXT_CAPITALS and all(t.word in _PRONOUN_I or _sentence_initial(text, t.start)
                                                    for t in tokens)


#: A text written in lower case has at most one capitalised word per this many characters.
LOWER_CASE_CHARS_PER_CAPITAL = 150
#: A text with more capitalised words than this, and more than one per 150 characters, is cased.
MAX_SHORT_TEXT_CAPITALS = 3
#: The pronoun I, capitalised even by people who write everything else in lower case.
_PRONOUN_I = frozenset(("I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d", "I'll", "I’ll"))


def _lower_surname_end(text: str, name: str, end: int, rules: NerRules) -> int | None:
    """End of the surname after the lower-case first name ``name`` ending at ``end``: maybe an
    initial ("erik h. ackerman"), then a surname of the lower-case lists or a word that is no English
    word (:func:`_unknown_surname`: "asuka kawano", "andrea vogel"), and maybe one more such
    surname ("seth michael larson"); ``None`` when none follows or the pair is one of
    ``names.lower.not_pairs`` ("harley davidson")."""
    m = _LOWER_PAIR_TAIL.match(text, end)
    if m is None:
        return None
    initial = m.group(1) is not None
    word = m.group(2)
    if not _clean_word_end(text, m.end(2)) or not (
            _lower_surname(word, rules) or _unknown_surname(word, rules)):
        return None
    if not initial and f"{name} {word}" in rules.lower_not_pairs:
        return None
    stop = m.end(2)
    more = _LOWER_NEXT_WORD.match(text, stop)
    if (more is not None and _clean_word_end(text, more.end(1))
            and (_lower_surname(more.group(1), rules) or _unknown_surname(more.group(1), rules))):
        stop = more.end(1)
    return stop


def _clean_word_end(text: str, end: int) -> bool:
    """The word ending at ``end`` ends there (no letter of a longer word) and no identifier goes on."""
    return not text[end:end + 1].isalpha() and text[end - 1] not in "'’-" and _ends_a_word(text, end)


def _unknown_surname(word: str, rules: NerRules) -> bool:
    """A lower-case word of ``UNKNOWN_SURNAME_MIN`` or more letters that is no English word, no chat
    or code word (``names.lower.not_surnames``: "lmao", "config"), no word of English make
    (``names.lower.word_endings``: "tokenizer", "middleware") and no name of ``lower_case_words.txt``:
    after a first name of the lower-case lists, a surname no list holds ("asuka kawano")."""
    return (len(word) >= UNKNOWN_SURNAME_MIN and word.isalpha() and word not in rules.lower_not_surnames
            and not word.endswith(rules.lower_word_endings) and any(v in word for v in _VOWELS)
            and word not in english_dictionary(rules.model) and word.title() not in rules.not_names
            and word not in rules.lower_case_words)


#: A surname holds a vowel ("rfcs", "pdfs" do not).
_VOWELS = "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿāăąēėęěīįıōőœūůűų"


#: Shorter unknown words after a lower-case first name are chat abbreviations as often ("idk", "tbh").
UNKNOWN_SURNAME_MIN = 4


#: A title-cased word joined to the word before by one ``.`` or ``_`` (``Rebecca.Lindqvist``) and not
#: followed by more of an identifier (a word character, ``-``, or ``.`` and a capital).
_JOINED_SURNAME = regex.compile(r"[._](\p{Lu}\p{Ll}[\p{Ll}\p{M}]*+)(?![\w\-]|\.\p{Lu})")
#: A value after a label's colon that is data, not speech: three or more hex or digit groups (a MAC or
#: IP address, a date, a time with seconds), or one code of 5-40 capitals, digits, ``-`` and ``/``
#: holding a digit (``VIN: 1HGCM82633A004352``, ``MRN: 004512789``, ``REF: AB-2024/118``).
_FIELD_VALUE = regex.compile(r"[ \t]*+(?:[0-9A-Fa-f]{1,4}+(?:[:.\-][0-9A-Fa-f]{1,4}+){2,}"
                             r"|(?=[A-Z\-/]{0,40}+\d)[A-Z0-9][A-Z0-9\-/]{4,39}+"
                             # a number alone on its line: a numbered header field (``PEP: 8``,
                             # ``Version: 2``), not someone speaking
                             r"|\d{1,10}+[ \t]*+(?=\r?\n|$))(?![\w])")
#: A possessive and up to three lower-case words after a name (``'s second law``, ``' theorem``).
_POSSESSIVE_WORDS = regex.compile(
    r"(?:['’]s|(?<=s)['’])[ \t](\p{Ll}{1,20}+)(?:[ \t](\p{Ll}{1,20}+))?(?:[ \t](\p{Ll}{1,20}+))?(?![\p{L}\p{M}])")
#: More names joined by hyphens (maybe none, when the span holds them), then a space and a lower-case
#: word: "-Rabin test", "-Stokes equations".
_HYPHENATED_BEFORE_NOUN = regex.compile(r"((?:-\p{Lu}[\p{Ll}\p{M}]{1,30}+){1,3})?[ \t](\p{Ll}{1,20}+)(?![\p{L}\p{M}])")
#: A word of 2+ capitals.
_CAPITALS = regex.compile(r"(?<!\w)(?<!\w['’])\p{Lu}[\p{Lu}\p{M}'’\-]+(?![\p{L}\p{M}])")


def _listed(word: str, rules: NerRules) -> bool:
    """A listed first name or surname (or a surname ``names.ambiguous`` takes out of the list)."""
    return len(word) >= 2 and (is_first_name(word, rules) or is_surname(word, rules) or word in rules.common_surnames)


def _after_place_cue(text: str, pos: int, rules: NerRules) -> bool:
    """Right after a phrase on the same line that introduces a place (``names.place_cues``: "lives
    in", "flew to")."""
    return ends_with_cue(text[_line_start(text, pos):pos].lower(), _cue_endings(rules.place_cues))


@lru_cache(maxsize=8)
def _cue_endings(cues: tuple[str, ...]) -> tuple[str, ...]:
    """Each cue with the space that separates it from the next word (one ``endswith`` call for all)."""
    return tuple(c + " " for c in cues)


def ends_with_cue(low: str, cues: tuple[str, ...]) -> bool:
    """``low`` (lower case) ends with one of ``cues`` that starts a word there.

    Why: ``str.endswith`` alone matched the cue inside a longer word (:func:`_joins_a_word`), and
    "programs. Closes: #948619" read "Closes" as the name after the title "ms."; "renamed Foo"
    matched the cue "named" and "essays Anything" the cue "says". The tuple test runs first (one C
    call); the boundary is checked only when it succeeds."""
    if not low.endswith(cues):
        return False
    return any(low.endswith(cue) and (len(low) == len(cue) or not _joins_a_word(low[-len(cue) - 1]))
               for cue in cues)


def _joins_a_word(char: str) -> bool:
    """``char`` before a cue makes it part of a longer word or key: a letter or digit ("programs."),
    or a hyphen, underscore or dot of a compound key (Debian's "Upstream-Name: Boost", "package_name:
    numpy" name software, not people; keys naming a person's name are name_field_v1's)."""
    return char.isalnum() or char in "-_."


def _title_case_capitals(text: str, rules: NerRules) -> str:
    """``text`` with its words in capitals title-cased where that keeps their length ("SAN FRANCISCO,
    CA" -> "San Francisco, CA"), so the address, place and company filters read them as they read
    title case. One pass over the text, made only for a document with a name in capitals."""
    def title(m: regex.Match) -> str:
        word = m.group()
        titled = word.title()
        if len(word) == 2 and ((titled not in rules.street_suffixes and titled not in rules.org_words)
                               or text.endswith(", ", 0, m.start())):
            return word  # "MAIN ST" is a street, "KOGYO CO." a company; ", CT 06103" a state code
        return titled if len(titled) == len(word) else word

    return _CAPITALS.sub(title, text)


@dataclass(slots=True)
class Token:
    """A capitalised word: offsets and text. Not frozen: a frozen dataclass sets each field through
    ``object.__setattr__`` (~340 ns a token against ~130), and full mode makes one per capitalised
    word of every document (~28,000 per MB of prose); nothing changes a token once made."""

    start: int
    end: int
    word: str


def capitalised_tokens(text: str) -> list[Token]:
    """Capitalised words of ``text`` in order (the only places a name can start).

    A possessive ending is not part of the word ("Natalie's address" -> ``Natalie``), so the word
    is looked up in the name lists as written and a span never swallows the ``'s``.
    """
    out = []
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        if len(word) > MAX_NAME_CHARS:
            continue
        if "'" in word or "’" in word:  # rare: skip the suffix checks for every other word
            cut = len(word) - len(word.rstrip("'’")) or (2 if word.endswith(_POSSESSIVE) else 0)
            if cut and len(word) - cut >= 1:
                word = word[:-cut]
        start = m.start()
        out.append(Token(start, start + len(word), word))
    return out


#: Characters either side of a word without a space, tab or line break that make its run no prose.
UNBROKEN_RUN = 64
_BLANK = regex.compile(r"\s")


def _in_unbroken_run(text: str, tok: Token) -> bool:
    """Is ``tok`` inside a run of :data:`UNBROKEN_RUN` characters or more without whitespace on
    both sides: a source map's ``mappings`` (``AAAA,SAAS,GAAG;AACA``), base64, a minified bundle's
    line, a long URL? No name is read there, and no window goes to NER.

    Why: spaCy read source maps' base64 as names (2,118 of 5,973 PERSON spans of 58 npm packages)
    at ~0.1 MB per CPU-second, against megabytes for prose, and the lists found given names in it
    (``,Rob,``); a name in such a file is in a string with spaces in it (``author:"Jane Doe"``)."""
    start, end = tok.start, tok.end
    if start < UNBROKEN_RUN or len(text) - end < UNBROKEN_RUN or text[start - 1] in " \n" or text[end] in " \n":
        return False  # most words of prose: a space right before or after them
    return (_BLANK.search(text, start - UNBROKEN_RUN, start) is None
            and _BLANK.search(text, end, end + UNBROKEN_RUN) is None)


def adjacent(text: str, left: Token, right: Token) -> bool:
    """``right`` follows ``left`` after one space (also URL-encoded: ``name=Priya%20Raman``, whose
    surname was left), or after an initial's dot ("Anna K. Novak")."""
    gap = text[left.end:right.start]
    return gap == " " or gap == "%20" or (gap == ". " and len(left.word) == 1)


@lru_cache(maxsize=8)
def _particle_gap(particles: frozenset[str]) -> regex.Pattern[str]:
    """One to three name particles (``names.particles`` of ner.yaml: "de", "van", "al") between two
    words of a name, each after one space; compiled once per list (a frozenset caches its hash, so
    the lookup per call is one dict probe)."""
    words = "|".join(sorted(particles, key=lambda w: (-len(w), w))) or "(?!)"
    return regex.compile(r"(?: (?:" + words + r")){1,3} ")


def particle_joined(text: str, left: Token, right: Token, rules: NerRules) -> bool:
    """``right`` follows ``left`` after name particles only ("Jan| de |Vries", "Ursula| von der
    |Leyen"): the words of one name, which :func:`adjacent` alone split."""
    return _particle_gap(rules.name_particles).fullmatch(text, left.end, right.start) is not None


class NameListRecognizer:
    """PERSON from name lists and cues: first name (+ surname), title + name, salutation + name,
    name-introducing phrase + name."""

    def __init__(self, rules: NerRules) -> None:
        self.rules = rules
        self._salutations = tuple(sorted(rules.salutations))
        # The last two characters of every salutation and cue (as written; cues lower-cased): most
        # words asked have neither before them, and a set lookup answers that faster than endswith
        # over the whole tuple (the two questions were ~20% of this recognizer's time on prose).
        # None when a salutation or cue is shorter than two characters (then no shortcut).
        self._salutation_tails = _tails(self._salutations)
        self._cue_tails = _tails(rules.name_cues)
        self._weak_cues = frozenset(rules.lower_weak_cues)
        cues = sorted(set(rules.lower_cues) | self._weak_cues, key=len, reverse=True)
        # the cues of names.lower, found in the lower-cased text; the standard library's engine scans
        # a literal alternation about twice as fast as `regex` (this runs over every character)
        self._lower_cue = re.compile("(?:" + "|".join(re.escape(c) for c in cues) + ")(?=[ \t])") if cues else None
        # How far before a word its header label may start: the longest label and a few blanks
        # (14 for the shipped labels, whose longest is `attention:`).
        self._header_reach = max(map(len, rules.header_labels), default=0) + 4
        # ``names.role_mailboxes`` folded as the mailbox and the word are (no case, no accents)
        self._role_mailboxes = frozenset(_fold(w) for w in rules.role_mailboxes)
        # names.lower.address_cues, looked for only right before a lower-case first name (longest first)
        self._address_cues = tuple(sorted(set(rules.lower_address_cues) - {"@"}, key=len, reverse=True))
        self._at_cue = "@" in rules.lower_address_cues
        self._address_reach = max((len(c) for c in self._address_cues), default=0) + 2

    def find(self, text: str, tokens: list[Token]) -> list[Candidate]:
        rules = self.rules
        out = []
        rejected_to = -1  # the words of a name rejected as a street, place or company start no name
        recased = None  # the text with words in capitals title-cased, for the address filters
        language: LanguageView | None = None  # asked only for a lone listed word
        for i, tok in enumerate(tokens):
            if i <= rejected_to or (text[tok.start - 1] not in " \n" and _in_unbroken_run(text, tok)):
                continue
            listed_only = False  # only the lists vouch for the word: no cue, title, greeting or address
            if tok.word.isupper() and rules.caps_names and (
                (caps := self._caps_name_last(text, tokens, i)) is not None
                or (caps := self._caps_lone_name(text, tokens, i)) is not None
                or (caps := self._caps_surname_first(text, tokens, i)) is not None
            ):
                # "JOHN SMITH wrote", "Patient: MARIA J. LOPEZ": listed first name and listed surname;
                # "MARIA: are you there?", "HI ALEXANDRA,": a listed first name alone, as a speaker or
                # greeted (the title-case rules below take "Maria:" and "Hi Alexandra" the same way)
                if recased is None:
                    recased = _title_case_capitals(text, rules)
                start, end = tok.start, tokens[caps].end
                if not (street_or_place(recased, start, end, rules) or company_or_place(recased, start, end, rules)
                        or _after_place_cue(text, start, rules)):  # "lives in WELLINGTON MARSH"
                    out.append(Candidate(start, end, "PERSON", rules.name_score, NAMES_RECOGNIZER, NER_PRIORITY))
                rejected_to = caps
                continue
            if is_first_name(tok.word, rules) or (
                    tok.word in rules.particle_openers and i + 1 < len(tokens)
                    and particle_joined(text, tok, tokens[i + 1], rules)
                    and tokens[i + 1].word not in rules.stop_words
                    and tokens[i + 1].word not in rules.not_names):
                # ("Jan de Vries": a given name that is also a stop or common word, before a particle)
                if _after_common_word(text, tokens, i, rules):
                    continue  # "Orbital Ledger", "Golden Amber": a title-cased phrase, not a first name
                if (i + 1 < len(tokens) and tokens[i + 1].word in rules.not_names
                        and particle_joined(text, tok, tokens[i + 1], rules)):
                    continue  # "Rio de Janeiro", "Santiago de Chile": a place
                if i > 0 and particle_joined(text, tokens[i - 1], tok, rules):
                    continue  # no given name follows "de la": the end of a surname or a place's name
                first = i
                listed_only = True
            elif (i + 1 < len(tokens) and tok.word not in rules.stop_words and not tok.word.isupper()
                  and tok.word not in rules.person_verbs  # "Call John Smith": a verb, then the name
                  and tok.word not in rules.not_names  # "Apache Flink": a product, not a given name
                  and tok.word not in rules.salutations and tok.word not in rules.titles  # "Chère Madame X"
                  and is_surname(tokens[i + 1].word, rules) and adjacent(text, tok, tokens[i + 1])
                  and (i == 0 or not adjacent(text, tokens[i - 1], tok))):
                # an unlisted given name before a listed surname ("Leigha Mackay")
                first = i
            elif (tok.word not in rules.stop_words and tok.word not in rules.titles  # "Dear Mrs X": the title branch
                  and self._after_salutation(text, tok.start)
                  and (greeted := self._greeted_end(text, tokens, i)) is not None):
                # "Hi Rahul," / "Dear Siobhán Thornbury:" — capitalised words greeted like a person;
                # not a role or a group greeted with words only ("Dear Hiring Manager,", "Hi Team,")
                if not common_words_only(text[tok.start:greeted], rules):
                    out.append(Candidate(tok.start, greeted, "PERSON", rules.name_score, NAMES_RECOGNIZER,
                                         NER_PRIORITY))
                continue
            elif (tok.word not in rules.stop_words and self._after_closing(text, tok.start)
                  and (signed := self._signature_end(text, tokens, i)) is not None):
                # "Kind regards,\nSiobhán Thornbury\nOperations Lead": the line under a closing
                out.append(Candidate(tok.start, signed, "PERSON", rules.name_score, NAMES_RECOGNIZER,
                                     NER_PRIORITY))
                continue
            elif (tok.word not in rules.stop_words and not tok.word.isupper()
                  and (card := self._card_name_end(text, tokens, i)) is not None):
                # "Shuntarou Yamane\nGoldrea Resources Corp.\n...": a name line over a company line or
                # over a street line, as on a business card, a letterhead or an envelope
                out.append(Candidate(tok.start, card, "PERSON", rules.name_score, NAMES_RECOGNIZER, NER_PRIORITY))
                continue
            elif (tok.word not in rules.stop_words and self._after_cue(text, tok.start)
                  and (not tok.word.isupper() or _listed(tok.word.title(), rules))):
                # "my name is Dexter", "everyone calls me Erle", "Name: Mehrudin Thaler"; in capitals
                # only from a listed name ("TO: ELENA PETROVA", not "TO: ALL STAFF", "my friend LIVES IN")
                first = i
            elif (is_surname(tok.word, rules) and not tok.word.isupper()
                  and (not _sentence_initial(text, tok.start) or _before_lower_word(text, tok.end)
                       or _addressed(text, tok.end))
                  and (i == 0 or not adjacent(text, tokens[i - 1], tok))):
                # a listed surname alone inside a sentence ("Bustos and Hughes were") or opening one
                # before a lower-case word ("Horton began writing") or addressed ("McKenzie, can I")
                first = i
                listed_only = True
            elif tok.word not in rules.stop_words and not tok.word.isupper() and self._in_email(text, tok):
                # "Fatima Mbeki,mbeki.f@...", "From: Sinead Thornbury <sinead_t...@...>": the name
                # starts at the first of the capitalised words written together
                first = i
                while (first > 0 and i - first < 3 and tokens[first - 1].word not in rules.stop_words
                       and adjacent(text, tokens[first - 1], tokens[first])
                       # not a word in capitals ("10:14 AM Priya Raghunathan <priya...@"), unless listed
                       and (not tokens[first - 1].word.isupper() or _listed(tokens[first - 1].word.title(), rules))
                       and (is_first_name(tokens[first - 1].word, rules) or self._in_email(text, tokens[first - 1])
                            or not _sentence_initial(text, tokens[first - 1].start))):  # not "Reach Jane"
                    first -= 1
            elif self._middle_initial(text, tokens, i):
                first = i  # "Timotea A. Siciliani", "Polona H Ranković": given name, initial, surname
            elif tok.word in rules.titles and i + 1 < len(tokens) and text[tok.end:tokens[i + 1].start] in (
                " ", ". "
            ):
                first = i + 1
                if tokens[first].word in rules.stop_words:
                    continue
            else:
                continue
            last = first
            # particles join the words of a name that opens with a given name ("Jan de Vries"); after
            # a surname or an unlisted word they are as often a place's ("Mansilla de la Sierra")
            particles = is_first_name(tokens[first].word, rules) or tokens[first].word in rules.particle_openers
            while (last + 1 < len(tokens) and last - first < 3
                   and (tokens[last + 1].word not in rules.stop_words or _initial_between(text, tokens, last + 1))
                   and (adjacent(text, tokens[last], tokens[last + 1])
                        or _nickname_between(text, tokens, last, first)
                        or (particles and particle_joined(text, tokens[last], tokens[last + 1], rules)
                            and tokens[last + 1].word not in rules.not_names  # not "Santiago de Chile"
                            and tokens[last + 1].word not in rules.street_suffixes))):  # "Jaydee van der Rest"

                last += 1
            end = tokens[last].end
            if last == first and (joined := self._joined_surname_end(text, tokens[first])) is not None:
                end = joined  # "C:\Users\Rebecca.Lindqvist", "Rebecca_Lindqvist": one name, no space
                while last + 1 < len(tokens) and tokens[last + 1].start < end:
                    last += 1
            if (last == first and first == i and not self._after_salutation(text, tok.start)
                    and not self._after_cue(text, tok.start) and _sentence_initial(text, tok.start)
                    and not _addressed(text, tok.end) and not self._in_email(text, tok)
                    and (not _before_lower_word(text, tok.end) or _imperative(text, tok, rules))
                    and not (self._after_closing(text, tok.start)
                             and not text[tok.end:_line_end(text, tok.end)].strip())):
                # a lone listed first name opening a sentence, not before a word, may be a heading; alone
                # on the line under a closing it signs the message ("Best,\nChidi")
                continue
            if (last == first and listed_only and not self._after_salutation(text, tok.start)
                    and not self._after_cue(text, tok.start) and not self._in_email(text, tok)
                    and not text.startswith(":", tok.end)):  # a speaker: "Elke: ja"
                if language is None:
                    language = LanguageView(text, rules)
                if language.other_language_at(tok.start) and (
                        opens_sentence_or_line(text, tok.start) or not is_first_name(tok.word, rules)
                        or after_article(text, tok.start)):  # "zog der Mann eine Pistole"
                    # one listed word in text that is not English, but a given name inside a
                    # sentence ("sagte Jürgen"): German capitalises every noun, French, Dutch or
                    # Turkish every sentence's first word, and the lists hold their words as names
                    # ("außer Kraft, die", "Elke regel", "Ceci est", "Hata ayıklama")
                    continue
            if (first + 1 < last and is_first_name(tokens[first + 1].word, rules)
                    and role_word(tokens[first].word, rules)):
                first += 1  # "Resident Daniel Castellanos": the role is no part of the name
            if (street_or_place(text, tokens[first].start, end, rules)
                    or company_or_place(text, tokens[first].start, end, rules)
                    or field_label(text, tokens[first].start, end, rules)
                    or heading_without_names(text, tokens[first].start, end, rules)
                    or code_span_or_identifier(text, tokens[first].start, end, rules)
                    or (common_words_only(text[tokens[first].start:end], rules)
                        and self._after_header(text, tokens[first].start))):  # "Cc: Legal Team"
                rejected_to = last
                continue
            out.append(Candidate(tokens[first].start, end, "PERSON", rules.name_score, NAMES_RECOGNIZER,
                                 NER_PRIORITY))
        if self._lower_cue is not None:
            out += self._lower_case_names(text)
        if rules.lower_first_names and (rules.lower_pairs or self._address_cues or self._at_cue):
            out += self._lower_case_first_names(text, tokens)
        out += _initials_before_surname(text, rules)
        if "--" in text or "—" in text or "―" in text:
            out += _attribution_names(text, rules)
        if "\n" in text or "  " in text:
            out += _wrapped_names(text, tokens, rules)
        if "<" in text or "wrote:" in text:
            out += self._mailbox_names(text)
        if " @" in text or "(@" in text:
            out += self._handle_names(text, tokens)
        return _outermost(out)

    def _mailbox_names(self, text: str) -> list[Candidate]:
        """The display name before an e-mail address on a mailbox line (:data:`_MAILBOX_LINE`):
        a Debian changelog's ``-- gregor herrmann <gregoa@debian.org>``, a commit's
        ``Signed-off-by: أحمد المحمودي (Ahmed El-Mahmoudy) <...>``, a mail header's ``From:``.

        Why: the line's layout says a person's name stands there, whatever its case and script;
        the name rules saw only capitalised listed names, and left lower-case names ("gregor
        herrmann", "intrigeri"), names in other scripts and unlisted ones ("Iain Lane" read as a
        street) in the clear beside their redacted address. Teams and bots (``names.team_words``:
        "Debian Janitor", "CloudSDK Developers"), companies (``names.org_words``: "Acme Inc") and
        one capitalised word before a role mailbox ("GitHub <noreply@github.com>") are no person; a
        login is ("ricekab <contact@...>")."""
        rules = self.rules
        out = []
        matches = []
        for m in _MAILBOX_LINE.finditer(text):
            matches.append(m)
            while (more := _MORE_MAILBOXES.match(text, matches[-1].end())) is not None:
                matches.append(more)  # "To: jane doe <jane@...>, kwame mensah <km@...>"
        matches += (m for m in _BARE_MAILBOX_LINE.finditer(text)  # an AUTHORS file: "Ben Alman <cowboy@...>"
                    if _bare_display_name(m.group("name"), rules))
        if "urgency=" in text:  # a Debian changelog: "  [ gregor herrmann ]" credits an entry's author
            matches += _CHANGELOG_CREDIT.finditer(text)
        if "wrote:" in text:  # "On Mon, Jan 6, 2020 at 10:14 AM jane doe <jane@...> wrote:"
            matches += (m for m in _QUOTE_ATTRIBUTION.finditer(text) if m.group("local") or " " in m.group("name"))
        for m in matches:
            name = m.group("name")
            written = [w.strip("()'’\".,") for w in regex.split(r"[\s\-]+", name) if w]
            words = [w.lower() for w in written]
            local = _fold(m.group("local") or "")
            if (len(words) > 5 or any(w.strip("()'’\"") in rules.team_words for w in words)
                    or any(w in rules.org_words for w in written)  # as written: "Inc.", "LLC", not "Kim Se-jin"
                    or (len(words) == 1 and not name.islower()
                        and (local.split(".", 1)[0] in self._role_mailboxes or local in self._role_mailboxes))
                    or common_words_only(name, rules)
                    or all(w.strip("()'’\"").title() in rules.not_names for w in words)):  # "unknown <...>"
                continue  # a team, a company ("Acme Inc"), a brand's role mailbox ("GitHub <noreply@...>"),
                # capitalised English words only ("Pallets Ecosystem")
            start, end = m.span("name")
            while end > start and text[end - 1] in " .,":
                end -= 1
            while (cut := text.rfind(" ", start, end)) > start and text[cut + 1:end] in NEVER_LAST:
                end = cut  # a quote's source: "-- Larry Wall in <9695@jpl-devvax.JPL.NASA.GOV>"
                while end > start and text[end - 1] == " ":
                    end -= 1
            head, sep, _ = text[start:end].partition(" ")
            if sep and (head.rstrip(".") in rules.titles or head in ("by", "By")):
                start += len(head) + 1  # "Dr. Tobias Quathamer", "Copyright 2005 by Petr Baudis"
            out.append(Candidate(start, end, "PERSON", rules.name_score, NAMES_RECOGNIZER, NER_PRIORITY))
        return out

    def _handle_names(self, text: str, tokens: list[Token]) -> list[Candidate]:
        """The name written right before an account's ``@handle``: meeting minutes' attendance
        (``* Joyee Cheung @joyeecheung (TSC)``), contributor lists (``Rod Vagg (@rvagg)``), release
        notes.

        Why: the layout says a person and their account stand there, whatever the lists know; the
        lists missed surnames no Faker locale holds in Latin letters (``Cheung``, ``Vagg``), and
        the model misses names in list items, so 524 of 3,284 attendance lines of the Node.js TSC's
        minutes kept their names. Two to four capitalised words (one only if a listed given name), none a
        team or company word, not English words only ("Release Team @nodejs", "Thanks Everyone
        @all"); stop words, titles and verbs opening the run are no part of it."""
        rules = self.rules
        out = []
        for i, tok in enumerate(tokens):
            if text[tok.end:tok.end + 1] not in (" ", "\t") or HANDLE_AFTER_NAME.match(text, tok.end) is None:
                continue
            first = i
            while first > 0 and i - first < 3 and adjacent(text, tokens[first - 1], tokens[first]):
                first -= 1
            if _HANDLE_NAME_LEAD.search(text[_line_start(text, tokens[first].start):tokens[first].start]) is None:
                continue  # a changelog's entry: "Require Colon in Basic Auth (@erykwalder)"
            while first <= i and (tokens[first].word in rules.stop_words or tokens[first].word in rules.titles
                                  or tokens[first].word in rules.person_verbs
                                  or tokens[first].word in rules.salutations):
                first += 1
            while first < i and _verb_not_name(tokens[first].word, rules):
                first += 1  # "Nominating Jeremiah Senkpiel @Fishrock123", "Welcome Joyee Cheung @joyeecheung"
            if first > i or (first == i and not is_first_name(tok.word, rules)):
                continue
            start, end = tokens[first].start, tok.end
            words = [t.word for t in tokens[first:i + 1]]
            if (common_words_only(text[start:end], rules) or any(w.lower() in rules.team_words for w in words)
                    or any((w.isupper() and len(w) > 1) or _CAMEL_WORD.match(w) for w in words)  # "Fix OAuth", "URL"
                    or any(w in rules.org_words for w in words) or all(w in rules.not_names for w in words)):
                continue
            out.append(Candidate(start, end, "PERSON", rules.name_score, NAMES_RECOGNIZER, NER_PRIORITY))
        return out

    def _caps_name_last(self, text: str, tokens: list[Token], i: int) -> int | None:
        """Index of the last word of a name in capitals starting at ``tokens[i]``: a listed first name,
        optionally an initial or another listed name, then a listed surname or one of the surnames
        ``names.ambiguous`` takes out of the list (``JOHN SMITH``, ``MARIA J. LOPEZ``, ``JOSE LUIS
        GARCIA``); each word is looked up title-cased. Headings, acronyms and shouting ("PLEASE READ",
        "NEW YORK", "MERRY CHRISTMAS") hold no listed first name before a listed surname."""
        rules = self.rules
        first = tokens[i].word.title()
        if len(first) < rules.caps_min_letters or not is_first_name(first, rules) or first in rules.titles:
            return None
        for last in (i + 2, i + 1):
            if last >= len(tokens) or not all(
                tokens[k].word.isupper() and adjacent(text, tokens[k - 1], tokens[k]) for k in range(i + 1, last + 1)
            ):
                continue
            surname = tokens[last].word.title()
            listed = is_surname(surname, rules) or surname in rules.common_surnames
            if len(surname) < 2 or not (listed or (is_proper_noun(surname, rules) and (
                    last == i + 1 or len(tokens[i + 1].word) == 1))):  # "TANJA GERSTEN", "KATHRIN L MAHLER"
                continue
            if surname in rules.org_words or tokens[last].word in rules.org_words or surname in rules.titles:
                continue  # (looked up as written too: "SUSE LLC" is a company, "Llc" no listed word)
            if last == i + 2:
                middle = tokens[i + 1].word.title()
                if not (len(middle) == 1 or is_first_name(middle, rules) or is_surname(middle, rules)):
                    continue
            return last
        return None

    def _caps_surname_first(self, text: str, tokens: list[Token], i: int) -> int | None:
        """Index of the last word of a name in capitals written surname first, as records, rosters
        and police and court forms write it: a listed surname, a comma and a space, a listed first
        name of ``names.caps.min_letters`` or more, optionally an initial or another listed first
        name ("Patient: GUTIERREZ, MARIA L", "Suspect: WHITFIELD, DARNELL R."). Left whole before:
        neither word order of :meth:`_caps_name_last` matched, and NER reads capitals poorly. The
        surname opens its run of capitals ("PLEASE READ, JOHN" is no "Read, John")."""
        rules = self.rules
        if (i + 1 >= len(tokens) or text[tokens[i].end:tokens[i + 1].start] != ", "
                or (i > 0 and adjacent(text, tokens[i - 1], tokens[i]))):
            return None
        surname, given = tokens[i].word.title(), tokens[i + 1].word
        if (len(surname) < 2 or surname in rules.org_words or surname in rules.titles
                or surname in rules.not_names or not given.isupper() or len(given) < rules.caps_min_letters):
            return None
        given = given.title()
        if not is_first_name(given, rules) or given in rules.titles or given in rules.stop_words:
            return None
        last = i + 1
        initial = False
        if (last + 1 < len(tokens) and tokens[last + 1].word.isupper()
                and adjacent(text, tokens[last], tokens[last + 1])):
            middle = tokens[last + 1].word
            if middle not in rules.postnominal_codes and (len(middle) == 1 or is_first_name(middle.title(), rules)):
                last += 1  # (not "OKAFOR, CHINEDU MD": `Md` is a listed given name)
                initial = len(middle) == 1
        # an unlisted surname that is no English word, when a middle initial completes the form
        # ("WHITFIELD, DARNELL R."): "BERLIN, MARIA" alone could be a dateline
        if not (is_surname(surname, rules) or surname in rules.common_surnames
                or (initial and is_proper_noun(surname, rules))):
            return None
        return last

    def _caps_lone_name(self, text: str, tokens: list[Token], i: int) -> int | None:
        """``i`` when ``tokens[i]`` is a listed first name in capitals standing alone as a speaker
        label (``MARIA: are you there?``) or after a salutation (``HI ALEXANDRA,``, ``DEAR JOHN``).
        Alone, a word in capitals is too often a heading to take without one of these two signs."""
        rules = self.rules
        word = tokens[i].word.title()
        if len(word) < rules.caps_min_letters or not is_first_name(word, rules) or word in rules.titles:
            return None
        before = text[max(0, tokens[i].start - 12):tokens[i].start].rstrip(" ,").title()
        if _speaker_label(text, tokens[i].start, tokens[i].end) or before.endswith(self._salutations):
            return i
        return None

    def _lower_case_names(self, text: str) -> list[Candidate]:
        """Names in lower case right after a cue (``names.lower``): "my name is john smith", "ask dr.
        maria lopez", "i'm priya iyer". The first word is a listed first name or surname, and a second
        word counts when it is a listed surname or a first name that is no English word. After a weak
        cue ("i'm", "this is") the first word must be a listed first name that is no English word
        ("i'm sure", "i am happy" are no names) or, followed by a listed surname, one that is an
        English word only as a noun ("i'm john smith"; not "i am dane but").

        One scan of the lower-cased text for the cues (a case-insensitive pattern costs twice as
        much); only the words after a cue are matched on the text as written."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): cues as written
            lowered = text
        found = []
        for c in self._lower_cue.finditer(lowered):
            pos = c.start()
            if pos == 0 or not (lowered[pos - 1].isalnum() or lowered[pos - 1] in "_'’."):
                m = _LOWER_NAMES.match(text, c.end())
                if m is not None:
                    found.append((c.group(), m))
        rules = self.rules
        dictionary = english_dictionary(rules.model)
        out = []
        for cue, m in found:
            word = m.group(1).title()
            end = m.end(1)
            if m.group(2) is not None:
                second = m.group(2).title()
                if (is_surname(second, rules) or second in rules.common_surnames
                        or (is_first_name(second, rules) and m.group(2) not in dictionary)):
                    end = m.end(2)
            if cue in self._weak_cues:
                if not is_first_name(word, rules) or (m.group(1) in dictionary and (
                        end == m.end(1) or not dictionary.noun_only(m.group(1)))):
                    continue
            elif not (is_first_name(word, rules) or is_surname(word, rules) or word in rules.common_surnames):
                continue
            out.append(Candidate(m.start(1), end, "PERSON", rules.name_score, NAMES_RECOGNIZER, NER_PRIORITY))
        return out

    def _lower_case_first_names(self, text: str, tokens: list[Token]) -> list[Candidate]:
        """Lower-case names from the lower-case lists (``rules.lower_first_names``: listed first
        names that in lower case are no ordinary word), in a document written in lower case
        (:func:`_written_in_lower_case`) and in English (:func:`~scrubber.detect.language.looks_english`):
        a first name and a surname ("talked to john smith yesterday", ``names.lower.pairs``;
        :func:`_lower_surname_end`), or a first name alone after an address cue ("thanks priya!",
        "ask mike about it", "my brother david", "lol @ kevin"; ``names.lower.address_cues``), then
        maybe a surname.

        Why it is cheap: a document with capitals in every sentence is skipped after two counts
        (``str.count``); otherwise its words are split once and looked up in the set (C speed), and
        only the first names found are searched for (``str.find``) and their surroundings read."""
        rules = self.rules
        if not _written_in_lower_case(text, tokens):
            return []
        hits = rules.lower_first_names.intersection(text.translate(_WORD_EDGES_TO_SPACE).split())
        if not hits or not looks_english(text, rules):
            return []
        out = []
        for name in hits:
            pos = text.find(name)
            while pos >= 0:
                end = pos + len(name)
                before = text[pos - 1] if pos else " "
                nxt = text[end:end + 1]
                if not (nxt.isalnum() or nxt == "_" or unicodedata.combining(nxt or " ")):  # not "mikey"
                    stop = None
                    if rules.lower_pairs and before in _BEFORE_LOWER_PAIR:
                        stop = _lower_surname_end(text, name, end, rules)
                    if stop is None and (before in _BEFORE_LOWER_PAIR or before == "@") \
                            and _ends_a_word(text, end) and self._after_address_cue(text, pos):
                        stop = end
                        more = _LOWER_NEXT_WORD.match(text, end)
                        if (more is not None and _lower_surname(more.group(1), rules)
                                and _clean_word_end(text, more.end(1))):
                            stop = more.end(1)  # "cc kevin kowalski"
                    if stop is not None:
                        out.append(Candidate(pos, stop, "PERSON", rules.name_score, NAMES_RECOGNIZER,
                                             NER_PRIORITY))
                pos = text.find(name, end)
        if out:
            # "65 r. mongi bali st.", "celso emilio ferreiro 84": a street named for someone; "eaton
            # vance corp.": a company (the address and company filters read title case)
            recased = text.title()
            if len(recased) == len(text):
                out = [c for c in out if not (street_or_place(recased, c.start, c.end, rules)
                                              or company_or_place(recased, c.start, c.end, rules)
                                              or _HOUSE_NUMBER_AFTER.match(text, c.end))]
        return out

    def _after_address_cue(self, text: str, pos: int) -> bool:
        """A cue of ``names.lower.address_cues`` (any case, a word of its own) and one or more blanks
        end right before ``pos`` on its line, or an "@" not glued to a word ("lol @ kevin",
        "@kevin"; not the domain of "x@kevin.org", which ``_ends_a_word`` refuses anyway)."""
        if self._at_cue:
            at = pos - 1 if text[pos - 1:pos] == "@" else pos - 2 if text[pos - 2:pos] in ("@ ", "@\t") else -1
            if at >= 0:
                return at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_.")
        if not self._address_cues:
            return False
        reach = max(0, pos - self._address_reach)
        head = text[reach:pos]
        cut = head.rstrip(" \t")
        if len(cut) == len(head) or not cut:
            return False
        low = cut.lower()
        if len(low) != len(cut):
            return False
        for cue in self._address_cues:
            if low.endswith(cue):
                k = reach + len(cut) - len(cue)  # where the cue starts in the text
                return k == 0 or not (text[k - 1].isalnum() or text[k - 1] in "_'’.")
        return False

    def _joined_surname_end(self, text: str, tok: Token) -> int | None:
        """End of the surname joined to ``tok``, a listed first name, by one ``.`` or ``_`` with no
        space (``Rebecca.Lindqvist``), when that word is a listed surname or no English word and no
        longer identifier goes on after it; else ``None``.

        Why: account and profile names are written that way (``C:\\Users\\Rebecca.Lindqvist``,
        ``/Users/Rebecca_Lindqvist``); the first name alone was found and the surname was left in the
        clear beside ``<PERSON>``. ``Grace.Builder`` and ``Mark_Down`` (English words) and
        ``Victoria.Station.Exit`` or ``Rebecca_Lindqvist_2`` (a dotted path or identifier going on)
        stay as they are; a file extension may follow (``Rebecca.Lindqvist.pdf``)."""
        rules = self.rules
        if not is_first_name(tok.word, rules):
            return None
        m = _JOINED_SURNAME.match(text, tok.end)
        if m is None:
            return None
        word = m.group(1)
        if not (is_surname(word, rules) or is_proper_noun(word, rules)):
            return None
        return m.end(1)

    def _middle_initial(self, text: str, tokens: list[Token], i: int) -> bool:
        """``tokens[i]`` opens "Word X. Word" / "Word X Word": two capitalised words of 2+ letters with
        a single capital (an initial) between them, none a stop word, title or ``names.not_names``."""
        if i + 2 >= len(tokens) or (i > 0 and adjacent(text, tokens[i - 1], tokens[i])):
            return False
        a, b, c = tokens[i], tokens[i + 1], tokens[i + 2]
        rules = self.rules
        if b.word in ("A", "I") and text[b.end:b.end + 1] != "." and not (
                is_first_name(a.word, rules) or is_surname(c.word, rules)) and all(
                w in english_dictionary(rules.model) for w in (a.word, c.word)):
            return False  # "Add A Figure Factory": the article of a title-cased heading
        return (len(b.word) == 1 and len(a.word) >= 2 and len(c.word) >= 2 and not a.word.isupper()
                and not c.word.isupper() and text[a.end:b.start] == " " and adjacent(text, b, c)
                and not any(w in rules.stop_words or w in rules.titles or w in rules.not_names
                            for w in (a.word, c.word)))

    def _in_email(self, text: str, tok: Token) -> bool:
        """The word (3+ letters) is part of the local part of an e-mail address written right after
        it — on its line or the next, within :data:`EMAIL_REACH` characters: people's addresses are
        made of their names (``Fatima Mbeki,mbeki.f@...``, ``Sinead Thornbury <sinead_t...@...>``)."""
        if len(tok.word) < 3:
            return False
        at = text.find("@", tok.end, tok.end + EMAIL_REACH)
        if at < 0 or text.count("\n", tok.end, at) > 1:
            return False
        lo = at
        while lo > tok.end and (text[lo - 1].isalnum() or text[lo - 1] in "._+-"):
            lo -= 1
        local = _fold(text[lo:at])
        word = _fold(tok.word)
        return (len(local) >= 3 and word in local and word not in self._role_mailboxes
                and word not in self.rules.team_words)  # "Debian Janitor <janitor@jelmer.uk>"

    def _name_run(self, text: str, tokens: list[Token], i: int) -> int:
        """Index of the last of up to three adjacent capitalised non-stop words starting at ``i``."""
        last = i
        while (last + 1 < len(tokens) and last - i < 2 and tokens[last + 1].word not in self.rules.stop_words
               and adjacent(text, tokens[last], tokens[last + 1])):
            last += 1
        return last

    def _greeted_end(self, text: str, tokens: list[Token], i: int) -> int | None:
        """End of the name a salutation greets, if the words are followed by , ! : or a line end."""
        end = tokens[self._name_run(text, tokens, i)].end
        return end if text[end:end + 1] in (",", "!", ":", "\n", "") else None

    def _card_name_end(self, text: str, tokens: list[Token], i: int) -> int | None:
        """End of a 2-3 word name alone on its line (only quote or list marks before it), when the
        next line is a street line — house number, then a capitalised street name and another number
        ("4856 75 Caradon Hill", "637 Strojírenská 1006") — or, if a word is a listed name, a company
        line (``names.org_words``)."""
        start = tokens[i].start
        if start and text[start - 1] not in _LINE_MARKS and text[start - 1] != "\n":
            return None  # (the same answer as the line's test below, without reading back to the line's start)
        if text[_line_start(text, start):start].strip(_LINE_MARKS):
            return None
        last = self._name_run(text, tokens, i)
        end = tokens[last].end
        line_end = _line_end(text, end)
        if last == i or text[line_end:line_end + 1] != "\n" or text[end:line_end].strip():
            return None
        rules = self.rules
        if any(t.word in rules.org_words or t.word in rules.not_names or t.word in rules.place_prefixes
               or t.word.isupper() for t in tokens[i:last + 1]):
            return None
        below = text[line_end + 1:_line_end(text, line_end + 1)].strip(_LINE_MARKS)
        if _STREET_LINE.match(below):
            return end
        listed = any(is_first_name(t.word, rules) or is_surname(t.word, rules) for t in tokens[i:last + 1])
        if listed and any(t.word in rules.org_words for t in capitalised_tokens(below)):
            return end  # a company line under a title-cased heading is common: one word must be a name
        return None

    def _signature_end(self, text: str, tokens: list[Token], i: int) -> int | None:
        """End of a 2-3 word name standing alone on the line right under a closing ("Regards,"), or of
        one word there that is no English word ("Cheers,\nLyberth": a given name the lists lack) or a
        name that is also a word (``names.ambiguous``: "Best wishes,\nGrace"); not "Regards,\nSupport"
        or "Thanks,\nTeam". (A listed first name there is taken by :meth:`find` itself.)"""
        last = self._name_run(text, tokens, i)
        end = tokens[last].end
        if text[end:_line_end(text, end)].strip():
            return None
        if last > i:
            return end
        word = tokens[i].word
        named = is_proper_noun(word, self.rules) or word in self.rules.ambiguous
        return end if named and not word.isupper() else None

    def _after_closing(self, text: str, pos: int) -> bool:
        """At the start of a line under a short closing line ("Kind regards,", "Thanks for reading,"),
        with at most one blank line between them."""
        if pos == 0 or text[pos - 1] != "\n":
            return False
        before = text[max(0, pos - 64):pos]
        lines = before.rstrip(" \t\n").rsplit("\n", 1)
        closing = lines[-1].strip().lower()
        gap = before[len(before.rstrip(" \t\n")):]
        return (gap.count("\n") <= 2 and 0 < len(closing) <= MAX_CLOSING_CHARS and closing.endswith(",")
                and any(word in closing for word in self.rules.closings))

    def _after_salutation(self, text: str, pos: int) -> bool:
        before = text[max(0, pos - 12):pos].rstrip(" ,")
        if self._salutation_tails is not None and before[-2:] not in self._salutation_tails:
            return False
        return before.endswith(self._salutations)  # one C call for the whole tuple

    def _after_header(self, text: str, pos: int) -> bool:
        """Right after a message header's label (``names.header_labels`` of ner.yaml), where a team or a department
        stands as often as a person ("To: All Staff", "Cc: Legal Team", "Attn: Accounts Payable").
        Only there are words that are all English dictionary words no name: after other cues they
        are names that are also words ("call me Tore", "said Xenophon")."""
        return ends_with_cue(text[max(0, pos - self._header_reach):pos].lower().rstrip(" \t"), self.rules.header_labels)

    def _after_cue(self, text: str, pos: int) -> bool:
        """Preceded by a phrase that introduces a name ("my name is", "calls me", "Name:")."""
        before = text[max(0, pos - 24):pos].rstrip(" \t")  # on the same line
        tail = before[-2:]
        if self._cue_tails is not None and tail.isascii() and tail.lower() not in self._cue_tails:
            return False  # (an ASCII tail lower-cases alone as it does at the end of the whole)
        return ends_with_cue(before.lower(), self.rules.name_cues) and not _package_name_field(text, pos)


#: What stands before a name written with its handle on its line: nothing or a list item's mark
#: (an attendance list), a separator of a list of people (``, ``, ``: ``, ``(``, ``&``) or a
#: word that introduces people (``by``, ``and``, ``with``, ``from``, ``to``, ``Thanks``, ``cc``),
#: maybe with words the name run takes in and leaves out (``Welcome``, ``Nominating``). Not a
#: changelog entry's description ("Require Colon in Basic Auth (@erykwalder)").
_HANDLE_NAME_LEAD = regex.compile(
    r"(?:^|[,:;(&]|(?<![\w])(?:by|and|with|from|to|Thanks|thanks|cc|Cc|CC))[ \t]{0,8}+"
    r"(?:(?:[*\-+•]|\d{1,3}[.)])[ \t]{1,4}+)?(?:\[[ xX]\][ \t]{1,4}+)?$")
#: An account's handle right after a name, as attendance lists and contributor lists write it
#: (``Joyee Cheung @joyeecheung``, ``Rod Vagg (@rvagg)``): a GitHub-style login (letters, digits,
#: inner hyphens, at most 39), not a team (``@nodejs/tsc``), an address or a dotted name after it.
HANDLE_AFTER_NAME = regex.compile(
    r"[ \t]{1,3}\(?@(?P<handle>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))(?![\w\-/@]|\.\w)")
#: Prepositions, articles and conjunctions: no name ends with one (``A`` and ``V`` may be initials).
NEVER_LAST = frozenset(("in", "on", "at", "of", "for", "to", "and", "or", "by", "with", "from", "the", "an",
                        "is", "was", "vs"))
#: A mailbox line: a changelog's maintainer line (`` -- ``), a commit's trailers, a mail or patch
#: header, a package's maintainer field (``"author": "TJ Holowaychuk <tj@...>"`` of a package.json
#: too), a source file's header comment (``# Author:``, `` * @author``, ``// Copyright (c) 2019``);
#: then a display name (letters of any script, initials,
#: particles, a login, a nickname in quotes or a bracketed addition) and ``<address>``.
#: A mailbox's display name (letters of any script first, then initials, particles, a login, a
#: nickname in quotes or a bracketed addition) and its ``<address>`` (the mailbox kept as ``local``):
#: the pieces the mailbox-line patterns below share.
_DISPLAY_NAME = r"(?P<name>[^\W\d_][\w .'’\"\-()]{0,79}?)"
_ANGLE_ADDRESS = r"<(?P<local>[^<>@\s]{1,64})@[\w.\-]{1,255}>"
_MAILBOX_LINE = regex.compile(
    r"(?m)^[ \t]{0,8}+(?:--|(?:(?:#|//|/?\*|;{1,3}|%|!|--)[ \t]{0,4}+)?(?:(?:From|Author|Committer|Signed-off-by|"
    r"Co-authored-by|Reviewed-by|Acked-by|Tested-by|Reported-by|Suggested-by|Helped-by|Maintainer|Uploaders?|"
    r"Author-email|Maintainer-email|"
    r"Changed-By|Reply-To|Sender|To|Cc|Bcc):|@author|\"?(?:author|maintainer)s?\"?:|"
    r"Copyright:?(?:[ \t]{0,2}(?:\([cC]\)|©))?[ \t]{0,2}\d[\d, \-–]{3,40}))"
    r"[ \t]{1,4}+\"?" + _DISPLAY_NAME + r"\"?[ \t]{1,4}+" + _ANGLE_ADDRESS)


#: A line that is a mailbox alone, as an AUTHORS or CONTRIBUTORS file lists them (``Ben Alman
#: <cowboy@rj3.net>``, maybe a list item's mark before and a bracketed URL or note after), and as
#: a gettext catalogue's header credits its translators, a comment with the years after
#: (``# Surush Sufiew <surush@mail.tj>, 2013-2014, 2016.``).
#: The name holds no digit: a line with a label and a year before the name ("Copyright 2005 by
#: Petr Baudis <...>") is a labelled mailbox line, read by the pattern above. A login's `_` may
#: stand inside it (``# jon_atkinson <...>, 2012``).
_BARE_MAILBOX_LINE = regex.compile(
    r"(?m)^[ \t]{0,8}+(?:[*\-#][ \t]{1,3}+)?(?P<name>[^\W\d_](?:[^\W\d]|[ .'’\"\-()]){0,79}?)[ \t]{1,4}+"
    + _ANGLE_ADDRESS
    + r"(?:(?:,[ \t]{0,2}+\d{4}(?:[-–]\d{4})?){1,40}+\.?)?[ \t]{0,4}+(?:\([^\n()]{0,100}\)[ \t]{0,4}+)?$")
def _bare_display_name(name: str, rules: NerRules) -> bool:
    """Is the text before ``<address>`` on a line of its own a name alone: capitalised words (or of a
    script without case), name particles and initials (``Ryunosuke SATO``, ``Diederik de Haas``), or up to
    three words in lower case (``mu haibao``)? Not a sentence ending in the address: "Thanks to
    Diederik de Haas", "Packaged by Dave Beckett", "Copyright (C) Ian Macdonald"."""
    words = name.split()
    if name.islower():  # not a sentence's last words: "Please report it⏎to <conduct@...>"
        return len(words) <= 3 and not any(w in NEVER_LAST for w in words)
    return (all((w[0].isalpha() and not w[0].islower()) or w in rules.name_particles for w in words)
            and words[0] not in rules.stop_words)  # capitals, or letters without case: "所羅門"


#: The next addresses of a header line after the first: ``, kwame mensah <km@corp.io>``.
_MORE_MAILBOXES = regex.compile(r",[ \t]{0,4}+\"?" + _DISPLAY_NAME + r"\"?[ \t]{1,4}+" + _ANGLE_ADDRESS)
#: A mail client's quote attribution: "On <date and time>, <name> [<address>] wrote:" (Gmail,
#: Apple Mail, Thunderbird), also quoted again (``> On ...``). The name follows the time or the year
#: and holds no digit (the time's would be taken into it).
_QUOTE_ATTRIBUTION = regex.compile(
    r"(?m)^(?:>[ \t]?){0,6}+On [^\n<>]{2,60}?(?:\d{1,2}[:.]\d{2}(?:[ \t]?[AaPp]\.?[Mm]\.?)?|\d{4}),?[ \t]{1,3}+"
    r"(?P<name>[^\W\d_](?:[^\W\d_]|[ .'’\-]){0,60}?),?[ \t]{1,3}+"
    r"(?:" + _ANGLE_ADDRESS + r"[ \t]{0,3}+)?wrote:")
#: A Debian changelog's credit line, naming who made the changes listed under it: ``  [ gregor
#: herrmann ]`` (an address may follow the name).
_CHANGELOG_CREDIT = regex.compile(r"(?m)^  \[ " + _DISPLAY_NAME + r"(?: " + _ANGLE_ADDRESS + r")? \]$")


#: The line after a package's ``Name:`` in its metadata (Python's METADATA and PKG-INFO, R's
#: DESCRIPTION): ``Version: 40.63.0``.
_VERSION_LINE = regex.compile(r"\n(?:Version|Metadata-Version|Title|Type|Summary):[ \t]")


def _package_name_field(text: str, pos: int) -> bool:
    """``pos`` is on a ``Name:`` line of a package's metadata, above its ``Version:`` (or below its
    ``Metadata-Version:``): "Name: Faker⏎Version: 40.63.0" names software, and coreference then
    spread "Faker" over the package's long description. Asked only after the cue matched."""
    line_start = _line_start(text, pos)
    if not text.startswith("Name:", line_start):
        return False
    line_end = _line_end(text, pos)
    if _VERSION_LINE.match(text, line_end) is not None:
        return True
    return line_start > 0 and text.startswith("Metadata-Version:", _line_start(text, line_start - 1))


def _tails(words) -> frozenset[str] | None:
    """The last two characters of each of ``words``, or ``None`` if one is shorter."""
    if any(len(w) < 2 for w in words):
        return None
    return frozenset(w[-2:] for w in words)


def _outermost(found: list[Candidate]) -> list[Candidate]:
    """One name read from two of its words ("Fatima Mbeki" and "Mbeki"): keep the longest, in text
    order. One sweep (a candidate is inside another iff an earlier one, by start and then longest
    first, reaches as far), not a comparison of every pair: a long document has thousands."""
    kept = []
    reach = -1
    for c in sorted(set(found), key=lambda c: (c.start, -c.end)):
        if c.end > reach:
            kept.append(c)
            reach = c.end
    return sorted(kept, key=lambda c: (c.start, c.end))


def _line_start(text: str, pos: int) -> int:
    """Where ``pos``'s line starts, or ``pos - LINE_REACH`` if it started further back."""
    floor = max(0, pos - LINE_REACH)
    return max(floor, text.rfind("\n", floor, pos) + 1)


def _line_end(text: str, pos: int) -> int:
    """Where ``pos``'s line ends (its line break, or the end of the text), or ``pos + LINE_REACH`` if
    it ends further on."""
    ceiling = min(len(text), pos + LINE_REACH)
    found = text.find("\n", pos, ceiling)
    return ceiling if found < 0 else found


def _after_common_word(text: str, tokens: list[Token], i: int, rules: NerRules) -> bool:
    """``tokens[i]`` is a listed first name that is also an English word ("Ledger", "Amber") right
    after a capitalised English word that is no name ("Orbital Ledger", "Golden Amber"): a company,
    product or heading written in title case. A name follows a given name or a title, not an
    adjective; a first name that is no English word ("Senator Maria") is never affected."""
    if i == 0 or not adjacent(text, tokens[i - 1], tokens[i]):
        return False
    dictionary = english_dictionary(rules.model)
    prev = tokens[i - 1].word
    return (tokens[i].word in dictionary and prev in dictionary and prev not in rules.titles
            and prev not in rules.stop_words and prev not in rules.salutations  # "Dear Helena", "Hi Amber"
            and prev not in rules.person_verbs  # "Call Maria tomorrow"
            and not is_first_name(prev, rules) and prev not in rules.last_names and prev not in rules.ambiguous)


#: Quote and list marks that may open a line of a block ("}} ", "> ", "* ").
_LINE_MARKS = " \t}>|*-"
#: A street line: house number, then a second number and a capitalised word ("4856 75 Caradon Hill") or
#: one to four capitalised words and a number ("637 Strojírenská 1006"); bounded, no nested repeats.
_STREET_LINE = regex.compile(r"\d{1,6}[A-Za-z]? (?:\d{1,5} \p{Lu}\p{L}+|\p{Lu}[\p{L}.]+(?: \p{Lu}[\p{L}.]+){0,3} \d)")

#: A closing is a short line ("Thanks for reading,"), not a sentence that happens to contain "thanks".
MAX_CLOSING_CHARS = 32

#: How far after a word an e-mail address may start for the word to count as its owner's name.
EMAIL_REACH = 120
#: A house number right after a word: " 939", " 93.", " 12b," — then the end of the line, a comma, a
#: full stop, a second number or the word "street" (a person's name is not followed by a bare number).
_NUMBER_AFTER = regex.compile(r" \d{1,5}[a-zA-Z]?(?:[,.]?[ \t]*$|,|\.(?!\d)| \d| (?i:street|st)\b)", regex.M)
#: " and " then a street: a house number and a capitalised word, or capitalised words and a number.
_CORNER_AFTER = regex.compile(r" and (?:\d{1,6} \p{Lu}|\p{Lu}[\p{L}\-]+(?: \p{Lu}[\p{L}\-]+){0,2} \d{1,5}\b)")
#: The unit of an address right before: "Apt. 538 ", "Suite 547, ", "Unit 12B ", "P.O. Box 46 ".
_AFTER_UNIT = regex.compile(r"\b(?:Apt|Apartment|Suite|Ste|Unit|Box|Flat)\.? ?\d{1,6}[A-Za-z]?,? $")
#: "corner of <first street with its house number> and " right before, on the same line (a number
#: makes it a street: "on the corner of it, Anna and Peter" is no address).
_CORNER_BEFORE = regex.compile(r"\bcorner of [^\n\d]{0,60}\d[^\n]{0,30} and $")
#: A house number right before: 1-6 digits that are not a year ("in 2019 Anna ..."), after a line start,
#: a space or a comma.
_HOUSE_NUMBER_BEFORE = regex.compile(r"(?:^|[\s,])(?!(?:19|20)\d\d )\d{1,6}[A-Za-z]? $")
#: A number one to three words on, on the same line ("János u. 52.", "Jõe põik 97,", "Frans van Mierisplein
#: 148"), then the end of the line or punctuation: the house number of a street written "number name number".
_NUMBER_SOON_AFTER = regex.compile(r"(?: [\p{L}.'-]+){1,3} \d{1,5}[a-zA-Z]?(?:[,.?]|[ \t]*$|\s+(?:Apt|Suite))", regex.M)
#: After a place name in addresses: ", ST 12345" or ", ST\n" (a US state's, a Canadian province's,
#: a Brazilian state's or an Italian province's code).
_STATE_AFTER = regex.compile(r", (?P<code>[A-Z]{2})(?P<zip> \d{5}\b)?(?:\s|$)")


def _fold(text: str) -> str:
    """Lower case without accents (Sørensen ~ sorensen), for comparing names with mailboxes."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.lower().replace("ø", "o"))
                   if not unicodedata.combining(ch))


def _addressed(text: str, end: int) -> bool:
    """A lone capitalised word used as a name: a speaker label at the start of a line ("Lorenza:"),
    addressed ("Salikh, can I ...") or a possessive ("Kiera's"). A label before grouped hex or digits or
    a code (``Mac: 00:1A:2B:3C:4D:5E``, ``VIN: 1HGCM82633A004352``) names a field, not a speaker, and a
    colon ending the line (``class Morgan:``, a YAML key) opens a block, not speech."""
    nxt = text[end:end + 3]
    if nxt[:1] == ":":  # said on the same line: "class Morgan:" or a YAML key ends its line
        return nxt[1:2] not in ("", "\n", "\r") and _FIELD_VALUE.match(text, end + 1) is None
    return nxt.startswith(("'s", "’s")) or (nxt[:1] == "," and nxt[1:2] == " " and nxt[2:3].islower())


def _initial_between(text: str, tokens: list[Token], k: int) -> bool:
    """``tokens[k]`` is a middle initial that happens to be a stop word ("Wit A. Rutkowski")."""
    return len(tokens[k].word) == 1 and k + 1 < len(tokens) and adjacent(text, tokens[k], tokens[k + 1])


#: Letters NFKD does not take apart, spelled as nomquamgender's ASCII names spell them.
_ASCII_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae",
                                "Æ": "Ae", "ß": "ss", "þ": "th", "Þ": "Th", "ð": "d", "ı": "i"})


#: The quotes a nickname is written between inside a name (`Margaret "Peggy" O'Sullivan`): opening
#: quote -> closing quotes.
_NICKNAME_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’"}


def _nickname_between(text: str, tokens: list[Token], k: int, first: int) -> bool:
    """``tokens[k + 1]`` goes on the name ending at ``tokens[k]`` across a quoted nickname: it is the
    nickname (`Margaret| "Peggy|" Ann`), or the word after it (`"Peggy|" Ann`). Obituaries and
    biographies write names so; the quotes split the run, and the given name before them was then
    read alone, as a heading's word, and left ("Obituary: Margaret "<PERSON>" <PERSON>")."""
    if k + 1 >= len(tokens):
        return False
    opening = text[tokens[k].end:tokens[k + 1].start]
    if len(opening) == 2 and opening[0] == " " and opening[1] in _NICKNAME_QUOTES:
        # the nickname itself, one word, closed and followed by the next word of the name
        close = _NICKNAME_QUOTES[opening[1]]
        return (k + 2 < len(tokens) and text[tokens[k + 1].end:tokens[k + 2].start] == close + " "
                and not text[tokens[k + 2].end:tokens[k + 2].end + 1].isalpha())
    if k > first and len(opening) == 2 and opening[1] == " ":
        # the word after the nickname: the nickname opened after a word of this name
        before = text[tokens[k - 1].end:tokens[k].start]
        return len(before) == 2 and before[0] == " " and _NICKNAME_QUOTES.get(before[1]) == opening[0]
    return False


def ascii_name(word: str) -> str:
    """``word`` without diacritics ("Lechosław" -> "Lechoslaw", "Žarko" -> "Zarko")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.translate(_ASCII_LETTERS))
                   if not unicodedata.combining(ch))


#: A lower-case article of German, Dutch, French, Italian or Spanish right before a word: it makes
#: the word a noun ("zog der Mann eine Pistole", "ein Mann", "il Papa"), not a given name.
_ARTICLE_BEFORE = regex.compile(
    r"(?:^|[^\w'’])(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|het|een|il|lo|la|gli|le|les|"
    r"el|los|las|un|una|uno|une)[ \t]$")


def after_article(text: str, pos: int) -> bool:
    """Is the word at ``pos`` right after a lower-case article of another language (``der Mann``)?
    Asked only of one listed word in text that is not English: a given name there is written
    without one ("sagte Jürgen"), a noun the lists hold as a name with one (``Mann`` 278 times in
    German fortunes)."""
    return _ARTICLE_BEFORE.search(text, max(0, pos - 8), pos) is not None


def _verb_not_name(word: str, rules: NerRules) -> bool:
    """A verb no name list holds, in its base form or in -ing ("Welcome", "Nominating"), opening
    a list item or a sentence before a name; "Bill", "Mark" (listed) and "Rod" (no verb) stay."""
    if word in rules.ambiguous or _listed(word, rules):
        return False
    dictionary = english_dictionary(rules.model)
    return dictionary.is_verb_lemma(word) or (word.endswith("ing") and word in dictionary)


def is_first_name(word: str, rules: NerRules) -> bool:
    """A listed first name, as written or, for a word with diacritics, in ASCII (part of the list is
    transliterated: "Lechosław" is found as "Lechoslaw"; a salutation or title is not, though its
    ASCII spelling may be listed: "Chère" is no "Chere")."""
    return word in rules.first_names or (not word.isascii() and word not in rules.salutations
                                         and word not in rules.titles and ascii_name(word) in rules.first_names)


def is_surname(word: str, rules: NerRules) -> bool:
    """A listed surname, or a word with a typical surname ending (``names.surname_endings``:
    Kristjánsdóttir, Matković, Rutkowski, Gairbekov) at least ``SURNAME_ENDING_MIN`` letters long."""
    return word in rules.last_names or (
        len(word) >= SURNAME_ENDING_MIN and word.endswith(rules.surname_endings) and not word.isupper()
        and word not in rules.not_names and word not in rules.stop_words
    )


def is_proper_noun(word: str, rules: NerRules) -> bool:
    """A capitalised word of 3+ letters that is no English word (:mod:`scrubber.detect.dictionary`),
    no stop word, title or ``names.not_names`` entry and not all capitals: "Lyberth", "Sonoka",
    "Kavran" — a name, a place or a brand, never "Tales" or "Report". Acronyms, short words ("ID",
    "Al") and contractions ("I'm") are left out: too many are codes or words."""
    return (len(word) >= PROPER_NOUN_MIN and word.replace("-", "").isalpha() and not word.isupper()
            and word not in rules.stop_words
            and word not in rules.titles and word not in rules.not_names
            and word not in english_dictionary(rules.model))


#: Shorter capitalised words are too often codes, abbreviations or units to count as proper nouns.
PROPER_NOUN_MIN = 3

#: Shorter words with a surname ending are too often ordinary words.
SURNAME_ENDING_MIN = 6


def eponym(text: str, start: int, end: int, rules: NerRules) -> bool:
    """The name at ``text[start:end]`` opens a term named for someone: its possessive, then a noun of
    ``names.eponym_nouns`` right after or after one more lower-case word ("Newton's laws",
    "Parkinson's disease", "Bayes' theorem", "Newton's second law"), not going on as another noun
    (``names.eponym_compounds``: "Smith's law firm"); or two or more names joined by hyphens before
    such a noun or one of ``names.eponym_pair_nouns`` ("Miller-Rabin test", "Navier-Stokes
    equations", "Kolmogorov-Smirnov test"; a person's double surname follows a given name and is
    no one-word span). There the name refers to no one in the text, and redacting it destroyed the
    term ("<PERSON>'s disease", "<PERSON>-Rabin test")."""
    if not rules.eponym_nouns:
        return False
    m = _POSSESSIVE_WORDS.match(text, end)
    if m is not None:
        words = m.groups()
        for k in (0, 1):
            if words[k] in rules.eponym_nouns:
                return words[k + 1] not in rules.eponym_compounds
        return False
    m = _HYPHENATED_BEFORE_NOUN.match(text, end)
    if m is None or not (m.group(1) or "-" in text[start:end]):
        return False
    noun = m.group(2)
    return noun in rules.eponym_nouns or noun in rules.eponym_pair_nouns


def _before_lower_word(text: str, end: int) -> bool:
    """Followed by a space and a lower-case word ("Teresa is", "Horton began"): the capitalised word
    is the subject of a sentence, not a heading or the first of a title-cased phrase. Names that are
    also common words were left out of the lists (scripts/gen_detect_names.py, ``names.ambiguous``)."""
    return text[end:end + 1] == " " and text[end + 1:end + 2].islower()


#: Determiners after a verb opening an instruction ("Edit the text", "Add a figure"): after a name
#: a verb comes ("Grace said"), not one of these.
_DETERMINER_AFTER = regex.compile(r" (?:the|a|an|this|that|these|those|your|my|our|all|any|each|every|some)\b")


def _imperative(text: str, tok: Token, rules: NerRules) -> bool:
    """A listed first name that is an English word, opening a sentence before a determiner: an
    instruction's verb ("Edit the suggested text below": Edit is a Hungarian given name)."""
    return _DETERMINER_AFTER.match(text, tok.end) is not None and tok.word in english_dictionary(rules.model)


#: One to three dotted initials, then a capitalised word: "T.J. Okonkwo", "A.B. Nguyen", "P. Horvat".
_INITIALS_THEN_WORD = regex.compile(r"(?<![\w.])(?:\p{Lu}\.[ ]?){1,3}(?P<surname>\p{Lu}[\p{Ll}'’\-]{1,30})(?![\w'’\-])")


#: What may part a given name from its surname in wrapped or justified text: a line break and the
#: next line's indentation (a comment's or quote's mark too: ``# ``, ``> ``, `` * ``), or two to
#: eight spaces (``man`` justifies its lines: "Robert      Luberda").
_WRAP_GAP = regex.compile(r"[ \t]*\r?\n[ \t]*(?:[#>*/]{1,3}[ \t]{1,4})?|[ \t]{2,8}")


#: What stands before a wrapped name's given name: a space or an opening bracket or quote.
_BEFORE_WRAPPED_NAME = frozenset(" \t([\"'“‘")


def _wrapped_names(text: str, tokens: list[Token], rules: NerRules) -> list[Candidate]:
    """A listed given name whose surname a line break or justified spacing parted from it: each
    word's own span, so the line's layout stays ("talked to Margaret⏎Thornbury", a manual's
    "written by Jason⏎       Gunthorpe", "Robert      Luberda").

    Why: every rule joins a name's words across one space only, and spaCy's spans are cut at line
    breaks and field breaks, so hard-wrapped mail, plain-text documents and manual pages gave the
    given name and left the surname. Only where the gap is no field or line of its own: the given
    name has words before it on its line (a signature's or a card's "Liam⏎Orbital Ledger" stands
    alone) and no name word right before it ("Aisha Whitfield⏎Northwind Analytics" is a whole name
    over a company line), and the surname is a listed surname (``Smith`` of
    ``names.common_surnames`` too) or no English word, no stop word ("Margaret⏎The report" is a new
    sentence), and no capitalised word follows it ("⏎Quillmark Health")."""
    out = []
    for i in range(len(tokens) - 1):
        tok, nxt = tokens[i], tokens[i + 1]
        if not is_first_name(tok.word, rules) or tok.word in rules.ambiguous or text[tok.end:nxt.start] == " ":
            continue  # the set lookups and one space first: most words are no given name before a gap
        if (_WRAP_GAP.fullmatch(text, tok.end, nxt.start) is None
                or (i > 0 and adjacent(text, tokens[i - 1], tok))  # "Aisha Whitfield⏎": a whole name
                or (i + 2 < len(tokens) and adjacent(text, nxt, tokens[i + 2]))):  # "⏎Northwind Analytics"
            continue
        line_start = _line_start(text, tok.start)
        if (not text[line_start:tok.start].strip() or text[tok.start - 1] not in _BEFORE_WRAPPED_NAME
                or nxt.word in rules.stop_words or nxt.word.isupper() or text.startswith(":", nxt.end)):
            continue  # a URL's or a path's word ("sponsors/Julian"), a field's label ("⏎Project-URL:")
        if not (is_surname(nxt.word, rules) or nxt.word in rules.common_surnames or is_proper_noun(nxt.word, rules)):
            continue
        if (street_or_place(text, tok.start, nxt.end, rules) or company_or_place(text, tok.start, nxt.end, rules)
                or code_identifier(text, tok.start, nxt.end)):
            continue
        out.append(Candidate(tok.start, tok.end, "PERSON", rules.name_score, NAMES_RECOGNIZER, NER_PRIORITY))
        out.append(Candidate(nxt.start, nxt.end, "PERSON", rules.name_score, NAMES_RECOGNIZER, NER_PRIORITY))
    return out


def _initials_before_surname(text: str, rules: NerRules) -> list[Candidate]:
    """Dotted initials before a listed surname, initials and surname as one name.

    Why: "Contact T.J. Okonkwo", "cc: A.B. Nguyen, P. Horvat" were left whole: no given name for
    the lists to start from, and spaCy's small model reads a capital with a dot as an abbreviation.
    Only a listed surname counts (the lists leave out surnames that are common words: "U.S. Army",
    "D.C. Comics", "U.S. Bank" stay), and not in a company's or a street's name ("B.P. Marsh &
    Partners plc"); a first name alone ("J. Maria") is left to NER.
    """
    return [Candidate(m.start(), m.end(), "PERSON", rules.name_score, NAMES_RECOGNIZER, NER_PRIORITY)
            for m in _INITIALS_THEN_WORD.finditer(text) if is_surname(m["surname"], rules)
            # "B.P. Marsh & Partners plc": a company named for someone
            # (the surname alone: undotted, "A.B." is Sweden's company word "AB")
            and not (street_or_place(text, m.start(), m.end(), rules)
                     or company_or_place(text, m.start("surname"), m.end(), rules))]


_COLON_AFTER = regex.compile(r"\.?[ \t]*:")

#: A quotation's attribution on the line under it: the line before ends a sentence or a quote, then
#: an indented dash (or an em dash or quotation bar at any indent), the name — up to three dotted
#: initials and one to four capitalised words, name particles between — and the end of the line,
#: a comma and the source ("-- Mae West, in 'Klondike Annie'") or "in" and a source. The match
#: starts at the line break (the lookbehind reads the line above): opening with a lookbehind, the
#: pattern was tried at every character of a document holding "--" (11 ms per MB of PEPs, 2 now).
_ATTRIBUTION = regex.compile(
    r"(?m)(?<=[.!?\"”’'…][ \t]{0,8})\n(?:[ \t]{1,16}+(?:--|—|―)|[ \t]{0,16}+[—―])[ \t]{0,3}+"
    r"(?P<name>(?:\p{Lu}\.[ \t]?){0,3}+\p{Lu}[\p{L}\p{M}'’\-]{0,30}+"
    r"(?:[ \t](?:\p{Lu}\.|\p{Lu}[\p{L}\p{M}'’\-]{0,30}+|de|la|le|da|di|van|von|der|du|St\.)){0,4}+)"
    r"[ \t]*+(?:$|,|[ \t]in[ \t])")


#: A dotted initial as a word of its own ("W. Somerset Maugham", "P. J. Plauger").
_DOTTED_INITIAL = regex.compile(r"(?<![\p{L}.])\p{Lu}\.(?:[ \t]|$)")


def attribution_line(text: str, line_start: int) -> bool:
    """Is the line at ``line_start`` a quotation's attribution (:data:`_ATTRIBUTION`)? Its dash is
    no list item's bullet and its first word no instruction's verb (``-- Garrison Keillor``)."""
    return line_start > 0 and _ATTRIBUTION.match(text, line_start - 1) is not None


def _attribution_names(text: str, rules: NerRules) -> list[Candidate]:
    """The name under a quotation, after its dash (``\t\t-- Garrison Keillor``, ``— Mae West,
    in "Klondike Annie"``): fortune files, epigraphs, signatures and web pages credit a quote so.

    Why: the lists and the model missed one attribution in twelve of 2.6 MB of fortune files
    (``W. Somerset Maugham``, ``D. Gries``, ``Booth Tarkington``): initials and surnames no list
    holds, and no sentence around them. Two words at least (initials count); not a work, band or
    paper (``The Grateful Dead``, a first stop word), a company or team (``Sun Microsystems Inc``),
    English words only (``National Lampoon``, ``Russian Proverb``) or, unless it reads as a full
    name or holds an initial, ending in a noun no list holds (``Firesign Theatre``, ``Sacramento
    Daily Union``; WordNet holds famous surnames as nouns, ``W. Somerset Maugham`` stays); the
    line above must end a sentence or a quote, so a code comment (``    -- Create Table Users``
    under ``);``) is not read. In text that is not English the dictionary says nothing of a word,
    so there a listed name (``Max Brod``), an initial or a name particle (``Heimito von Doderer``,
    ``La Rochefoucauld``) must vouch for it (``-- Chinesisches Sprichwort`` is no one)."""
    out = []
    language: LanguageView | None = None
    for m in _ATTRIBUTION.finditer(text):
        name = m.group("name").rstrip(" \t")
        start = m.start("name")
        tokens = capitalised_tokens(name)
        while (len(tokens) > 2 and not tokens[0].word.isupper()
               and (tokens[0].word in rules.titles or role_word(tokens[0].word, rules))):
            tokens = tokens[1:]  # "Physicist Tony Feinberg", "President John F. Kennedy": the role is no part
        if tokens and tokens[0].start:
            start += tokens[0].start
            name = name[tokens[0].start:]
        words = [t.word for t in tokens]
        if (len(name.split()) < 2 or not words or words[0] in rules.stop_words or words[0] in rules.titles
                or any(w.lower() in NEVER_LAST for w in words[1:])  # "Letters From Colette": a title
                or "'s " in name or "’s " in name  # "Monty Python's Flying Circus": a work named for someone
                or any(w in rules.org_words or w.lower() in rules.team_words or w in rules.institution_words
                       for w in words)
                or all(w in rules.not_names for w in words)
                or (not _DOTTED_INITIAL.search(name)  # "W. Somerset Maugham": a person's initial
                    and (common_words_only(name, rules)
                         or (not _reads_as_full_name(words, rules) and _ends_in_common_noun(words, rules))))):
            continue
        parts = name.split()
        if (not _DOTTED_INITIAL.search(name) and not any(_listed(w, rules) or w in rules.ambiguous for w in words)
                and not any(p in rules.name_particles for p in parts[1:-1])  # "Heimito von Doderer"
                and parts[0].lower() not in rules.name_particles):  # "La Rochefoucauld", "De Gaulle"
            if language is None:
                language = LanguageView(text, rules)
            if language.other_language_at(start):
                continue  # "-- Chinesisches Sprichwort", "-- Calendario di Frate Indovino": no English test
        out.append(Candidate(start, start + len(name), "PERSON", rules.name_score, NAMES_RECOGNIZER, NER_PRIORITY))
    return out


def field_label(text: str, start: int, end: int, rules: NerRules) -> bool:
    """``text[start:end]`` is a form's field label, not a person: capitalised words ending in a
    label noun (``names.field_label_nouns``) before a colon ("Account Name: Kofi Mensah",
    "Beneficiary Name:"), which spaCy and a cue such as "to:" before it took for a name (and
    coreference then spread its first word)."""
    words = text[start:end].split()
    return len(words) > 1 and words[-1] in rules.field_label_nouns and _COLON_AFTER.match(text, end) is not None


#: The capitalised word right after a span, one space between ("Emory| University)").
_WORD_AFTER = regex.compile(r" (\p{Lu}\p{L}*)")
#: A keyword that names what follows as a type or a module in code (``class Morgan:``, ``new
#: Victor()``, ``import Jackson``) ...
_CODE_KEYWORD_BEFORE = regex.compile(
    r"(?:^|(?<=[\s;{(]))(?:(class|def|struct|interface|enum|trait|import|extends|implements|typedef)|new)[ \t]+$")
#: ... and what follows an identifier there: punctuation of a declaration, or the end of the line
#: ("The class Maria Lopez teaches" is prose); after `new`, only a constructor call's `(` or `<`
#: ("our new Maria." is prose).
_CODE_AFTER = regex.compile(r"[ \t]*(?:[:({<;=]|$|extends\b|implements\b)", regex.MULTILINE)
_CALL_AFTER = regex.compile(r"[ \t]*[(<]")
#: After `import`, the names a statement lists go on with `,` or `as` (``from enum import Enum,
#: auto``, ``import Namespace as NamespaceV1``).
_IMPORTED_AFTER = regex.compile(r"[ \t]*(?:,|as\b)")
#: An attribute of an object or module (``torch.fx.Node``, ``pickle.Pickler``, ``pd.DataFrame``):
#: a dot right after a lower-case letter, a digit, `_` or a closing bracket. An initial's dot
#: follows a capital ("J.R.R. Tolkien").
_ATTRIBUTE_DOT = regex.compile(r"[\p{Ll}\d_)\]]\.$")


#: A trove classifier's line, in a package's metadata or quoted in setup.py and pyproject.toml:
#: ``Classifier: Intended Audience :: Developers``, ``    "Operating System :: MacOS :: MacOS X",``.
#: A page title's `` :: `` ("Maria Lopez :: Profile") is no classifier.
_TROVE_CLASSIFIER = regex.compile(r"[ \t]{0,16}+(?:Classifier:[ \t]{0,4}+|[\"'])\p{Lu}[\w \-/]{0,60}? :: ")


#: What follows a path's folder, a subscripted type or a generic type right after the word: a
#: slash before a lower-case letter, digit, ``_``, ``.``, ``-`` or a word in capitals that goes on
#: as a path, to another slash, a file's extension or the end of a code span (``Lib/test/``,
#: ``Misc/NEWS.d``, ```Lib/tzdata```; not an account's repository or model,
#: ``Maltehb/danish-bert-botxo``, whose account is someone's); a bracket before a type (``[int]``,
#: ``[T, x]``, ``[Callable[``), not before a footnote (``Smith[1]``) or a note in words
#: (``Jason[FAMILY Given]`` of a translated manual page); an angle bracket before a type
#: (``Vec<u8>``, ``Rc<RefCell<T>>``, ``Box<dyn Fn()>``), not before a mailbox written without a
#: space (``Maria<maria@x.org>``).
_PATH_OR_SUBSCRIPT = regex.compile(
    r"/(?=(?:[\p{Ll}\d_.\-]|\p{Lu}{2})[\w\-]{0,80}+(?:[/.]\w|`))|\[(?:[\p{Ll}_]|\p{Lu}[\p{L}\d_.]{0,40}+[,\]\[])"
    r"|<(?![^<>\n@]{0,64}+@)[\p{L}_&'(\[*]")


def code_identifier(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a class, type or module name in code (``class Morgan:``, ``new
    Jackson()``, ``import Victoria``, ``from enum import Enum, auto``), an attribute
    (``torch.fx.Node``, ``pickle.Pickler``), a call (``BDay()``) or the rest of an identifier
    (``_Namespace``): spaCy and the name lists read such identifiers as people, and coreference
    then spread the word over the file (``None`` after ``if name is`` became 565 names in 2 MB of
    Python). A name in prose is written with a space before its bracket (``Maria (CEO)``). So is a
    part of a path joined by ``::`` (C++, Rust and Perl namespaces, ``Data::Dumper``) or by `` :: ``
    (Python packages' trove classifiers: ``Operating System :: MacOS :: MacOS X``, ``Intended
    Audience :: Developers``), a path's folder (``Lib/test/test_string.py``, ``Misc/NEWS.d``), a
    subscripted type (``Annotated[T, x]``, ``Property[int]``) and a generic one (``Vec<u8>``,
    ``Rc<RefCell<T>>``), each one word: a footnote's number after a name (``Smith[1]``), names
    joined by a slash (``Anna/Bob``) and a full name before one (``Maria Lopez/legal``) stay names."""
    before = text[start - 1:start] if start else ""
    if (text.startswith("::", end) or text.endswith("::", 0, start) or (
            (text.startswith(" ::", end) or text.endswith(":: ", 0, start))
            and _TROVE_CLASSIFIER.match(text, _line_start(text, start)) is not None)
            or before == "_" or text[end:end + 1] == "("
            or (_PATH_OR_SUBSCRIPT.match(text, end) is not None and " " not in text[start:end]) or (
            before == "." and _ATTRIBUTE_DOT.search(text, max(0, start - 2), start) is not None)):
        return True
    keyword = _CODE_KEYWORD_BEFORE.search(text, max(0, start - 12), start)
    if keyword is None:
        return False
    if keyword.group(1) == "import" and _IMPORTED_AFTER.match(text, end) is not None:
        return True
    after = _CODE_AFTER if keyword.group(1) else _CALL_AFTER
    return after.match(text, end) is not None


#: A Markdown heading's opening: up to three spaces, one to six `#` and a space or tab.
_HEADING_START = regex.compile(r"[ ]{0,3}#{1,6}[ \t]")
#: Capitalised words, each followed by a space: what may open a heading before a span in it
#: ("## Dataset| Card Contact").
_TITLE_WORDS = regex.compile(r"(?:\p{Lu}[\p{L}'’\-]*[ \t]+)*")
#: One word in camel case: a capital later in the word after a lower-case letter ("MaskedArray",
#: "PyArrow", "BDay") or an acronym before a capitalised part ("OSError", "ASLIntrinsicParser").
_CAMEL_WORD = regex.compile(r"(?=\p{Lu}\p{L}+$)\p{L}*?(?:\p{Ll}\p{Lu}|\p{Lu}\p{Lu}\p{Ll})")
#: Its first part: the capitals of an acronym, or a capital and lower-case letters.
_FIRST_HUMP = regex.compile(r"\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}\p{Ll}*")


def heading_without_names(text: str, start: int, end: int, rules: NerRules) -> bool:
    """``text[start:end]`` stands in a Markdown heading, after nothing but title-cased words, and
    none of the heading's words up to its end is a listed first name or surname: model and dataset
    cards' "## Model Details", "### Training Hyperparameters", "## Dataset Card Contact", a
    README's "# Add A Figure Factory", which spaCy's small model reads as people (and coreference
    then spread "Training" over the card). A heading that is someone's name ("# Jessica
    Thornbury") holds a listed word and stays a name; so does a name after other words on a line
    that opens with `#` (a code comment's "# Copyright 2017 Zanele Delacroix")."""
    line_start = _line_start(text, start)
    if text[line_start:line_start + 1] not in (" ", "#"):
        return False
    heading = _HEADING_START.match(text, line_start)
    if heading is None or _TITLE_WORDS.fullmatch(text, heading.end(), start) is None:
        return False  # after other title-cased words only: "# Copyright 2017 Zanele Delacroix" is a comment
    words = [t.word for t in capitalised_tokens(text[heading.end():end])]
    return bool(words) and not any(is_first_name(w, rules) or is_surname(w, rules) for w in words)


def code_span_or_identifier(text: str, start: int, end: int, rules: NerRules) -> bool:
    """``text[start:end]`` is a Markdown code span's whole text (`` `Keyword` ``) or one camel-case
    word (``MaskedArray``, ``PyArrow``, ``OSError``, ``DTypes``: :data:`_CAMEL_WORD`): a class,
    function or product of the docs' code, which spaCy reads as a person. Names written so keep
    theirs: an inner capital after a name prefix (``names.camel_name_prefixes``: ``McDonald``,
    ``MacArthur``, ``DeShawn``, ``LaToya``, ``LeBron``, ``DiCaprio``) or a listed first name and
    surname written together, as logins and profile links write them (``IlyaSukhanov``)."""
    if start > 0 and text[start - 1] == "`" and text[end:end + 1] == "`":
        return True
    if _CAMEL_WORD.match(text[start:end]) is None:
        return False
    first = _FIRST_HUMP.match(text, start, end).group()
    rest = text[start + len(first):end]
    return not (first in rules.camel_name_prefixes or (is_first_name(first, rules) and is_surname(rest, rules)))


def code_word_without_names(text: str, start: int, end: int, rules: NerRules) -> bool:
    """``text[start:end]`` holds several words, one of them a camel-case word of code or a product
    (:func:`code_span_or_identifier`: ``MemorySanitizer``, ``PyArrow``) and the others English words
    only (:func:`common_words_only`): a title or a phrase of technical prose ("Stabilize
    MemorySanitizer and ThreadSanitizer Support" in Rust's project goals, which coreference then
    spread as `Stabilize` 67 times over the document), not a person. "JoAnne Smith" and "JoAnne
    Whitfield" hold a name or a word that is no English word and stay names."""
    words = capitalised_tokens(text[start:end])
    if len(words) < 2:
        return False
    code = [w for w in words if code_span_or_identifier(text, start + w.start, start + w.end, rules)]
    rest = " ".join(w.word for w in words if w not in code)
    return bool(code) and bool(rest) and common_words_only(rest, rules)


def street_or_place(text: str, start: int, end: int, rules: NerRules) -> bool:
    """Is ``text[start:end]`` part of an address rather than a person's name?

    Next to a street word ("Via Carlo Cattaneo", "Rua Caldeirão", "Kishiev Avenue", "Sari Gardens
    St"), between a house number and a number ("12 Petr Points 7"), a city before a US state code
    ("Austin, TX"; not "Maria Lopez, MD"), a word followed by a house number or a corner's other
    street, a town after an address's unit ("Apt. 538 Giessenburg") or after a postal code ("10115
    Berlin"), a corner's second street ("corner of Feldstrasse 61 and Marušić Brook").
    """
    words = text[start:end].replace(".", " ").split()
    suffixes, prefixes = rules.street_suffixes, rules.street_prefixes
    if any(w in suffixes for w in words[1:]) or (len(words) > 1 and words[0] in prefixes):
        return True
    before = text[max(0, start - 16):start]
    prev = before.replace(".", " ").split()
    after = text[end:end + 16]
    nxt = after.replace(".", " ").replace(",", " ").split()
    if prev and before.endswith((" ", ". ")) and (
        prev[-1] in prefixes or (prev[-1].islower() and prev[-1].title() in prefixes)  # "14 rue X"
        # between a house number and a number ("90878 Martin Linges 149"), not after a year
        or (before.split()[-1].isdigit() and nxt and nxt[0][:1].isdigit())
    ):
        return True
    if nxt and nxt[0] in suffixes and after[:1] == " ":
        return True
    # a house number after the street name, as most of Europe writes it ("Školní 939", "Askelund 93\n")
    # or the other street of a corner ("Julitta and 2870 Fallon Drive", "Kelvin and Dalmatinova 38")
    if _NUMBER_AFTER.match(text, end) or _CORNER_AFTER.match(text, end):
        return True
    line = text[max(start - 80, text.rfind("\n", max(0, start - 80), start) + 1, 0):start]
    # the town after the unit of an address ("... Apt. 538 Giessenburg", "Suite 547, Quinta"), the second
    # street of a corner ("the corner of Feldstrasse 61 and Marušić Brook"), or the words between a house
    # number and a number a few words on ("3493 Apáczai Csere János u. 52.", "4278 Jõe põik 97")
    if _AFTER_UNIT.search(line) or _CORNER_BEFORE.search(line):
        return True
    if _HOUSE_NUMBER_BEFORE.search(line) and _NUMBER_SOON_AFTER.match(text, end):
        return True
    # the town after a postal code ("Musterstraße 12, 10115 Berlin", "8001 Zürich" opening its line);
    # one word only: "10234 Maria Lopez" in a staff list is an ID before a name
    if " " not in text[start:end] and _POSTCODE_BEFORE.search(line):
        return True
    state = _STATE_AFTER.match(text, end)
    if state is None:
        return False
    # "Baltimore, MD" is a place; "Maria Lopez, MD" a doctor
    return not (state["code"] in rules.postnominal_codes and state["zip"] is None and len(words) > 1
                and _reads_as_full_name(words, rules))


#: A postal code right before a word, as most of Europe writes a town: five digits, or four opening
#: the line or after a comma (four digits alone are as often a year: "In 2019 Berlin hosted").
_POSTCODE_BEFORE = regex.compile(r"(?:(?<![\w.,/:\-])\d{5}|(?:^|(?<=,)|(?<=, ))\d{4}) $")


_NON_SPACE = regex.compile(r"\S*")
#: A number and a comma before a word that ends its line: the town of an address ("Stefana 28, Łódź").
_AFTER_HOUSE_NUMBER = regex.compile(r"\d[\w/-]{0,5}, $")


def company_or_place(text: str, start: int, end: int, rules: NerRules) -> bool:
    """Is ``text[start:end]`` part of a company name or a place rather than a person's name?

    A company word inside or right after it ("Ganesh Housing Corporation", "Renault SA", "Cohen &
    Steers"; ``names.org_words``); after or starting with a word that opens place names ("New
    Zealand", "Los Angeles"; ``names.place_prefixes``); a single word after a phrase that introduces a place ("flew to
    Aartselaar", "home city Messina"; ``names.place_cues``); the last words of an address line after a
    house number ("Fortunastrasse 125, Erlen") or on the line above a country ("Edmonton\nCanada");
    after "the", a noun phrase no name list vouches for ("The Valley Courier is"), one word heading its
    phrase even when listed ("The Tao of Programming", "the Lord;", "Guide to the Galaxy": a given
    name takes no article; "the Smith family" stays a name, it is the noun's) or a word before a
    place noun ("the Madison public library"; ``names.place_nouns``); and, unless it reads as a
    person's full name, after an organisation cue ("a spokesperson for Kestrel Freight";
    ``names.org_cues``) or on a signature's company line ("Operations Lead, Kestrel Freight").
    Users wanted such text kept in training data: it named no person.
    """
    words = [t.word for t in capitalised_tokens(text[start:end])]
    glued = _NON_SPACE.match(text, end).group()  # the rest of a dotted word ("Novak S" + ".A.")
    undotted = [w.replace(".", "") for w in (text[start:end] + glued).split()]  # "S.A.", "K.K."
    if (any(w in rules.org_words for w in words) or any(w in rules.org_words for w in undotted)
            or (len(words) > 1 and words[0] in rules.place_prefixes)):
        return True
    prev = regex.search(r"(\p{Lu}[\p{L}\p{M}]*)\.? $", text[max(0, start - 12):start])
    if prev and prev.group(1) in rules.place_prefixes:  # "New Zealand", "Los Angeles", "St Felicien"
        return True
    line_end = _line_end(text, end)
    after = text[end:line_end]
    nxt = after.lstrip(" ,").split(" ", 1)[0].rstrip(".,;:)")
    if (len(words) > 1 and words[-1] in rules.institution_words) or (
            (word_after := _WORD_AFTER.match(after)) is not None and word_after.group(1) in rules.institution_words):
        return True  # "Emory University", "Johns Hopkins Hospital": an institution named for someone
    if (nxt in rules.org_words or nxt.split(".", 1)[0] in rules.org_words  # "Kogyo Co.Ltd.", "Aquila, Inc.'s"
            or after.startswith((" &", " and Company", " and Co")) or text.endswith("& ", 0, start)):
        return True
    before = text[_line_start(text, start):start]
    if ((len(words) == 1 or _particle_gap(rules.name_particles).search(text, start, end))
            and _after_place_cue(text, start, rules)):
        return True  # "flew to Aartselaar", "the University of Torres de Albánchez"
    if _after_the(before) and ((_ends_in_common_noun(words, rules) and _heads_its_phrase(text, end, rules))
                               or _place_noun_after(text, end, rules)
                               or (len(words) == 1 and _heads_its_phrase(text, end, rules))):
        return True  # one word heading its own phrase: "The Tao of Programming", "Guide to the Galaxy"
    if not _reads_as_full_name(words, rules) and (
            ends_with_cue(before.lower(), _cue_endings(rules.org_cues))
            or _signature_company(text, start, before, after, rules)):
        return True
    if not after.strip(" ,.") and _AFTER_HOUSE_NUMBER.search(before):
        return True
    if not after.strip(" ,.") and before.strip(" }>|*-") == "":  # alone on its line: a country below?
        below = text[line_end + 1:line_end + 40].lstrip(" }>|*-,")
        first = regex.match(r"\p{L}+", below)
        # a country, not one of ``names.places``: "Thaddeus Zubarev\nAlaska Air Group Inc." is a
        # business card's name over its company line
        return bool(first and first.group() in rules.not_names and first.group() not in rules.places)
    return False


#: "the " (any case) ending the text before a span: "at the Madison public library", "The Valley Courier".
_THE_BEFORE = regex.compile(r"(?:^|[^\w'’])[Tt]he $")
#: The first three lower-case words after a span ("Madison| public library at"), each captured.
_LOWER_WORDS_AFTER = regex.compile(r"(?: (\p{Ll}[\p{Ll}\-]*)(?![\w'’])){1,3}")
#: The job title and comma before a company on a signature's second line ("Operations Lead, ").
_ROLE_BEFORE = regex.compile(r"[ \t>|*-]*\p{Lu}[\p{L}&/' .-]{1,48}, ")
#: A signature's name line: two or three capitalised words (an initial may sit between them).
_NAME_LINE = regex.compile(r"[ \t>|*-]*(\p{Lu}[\p{L}\p{M}'’-]+)(?: \p{Lu}\.?)?(?: \p{Lu}[\p{L}\p{M}'’-]+){1,2}[ \t]*")


def _after_the(before: str) -> bool:
    """The span is right after the article "the": a person's name is not written with one, a place,
    an institution, a newspaper or a company often is ("the Valley Courier", "the Madison public
    library"). A surname used this way ("the Smith family") is left alone by what the caller asks
    next: Smith is a name (``names.ambiguous``) and "family" no place noun."""
    return before.endswith("he ") and _THE_BEFORE.search(before[-5:]) is not None


def _ends_in_common_noun(words: list[str], rules: NerRules) -> bool:
    """The last word is an English noun that no name list holds ("Courier", "Freight"): a title-cased
    noun phrase such as a newspaper or a company, not a person's name. Names that are also nouns are
    listed (first_names.txt, last_names.txt, ``names.ambiguous``: Baker, Stone, King) and keep it."""
    if not words:
        return False
    last = words[-1]
    return (last not in rules.ambiguous and not _listed(last, rules) and not last.isupper()
            and english_dictionary(rules.model).is_noun(last))


def _heads_its_phrase(text: str, end: int, rules: NerRules) -> bool:
    """No lower-case noun follows the span, so the "the" before it is the span's own ("The Valley
    Courier is", "told the Courier that"), not the article of a noun the span describes ("The Samantha
    Vaux version": WordNet lists famous people's surnames such as "vaux" as nouns)."""
    m = _LOWER_WORDS_AFTER.match(text, end)
    if m is None:
        return True
    word = m.captures(1)[0]
    dictionary = english_dictionary(rules.model)
    return word in dictionary.function_words or not dictionary.is_noun(word)


def _place_noun_after(text: str, end: int, rules: NerRules) -> bool:
    """One of the next three lower-case words is a place noun (``names.place_nouns``) and no function
    word comes before it: "Madison| public library", "Portland| office"; not "Smith| kids at school"."""
    m = _LOWER_WORDS_AFTER.match(text, end)
    if m is None:
        return False
    function_words = english_dictionary(rules.model).function_words
    for word in m.captures(1):
        if word in rules.place_nouns:
            return True
        if word in function_words:
            return False
    return False


def _reads_as_full_name(words: list[str], rules: NerRules) -> bool:
    """Does the span read as a person's full name, which the organisation filters must not take?
    A given name (listed, in ``names.ambiguous`` or no English word) then a listed surname or a
    word that is no English word ("Anna Novak", "Grace Hartley", "Leigha Mackay"), or a listed
    first name that is no English word then anything ("Samantha Vaux": WordNet lists famous
    surnames such as "vaux" as nouns); one word: a listed name. "Kestrel Freight" (a first name
    that is also an English word, then a noun no list holds) and "Orbital Ledger" are not."""
    if not words:
        return False
    if len(words) == 1:
        return _listed(words[0], rules)
    first, last = words[0], words[-1]
    dictionary = english_dictionary(rules.model)
    if is_first_name(first, rules) and first not in dictionary:
        return True
    given = is_first_name(first, rules) or first in rules.ambiguous or is_proper_noun(first, rules)
    return given and (is_surname(last, rules) or last in rules.common_surnames or is_proper_noun(last, rules))


def _signature_company(text: str, start: int, before: str, after: str, rules: NerRules) -> bool:
    """The span is the company on a signature's second line, under a line holding only a name:
    after a job title and a comma ("Sophia Castellanos⏎Operations Lead, Kestrel Freight") or before
    " |" and a phone number ("Fatima Mensah⏎Kestrel Freight | 617.372.7008"). Alone on its line it
    is left to the other filters: a list of people has one name a line."""
    ls = start - len(before)
    if ls < 2 or text[ls - 1] != "\n":
        return False
    role = _ROLE_BEFORE.fullmatch(before) is not None
    piped = after.lstrip(" \t").startswith("|")
    if not ((role and (piped or not after.strip())) or (piped and before.strip(_LINE_MARKS) == "")):
        return False
    above = text[_line_start(text, ls - 1):ls - 1]
    line = _NAME_LINE.fullmatch(above)
    return line is not None and is_first_name(line.group(1), rules)


def opens_sentence_or_line(text: str, pos: int) -> bool:
    """Is the word at ``pos`` a sentence's first (:func:`_sentence_initial`) or its line's first,
    after indentation (a manual's option description: "--help⏎            Visar hjälpskärm")?"""
    return _sentence_initial(text, pos) or not text[_line_start(text, pos):pos].strip()


def _sentence_initial(text: str, pos: int) -> bool:
    """Is the word at ``pos`` the first of a sentence, line or list item (skipping quotes)?"""
    i = pos - 1
    while i >= 0 and i > pos - 4 and text[i] in " \t\"'“‘([":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def coreferent(text: str, tokens: list[Token], found: list[Candidate], rules: NerRules) -> list[Candidate]:
    """Other mentions of the names already found in ``text``.

    A word of a PERSON span ("Cecilie" of "Cecilie Josefsen") is a name wherever else the document
    writes it capitalised, alone or next to other such words, even opening a sentence ("Csanád had
    given Csanád his address"). Words that are never evidence by themselves — stop words, names
    that are common words (``names.ambiguous``), ``names.not_names`` (but for ``names.places``: "Irving
    Berlin ... Berlin said"), initials, all-caps words — are not propagated, and a mention inside an
    address is left alone as elsewhere.
    """
    persons = sorted((c.start, c.end) for c in found if c.entity == "PERSON")
    if not persons:
        return []
    known = set()
    for start, end in persons:
        for tok in capitalised_tokens(text[start:end]):
            w = tok.word
            if (len(w) >= 2 and not w.isupper() and w not in rules.stop_words and w not in rules.ambiguous
                    and (w not in rules.not_names or w in rules.places) and w not in rules.titles):
                known.add(w)
    # (no word to carry over when every name is in capitals: a dialogue's speakers still count below)
    starts = [s for s, _ in persons]
    out = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        k = bisect.bisect_right(starts, tok.start) - 1
        if (tok.word not in known or (k >= 0 and persons[k][1] > tok.start)  # unknown, or already a name
                or _in_unbroken_run(text, tok)):  # base64, a source map's mappings
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].word in known and adjacent(text, tokens[j], tokens[j + 1]):
            j += 1
        end = tokens[j].end
        nxt = bisect.bisect_left(starts, tok.start)
        if ((nxt >= len(starts) or starts[nxt] >= end) and not street_or_place(text, tok.start, end, rules)
                and not company_or_place(text, tok.start, end, rules) and not code_identifier(text, tok.start, end)
                and not code_span_or_identifier(text, tok.start, end, rules)):
            out.append(Candidate(tok.start, end, "PERSON", rules.name_score, COREF_RECOGNIZER, NER_PRIORITY))
        i = j + 1
    # a list spreads a name along itself ("Kleist, Khan and Barber": Khan makes Barber, ...): a few rounds
    known_spans = persons + [(c.start, c.end) for c in out]
    for _ in range(MAX_LIST_ROUNDS):
        more = _coordinated(text, tokens, sorted(known_spans), rules)
        if not more:
            break
        out += more
        known_spans += [(c.start, c.end) for c in more]
    return out


def given_names_before(text: str, tokens: list[Token], found: list[Candidate], rules: NerRules) -> list[Candidate]:
    """PERSON spans widened over the given name written right before them.

    Why: a span found by its surname alone (a listed surname, another mention of it) left the given
    name beside it in the clear: "Resident Noah Novak" came out as "Resident Noah <PERSON>", "By Grace
    Thornbury" as "By Grace <PERSON>". The given name was not taken with it because a rule read
    the pair as a title-cased phrase ("Noah" is a WordNet word after the English word "Resident") or
    because it is also a common word ("Grace", ``names.ambiguous``). Right before a found name, a
    listed first name or an ambiguous one is the name's first word; stop words (months, weekdays)
    and ``names.not_names`` are not.
    """
    starts = [t.start for t in tokens]
    out = []
    for cand in found:
        if cand.entity != "PERSON":
            continue
        k = bisect.bisect_left(starts, cand.start)
        if k == 0 or k >= len(tokens) or starts[k] != cand.start:
            continue
        prev, first = tokens[k - 1], tokens[k]
        word = prev.word
        if text[prev.end:first.start] == " " and ((
                word.isupper() == first.word.isupper()
                and word not in rules.titles and word not in rules.salutations  # "Herr Müller"
                and (is_first_name(word, rules)
                     or (word in rules.ambiguous and word not in rules.stop_words and word not in rules.not_names)))
                or _surname_in_capitals_before(text, tokens, k, rules)):
            out.append(Candidate(prev.start, cand.end, "PERSON", rules.name_score, GIVEN_NAME_RECOGNIZER,
                                 NER_PRIORITY))
    return out


#: An elided particle and a capitalised word right after a name: Italian and French surnames
#: ("Marco d'Itri", "Paolo dell'Anna", "Jean d’Ormesson").
_ELIDED_SURNAME_AFTER = regex.compile(r" (?:[dD]|[dD]ell|[dD]all)['’]\p{Lu}\p{Ll}{1,30}+(?![\p{L}\-'’])")


def surnames_after_elided_particle(text: str, found: list[Candidate], rules: NerRules) -> list[Candidate]:
    """PERSON spans widened over a surname that opens with an elided particle right after them.

    Why: spaCy's small model ends "Marco d'Itri" at "Marco", and redacting the given name alone left
    the surname in the clear ("<PERSON> d'Itri <md@linux.it>" in a Debian changelog)."""
    out = []
    for cand in found:
        if cand.entity == "PERSON" and (m := _ELIDED_SURNAME_AFTER.match(text, cand.end)) is not None:
            out.append(Candidate(cand.start, m.end(), "PERSON", rules.name_score, GIVEN_NAME_RECOGNIZER,
                                 NER_PRIORITY))
    return out


def _surname_in_capitals_before(text: str, tokens: list[Token], k: int, rules: NerRules) -> bool:
    """``tokens[k - 1]`` is a surname in capitals written before the listed given name ``tokens[k]``
    in title case, as Japanese, Chinese, Hungarian and French rosters, papers and Debian changelogs
    write names ("[ NIIBE Yutaka ]", "WANG Wei", "DUPONT Jean"): the found given name alone left the
    surname in the clear. The capitals are a listed surname or an unknown word of three or more
    letters with a vowel (no acronym such as "HTTP", no English word such as "NOTE"), and open
    their run of capitals (a heading's last word is no surname: "PLEASE READ Maria")."""
    prev, first = tokens[k - 1], tokens[k]
    word, given = prev.word, first.word
    if not word.isupper() or given.isupper() or not is_first_name(given, rules):
        return False
    if k >= 2 and tokens[k - 2].word.isupper() and adjacent(text, tokens[k - 2], prev):
        return False
    title = word.title()
    if title in rules.org_words or title in rules.titles or title in rules.not_names or title in rules.stop_words:
        return False
    if is_surname(title, rules) or title in rules.common_surnames:
        return True
    return (is_proper_noun(title, rules) and any(v in title for v in "aeiouy")
            and any(c not in "aeiouy" for c in title.lower()))


#: A surname of an author list: capitalised, maybe two words or hyphenated ("De Souza",
#: "Asante-Boateng").
_AUTHOR_SURNAME = r"(?P<surname>\p{Lu}[\p{Ll}'’\-]{1,30}(?:[ \-]\p{Lu}[\p{Ll}'’\-]{1,30})?)"
#: Vancouver style (PubMed, medical journals): "Vaswani A, Shazeer N, Parmar N, et al." — surname,
#: a space, one to three initials in capitals; two or more, joined by commas.
_VANCOUVER_ITEM = _AUTHOR_SURNAME + r" \p{Lu}{1,3}(?!\p{L})"
#: APA style: "Devlin, J., Chang, M.-W., Lee, K., & Toutanova, K." — surname, a comma, initials with
#: dots; two or more, joined by commas and a last "&" or "and".
_APA_ITEM = _AUTHOR_SURNAME + r", \p{Lu}\.(?:[ \-]?\p{Lu}\.){0,2}"
#: (the whole list, one of its authors)
_AUTHOR_LISTS = (
    (regex.compile(r"(?<![\p{L}\-'’])" + _VANCOUVER_ITEM.replace("?P<surname>", "?:")
                   + r"(?:, " + _VANCOUVER_ITEM.replace("?P<surname>", "?:") + r"){1,60}+(?=,? et al|[.;:,]|\n|$)"),
     regex.compile(_VANCOUVER_ITEM)),
    (regex.compile(r"(?<![\p{L}\-'’])" + _APA_ITEM.replace("?P<surname>", "?:")
                   + r"(?:,? (?:& |and )?" + _APA_ITEM.replace("?P<surname>", "?:") + r"){1,60}+"),
     regex.compile(_APA_ITEM)),
)


#: What every author list holds: a Vancouver author's last initial, a comma and the next surname
#: (`Vaswani A, Shazeer`), or an APA author's comma and first initial (`Devlin, J.`). Led by the
#: literal `, `: 0.6 ms per MB of prose, where the two list patterns (each tried at every capital)
#: cost ~15 and no document holds it.
_AUTHOR_LIST_HINT = regex.compile(r", \p{Lu}(?:(?<=\p{Lu}, \p{Lu})|\.)")


def author_lists(text: str, found: list[Candidate], rules: NerRules) -> list[Candidate]:
    """Every author of a citation's author list, once one of them is a person.

    Why: reference lists name people in a layout neither spaCy nor the name rules read whole
    ("Vaswani A, Shazeer N, Parmar N, et al." lost only "Parmar N"; "Lee, K., & Toutanova, K." only
    "Lee"), which left most co-authors in the clear beside a redacted one. A list counts when an
    author's surname holds a listed name or overlaps a found name: "Apple TV, Amazon US" is no author
    list. Each author is one span, surname and initials.
    """
    if _AUTHOR_LIST_HINT.search(text) is None:
        return []
    spans = sorted((c.start, c.end) for c in found if c.entity == "PERSON")
    starts = [s for s, _ in spans]
    out = []
    for whole, item in _AUTHOR_LISTS:
        for m in whole.finditer(text):
            authors = list(item.finditer(text, m.start(), m.end()))
            if len(authors) < 2:
                continue
            for a in authors:
                k = bisect.bisect_right(starts, a.end()) - 1
                if (k >= 0 and spans[k][1] > a.start()) or any(
                        is_surname(w, rules) or is_first_name(w, rules) for w in regex.split(r"[ \-]", a["surname"])):
                    out.extend(Candidate(b.start(), b.end(), "PERSON", rules.name_score, AUTHOR_LIST_RECOGNIZER,
                                         NER_PRIORITY) for b in authors)
                    break
    return out


#: How many times a list passes a name on to its neighbours (a list of six names needs five).
MAX_LIST_ROUNDS = 6


#: What joins the names of a list ("Cettina, Michele and Sarah").
_COORDINATION = (", ", " and ", ", and ", " & ", " or ", " und ", " et ", " y ")
#: A sentence opening with a preposition of place, time or source, right before a word and its comma:
#: the word closes an introductory phrase ("According to Reuters, Elon Musk ...", "In Gdańsk, Maria
#: said"), no list. Prepositions that as often take a person ("Unlike Zorbulek, Maria stayed", "After
#: Novak, ...") are not listed.
_OPENING_PHRASE = regex.compile(
    r"(?:^|[.!?][\"')\]]?[ \t]+|\n[ \t]*+)(?:According to|In|At|From|During|Since|Under|Across|Near|"
    r"Throughout|Within|Outside|Inside|Via)(?: the)?[ \t]+$")


#: A possessive's ending and the space after it: the word that follows is owned, no other name.
_POSSESSED = frozenset(("'s ", "’s ", "' ", "’ "))


def _coordinated(text: str, tokens: list[Token], persons: list[tuple[int, int]],
                 rules: NerRules) -> list[Candidate]:
    """Names known from their company: a listed name or a word that is no English word joined to a
    found name by a comma or a conjunction ("They had 6: Brianna, David, ..."), even where it opens a
    sentence and would not count alone; any capitalised word between two found names ("Bártová,
    Short and Alvarez"); and, when a found name is a dialogue's speaker label ("Calvin: Remember
    ..."), the other speakers — in capitals only a listed name or a word that is no English word
    ("MARIA: ...\nLYBERTH: ...", not "NOTE: ..."): alone, such a label is as often a field or a tool
    (``USERNAME:``, ``STDERR:``), so a found speaker is the evidence; in title case any word, as a
    dialogue's speakers are named by words too ("Ante: What a wife."). :func:`coreferent` repeats
    this so a name passes along a list."""
    if not persons:
        return []
    starts = [s for s, _ in persons]
    ends = {e for _, e in persons}
    speakers = any(_speaker_label(text, s, e) for s, e in persons)
    out = []
    for tok in tokens:
        w = tok.word
        k = bisect.bisect_right(starts, tok.start) - 1
        if k >= 0 and persons[k][1] > tok.start:  # already a name
            continue
        if w.isupper():
            if speakers and _caps_speaker(text, tok, rules):
                out.append(Candidate(tok.start, tok.end, "PERSON", rules.name_score, COREF_RECOGNIZER, NER_PRIORITY))
            continue
        if w in rules.stop_words or w in rules.not_names or w in rules.titles:
            continue
        if text[max(0, tok.start - 3):tok.start] in _POSSESSED or text[max(0, tok.start - 2):tok.start] in _POSSESSED:
            continue  # what a possessive owns is no name: "Martin Fowler's Refactoring and Robert C. Martin"
        nxt = starts[k + 1] if k + 1 < len(starts) else -1
        joined_after = nxt > 0 and text[tok.end:nxt] in _COORDINATION and not (
            text[tok.end:nxt] == ", " and _OPENING_PHRASE.search(text, max(0, tok.start - 40), tok.start))
        joined_before = any(text[tok.start - len(c):tok.start] == c and tok.start - len(c) in ends
                            for c in _COORDINATION)
        # a listed name, or a word that is no English word ("Deguchi and Durham", "Cettina, Michele")
        listed = is_first_name(w, rules) or is_surname(w, rules) or is_proper_noun(w, rules)
        if not ((listed and (joined_after or joined_before))
                or (joined_after and joined_before)  # between two names: "Bártová, Short and Alvarez"
                or (speakers and _speaker_label(text, tok.start, tok.end)  # another speaker of a dialogue
                    and not _in_header_block(text, tok.start, set(starts)))):
            continue
        if not (street_or_place(text, tok.start, tok.end, rules)
                or company_or_place(text, tok.start, tok.end, rules)):
            out.append(Candidate(tok.start, tok.end, "PERSON", rules.name_score, COREF_RECOGNIZER, NER_PRIORITY))
    return out


#: A line opening with a label and its colon (``Title: ...``, ``Post-History:``).
_LABEL_LINE = regex.compile(r"\p{Lu}[\p{L}\d\-]{0,40}+:(?:[ \t]|$)")
#: A line going on, indented, from the one above (a header's wrapped value).
_INDENTED_LINE = regex.compile(r"[ \t]++\S")
#: How many label lines in a row, none of them a found speaker's, make a header block.
HEADER_BLOCK_LINES = 3
#: How far up and down a header block is followed, in lines.
HEADER_BLOCK_REACH = 40


def _in_header_block(text: str, line_start: int, name_starts: set[int]) -> bool:
    """The label opening the line at ``line_start`` stands among ``HEADER_BLOCK_LINES`` or more label
    lines in a row (indented lines going on between them, no blank line) none of which opens with a
    found name: a document's header block (a PEP's ``Title:``, ``Author:``, ``Status:``,
    ``Created:``; a mail's or a package's fields), not a dialogue's turn, in a document that quotes
    someone elsewhere as ``Damian Conway: you never ...``. A dialogue's turns hold found speakers,
    or stand apart between blank lines."""
    above = _label_lines(text, line_start, name_starts, up=True)
    below = _label_lines(text, line_start, name_starts, up=False)
    return above is not None and below is not None and 1 + above + below >= HEADER_BLOCK_LINES


def _label_lines(text: str, line_start: int, name_starts: set[int], up: bool) -> int | None:
    """How many label lines follow each other from the line at ``line_start`` up or down (not
    counting it, nor indented lines going on), or None when one of them opens with a found name."""
    count = 0
    pos = line_start
    for _ in range(HEADER_BLOCK_REACH):
        if up:
            if pos == 0:
                break
            pos = text.rfind("\n", 0, pos - 1) + 1
        else:
            pos = text.find("\n", pos) + 1
            if pos == 0:
                break
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if pos in name_starts:
            return None
        if _LABEL_LINE.match(text, pos, end) is not None:
            count += 1
        elif _INDENTED_LINE.match(text, pos, end) is None:
            break
    return count


def _caps_speaker(text: str, tok: Token, rules: NerRules) -> bool:
    """``tok`` is a word in capitals opening its line as a speaker label (``LYBERTH: yes``) that,
    title-cased, is a listed name or no English word (of ``names.caps.min_letters`` or more), and
    no place, street or company: another speaker of a dialogue whose found speaker says it is one."""
    word = tok.word.title()
    if len(word) < rules.caps_min_letters or word in rules.ambiguous or not _speaker_label(text, tok.start, tok.end):
        return False
    # A short unlisted word in capitals as a label is mostly an acronym or a tag (API, SQL, JSON,
    # TODO, BTW, SUDO); longer tags are listed in ``names.not_names`` (STDERR, FIXME, README).
    if not (is_first_name(word, rules) or is_surname(word, rules)
            or (len(word) >= rules.caps_unlisted_speaker_min_letters and is_proper_noun(word, rules))):
        return False
    recased = text[:tok.start] + word + text[tok.end:]
    return not (street_or_place(recased, tok.start, tok.end, rules)
                or company_or_place(recased, tok.start, tok.end, rules))


def _speaker_label(text: str, start: int, end: int) -> bool:
    """A word opening its line and followed by a colon and text: a speaker in a dialogue or chat log
    ("Calvin: Remember ..."). A field whose value is a run of hex or digit groups (``MAC:
    00:1A:2B:3C:4D:5E``, ``Mac: 10.0.0.12``, ``Dev: 2024-05-06``) or a code (``VIN: 1HGCM82633A004352``)
    is a label, not someone speaking."""
    return ((start == 0 or text[start - 1] == "\n") and text[end:end + 1] == ":"
            and text[end + 1:end + 2] not in ("", "\n", ":")  # ``Example::`` opens a reST literal block
            and _FIELD_VALUE.match(text, end + 1) is None)


def common_words_only(span: str, rules: NerRules) -> bool:
    """Every capitalised word of ``span`` is an English dictionary word or one of ``names.not_names``
    and none is a listed name: spaCy's small model labels title-cased phrases PERSON ("Cautionary
    Tales", "Guilty Pleasures", "Awarded Salesperson of the Month", "Docker Compose"); a listed name
    ("Richard Green"), a name that is also a word (``names.ambiguous``: "Mark", "Jordan") or an
    unknown word keeps it."""
    words = [t.word for t in capitalised_tokens(span)]
    dictionary = english_dictionary(rules.model)
    return bool(words) and all(
        w in rules.not_names or (w in dictionary and w not in rules.ambiguous and not is_first_name(w, rules)
                                 and w not in rules.last_names)
        for w in words
    )


def role_word(word: str, rules: NerRules) -> bool:
    """A capitalised English word that is no name, written before a listed first name: a role or a
    description ("Resident Daniel Castellanos", "Analyst Zoë Thornbury", "Reporter Elijah Lindqvist").
    It is no part of the name, and redacting it lost the word and, through coreference, every other
    "Resident" and "Analyst" of the document. Titles (``names.titles``) are left as they are."""
    return (word in english_dictionary(rules.model) and not _listed(word, rules) and word not in rules.ambiguous
            and word not in rules.titles and word not in rules.not_names and not word.isupper())


def _plausible_person(text: str) -> bool:
    """spaCy's small model labels log lines and numbers PERSON; a name has a capital and no digits."""
    return any(ch.isupper() for ch in text) and not any(ch.isdigit() or ch in "@/\\=_{}<>[]()*|;$#%^~+" for ch in text)

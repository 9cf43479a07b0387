"""The pattern engine: trigger scan, recognizers on windows, context, keep-rules.

Why this shape: running every Presidio recognizer over every document costs a full regex pass per
pattern (Presidio measures ~0.02 MB/s with NER, a few MB/s without). Personal data is rare in
corpora, so one cheap pass of a few *trigger* regexes finds the places where something could be
(an ``@``, a run of 7+ digits and separators, two close colons, a key prefix, an assignment word)
and the recognizers run only on a window around each hit. Text without a hit costs only the scan.

A recognizer sees ``[hit.start - before, hit.end + after]`` (its ``window`` in the rules; shared by
the recognizers of a trigger that ask for the same size), widened to whitespace so no token is cut;
overlapping windows are merged. A match longer than its window is cut at the window's
end, so ``window.after`` in the rules must cover the longest match (it does for every shipped
rule; PEM blocks get 20,000 characters).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from operator import attrgetter

import regex

from scrubber.detect.alphabet import Alphabet, alphabet
from scrubber.detect.needles import LowerText, Needles, RepeatedChar, needles, repeated_char, trie_alternation
from scrubber.detect.recognizers import Candidate, RecognizerTimeout, WindowPatternRecognizer
from scrubber.detect.rules import DetectRules, RecognizerRule, shipped_patterns
from scrubber.detect.scan import BatchText, TriggerScanner
from scrubber.detect.tables import MAX_KNOWN_LABELS, MAX_LINE, Cell, TableReader, row_shape
from scrubber.detect.textview import TextView, text_views
from scrubber.detect.validators import ValidatorWords, email_parts, validators_for

log = logging.getLogger("scrubber.detect")

#: Added to a score when a context word of the recognizer is near (Presidio's default factor).
CONTEXT_BOOST = 0.35
#: Characters before a match searched for context words (same line), and after it.
CONTEXT_BEFORE = 48
CONTEXT_AFTER = 24
#: How far a window may be widened to reach whitespace.
SNAP_LIMIT = 256
#: Longest merged window; dense hits over a huge document give many overlapping windows instead of
#: one document-sized regex call. Overlaps only repeat matches, which are de-duplicated.
MAX_WINDOW = 32_768
#: Whitespace, searched forwards and (regex's REVERSE flag) backwards from a window edge.
_WHITESPACE = regex.compile(r"\s")
_WHITESPACE_BACK = regex.compile(r"\s", regex.REVERSE)
#: Keep patterns are searched this far around a candidate (longer than any keep match).
KEEP_REACH = 64
#: Characters seldom in the areas around candidates where keep patterns are searched: each counts
#: as a needle word of a keep pattern (needles.needles' ``rare``): `message_id`'s and `erlang_pid`'s
#: ``<``, `percentage`'s ``%``, `clock_time`'s ``:``, `mail_software_version`'s ``/`` (or
#: ``mshtml``). Around 2,000 canary documents' candidates a ``:`` is in 304 of `clock_time`'s 1,908
#: areas, a ``/`` in 263 of `mail_software_version`'s 1,536 (benchmarks/RESULTS-detect.md).
RARE_NEAR_CANDIDATES = "<%@/:"
#: Joins the documents of a batch for the trigger scan: newlines end every line-bounded search
#: and NUL is matched by no shipped pattern, so nothing crosses from one document to the next.
SEPARATOR = "\n\x00\n"
#: Most characters joined into one string (a bigger document is scanned alone).
JOIN_LIMIT = 8_000_000
#: Most IP addresses whose allow-list verdict is remembered (the cache is emptied when full).
_IP_CACHE_SIZE = 1 << 16
_UNKNOWN = object()
#: Most character sets whose keep-pattern mask is remembered (see _keep_mask).
_KEEP_MASK_CACHE_SIZE = 1 << 14
#: Triggers whose hits send their line to the table reader (tables.py): the values a column's
#: header makes personal (numbers, dates, IDs: the ``digits`` hits) and the rows' other
#: identifying values (``@``, ``+`` numbers), beside which a name column's cells are read.
TABLE_TRIGGERS = frozenset(("digits", "at_sign", "plus_digits"))
#: Recognizer name of the names read in a table's name column (fast and full mode).
TABLE_NAME_RECOGNIZER = "table_name_v1"
#: Priority of those names (a PERSON's, as NER's).
TABLE_NAME_PRIORITY = 1


@dataclass(frozen=True)
class _KeepPattern:
    """A keep pattern, compiled, with what the engine knows of it to skip work (see _keep_spans)."""

    name: str
    compiled: regex.Pattern
    timeout: float | None  # None for shipped patterns (tested linear-time)
    consumes: Alphabet | None  # the characters it can consume (alphabet.py)
    words: Needles | None  # words one of which every match needs (needles.py)
    repeated: RepeatedChar | None  # a character every match holds several times (needles.py)
    reach: int  # how far around a candidate it is searched: its longest match, at most KEEP_REACH

    @classmethod
    def build(cls, name: str, rx: str, timeout: float | None) -> _KeepPattern:
        consumes = alphabet(rx)
        reach = KEEP_REACH if consumes is None or consumes.longest is None else min(KEEP_REACH, consumes.longest)
        return cls(name, regex.compile(rx), timeout, consumes, needles(rx, rare=RARE_NEAR_CANDIDATES),
                   repeated_char(rx), reach)


@dataclass
class _Trigger:
    name: str
    scanner: TriggerScanner
    users: list[int]  # indexes of recognizers fed by this trigger
    # (before, after, hit filter) -> recognizers asking for that window around the hits the filter
    # (a regex, or None: every hit) matches
    groups: dict[tuple[int, int, str | None], list[int]]
    hit_filters: dict[str, regex.Pattern[str]]



def _number_noun(number_nouns: tuple[str, ...], then: str) -> str:
    """An optional number's noun (keep.yaml's ``deny_number_nouns``) and the characters ``then``
    allows after it; nothing for no nouns. Shared by the two label regexes below."""
    if not number_nouns:
        return ""
    return r"(?:(?:" + "|".join(map(re.escape, number_nouns)) + r")\b" + then + ")?"


def labelling_regex(number_nouns: tuple[str, ...]) -> re.Pattern[str]:
    """What may stand between a deny word and the value it labels: punctuation and a number's noun
    (`order no. `, `ISBN `, `serial #`, `build: `, `order number `), compiled once per engine."""
    return re.compile(r"[^\w\n]*" + _number_noun(number_nouns, r"[^\w\n]*"))


def label_tail_regex(number_nouns: tuple[str, ...]) -> re.Pattern[str]:
    """What may follow a context word on a label line above a value (``"Date of birth (MM/DD/YYYY):"``,
    ``"Driver's License #"``, ``"Phone (mobile):"``): punctuation, up to two words, a number's noun
    and a hint in brackets. More words make the line a sentence, not a label (``"Passport photos
    are needed"``). Linear: every repetition is bounded and the text it is matched on is one short
    line. Compiled once per engine."""
    return re.compile(r"[^\w\n(]*(?:\w+[^\w\n(]*){0,2}" + _number_noun(number_nouns, r"[^\w\n(]*")
                      + r"(?:\([^()\n]{0,20}\)[^\w\n]*)?")


#: The window prefilter of a recognizer none of whose context words can occur in the text (all
#: non-ASCII, the batch ASCII): its low-scoring patterns could produce nothing, so they do not run.
NO_CONTEXT_WORD = re.compile(r"(?!)")


@dataclass(frozen=True)
class _WordLookups:
    """Per recognizer: its context words as whole words (``context_re``), as plain substrings for
    the window prefilter (``context_any``, only for recognizers with patterns scoring below the
    threshold), and its deny words (``deny_re``)."""

    context_re: list[re.Pattern | None]
    context_any: list[re.Pattern | None]
    deny_re: list[re.Pattern | None]
    #: Context words that, near a candidate a deny word further back would cancel, say it is of the
    #: recognizer's kind after all (context words less keep.yaml's number and label nouns,
    #: ``KeepRules.label_nouns``, and less the phrases ending in one): "about your order, call me at
    #: (312) 555-0148". A possessive phrase (`mi número`, `mój numer`) says "my number" and names no
    #: kind: `mi número de pedido es 612345678` is an order's number, as `order number` is.
    override_re: list[re.Pattern | None]
    #: What may follow a context word ending a label line above a value (:func:`label_tail_regex`).
    label_tail: re.Pattern[str]
    #: Every recognizer's context words in one lookup: does a table's header cell name a value?
    any_context: re.Pattern | None

    @classmethod
    def build(cls, rec_rules: list[RecognizerRule], keep, threshold: float, ascii_only: bool) -> _WordLookups:
        """The lookups of ``rec_rules``, of their ASCII words only when ``ascii_only``."""
        def chosen(words) -> tuple[str, ...]:
            return tuple(sorted({w for w in words if w.isascii() or not ascii_only}))

        by_words: dict[tuple[str, ...], re.Pattern | None] = {}
        context_re = [by_words.setdefault(chosen(r.context), _word_regex(chosen(r.context))) for r in rec_rules]
        # Per recognizer with patterns that score below the threshold (they survive only with a
        # context word): any context word as a plain substring, no word boundaries. Found nowhere
        # around a window, those patterns cannot produce a detection there and are not run. Looser
        # than the lookup of _context_near (which may see a word cut by its search bounds), so it
        # never skips a pattern that lookup would have kept.
        # Recognizers with the same context words (the three phone recognizers) share one compiled
        # object, so the engine asks it once per window instead of once per recognizer.
        # A recognizer whose context words are all of other scripts (credit_card_script_v1) has none
        # left for ASCII text: NO_CONTEXT_WORD then skips those patterns on every window, where no
        # prefilter (None) would run them everywhere.
        any_by_words: dict[tuple[str, ...], re.Pattern | None] = {}
        context_any = [
            any_by_words.setdefault(chosen(r.context), _substring_regex(chosen(r.context)) or NO_CONTEXT_WORD)
            if r.context and any(p.score < threshold for p in r.patterns) else None
            for r in rec_rules
        ]
        deny_re = [_word_regex(chosen(r.deny_context + keep.deny_context.get(r.entity, ()))) for r in rec_rules]
        override_re = [by_words.setdefault(key, _word_regex(key))
                       for key in (tuple(w for w in chosen(r.context) if w.rsplit(" ", 1)[-1] not in keep.label_nouns)
                                   for r in rec_rules)]
        any_context = _word_regex(chosen(w for r in rec_rules for w in r.context))
        return cls(context_re, context_any, deny_re, override_re, label_tail_regex(keep.number_nouns), any_context)


def _substring_regex(words: tuple[str, ...]) -> re.Pattern | None:
    """Any of ``words`` anywhere (longest first), or ``None`` for no words: no prefilter then (the
    low-score patterns run, and with no context word to find their matches stay below the
    threshold, as the prefilter would have decided)."""
    if not words:
        return None
    return re.compile(trie_alternation(words))


def _word_regex(words: tuple[str, ...]) -> re.Pattern | None:
    """Match any of ``words`` as a whole word in lower-cased text.

    The standard library's engine, not `regex`: for an alternation of plain words between ASCII
    classes both match the same, and ``re`` searches it up to twice as fast (context and
    deny-context lookups run per candidate).
    """
    if not words:
        return None
    return re.compile(rf"(?<![a-z0-9])(?:{trie_alternation(words)})(?![a-z0-9])")


class PatternEngine:
    """Finds structured PII and secrets in one document; built once per process by ``setup``."""

    def __init__(self, rules: DetectRules, entities: frozenset[str], score_threshold: float,
                 timeout: float) -> None:
        self.rules = rules
        self.threshold = score_threshold
        rec_rules: list[RecognizerRule] = [r for r in rules.recognizers if r.entity in entities]
        trusted = shipped_patterns()
        # The validators' word lists are bound once here, with the rules: nothing per document or call.
        validators = validators_for(ValidatorWords.from_lists(rules.validator_lists))
        self.recognizers = [WindowPatternRecognizer(r, timeout, trusted, validators) for r in rec_rules]
        self.always = [i for i, r in enumerate(rec_rules) if not r.triggers]
        self.triggers: list[_Trigger] = []
        for t in rules.triggers:
            users = [i for i, r in enumerate(rec_rules) if t.name in r.triggers]
            if users:
                groups: dict[tuple[int, int, str | None], list[int]] = {}
                for i in users:
                    groups.setdefault((rec_rules[i].before, rec_rules[i].after, rec_rules[i].hits), []).append(i)
                hit_filters = {h: regex.compile(h) for _, _, h in groups if h is not None}
                self.triggers.append(_Trigger(t.name, TriggerScanner(t.regexes, t.engine, t.on_lower), users, groups,
                                              hit_filters))
        keep = rules.keep
        # Context and deny words, twice: every word, and the ASCII words only, for a batch of
        # ASCII text (where no other word can occur). The phone words of other languages made the
        # word alternations searched per window and candidate ~4% of fast-mode time on English prose.
        self._words = _WordLookups.build(rec_rules, keep, score_threshold, ascii_only=False)
        self._ascii_words = _WordLookups.build(rec_rules, keep, score_threshold, ascii_only=True)
        self.keep = keep
        self._labelling = labelling_regex(keep.number_nouns)
        self.keep_patterns = [_KeepPattern.build(name, rx, None if (rx, 0) in trusted else timeout)
                              for name, rx in keep.keep_patterns]
        self.timeout = timeout
        self._ip_reasons: dict[str, str | None] = {}  # IP value -> _listed_reason (see there)
        # The kept networks as integers per IP version: single addresses (most: public resolvers)
        # in a set, other networks as (first, last); an `in` test per ipaddress network cost ~3 µs.
        self._ip_keep: dict[int, tuple[frozenset[int], list[tuple[int, int]]]] = {
            version: (frozenset(int(n.network_address) for n in keep.ip_networks
                                if n.version == version and n.num_addresses == 1),
                      [(int(n.network_address), int(n.broadcast_address)) for n in keep.ip_networks
                       if n.version == version and n.num_addresses > 1])
            for version in (4, 6)}
        # Kept e-mail domains: those listed, and those a `*.domain` suffix names itself.
        self._email_domains = keep.email_domains | {d[1:] for d in keep.email_domain_suffixes}
        self._keep_by_length: dict[int, int] = {}  # see _keep_mask
        # ASCII characters every keep pattern treats alike (all digits, say) share one stand-in,
        # so candidates differing only in such characters share one cache entry in _keep_mask.
        self._keep_classes = _alike_characters([k.consumes for k in self.keep_patterns])
        self._keep_reaches = [k.reach for k in self.keep_patterns]
        self._keep_by_chars: dict[frozenset[str], int] = {}
        # A mask's patterns as (bit, reach) pairs: see _keep_spans.
        self._keep_bits: dict[int, tuple[tuple[int, int], ...]] = {}
        self._table_triggers = [t.name in TABLE_TRIGGERS for t in self.triggers]
        self._tables = TableReader(self._is_label, names="PERSON" in entities, is_deny=self._is_deny_label,
                                   org_words=rules.ner.org_words, team_words=rules.ner.team_words,
                                   institution_words=rules.ner.institution_words)
        self._name_score = rules.ner.name_score
        self._label_users_known: dict[str, tuple[int, ...]] = {}
        self._label_denied_known: dict[tuple[str, int], bool] = {}  # see _label_denies
        self._rule_index = {r.name: i for i, r in enumerate(self.recognizers)}
        # Each recognizer's context words, and the searches for several recognizers' words at once
        # built so far (by their words): see _near_windows.
        self._context_words = [r.context for r in rec_rules]
        self._context_unions: dict[frozenset[str], re.Pattern] = {}

    def _label_users(self, label: str) -> tuple[int, ...]:
        """The recognizers a table header's label is a context word of: the only ones whose
        reading of ``label: value`` can differ from their reading of the cell in its row (a label
        counts through context words, and every labelled pattern's label is one of its context
        words), so the only ones run on those lines (remembered per label)."""
        users = self._label_users_known.get(label)
        if users is None:
            if len(self._label_users_known) >= MAX_KNOWN_LABELS:
                self._label_users_known.clear()
            lower = _same_length_lower(label)
            users = self._label_users_known[label] = tuple(
                i for i, context in enumerate(self._words.context_re)
                if context is not None and context.search(lower) is not None)
        return users

    def _is_label(self, label: str) -> bool:
        """Whether a table's header cell names a value of some recognizer: it ends with one of
        their context words and a label's tail, as a label line above a value must
        (``Date of Birth (MM/DD/YYYY)``, ``Member ID``, ``SSN``; not ``Zip``, ``Released``)."""
        words = self._words
        if words.any_context is None:
            return False
        lower = _same_length_lower(label)
        return _labelled_by(words.any_context, lower, 0, len(lower), words.label_tail)

    def _is_deny_label(self, label: str) -> bool:
        """Whether a table's header cell that is no label holds a deny word cancelling some
        recognizer's value after it (``order id``, ``invoice``, ``serial``): its column's cells
        keep what the row alone found there, as ``invoice: 0123-4567-89`` on one line does."""
        return any(self._label_denies(label, i) for i, deny in enumerate(self._words.deny_re) if deny is not None)

    # ------------------------------------------------------------------------------------------
    def find(self, text: str, counters: Counter[str]) -> tuple[list[Candidate], bool]:
        """Candidates of one document and its error flag (see :meth:`find_batch`)."""
        return self.find_batch([text], counters)[0]

    def find_batch(self, texts: Sequence[str | None], counters: Counter[str]) -> list[tuple[list[Candidate], bool]]:
        """Per document: candidates that pass validation, context, thresholds and keep-rules, and
        an error flag (``None`` documents are skipped).

        The error flag is set when a recognizer raised or timed out on the document (already
        counted and logged, without text): the caller decides whether to drop the document.

        Documents are joined with :data:`SEPARATOR` and scanned together, so each trigger costs one
        regex call per batch instead of one per document (the per-call overhead dominated on short
        documents). Every window is clipped to its own document, so no match, context word or keep
        rule crosses a document boundary; offsets are mapped back before returning.

        Patterns match each document's view (:mod:`scrubber.detect.textview`: full-width forms,
        Unicode digits and spaces folded, invisible characters removed, script boundaries marked);
        the offsets returned are the original text's.
        """
        results: list[tuple[list[Candidate], bool]] = [([], False) for _ in texts]
        views: list[TextView | None] | None = text_views(texts)
        matched = texts
        if views is not None and views.count(None) < len(views):
            matched = [text if view is None else view.text for text, view in zip(texts, views, strict=True)]
        else:
            views = None  # the common case: no text needs a view, nothing to map back
        chunk: list[int] = []
        size = 0
        for row, text in enumerate(matched):
            if not text:
                continue
            if chunk and size + len(text) > JOIN_LIMIT:
                self._find_joined(matched, views, chunk, counters, results)
                chunk, size = [], 0
            chunk.append(row)
            size += len(text) + len(SEPARATOR)
        if chunk:
            self._find_joined(matched, views, chunk, counters, results)
        for row, view in enumerate(views or ()):
            if view is not None and view.origin is not None and results[row][0]:
                found, failed = results[row]
                results[row] = ([c._replace(start=s, end=e) for c in found
                                 for s, e in (view.original_span(c.start, c.end),)], failed)
        return results

    def _find_joined(self, texts, views: list[TextView | None] | None, rows: list[int], counters: Counter[str],
                     results, tables: bool = True, only: frozenset[int] | None = None) -> None:
        """:meth:`find_batch` on the documents ``rows`` of ``texts`` (their views, ``views``, whose
        ``context`` text is where context words are looked up; ``None``: no text has a view).
        ``tables``: read the cells of table columns named for personal data (tables.py; off for
        the ``label: value`` lines that reading itself runs here). ``only``: the indexes of the
        recognizers to run (``None``: all), and the triggers they use."""
        joined = SEPARATOR.join(texts[r] for r in rows)
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for r in rows:
            starts.append(pos)
            pos += len(texts[r])
            ends.append(pos)
            pos += len(SEPARATOR)
        n = len(joined)
        # Every digit of a view is 0-9, and a text without a view holds no other (textview.py).
        batch = BatchText(joined, plain_digits=True)
        # Per recognizer, the window lists it runs on (shared by the recognizers of a trigger that
        # ask for the same window size): merged once per distinct combination below.
        windows: dict[int, list[list[tuple[int, int]]]] = {}
        table_hits: list[int] = []  # where the table reader looks (TABLE_TRIGGERS' hits)
        for trig, to_tables in zip(self.triggers, self._table_triggers, strict=True):
            if only is not None and only.isdisjoint(trig.users):
                continue
            hits = trig.scanner.hits(batch)
            if not hits:
                continue
            counters[f"trigger_hits_{trig.name}"] += len(hits)
            # Each hit's document bounds, then one set of windows per window size, clipped to the
            # document, merged and snapped once, shared by the recognizers asking for that size.
            bounded = []
            for s, e in hits:
                k = bisect_right(starts, s) - 1
                if s < ends[k]:  # else inside a separator (only a user trigger matching newlines)
                    bounded.append((s, e, starts[k], ends[k]))
            if to_tables and tables:
                table_hits.extend(s for s, _, _, _ in bounded)
            for (before, after, hit_filter), users in trig.groups.items():
                if only is not None:
                    users = [i for i in users if i in only]
                    if not users:
                        continue
                if hit_filter is not None:
                    # Anchored: a window per hit the filter matches, from the hit's start (the
                    # patterns' matches start there; lookbehinds see before it) to `after` past it.
                    match = trig.hit_filters[hit_filter].match
                    shared = [(s, e + after if e + after < hi else hi) for s, e, lo, hi in bounded
                              if match(joined, s, hi)]
                    if not shared:
                        continue
                    for idx in users:
                        windows.setdefault(idx, []).append(shared)
                    continue
                # (conditional expressions, not max/min: a builtin call per hit showed in profiles)
                shared = self._snap(joined, _merge([
                    (s - before if s - before > lo else lo, e + after if e + after < hi else hi)
                    for s, e, lo, hi in bounded]))
                for idx in users:
                    windows.setdefault(idx, []).append(shared)
        for idx in (self.always if only is None else [i for i in self.always if i in only]):
            windows[idx] = [list(zip(starts, ends, strict=True))]
        if not windows:
            return

        found: list[Candidate] = []
        failed_docs: set[int] = set()
        lower = batch.lower_if_computed()
        if lower is None or len(lower) != n:
            lower = _same_length_lower(joined)
        lowered = LowerText(joined, lower)
        # Context and deny words are looked up in the text without script-boundary marks (the
        # `机` of `手机13812345678` is marked in the view, and is part of the context word).
        words = self._ascii_words if joined.isascii() else self._words
        context_lower = lower
        if views is not None and any(views[r] is not None and views[r].context is not views[r].text for r in rows):
            context_lower = _same_length_lower(SEPARATOR.join(
                texts[r] if views[r] is None else views[r].context for r in rows))
        merged: dict[tuple[int, ...], list[tuple[int, int]]] = {}
        # (context regex, start, end) -> a context word is near: a low-scoring match is looked up
        # when found and again when scored, often by several recognizers with the same words.
        near_words: dict[tuple[int, int, int], bool] = {}
        # (context regex, window list) -> per window, whether a context word is near: recognizers
        # sharing both (the phone recognizers) search once.
        near_any: dict[tuple[int, tuple[int, ...]], list[bool]] = {}
        near_index: dict[tuple[int, tuple[int, ...]], list[int]] = {}  # the same, as the true indices
        # Per window list (its key below), the context-word prefilters of the recognizers running on
        # it, each with one of its recognizers: several lists are searched per window, so first one
        # search for all their words (_near_windows).
        prefilters: dict[tuple[int, ...], dict[int, int]] = {}
        for idx, sources in windows.items():
            context_any = words.context_any[idx]
            if context_any is not None and context_any is not NO_CONTEXT_WORD:
                key = (self.recognizers[idx].rule.hits is not None, *(id(w) for w in sources))
                prefilters.setdefault(key, {})[id(context_any)] = idx
        for idx in sorted(windows):
            recognizer = self.recognizers[idx]

            def context_near(start: int, end: int, _i: int = idx) -> bool:
                return self._context_near(context_lower, start, end, _i, words, near_words)

            sources = windows[idx]
            anchored = recognizer.rule.hits is not None
            # (anchored or merged, the window lists): the same lists are merged or not by the flag
            key = (anchored, *(id(w) for w in sources))
            mine = merged.get(key)
            if mine is None:
                # anchored windows are not merged: each starts at the hit its matches start at
                mine = merged[key] = (sorted(set(w for ws in sources for w in ws)) if anchored
                                      else _merge(w for ws in sources for w in ws))
            context_any = words.context_any[idx]
            low_ok = None  # None: every window may run the patterns that need a context word
            near = None
            if context_any is NO_CONTEXT_WORD:
                if all(p.score < self.threshold for p in recognizer.rule.patterns):
                    continue  # every pattern needs a context word, and none can be in this batch
                low_ok = [False] * len(mine)
            elif context_any is not None:
                low_ok = near_any.get((id(context_any), key))
                if low_ok is None:
                    low_ok = self._near_windows(context_any, key, mine, context_lower, words,
                                                frozenset(prefilters[key].values()), near_any)
                near = near_index.get((id(context_any), key))
                if near is None:
                    near = near_index[id(context_any), key] = [w for w, ok in enumerate(low_ok) if ok]
                if not near and all(p.score < self.threshold for p in recognizer.rule.patterns):
                    continue  # no context word near any window, and every pattern needs one
            cands, failures = recognizer.find_windows(joined, mine, low_ok, context_near, self.threshold,
                                                      lowered, near, anchored)
            found.extend(cands)
            for w in sorted(failures):
                exc = failures[w]
                pos, endpos = mine[w]
                failed_docs.add(bisect_right(starts, pos) - 1)
                if isinstance(exc, RecognizerTimeout):
                    counters["regex_timeouts"] += 1
                    counters[f"regex_timeouts_{exc.recognizer}"] += 1
                    log.warning("detect: recognizer %s pattern %s timed out on a %d-character window "
                                "(counted in regex_timeouts)", exc.recognizer, exc.pattern, endpos - pos)
                else:  # a recognizer bug must be visible, never a silent skip
                    counters["recognizer_errors"] += 1
                    counters[f"recognizer_errors_{recognizer.name}"] += 1
                    log.warning("detect: recognizer %s raised %s on a %d-character window "
                                "(counted in recognizer_errors)", recognizer.name, type(exc).__name__,
                                endpos - pos)
        for k in failed_docs:
            results[rows[k]] = ([], True)
        if not found:
            if table_hits:
                self._table_candidates(joined, starts, ends, rows, table_hits, counters, results)
            return
        rule_index = {r.name: i for i, r in enumerate(self.recognizers)}
        per_doc: dict[int, list[Candidate]] = {}
        # Sorted, not set order (which follows the string hash seed): each document's candidate
        # list then has the same order in every process, whatever the caller does with it.
        for cand in sorted(set(found), key=_candidate_order):
            scored_cand = self._score(cand, context_lower, rule_index[cand.recognizer], words, near_words)
            if scored_cand is None:
                counters["dropped_deny_context"] += 1
            elif scored_cand.score < self.threshold:
                counters["dropped_low_score"] += 1
            else:
                per_doc.setdefault(bisect_right(starts, cand.start) - 1, []).append(scored_cand)
        for k, cands in per_doc.items():
            base, limit = starts[k], ends[k]
            # Allow-lists first; keep patterns run only around the candidates those leave (in
            # prose most candidates are private IPs and documentation e-mails, settled here).
            reasons = [self._listed_reason(cand, joined) for cand in cands]
            keep_spans = self._keep_spans(
                joined, lowered, [c for c, r in zip(cands, reasons, strict=True) if r is None], base, limit, counters)
            out = []
            for cand, reason in zip(cands, reasons, strict=True):
                if reason is None:
                    reason = self._pattern_reason(cand, joined, keep_spans)
                if reason:
                    counters[f"kept_{reason}"] += 1
                else:
                    out.append(Candidate(cand.start - base, cand.end - base, cand.entity, cand.score,
                                         cand.recognizer, cand.priority))
            results[rows[k]] = (out, k in failed_docs)
        if table_hits:
            self._table_candidates(joined, starts, ends, rows, table_hits, counters, results)

    def _table_candidates(self, joined: str, starts: list[int], ends: list[int], rows: list[int], hits: list[int],
                          counters: Counter[str], results) -> None:
        """Add to ``results`` (per document, as :meth:`_find_joined` fills it) the candidates of
        the table cells under a header naming personal data (tables.py); a document on which a
        recognizer failed reading them is marked failed.

        Why ``label: value`` lines: a cell under ``DOB`` is read exactly as ``DOB: 03/06/1958``
        written on one line, by every recognizer of the rules, its patterns (their label
        lookbehinds), validators, context and deny words and keep rules: no recognizer needs a
        pattern for tables, and what a label does not make personal on one line it does not make
        personal in a column either. The lines are few (cells of labelled columns, in rows holding a
        trigger hit) and detected as one more batch; a cell a candidate of its document already
        covers (an e-mail, a phone number with its area code: most cells of a contact export) is
        not read again."""
        def marks() -> list[int]:  # each document's candidates are in order of their start
            return [starts[k] + c.start for k, r in enumerate(rows) for c in results[r][0]]

        cells = self._tables.cells(joined, starts, ends, hits, marks)
        if not cells:
            return
        covered = _Covered(results, rows, starts)
        # A cell under a header cell holding a deny word of the recognizer that found it in its row
        # (`order number` over `0123-4567-89`) is kept, as `order number: 0123-4567-89` on one line
        # is: the row alone read no label, the header cell is the value's label.
        denied: dict[int, set[Candidate]] = {}
        for cell in cells:
            if cell.label and self._tables.denies(cell.label):  # (most labels deny nothing: `dob`, `ssn`)
                for c in covered.inside(cell.doc, cell.start, cell.end):
                    i = self._rule_index.get(c.recognizer)
                    if i is not None and self._label_denies(cell.label, i):
                        denied.setdefault(cell.doc, set()).add(c)
        if denied:
            counters["dropped_deny_context"] += sum(len(v) for v in denied.values())
            for k, gone in denied.items():
                mine, failed = results[rows[k]]
                results[rows[k]] = ([c for c in mine if c not in gone], failed)
            covered = _Covered(results, rows, starts)
        cells = [cell for cell in cells if cell.read and not covered(cell.doc, cell.start, cell.end)]
        if not cells:
            return
        counters["table_cells"] += len(cells)
        out: dict[int, list[Candidate]] = {}
        labelled: list[Cell] = []
        for cell in cells:
            if not cell.label:  # a name column's (None) or a plain `name` column's ("")
                out.setdefault(cell.doc, []).append(Candidate(cell.start, cell.end, "PERSON", self._name_score,
                                                              TABLE_NAME_RECOGNIZER, TABLE_NAME_PRIORITY))
            else:
                labelled.append(cell)
        failed_docs: set[int] = set()
        if labelled:
            # One text per document, its lines joined by SEPARATOR (no match, context word or label
            # line reaches from one line to the next, as none does from one document to the next):
            # a text per line paid the per-document work (keep rules, scoring set-up) per cell.
            per_doc: dict[int, list[Cell]] = {}
            for cell in labelled:
                per_doc.setdefault(cell.doc, []).append(cell)
            docs = list(per_doc)
            texts = []
            line_starts: list[list[int]] = []
            for k in docs:
                parts = [f"{cell.label}: {joined[cell.start:cell.end]}" for cell in per_doc[k]]
                offsets, pos = [], 0
                for part in parts:
                    offsets.append(pos)
                    pos += len(part) + len(SEPARATOR)
                texts.append(SEPARATOR.join(parts))
                line_starts.append(offsets)
            found: list[tuple[list[Candidate], bool]] = [([], False) for _ in texts]
            inner: Counter[str] = Counter()
            only = frozenset(i for label in {cell.label for cell in labelled} for i in self._label_users(label))
            self._find_joined(texts, None, list(range(len(texts))), inner, found, tables=False, only=only)
            for key, count in inner.items():  # failures stay visible; the lines' hits are not the text's
                if key.startswith(("regex_timeouts", "recognizer_errors")):
                    counters[key] += count
            for k, offsets, (cands, failed) in zip(docs, line_starts, found, strict=True):
                if failed:
                    failed_docs.add(k)
                cells = per_doc[k]
                for c in cands:
                    line = bisect_right(offsets, c.start) - 1
                    cell = cells[line]
                    value_start = offsets[line] + len(cell.label) + 2  # type: ignore[arg-type]
                    if c.start >= value_start and c.end <= value_start + cell.end - cell.start:
                        shift = cell.start - value_start
                        out.setdefault(k, []).append(c._replace(start=c.start + shift, end=c.end + shift))
        for k in out.keys() | failed_docs:
            base = starts[k]
            mine, failed = results[rows[k]]
            both = set(mine)
            both.update(c._replace(start=c.start - base, end=c.end - base) for c in out.get(k, ()))
            results[rows[k]] = (sorted(both, key=_candidate_order), failed or k in failed_docs)

    # ------------------------------------------------------------------------------------------
    def _near_windows(self, context_any: re.Pattern, key: tuple[int, ...], mine: list[tuple[int, int]], lower: str,
                      words: _WordLookups, members: frozenset[int],
                      near_any: dict[tuple[int, tuple[int, ...]], list[bool]]) -> list[bool]:
        """Per window of ``mine``: whether a word of ``context_any`` lies within reach of it (a
        context word counts up to CONTEXT_BEFORE before a match and CONTEXT_AFTER after), kept in
        ``near_any`` under ``(id(context_any), key)``.

        ``members``: a recognizer of each prefilter used on these windows. When there are several
        (on the `digits` windows the card, SSN and labelled-ID words; on the phone windows two
        phone lists), one search for all their words comes first, and each prefilter is searched
        only where it found one. Exact: each prefilter's words are among the union's, and a
        substring search finds a word iff one lies wholly between the bounds, so where the union
        finds none no prefilter would. Why: most `digits` windows of PII-dense text have no context
        word of any kind near (on 500 canary documents, 1,610 of 2,164 phone windows, 2,238 of
        3,081 card and ID windows); the per-window searches were ~10% of fast-mode detection there.
        """
        if len(members) > 1:
            union = self._context_union(members, words)
            pre = near_any.get((id(union), key))
            if pre is None:
                search = union.search
                pre = near_any[id(union), key] = [
                    search(lower, pos - CONTEXT_BEFORE if pos > CONTEXT_BEFORE else 0, endpos + CONTEXT_AFTER)
                    is not None for pos, endpos in mine]
            if union is context_any:
                return pre
            search = context_any.search
            low_ok = [ok and search(lower, pos - CONTEXT_BEFORE if pos > CONTEXT_BEFORE else 0,
                                    endpos + CONTEXT_AFTER) is not None
                      for ok, (pos, endpos) in zip(pre, mine, strict=True)]
        else:
            search = context_any.search
            low_ok = [search(lower, pos - CONTEXT_BEFORE if pos > CONTEXT_BEFORE else 0, endpos + CONTEXT_AFTER)
                      is not None for pos, endpos in mine]
        near_any[id(context_any), key] = low_ok
        return low_ok

    def _context_union(self, members: frozenset[int], words: _WordLookups) -> re.Pattern:
        """Any context word of the recognizers ``members`` as a plain substring, as their
        ``context_any`` prefilters in ``words`` search them (ASCII words only in the lookups for
        ASCII text): the prefilter of one of them when it holds all of their words, else a regex
        built for them once per engine."""
        ascii_only = words is self._ascii_words
        chosen = {i: frozenset(w for w in self._context_words[i] if w.isascii() or not ascii_only) for i in members}
        every = frozenset().union(*chosen.values())
        for i in sorted(members):
            if chosen[i] == every:
                return words.context_any[i]  # type: ignore[return-value]
        union = self._context_unions.get(every)
        if union is None:
            union = self._context_unions[every] = re.compile(trie_alternation(every))
        return union

    @staticmethod
    def _snap(text: str, windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Widen each window to the whitespace around it (bounded) so no token is cut in two.

        One call for a whole list: on PII-dense text there are tens of thousands of windows per
        batch. The nearest space or newline is found with ``str.rfind``/``str.find``; every other
        whitespace character is unprintable, so when the text in between is printable that is the
        nearest whitespace, and only otherwise does the regex search (same answer, faster).
        """
        n = len(text)
        back, forward = _WHITESPACE_BACK.search, _WHITESPACE.search
        rfind, find = text.rfind, text.find
        out = []
        for pos, endpos in windows:
            if pos > 0 and not text[pos - 1].isspace():
                lo = pos - SNAP_LIMIT if pos > SNAP_LIMIT else 0
                i = rfind(" ", lo, pos)
                j = rfind("\n", i + 1 if i >= lo else lo, pos)
                if j > i:
                    i = j
                if text[i + 1 if i >= 0 else lo:pos].isprintable():
                    pos = i + 1 if i >= 0 else lo
                else:
                    m = back(text, lo, pos)
                    pos = m.end() if m else lo
            if endpos < n and not text[endpos].isspace():
                hi = endpos + SNAP_LIMIT if endpos + SNAP_LIMIT < n else n
                i = find(" ", endpos, hi)
                j = find("\n", endpos, i if i >= 0 else hi)
                if j >= 0:
                    i = j
                if text[endpos:i if i >= 0 else hi].isprintable():
                    endpos = i if i >= 0 else hi
                else:
                    m = forward(text, endpos, hi)
                    endpos = m.start() if m else hi
            out.append((pos, endpos))
        return out

    def _score(self, cand: Candidate, lower: str, i: int, words: _WordLookups,
               cache: dict[tuple[int, int, int], bool] | None = None) -> Candidate | None:
        """Apply deny-context (drop) and context (boost) from the text around the candidate."""
        start = cand.start
        if self._denied(start, cand.end, lower, i, words, cache):
            return None
        if cand.score < 1.0 and self._context_near(lower, start, cand.end, i, words, cache):
            return Candidate(start, cand.end, cand.entity, min(1.0, cand.score + CONTEXT_BOOST),
                             cand.recognizer, cand.priority)
        return cand

    def _denied(self, start: int, end: int, lower: str, i: int, words: _WordLookups,
                cache: dict[tuple[int, int, int], bool] | None = None) -> bool:
        """Whether a deny word of recognizer ``i`` cancels its candidate ``[start, end)`` of ``lower``."""
        deny = words.deny_re[i]
        if deny is not None:
            # Bounded, so a 5 MB line without newlines stays linear (conditional expressions, not
            # max(): this runs per candidate).
            chars = self.keep.deny_context_chars
            lo = start - chars if start > chars else 0
            line_start = lower.rfind("\n", lo, start) + 1
            denied = None
            for found in deny.finditer(lower, line_start if line_start > lo else lo, start):
                denied = found  # the last deny word before the candidate
            # A deny word labelling the value ("order no. 0123-4567-89", "ISBN 978-...") cancels it; one
            # further back does not when a word of the recognizer's kind is near ("about your order,
            # call me at (312) 555-0148", "my order? My cell: +1 312 555 0148" were kept).
            if denied is not None and (self._labelling.fullmatch(lower, denied.end(), start) is not None
                                       or not self._context_near(lower, start, end, i, words, cache,
                                                                 words.override_re)):
                return True
            if denied is None and line_start > lo and (line_start == start or lower[line_start] in " \t"):
                # A value starting its line under a label line: a deny word ending that label
                # (`Order number` above `0123-4567-89`) labels the value as it does on one line.
                # (The test before the call: most candidates' lines start with no blank, and most
                # start no line; a call per candidate showed in profiles of PII-dense text.)
                label = _label_line(lower, line_start, start, start - CONTEXT_BEFORE if start > CONTEXT_BEFORE else 0)
                if label is not None:
                    for found in deny.finditer(lower, *label):
                        denied = found
                    # Not a table's header line over the row: only each cell's own header cell
                    # labels it (`phone,order number⏎212-555-1234,…`: the phone is under `phone`;
                    # the table reader applies a header cell's deny words, _table_candidates).
                    if denied is not None and self._labelling.fullmatch(lower, denied.end(), label[1]) is not None \
                            and not _header_above_row(lower, *label, line_start):
                        return True
        return False

    def _label_denies(self, label: str, i: int) -> bool:
        """Whether recognizer ``i``'s deny words cancel a value written after ``label`` on one line
        (``order number: 0123-4567-89``): the one-line form of a cell under that header cell, read
        with the value's own words out of it (remembered per label and recognizer)."""
        key = (label, i)
        known = self._label_denied_known.get(key)
        if known is None:
            if len(self._label_denied_known) >= MAX_KNOWN_LABELS:
                self._label_denied_known.clear()
            line = _same_length_lower(label) + ": "
            known = self._label_denied_known[key] = self._denied(len(line), len(line) + 1, line + "0", i,
                                                                 self._words)
        return known

    @staticmethod
    def _context_near(lower: str, start: int, end: int, i: int, words: _WordLookups,
                      cache: dict[tuple[int, int, int], bool] | None = None,
                      lookup: list[re.Pattern | None] | None = None) -> bool:
        """A context word of recognizer ``i`` on the same line, just before or after ``[start, end)``
        (answers kept in ``cache``, valid for one ``lower`` text, when given); of ``lookup`` (one of
        ``words``' lists) instead of the context words when given."""
        context = (words.context_re if lookup is None else lookup)[i]
        if context is None:
            return False
        if cache is not None:
            key = (id(context), start, end)
            near = cache.get(key)
            if near is not None:
                return near
        lo = start - CONTEXT_BEFORE if start > CONTEXT_BEFORE else 0
        line_start = lower.rfind("\n", lo, start) + 1
        line_end = lower.find("\n", end, end + CONTEXT_AFTER)
        near = bool(context.search(lower, line_start if line_start > lo else lo, start)
                    or context.search(lower, end, line_end if line_end >= 0 else end + CONTEXT_AFTER))
        if not near and line_start > lo and (line_start == start or lower[line_start] in " \t"):
            label = _label_line(lower, line_start, start, lo)
            if label is not None:
                near = (_labelled_by(context, lower, *label, words.label_tail)
                        and not _header_above_row(lower, *label, line_start))
        if cache is not None:
            cache[key] = near
        return near

    def _keep_spans(self, text: str, lower: LowerText, cands: list[Candidate], base: int, limit: int,
                    counters: Counter[str]) -> list[tuple[int, int, str]]:
        """Matches of the keep patterns around the candidates, sorted by start.

        Each pattern runs only around the candidates it could contain (see :meth:`_keep_mask`),
        within its longest match of them, once per merged area (not once per candidate): a
        document dense with candidates costs at most one linear pass per pattern, and on PII-dense
        text most patterns are ruled out for most candidates.
        """
        if not self.keep_patterns:
            return []
        # Per keep pattern (bit i of a mask: pattern i), the areas around the candidates it could
        # contain, merged as they come: candidates arrive in start order, so each area only grows
        # at its end (what _merge does, without a list per pattern to sort). A mask's patterns come
        # as (bit, reach) pairs remembered per mask (candidates share a few hundred masks): taking
        # the bits apart per candidate was a third of this loop's time (48 -> 36 ms per pass over
        # 2,000 canary documents; benchmarks/RESULTS-detect.md).
        areas: list[list[list[int]]] = [[] for _ in self.keep_patterns]
        keep_mask, bits_of = self._keep_mask, self._keep_bits
        for c in cands:
            if c.priority >= 3:
                continue
            start, end = c.start, c.end
            mask = keep_mask(text[start:end])
            if not mask:
                continue
            pairs = bits_of.get(mask)
            if pairs is None:
                pairs = self._mask_pairs(mask)
            for bit, reach in pairs:
                lo = start - reach
                if lo < base:
                    lo = base
                hi = end + reach
                if hi > limit:
                    hi = limit
                mine = areas[bit]
                if mine:
                    last = mine[-1]
                    if lo <= last[1] and (hi if hi > last[1] else last[1]) - last[0] <= MAX_WINDOW:
                        if hi > last[1]:
                            last[1] = hi
                        continue
                mine.append([lo, hi])
        spans: list[tuple[int, int, str]] = []
        append = spans.append
        for keep, mine in zip(self.keep_patterns, areas, strict=True):
            if not mine:
                continue
            name = keep.name
            present = keep.words.present if keep.words is not None and lower.can_check(keep.words) else None
            # No ``timeout=None`` argument (see WindowPatternRecognizer.find_windows).
            finditer = (keep.compiled.finditer if keep.timeout is None
                        else partial(keep.compiled.finditer, timeout=keep.timeout))
            repeated = keep.repeated
            for lo, hi in mine:
                if present is not None and not present(lower.text, lo, hi):
                    continue
                if repeated is not None and not repeated.present(text, lo, hi):
                    continue
                try:
                    # A loop, not ``spans.extend(<generator>)``: most areas hold no match, and a
                    # generator built per area cost more than the empty search (~10 ms per pass
                    # over 2,000 canary documents).
                    for m in finditer(text, lo, hi):
                        append((*m.span(), name))
                except TimeoutError:
                    # Fail towards privacy: without this keep pattern the candidates here are
                    # redacted as personal data. Counted and logged (without text), never silent.
                    counters["regex_timeouts"] += 1
                    counters[f"regex_timeouts_keep_{name}"] += 1
                    log.warning("detect: keep pattern %s timed out on a %d-character area (counted in "
                                "regex_timeouts; candidates there are not kept)", name, hi - lo)
        spans.sort()
        return spans

    def _mask_pairs(self, mask: int) -> tuple[tuple[int, int], ...]:
        """The keep patterns of ``mask`` as ``(bit, reach)`` pairs in bit order, remembered."""
        if len(self._keep_bits) >= _KEEP_MASK_CACHE_SIZE:
            self._keep_bits.clear()
        reaches = self._keep_reaches
        pairs = self._keep_bits[mask] = tuple((bit, reaches[bit]) for bit in range(mask.bit_length())
                                              if mask >> bit & 1)
        return pairs

    def _keep_mask(self, value: str) -> int:
        """Bit ``i`` set when keep pattern ``i`` could contain ``value``: a match keeps a candidate
        only by containing it, and a pattern that never matches that many characters, or cannot
        consume one of its characters, cannot (see alphabet.py).

        Both answers are cached, by length and by set of characters: on PII-dense text thousands
        of candidates share a few hundred character sets, and values longer than every keep match
        (secrets, most e-mails) are settled by their length alone.
        """
        n = len(value)
        by_length = self._keep_by_length.get(n)
        if by_length is None:
            by_length = self._keep_by_length[n] = sum(
                1 << bit for bit, keep in enumerate(self.keep_patterns)
                if keep.consumes is None or keep.consumes.fits(n))
        if not by_length:
            return 0
        chars = frozenset(value.translate(self._keep_classes))
        by_chars = self._keep_by_chars.get(chars)
        if by_chars is None:
            if len(self._keep_by_chars) >= _KEEP_MASK_CACHE_SIZE:
                self._keep_by_chars.clear()
            by_chars = self._keep_by_chars[chars] = sum(
                1 << bit for bit, keep in enumerate(self.keep_patterns)
                if keep.consumes is None or keep.consumes.consumes_all(chars))
        return by_length & by_chars

    def _listed_reason(self, cand: Candidate, text: str) -> str | None:
        """Why this candidate is not personal data by the allow-lists (values, e-mail domains and
        mailboxes, test card numbers, IP ranges); ``""`` when it is personal whatever the keep patterns say (an IP
        that does not parse), ``None`` when only the keep patterns can still tell."""
        value = text[cand.start:cand.end]
        keep = self.keep
        if keep.allow_values and value.lower() in keep.allow_values:
            return "allow_value"
        if cand.entity == "EMAIL_ADDRESS":
            local, domain = email_parts(value)
            if domain in self._email_domains or domain.endswith(keep.email_domain_suffixes):
                return "email_domain"
            if local in keep.email_local_parts:
                return "email_local_part"
        elif cand.entity == "CREDIT_CARD":
            if keep.card_numbers and "".join(ch for ch in value if ch.isdigit()) in keep.card_numbers:
                return "card_test_number"
        elif cand.entity == "IP_ADDRESS":
            # The answer depends only on the value: cached, because ``ipaddress`` parses and tests
            # ranges in Python (~15 µs) and logs repeat the same addresses.
            reason = self._ip_reasons.get(value, _UNKNOWN)
            if reason is _UNKNOWN:
                if len(self._ip_reasons) >= _IP_CACHE_SIZE:
                    self._ip_reasons.clear()
                reason = self._ip_reasons[value] = self._ip_reason(value)
            return reason  # type: ignore[return-value]
        return None

    def _ip_reason(self, value: str) -> str | None:
        """:meth:`_listed_reason` of an IP address."""
        keep = self.keep
        try:
            addr = ipaddress.ip_address(value.split("%", 1)[0])
        except ValueError:
            return ""
        if addr.version == 6 and addr.ipv4_mapped is not None:
            # `::ffff:203.0.113.9` (proftpd, courier, dual-stack sockets) is the IPv4 address it
            # carries: judged as that one, so a mapped private address is kept and a public one found
            addr = addr.ipv4_mapped
        if keep.ip_keep_non_global and (not addr.is_global or addr.is_multicast):
            return "ip_non_global"
        number = int(addr)
        singles, ranges = self._ip_keep[addr.version]
        if number in singles or any(first <= number <= last for first, last in ranges):
            return "ip_network"
        return None

    @staticmethod
    def _pattern_reason(cand: Candidate, text: str, keep_spans: list[tuple[int, int, str]]) -> str | None:
        """The keep pattern whose match contains this candidate, or ``None``."""
        if keep_spans and cand.priority < 3:
            # keep spans are short (< KEEP_REACH), so a container starts at most KEEP_REACH before
            i = bisect_right(keep_spans, (cand.start, len(text) + 1, ""))
            while i > 0:
                i -= 1
                ks, ke, name = keep_spans[i]
                if ks < cand.start - KEEP_REACH:
                    break
                if ke >= cand.end:
                    return f"pattern_{name}"
        return None


#: A candidate's bounds, as the key of a sort (C-level: a Python key function per candidate showed in
#: profiles of CSV exports).
_START_END = attrgetter("start", "end")


class _Covered:
    """Whether a span of the joined text lies inside a candidate its document already has (the
    documents' candidates as :meth:`PatternEngine._find_joined` put them in ``results``, offsets
    relative to each document): one bisection per question, each document indexed on first use."""

    def __init__(self, results, rows: list[int], starts: list[int]) -> None:
        self._results = results
        self._rows = rows
        self._starts = starts
        self._index: dict[int, tuple[list[int], list[int]]] = {}

    def _indexed(self, doc: int) -> tuple[list[int], list[int], list[Candidate]]:
        index = self._index.get(doc)
        if index is None:
            cands = sorted(self._results[self._rows[doc]][0], key=_START_END)
            reach = []  # the furthest end of the candidates up to each one
            furthest = -1
            for c in cands:
                furthest = c.end if c.end > furthest else furthest
                reach.append(furthest)
            index = self._index[doc] = ([c.start for c in cands], reach, cands)
        return index

    def __call__(self, doc: int, start: int, end: int) -> bool:
        firsts, reach, _ = self._indexed(doc)
        base = self._starts[doc]
        i = bisect_right(firsts, start - base) - 1
        return i >= 0 and reach[i] >= end - base

    def inside(self, doc: int, start: int, end: int) -> list[Candidate]:
        """The document's candidates lying within ``[start, end)`` of the joined text (their
        offsets relative to the document, as in ``results``)."""
        firsts, _, cands = self._indexed(doc)
        base = self._starts[doc]
        out = []
        for i in range(bisect_left(firsts, start - base), len(firsts)):
            c = cands[i]
            if c.start >= end - base:
                break
            if c.end <= end - base:
                out.append(c)
        return out


def _label_line(lower: str, line_start: int, start: int, lo: int) -> tuple[int, int] | None:
    """The bounds of the label line above a value starting at ``start``, or ``None``.

    Why: forms exported from PDFs, CSVs pasted as text and key/value dumps put a label alone on one
    line and its value on the next (``"Date of birth:\\n03/06/1958"``, ``"SSN\\n536-22-8145"``); the
    same-line context lookup never saw such a label. Only a value that starts its line (after
    spaces or tabs; ``line_start`` is its line's first character) has one, and only the line just
    above it, or the one above a blank line, is read. That line must begin at or after ``lo`` (the
    context reach, :data:`CONTEXT_BEFORE` before the value): a longer line is prose, not a label,
    and the window prefilter (which searches that far) then still never skips what this would see.
    """
    if line_start < start and not lower[line_start:start].isspace():
        return None
    end = line_start - 1  # the newline ending the line above
    if end > lo and lower[end - 1] == "\r":
        end -= 1
    above = lower.rfind("\n", lo, end)
    if above >= 0 and (above + 1 == end or lower[above + 1:end].isspace()):
        end = above  # one blank line between the label and its value
        above = lower.rfind("\n", lo, end)
    if above < 0 and lo > 0:
        return None  # the line above starts before the context reach: too long for a label
    begin = above + 1 if above >= 0 else 0
    if begin >= end or lower[begin:end].isspace():
        return None
    return begin, end


def _header_above_row(lower: str, begin: int, end: int, line_start: int) -> bool:
    """Whether the label line ``lower[begin:end]`` is a table's header over the row starting at
    ``line_start`` (the same delimiter, as many cells: tables.py): then the value's label is the
    header cell of its own column, which the table reader reads, not the header line's last word
    (``id,ssn⏎536228145,n/a`` made the id an SSN; ``phone,order number⏎212-555-1234,…`` lost the
    phone to the header line's deny word: a header cell's deny words keep its own column's values,
    ``PatternEngine._table_candidates``)."""
    header = row_shape(lower[begin:end])
    if header is None:
        return False
    stop = lower.find("\n", line_start, line_start + MAX_LINE + 1)
    row = row_shape(lower[line_start:stop if stop >= 0 else line_start + MAX_LINE].rstrip("\r"))
    return row is not None and row[0] == header[0] and len(row[1]) == len(header[1])


def _labelled_by(context: re.Pattern, lower: str, begin: int, end: int, tail: re.Pattern[str]) -> bool:
    """Whether the line ``lower[begin:end]`` ends with a word of ``context`` and a label's ``tail``
    (:func:`label_tail_regex`): ``"Passport No."``, ``"Phone (mobile):"``, not ``"Call me about it"``."""
    last = None
    for word in context.finditer(lower, begin, end):
        last = word
    return last is not None and tail.fullmatch(lower, last.end(), end) is not None


def _alike_characters(alphabets: list) -> dict[int, str]:
    """A ``str.translate`` table mapping each ASCII character to the first one that every
    alphabet in ``alphabets`` (``None`` entries ignored) consumes or refuses exactly as it does."""
    first: dict[tuple[bool, ...], str] = {}
    table: dict[int, str] = {}
    known = [a for a in alphabets if a is not None]
    for code in range(128):
        ch = chr(code)
        table[code] = first.setdefault(tuple(ch in a.ascii for a in known), ch)
    return table


def _candidate_order(cand: Candidate) -> tuple[int, int, str, str, float]:
    return cand.start, cand.end, cand.entity, cand.recognizer, cand.score


def _same_length_lower(text: str) -> str:
    """Lower-case copy with the same offsets (characters whose lower case is longer are kept)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _merge(windows) -> list[tuple[int, int]]:
    """Merge overlapping windows (input in any order), but never beyond :data:`MAX_WINDOW` characters.

    Every hit's own window stays inside one merged window, so nothing is missed; the cap keeps one
    regex call (and its timeout budget) bounded when hits are dense over a huge document. The
    current window is kept in two locals, not read back from the list: on PII-dense text this
    runs over tens of thousands of windows per batch.
    """
    ordered = sorted(windows)
    if not ordered:
        return []
    out: list[tuple[int, int]] = []
    cur_s, cur_e = ordered[0]
    for s, e in ordered:
        if s <= cur_e and (e if e > cur_e else cur_e) - cur_s <= MAX_WINDOW:
            if e > cur_e:
                cur_e = e
        else:
            out.append((cur_s, cur_e))
            cur_s, cur_e = s, e
    out.append((cur_s, cur_e))
    return out

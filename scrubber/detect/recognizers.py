"""Presidio pattern recognizers that run on windows of a document and report timeouts.

:class:`WindowPatternRecognizer` is a ``presidio_analyzer.PatternRecognizer``: it keeps Presidio's
model (``Pattern`` objects with names and scores, ``validate_result`` / ``invalidate_result``,
``RecognizerResult``), so the same objects can be registered in a Presidio ``RecognizerRegistry``.
It differs where Presidio's behaviour is unsafe or slow for corpora:

* it matches between ``pos`` and ``endpos`` of the full text (no slicing, no offset mapping),
  so it can run on the small windows the trigger scan opens;
* a regex timeout raises :class:`RecognizerTimeout` instead of being skipped with a warning
  (Presidio's behaviour is a silent leak); the engine counts and reports it;
* no global flags (Presidio defaults to IGNORECASE|DOTALL|MULTILINE): each pattern says its own;
* a named group ``value`` narrows the span (``password = "x"`` reports only ``"x"``);
* a named group ``start``, when it took part in the match, moves the span's start to its own; it
  may lie in a lookbehind, before the match: a street name before the house number a pattern is
  anchored on (``Hauptstraße 12``). Why: the `regex` module tries a pattern at every position of a
  window and skips quickly only to a position where its first item can match; a pattern that
  starts at the name runs its word lists at every capitalised word (street patterns so written
  cost 20 ms per MB of prose), one anchored on the digit reads the name backwards only where a
  house number follows it;
* validators may shorten a match (IBAN), see :mod:`scrubber.detect.validators`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import NamedTuple

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from scrubber.detect.needles import LowerText, needles, repeated_char
from scrubber.detect.rules import RecognizerRule
from scrubber.detect.validators import VALIDATORS, Validator


class RecognizerTimeout(Exception):
    """A pattern exceeded its time budget on one window (the window is *not* scanned by it)."""

    def __init__(self, recognizer: str, pattern: str) -> None:
        super().__init__(f"recognizer {recognizer!r} pattern {pattern!r} timed out")
        self.recognizer = recognizer
        self.pattern = pattern


class Candidate(NamedTuple):
    """A validated match before context, allow-lists and overlap resolution.

    A named tuple, not a frozen dataclass: immutable and hashable alike, but built in a third of
    the time (a frozen dataclass sets each field through ``object.__setattr__``), and PII-dense
    text makes one or more per match (~150,000 per 60 MB of the 90/10 benchmark mix).
    """

    start: int
    end: int
    entity: str
    score: float
    recognizer: str
    priority: int


class WindowPatternRecognizer(PatternRecognizer):
    """A Presidio ``PatternRecognizer`` built from one :class:`RecognizerRule`."""

    def __init__(self, rule: RecognizerRule, timeout: float,
                 trusted: frozenset[tuple[str, int]] = frozenset(),
                 validators: Mapping[str, Validator] = VALIDATORS) -> None:
        """``validators``: the validators by name, as ``validators.validators_for`` binds them to the
        rules' word lists (the default holds only those that read no list)."""
        patterns = [Pattern(p.name, p.regex, p.score) for p in rule.patterns]
        super().__init__(
            supported_entity=rule.entity,
            name=rule.name,
            patterns=patterns,
            context=list(rule.context) or None,
            global_regex_flags=0,
        )
        self.rule = rule
        self.timeout = timeout
        self._validator: Validator | None = validators[rule.validator] if rule.validator else None
        # (pattern name, compiled regex, score, index of the `value` group or 0, index of the `start`
        # group or 0, timeout, needles, repeated character): patterns in `trusted` (tested
        # linear-time, see rules.shipped_patterns) run without a timeout; `needles` (or None) are
        # words one of which every match needs, the repeated character (or None) one every match
        # holds several times (see needles.py).
        self._compiled = []
        for p in rule.patterns:
            compiled = regex.compile(p.regex, p.flags)
            group = compiled.groupindex.get("value", 0)
            start_group = compiled.groupindex.get("start", 0)
            self._compiled.append((p.name, compiled, p.score, group, start_group,
                                   None if (p.regex, p.flags) in trusted else timeout, needles(p.regex, p.flags),
                                   repeated_char(p.regex, p.flags)))

    # -- Presidio hooks -----------------------------------------------------------------------
    def validate_result(self, pattern_text: str) -> bool | None:
        """Presidio's hook: our validator's verdict (``None`` when the rule has none)."""
        if self._validator is None:
            return None
        return bool(self._validator(pattern_text))

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> list[RecognizerResult]:
        """Presidio entry point (whole text), for use inside a Presidio ``AnalyzerEngine``."""
        return [
            RecognizerResult(c.entity, c.start, c.end, c.score,
                             recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                   RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
            for c in self.find(text, 0, len(text))
        ]

    # -- scrubber entry points ----------------------------------------------------------------
    def find(self, text: str, pos: int, endpos: int,
             context_near: Callable[[int, int], bool] | None = None, threshold: float = 0.0,
             run_low: bool = True) -> list[Candidate]:
        """Validated matches lying in ``text[pos:endpos]`` (lookbehind may see before ``pos``).

        A match of a pattern scoring below ``threshold`` can only survive with a context word, so
        when ``context_near`` says there is none it is skipped before its (costly) validator runs;
        ``run_low=False`` (the caller found no context word anywhere near the window) skips such
        patterns altogether. A timeout raises :class:`RecognizerTimeout`, a bug its own exception.
        """
        found, failed = self.find_windows(text, [(pos, endpos)], [run_low], context_near, threshold)
        if failed:
            raise failed[0]
        return found

    def find_windows(self, text: str, windows: Sequence[tuple[int, int]], low_ok: Sequence[bool] | None,
                     context_near: Callable[[int, int], bool] | None = None,
                     threshold: float = 0.0,
                     lower: LowerText | None = None,
                     near: Sequence[int] | None = None,
                     anchored: bool = False) -> tuple[list[Candidate], dict[int, Exception]]:
        """:meth:`find` on every window (``low_ok[i]`` is its ``run_low``; ``None``: all true), and
        the windows that failed: index -> :class:`RecognizerTimeout` or the exception raised.

        Why one call for many windows: on PII-dense text a recognizer runs on thousands of small
        windows and the Python overhead of a call per window rivalled the regex work. The result
        is what calling :meth:`find` per window gives: a failed window contributes no candidate
        (not even those its earlier patterns found) and runs no further pattern.

        With ``lower`` (the text lower-cased, same offsets), a pattern skips the windows that hold
        none of its needles, and any pattern the windows with too few of its repeated character
        (an IPv4 address's three dots): it could not match there (see needles.py). ``near``: the
        indices of the true ``low_ok`` entries, when the caller already has them (recognizers
        sharing windows and context words share the list).

        ``anchored``: each window starts at a trigger hit, and a match must start there (one
        ``match`` per window, not a search; the recognizer's ``hits`` in the rules).
        """
        out: list[Candidate] = []
        where: list[int] = []  # the window of each candidate, to drop those of a failed window
        failed: dict[int, Exception] = {}
        rule = self.rule
        entity, name, priority, strip_quotes = rule.entity, rule.name, rule.priority, rule.strip_quotes
        validator = self._validator
        count = text.count
        every = range(len(windows))
        # The windows a pattern needing a context word may run on, listed: on prose most `digits`
        # windows have no label word near, and a Python step per skipped window and pattern (~0.3
        # µs) cost ~1 ms per MB once a dozen labelled recognizers shared those windows.
        for pattern_name, compiled, score, group, start_group, timeout, words, repeated in self._compiled:
            needs_context = context_near is not None and score < threshold
            skip_low = needs_context and low_ok is not None
            if skip_low and near is None:
                near = [w for w, ok in enumerate(low_ok) if ok]  # type: ignore[arg-type]
            # The timeout only when there is one: passing ``timeout=None`` costs the `regex` module
            # ~0.3-0.5 µs of argument handling per call, as much as a small window's whole search.
            finditer = compiled.finditer if timeout is None else partial(compiled.finditer, timeout=timeout)
            if anchored:
                finditer = _anchored(compiled.match if timeout is None else partial(compiled.match, timeout=timeout))
            present = words.present if words is not None and lower is not None and lower.can_check(words) else None
            char, times = (repeated.char, repeated.times) if repeated is not None else ("", 0)
            for w in (near if skip_low else every):  # type: ignore[union-attr]
                if failed and w in failed:
                    continue
                pos, endpos = windows[w]
                if present is not None and not present(lower.text, pos, endpos):  # type: ignore[union-attr]
                    continue
                if times and count(char, pos, endpos) < times:
                    continue
                try:
                    for match in finditer(text, pos, endpos):
                        start, end = match.span(group)
                        if start_group and match.start(start_group) >= 0:
                            start = match.start(start_group)
                        if start < 0 or start == end:
                            continue
                        if needs_context and not context_near(start, end):  # type: ignore[misc]
                            continue
                        if validator is not None:
                            verdict = validator(text[start:end])
                            if verdict is False or verdict == 0:
                                continue
                            if verdict is not True:
                                end = start + int(verdict)
                        if strip_quotes:
                            start, end = _inside_quotes(text, start, end)
                        out.append(Candidate(start, end, entity, score, name, priority))
                        where.append(w)
                except TimeoutError:
                    failed[w] = RecognizerTimeout(name, pattern_name)
                except Exception as exc:  # reported by the caller per window, never silent
                    failed[w] = exc
        if failed:
            out = [c for c, w in zip(out, where, strict=True) if w not in failed]
        return out, failed


def _inside_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of ``text[start:end]`` without its quotes (``"x"``, ``'x'``, or ``\\"x\\"`` escaped
    inside a JSON string), so redacted code keeps its string literals; unchanged when unquoted."""
    if end - start > 4 and text.startswith('\\"', start) and text.startswith('\\"', end - 2):
        return start + 2, end - 2
    if end - start > 2 and text[start] in "\"'" and text[end - 1] == text[start]:
        return start + 1, end - 1
    return start, end


def _anchored(match: Callable[..., regex.Match[str] | None]) -> Callable[[str, int, int], tuple[regex.Match[str], ...]]:
    """``finditer``'s signature for a pattern matched only at the start of each window."""
    def at_start(text: str, pos: int, endpos: int) -> tuple[regex.Match[str], ...]:
        m = match(text, pos, endpos)
        return (m,) if m is not None else ()
    return at_start

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
* validators may shorten a match (IBAN), see :mod:`scrubber.detect.validators`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from scrubber.detect.rules import RecognizerRule
from scrubber.detect.validators import VALIDATORS, Validator


class RecognizerTimeout(Exception):
    """A pattern exceeded its time budget on one window (the window is *not* scanned by it)."""

    def __init__(self, recognizer: str, pattern: str) -> None:
        super().__init__(f"recognizer {recognizer!r} pattern {pattern!r} timed out")
        self.recognizer = recognizer
        self.pattern = pattern


@dataclass(frozen=True, slots=True)
class Candidate:
    """A validated match before context, allow-lists and overlap resolution."""

    start: int
    end: int
    entity: str
    score: float
    recognizer: str
    priority: int


class WindowPatternRecognizer(PatternRecognizer):
    """A Presidio ``PatternRecognizer`` built from one :class:`RecognizerRule`."""

    def __init__(self, rule: RecognizerRule, timeout: float,
                 trusted: frozenset[tuple[str, int]] = frozenset()) -> None:
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
        self._validator: Validator | None = VALIDATORS[rule.validator] if rule.validator else None
        # (pattern name, compiled regex, score, index of the `value` group or 0, timeout): patterns
        # in `trusted` (tested linear-time, see rules.shipped_patterns) run without a timeout.
        self._compiled = []
        for p in rule.patterns:
            compiled = regex.compile(p.regex, p.flags)
            group = compiled.groupindex.get("value", 0)
            self._compiled.append((p.name, compiled, p.score, group,
                                   None if (p.regex, p.flags) in trusted else timeout))

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

    # -- scrubber entry point -----------------------------------------------------------------
    def find(self, text: str, pos: int, endpos: int,
             context_near: Callable[[int, int], bool] | None = None, threshold: float = 0.0,
             run_low: bool = True) -> list[Candidate]:
        """Validated matches lying in ``text[pos:endpos]`` (lookbehind may see before ``pos``).

        A match of a pattern scoring below ``threshold`` can only survive with a context word, so
        when ``context_near`` says there is none it is skipped before its (costly) validator runs;
        ``run_low=False`` (the caller found no context word anywhere near the window) skips such
        patterns altogether.
        """
        out: list[Candidate] = []
        rule = self.rule
        for pattern_name, compiled, score, group, timeout in self._compiled:
            needs_context = context_near is not None and score < threshold
            if needs_context and not run_low:
                continue
            try:
                for match in compiled.finditer(text, pos, endpos, timeout=timeout):
                    start, end = match.span(group)
                    if start < 0 or start == end:
                        continue
                    if needs_context and not context_near(start, end):
                        continue
                    if self._validator is not None:
                        verdict = self._validator(text[start:end])
                        if verdict is False or verdict == 0:
                            continue
                        if verdict is not True:
                            end = start + int(verdict)
                    if rule.strip_quotes and end - start > 2 and text[start] in "\"'" and text[end - 1] == text[start]:
                        start, end = start + 1, end - 1
                    out.append(Candidate(start, end, rule.entity, score, rule.name, rule.priority))
            except TimeoutError:
                raise RecognizerTimeout(rule.name, pattern_name) from None
        return out

"""The characters a keep pattern can consume: the engine skips a keep pattern around candidates it
could not contain, so the alphabet must never be too small (that would keep less than before)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import regex

from scrubber.detect.alphabet import alphabet
from scrubber.detect.rules import load_rules
from scrubber.records import Batch
from tests.detect_helpers import stage_with_keep_pattern

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    (r"\d{4}-\d{2}", "2023-10", True),
    (r"\d{4}-\d{2}", "2023/10", False),          # '/' is never consumed
    (r"(?<=@)\d+(?=x)", "@12x", False),         # lookarounds consume nothing
    (r"(?<=@)\d+(?=x)", "12", True),
    (r"(?i)cve-\d+", "CVE-1234", True),          # case-insensitive: both cases
    (r"(?i)k", "\u212a", True),                  # ... and the Kelvin sign folds to k
    (r"k", "\u212a", False),
    (r"[^x]+", "anything @ at all", True),       # a negated class consumes (almost) everything
    (r"a|b(?:c|d)*", "abcdd", True),
    (r"a|b(?:c|d)*", "abcde", False),
    (r"\w+", "caf\u00e9", True),                 # \w matches non-ASCII letters too
    (r"[a-z]+", "caf\u00e9", False),
    (r"(a)\1", "aa", True),                      # a back-reference repeats its group's characters
    (r"\d{2,4}", "12345", False),                # longer than any match
    (r"\d{2,4}(?=\d{9})", "1234", True),          # a lookahead adds no width
    (r"\d+", "1" * 500, True),                   # unbounded
])
def test_alphabet_could_consume_table(pattern: str, text: str, expected: bool) -> None:
    alpha = alphabet(pattern)
    assert alpha is not None
    assert alpha.could_consume(text) is expected


@pytest.mark.parametrize("pattern", [r"\p{L}+", r"[[:alpha:]]+", r"(?V1)[a--b]", r"(unclosed", r"(?:cve){e<=1}"])
def test_alphabet_unsure_patterns_get_none(pattern: str) -> None:
    """Syntax the standard parser rejects or may read differently: no alphabet, never skipped."""
    assert alphabet(pattern) is None


def test_alphabet_admits_every_match_of_the_shipped_keep_patterns() -> None:
    """Soundness on the shipped rules: any text a keep pattern matches is in its alphabet."""
    rules = load_rules(ROOT / "rules" / "detect")
    samples = (
        "request 123e4567-e89b-12d3-a456-426614174000 done; commit 3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c; "
        "MD5 9E107D9D372BB6826BD81D3542A419D6; CVE-2021-44228; ISBN 978-3-16-148410-0, ISBN-10: 0-306-40615-2; "
        "bug 1234567, issue #12345678, ticket: 9876543, PROJ-1234567; 2023-10-05T14:30:00Z, "
        "2023/10/05 14:30:00.123+02:00; 05/10/2023 14:30 and 5.10.2023; 12:30:45 and 13:05:00.250; "
        "created_at: 1700000000123; version 2.14.1-rc.1 v3.2; 12 rue de la Paix, 7 allée Verte; "
        "1,234,567 downloads and 12 345 678 users"
    )
    checked = 0
    for name, rx in rules.keep.keep_patterns:
        alpha = alphabet(rx)
        assert alpha is not None, name  # every shipped keep pattern gets one (else no speed-up)
        for match in regex.finditer(rx, samples):
            assert alpha.could_consume(match.group()), (name, match.group())
            checked += 1
    assert checked >= len(rules.keep.keep_patterns)


def test_stage_keep_pattern_that_cannot_contain_the_candidate_is_not_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A (slow) keep pattern that cannot consume '@' is skipped around an e-mail: no time spent,
    no timeout, and the e-mail is redacted as before."""
    st = stage_with_keep_pattern(tmp_path, "(a|aa)+b")
    with caplog.at_level(logging.WARNING, logger="scrubber.detect"):
        out = st.run(Batch({"text": ["a" * 40 + " mail jane@gmail.com " + "a" * 40]}))
    counters = st.take_counters()
    assert counters.get("regex_timeouts", 0) == 0
    assert [s.entity_type for s in out.spans()[0]] == ["EMAIL_ADDRESS"]

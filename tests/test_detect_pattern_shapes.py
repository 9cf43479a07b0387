"""Patterns shaped for speed match exactly what their plain form matched.

Some shipped regexes have a shape chosen for the `regex` module's speed, not for reading
(benchmarks/RESULTS-detect.md, "Cheaper patterns"; docs/detection.md, "How it works"). Each is
compared here with its plain form on hand-written look-alikes and on seeded random strings of the
characters the pattern turns on: an edit that makes the two disagree (a "simplification" that is
not one, or a fold character lost from a class) fails. What the recognizers find and keep with
them is tested at the end, and with the recognizers (test_detect_recognizers.py,
test_detect_keep.py, test_detect_street.py).
"""
from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import pytest
import regex

from scrubber.detect.rules import DetectRules, load_rules
from tests.detect_helpers import found

ROOT = Path(__file__).resolve().parent.parent

#: What the speed-up adds to email_v2's pattern, right after its first lookbehind.
EMAIL_LOOKAHEAD = r"(?=[\w!#$%'*+=^`{|}~.\-]{1,584}+@)"
#: bug_number as it was written before (a global ``(?i)``): the reference.
BUG_PLAIN = (r"(?i)(?=[#a-z])(?:(?:\b(?:bugs?|issues?|tickets?|pr|pull request|case|incident|build|job|run"
             r"|commit|changeset|revision|rev|r)\b[ :#]{0,3}|#)\d{3,12}\b|\b[A-Z][A-Z0-9]{1,9}-\d{1,8}\b)")
#: The hit filter's number-first branch, plain and as shipped.
HITS_PLAIN = r"\d{1,6}[A-Za-z]?(?:/\d{1,6}[A-Za-z]?)?(?: \d{1,6}[A-Za-z]{0,2}){0,2},? "
HITS_FAST = r"(?=\d{0,6}+[A-Za-z/ ,])\d{1,6}+[A-Za-z]?+(?:/\d{1,6}+[A-Za-z]?+)?+(?: \d{1,6}+[A-Za-z]{0,2}+){0,2}+,?+ "


@lru_cache(maxsize=1)
def shipped() -> DetectRules:
    return load_rules(ROOT / "rules" / "detect")


def recognizer_regex(name: str) -> str:
    (rule,) = [r for r in shipped().recognizers if r.name == name]
    return rule.patterns[0].regex


def keep_regex(name: str) -> str:
    (rx,) = [rx for n, rx in shipped().keep.keep_patterns if n == name]
    return rx


def street_hits() -> str:
    (rule,) = [r for r in shipped().recognizers if r.name == "street_address_v2"]
    assert rule.hits is not None
    return rule.hits


def random_texts(seed: int, pieces: list[str], count: int = 3000) -> list[str]:
    """``count`` strings of 1-40 pieces drawn from ``pieces``, the same on every run."""
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def all_spans(compiled: regex.Pattern[str], text: str) -> list[tuple[tuple[int, int], ...]]:
    """Every match of ``finditer`` with the spans of all its groups, on the whole text and on a window."""
    whole = [m.regs for m in compiled.finditer(text)]
    inner = [m.regs for m in compiled.finditer(text, len(text) // 4, len(text) - len(text) // 4)]
    return [*whole, ((-1, -1),), *inner]


EMAIL_TEXTS = [
    "mail jane.doe@gmail.com today", "user=jane@gmail.com", "--author=ann@corp.io", "'jane@gmail.com'",
    "o'brien@mail.ie", "https://deploy:s3cret@registry.io/v2", "list-bounces+jane=gmail.com@lists.org",
    "a@b.com+c@d.com", "x" * 70 + "@gmail.com", ".".join(["abcdefgh"] * 9) + "@mail.com",
    ".".join(["abcdefgh"] * 10) + "@mail.com", "SRS0=ab=cd@x.org", "jane@@gmail.com", "a..b@gmail.com",
]
EMAIL_PIECES = [*"abcXYZ019._-+=!'`#%&/?:@ \n", "://", "user=", "--x=", "gmail.com", "a.b", "@x.org", "https://u:p@",
                "x" * 30]

BUG_TEXTS = [
    "see bug 1234567, issue #12345678 and ticket: 9876543", "tracked as PROJ-1234567", "#1234", "##12345",
    "Issue #4567890", "PULL REQUEST 12345", "İSSUE 1234567", "ıssue 1234567", "buſ 1234567",
    "\u212aEY-123", "İA-1234", "ıA-1234", "a-1234", "AB-123456789", "r 1234", "rev:#  123456",
]
BUG_PIECES = [
    *"#AaBbZz-0123456789 :İıſKkRr_é", "bug ", "issue #", "PR ", "pull request ", "ticket: ", "JIRA-", "ABC-",
    "rev", "r ", "ıssue ", "İSSUE ", "buſ", "\u212a"]

HITS_TEXTS = [
    "12 Main Street", "12b Main Street", "12/3 rue des Lilas", "4 5 6 Main", "7 bis avenue Victor Hugo",
    "12, Rue de Rivoli", "2023-10-05 Main", "1234567 Main", "123456 Main", "12ab Main", "12abc Main",
    "#45, 2nd Cross", "No. 12 Main", "Hauptstraße 5", "Via Roma 86", "〒150-0002", "5 12 34 Main",
    "1/2/3 Main", "12 ,Main", "12,  Main", "12 345 678 Main",
]
HITS_PIECES = [
    *"0123456789 ,./#aAbBZ-", "Main ", "rue ", "bis ", "No. ", "No:", "〒", "Straße ", "Via Roma ", "12 ", "1/2",
    "34b ", "5, ", "Flat No "]


def test_email_pattern_is_its_plain_form_with_a_lookahead() -> None:
    fast = recognizer_regex("email_v2")
    assert fast.count(EMAIL_LOOKAHEAD) == 1
    plain, shaped = regex.compile(fast.replace(EMAIL_LOOKAHEAD, "")), regex.compile(fast)
    texts = EMAIL_TEXTS + random_texts(3, EMAIL_PIECES)
    assert [all_spans(shaped, t) for t in texts] == [all_spans(plain, t) for t in texts]


def test_bug_number_keep_pattern_matches_as_its_case_insensitive_form() -> None:
    plain, shaped = regex.compile(BUG_PLAIN), regex.compile(keep_regex("bug_number"))
    assert shaped.flags & regex.IGNORECASE == 0  # the point of the shape: no global (?i)
    texts = BUG_TEXTS + random_texts(5, BUG_PIECES)
    assert [all_spans(shaped, t) for t in texts] == [all_spans(plain, t) for t in texts]


def test_bug_number_classes_spell_out_what_case_folding_matched() -> None:
    """Every character the ``(?i)`` classes took (``İ``, ``ı``, ``ſ``, the Kelvin sign) and only those.
    (The characters case folding pairs with an ASCII letter are all in the Basic Multilingual Plane.)"""
    plain, shaped = regex.compile(BUG_PLAIN), regex.compile(keep_regex("bug_number"))
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        for text in (chr(code) + "A-123", "A" + chr(code) + "-123"):
            assert bool(plain.match(text)) == bool(shaped.match(text)), hex(code)


def test_street_hit_filter_admits_the_hits_its_plain_form_admits() -> None:
    fast = street_hits()
    assert fast.count(HITS_FAST) == 1
    plain, shaped = regex.compile(fast.replace(HITS_FAST, HITS_PLAIN)), regex.compile(fast)
    texts = HITS_TEXTS + random_texts(7, HITS_PIECES)
    # The engine asks only whether the filter matches at a hit (a digit): every position is tried.
    assert [[bool(shaped.match(t, p)) for p in range(len(t))] for t in texts] == \
        [[bool(plain.match(t, p)) for p in range(len(t))] for t in texts]


@pytest.mark.parametrize(("text", "expected"), [
    # found, as before the speed-up
    ("mail jane.doe@gmail.com today", [("EMAIL_ADDRESS", "jane.doe@gmail.com")]),
    ("user=jane@gmail.com", [("EMAIL_ADDRESS", "jane@gmail.com")]),  # the key is no part of it
    ("git push https://deploy:s3cret@registry.io", [("URL_CREDENTIALS", "deploy:s3cret")]),  # no address
    ("I live at 51 Franklin Street, Springfield, IL 62701",
     [("STREET_ADDRESS", "51 Franklin Street, Springfield, IL 62701")]),
    ("send it to 7 bis avenue Victor Hugo", [("STREET_ADDRESS", "7 bis avenue Victor Hugo")]),
    ("number 4155550123 here", [("PHONE_NUMBER", "4155550123")]),
    # kept: the same digits as a bug, issue or pull request number, in any case
    ("ticket 4155550123 here", []),
    ("PULL REQUEST 4155550123", []),
    ("İSSUE 4155550123 here", []),
    ("see PROJ-41555501 and #415555012345", []),
])
def test_speed_shaped_patterns_still_find_and_keep(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected

"""Words a pattern cannot match without: the engine skips a pattern on windows and keep areas that
hold none of them, so the words must never be wrong (that would miss a match the pattern makes)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import regex

from benchmarks.accuracy import canary
from scrubber.detect.engine import RARE_NEAR_CANDIDATES
from scrubber.detect.needles import needles, repeated_char
from scrubber.detect.rules import load_rules
from scrubber.records import Batch
from tests.detect_helpers import found, stage_with_keep_pattern

ROOT = Path(__file__).resolve().parent.parent


def shipped_patterns_and_canary_text() -> tuple[list[tuple[str, str, int]], str]:
    """Every shipped recognizer and keep pattern (name, regex, flags), and 400 canary documents to
    match them on: the soundness checks below hold the engine's skips against real matches."""
    rules = load_rules(ROOT / "rules" / "detect")
    patterns = [(f"{r.name}/{p.name}", p.regex, p.flags) for r in rules.recognizers for p in r.patterns]
    patterns += [(f"keep/{name}", rx, 0) for name, rx in rules.keep.keep_patterns]
    return patterns, "\n\n".join(doc.text for doc in canary.generate(5, 400))


def shipped_matches(analyse: Callable[[str, int], Any]) -> tuple[str, list[tuple[str, Any, list[regex.Match]]]]:
    """The canary text, and (pattern name, what ``analyse`` read from it, its matches on that text)
    for every shipped pattern ``analyse`` gives something for (not None)."""
    patterns, text = shipped_patterns_and_canary_text()
    read = [(name, rx, flags, analyse(rx, flags)) for name, rx, flags in patterns]
    return text, [(name, found, list(regex.finditer(rx, text, flags)))
                  for name, rx, flags, found in read if found is not None]


@pytest.mark.parametrize(("pattern", "words", "reach"), [
    (r"foo\d+", ("foo",), 0),
    (r"(?:cat|dog)s", ("cat", "dog"), 0),          # a word per branch beats the one-letter 's'
    (r"(?<=phone: )\d+", ("phone: ",), 7),          # a lookbehind's words lie up to its width before
    (r"(?<=ab+)cd", ("cd",), 0),                   # an unbounded lookbehind gives none
    (r"(?:cell|cellphone) \d", ("cell",), 0),      # 'cellphone' is found only where 'cell' is
    (r"(?i)Tel(?:ephone)?:", ("tel",), 0),         # lower case: the engine searches lower-cased text
    (r"(?<=(?:身份证|(?i:id card)):)\d+", ("id card", "身份证"), 8),  # CJK has no case: a needle as it is
    (r"(?i)café\d", ("caf",), 0),                  # `é` has case forms: left out
    (r"(?:§{1,2}|section )\d+(?:\.\d+){3}", ("section ", "§"), 0),  # one rare character is a needle
])
def test_needles_table(pattern: str, words: tuple[str, ...], reach: int) -> None:
    got = needles(pattern)
    assert got is not None
    assert (got.words, got.reach) == (words, reach)


@pytest.mark.parametrize("pattern", [r"(?:foo)?\d+", r"a|\d", r"\w+@\w+", r"\d{3}[-.]\d{4}", r"\p{L}+foo",
                                     r"(?:foo){e<=1}", r"(unclosed", r"(?:#|bug )\d+"])
def test_needles_none_when_no_word_is_required_or_unsure(pattern: str) -> None:
    """Optional words, a branch without one, one character (in nearly every window), no literal,
    syntax the standard parser may misread."""
    assert needles(pattern) is None


def test_needles_hold_for_every_match_of_the_shipped_patterns() -> None:
    """Soundness on the shipped rules and the canary documents: wherever a recognizer or keep
    pattern matches, one of its words is in the lower-cased text within reach of the match."""
    text, analysed = shipped_matches(needles)
    lower = text.lower()
    assert len(lower) == len(text)
    for name, words, matches in analysed:
        for m in matches:
            assert words.present(lower, m.start(), m.end()), (name, m.group())
    with_words, matched = len(analysed), sum(len(matches) for _, _, matches in analysed)
    assert with_words >= 20 and matched > 1000  # the rules do have words, and they were exercised


def test_one_search_for_all_words_answers_as_a_find_per_word() -> None:
    """A short area is searched once for all the words (a regex), a long one word by word
    (``str.find``): both must say the same for every shipped pattern's words, also when a word
    ends exactly at the area's end, is cut by it, or starts just inside or outside its reach."""
    _, text = shipped_patterns_and_canary_text()
    _, analysed = shipped_matches(needles)
    lower = text.lower()
    checked = regex_searched = 0
    for name, words, _ in analysed:
        for word in words.words:
            at = lower.find(word)
            for _ in range(5):
                if at < 0:
                    break
                end = at + len(word)
                for size in (len(word), 20, words.one_search_below - 1, words.one_search_below + 40):
                    for pos, endpos in ((end - size, end), (end - size, end - 1), (at + words.reach, at + size),
                                        (at + words.reach + 1, at + size + 1)):
                        pos = max(pos, 0)
                        lo = max(pos - words.reach, 0)
                        expected = any(lower.find(w, lo, endpos) >= 0 for w in words.words)
                        assert words.present(lower, pos, endpos) == expected, (name, word, pos, endpos)
                        checked += 1
                        regex_searched += endpos - lo < words.one_search_below
                at = lower.find(word, at + 1)
    assert checked > 1000 and regex_searched > 300  # both ways were exercised


@pytest.mark.parametrize("text", [
    "Phone:\n439 4166",
    "Phone:\n        439 4166",  # the label is further back than the window opens: within reach
    "De\u017fk:\n439 4166",       # long s: the pattern (case-insensitive) reads 'desk', lower() does not
    "HOTL\u0130NE:\n439 4166",    # dotted capital I: matches 'i', lower-cases to two characters
])
def test_label_above_a_local_number_is_found_whatever_the_lookup_of_words_sees(text: str) -> None:
    assert ("PHONE_NUMBER", "439 4166") in found(text)


def test_keep_pattern_lacking_its_words_is_not_run(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A slow keep pattern that needs 'zebra' or 'okapi' (the regex engine's own check finds no
    single required word in it) is not run where neither is: no timeout, and the phone number
    is redacted as before. With a word present it runs, and times out."""
    st = stage_with_keep_pattern(tmp_path, r"(?:\d|\d\d)+(?:zebra|okapi)")
    text = "call 2125550187 " + "1" * 40 + "!"
    with caplog.at_level(logging.WARNING, logger="scrubber.detect"):
        out = st.run(Batch({"text": [text]}))
        assert st.take_counters().get("regex_timeouts", 0) == 0
        assert [s.entity_type for s in out.spans()[0]] == ["PHONE_NUMBER"]
        st.run(Batch({"text": [text + " zebra"]}))
        assert st.take_counters().get("regex_timeouts_keep_slow_keep", 0) == 1


@pytest.mark.parametrize(("pattern", "char", "times"), [
    (r"\d{1,3}(?:\.\d{1,3}){3}", ".", 3),              # IPv4: the dots of the repeated group
    (r"(?:a\.b|c\.d\.e)\.", ".", 2),                    # a branch counts what every branch has
    (r"-{5}BEGIN(?:x|-{2})?", "-", 5),                    # an optional part counts nothing
    (r"(?<=\.\.\.)x\.\.", ".", 2),                      # lookarounds count nothing (outside the match)
    (r"(?i)a\.b\.", ".", 2),                              # letters under IGNORECASE have two forms
])
def test_repeated_char_table(pattern: str, char: str, times: int) -> None:
    got = repeated_char(pattern)
    assert got is not None and (got.char, got.times) == (char, times)


@pytest.mark.parametrize("pattern", [r"\d+\.\d+", r"(?:\.\.)?x", r"a\.|b", r"[.,]{3}", r"(?i)aa", r"  x", r"\p{L}\.\.",
                                     r"(unclosed"])
def test_repeated_char_none_when_no_character_is_required_twice(pattern: str) -> None:
    """Once only, optional, a branch without it, a class, a letter under IGNORECASE, whitespace
    (in every window), syntax the standard parser may misread."""
    assert repeated_char(pattern) is None


def test_repeated_char_holds_for_every_match_of_the_shipped_patterns() -> None:
    """Soundness on the shipped rules and the canary documents: every match of a recognizer or
    keep pattern holds its repeated character as often as said, so no window or keep area with a
    match is skipped."""
    _, analysed = shipped_matches(repeated_char)
    for name, rc, matches in analysed:
        for m in matches:
            assert m.group().count(rc.char) >= rc.times, name
    checked, matched = len(analysed), sum(len(matches) for _, _, matches in analysed)
    assert checked >= 8 and matched > 1000


@pytest.mark.parametrize(("pattern", "words"), [
    (r"<[^<>@]{1,9}@[a-z.]{1,9}>", ("<",)),          # the first rare character held
    (r"\d{1,2}:\d{2}", (":",)),
    (r"\d\.\d/\d|\bMSHTML\d", ("/", "mshtml")),        # one per branch, a word and a character
    (r"ab:\d+", ("ab:",)),                            # a longer word ranks first, as before
    (r"(?:isbn|:)\d", (":", "isbn")),
    (r"<a|b", None),                                  # a branch without any
    (r"(?:<)?a", None),                               # optional
    (r"[<>]a", None),                                 # a class is no particular character
    (r"\d\.\d", None),                                 # held, but not a rare one
])
def test_needles_rare_characters_table(pattern: str, words: tuple[str, ...] | None) -> None:
    """With ``rare`` (the engine's RARE_NEAR_CANDIDATES for keep patterns) those single characters
    are needle words; without it they are not (a trigger's windows nearly all hold them)."""
    got = needles(pattern, rare=RARE_NEAR_CANDIDATES)
    assert (None if got is None else got.words) == words
    if words is not None and all(len(w) == 1 for w in words):
        assert needles(pattern) is None


def test_needles_with_rare_characters_hold_for_every_match_of_the_shipped_patterns() -> None:
    """Soundness on the shipped rules, as for needles without them: a keep area holding none of the
    words is skipped, so every match must hold one (checked for every pattern whose needles the
    rare characters change, recognizers' too). The canary documents, and a message id, an Erlang
    pid, a percentage, a clock time and a sendmail version, so that each keep pattern matches."""
    patterns, text = shipped_patterns_and_canary_text()
    text += ("\nMessage-ID: <4A294538.10002@spamassassin.org>\n[info] <0.22741.1>@c2s width:41.6% at 10:42\n"
             "Received: from acme.org (8.12.11/8.12.10) with ESMTP\n")
    lower = text.lower()
    matched: dict[str, int] = {}
    for name, rx, flags in patterns:
        words = needles(rx, flags, rare=RARE_NEAR_CANDIDATES)
        if words is None or words == needles(rx, flags):
            continue
        matched[name] = 0
        for m in regex.finditer(rx, text, flags):
            assert words.present(lower, m.start(), m.end()), name
            matched[name] += 1
    keep = ("keep/message_id", "keep/erlang_pid", "keep/percentage", "keep/clock_time", "keep/mail_software_version")
    assert all(matched.get(name) for name in keep), matched  # each read, and matched at least once


def test_ipv4_window_without_three_dots_is_skipped_and_addresses_still_found() -> None:
    assert ("IP_ADDRESS", "52.14.22.101") in found("login from 52.14.22.101 failed")
    assert found("call 555 123 4567 or 52.14.22") == [("PHONE_NUMBER", "555 123 4567")]

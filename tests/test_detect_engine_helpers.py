"""Engine helpers written for speed, held to their plain definitions: windows around trigger hits
(widened to whitespace so no token is cut, merged where they overlap) and whole-word lookups of
context and deny-context words."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import regex

from benchmarks.accuracy import canary
from scrubber.detect.engine import (
    MAX_WINDOW,
    NO_CONTEXT_WORD,
    SNAP_LIMIT,
    PatternEngine,
    _merge,
    _word_regex,
    trie_alternation,
)
from scrubber.detect.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent

WHITESPACE = " \n\t\r\x0b\x0c\x1c\x85\xa0\u2003\u2028\u3000"


def _snap_reference(text: str, pos: int, endpos: int) -> tuple[int, int]:
    """The definition: the nearest whitespace (regex ``\\s``) within SNAP_LIMIT on each side."""
    if pos > 0 and not text[pos - 1].isspace():
        lo = max(0, pos - SNAP_LIMIT)
        before = [m.end() for m in regex.finditer(r"\s", text[lo:pos])]
        pos = lo + before[-1] if before else lo
    if endpos < len(text) and not text[endpos].isspace():
        hi = min(len(text), endpos + SNAP_LIMIT)
        m = regex.search(r"\s", text[endpos:hi])
        endpos = endpos + m.start() if m else hi
    return pos, endpos


def test_snap_widens_to_the_nearest_whitespace_of_any_kind() -> None:
    rnd = random.Random(5)
    for density in (0.3, 0.05, 0.002):  # whitespace everywhere, in words, almost none (long tokens)
        text = "".join(rnd.choice(WHITESPACE) if rnd.random() < density else rnd.choice("ab1@.-\u200b\xe9")
                       for _ in range(20_000))
        windows = [(p, min(len(text), p + rnd.randint(0, 40))) for p in sorted(rnd.sample(range(len(text)), 500))]
        assert PatternEngine._snap(text, windows) == [_snap_reference(text, p, e) for p, e in windows], density


def test_merge_joins_every_overlap_below_the_cap() -> None:
    rnd = random.Random(9)
    windows = [(s, s + rnd.randint(1, 60)) for s in (rnd.randint(0, 20_000) for _ in range(2_000))]
    merged = _merge(windows)
    assert all(a_end < b_start for (_, a_end), (b_start, _) in itertools.pairwise(merged))
    assert all(any(ms <= s and e <= me for ms, me in merged) for s, e in windows)


def test_merge_caps_merged_windows_but_covers_every_window() -> None:
    rnd = random.Random(9)
    windows = [(s, s + rnd.randint(1, 5_000)) for s in (rnd.randint(0, 200_000) for _ in range(2_000))]
    merged = _merge(windows)
    assert merged == sorted(merged)
    assert all(any(ms <= s and e <= me for ms, me in merged) for s, e in windows)
    # longer than the cap only where one window alone is
    assert all(me - ms <= MAX_WINDOW or (ms, me) in windows for ms, me in merged)


def test_word_lookups_match_what_the_regex_module_matches() -> None:
    """The context and deny-context words of the shipped rules, searched with the standard
    library's engine, find exactly what the `regex` module finds, at any search bounds."""
    rules = load_rules(ROOT / "rules" / "detect")
    lists = {tuple(r.context) for r in rules.recognizers} | {tuple(r.deny_context) for r in rules.recognizers}
    lists |= {tuple(words) for words in rules.keep.deny_context.values()}
    rnd = random.Random(13)
    for words in filter(None, lists):
        fast = _word_regex(words)
        slow = regex.compile(fast.pattern)
        pieces = [*words, "a", "1", " ", "-", "_", "\n", "\u00e9", "x" * 3]
        text = "".join(rnd.choice(pieces) for _ in range(3_000))
        for _ in range(500):
            lo = rnd.randrange(len(text))
            hi = lo + rnd.randrange(80)
            a, b = fast.search(text, lo, hi), slow.search(text, lo, hi)
            assert (a and a.span()) == (b and b.span()), (words, lo, hi)


def test_trie_alternation_matches_exactly_the_words_of_the_shipped_word_lists() -> None:
    # the context and deny lookups are factored alternations; they must find what the flat
    # alternation of the same words finds, at the same places
    rules = load_rules(ROOT / "rules" / "detect")
    lists = [r.context for r in rules.recognizers] + [r.deny_context for r in rules.recognizers]
    lists += list(rules.keep.deny_context.values())
    rng = random.Random(7)
    for words in (w for w in lists if w):
        trie = re.compile(trie_alternation(words))
        flat = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))
        for word in words:
            assert trie.fullmatch(word)
            assert not trie.fullmatch(word + "x") or (word + "x") in words
        pieces = [*words, " ", "x", "e", "tel", "te", "-"]
        for _ in range(200):
            text = "".join(rng.choice(pieces) for _ in range(8))
            assert [m.start() for m in trie.finditer(text)] == [m.start() for m in flat.finditer(text)]


def test_context_prefilters_searched_together_keep_the_windows_each_keeps_alone() -> None:
    """Recognizers sharing windows have their context-word prefilters searched together first
    (PatternEngine._near_windows); each must still keep exactly the windows its own search keeps,
    on PII-dense text and on text whose only label word is one list's (`passport`, `ssn`)."""
    rules = load_rules(ROOT / "rules" / "detect")
    engine = PatternEngine(rules, frozenset(r.entity for r in rules.recognizers), 0.5, 1.0)
    text = "\n".join(d.text for d in canary.generate(3, 200)).lower()
    text += "\npassport 123456789 and ssn 536-22-8145 ... 4111 1111 1111 1111 \u8eab\u4efd\u8bc1 110105\n"
    windows = [(m.start(), m.end()) for m in re.finditer(r"[0-9][0-9 .\-]{5,}[0-9]", text)]
    for words in (engine._words, engine._ascii_words):
        members = {id(c): i for i, c in enumerate(words.context_any) if c is not None and c is not NO_CONTEXT_WORD}
        assert len(members) >= 3
        everyone = frozenset(members.values())
        kept_somewhere = 0
        for i in members.values():
            context_any = words.context_any[i]
            assert context_any is not None
            alone = engine._near_windows(context_any, (0,), windows, text, words, frozenset({i}), {})
            together = engine._near_windows(context_any, (0,), windows, text, words, everyone, {})
            assert together == alone, engine.recognizers[i].name
            pair = frozenset({i, next(j for j in everyone if words.context_any[j] is not context_any)})
            assert engine._near_windows(context_any, (0,), windows, text, words, pair, {}) == alone
            kept_somewhere += 0 < sum(alone) < len(windows)
        assert kept_somewhere >= 3  # the lists keep some windows and skip others: the check means something

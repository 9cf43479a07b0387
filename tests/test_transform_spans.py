"""Overlap resolution and Unicode-safe boundaries (scrubber.transform.spans)."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from scrubber.records import Span
from scrubber.transform.spans import resolve_spans, snap_to_graphemes

TEXT = "contact john.smith@example.com now"


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        # disjoint spans are kept as they are
        ([Span(0, 3, "A"), Span(5, 8, "B")], [(0, 3, "A"), (5, 8, "B")]),
        # same type, overlapping -> union
        ([Span(8, 12, "PERSON"), Span(8, 18, "PERSON")], [(8, 18, "PERSON")]),
        # same type, touching -> one entity
        ([Span(8, 12, "PERSON"), Span(12, 18, "PERSON")], [(8, 18, "PERSON")]),
        # different types, partial overlap -> longer wins, loser dropped whole
        ([Span(8, 18, "PERSON"), Span(8, 30, "EMAIL_ADDRESS")], [(8, 30, "EMAIL_ADDRESS")]),
        # equal length -> higher score wins
        ([Span(8, 18, "A", 0.5), Span(10, 20, "B", 0.9)], [(10, 20, "B")]),
        # equal length and score -> earlier start wins
        ([Span(8, 18, "B"), Span(10, 20, "A")], [(8, 18, "B")]),
        # identical extent and score -> type name decides
        ([Span(8, 18, "B"), Span(8, 18, "A")], [(8, 18, "A")]),
        # adjacent spans of different types are both kept
        ([Span(0, 7, "A"), Span(7, 8, "B")], [(0, 7, "A"), (7, 8, "B")]),
        # out of range is clamped, empty/inverted dropped
        ([Span(30, 99, "A"), Span(5, 5, "B"), Span(9, 4, "C")], [(30, len(TEXT), "A")]),
    ],
)
def test_transform_spans_resolution_rule(spans: list[Span], expected: list[tuple[int, int, str]]) -> None:
    resolved = resolve_spans(TEXT, spans)
    assert [(s.start, s.end, s.entity_type) for s in resolved] == expected


def test_transform_spans_result_independent_of_input_order() -> None:
    spans = [Span(0, 5, "A", 0.7), Span(3, 9, "B", 0.7), Span(8, 20, "A", 0.9), Span(15, 30, "C", 0.4),
             Span(28, 33, "A", 0.8)]
    results = {tuple(resolve_spans(TEXT, list(p))) for p in itertools.permutations(spans)}
    assert len(results) == 1
    (result,) = results
    assert all(a.end <= b.start for a, b in itertools.pairwise(result))


def test_transform_spans_counts_what_it_discards() -> None:
    stats: Counter[str] = Counter()
    resolve_spans(TEXT, [Span(0, 10, "A"), Span(5, 8, "B"), Span(3, 3, "C")], stats)
    assert stats["spans_overlap_dropped"] == 1
    assert stats["spans_invalid"] == 1


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("Jose\u0301 ok", 0, 4, (0, 5)),  # combining acute after the span end joins the span
        ("xe\u0301y", 2, 4, (1, 4)),  # start on a combining mark moves back to its base
        ("hi 👍🏽 there", 3, 4, (3, 5)),  # skin-tone modifier belongs to the emoji
        ("a 👨‍👩‍👧 b", 2, 3, (2, 7)),  # ZWJ family sequence taken whole
        ("東京 太郎 です", 3, 5, (3, 5)),  # CJK needs no change
        ("x\udcffy", 1, 2, (1, 2)),  # lone surrogate from surrogateescape input is a plain code point
    ],
)
def test_transform_spans_snap_to_graphemes(text: str, start: int, end: int, expected: tuple[int, int]) -> None:
    assert snap_to_graphemes(text, start, end) == expected


def reference_resolve(spans: list[Span]) -> list[Span]:
    """The documented rule written the slow, obvious way (text of plain ASCII: no grapheme snapping)."""
    merged = []
    for entity_type in sorted({s.entity_type for s in spans}):
        group = sorted(s for s in spans if s.entity_type == entity_type)
        current = group[0]
        for span in group[1:]:
            if span.start <= current.end:
                best = current if (current.score, -current.start) >= (span.score, -span.start) else span
                current = Span(current.start, max(current.end, span.end), entity_type, best.score, best.recognizer)
            else:
                merged.append(current)
                current = span
        merged.append(current)
    kept: list[Span] = []
    for span in sorted(merged, key=lambda s: (s.start - s.end, -s.score, s.start, s.entity_type)):
        if not any(span.start < k.end and k.start < span.end for k in kept):
            kept.append(span)
    return sorted(kept)


def test_transform_spans_many_overlaps_match_a_brute_force_reference() -> None:
    import random

    rng = random.Random(7)
    text = "x" * 500
    for _ in range(200):
        spans = []
        for _ in range(rng.randint(1, 60)):
            start = rng.randrange(0, 490)
            spans.append(Span(start, min(500, start + rng.randint(1, 30)), rng.choice("ABC"), rng.choice([0.5, 0.9])))
        resolved = resolve_spans(text, spans)
        assert resolved == reference_resolve(spans)
        assert all(a.end <= b.start for a, b in itertools.pairwise(resolved))

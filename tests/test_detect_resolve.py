"""Overlap resolution: the sorted-list way (ordinary documents) and the marked-characters way (above
MARKS_ABOVE candidates) accept the same spans, and both follow the plain definition."""

from __future__ import annotations

import random

from scrubber.detect import resolve
from scrubber.detect.recognizers import Candidate
from scrubber.detect.resolve import MARKS_ABOVE, _rank, accept_marked, accept_sorted, resolve_overlaps


def _candidates(rnd: random.Random, n: int, spacing: int, longest: int) -> list[Candidate]:
    out = []
    for _ in range(n):
        start = rnd.randrange(0, n * spacing + 1)
        out.append(Candidate(start, start + rnd.randint(1, longest), rnd.choice(("EMAIL_ADDRESS", "PHONE_NUMBER")),
                             rnd.choice((0.4, 0.75, 0.9, 1.0)), rnd.choice(("a_v1", "b_v1")), rnd.randint(1, 4)))
    return out


def _reference(candidates: list[Candidate]) -> list[Candidate]:
    """The definition: in rank order, accept a candidate that overlaps no accepted one."""
    kept: list[Candidate] = []
    for c in sorted(set(candidates), key=_rank):
        if not any(k.start < c.end and c.start < k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def test_both_ways_accept_the_same_spans_on_random_sets() -> None:
    rnd = random.Random(11)
    for trial in range(3000):
        # sparse to fully overlapping; spans from 1 character up to longer than the spacing
        cands = _candidates(rnd, rnd.randint(1, 60), rnd.choice((1, 3, 10, 40)), rnd.choice((1, 5, 30, 200)))
        ranked = sorted(set(cands), key=_rank)
        expected = _reference(cands)
        assert accept_sorted(ranked) == expected, trial
        assert accept_marked(ranked) == expected, trial


def test_many_candidates_take_the_marked_way_with_the_same_result(monkeypatch) -> None:
    rnd = random.Random(3)
    cands = _candidates(rnd, MARKS_ABOVE * 3, 8, 40)
    marked: list[int] = []
    monkeypatch.setattr(resolve, "accept_marked", lambda ranked: marked.append(len(ranked)) or accept_marked(ranked))
    result = resolve_overlaps(cands)
    assert marked, "expected the marked way above MARKS_ABOVE candidates"
    assert result == accept_sorted(sorted(set(cands), key=_rank))


def test_an_empty_span_keeps_the_sorted_way(monkeypatch) -> None:
    # An empty span is a point that blocks spans across it in the sorted list; marks cannot say so.
    rnd = random.Random(5)
    cands = [*_candidates(rnd, MARKS_ABOVE + 10, 8, 40), Candidate(100, 100, "X", 1.0, "z", 5)]
    monkeypatch.setattr(resolve, "accept_marked", lambda ranked: (_ for _ in ()).throw(AssertionError("marked")))
    assert resolve_overlaps(cands) == accept_sorted(sorted(set(cands), key=_rank))


def test_few_candidates_take_the_sorted_way(monkeypatch) -> None:
    monkeypatch.setattr(resolve, "accept_marked", lambda ranked: (_ for _ in ()).throw(AssertionError("marked")))
    cands = [Candidate(0, 5, "A", 0.9, "a", 2), Candidate(3, 9, "B", 0.9, "b", 2), Candidate(9, 12, "A", 0.9, "a", 2)]
    assert resolve_overlaps(cands) == [Candidate(3, 9, "B", 0.9, "b", 2), Candidate(9, 12, "A", 0.9, "a", 2)]

"""Overlap resolution: the sorted-list way (ordinary documents) and the marked-characters way (above
MARKS_ABOVE candidates) accept the same spans, and both follow the plain definition."""

from __future__ import annotations

import itertools
import random

from scrubber.detect import resolve
from scrubber.detect.recognizers import Candidate
from scrubber.detect.resolve import MARKS_ABOVE, _rank, accept_marked, accept_sorted, cover_dropped, resolve_overlaps


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


def _covered(spans) -> set[int]:
    return {i for c in spans for i in range(c.start, c.end)}


def test_no_character_of_a_dropped_candidate_is_left_and_labels_come_from_winners() -> None:
    """What resolve_overlaps promises on top of the ranking: its spans are disjoint and cover every
    character of every candidate; each span is one accepted candidate's label, widened over the
    candidates it overlaps; where no candidate sticks out of a winner, spans are the winners."""
    rnd = random.Random(17)
    for trial in range(3000):
        cands = _candidates(rnd, rnd.randint(1, 40), rnd.choice((1, 3, 10, 40)), rnd.choice((1, 5, 30)))
        winners = _reference(cands)
        result = resolve_overlaps(cands)
        assert all(a.end <= b.start for a, b in itertools.pairwise(result)), trial
        assert _covered(result) == _covered(cands), trial
        for span in result:
            inside = [w for w in winners if span.start <= w.start and w.end <= span.end]
            best = min(inside, key=_rank)
            assert span == best._replace(start=span.start, end=span.end), trial
        if all(any(w.start <= c.start and c.end <= w.end for w in winners) for c in cands):
            assert result == winners, trial


def test_a_user_name_next_to_a_token_in_a_url_is_not_left_behind() -> None:
    text = "git clone https://chloe:ghp_xVuRGWA3WhF9Zu17CoH8QbpNkyIsZFvdn27X@github.com/chloe/infra.git"
    token = Candidate(text.index("ghp_"), text.index("@"), "GITHUB_TOKEN", 1.0, "github_token_v1", 4)
    userinfo = Candidate(text.index("chloe"), text.index("@"), "PASSWORD", 0.9, "url_credentials_v2", 3)
    (span,) = resolve_overlaps([token, userinfo])
    assert text[span.start:span.end] == "chloe:ghp_xVuRGWA3WhF9Zu17CoH8QbpNkyIsZFvdn27X"
    assert span.entity == "GITHUB_TOKEN"


def _sorted_way(cands: list[Candidate]) -> list[Candidate]:
    ranked = sorted(set(cands), key=_rank)
    return cover_dropped(accept_sorted(ranked), ranked)


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
    assert result == _sorted_way(cands)


def test_an_empty_span_keeps_the_sorted_way(monkeypatch) -> None:
    # An empty span is a point that blocks spans across it in the sorted list; marks cannot say so.
    rnd = random.Random(5)
    cands = [*_candidates(rnd, MARKS_ABOVE + 10, 8, 40), Candidate(100, 100, "X", 1.0, "z", 5)]
    monkeypatch.setattr(resolve, "accept_marked", lambda ranked: (_ for _ in ()).throw(AssertionError("marked")))
    assert resolve_overlaps(cands) == _sorted_way(cands)


def test_few_candidates_take_the_sorted_way(monkeypatch) -> None:
    monkeypatch.setattr(resolve, "accept_marked", lambda ranked: (_ for _ in ()).throw(AssertionError("marked")))
    cands = [Candidate(0, 5, "A", 0.9, "a", 2), Candidate(3, 9, "B", 0.9, "b", 2), Candidate(9, 12, "A", 0.9, "a", 2)]
    # (3, 9) wins the overlap and is widened over the loser's characters 0-3; (9, 12) only touches it
    assert resolve_overlaps(cands) == [Candidate(0, 9, "B", 0.9, "b", 2), Candidate(9, 12, "A", 0.9, "a", 2)]

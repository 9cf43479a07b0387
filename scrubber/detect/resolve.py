"""Deterministic overlap resolution between detections of one document.

Rule (documented in docs/detection.md): candidates are ranked by
``(priority desc, length desc, score desc, start asc, entity, recognizer)`` and accepted greedily;
a candidate that overlaps an accepted one is dropped as a label, but not as a detection: every span
returned covers the candidates it overlaps (:func:`cover_dropped`), so no character any recognizer
found is left in the text. Priority comes from the rules: provider
secret formats 4, generic secrets (assignments, URL credentials) 3, structured PII 2, NER 1 — so a
token inside a URL credential or a PEM block is never re-labelled as a name, an AWS key is an AWS
key even inside ``password = ...``, and the longest reading wins among equals. The ranking is a
total order, so the result never depends on recognizer order, window order or worker count.

Two ways to accept, same result: an ordinary document (a few candidates) keeps the accepted spans
in a sorted list, where one insertion shifts the list (quadratic: 1.9 s for 240,000 candidates of
one long document); above :data:`MARKS_ABOVE` candidates the accepted characters are marked in a
bytearray instead (linear in the text covered; ~4 µs more per ordinary document, so not the default).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from scrubber.detect.recognizers import Candidate

#: Candidates of one document above which overlaps are found by marking accepted characters
#: (measured: both ways cost the same from ~1,000 to ~2,000 candidates; benchmarks/RESULTS.md).
MARKS_ABOVE = 2_000


def _rank(c: Candidate) -> tuple[int, int, float, int, str, str]:
    return -c.priority, -(c.end - c.start), -c.score, c.start, c.entity, c.recognizer


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep a non-overlapping subset of ``candidates`` chosen by the ranking above, sorted by start."""
    ranked = sorted(set(candidates), key=_rank)
    # Marks represent spans of at least one character at non-negative offsets; an empty span, which
    # the sorted list treats as a point that blocks spans across it, keeps the sorted list (exact).
    if len(ranked) > MARKS_ABOVE and all(0 <= c.start < c.end for c in ranked):
        return cover_dropped(accept_marked(ranked), ranked)
    return cover_dropped(accept_sorted(ranked), ranked)


def cover_dropped(kept: list[Candidate], ranked: list[Candidate]) -> list[Candidate]:
    """``kept`` (accepted, sorted by start, disjoint) widened to cover the dropped candidates of
    ``ranked`` that overlap them: each group of overlapping candidates becomes one span from its
    first character to its last, labelled by its best-ranked accepted candidate.

    Why: a dropped candidate that only partly overlaps the winner has characters of its own, and
    they were left in the text. ``https://chloe:ghp_...@github.com`` holds a URL credential
    (``chloe:ghp_...``) and a GitHub token inside it; the token ranks higher, so the output was
    ``https://chloe:<SECRET>@github.com`` with the user name in the clear. Every candidate reaching
    this point passed validation, context and keep rules: it is a detection, and ranking only picks
    its label. Candidates contained in an accepted span (the usual overlap) change nothing.
    """
    if len(kept) == len(ranked):
        return kept
    accepted = set(kept)
    # (start, end, accepted?, rank position): sorted by start, so a group is a run of spans each
    # starting before the group's end so far.
    spans = sorted((c.start, c.end, c in accepted, i) for i, c in enumerate(ranked))
    out: list[Candidate] = []
    group_start = group_end = best = -1  # best: rank position of the group's best accepted candidate
    for start, end, is_kept, i in spans:
        if start < group_end:  # overlaps the group so far (ranked is in rank order: lower i is better)
            group_end = max(group_end, end)
            if is_kept and (best < 0 or i < best):
                best = i
            continue
        if best >= 0:
            out.append(ranked[best]._replace(start=group_start, end=group_end))
        group_start, group_end, best = start, end, (i if is_kept else -1)
    if best >= 0:
        out.append(ranked[best]._replace(start=group_start, end=group_end))
    return out


def accept_sorted(ranked: list[Candidate]) -> list[Candidate]:
    """Accept greedily in ``ranked`` order, keeping the accepted spans in a list sorted by start."""
    starts: list[int] = []
    kept: list[Candidate] = []  # sorted by start, non-overlapping
    for cand in ranked:
        i = bisect_left(starts, cand.start)
        if i > 0 and kept[i - 1].end > cand.start:
            continue
        if i < len(kept) and kept[i].start < cand.end:
            continue
        starts.insert(i, cand.start)
        kept.insert(i, cand)
    return kept


def accept_marked(ranked: list[Candidate]) -> list[Candidate]:
    """:func:`accept_sorted` for non-empty spans at non-negative offsets, in linear time: a character
    accepted once is marked, and a candidate overlaps an accepted span iff it covers a mark."""
    marks = bytearray(max(c.end for c in ranked))
    kept: list[Candidate] = []
    for cand in ranked:
        start, end = cand.start, cand.end
        if marks.find(1, start, end) >= 0:
            continue
        marks[start:end] = b"\x01" * (end - start)
        kept.append(cand)
    kept.sort(key=lambda c: c.start)  # disjoint non-empty spans: starts are distinct
    return kept

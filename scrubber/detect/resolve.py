"""Deterministic overlap resolution between detections of one document.

Rule (documented in docs/detection.md): candidates are ranked by
``(priority desc, length desc, score desc, start asc, entity, recognizer)`` and accepted greedily;
a candidate that overlaps an accepted one is dropped. Priority comes from the rules: provider
secret formats 4, generic secrets (assignments, URL credentials) 3, structured PII 2, NER 1 — so a
token inside a URL credential or a PEM block is never re-labelled as a name, an AWS key is an AWS
key even inside ``password = ...``, and the longest reading wins among equals. The ranking is a
total order, so the result never depends on recognizer order, window order or worker count.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from scrubber.detect.recognizers import Candidate


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep a non-overlapping subset of ``candidates`` chosen by the ranking above, sorted by start."""
    ranked = sorted(
        set(candidates),
        key=lambda c: (-c.priority, -(c.end - c.start), -c.score, c.start, c.entity, c.recognizer),
    )
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

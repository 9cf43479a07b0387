"""Turn a detector's spans into a clean, non-overlapping list that can be replaced left to right.

Detectors overlap: a URL with credentials contains an e-mail, an NER PERSON overlaps a regex match,
two recognizers find the same card. Replacing overlapping spans one after the other garbles the
text (the second replacement's offsets point into already-rewritten text), so every consumer —
transform and the drop_document policy — goes through :func:`resolve_spans` first.

The rule (documented in docs/transform.md), applied in this order:

1. Clamp: spans are clipped to the text; empty or inverted spans are discarded (counted).
2. Grapheme snap: a boundary that falls inside a user-perceived character (before a combining mark,
   a variation selector, an emoji modifier or after a zero-width joiner) moves outward, so a
   replacement never leaves an orphan accent or half an emoji behind.
3. Same type merges: overlapping or touching spans of the same entity type become one span (their
   union) with the highest score and that span's recognizer. "John" + "John Smith" → "John Smith".
4. Different types: the longer span wins; ties go to the higher score, then the earlier start, then
   the entity type name. Losers are discarded whole (never cut), counted as ``spans_overlap_dropped``.
5. Adjacent spans of different types (one ends where the next starts) are both kept and replaced
   separately.

The result is the same whatever order the recognizers reported their spans in.
"""

from __future__ import annotations

import bisect
import itertools
import unicodedata
from collections import Counter
from collections.abc import Iterable

from scrubber.records import Span

ZWJ = "\u200d"


def _extends_left(ch: str) -> bool:
    """True for characters that attach to the character before them (part of its grapheme)."""
    if ch < "\u0300":  # fast path: nothing below the first combining mark extends a grapheme
        return False
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Mc"):
        return True
    cp = ord(ch)
    return (
        0xFE00 <= cp <= 0xFE0F  # variation selectors (text/emoji presentation)
        or 0x1F3FB <= cp <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # emoji tag sequences (subdivision flags)
        or ch == ZWJ
    )


def snap_to_graphemes(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so neither boundary splits a grapheme cluster.

    An approximation of UAX #29 that covers what detectors actually split: combining marks, emoji
    modifiers and ZWJ sequences. Regional-indicator flags and Hangul jamo are not joined (no detector
    produces spans inside them).
    """
    n = len(text)
    while 0 < start < n and (_extends_left(text[start]) or text[start - 1] == ZWJ):
        start -= 1
    while end < n and (_extends_left(text[end]) or (end > 0 and text[end - 1] == ZWJ)):
        end += 1
    return start, end


def _priority(span: Span) -> tuple[int, float, int, str]:
    # Sort key for rule 4: longer, then higher score, then earlier, then type name (stable, total).
    return (-(span.end - span.start), -span.score, span.start, span.entity_type)


def resolve_spans(text: str, spans: Iterable[Span], stats: Counter[str] | None = None) -> list[Span]:
    """Apply the rule in the module docstring; return spans sorted by start, pairwise disjoint."""
    stats = stats if stats is not None else Counter()
    n = len(text)
    clean: list[Span] = []
    for span in spans:
        start, end = max(0, span.start), min(n, span.end)
        if end <= start:
            stats["spans_invalid"] += 1
            continue
        start, end = snap_to_graphemes(text, start, end)
        clean.append(Span(start, end, span.entity_type, span.score, span.recognizer))
    clean.sort()
    if all(a.end < b.start or (a.end == b.start and a.entity_type != b.entity_type)
           for a, b in itertools.pairwise(clean)):
        return clean  # fast path (the common case): nothing overlaps, nothing to merge

    merged: list[Span] = []
    by_type: dict[str, list[Span]] = {}
    for span in clean:
        by_type.setdefault(span.entity_type, []).append(span)
    for entity_type in sorted(by_type):
        group = sorted(by_type[entity_type])
        current = group[0]
        for span in group[1:]:
            if span.start <= current.end:  # overlapping or touching: one entity
                best = current if (current.score, -current.start) >= (span.score, -span.start) else span
                current = Span(current.start, max(current.end, span.end), entity_type, best.score,
                               best.recognizer)
                stats["spans_merged"] += 1
            else:
                merged.append(current)
                current = span
        merged.append(current)

    # Kept spans are disjoint, so a candidate overlaps one of them iff it overlaps its neighbour by
    # start on either side: a bisect per candidate keeps this O(n log n) even for thousands of spans.
    kept: list[Span] = []
    starts: list[int] = []
    for span in sorted(merged, key=_priority):
        i = bisect.bisect_left(starts, span.start)
        before = kept[i - 1] if i > 0 else None
        after = kept[i] if i < len(kept) else None
        if (before is not None and before.end > span.start) or (after is not None and after.start < span.end):
            stats["spans_overlap_dropped"] += 1
            continue
        kept.insert(i, span)
        starts.insert(i, span.start)
    return kept

"""Scoring rules: span matching, per-type precision/recall/F1, character overlap, leak and damage.

Match rule (span level), chosen because a redaction that covers any part of a value is what a
detector is asked to find, and because gold boundaries differ between labelling conventions
("Dr. Maria Keller" vs "Maria Keller"; an address with or without its ZIP code):

* a gold span is *found* when at least one predicted span of the same type overlaps it by >= 1 char;
* a predicted span is *correct* when it overlaps at least one gold span of the same type.

Recall counts gold spans, precision counts predicted spans, so one prediction covering two adjacent
gold pieces of an address counts once for precision and twice for recall. Character-level scores
(per type, characters labelled in both / in gold / in predictions) are reported next to them to show
boundary quality, which the lenient span rule hides.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: A labelled range: (start, end, entity_type), end exclusive.
Labelled = tuple[int, int, str]


@dataclass(slots=True)
class TypeScore:
    """Counts for one entity type; precision and recall are ``None`` when undefined (nothing to count)."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    gold_chars: int = 0
    predicted_chars: int = 0
    overlap_chars: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def char_precision(self) -> float | None:
        return self.overlap_chars / self.predicted_chars if self.predicted_chars else None

    @property
    def char_recall(self) -> float | None:
        return self.overlap_chars / self.gold_chars if self.gold_chars else None

    def add(self, other: TypeScore) -> None:
        for name in ("gold", "found", "predicted", "correct", "gold_chars", "predicted_chars", "overlap_chars"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _chars(spans: Iterable[Labelled], entity_type: str) -> set[int]:
    out: set[int] = set()
    for start, end, t in spans:
        if t == entity_type:
            out.update(range(start, end))
    return out


def score_document(gold: Sequence[Labelled], predicted: Sequence[Labelled]) -> dict[str, TypeScore]:
    """Per-type scores of one document under the match rule of this module."""
    scores: dict[str, TypeScore] = defaultdict(TypeScore)
    for start, end, t in gold:
        s = scores[t]
        s.gold += 1
        s.found += any(pt == t and overlaps(start, end, ps, pe) for ps, pe, pt in predicted)
    for start, end, t in predicted:
        s = scores[t]
        s.predicted += 1
        s.correct += any(gt == t and overlaps(start, end, gs, ge) for gs, ge, gt in gold)
    for t in scores:
        g, p = _chars(gold, t), _chars(predicted, t)
        scores[t].gold_chars += len(g)
        scores[t].predicted_chars += len(p)
        scores[t].overlap_chars += len(g & p)
    return dict(scores)


def score_corpus(gold: Sequence[Sequence[Labelled]], predicted: Sequence[Sequence[Labelled]]) -> dict[str, TypeScore]:
    """Sum of :func:`score_document` over aligned documents, plus an ``ALL`` row (micro average)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predicted")
    total: dict[str, TypeScore] = defaultdict(TypeScore)
    for g, p in zip(gold, predicted, strict=True):
        for t, s in score_document(g, p).items():
            total[t].add(s)
            total["ALL"].add(s)
    return dict(total)


@dataclass(slots=True)
class RateCounter:
    """How many planted items of each kind were checked and how many failed (leaked or damaged)."""

    checked: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def record(self, key: str, failed: bool, example: str = "") -> None:
        self.checked[key] += 1
        if failed:
            self.failed[key] += 1
            if example:
                self.examples.setdefault(key, [])
                if len(self.examples[key]) < 3:
                    self.examples[key].append(example)

    def rate(self, key: str) -> float | None:
        return self.failed[key] / self.checked[key] if self.checked[key] else None

    def total_rate(self) -> float | None:
        checked = sum(self.checked.values())
        return sum(self.failed.values()) / checked if checked else None


def leaked_verbatim(output: str, probes: Sequence[str]) -> bool:
    """A planted value leaks when any of its probes is still in the scrubbed text, character for character."""
    return any(probe in output for probe in probes)


def damaged_verbatim(original: str, output: str, text: str) -> bool:
    """A look-alike is damaged when the scrubbed text holds fewer copies of it than the original did."""
    return output.count(text) < original.count(text)


def covered(start: int, end: int, predicted: Sequence[Labelled]) -> bool:
    """Whether every character of ``[start, end)`` lies in some predicted span (of any type)."""
    chars = set(range(start, end))
    for ps, pe, _ in predicted:
        chars.difference_update(range(ps, pe))
        if not chars:
            return True
    return not chars


def touched(start: int, end: int, predicted: Sequence[Labelled]) -> bool:
    """Whether any predicted span (of any type) overlaps ``[start, end)``."""
    return any(overlaps(start, end, ps, pe) for ps, pe, _ in predicted)

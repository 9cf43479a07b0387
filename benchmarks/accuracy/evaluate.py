"""Run systems over a set and turn their spans and scrubbed texts into scores and rates."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from benchmarks.accuracy.canary import CanaryDoc, ambiguous_probes
from benchmarks.accuracy.scoring import (
    Labelled,
    RateCounter,
    TypeScore,
    covered,
    damaged_verbatim,
    leaked_verbatim,
    overlaps,
    score_corpus,
    touched,
)
from benchmarks.accuracy.synthetic import NOT_TARGETED, Sentence
from scrubber.records import Span


def to_labelled(spans: Sequence[Span], score_type: Callable[[str], str | None]) -> list[Labelled]:
    """Spans as (start, end, scored type), dropping types the system's scoring does not map."""
    out = []
    for s in spans:
        t = score_type(s.entity_type)
        if t is not None:
            out.append((s.start, s.end, t))
    return out


def all_labelled(spans: Sequence[Span]) -> list[Labelled]:
    return [(s.start, s.end, s.entity_type) for s in spans]


@dataclass
class Misses:
    """Examples of what a system got wrong, as (type or kind, snippet with context)."""

    missed: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    false_pos: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    limit: int = 6

    def add(self, table: dict[str, list[str]], key: str, text: str, start: int, end: int) -> None:
        if len(table[key]) < self.limit:
            before = text[max(0, start - 25) : start].replace("\n", "⏎")
            after = text[end : end + 15].replace("\n", "⏎")
            value = text[start:end].replace("\n", "⏎")
            table[key].append(f"…{before}[[{value[:90]}]]{after}…")


def _collect_misses(texts, gold, predicted, misses: Misses, gold_kinds=None) -> None:
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        for j, (gs, ge, gt) in enumerate(g):
            if not any(pt == gt and overlaps(gs, ge, ps, pe) for ps, pe, pt in p):
                key = gold_kinds[i][j] if gold_kinds else gt
                misses.add(misses.missed, key, texts[i], gs, ge)
        for ps, pe, pt in p:
            if not any(gt == pt and overlaps(ps, pe, gs, ge) for gs, ge, gt in g):
                misses.add(misses.false_pos, pt, texts[i], ps, pe)


@dataclass
class SyntheticResult:
    scores: dict[str, TypeScore]
    not_targeted_recall: dict[str, tuple[int, int, int]]  # label -> (gold, found by Presidio type, touched)
    misses: Misses
    seconds: dict[str, float]


def evaluate_synthetic(system, sentences: Sequence[Sentence]) -> SyntheticResult:
    texts = [s.text for s in sentences]
    result = system.run(texts)
    gold = [list(s.gold) for s in sentences]
    pred = [to_labelled(sp, system.score_type) for sp in result.spans]
    misses = Misses()
    _collect_misses(texts, gold, pred, misses)
    side: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for s, spans in zip(sentences, result.spans, strict=True):
        raw = all_labelled(spans)
        for start, end, label in s.other:
            if label not in NOT_TARGETED:
                continue
            row = side[label]
            row[0] += 1
            row[1] += any(t == NOT_TARGETED[label] and overlaps(start, end, ps, pe) for ps, pe, t in raw)
            row[2] += touched(start, end, raw)
    return SyntheticResult(
        score_corpus(gold, pred), {k: (v[0], v[1], v[2]) for k, v in side.items()}, misses, result.seconds
    )


@dataclass
class CanaryResult:
    scores: dict[str, TypeScore]
    kind_recall: RateCounter  # failed = not found (span rule), per planted kind
    leaks: RateCounter  # per type: a probe still verbatim in the output
    leaks_by_kind: RateCounter
    partial: RateCounter  # per type: not every character covered by some span
    damage: RateCounter  # per look-alike kind: fewer verbatim copies in the output
    damage_span: RateCounter  # per look-alike kind: some span overlaps it
    skipped_ambiguous: int
    misses: Misses
    seconds: dict[str, float]
    predicted_types: Counter[str]


def evaluate_canary(system, docs: Sequence[CanaryDoc]) -> CanaryResult:
    texts = [d.text for d in docs]
    result = system.run(texts)
    gold = [[(p.start, p.end, p.entity_type) for p in d.gold] for d in docs]
    kinds = [[p.kind for p in d.gold] for d in docs]
    pred = [to_labelled(sp, system.score_type) for sp in result.spans]
    misses = Misses()
    _collect_misses(texts, gold, pred, misses, kinds)
    kind_recall, leaks, leaks_by_kind, partial = RateCounter(), RateCounter(), RateCounter(), RateCounter()
    damage, damage_span = RateCounter(), RateCounter()
    skipped = 0
    predicted_types: Counter[str] = Counter()
    for doc, spans, out, pred_doc in zip(docs, result.spans, result.outputs, pred, strict=True):
        raw = all_labelled(spans)
        predicted_types.update(s.entity_type for s in spans)
        ambiguous = ambiguous_probes(doc)
        for p in doc.gold:
            found = any(t == p.entity_type and overlaps(p.start, p.end, s, e) for s, e, t in pred_doc)
            if p.entity_type in system.targets:
                kind_recall.record(p.kind, not found)
            partial.record(p.entity_type, not covered(p.start, p.end, raw))
            probes = [q for q in p.probes if q not in ambiguous]
            if not probes:
                skipped += 1
                continue
            leaked = leaked_verbatim(out, probes)
            leaks.record(p.entity_type, leaked, p.text[:60])
            leaks_by_kind.record(p.kind, leaked, p.text[:60])
        for p in doc.keep:
            if p.text in ambiguous:
                skipped += 1
                continue
            damage.record(p.kind, damaged_verbatim(doc.text, out, p.text), p.text)
            damage_span.record(p.kind, touched(p.start, p.end, raw), p.text)
    return CanaryResult(
        score_corpus(gold, pred), kind_recall, leaks, leaks_by_kind, partial, damage, damage_span, skipped,
        misses, result.seconds, predicted_types,
    )

"""The ``drop_document`` stage: mark documents so full of PII that rewriting them is not worth it.

A form dump, a leaked customer table or a contact list is mostly PII; after redaction it is a page of
tokens that teaches a model nothing and risks leaking whatever detection missed. dolma drops documents
with more than 5 PII hits; here the threshold is configurable, as a count and as a density.

The stage reads spans (it must sit between ``detect`` and ``transform``), resolves overlaps with the
same rule as transform (so "count" means the spans transform would replace), and marks rows with
``batch.mark_dropped`` — reason ``pii_count`` or ``pii_density``. It never removes rows; the runner
writes dropped rows to a separate, counted output.
"""

from __future__ import annotations

from dataclasses import dataclass

from scrubber.records import DROP_COLUMN, SPANS_COLUMN, Batch, Span
from scrubber.stages.base import Stage
from scrubber.transform.spans import resolve_spans


@dataclass(frozen=True, slots=True)
class DropDocumentOptions:
    """Thresholds; a document is dropped when it passes either one that is set.

    ``max_count``: drop when the document has MORE than this many PII spans.
    ``max_density``: drop when MORE than this many characters per 1000 are inside PII spans
    (e.g. 100.0 = a tenth of the text), for documents of at least ``min_chars`` characters — a
    one-line "mail me at a@b.example" is dense but is exactly what transform handles well.
    ``entity_types``: only these types count (None = all types).
    ``min_score``: spans below this score do not count.
    """

    max_count: int | None = None
    max_density: float | None = None
    min_chars: int = 200
    entity_types: tuple[str, ...] | None = None
    min_score: float = 0.0

    def __post_init__(self) -> None:
        if self.max_count is None and self.max_density is None:
            raise ValueError("set max_count and/or max_density; without a threshold the stage drops nothing")
        if self.max_count is not None and self.max_count < 0:
            raise ValueError("max_count: expected 0 or more")
        if self.max_density is not None and not 0 <= self.max_density <= 1000:
            raise ValueError("max_density: PII characters per 1000 characters, from 0 to 1000")
        if self.min_chars < 0:
            raise ValueError("min_chars: expected 0 or more")
        if self.entity_types is not None and not self.entity_types:
            raise ValueError("entity_types: list at least one type, or leave it out to count every type")


class DropDocumentStage(Stage):
    """Mark rows whose PII count or density passes the configured threshold."""

    name = "drop_document"
    Options = DropDocumentOptions

    def process(self, batch: Batch) -> Batch:
        opts: DropDocumentOptions = self.options
        raw_spans = batch.columns.get(SPANS_COLUMN)
        self.counters["docs"] += len(batch)
        if raw_spans is None:
            return batch
        drops = batch.columns.get(DROP_COLUMN)
        wanted = frozenset(opts.entity_types) if opts.entity_types is not None else None
        for i, row_spans in enumerate(raw_spans):
            if (drops is not None and drops[i] is not None) or not row_spans:
                continue
            text = batch.texts[i]
            if not isinstance(text, str):
                continue
            spans = [
                s for s in (Span.from_dict(d) for d in row_spans)
                if s.score >= opts.min_score and (wanted is None or s.entity_type in wanted)
            ]
            reason = self.verdict(text, resolve_spans(text, spans))
            if reason is not None:
                batch.mark_dropped(i, reason)
                self.counters[f"dropped_{reason}"] += 1
        return batch

    def verdict(self, text: str, spans: list[Span]) -> str | None:
        """``pii_count``, ``pii_density`` or None for resolved (disjoint) ``spans`` of ``text``."""
        opts: DropDocumentOptions = self.options
        if opts.max_count is not None and len(spans) > opts.max_count:
            return "pii_count"
        if opts.max_density is not None and text and len(text) >= opts.min_chars:
            covered = sum(s.end - s.start for s in spans)  # disjoint after resolve_spans
            if covered * 1000 / len(text) > opts.max_density:
                return "pii_density"
        return None

"""Plain data records that flow between stages: detected spans and column batches.

A batch is columnar (``dict[str, list]``) because that is what both ``datasets.Dataset.map(batched=True)``
and ``ray.data.Dataset.map_batches`` hand to a function, so one stage object serves the CLI and both
libraries without adapters. Spans and drop decisions travel in reserved columns (``SPANS_COLUMN``,
``DROP_COLUMN``) so they survive a round trip through Arrow between two library calls (where a stage
called on columns writes them in types Arrow keeps from batch to batch: :mod:`scrubber.columns`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Column that carries detected spans between stages (a list of span dicts per row).
SPANS_COLUMN = "_scrubber_spans"
#: Column that carries a per-row drop reason (``None`` keeps the row). The runner moves dropped rows
#: to a separate, counted output instead of deleting them silently.
DROP_COLUMN = "_scrubber_drop"
#: Column that carries a corpus-wide document id when a stage needs one outside the CLI runner.
ID_COLUMN = "_scrubber_id"

RESERVED_COLUMNS = (SPANS_COLUMN, DROP_COLUMN, ID_COLUMN)

#: Bits reserved for the row number inside a shard in a document id. Ids order documents by
#: (shard index in sorted path order, row), which is the deterministic corpus order dedup keeps.
ROW_BITS = 40


def make_doc_id(shard_index: int, row: int) -> int:
    """Return the corpus-wide id of ``row`` in the shard at ``shard_index`` (sortable = corpus order)."""
    return (shard_index << ROW_BITS) | row


def split_doc_id(doc_id: int) -> tuple[int, int]:
    """Inverse of :func:`make_doc_id`."""
    return doc_id >> ROW_BITS, doc_id & ((1 << ROW_BITS) - 1)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """One detected entity: character offsets into the record's text (Python ``str`` indices).

    ``order=True`` sorts by (start, end, entity_type, ...) which is the order every consumer
    resolves overlaps in, so the result never depends on recognizer order.
    """

    start: int
    end: int
    entity_type: str
    score: float = 1.0
    recognizer: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "entity_type": self.entity_type,
            "score": self.score,
            "recognizer": self.recognizer,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Span:
        return cls(
            int(data["start"]),
            int(data["end"]),
            str(data["entity_type"]),
            float(data.get("score", 1.0)),
            str(data.get("recognizer", "")),
        )


@dataclass(slots=True)
class Batch:
    """A slice of consecutive rows of one shard, columnar.

    ``columns`` holds every input column (passed through untouched unless a stage owns it) plus
    reserved columns added by stages. ``first_row`` is the 0-based row number of row 0 within its
    shard and ``shard_index`` the shard's position in the corpus' sorted order, so stateful stages
    can name each document with :func:`make_doc_id` without an extra column.
    """

    columns: dict[str, list[Any]]
    text_field: str = "text"
    source: str = ""
    shard_index: int = 0
    first_row: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        for values in self.columns.values():
            return len(values)
        return 0

    @property
    def texts(self) -> list[str]:
        return self.columns[self.text_field]

    def doc_ids(self) -> list[int]:
        """Corpus-wide ids of the rows; an explicit ``ID_COLUMN`` wins (library use, Ray)."""
        if ID_COLUMN in self.columns:
            return [int(x) for x in self.columns[ID_COLUMN]]
        base = make_doc_id(self.shard_index, self.first_row)
        return list(range(base, base + len(self)))

    def spans(self) -> list[list[Span]]:
        """Spans per row, empty lists when no detection ran."""
        raw = self.columns.get(SPANS_COLUMN)
        if raw is None:
            return [[] for _ in range(len(self))]
        return [[Span.from_dict(s) for s in (row if row is not None else ())] for row in raw]

    def set_spans(self, spans: Sequence[Iterable[Span]]) -> None:
        self.columns[SPANS_COLUMN] = [[s.to_dict() for s in sorted(row)] for row in spans]

    def drops(self) -> list[str | None]:
        raw = self.columns.get(DROP_COLUMN)
        return list(raw) if raw is not None else [None] * len(self)

    def mark_dropped(self, row: int, reason: str) -> None:
        """Mark ``row`` for removal; the first reason wins so the report names the earliest stage."""
        if DROP_COLUMN not in self.columns:
            self.columns[DROP_COLUMN] = [None] * len(self)
        if self.columns[DROP_COLUMN][row] is None:
            self.columns[DROP_COLUMN][row] = reason

    def select(self, rows: Sequence[int]) -> Batch:
        """A new batch with only ``rows`` (used to split kept and dropped rows)."""
        return Batch(
            {name: [values[i] for i in rows] for name, values in self.columns.items()},
            self.text_field,
            self.source,
            self.shard_index,
            self.first_row,
            dict(self.meta),
        )

    def without_reserved(self) -> dict[str, list[Any]]:
        return {k: v for k, v in self.columns.items() if k not in RESERVED_COLUMNS}

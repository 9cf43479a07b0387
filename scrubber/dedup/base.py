"""What the three dedup stages share: a per-shard spool of partitioned records and the bookkeeping.

Subclasses say what a record is (``record_dtype``), produce records in ``index_rows`` and turn one
partition of records into decisions in ``resolve``. Per-shard state handling (temporary folder,
atomic publish, clean-up after a crash) lives here once.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from scrubber.dedup.state import DecisionReader, ShardSpool, shards_of
from scrubber.records import DROP_COLUMN, Batch
from scrubber.stages.base import CorpusStage, StageContext


class PartitionedDedupStage(CorpusStage):
    """Base of the dedup stages: ``begin_shard``/``end_shard`` manage a :class:`ShardSpool`."""

    record_dtype: ClassVar[np.dtype]
    decision_dtype: ClassVar[np.dtype]
    transient = ("_spool", "_reader")

    def __init__(self, options: Any = None, context: StageContext | None = None) -> None:
        super().__init__(options, context)
        self._spool: ShardSpool | None = None
        self._reader: DecisionReader | None = None
        self._shard_docs = 0

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._spool = None
        self._reader = None

    @property
    def partitions(self) -> int:
        return int(self.options.partitions)

    # -- index pass ---------------------------------------------------------------------------
    def begin_shard(self, shard_index: int) -> None:
        if self._spool is not None:
            self._spool.abort()
        self._spool = ShardSpool(self.state_dir, shard_index, self.partitions, self.record_dtype)
        self._shard_docs = 0

    def index(self, batch: Batch) -> None:
        if self._spool is None:
            raise RuntimeError(f"stage '{self.name}': index() called outside begin_shard()/end_shard()")
        rows = live_rows(batch)
        if not rows:
            return
        self._shard_docs += len(rows)
        part, records = self.index_rows(batch, rows)
        self._spool.add(part, records)

    def end_shard(self) -> None:
        if self._spool is None:
            raise RuntimeError(f"stage '{self.name}': end_shard() without begin_shard()")
        self._spool.commit({"docs": self._shard_docs}, self.shard_extra())
        self._spool = None

    def shard_extra(self) -> dict[str, np.ndarray]:
        """Per-shard arrays saved with the shard's partial state (none by default)."""
        return {}

    def index_rows(self, batch: Batch, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Return (partition per record, records) for the live ``rows`` of ``batch``."""
        raise NotImplementedError

    # -- output pass --------------------------------------------------------------------------
    def decisions(self, shard_index: int) -> np.ndarray:
        if self._reader is None:
            self._reader = DecisionReader(self.state_dir, self.name)
        return self._reader.for_shard(shard_index, self.decision_dtype)

    def drop_decided(self, batch: Batch, reason: str) -> Batch:
        """Mark dropped every live row whose doc id is in its shard's decisions (a sorted ``doc`` list)."""
        rows = live_rows(batch)
        if not rows:
            return batch
        ids = np.asarray(batch.doc_ids(), dtype=np.uint64)
        texts = batch.texts
        live = np.zeros(len(batch), dtype=bool)
        live[rows] = True
        for shard, positions in shards_of(ids):
            dropped = self.decisions(shard)["doc"]
            hit = positions[np.isin(ids[positions], dropped)]
            for row in hit[live[hit]]:
                batch.mark_dropped(int(row), reason)
                self.counters["docs_removed"] += 1
                self.counters["bytes_removed"] += len(texts[row].encode("utf-8", "surrogatepass"))
        return batch


def live_rows(batch: Batch) -> list[int]:
    """Rows not already marked dropped by an earlier stage (dedup ignores those)."""
    drops = batch.columns.get(DROP_COLUMN)
    if drops is None:
        return list(range(len(batch)))
    return [i for i, reason in enumerate(drops) if reason is None]

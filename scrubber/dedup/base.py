"""What the three dedup stages share: a per-shard spool of partitioned records and the bookkeeping.

Subclasses say what a record is (``record_dtype``), produce records in ``index_rows``, turn one
partition of records into an intermediate result in ``decide_partition`` and merge those into
per-shard decisions in ``merge_partitions``. Per-shard state handling (temporary folder, atomic
publish, clean-up after a crash) and the resolve steps live here once.

``resolve()`` decides every partition in turn in one process. An engine may instead call
``begin_resolve()``, then ``resolve_partition(p)`` for every partition — independent, so in parallel,
in any order, in any process (each writes only ``resolved/part-NNNN.*``) — then ``finish_resolve()``
once: the decisions are the same byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from scrubber.dedup.state import (
    DecisionReader,
    ShardSpool,
    check_partitions,
    committed_shards,
    read_partition,
    shards_of,
    write_json,
)
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
        self._spool.commit({"docs": self._shard_docs, **self.shard_info()}, self.shard_extra())
        self._spool = None

    def shard_extra(self) -> dict[str, np.ndarray]:
        """Per-shard arrays saved with the shard's partial state (none by default)."""
        return {}

    def shard_info(self) -> dict[str, Any]:
        """Per-shard facts saved in the shard's ``meta.json`` for resolve to rely on (none by default)."""
        return {}

    def index_rows(self, batch: Batch, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Return (partition per record, records) for the live ``rows`` of ``batch``."""
        raise NotImplementedError

    # -- resolve ------------------------------------------------------------------------------
    #: dtype of what ``decide_partition`` returns for one partition.
    partial_dtype: ClassVar[np.dtype]

    def decide_partition(self, records: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        """One partition's records (in shard order) → (intermediate array, JSON-able stats)."""
        raise NotImplementedError

    def merge_partitions(self, parts: Iterator[tuple[np.ndarray, dict[str, Any]]]) -> dict[str, Any]:
        """Write the decisions from every partition's result (given in partition order); return the summary."""
        raise NotImplementedError

    @property
    def resolved_dir(self) -> Path:
        return self.state_dir / "resolved"

    def begin_resolve(self) -> None:
        """Check the partial state and clear earlier resolve output: resolve always starts afresh."""
        self.ensure_setup()
        check_partitions(committed_shards(self.state_dir), self.partitions)  # also clears stale temps
        shutil.rmtree(self.resolved_dir, ignore_errors=True)
        self.resolved_dir.mkdir(parents=True)

    def resolve_partition(self, part: int) -> None:
        """Decide one partition and publish its result atomically (safe to run concurrently)."""
        self.ensure_setup()
        shards = committed_shards(self.state_dir, clean=False)
        out, stats = self.decide_partition(read_partition(shards, part, self.record_dtype))
        base = self.resolved_dir / f"part-{part:04d}"
        write_json(base.with_suffix(".json"), stats)
        tmp = self.resolved_dir / f".part-{part:04d}.tmp-{os.getpid()}.npy"
        np.save(tmp, out.astype(self.partial_dtype, copy=False))
        os.replace(tmp, base.with_suffix(".npy"))

    def finish_resolve(self) -> None:
        """Merge every partition's result into per-shard decisions (once, after all partitions)."""
        self.ensure_setup()
        missing = [p for p in range(self.partitions) if not (self.resolved_dir / f"part-{p:04d}.npy").exists()]
        if missing:
            raise RuntimeError(
                f"stage '{self.name}': partitions {missing[:5]} have no resolve result under "
                f"{self.resolved_dir}; run resolve_partition() for every partition first"
            )

        def parts() -> Iterator[tuple[np.ndarray, dict[str, Any]]]:
            for p in range(self.partitions):
                base = self.resolved_dir / f"part-{p:04d}"
                stats = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
                yield np.load(base.with_suffix(".npy")), stats

        self.summary = self.merge_partitions(parts())
        shutil.rmtree(self.resolved_dir, ignore_errors=True)

    def resolve(self) -> None:
        """All partitions in this process, streamed into the merge (no intermediate files)."""
        self.begin_resolve()
        shards = committed_shards(self.state_dir, clean=False)
        self.summary = self.merge_partitions(
            self.decide_partition(read_partition(shards, part, self.record_dtype)) for part in range(self.partitions)
        )
        shutil.rmtree(self.resolved_dir, ignore_errors=True)

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

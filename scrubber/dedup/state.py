"""Hash-partitioned on-disk state shared by the three dedup stages.

Layout under a stage's ``state_dir`` (every file is raw fixed-size records or ``.npy``)::

    partial/shard-000007/part-0003.bin   records of shard 7 whose key falls in partition 3
    decisions/shard-000007.npy           resolved decisions for shard 7 (what ``process`` reads)
    decisions/_complete.json             written last by ``resolve``: counts, fingerprints; decisions usable

Why this shape:

* **Workers never share a file.** A shard's partial state is written into a private temporary
  folder and renamed into place by ``end_shard`` (a folder rename is atomic on POSIX), so a crash
  leaves either nothing or a complete shard, and any number of processes can index at once.
* **Resolve memory is one partition.** Records are routed by ``key % partitions``; ``resolve``
  loads one partition of every shard at a time, so its peak memory is about
  ``total_records / partitions x record_size x 3`` (the records, a sort permutation, a gather).
* **Order-free.** Partition files are concatenated in shard order and every decision is taken on
  sorted data, so the result never depends on which worker indexed which shard, or when.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from scrubber.records import ROW_BITS

PARTIAL = "partial"
DECISIONS = "decisions"
COMPLETE = "_complete.json"


def shard_name(shard_index: int) -> str:
    return f"shard-{shard_index:06d}"


def part_name(part: int) -> str:
    return f"part-{part:04d}.bin"


class ShardSpool:
    """Append-only writer of one shard's partitioned records; :meth:`commit` publishes atomically.

    Records are appended batch by batch, so indexing a shard needs memory for one batch only, not
    for the shard.
    """

    def __init__(self, state_dir: Path, shard_index: int, partitions: int, dtype: np.dtype) -> None:
        self.root = state_dir / PARTIAL
        self.final = self.root / shard_name(shard_index)
        self.tmp = self.root / f".{shard_name(shard_index)}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.partitions = partitions
        self.dtype = np.dtype(dtype)
        self.records = 0
        self._files: dict[int, Any] = {}
        self.tmp.mkdir(parents=True)

    def add(self, part: np.ndarray, records: np.ndarray) -> None:
        """Append ``records`` (structured array of ``dtype``), routing record i to ``part[i]``."""
        if len(records) == 0:
            return
        # stable keeps row order inside a partition; uint16 keys make numpy use a linear radix sort
        order = np.argsort(part.astype(np.uint16), kind="stable")
        counts = np.bincount(part, minlength=self.partitions)
        sorted_records = records[order]
        offset = 0
        for p in np.flatnonzero(counts):
            end = offset + int(counts[p])
            fh = self._files.get(int(p))
            if fh is None:
                fh = self._files[int(p)] = open(self.tmp / part_name(int(p)), "ab")  # noqa: SIM115
            fh.write(sorted_records[offset:end].tobytes())
            offset = end
        self.records += len(records)

    def commit(self, info: Mapping[str, Any] | None = None) -> None:
        """Flush, fsync and rename the temporary folder to the shard's final name."""
        for fh in self._files.values():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        self._files.clear()
        meta = {"records": self.records, "partitions": self.partitions, **dict(info or {})}
        (self.tmp / "meta.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
        if self.final.exists():  # re-indexed after a crash between rename and mark_indexed
            shutil.rmtree(self.final)
        os.replace(self.tmp, self.final)

    def abort(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._files.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)


def committed_shards(state_dir: Path) -> list[Path]:
    """Folders of shards whose partial state is complete, in shard order (temporary ones excluded)."""
    root = state_dir / PARTIAL
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("shard-"))


def check_partitions(shards: list[Path], partitions: int) -> None:
    for shard in shards:
        meta = json.loads((shard / "meta.json").read_text(encoding="utf-8"))
        if meta["partitions"] != partitions:
            raise ValueError(
                f"{shard}: indexed with partitions={meta['partitions']} but the stage now has "
                f"partitions={partitions}; delete the state folder or restore the option"
            )


def read_partition(shards: list[Path], part: int, dtype: np.dtype) -> np.ndarray:
    """All records of partition ``part``, concatenated in shard order."""
    pieces = []
    for shard in shards:
        path = shard / part_name(part)
        if path.exists():
            pieces.append(np.fromfile(path, dtype=dtype))
    if not pieces:
        return np.zeros(0, dtype=dtype)
    return np.concatenate(pieces)


class DecisionWriter:
    """Collects per-document decisions partition by partition and writes one sorted file per shard.

    ``add`` appends records (whose ``doc`` field is a document id) to a per-shard spool file, so memory
    stays one partition's worth; :meth:`finish` sorts each shard's records and saves them as ``.npy``.
    """

    def __init__(self, state_dir: Path, dtype: np.dtype) -> None:
        self.dir = state_dir / DECISIONS
        shutil.rmtree(self.dir, ignore_errors=True)  # resolve always starts from scratch
        self.spool = self.dir / ".spool"
        self.spool.mkdir(parents=True)
        self.dtype = np.dtype(dtype)

    def add(self, records: np.ndarray) -> None:
        if len(records) == 0:
            return
        records = records[np.argsort(records["doc"], kind="stable")]
        shard = (records["doc"] >> np.uint64(ROW_BITS)).astype(np.int64)
        cuts = np.flatnonzero(np.diff(shard)) + 1
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(records)], strict=True):
            with open(self.spool / f"{shard_name(int(shard[lo]))}.bin", "ab") as fh:
                fh.write(records[lo:hi].tobytes())

    def finish(self, summary: Mapping[str, Any]) -> None:
        for path in sorted(self.spool.glob("shard-*.bin")):
            records = np.fromfile(path, dtype=self.dtype)
            names = list(self.dtype.names or ())
            records = records[np.lexsort([records[n] for n in reversed(names)])]
            target = self.dir / (path.stem + ".npy")
            tmp = self.dir / f".{path.stem}.tmp.npy"
            np.save(tmp, records)
            os.replace(tmp, target)
            path.unlink()
        self.spool.rmdir()
        write_json(self.dir / COMPLETE, summary)


class DecisionReader:
    """Loads one shard's decisions at a time (memory: the decisions of one shard)."""

    def __init__(self, state_dir: Path, stage_name: str) -> None:
        self.dir = state_dir / DECISIONS
        self.stage_name = stage_name
        self._shard: int | None = None
        self._records: np.ndarray | None = None
        self._checked = False

    def for_shard(self, shard_index: int, dtype: np.dtype) -> np.ndarray:
        if not self._checked:
            if not (self.dir / COMPLETE).exists():
                raise RuntimeError(
                    f"stage '{self.stage_name}': no resolved decisions under {self.dir}; "
                    "index every shard and call resolve() before process()"
                )
            self._checked = True
        if shard_index != self._shard:
            path = self.dir / f"{shard_name(shard_index)}.npy"
            self._records = np.load(path) if path.exists() else np.zeros(0, dtype=dtype)
            self._shard = shard_index
        assert self._records is not None
        return self._records


def shards_of(doc_ids: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """(shard index, row positions) for the rows of a batch, grouped by shard (usually one group)."""
    shard = doc_ids >> np.uint64(ROW_BITS)
    for s in np.unique(shard):
        yield int(s), np.flatnonzero(shard == s)


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(dict(data), sort_keys=True, indent=1), encoding="utf-8")
    os.replace(tmp, path)

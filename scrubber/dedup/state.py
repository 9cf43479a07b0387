"""Hash-partitioned on-disk state shared by the three dedup stages.

Layout under a stage's ``state_dir`` (every file is raw fixed-size records or ``.npy``)::

    partial/shard-000007/records.bin     records of shard 7, in blocks sorted by partition
    partial/shard-000007/offsets.npy     per block, where each partition's records start
    decisions/shard-000007.npy           resolved decisions for shard 7 (what ``process`` reads)
    decisions/_complete.json             written last by ``resolve``: counts, fingerprints; decisions usable

Why this shape:

* **Workers never share a file.** A shard's partial state is written into a private temporary
  folder and renamed into place by ``end_shard`` (a folder rename is atomic on POSIX), so a crash
  leaves either nothing or a complete shard, and any number of processes can index at once.
* **Resolve memory is one partition.** Records are routed by ``key % partitions``; ``resolve``
  loads one partition of every shard at a time (a few contiguous slices per shard), so its peak memory is about
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


RECORDS = "records.bin"
OFFSETS = "offsets.npy"
META = "meta.json"
#: Records buffered in memory before a block is sorted by partition and appended to the shard file.
SPOOL_BYTES = 32 * 1024 * 1024


class ShardSpool:
    """Writer of one shard's records, grouped by partition; :meth:`commit` publishes atomically.

    Records are buffered up to ``SPOOL_BYTES``, then written as one *block* sorted by partition to a
    single ``records.bin``; at :meth:`commit` several blocks are merged into one, so ``offsets.npy``
    (where each partition starts) has one row and resolve reads each partition of a shard with one
    read. Indexing a shard thus needs ``SPOOL_BYTES`` of memory whatever the shard size and writes one
    file (one fsync per shard, not one per partition).
    """

    def __init__(
        self, state_dir: Path, shard_index: int, partitions: int, dtype: np.dtype, spool_bytes: int | None = None
    ) -> None:
        self.root = state_dir / PARTIAL
        self.final = self.root / shard_name(shard_index)
        self.tmp = self.root / f".{shard_name(shard_index)}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.partitions = partitions
        self.dtype = np.dtype(dtype)
        self.spool_bytes = SPOOL_BYTES if spool_bytes is None else spool_bytes
        self.records = 0
        self._parts: list[np.ndarray] = []
        self._pending: list[np.ndarray] = []
        self._pending_bytes = 0
        self._offsets: list[np.ndarray] = []
        self._written = 0
        self.tmp.mkdir(parents=True)
        self._file = open(self.tmp / RECORDS, "wb")  # noqa: SIM115 - closed in commit/abort
        self._side: dict[str, Any] = {}

    def add(self, part: np.ndarray, records: np.ndarray) -> None:
        """Append ``records`` (structured array of ``dtype``), routing record i to ``part[i]``."""
        if len(records) == 0:
            return
        self._parts.append(part.astype(np.uint16, copy=False))
        self._pending.append(records)
        self._pending_bytes += records.nbytes
        self.records += len(records)
        if self._pending_bytes >= self.spool_bytes:
            self._flush()

    def append_side(self, name: str, array: np.ndarray) -> None:
        """Append ``array``'s raw bytes to ``<name>.bin`` beside the records (per-document data that is
        not partitioned, e.g. signatures); published with the records at :meth:`commit`."""
        fh = self._side.get(name)
        if fh is None:
            fh = self._side[name] = open(self.tmp / f"{name}.bin", "wb")  # noqa: SIM115 - closed in commit
        fh.write(np.ascontiguousarray(array).tobytes())

    def _flush(self) -> None:
        if not self._pending:
            return
        part = np.concatenate(self._parts)
        records = np.concatenate(self._pending)
        self._parts, self._pending, self._pending_bytes = [], [], 0
        # stable keeps row order inside a partition; uint16 keys make numpy use a linear radix sort
        order = np.argsort(part, kind="stable")
        counts = np.bincount(part, minlength=self.partitions)
        offsets = np.zeros(self.partitions + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        self._offsets.append(offsets + self._written)
        for p in np.flatnonzero(counts):  # gather per partition: no second full copy of the block
            self._file.write(records[order[offsets[p] : offsets[p + 1]]].tobytes())
        self._written += len(records)

    def commit(self, info: Mapping[str, Any] | None = None, extra: Mapping[str, np.ndarray] | None = None) -> None:
        """Flush, fsync and rename the temporary folder to the shard's final name.

        ``extra`` arrays are saved beside the records as ``<name>.npy`` (published atomically with them).
        """
        self._flush()
        for fh in self._side.values():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        self._side.clear()
        for name, array in (extra or {}).items():
            with open(self.tmp / f"{name}.npy", "wb") as fh:
                np.save(fh, array)
                fh.flush()
                os.fsync(fh.fileno())
        self._file.close()
        blocks = len(self._offsets)
        offsets = np.array(self._offsets, dtype=np.int64).reshape(-1, self.partitions + 1)
        if blocks > 1:
            offsets = self._compact(offsets)
        with open(self.tmp / RECORDS, "rb") as fh:
            os.fsync(fh.fileno())
        with open(self.tmp / OFFSETS, "wb") as fh:
            np.save(fh, offsets)
            fh.flush()
            os.fsync(fh.fileno())
        info = {"blocks": blocks, **dict(info or {})}
        meta = {"records": self.records, "partitions": self.partitions, **dict(info or {})}
        with open(self.tmp / META, "w", encoding="utf-8") as fh:
            json.dump(meta, fh, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        if self.final.exists():  # re-indexed after a crash between rename and mark_indexed
            shutil.rmtree(self.final)
        os.replace(self.tmp, self.final)

    def _compact(self, offsets: np.ndarray) -> np.ndarray:
        """Rewrite the blocks as one block sorted by partition, so resolve reads each partition of
        this shard with one read instead of one per block. Streams one (block, partition) slice at a
        time; the rewrite costs one extra read and write of the shard's records, usually from the page
        cache since they were just written."""
        src, dst = self.tmp / RECORDS, self.tmp / (RECORDS + ".compact")
        size = self.dtype.itemsize
        merged = np.zeros(self.partitions + 1, dtype=np.int64)
        written = 0
        with open(src, "rb") as fin, open(dst, "wb") as fout:
            for p in range(self.partitions):
                merged[p] = written
                for lo, hi in zip(offsets[:, p].tolist(), offsets[:, p + 1].tolist(), strict=True):
                    if hi > lo:
                        fin.seek(lo * size)
                        fout.write(fin.read((hi - lo) * size))
                        written += hi - lo
            merged[self.partitions] = written
        os.replace(dst, src)
        return merged[None, :]

    def abort(self) -> None:
        self._file.close()
        for fh in self._side.values():
            fh.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def remove_stale(state_dir: Path) -> int:
    """Delete temporary files left by crashed workers (only safe once no shard is being indexed,
    i.e. at the start of resolve); return how many were removed."""
    stale = [*(state_dir / PARTIAL).glob(".shard-*.tmp-*"), *state_dir.glob(".*.tmp-*")]
    for path in stale:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return len(stale)


def committed_shards(state_dir: Path, clean: bool = True) -> list[Path]:
    """Folders of shards whose partial state is complete, in shard order (temporary ones excluded).

    With ``clean`` (at the start of resolve) it also clears what crashed workers left behind.
    """
    if clean:
        remove_stale(state_dir)
    root = state_dir / PARTIAL
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("shard-"))


def check_partitions(shards: list[Path], partitions: int) -> None:
    for shard in shards:
        meta = json.loads((shard / META).read_text(encoding="utf-8"))
        if meta["partitions"] != partitions:
            raise ValueError(
                f"{shard}: indexed with partitions={meta['partitions']} but the stage now has "
                f"partitions={partitions}; delete the state folder or restore the option"
            )


def read_partition(shards: list[Path], part: int, dtype: np.dtype) -> np.ndarray:
    """All records of partition ``part``, concatenated in shard order (block order within a shard)."""
    dtype = np.dtype(dtype)
    pieces = []
    for shard in shards:
        offsets = np.load(shard / OFFSETS)
        if offsets.size == 0:
            continue
        with open(shard / RECORDS, "rb") as fh:
            for lo, hi in zip(offsets[:, part].tolist(), offsets[:, part + 1].tolist(), strict=True):
                if hi > lo:
                    fh.seek(lo * dtype.itemsize)
                    pieces.append(np.fromfile(fh, dtype=dtype, count=hi - lo))
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

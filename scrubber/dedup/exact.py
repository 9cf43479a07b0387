"""``dedup_exact``: drop every document whose normalized text equals an earlier document's.

Index: one 128-bit xxh3 hash of the normalized text per document, routed to a partition by hash.
Resolve: per partition, sort by (hash, doc id); the smallest doc id of each hash is kept (corpus
order), the others are marked dropped in the output pass. Memory: 24 bytes per document on disk;
resolve holds one partition (``docs / partitions x 24 bytes x ~3``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import xxhash

from scrubber.dedup.base import PartitionedDedupStage
from scrubber.dedup.state import DecisionWriter, check_partitions, committed_shards, read_partition
from scrubber.records import Batch

Normalization = Literal["nfkc", "case", "whitespace"]

#: Any run of Unicode whitespace (``str.split`` semantics) collapses to one space.
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ExactDedupOptions:
    """``normalize`` steps run in the fixed order nfkc → case → whitespace, whatever order is listed.

    * ``nfkc``: Unicode NFKC (full-width letters, ligatures, compatibility forms fold together);
    * ``case``: ``str.casefold`` (``Straße`` == ``STRASSE``);
    * ``whitespace``: runs of whitespace become one space, leading/trailing whitespace is removed.

    An empty list compares raw text. ``partitions`` bounds resolve memory (see module docstring).
    """

    normalize: tuple[Normalization, ...] = ("nfkc", "case", "whitespace")
    partitions: int = 64

    def __post_init__(self) -> None:
        if not 1 <= self.partitions <= 65536:
            raise ValueError(f"partitions must be between 1 and 65536, got {self.partitions}")


def normalizer(steps: Sequence[str]):
    """Return ``text -> normalized text`` applying ``steps`` in the fixed order nfkc, case, whitespace."""
    nfkc, case, ws = "nfkc" in steps, "case" in steps, "whitespace" in steps

    def normalize(text: str) -> str:
        if nfkc and not text.isascii():  # ASCII is NFKC-invariant: skip the call
            text = unicodedata.normalize("NFKC", text)
        if case:
            text = text.casefold() if not text.isascii() else text.lower()
        if ws:
            text = " ".join(text.split())
        return text

    return normalize


RECORD = np.dtype([("hi", "<u8"), ("lo", "<u8"), ("doc", "<u8")])
DECISION = np.dtype([("doc", "<u8")])


class ExactDedupStage(PartitionedDedupStage):
    """Keep the first document (smallest doc id) of every group of equal normalized texts."""

    name = "dedup_exact"
    Options = ExactDedupOptions
    record_dtype = RECORD
    decision_dtype = DECISION

    def setup(self) -> None:
        self._normalize = normalizer(self.options.normalize)

    def index_rows(self, batch: Batch, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        self.ensure_setup()
        texts = batch.texts
        ids = batch.doc_ids()
        records = np.empty(len(rows), dtype=RECORD)
        digest = xxhash.xxh3_128_intdigest
        norm = self._normalize
        values = [digest(norm(texts[r]).encode("utf-8", "surrogatepass")) for r in rows]
        mask = (1 << 64) - 1
        records["hi"] = np.fromiter((v >> 64 for v in values), dtype=np.uint64, count=len(rows))
        records["lo"] = np.fromiter((v & mask for v in values), dtype=np.uint64, count=len(rows))
        records["doc"] = np.fromiter((ids[r] for r in rows), dtype=np.uint64, count=len(rows))
        part = (records["lo"] % np.uint64(self.partitions)).astype(np.int64)
        return part, records

    def resolve(self) -> None:
        shards = committed_shards(self.state_dir)
        check_partitions(shards, self.partitions)
        writer = DecisionWriter(self.state_dir, DECISION)
        docs = groups = removed = 0
        for part in range(self.partitions):
            rec = read_partition(shards, part, RECORD)
            if len(rec) == 0:
                continue
            rec = rec[np.lexsort((rec["doc"], rec["lo"], rec["hi"]))]
            same = np.zeros(len(rec), dtype=bool)
            same[1:] = (rec["hi"][1:] == rec["hi"][:-1]) & (rec["lo"][1:] == rec["lo"][:-1])
            dropped = np.zeros(int(same.sum()), dtype=DECISION)
            dropped["doc"] = rec["doc"][same]
            writer.add(dropped)
            docs += len(rec)
            removed += len(dropped)
            starts = ~same
            has_dup = np.zeros(len(rec), dtype=bool)
            has_dup[:-1] = starts[:-1] & same[1:]
            groups += int(has_dup.sum())
        summary = {"docs_indexed": docs, "duplicate_groups": groups, "docs_to_remove": removed}
        writer.finish(summary)
        self.counters.update({"duplicate_groups": groups})
        self.summary = summary

    def process(self, batch: Batch) -> Batch:
        return self.drop_decided(batch, "dedup_exact")

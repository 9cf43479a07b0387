"""``dedup_exact``: drop every document whose normalized text equals an earlier document's.

Index: one 128-bit xxh3 hash of the normalized text per document, routed to a partition by hash.
Resolve: per partition, sort by (hash, doc id); the smallest doc id of each hash is kept (corpus
order), the others are marked dropped in the output pass. Memory: 24 bytes per document on disk;
resolve holds one partition (``docs / partitions x 24 bytes x ~3``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import xxhash

from scrubber.dedup.base import PartitionedDedupStage
from scrubber.dedup.state import DecisionWriter
from scrubber.records import Batch

Normalization = Literal["nfkc", "case", "whitespace"]

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


def _casefold_differs() -> re.Pattern[str]:
    """Characters whose ``casefold`` differs from ``lower`` (ß, ς, ligatures, ...): ~300 of them.

    Only planes 0-1 hold cased characters (a test checks every code point), so the scan stops there.
    """
    chars = []
    for code in range(0x20000):
        c = chr(code)
        if not 0xD800 <= code <= 0xDFFF and c.lower().casefold() != c.lower():
            chars.append(re.escape(c))
    return re.compile("[" + "".join(chars) + "]")


_CASEFOLD_DIFFERS: re.Pattern[str] | None = None


def normalizer(steps: Sequence[str]) -> Callable[[str], str]:
    """Return ``text -> normalized text`` applying ``steps`` in the fixed order nfkc, case, whitespace.

    ``case`` equals ``str.casefold`` but runs ``str.lower`` (3x faster) and casefolds only texts
    that still contain a character where the two differ.
    """
    global _CASEFOLD_DIFFERS
    nfkc, case, ws = "nfkc" in steps, "case" in steps, "whitespace" in steps
    if case and _CASEFOLD_DIFFERS is None:
        _CASEFOLD_DIFFERS = _casefold_differs()
    differs = _CASEFOLD_DIFFERS

    def normalize(text: str) -> str:
        if nfkc and not text.isascii():  # ASCII is NFKC-invariant: skip the call
            text = unicodedata.normalize("NFKC", text)
        if case:
            text = text.lower()
            if not text.isascii() and differs is not None and differs.search(text):
                text = text.casefold()
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
    transient = (*PartitionedDedupStage.transient, "_normalize")  # a closure: rebuilt by setup()

    def setup(self) -> None:
        self._normalize = normalizer(self.options.normalize)

    def index_rows(self, batch: Batch, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        self.ensure_setup()
        texts = batch.texts
        ids = batch.doc_ids()
        digest = xxhash.xxh3_128_digest
        norm = self._normalize
        raw = b"".join([digest(norm(texts[r]).encode("utf-8", "surrogatepass")) for r in rows])
        halves = np.frombuffer(raw, dtype=">u8").reshape(-1, 2)  # the digest is big-endian
        records = np.empty(len(rows), dtype=RECORD)
        records["hi"] = halves[:, 0]
        records["lo"] = halves[:, 1]
        records["doc"] = np.asarray(ids, dtype=np.uint64)[rows]
        part = (records["lo"] % np.uint64(self.partitions)).astype(np.int64)
        return part, records

    partial_dtype = DECISION

    def decide_partition(self, rec: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        """Sort by (hash, doc id): every record equal to the previous one is a later copy."""
        if len(rec) == 0:
            return np.zeros(0, DECISION), {"docs": 0, "groups": 0}
        rec = rec[np.lexsort((rec["doc"], rec["lo"], rec["hi"]))]
        same = np.zeros(len(rec), dtype=bool)
        same[1:] = (rec["hi"][1:] == rec["hi"][:-1]) & (rec["lo"][1:] == rec["lo"][:-1])
        dropped = np.zeros(int(same.sum()), dtype=DECISION)
        dropped["doc"] = rec["doc"][same]
        first_of_dup_group = np.zeros(len(rec), dtype=bool)
        first_of_dup_group[:-1] = ~same[:-1] & same[1:]
        return dropped, {"docs": len(rec), "groups": int(first_of_dup_group.sum())}

    def merge_partitions(self, parts: Iterator[tuple[np.ndarray, dict[str, Any]]]) -> dict[str, Any]:
        writer = DecisionWriter(self.state_dir, DECISION)
        docs = groups = removed = 0
        for dropped, stats in parts:
            writer.add(dropped)
            docs += stats["docs"]
            groups += stats["groups"]
            removed += len(dropped)
        summary = {"docs_indexed": docs, "duplicate_groups": groups, "docs_to_remove": removed}
        writer.finish(summary)
        self.counters.update({"duplicate_groups": groups})
        return summary

    def process(self, batch: Batch) -> Batch:
        return self.drop_decided(batch, "dedup_exact")

"""``dedup_near``: MinHash + LSH near-duplicate documents, clustered by union-find, one kept per cluster.

Index: per document a MinHash signature over word n-gram shingles (:mod:`scrubber.dedup.minhash`),
cut into ``bands`` bands of ``rows`` values; each band becomes one 64-bit key, written as a
(key, doc id) record to the partition ``key % partitions``. Resolve: per partition, documents that
share a band key are candidate pairs (edges to the group's smallest doc id), checked right there
against the two full signatures (``verify``); the merge runs union-find over the verified edges of
every partition, and in every cluster the smallest doc id (corpus order) is kept, the others dropped.

Verifying inside the partition step is what lets an engine spread it: the signature reads — the
expensive part of resolve — happen in as many processes as there are partitions, and the one merge
step only sees the edges that survived (16 bytes each; only documents with a near-duplicate cost
memory there). Memory: ``16 x bands`` bytes per document on disk, plus ``4 x num_perm`` for the
signatures when verifying.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scrubber.dedup.base import PartitionedDedupStage
from scrubber.dedup.minhash import band_keys, optimal_bands, permutations, shingles, signatures
from scrubber.dedup.state import META, PARTIAL, DecisionWriter, shard_name, shards_of
from scrubber.dedup.tokens import chunks
from scrubber.dedup.unionfind import min_labels
from scrubber.records import Batch


@dataclass(frozen=True, slots=True)
class NearDedupOptions:
    """MinHash LSH settings.

    ``ngram``: shingle size in words. ``num_perm``: permutations per signature. Either give
    ``bands`` x ``rows`` (<= num_perm), or a Jaccard ``threshold`` from which bands and rows are
    chosen like datasketch's MinHashLSH (then ``bands``/``rows`` must be left unset). Defaults:
    14 bands x 8 rows (pairs at Jaccard 0.8 are found with probability 0.92, at 0.5 with 0.05).
    ``seed`` fixes the permutations: change it and results change. ``verify`` discards candidate
    pairs whose full signatures agree on fewer values than the threshold (``threshold``, or
    the usual LSH threshold estimate ``(1/bands)^(1/rows)``) before clustering, so a chance band
    collision cannot chain two unrelated clusters; it stores the signatures (4 B x num_perm per doc).
    """

    ngram: int = 5
    num_perm: int = 112
    bands: int | None = None
    rows: int | None = None
    threshold: float | None = None
    seed: int = 1
    verify: bool = True
    partitions: int = 64

    def __post_init__(self) -> None:
        if self.ngram < 1 or self.num_perm < 1:
            raise ValueError("ngram and num_perm must be at least 1")
        if self.threshold is not None:
            if self.bands is not None or self.rows is not None:
                raise ValueError("give either threshold or bands and rows, not both")
            if not 0.0 < self.threshold < 1.0:
                raise ValueError(f"threshold must be between 0 and 1, got {self.threshold}")
        elif (self.bands is None) != (self.rows is None):
            raise ValueError("bands and rows go together: set both (or a threshold)")
        elif (
            self.bands is not None
            and self.rows is not None
            and (self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm)
        ):
            raise ValueError(
                f"bands x rows must be between 1 and num_perm={self.num_perm}, got {self.bands} x {self.rows}"
            )
        if not 1 <= self.partitions <= 65536:
            raise ValueError(f"partitions must be between 1 and 65536, got {self.partitions}")

    def lsh_shape(self) -> tuple[int, int]:
        """(bands, rows) actually used."""
        if self.threshold is not None:
            return optimal_bands(self.threshold, self.num_perm)
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        return (14, 8) if self.num_perm >= 112 else (max(1, self.num_perm // 8), min(8, self.num_perm))


class SignatureStore:
    """Signatures saved per shard while indexing, looked up by doc id at resolve (memory-mapped).

    Every partition task opens its own store, so opening a shard must not cost a pass over it: when
    the index step recorded that the shard's doc ids are strictly increasing (always, unless a caller
    gave explicit ids out of order), the ids are memory-mapped and binary-searched in place, touching
    only the pages a lookup needs. Otherwise (and for state indexed before that flag existed) they are
    read and sorted once per store.
    """

    def __init__(self, state_dir: Path, num_perm: int) -> None:
        self.root = state_dir / PARTIAL
        self.num_perm = num_perm
        self._shards: dict[int, tuple[np.ndarray, np.ndarray | None, np.ndarray] | None] = {}

    def _shard(self, shard: int) -> tuple[np.ndarray, np.ndarray | None, np.ndarray] | None:
        if shard not in self._shards:
            folder = self.root / shard_name(shard)
            if not (folder / "sigs.bin").exists() or (folder / "sigs.bin").stat().st_size == 0:
                self._shards[shard] = None  # no signatures (np.memmap refuses an empty file)
            else:
                sigs = np.memmap(folder / "sigs.bin", dtype=np.uint32, mode="r").reshape(-1, self.num_perm)
                meta = json.loads((folder / META).read_text(encoding="utf-8"))
                if meta.get(SORTED_FLAG):
                    docs = np.memmap(folder / "sig_docs.bin", dtype=np.uint64, mode="r")
                    self._shards[shard] = (docs, None, sigs)
                else:
                    docs = np.fromfile(folder / "sig_docs.bin", dtype=np.uint64)
                    order = np.argsort(docs, kind="stable")
                    self._shards[shard] = (docs[order], order, sigs)
        return self._shards[shard]

    def lookup(self, doc_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(signature rows, found mask) for ``doc_ids``; rows of ids not found are zeros."""
        out = np.zeros((len(doc_ids), self.num_perm), dtype=np.uint32)
        found = np.zeros(len(doc_ids), dtype=bool)
        for shard, positions in shards_of(doc_ids):
            entry = self._shard(shard)
            if entry is None:
                continue
            docs, order, sigs = entry
            i = np.minimum(np.searchsorted(docs, doc_ids[positions]), len(docs) - 1)
            hit = docs[i] == doc_ids[positions]
            rows = i[hit] if order is None else order[i[hit]]
            sort = np.argsort(rows)  # read the memory map in file order
            got = np.empty((len(rows), self.num_perm), dtype=np.uint32)
            got[sort] = sigs[rows[sort]]
            out[positions[hit]] = got
            found[positions[hit]] = True
        return out, found


#: ``meta.json`` flag of a shard whose signature doc ids are strictly increasing (see SignatureStore).
SORTED_FLAG = "sig_docs_sorted"

RECORD = np.dtype([("key", "<u8"), ("doc", "<u8")])
DECISION = np.dtype([("doc", "<u8")])
EDGE = np.dtype([("u", "<u8"), ("v", "<u8")])


class NearDedupStage(PartitionedDedupStage):
    """Drop every document of a near-duplicate cluster except the one with the smallest doc id."""

    name = "dedup_near"
    Options = NearDedupOptions
    record_dtype = RECORD
    decision_dtype = DECISION
    transient = (*PartitionedDedupStage.transient, "_store")
    #: The signature store shared by every partition of an in-process :meth:`resolve` (else None).
    _store: SignatureStore | None = None

    def setup(self) -> None:
        self._bands, self._rows = self.options.lsh_shape()
        self._a, self._b = permutations(self.options.num_perm, self.options.seed)

    def begin_shard(self, shard_index: int) -> None:
        super().begin_shard(shard_index)
        self._sig_last: int | None = None  # last doc id whose signature was saved in this shard
        self._sig_sorted = True

    def shard_info(self) -> dict[str, Any]:
        return {SORTED_FLAG: self._sig_sorted} if self.options.verify else {}

    def _saw_signatures(self, ids: np.ndarray) -> None:
        """Keep track of whether this shard's signature doc ids are still strictly increasing."""
        if not len(ids) or not self._sig_sorted:
            return
        self._sig_sorted = bool((self._sig_last is None or int(ids[0]) > self._sig_last)
                                and np.all(ids[1:] > ids[:-1]))
        self._sig_last = int(ids[-1])

    def index_rows(self, batch: Batch, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        self.ensure_setup()
        texts = [batch.texts[r] for r in rows]
        ids = np.asarray(batch.doc_ids(), dtype=np.uint64)[rows]
        parts = []
        for lo, hi in chunks(texts):  # bounded temporaries whatever the batch size
            hashes, doc = shingles(texts[lo:hi], self.options.ngram)
            sig, present = signatures(hashes, doc, hi - lo, self._a, self._b)
            keys = band_keys(sig[present], self._bands, self._rows)  # (docs, bands)
            records = np.empty(keys.size, dtype=RECORD)
            records["key"] = keys.ravel()
            records["doc"] = np.repeat(ids[lo:hi][present], self._bands)
            parts.append(records)
            if self.options.verify and self._spool is not None:
                self._spool.append_side("sig_docs", ids[lo:hi][present])
                self._spool.append_side("sigs", sig[present])
                self._saw_signatures(ids[lo:hi][present])
        records = np.concatenate(parts)
        return (records["key"] % np.uint64(self.partitions)).astype(np.int64), records

    partial_dtype = EDGE

    def decide_partition(self, rec: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        """Documents sharing a band key: an edge from the group's smallest doc id to each other one,
        kept if the two signatures agree (``verify``)."""
        if len(rec) < 2:
            return np.zeros(0, EDGE), {"records": len(rec), "candidate_edges": 0}
        rec = rec[np.lexsort((rec["doc"], rec["key"]))]
        key, doc = rec["key"], rec["doc"]
        same = np.zeros(len(rec), dtype=bool)
        same[1:] = key[1:] == key[:-1]
        group_first = np.maximum.accumulate(np.where(same, 0, np.arange(len(rec))))
        edges = np.empty(int(same.sum()), dtype=EDGE)
        edges["u"] = doc[group_first[same]]
        edges["v"] = doc[same]
        edges = edges[edges["u"] != edges["v"]]
        stats = {"records": len(rec), "candidate_edges": len(edges)}
        if self.options.verify and len(edges):
            edges = edges[self._verified(edges)]
        return edges, stats

    def merge_partitions(self, parts: Iterator[tuple[np.ndarray, dict[str, Any]]]) -> dict[str, Any]:
        """Union-find over every partition's verified edges; all but the smallest doc id of a cluster
        are dropped."""
        pieces, records, candidates = [], 0, 0
        for edges, stats in parts:
            pieces.append(edges)
            records += stats["records"]
            candidates += stats["candidate_edges"]
        edges = np.concatenate(pieces) if pieces else np.zeros(0, EDGE)
        nodes, label = min_labels(edges["u"], edges["v"])
        writer = DecisionWriter(self.state_dir, DECISION)
        dropped = np.zeros(int((nodes != label).sum()), dtype=DECISION)
        dropped["doc"] = nodes[nodes != label]
        writer.add(dropped)
        clusters = int(np.unique(label).size)
        summary = {
            "band_records": records,
            "candidate_edges": candidates,
            "verified_edges": len(edges),
            "clusters": clusters,
            "docs_in_clusters": len(nodes),
            "docs_to_remove": len(dropped),
            "bands": self._bands,
            "rows": self._rows,
        }
        writer.finish(summary)
        self.counters.update({"clusters": clusters})
        return summary

    def verify_threshold(self) -> float:
        if self.options.threshold is not None:
            return self.options.threshold
        return (1.0 / self._bands) ** (1.0 / self._rows)

    def resolve(self) -> None:
        """All partitions in this process, opening each shard's signatures once for all of them
        (a partition resolved on its own, as a Ray task, opens its own store)."""
        self._store = SignatureStore(self.state_dir, self.options.num_perm)
        try:
            super().resolve()
        finally:
            self._store = None

    def _verified(self, edges: np.ndarray, chunk: int = 65536) -> np.ndarray:
        """Mask of edges whose two signatures agree on at least the threshold fraction of values."""
        store = self._store if self._store is not None else SignatureStore(self.state_dir, self.options.num_perm)
        keep = np.ones(len(edges), dtype=bool)
        need = int(np.ceil(self.verify_threshold() * self.options.num_perm - 1e-9))
        for lo in range(0, len(edges), chunk):
            part = edges[lo : lo + chunk]
            su, fu = store.lookup(part["u"])
            sv, fv = store.lookup(part["v"])
            agree = (su == sv).sum(axis=1)
            keep[lo : lo + len(part)] = ~(fu & fv) | (agree >= need)  # unknown ids: kept unverified
        return keep

    def process(self, batch: Batch) -> Batch:
        return self.drop_decided(batch, "dedup_near")

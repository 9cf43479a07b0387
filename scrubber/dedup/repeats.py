"""``dedup_repeats``: remove token spans that occur more than once in the corpus (Lee et al. 2021).

Instead of a suffix array over the whole corpus (hundreds of GB of RAM for C4), every window of
``min_tokens`` consecutive tokens is hashed; a span of at least ``min_tokens`` tokens that occurs twice
shares *all* its windows between the two copies, so finding repeated windows finds repeated spans.

* Index: tokens (:mod:`scrubber.dedup.tokens`) → 64-bit hash of every window → record
  ``(hash, doc id, token position)`` (20 bytes per token) to the partition ``hash % partitions``.
* Resolve, one partition at a time: group records by hash; a hash seen at least ``min_repeats`` times
  is a repeated window; all its occurrences but the first in corpus order (smallest doc id, then
  position) are to be removed (or all of them with ``keep: none``). Output: sorted
  ``(doc id, position)`` lists per shard.
* Process: windows to remove are merged into token ranges, shrunk so no cut starts or ends inside
  a word (:func:`between_words`: an address, URL or number is kept whole or cut whole), cut (never
  inside a UTF-8 character), and the seam is tidied (see :func:`cut_ranges`). Documents left shorter than
  ``min_doc_chars`` characters are marked ``dedup_repeats_too_short``.

Whitespace between tokens is not part of a window, so a passage re-wrapped or re-indented still
matches. The summary names the most repeated windows by hash fingerprint, never by text.

A main text that is a path (``messages[].content``): every string at the path is a text of its own
for windows — no window spans two messages — while ids stay per record and a position counts the
tokens of the record's strings in order, so state, resolve and "first in corpus order" (record,
then message, then position) are those of a column. Why not the joined conversation: whether a
message is cut would then depend on its neighbours (a 30-token system prompt followed by a common
30-token greeting repeats as 60 tokens only when they come together), a cut could take the end of
one role's turn with the start of the next's, and the result would hang on how messages are
joined. Per message, a chat's messages are cut exactly as the same strings would be as records of
their own, as every other stage treats them. A message cut entirely stays as ``""`` (removing it
would shift the roles of the ones after it); ``min_doc_chars`` counts the characters left in all
of the record's messages together, since the record is what is kept or dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import xxhash

from scrubber.dedup.base import PartitionedDedupStage, live_rows
from scrubber.dedup.hashing import TOKEN_BASE, PowerTable, prefix_sums, range_hashes
from scrubber.dedup.state import PARTIAL, DecisionWriter, shard_name, shards_of
from scrubber.dedup.tokens import KIND_BY_LEAD, PUNCT, WORD, Tokens, decode, encode, sized_chunks, tokenize
from scrubber.errors import ShardError
from scrubber.records import Batch
from scrubber.stages.fields import put_strings, record_strings
from scrubber.textpath import is_path


@dataclass(frozen=True, slots=True)
class RepeatedSequenceOptions:
    """``min_tokens``: shortest repeated span removed, in tokens (50 as in Lee et al.). ``min_bytes``:
    alternative threshold in UTF-8 bytes (a window is then the fewest whole tokens covering at least
    that many bytes, from the first byte of its first token to the last byte of its last); when set,
    ``min_tokens`` is ignored. ``min_repeats``: only spans occurring at least this many times.
    ``keep``: ``first`` keeps the first occurrence in corpus order, ``none`` removes every occurrence.
    ``min_doc_chars``: a shortened document with fewer characters left is dropped (0: never).
    """

    min_tokens: int = 50
    min_bytes: int | None = None
    min_repeats: int = 2
    keep: Literal["first", "none"] = "first"
    min_doc_chars: int = 50
    partitions: int = 64

    def __post_init__(self) -> None:
        if self.min_tokens < 1:
            raise ValueError(f"min_tokens must be at least 1, got {self.min_tokens}")
        if self.min_bytes is not None and self.min_bytes < 1:
            raise ValueError(f"min_bytes must be at least 1, got {self.min_bytes}")
        if self.min_repeats < 2:
            raise ValueError(f"min_repeats must be at least 2 (seen once is not repeated), got {self.min_repeats}")
        if self.min_doc_chars < 0:
            raise ValueError(f"min_doc_chars must be 0 or more, got {self.min_doc_chars}")
        if not 1 <= self.partitions <= 65536:
            raise ValueError(f"partitions must be between 1 and 65536, got {self.partitions}")


RECORD = np.dtype([("hash", "<u8"), ("doc", "<u8"), ("pos", "<u4")])
DECISION = np.dtype([("doc", "<u8"), ("pos", "<u4")])
FINGERPRINT = np.dtype([("doc", "<u8"), ("fp", "<u8")])


def text_fingerprint(text: str) -> int:
    """64-bit xxh3 of a text: detects a text that changed between the index and output passes."""
    return xxhash.xxh3_64_intdigest(encode(text))
_TOKEN_TABLE = PowerTable(TOKEN_BASE)
#: How many of the most repeated windows the summary lists (by fingerprint).
TOP_FINGERPRINTS = 20


def window_ends(toks: Tokens, bounds: np.ndarray, min_tokens: int, min_bytes: int | None) -> np.ndarray:
    """End token (exclusive) of the window starting at every token; windows that would cross the end
    of their document get an end past it (callers drop them with ``ends <= doc_end``)."""
    n = len(toks.starts)
    first = np.arange(n, dtype=np.int64)
    if min_bytes is None:
        return first + min_tokens
    # Fewest tokens whose bytes (first token start .. last token end) reach min_bytes.
    return np.searchsorted(toks.ends, toks.starts + min_bytes, side="left") + 1


def windows(
    texts: list[str], min_tokens: int, min_bytes: int | None
) -> tuple[Tokens, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(tokens, bounds, window start token, window end token, window hash) of a batch of texts."""
    toks = tokenize(texts)
    bounds = toks.doc_token_bounds()
    if len(toks.starts) == 0:
        empty = np.zeros(0, np.int64)
        return toks, bounds, empty, empty, np.zeros(0, np.uint64)
    ends = window_ends(toks, bounds, min_tokens, min_bytes)
    valid = ends <= bounds[toks.doc + 1]
    starts = np.flatnonzero(valid)
    ends = ends[valid]
    q = prefix_sums(toks.hashes(), _TOKEN_TABLE)
    return toks, bounds, starts, ends, range_hashes(q, starts, ends, _TOKEN_TABLE)


class RepeatedSequenceStage(PartitionedDedupStage):
    """Cut every repeated span of at least ``min_tokens`` tokens from all but its first occurrence."""

    name = "dedup_repeats"
    edits_text = True
    Options = RepeatedSequenceOptions
    record_dtype = RECORD
    decision_dtype = DECISION
    transient = (*PartitionedDedupStage.transient, "_cache", "_fingerprints")

    def begin_shard(self, shard_index: int) -> None:
        super().begin_shard(shard_index)
        self._fingerprints: list[np.ndarray] = []

    def shard_extra(self) -> dict[str, np.ndarray]:
        """Fingerprint of every indexed text: ``process`` refuses to cut a text that changed since."""
        fps = np.concatenate(self._fingerprints) if self._fingerprints else np.zeros(0, FINGERPRINT)
        self._fingerprints = []
        return {"texts": fps[np.argsort(fps["doc"], kind="stable")]}

    def index_rows(self, batch: Batch, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        records_texts = record_strings(batch, rows)
        ids = np.asarray(batch.doc_ids(), dtype=np.uint64)[rows]
        fps = np.empty(len(rows), dtype=FINGERPRINT)
        fps["doc"] = ids
        fps["fp"] = [self._fingerprint(texts) for texts in records_texts]
        self._fingerprints.append(fps)
        parts = []
        for lo, hi in sized_chunks(record_sizes(records_texts)):  # bounded temporaries whatever the batch size
            units, first = flatten(records_texts[lo:hi])
            toks, bounds, starts, _ends, hashes = windows(units, self.options.min_tokens, self.options.min_bytes)
            record = np.searchsorted(first, toks.doc[starts], side="right") - 1
            records = np.empty(len(starts), dtype=RECORD)
            records["hash"] = hashes
            records["doc"] = ids[lo:hi][record]
            records["pos"] = starts - bounds[first[record]]  # token position in the record's strings
            parts.append(records)
        records = np.concatenate(parts)
        return (records["hash"] % np.uint64(self.partitions)).astype(np.int64), records

    def _fingerprint(self, texts: list[str]) -> int:
        """A record's text fingerprint: its one text's, or, at a path, of its strings and where each
        ends (moving a line from one message to the next moves the token positions of the cuts)."""
        return text_fingerprint(texts[0]) if not is_path(self.context.text_field) else strings_fingerprint(texts)

    partial_dtype = DECISION

    def decide_partition(self, rec: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        """Group by window hash; occurrences to remove, as (doc id, position) in corpus order."""
        if len(rec) == 0:
            return np.zeros(0, DECISION), {"windows": 0, "repeated": 0, "top": []}
        doc, pos = rec["doc"], rec["pos"]
        in_order = bool(np.all((doc[1:] > doc[:-1]) | ((doc[1:] == doc[:-1]) & (pos[1:] >= pos[:-1]))))
        if not in_order:  # only with explicit id columns: shard files are written in id order
            rec = rec[np.lexsort((pos, doc))]
        # Records are in corpus order, so a record's index ranks it; the first occurrence of a
        # hash is the smallest index in its group (found with a reduceat, no stable sort needed).
        order = np.argsort(rec["hash"])
        h = rec["hash"][order]
        new_group = np.r_[True, h[1:] != h[:-1]]
        group_start = np.flatnonzero(new_group)
        sizes = np.diff(np.r_[group_start, len(h)])
        repeated = sizes >= self.options.min_repeats
        remove = np.repeat(repeated, sizes)
        if self.options.keep == "first":
            first = np.minimum.reduceat(order, group_start)
            remove &= order != np.repeat(first, sizes)
        picked = np.sort(order[remove])  # back to (doc, pos) order
        out = np.empty(len(picked), dtype=DECISION)
        out["doc"] = rec["doc"][picked]
        out["pos"] = rec["pos"][picked]
        top = []
        for i in np.argsort(-sizes, kind="stable")[:TOP_FINGERPRINTS]:
            if sizes[i] < self.options.min_repeats:
                break
            top.append([int(sizes[i]), f"{int(h[group_start[i]]):016x}"])
        return out, {"windows": len(rec), "repeated": int(repeated.sum()), "top": top}

    def merge_partitions(self, parts: Iterator[tuple[np.ndarray, dict[str, Any]]]) -> dict[str, Any]:
        writer = DecisionWriter(self.state_dir, DECISION)
        windows_seen = repeated = removed = 0
        top: list[tuple[int, str]] = []
        for out, stats in parts:
            writer.add(out)
            windows_seen += stats["windows"]
            repeated += stats["repeated"]
            removed += len(out)
            top.extend((int(c), str(f)) for c, f in stats["top"])
        top = sorted(top, reverse=True)[:TOP_FINGERPRINTS]
        summary = {
            "windows_indexed": windows_seen,
            "repeated_windows": repeated,
            "windows_to_remove": removed,
            "top_repeated_windows": [{"fingerprint": f, "occurrences": c} for c, f in top],
        }
        writer.finish(summary)
        return summary

    # -- output pass --------------------------------------------------------------------------
    def _shard_decisions(self, shard: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        cache = getattr(self, "_cache", None)
        if cache is None or cache[0] != shard:
            rec = self.decisions(shard)
            fp_path = self.state_dir / PARTIAL / shard_name(shard) / "texts.npy"
            fps = np.load(fp_path) if len(rec) and fp_path.exists() else np.zeros(0, FINGERPRINT)
            cache = (shard, np.ascontiguousarray(rec["doc"]), np.ascontiguousarray(rec["pos"]), fps)
            self._cache = cache
        return cache[1], cache[2], cache[3]

    def _check_unchanged(self, shard: int, fps: np.ndarray, doc_id: int, texts: list[str]) -> None:
        i = int(np.searchsorted(fps["doc"], doc_id))
        if i >= len(fps) or int(fps["doc"][i]) != doc_id:
            return  # explicit ids that do not encode the shard they were indexed in: nothing to check
        if int(fps["fp"][i]) != self._fingerprint(texts):
            raise ShardError(
                f"shard {shard}",
                f"dedup_repeats: document id {doc_id} has a different text than when it was indexed; the "
                "stages before dedup_repeats must give the same output on every pass (no randomness, no "
                "change of config between passes). Delete the stage's state folder to index again.",
            )

    def process(self, batch: Batch) -> Batch:
        rows = live_rows(batch)
        if not rows:
            return batch
        ids = np.asarray(batch.doc_ids(), dtype=np.uint64)
        live = np.zeros(len(batch), dtype=bool)
        live[rows] = True
        for shard, positions in shards_of(ids):
            docs, pos, fps = self._shard_decisions(shard)
            lo = np.searchsorted(docs, ids[positions], side="left")
            hi = np.searchsorted(docs, ids[positions], side="right")
            hit = (hi > lo) & live[positions]
            rows_hit = positions[hit]
            if len(rows_hit) == 0:
                continue
            lo_hit, hi_hit = lo[hit], hi[hit]
            records_texts = record_strings(batch, rows_hit.tolist())
            for row, texts in zip(rows_hit, records_texts, strict=True):
                self._check_unchanged(shard, fps, int(ids[row]), texts)
            edited: dict[int, list[str]] = {}
            for c_lo, c_hi in sized_chunks(record_sizes(records_texts)):
                cuts = self._cuts(records_texts[c_lo:c_hi], lo_hit[c_lo:c_hi], hi_hit[c_lo:c_hi], pos)
                for row, texts, record_cuts in zip(rows_hit[c_lo:c_hi], records_texts[c_lo:c_hi], cuts, strict=True):
                    edited[int(row)] = self._cut_record(batch, int(row), texts, record_cuts)
            put_strings(batch, edited)
        return batch

    def _cuts(
        self, records_texts: list[list[str]], lo: np.ndarray, hi: np.ndarray, pos: np.ndarray
    ) -> list[dict[int, list[tuple[int, int]]]]:
        """Per record, the byte ranges to cut from each of its strings (by index among them), from the
        windows ``pos[lo[k]:hi[k]]`` (token positions in record ``k``'s strings). Windows never
        cross from one string into the next (they were indexed per string), so neither does a cut."""
        units, first = flatten(records_texts)
        toks = tokenize(units)
        bounds = toks.doc_token_bounds()
        ends = window_ends(toks, bounds, self.options.min_tokens, self.options.min_bytes)
        out = []
        for k in range(len(records_texts)):
            starts = pos[lo[k] : hi[k]].astype(np.int64) + bounds[first[k]]
            unit_of = toks.doc[starts]  # sorted, as the starts are
            # One string cut (always, for a column) needs no split by string.
            one = unit_of[0] == unit_of[-1]
            groups = [starts] if one else np.split(starts, np.flatnonzero(np.diff(unit_of)) + 1)
            record_cuts: dict[int, list[tuple[int, int]]] = {}
            for group in groups:
                unit = int(toks.doc[group[0]])
                base = toks.doc_starts[unit]
                record_cuts[unit - int(first[k])] = [
                    (int(toks.starts[s] - base), int(toks.ends[e - 1] - base))
                    for s, e in merge_ranges(group, ends[group])
                ]
            out.append(record_cuts)
        return out

    def _cut_record(
        self, batch: Batch, row: int, texts: list[str], cuts: dict[int, list[tuple[int, int]]]
    ) -> list[str]:
        """Cut one record's strings, count it, and drop it if too little text is left; its new strings.
        A string cut to nothing stays as ``""`` (a message is never removed from its list: the roles
        of the others must stay where they are)."""
        new_texts = list(texts)
        cut_bytes = 0
        for index, token_ranges in cuts.items():
            data = encode(texts[index])
            byte_ranges = between_words(data, token_ranges)
            if not byte_ranges:
                continue
            new = cut_ranges(data, byte_ranges)
            new_texts[index] = decode(new)
            cut_bytes += len(data) - len(new)
            self.counters["spans_removed"] += len(byte_ranges)
        self.counters["docs_changed"] += 1
        self.counters["span_bytes_removed"] += cut_bytes
        self.counters["bytes_removed"] += cut_bytes
        if is_path(self.context.text_field):
            self.counters["texts_changed"] += len(cuts)
            self.counters["texts_emptied"] += sum(1 for index in cuts if not new_texts[index])
        if sum(len(t) for t in new_texts) < self.options.min_doc_chars:
            batch.mark_dropped(row, "dedup_repeats_too_short")
            self.counters["docs_removed"] += 1
            self.counters["bytes_removed"] += sum(len(encode(t)) for t in new_texts)
        return new_texts


def record_sizes(records_texts: list[list[str]]) -> list[int]:
    """Characters of each record's strings together (to cut batches into bounded chunks)."""
    return [sum(len(t) for t in texts) for texts in records_texts]


def flatten(records_texts: list[list[str]]) -> tuple[list[str], np.ndarray]:
    """The records' strings in one list, and where each record's start (``first[k]:first[k + 1]``):
    each string is tokenized as a document of its own, so no window spans two of them."""
    counts = np.fromiter((len(texts) for texts in records_texts), dtype=np.int64, count=len(records_texts))
    first = np.zeros(len(records_texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=first[1:])
    return [t for texts in records_texts for t in texts], first


def strings_fingerprint(texts: list[str]) -> int:
    """64-bit xxh3 of a record's strings and their lengths (so the same bytes split differently differ)."""
    digest = xxhash.xxh3_64()
    for text in texts:
        data = encode(text)
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.intdigest()


def merge_ranges(starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Union of half-open token ranges (``starts`` sorted); touching ranges merge into one."""
    if len(starts) == 0:
        return []
    reach = np.maximum.accumulate(ends)
    new = np.r_[True, starts[1:] > reach[:-1]]
    first = np.flatnonzero(new)
    last = np.r_[first[1:], len(starts)] - 1
    return list(zip(starts[first].tolist(), reach[last].tolist(), strict=True))


def _is_space(byte: int) -> bool:
    return byte <= 32 or byte == 127


def _kind_before(data: bytes, end: int) -> int:
    """Token kind of the character that ends just before byte ``end`` (walks back to its lead byte)."""
    lead = end - 1
    while lead > 0 and data[lead] & 0xC0 == 0x80:
        lead -= 1
    return int(KIND_BY_LEAD[data[lead]])


def _solid(kind: int) -> bool:
    """Whether a character of this kind glues to its neighbours of the same sort into one "word"
    (see :func:`between_words`): letters, digits and ASCII punctuation, not spaces, nor the
    characters of scripts written without spaces (which are tokens one by one)."""
    return kind in (WORD, PUNCT)


def between_words(data: bytes, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``ranges`` (byte ranges on token boundaries) shrunk so none starts or ends inside a word:
    a run of letters, digits and ASCII punctuation without spaces (an address, a URL, a key, a
    number). A range left empty is dropped.

    Why: a repeated passage is found token by token, so it may begin at the ``@`` of an address
    (a company's signature, repeated in every mail, starts at ``@kestrelfreight.co.uk | www...``).
    Cutting there left ``marcus.brennan`` behind: no longer an address, so ``detect`` could not see
    it, and a person's name reached the output. Kept whole, the address is found and redacted; the
    few repeated characters kept with it are a word's worth at each end of a cut. Scripts written
    without spaces still cut between characters (their characters are tokens one by one).
    """
    n = len(data)
    out = []
    for s, e in ranges:
        # Forward to the end of a word the start falls inside.
        if 0 < s < n and _solid(_kind_before(data, s)) and _solid(int(KIND_BY_LEAD[data[s]])):
            while s < e and _solid(int(KIND_BY_LEAD[data[s]])):
                s += 1
            while s < e and _is_space(data[s]):  # the seam's whitespace is cut_ranges' to tidy
                s += 1
        # Back to the start of a word the end falls inside.
        if s < e < n and _solid(int(KIND_BY_LEAD[data[e]])) and _solid(_kind_before(data, e)):
            while e > s and _solid(_kind_before(data, e)):
                e -= 1
                while e > s and data[e] & 0xC0 == 0x80:  # to the lead byte of that character
                    e -= 1
            while e > s and _is_space(data[e - 1]):
                e -= 1
        if s < e:
            out.append((s, e))
    return out


def cut_ranges(data: bytes, ranges: list[tuple[int, int]]) -> bytes:
    """Remove byte ``ranges`` (sorted, disjoint, on token boundaries) and tidy each seam.

    Tidy rule, per removed range: the whitespace run just before it and the one just after it are
    replaced by a single one of them — the one with more line breaks (so a paragraph break
    survives), the left one on a tie. At the start or end of the document both runs are dropped (no
    leading/trailing blanks). If neither side has whitespace and both neighbours are word
    characters (letters, digits, ``_``, 2-byte characters; not CJK), one space is inserted so two
    words never fuse ("Alice wanted" + "store" never becomes "Alice wantedstore").
    """
    out: list[bytes] = []
    cursor = 0
    n = len(data)
    for s, e in ranges:
        ls = s
        while ls > cursor and _is_space(data[ls - 1]):
            ls -= 1
        re_ = e
        while re_ < n and _is_space(data[re_]):
            re_ += 1
        left, right = data[ls:s], data[e:re_]
        if ls == 0 or re_ == n:
            sep = b""
        elif left or right:
            sep = right if right.count(b"\n") > left.count(b"\n") else left
            sep = sep or right
        elif _kind_before(data, s) == WORD and KIND_BY_LEAD[data[e]] == WORD:
            sep = b" "
        else:
            sep = b""
        out.append(data[cursor:ls])
        out.append(sep)
        cursor = re_
    out.append(data[cursor:])
    return b"".join(out)

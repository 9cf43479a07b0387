"""Byte-level tokenizer shared by the near-duplicate and repeated-sequence stages.

A batch of texts becomes one UTF-8 ``uint8`` array (documents separated by ``\\n``) and tokens are
found with numpy masks, not a Python regex loop. Characters are classified by their UTF-8 lead byte:

* space — ASCII whitespace and control characters: separate tokens, never part of one;
* word — ASCII letters, digits and ``_`` plus every 2-byte character (Latin accents, Greek, Cyrillic,
  Hebrew, Arabic): maximal runs form one token (``café``, ``Москва``);
* punct — other printable ASCII: each character is its own token (``,`` ``.`` ``(``);
* single — every 3- or 4-byte character (CJK, kana, Hangul, Thai, emoji, typographic quotes): each is
  its own token, so scripts written without spaces still have token boundaries.

Consequences the stages rely on: a token boundary is always at the lead byte of a character, so a cut
on token boundaries never splits a UTF-8 character; and tokenization of a passage does not depend on
the text around it (beyond the first and last token), so a passage repeated in two documents yields
the same token windows in both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scrubber.dedup.hashing import BYTE_BASE, PowerTable, prefix_sums, range_hashes

SPACE, WORD, PUNCT, SINGLE = 0, 1, 2, 3

#: Kind of a character by the value of its first UTF-8 byte.
KIND_BY_LEAD = np.full(256, PUNCT, dtype=np.uint8)
KIND_BY_LEAD[:33] = SPACE  # ASCII controls and space (tab, newline, CR, ...)
KIND_BY_LEAD[127] = SPACE  # DEL
for _lo, _hi in ((ord("0"), ord("9")), (ord("A"), ord("Z")), (ord("a"), ord("z"))):
    KIND_BY_LEAD[_lo : _hi + 1] = WORD
KIND_BY_LEAD[ord("_")] = WORD
KIND_BY_LEAD[0xC0:0xE0] = WORD  # lead byte of a 2-byte character
KIND_BY_LEAD[0xE0:] = SINGLE  # lead byte of a 3- or 4-byte character
KIND_BY_LEAD[0x80:0xC0] = WORD  # continuation bytes: a character's bytes all count as its lead's kind
#: Same, with continuation bytes marked apart (the tokenizer resolves them from their neighbours).
CONT = 4
_KIND_OR_CONT = KIND_BY_LEAD.copy()
_KIND_OR_CONT[0x80:0xC0] = CONT

_BYTE_TABLE = PowerTable(BYTE_BASE)


def encode(text: str) -> bytes:
    """UTF-8 bytes of ``text``; lone surrogates (seen in scraped JSON) pass through instead of failing."""
    return text.encode("utf-8", "surrogatepass")


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


@dataclass(slots=True)
class Tokens:
    """Tokens of a batch of documents: byte offsets into ``buf`` and the document of each token."""

    buf: np.ndarray  # uint8, documents joined by b"\\n"
    doc_starts: np.ndarray  # int64 byte offset of each document in buf (len = docs + 1, last = end)
    starts: np.ndarray  # int64 byte offset of each token
    ends: np.ndarray  # int64 byte offset just past each token
    kinds: np.ndarray  # uint8 kind of each token
    doc: np.ndarray  # int64 document number (0-based within the batch) of each token

    def doc_token_bounds(self) -> np.ndarray:
        """``b`` with tokens of document d at ``b[d]:b[d+1]`` (tokens are in document order)."""
        return np.searchsorted(self.doc, np.arange(len(self.doc_starts)), side="left")

    def hashes(self) -> np.ndarray:
        """Mixed 64-bit hash of every token's bytes."""
        q = prefix_sums(self.buf, _BYTE_TABLE)
        return range_hashes(q, self.starts, self.ends, _BYTE_TABLE)


#: Text handled per numpy pass: the tokenizer and hashes need ~50 bytes of temporaries per byte, so
#: 1 MB keeps them near 50 MB whatever batch size the runner uses.
CHUNK_BYTES = 1 << 20


def chunks(texts: Sequence[str], limit: int | None = None) -> list[tuple[int, int]]:
    """[lo, hi) index ranges over ``texts`` of about ``limit`` characters each (at least one text)."""
    return sized_chunks([len(text) for text in texts], limit)


def sized_chunks(sizes: Sequence[int], limit: int | None = None) -> list[tuple[int, int]]:
    """[lo, hi) index ranges over items of the given ``sizes`` (characters) of about ``limit`` each:
    :func:`chunks` for items that are not one string (a record's several strings at a text path)."""
    limit = CHUNK_BYTES if limit is None else limit
    out, lo, size = [], 0, 0
    for i, item_size in enumerate(sizes):
        size += item_size
        if size >= limit:
            out.append((lo, i + 1))
            lo, size = i + 1, 0
    if lo < len(sizes):
        out.append((lo, len(sizes)))
    return out


def tokenize(texts: Sequence[str | bytes]) -> Tokens:
    """Tokenize a batch (see module docstring). Cost: a dozen numpy passes over the bytes."""
    parts = [encode(t) if isinstance(t, str) else t for t in texts]
    lengths = np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=len(parts))
    doc_starts = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=doc_starts[1:])
    buf = np.frombuffer(b"\n".join(parts) + b"\n", dtype=np.uint8) if parts else np.zeros(0, np.uint8)
    n = len(buf)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Tokens(buf, doc_starts, empty, empty, np.zeros(0, np.uint8), empty)
    # Only lead bytes can start a token and continuation bytes are never spaces, so every mask
    # below is a uint8 operation on the bytes themselves (no per-byte int64 arrays: ~3x faster).
    kind = _KIND_OR_CONT[buf]
    prev = np.empty_like(kind)
    prev[0] = SPACE
    prev[1:] = kind[:-1]
    # A previous byte that is a continuation belongs to a 2-byte (word) character if the byte
    # before it is a 2-byte lead (0xC0-0xDF), else to a 3/4-byte (single) character.
    prev_cont = prev == CONT
    if prev_cont.any():
        two_back = np.zeros(n, dtype=np.uint8)
        two_back[2:] = buf[:-2]
        prev[prev_cont] = np.where((two_back[prev_cont] & 0xE0) == 0xC0, WORD, SINGLE)
    solo = (kind == PUNCT) | (kind == SINGLE)
    start_mask = (kind != SPACE) & (kind != CONT) & (solo | (prev != kind))
    starts = np.flatnonzero(start_mask)
    # A token ends where the next token starts or a space begins (whichever comes first).
    boundary = np.flatnonzero(start_mask | (kind == SPACE))
    ends = boundary[np.searchsorted(boundary, starts, side="right")]  # buf ends in b"\n": always found
    kinds = kind[starts]
    doc = np.searchsorted(doc_starts, starts, side="right") - 1
    return Tokens(buf, doc_starts, starts, ends, kinds, doc)

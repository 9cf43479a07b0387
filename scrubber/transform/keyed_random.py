"""A deterministic random stream seeded by HMAC(key, message): the source of every surrogate choice.

Why not ``random.Random(seed)``: its algorithm is an implementation detail of CPython and its seeding
of bytes/str has changed between versions; a surrogate must be the same on every worker and in every
future run. SHA-256 in counter mode over an HMAC seed is fixed by specification, and without the key
the stream cannot be predicted, so a surrogate reveals nothing about the value it replaces.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")
DIGITS = "0123456789"


def encode(text: str) -> bytes:
    """UTF-8 that also accepts lone surrogates (``surrogateescape``-decoded input) without failing."""
    return text.encode("utf-8", "surrogatepass")


class KeyedRandom:
    """Bytes and choices drawn from SHA-256(seed || counter), where seed = HMAC(key, parts joined by NUL)."""

    __slots__ = ("_buffer", "_counter", "_seed")

    def __init__(self, key: bytes, *parts: str) -> None:
        self._seed = hmac.new(key, b"\0".join(encode(p) for p in parts), hashlib.sha256).digest()
        self._buffer = bytearray(self._seed)
        self._counter = 0

    def _take(self, n: int) -> bytes:
        while len(self._buffer) < n:
            self._counter += 1
            self._buffer += hashlib.sha256(self._seed + self._counter.to_bytes(8, "big")).digest()
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def below(self, n: int) -> int:
        """An integer in ``[0, n)``; 64 random bits make the modulo bias (< n / 2**64) irrelevant."""
        if n <= 1:
            return 0
        return int.from_bytes(self._take(8), "big") % n

    def words(self, count: int) -> tuple[int, ...]:
        """``count`` random 32-bit integers in one draw (the bulk path for per-character choices)."""
        return struct.unpack(f">{count}I", self._take(4 * count))

    def string(self, alphabets: list[str]) -> str:
        """One character from each alphabet, in order; bias < len(alphabet) / 2**32, irrelevant here."""
        return "".join(a[w % len(a)] for a, w in zip(alphabets, self.words(len(alphabets)), strict=True))

    def between(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        return low + self.below(high - low + 1)

    def choice(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def digits(self, n: int) -> str:
        return self.string([DIGITS] * n)

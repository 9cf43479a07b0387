"""Vectorized 64-bit hashing of byte runs and token windows with numpy (no Python loop per token).

Why not xxhash per token: a Python call per token costs ~0.3 µs, i.e. a few MB/s at best. Instead the
whole batch is one ``uint8`` array and every substring hash is a *polynomial* hash read off a prefix
sum in O(1):

    P(i, j) = sum_{k=i}^{j-1} x[k] * B^(j-1-k)  =  B^(j-1) * (Q[j] - Q[i]),  Q[m] = sum_{k<m} x[k] * B^-k

All arithmetic is modulo 2^64 (numpy ``uint64`` wraps silently on arrays); ``B`` is odd so ``B^-1``
exists modulo 2^64. Polynomial hashes modulo 2^64 have structured collisions, so every result is
passed through the murmur3 finalizer (:func:`fmix64`) and mixed with its length before use. The
constants are fixed: hashes, partitions and therefore results are identical on every machine and run.
"""

from __future__ import annotations

import numpy as np

_U64 = np.uint64
_MASK = (1 << 64) - 1

#: Odd multipliers for the byte-level and token-level polynomials (arbitrary fixed 64-bit odd numbers).
BYTE_BASE = 0x100000001B3 | 1
TOKEN_BASE = 0x9E3779B97F4A7C15
#: Mixed into a window's hash together with its length so equal sums of different lengths differ.
LENGTH_SALT = 0xD6E8FEB86659FD93


def fmix64(x: np.ndarray) -> np.ndarray:
    """Murmur3's 64-bit finalizer: a bijection that spreads every input bit over every output bit."""
    x = np.asarray(x, dtype=_U64)
    with np.errstate(over="ignore"):
        x = x ^ (x >> _U64(33))
        x = x * _U64(0xFF51AFD7ED558CCD)
        x = x ^ (x >> _U64(33))
        x = x * _U64(0xC4CEB9FE1A85EC53)
        x = x ^ (x >> _U64(33))
    return x


class PowerTable:
    """Cached ``B^k`` and ``B^-k`` modulo 2^64 for k < n, grown on demand (doubling)."""

    def __init__(self, base: int) -> None:
        self.base = base & _MASK
        self.inverse = pow(self.base, -1, 1 << 64)
        self.pos = np.ones(1, dtype=_U64)
        self.neg = np.ones(1, dtype=_U64)

    def ensure(self, n: int) -> None:
        if len(self.pos) >= n:
            return
        size = max(n, 2 * len(self.pos), 1024)
        self.pos = _powers(self.base, size)
        self.neg = _powers(self.inverse, size)


def _powers(base: int, n: int) -> np.ndarray:
    """``base^0 .. base^(n-1)`` modulo 2^64 by repeated doubling of a block (vectorized)."""
    out = np.empty(n, dtype=_U64)
    out[0] = 1
    filled = 1
    with np.errstate(over="ignore"):
        while filled < n:
            step = min(filled, n - filled)
            factor = _U64(pow(base, filled, 1 << 64))
            out[filled : filled + step] = out[:step] * factor
            filled += step
    return out


def prefix_sums(values: np.ndarray, table: PowerTable) -> np.ndarray:
    """``Q`` with ``Q[0] = 0`` and ``Q[m] = sum_{k<m} values[k] * B^-k`` (length ``len(values)+1``)."""
    n = len(values)
    table.ensure(n + 1)
    q = np.zeros(n + 1, dtype=_U64)
    with np.errstate(over="ignore"):
        np.cumsum(values.astype(_U64, copy=False) * table.neg[:n], out=q[1:])
    return q


def range_hashes(q: np.ndarray, starts: np.ndarray, ends: np.ndarray, table: PowerTable) -> np.ndarray:
    """Mixed hash of ``values[starts[i]:ends[i]]`` for each i (same content → same hash anywhere)."""
    starts = starts.astype(np.int64, copy=False)
    ends = ends.astype(np.int64, copy=False)
    with np.errstate(over="ignore"):
        raw = (q[ends] - q[starts]) * table.pos[ends - 1]
        length = (ends - starts).astype(_U64) * _U64(LENGTH_SALT)
    return fmix64(raw ^ length)

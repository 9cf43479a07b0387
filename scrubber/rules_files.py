"""Digests of a rules folder: what the run fingerprint and a pickled stage's state say about the rules.

A stage reads its rules from ``context.rules_dir`` when it is set up, in whichever process runs it,
so pickling it carries the folder's *name*, not what the files say. ``datasets.map`` fingerprints a
callable by pickling it: without the digest in the pickle, editing a rules file (a new recognizer, an
allow-list entry removed) left the fingerprint unchanged and ``map`` returned its cached output,
scrubbed by the old rules.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: rules folder -> (stat signature of its files, digest); see :func:`cached_rules_digest`.
_CACHE: dict[Path, tuple[tuple[tuple[str, int, int, int], ...], str]] = {}


def rules_digest(rules_dir: Path) -> str:
    """A digest of every file under the rules folder (names and bytes)."""
    digest = hashlib.sha256()
    if rules_dir.is_dir():
        for path in sorted(p for p in rules_dir.rglob("*") if p.is_file()):
            digest.update(path.relative_to(rules_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def cached_rules_digest(rules_dir: Path) -> str:
    """:func:`rules_digest`, recomputed only when a file's name, size, mtime or inode changed.

    A stage is pickled for every shard task the runners hand out; stat-ing the few rules files costs
    microseconds where reading the ~1 MB of name lists again would cost milliseconds each time.
    """
    signature: tuple[tuple[str, int, int, int], ...] = ()
    if rules_dir.is_dir():
        stats = []
        for path in sorted(p for p in rules_dir.rglob("*") if p.is_file()):
            st = path.stat()
            stats.append((path.relative_to(rules_dir).as_posix(), st.st_size, st.st_mtime_ns, st.st_ino))
        signature = tuple(stats)
    hit = _CACHE.get(rules_dir)
    if hit is not None and hit[0] == signature:
        return hit[1]
    digest = rules_digest(rules_dir)
    _CACHE[rules_dir] = (signature, digest)
    return digest

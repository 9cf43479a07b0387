"""Which rows of a JSONL batch no stage changed, so they can be written back exactly as read.

Why: most rows of a corpus carry no personal data and are not duplicates; writing their own bytes
back is cheaper than encoding them again (orjson.dumps of every row was ~0.3 CPU-s per 90 MB) and
keeps them exactly as the user had them (key order, spacing, escapes).

Passing an input line through is only safe if nothing a stage did is lost, so "unchanged" is strict:

* every value is the very object read (a stage that rewrites a text puts a new string in its
  place; the column lists are copied at read time, so a stage that edits a list in place is seen);
* a column holding dicts or lists (``meta``) serializes to the same bytes as when it was read: a
  stage may edit nested values in place, where identity cannot tell. One orjson call per column and
  batch. If the bytes differ but the objects read still serialize as read, the difference is rows
  whose value was replaced (a scrubbed list of messages is a new copy), which identity already
  marks; otherwise a value was edited in place, and every row with a dict or list in that column is
  encoded again;
* the batch has the same columns (a stage that adds or removes one changes every row).
"""

from __future__ import annotations

from typing import Any

import orjson

from scrubber.records import Batch

_CONTAINERS = (dict, list)


def _serialized(value: Any) -> object:
    """Bytes standing for a column's values, or a fresh object (equal to nothing) when orjson cannot
    encode them exactly (integers beyond 64 bits): such rows are simply encoded again."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return object()


class ReadSnapshot:
    """A batch's columns and lines as read, taken before any stage runs."""

    def __init__(self, columns: dict[str, list[Any]], lines: list[bytes]) -> None:
        self.lines = lines
        self.values = {k: list(v) for k, v in columns.items()}  # copies of the lists, not of the values
        self.nested = {k: _serialized(values) for k, values in columns.items()
                       if any(type(v) in _CONTAINERS for v in values)}

    def unchanged_lines(self, batch: Batch) -> list[bytes | None] | None:
        """Per row, its input line if no stage changed any of its values (else ``None``)."""
        now = batch.without_reserved()
        if now.keys() != self.values.keys():
            return None
        pairs = [(now[k], self.values[k]) for k in self.values]
        out: list[bytes | None] = [
            line if all(after[i] is before[i] for after, before in pairs) else None
            for i, line in enumerate(self.lines)
        ]
        for k, snapshot in self.nested.items():
            if _serialized(now[k]) != snapshot and _serialized(self.values[k]) != snapshot:
                before = self.values[k]
                out = [None if type(before[i]) in _CONTAINERS else line for i, line in enumerate(out)]
        return out

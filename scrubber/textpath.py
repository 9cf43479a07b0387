"""Text inside lists: ``messages[].content``, ``conversations[].value``, ``turns[].parts[]``.

Chat and instruction sets keep their text in a list of messages, not in one column, so a text field
may be a path: a column name, then steps that are ``[]`` (every element of a list) or ``.key`` (a key
of an object). Only a name with ``[]`` is a path: a plain column may have a dot in its name.

The streaming stages still see one string at a time: :func:`leaves` lists where each string of a
record is (its container and key), so a stage's output can be put back in place, and the path of
each (``messages[2].content``) names it in audit records and errors.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyarrow as pa

EACH = "[]"
_STEP = re.compile(r"\[\]|[^.\[\]]+")


def is_path(name: str) -> bool:
    """Whether a text field names strings inside lists rather than a column."""
    return EACH in name


@lru_cache(maxsize=64)
def steps(name: str) -> tuple[str, ...]:
    """``"messages[].content"`` → ``("messages", "[]", "content")``; a plain name → ``(name,)``.

    Raises ValueError for a path that does not read as column, ``[]`` and ``.key`` steps.
    """
    if not is_path(name):
        return (name,)
    parts = tuple(_STEP.findall(name))
    rebuilt = parts[0] + "".join(p if p == EACH else "." + p for p in parts[1:])
    if rebuilt != name or parts[0] == EACH:
        raise ValueError(f"{name!r} is not a text path: write a column, then [] for every element of a list "
                         "and .key for a key of an object (messages[].content)")
    return parts


@dataclass(slots=True)
class Leaf:
    """One string (or null) of a record at a text path, and where to put it back."""

    row: int
    trail: tuple[Any, ...]  # the column, then each index or key taken: ("messages", 2, "content")
    container: Any  # the list or dict holding it
    key: Any  # its index or key there

    @property
    def value(self) -> Any:
        return self.container[self.key]

    @property
    def where(self) -> str:
        """The concrete path, e.g. ``messages[2].content`` (built only when asked: audit, errors)."""
        return _where(self.trail)


def problem(value: Any, name: str, keys: Counter[str] | None = None) -> str | None:
    """Why the value of a path's column cannot be scrubbed (a step of the wrong kind, a key
    missing, a leaf that is no string), or None. Nulls inside (an empty message) have nothing to
    scrub and pass. ``keys``, when given, counts the objects on the path holding each key read
    (for the reader's duplicate-key check). A fast walk first; the reason, with its position, is
    worked out only for a value that fails."""
    path = steps(name)
    if _fits(value, path[1:], Counter() if keys is None else keys):
        return None
    for _trail, found in _walk(value, path[1:], (path[0],)):
        if isinstance(found, str):
            return found
    return None  # (not reached: _fits and _walk agree)


def leaves(column: list[Any], name: str) -> Iterator[Leaf]:
    """Every string position of a column's values at the path (values already checked)."""
    path = steps(name)
    for row, value in enumerate(column):
        for _trail, found in _walk(value, path[1:], (path[0],)):
            if isinstance(found, Leaf):
                found.row = row
                yield found


def _fits(value: Any, rest: tuple[str, ...], keys: Counter[str]) -> bool:
    """Whether ``value`` holds only strings or nulls at the end of ``rest`` (no positions kept),
    counting in ``keys`` the objects that hold each key taken."""
    if not rest or value is None:
        return True
    step, tail = rest[0], rest[1:]
    if step == EACH:
        if not isinstance(value, list):
            return False
        if not tail:
            return all(v is None or isinstance(v, str) for v in value)
        if len(tail) == 1:  # the common shape, list of objects then a key (messages[].content): one loop
            key = tail[0]
            for item in value:
                if not (isinstance(item, dict) and key in item and (
                        (leaf := item[key]) is None or isinstance(leaf, str))):
                    return False
            keys[key] += len(value)
            return True
        return all(_fits(v, tail, keys) for v in value)
    if not isinstance(value, dict) or step not in value:
        return False
    keys[step] += 1
    child = value[step]
    return (child is None or isinstance(child, str)) if not tail else _fits(child, tail, keys)


def _walk(value: Any, rest: tuple[str, ...], trail: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(trail, Leaf) for each string or null at the end of ``rest``; (trail, reason) for a value
    that does not fit the path. A null list or object has nothing in it."""
    if not rest or value is None:
        return
    step, tail = rest[0], rest[1:]
    if step == EACH:
        if not isinstance(value, list):
            yield trail, f"text path: {_where(trail)} is {type(value).__name__}, expected a list"
            return
        keys: Iterable[Any] = range(len(value))
    else:
        if not isinstance(value, dict):
            yield trail, f"text path: {_where(trail)} is {type(value).__name__}, expected an object"
            return
        if step not in value:
            yield trail, f"text path: {_where(trail)} has no key {step!r}"
            return
        keys = (step,)
    for key in keys:
        child = value[key]
        inner = (*trail, key)
        if tail:
            yield from _walk(child, tail, inner)
        elif child is None or isinstance(child, str):
            yield inner, Leaf(-1, inner, value, key)
        else:
            yield inner, f"text path: {_where(inner)} is {type(child).__name__}, expected a string"


def _where(trail: tuple[Any, ...]) -> str:
    """``("messages", 2, "content")`` → ``messages[2].content``."""
    return trail[0] + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in trail[1:])


def arrow_problem(column_type: pa.DataType, name: str) -> str | None:
    """Why an Arrow column cannot hold strings at the path, or None."""
    current = column_type
    where = steps(name)[0]
    for step in steps(name)[1:]:
        if step == EACH:
            if not (pa.types.is_list(current) or pa.types.is_large_list(current)):
                return f"column {name!r}: {where} is {current}, expected a list"
            current = current.value_type
            where += EACH
        else:
            if not pa.types.is_struct(current) or current.get_field_index(step) < 0:
                return f"column {name!r}: {where} is {current}, expected a struct with field {step!r}"
            current = current.field(step).type
            where += "." + step
    if pa.types.is_dictionary(current):
        current = current.value_type
    if not (pa.types.is_string(current) or pa.types.is_large_string(current) or pa.types.is_string_view(current)):
        return f"column {name!r}: {where} is {current}, expected strings"
    return None


def key_names(name: str) -> tuple[str, ...]:
    """The keys a path reads (the column and each ``.key``), for the duplicate-key check."""
    return tuple(s for s in steps(name) if s != EACH)

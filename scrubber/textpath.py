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
from collections.abc import Iterator
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
    where: str  # the concrete path, e.g. messages[2].content
    container: Any  # the list or dict holding it
    key: Any  # its index or key there

    @property
    def value(self) -> Any:
        return self.container[self.key]


def problem(value: Any, name: str) -> str | None:
    """Why the value of a path's column cannot be scrubbed (a step of the wrong kind, a key
    missing, a leaf that is no string), or None. Nulls inside (an empty message) have nothing to
    scrub and pass."""
    for _where, found in _walk(value, steps(name)[1:], steps(name)[0]):
        if isinstance(found, str):
            return found
    return None


def leaves(column: list[Any], name: str) -> Iterator[Leaf]:
    """Every string position of a column's values at the path (values already checked)."""
    path = steps(name)
    for row, value in enumerate(column):
        for _where, found in _walk(value, path[1:], path[0]):
            if isinstance(found, Leaf):
                found.row = row
                yield found


def _walk(value: Any, rest: tuple[str, ...], where: str) -> Iterator[tuple[str, Any]]:
    """(where, Leaf) for each string or null at the end of ``rest``; (where, reason) for a value
    that does not fit the path. A null list or object has nothing in it."""
    if not rest or value is None:
        return
    step, tail = rest[0], rest[1:]
    if step == EACH:
        if not isinstance(value, list):
            yield where, f"text path: {where} is {type(value).__name__}, expected a list"
            return
        items: Iterator[tuple[Any, str]] = ((i, f"{where}[{i}]") for i in range(len(value)))
    else:
        if not isinstance(value, dict):
            yield where, f"text path: {where} is {type(value).__name__}, expected an object"
            return
        if step not in value:
            yield where, f"text path: {where} has no key {step!r}"
            return
        items = iter([(step, f"{where}.{step}")])
    for key, inner in items:
        child = value[key]
        if tail:
            yield from _walk(child, tail, inner)
        elif child is None or isinstance(child, str):
            yield inner, Leaf(-1, inner, value, key)
        else:
            yield inner, f"text path: {inner} is {type(child).__name__}, expected a string"


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

"""Text inside lists and objects: ``messages[].content``, ``turns[].parts[]``, ``meta["text"]``.

Chat and instruction sets keep their text in a list of messages, and many sets keep it in an object
(a JSON object, a Parquet struct column), not in one column, so a text field may be a path: a column
name, then steps that are ``[]`` (every element of a list), ``.key`` or ``["key"]`` (a key of an
object; ``['key']`` too). Only a name with ``[`` is a path: a plain column may have a dot in its
name, so ``meta.text`` stays the column named ``meta.text`` and the key ``text`` of column ``meta``
is written ``meta["text"]``. A quoted key may hold dots and brackets (``meta["a.b"]``); a quote or a
backslash inside it is written with a backslash before it (``\\"``, ``\\'``, ``\\\\``), and no other
escape exists, so a key is read back exactly as written. The empty key ``[""]`` is a key like any
other (JSON objects may have one). In a path the column is the name up to the first ``.`` or ``[``.

The streaming stages still see one string at a time: :func:`leaves` lists where each string of a
record is (its container and key), so a stage's output can be put back in place, and the path of
each (``messages[2].content``, ``meta["text"]``) names it in audit records and errors.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import pyarrow as pa


class _Each:
    """The ``[]`` step. Not a string, so a key spelled ``["[]"]`` can never be taken for it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "EACH"


#: The step ``[]``: every element of a list.
EACH: Final = _Each()
#: One step of a path: :data:`EACH`, or a key of an object (the first step is the column).
Step = str | _Each

#: A key written ``.key`` reads back as itself (and the column of a path as itself): no dot, no bracket.
_PLAIN = re.compile(r"[^.\[\]]+")
_HOW = ("write a column, then [] for every element of a list and .key or [\"key\"] for a key of an "
        "object (messages[].content, meta[\"text\"]); inside quotes write \\\" for a quote and \\\\ for a "
        "backslash")


def is_path(name: str) -> bool:
    """Whether a text field names strings inside lists or objects rather than a column: it holds ``[``."""
    return "[" in name


def column(name: str) -> str:
    """The column a text field reads: the field itself, or a path's first step."""
    first = steps(name)[0]
    assert isinstance(first, str)  # (steps never starts with EACH)
    return first


@lru_cache(maxsize=64)
def steps(name: str) -> tuple[Step, ...]:
    """``'messages[].content'`` → ``("messages", EACH, "content")``, ``'meta["text"]'`` →
    ``("meta", "text")``; a plain name → ``(name,)``.

    Raises ValueError, saying where and how to write one, for a path that does not read as a
    column followed by ``[]``, ``.key`` and ``["key"]`` steps.
    """
    if not is_path(name):
        return (name,)
    head = _PLAIN.match(name)
    if head is None:
        raise _refuse(name, 0, "it must start with the column's name")
    parts: list[Step] = [head.group()]
    at = head.end()
    while at < len(name):
        char = name[at]
        if char == ".":
            key = _PLAIN.match(name, at + 1)
            if key is None:
                raise _refuse(name, at, "a dot must be followed by a key (write [\"key\"] for a key holding "
                                        "dots or brackets)")
            parts.append(key.group())
            at = key.end()
        elif char == "[":
            if name.startswith("[]", at):
                parts.append(EACH)
                at += 2
                continue
            quote = name[at + 1:at + 2]
            if quote not in ('"', "'"):
                raise _refuse(name, at, "a bracket holds [] or a quoted key (write [\"key\"], not [key])")
            key_text, at = _quoted(name, at + 1)
            if not name.startswith("]", at):
                raise _refuse(name, at, "a quoted key must be followed by ]")
            parts.append(key_text)
            at += 1
        else:
            raise _refuse(name, at, f"{char!r} cannot follow a step (a step is [], .key or [\"key\"])")
    return tuple(parts)


def _quoted(name: str, start: int) -> tuple[str, int]:
    """The key quoted at ``name[start]`` (a ``"`` or ``'``) with its escapes read, and the position
    after its closing quote."""
    quote = name[start]
    out: list[str] = []
    at = start + 1
    while at < len(name):
        char = name[at]
        if char == quote:
            return "".join(out), at + 1
        if char == "\\":
            escaped = name[at + 1:at + 2]
            if escaped not in ('"', "'", "\\"):
                raise _refuse(name, at, "a backslash in a quoted key escapes only a quote or a backslash "
                                        "(write \\\\ for a backslash)")
            out.append(escaped)
            at += 2
            continue
        out.append(char)
        at += 1
    raise _refuse(name, start, "the quoted key has no closing quote")


def _refuse(name: str, at: int, why: str) -> ValueError:
    return ValueError(f"{name!r} is not a text path: at character {at + 1}, {why}; {_HOW}")


def spell(path: Iterable[Any]) -> str:
    """The text path of a column and the keys (str) and list indexes (int, or :data:`EACH`) taken
    from it, in the shortest form that reads back as the same path: ``messages[2].content``,
    ``meta["text"]``, ``doc["pages"][0].body``, ``meta["a.b"]``. A key is quoted when ``.key``
    would not read back as it (a dot, a bracket, empty), and so is the first step after the column
    when no bracket comes before it (``meta.text`` would read as a column)."""
    items = iter(path)
    out = [next(items)]
    bracket = False
    for item in items:
        if item is EACH:
            out.append("[]")
        elif isinstance(item, int):
            out.append(f"[{item}]")
        elif bracket and _PLAIN.fullmatch(item):
            out.append("." + item)
        else:
            out.append('["' + item.replace("\\", "\\\\").replace('"', '\\"') + '"]')
        bracket = True
    return "".join(out)


def json_children(value: Any) -> dict[str, Any] | None:
    """A JSON value's keys and what they hold, or None when it is no object (for :func:`dotted_hint`)."""
    return value if isinstance(value, dict) else None


def arrow_children(column_type: pa.DataType) -> dict[str, pa.DataType] | None:
    """A struct type's fields and their types, or None for any other type (for :func:`dotted_hint`)."""
    if not pa.types.is_struct(column_type):
        return None
    return {column_type.field(i).name: column_type.field(i).type for i in range(column_type.num_fields)}


def dotted_hint(name: str, children: Callable[[Any], dict[str, Any] | None], value: Any) -> str:
    """What to add to "no column ``name``" when ``name`` has a dot and the part before the first
    dot is a column holding ``value``, an object: how to read the rest as keys of it (``meta.text``
    → ``meta["text"]``), since a name without ``[`` is always a column. Empty otherwise.

    ``children`` gives an object's keys and what they hold (:func:`json_children`,
    :func:`arrow_children`), or None for anything else. The keys are matched to the object where
    they can be (``meta.a.b`` is ``meta["a.b"]`` when it has a key ``a.b``); otherwise each dot
    is read as a step. Only key names the user wrote are shown, never a value."""
    first, _, rest = name.partition(".")
    if not rest or is_path(name) or children(value) is None:
        return ""
    parts = rest.split(".")

    def resolve(node: Any, left: list[str]) -> list[str] | None:
        if not left:
            return []
        keys = children(node)
        if keys is None:
            return None
        for cut in range(len(left), 0, -1):
            key = ".".join(left[:cut])
            if key in keys and (tail := resolve(keys[key], left[cut:])) is not None:
                return [key, *tail]
        return None

    spelled = spell([first, *(resolve(value, parts) or parts)])
    return (f" (a name without [ is a column; column {first!r} holds objects: to read a key inside it, "
            f"write {spelled})")


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
        """The concrete path, e.g. ``messages[2].content``, ``meta["text"]`` (built only when asked:
        audit, errors)."""
        return spell(self.trail)


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


def _fits(value: Any, rest: tuple[Step, ...], keys: Counter[str]) -> bool:
    """Whether ``value`` holds only strings or nulls at the end of ``rest`` (no positions kept),
    counting in ``keys`` the objects that hold each key taken."""
    if not rest or value is None:
        return True
    step, tail = rest[0], rest[1:]
    if step is EACH:
        if not isinstance(value, list):
            return False
        if not tail:
            return all(v is None or isinstance(v, str) for v in value)
        if len(tail) == 1 and isinstance(key := tail[0], str):
            # the common shape, list of objects then a key (messages[].content): one loop
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


def _walk(value: Any, rest: tuple[Step, ...], trail: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(trail, Leaf) for each string or null at the end of ``rest``; (trail, reason) for a value
    that does not fit the path. A null list or object has nothing in it."""
    if not rest or value is None:
        return
    step, tail = rest[0], rest[1:]
    if step is EACH:
        if not isinstance(value, list):
            yield trail, f"text path: {spell(trail)} is {type(value).__name__}, expected a list"
            return
        keys: Iterable[Any] = range(len(value))
    else:
        if not isinstance(value, dict):
            yield trail, f"text path: {spell(trail)} is {type(value).__name__}, expected an object"
            return
        if step not in value:
            yield trail, f"text path: {spell(trail)} has no key {step!r}"
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
            yield inner, f"text path: {spell(inner)} is {type(child).__name__}, expected a string"


def arrow_problem(column_type: pa.DataType, name: str) -> str | None:
    """Why an Arrow column cannot hold strings at the path, or None. A struct column is an object
    (``meta["text"]``), a list column a list (``messages[].content``)."""
    current = column_type
    trail: list[Step] = [column(name)]
    for step in steps(name)[1:]:
        if step is EACH:
            if not (pa.types.is_list(current) or pa.types.is_large_list(current)):
                return f"column {name!r}: {spell(trail)} is {current}, expected a list"
            current = current.value_type
        else:
            if not pa.types.is_struct(current) or current.get_field_index(step) < 0:
                return f"column {name!r}: {spell(trail)} is {current}, expected a struct with field {step!r}"
            current = current.field(step).type
        trail.append(step)
    if pa.types.is_dictionary(current):
        current = current.value_type
    if not (pa.types.is_string(current) or pa.types.is_large_string(current) or pa.types.is_string_view(current)):
        return f"column {name!r}: {spell(trail)} is {current}, expected strings"
    return None


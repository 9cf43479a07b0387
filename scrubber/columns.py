"""Turn what a library caller hands a stage into a :class:`~scrubber.records.Batch`, or refuse it.

``datasets.map(batched=True)`` passes ``dict[str, list]``, Ray Data passes numpy arrays, pandas
DataFrames or pyarrow Tables depending on ``batch_format``, and people call stages by hand with
whatever they have. The CLI never comes here: its readers quarantine bad records to ``_rejects/``.
A library call has nowhere to quarantine to, so what cannot be scrubbed is refused with an error
naming the row of the batch, the column and the type — never the value, which may be personal data.
Passing such a value through would hand unscrubbed text on (a ``bytes`` or list-of-strings column
was silently left as it was); dropping it would change the row count behind the caller's back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from scrubber import textpath
from scrubber.errors import BatchError
from scrubber.records import DROP_COLUMN, SPANS_COLUMN, Batch

#: How a batch returned by a stage called as a function says "not dropped" in ``_scrubber_drop``.
KEPT = ""


def normalize_columns(columns: Any) -> dict[str, list[Any]]:
    """Plain lists per column from a mapping of lists, numpy arrays or pandas Series, a pandas
    DataFrame, or a pyarrow Table/RecordBatch (Ray's ``batch_format="pyarrow"``)."""
    if not isinstance(columns, Mapping) and hasattr(columns, "to_pydict"):  # pyarrow Table / RecordBatch
        columns = columns.to_pydict()
    if not hasattr(columns, "items"):
        raise BatchError(f"expected a columnar batch (a mapping of column name to values, a pandas "
                         f"DataFrame or a pyarrow Table), got {type(columns).__name__}")
    out: dict[str, list[Any]] = {}
    for name, values in columns.items():
        if isinstance(values, list):
            out[name] = values
        elif hasattr(values, "tolist") and getattr(values, "ndim", 1) >= 1:  # numpy array, pandas Series
            out[name] = values.tolist()
            if getattr(getattr(values, "dtype", None), "kind", "") == "O":  # objects: maybe arrays inside
                out[name] = [_plain(v) for v in out[name]]
        elif hasattr(values, "to_pylist"):  # pyarrow Array / ChunkedArray (list() would give Arrow scalars)
            out[name] = values.to_pylist()
        elif isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__iter__"):
            # One row's value, as datasets.map passes without batched=True; list("text") would
            # silently have become one row per character.
            raise BatchError(f"column {name!r} holds a single {type(values).__name__}, expected one value per "
                             f"row (a list): use datasets.map(..., batched=True), or pass {{{name!r}: [value]}}")
        else:
            out[name] = list(values)
    lengths = {name: len(values) for name, values in out.items()}
    if len(set(lengths.values())) > 1:
        raise BatchError(f"columns have different lengths: {lengths}")
    return out


def _plain(value: Any) -> Any:
    """``value`` with every array inside it (at any depth of lists and dicts) made a list: Ray's
    numpy batches hold nested values (a list of messages) as object arrays of arrays, which text
    paths (``messages[].content``) must read as JSON reads them."""
    if hasattr(value, "tolist") and hasattr(value, "dtype"):
        value = value.tolist()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def is_missing(value: Any) -> bool:
    """None, or the missing-value markers pandas and numpy put in an object or string column
    (``NaN``, ``pd.NA``): there is no text, so nothing to scrub."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value  # NaN
    return type(value).__name__ == "NAType"  # pandas.NA, without importing pandas


def library_batch(columns: Any, text_field: str, also_scrub: tuple[str, ...] = ()) -> Batch:
    """A batch for a stage or pipeline called as a function; raises :class:`BatchError` when the
    text column or an ``also_scrub`` column is absent or holds a value that is neither a string nor
    missing (for a text path, ``messages[].content``: a value that does not fit the path). The
    stages pass such a value on as it is, so it is refused here, where the CLI's readers would
    quarantine it; :func:`scrubber.stages.fields.run_stages` then trusts every row it is given."""
    normalized = normalize_columns(columns)
    if SPANS_COLUMN in normalized:
        normalized[SPANS_COLUMN] = [_decode_spans(row, value) for row, value in enumerate(normalized[SPANS_COLUMN])]
    if DROP_COLUMN in normalized:
        normalized[DROP_COLUMN] = [None if is_missing(v) or v == KEPT else str(v) for v in normalized[DROP_COLUMN]]
    _check_field(normalized, text_field, also=False)
    for name in also_scrub:
        _check_field(normalized, name, also=True)
    return Batch(normalized, text_field=text_field)


def _check_field(columns: dict[str, list[Any]], name: str, also: bool) -> None:
    """Refuse a field (the text field, or one of ``also_scrub`` when ``also``) whose column is
    absent, or a value in it that is no string (or, at a path, does not fit it); a missing value
    (None, NaN) has nothing to scrub and passes."""
    column = textpath.column(name)
    if column not in columns:
        hint = _dotted_hint(columns, name)
        if also:
            raise BatchError(f"also_scrub: the batch has no column {column!r}{hint} "
                             f"(columns: {', '.join(columns)})")
        present = ", ".join(map(repr, columns)) or "none"
        raise BatchError(f"the batch has no column {column!r}{hint} (columns: {present}); "
                         "name the text column with text_field=… (load_pipeline) or the stage's text_field")
    if textpath.is_path(name):
        for row, value in enumerate(columns[column]):
            if not is_missing(value) and (reason := textpath.problem(value, name)) is not None:
                raise BatchError(f"row {row} of the batch: {reason}")
        return
    what = "also_scrub column" if also else "text field"
    for row, value in enumerate(columns[name]):
        if not isinstance(value, str) and not is_missing(value):
            raise BatchError(f"row {row} of the batch: {what} {name!r} is {type(value).__name__}, "
                             "expected a string (or None for no text); it cannot be scrubbed, and passing it "
                             "on unchanged could pass personal data on")


def _dotted_hint(columns: dict[str, list[Any]], name: str) -> str:
    """For a dotted name that is no column (``meta.text``) while the part before the dot is a column
    of objects: how to write the path into it (:func:`textpath.dotted_hint`), judged on its first
    object; empty otherwise."""
    first = name.partition(".")[0]
    if "." not in name or first not in columns:
        return ""
    value = next((v for v in columns[first] if isinstance(v, dict)), None)
    return textpath.dotted_hint(name, textpath.json_children, value)


def _decode_spans(row: int, value: Any) -> list[Any]:
    if isinstance(value, str):
        return json.loads(value)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if hasattr(value, "tolist"):  # numpy array of span dicts (Ray's numpy batch format)
        return value.tolist()
    raise BatchError(f"row {row} of the batch: column {SPANS_COLUMN!r} is {type(value).__name__}, expected "
                     "the spans a stage wrote (JSON text or a list of span mappings)")


def library_output(columns: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """The columns a stage called as a function returns, with its reserved columns in types that
    stay the same from batch to batch, which ``datasets.map`` and Ray need to write them to Arrow.

    ``datasets`` fixes a column's type from the first batch written: a first batch without any span
    typed ``_scrubber_spans`` as a list of nulls and the first batch with a span then failed to cast;
    a ``_scrubber_drop`` column present only in batches where a row was dropped broke the table
    schema. So spans are JSON text per row (``"[]"`` for none) and ``_scrubber_drop`` is always there,
    with ``""`` for a row that is kept and the reason for one a stage dropped. Stages read both forms
    back (:func:`library_batch`), so two ``map`` calls can run detect, then transform.
    """
    n = len(next(iter(columns.values()), []))
    out = dict(columns)
    if SPANS_COLUMN in out:
        out[SPANS_COLUMN] = [json.dumps(row, separators=(",", ":")) for row in out[SPANS_COLUMN]]
    drops = out.get(DROP_COLUMN)
    out[DROP_COLUMN] = [KEPT if reason is None else reason for reason in drops] if drops is not None else [KEPT] * n
    return out

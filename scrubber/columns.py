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

from collections.abc import Mapping
from typing import Any

from scrubber import textpath
from scrubber.errors import BatchError
from scrubber.records import Batch


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
        elif isinstance(values, (str, bytes)):  # list("text") would silently become one row per character
            raise BatchError(f"column {name!r} is a single {type(values).__name__}, expected one value per "
                             f"row (a list); for one document pass {{{name!r}: [text]}}")
        elif hasattr(values, "tolist"):
            out[name] = values.tolist()
            if getattr(getattr(values, "dtype", None), "kind", "") == "O":  # objects: maybe arrays inside
                out[name] = [_plain(v) for v in out[name]]
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


def library_batch(columns: Any, text_field: str) -> Batch:
    """A batch for a stage or pipeline called as a function; raises :class:`BatchError` when the
    text column is absent or holds a value that is neither a string nor missing (for a text path,
    ``messages[].content``: a value that does not fit the path)."""
    normalized = normalize_columns(columns)
    column = textpath.steps(text_field)[0]
    if column not in normalized:
        present = ", ".join(map(repr, normalized)) or "none"
        raise BatchError(f"the batch has no column {column!r} (columns: {present}); "
                         "name the text column with text_field=… (load_pipeline) or the stage's text_field")
    if textpath.is_path(text_field):
        for row, value in enumerate(normalized[column]):
            if not is_missing(value) and (reason := textpath.problem(value, text_field)) is not None:
                raise BatchError(f"row {row} of the batch: {reason}")
        return Batch(normalized, text_field=text_field)
    for row, value in enumerate(normalized[text_field]):
        if not isinstance(value, str) and not is_missing(value):
            raise BatchError(f"row {row} of the batch: text field {text_field!r} is {type(value).__name__}, "
                             "expected a string (or None for no text); it cannot be scrubbed, and passing it "
                             "on unchanged could pass personal data on")
    return Batch(normalized, text_field=text_field)

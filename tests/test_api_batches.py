"""What a library caller may hand a stage or pipeline: every batch shape datasets, Ray and pandas
produce works; what cannot be scrubbed is refused with the row, column and type — never the value."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from scrubber.api import load_pipeline
from scrubber.detect.stage import DetectStage
from scrubber.errors import BatchError
from scrubber.records import DROP_COLUMN, SPANS_COLUMN

EMAIL = "jane.doe@gmail.com"
TEXT = f"Mail {EMAIL} now"


@pytest.fixture(scope="module")
def scrub():
    return load_pipeline(mode="fast")


@pytest.mark.parametrize("make", [
    lambda: {"text": [TEXT], "n": [1]},
    lambda: {"text": np.array([TEXT], dtype=object), "n": np.array([1])},
    lambda: {"text": np.array([TEXT]), "n": np.array([1])},  # numpy unicode dtype
    lambda: pd.DataFrame({"text": [TEXT], "n": [1]}),
    lambda: pa.table({"text": [TEXT], "n": [1]}),  # Ray batch_format="pyarrow", datasets with_format("arrow")
    lambda: pa.record_batch({"text": [TEXT], "n": [1]}),
    lambda: {"text": pa.chunked_array([[TEXT]]), "n": pa.array([1])},
], ids=["dict", "numpy-object", "numpy-unicode", "pandas", "arrow-table", "arrow-recordbatch", "arrow-arrays"])
def test_every_batch_format_is_scrubbed(scrub, make) -> None:
    out = scrub(make())
    assert out == {"text": ["Mail <EMAIL> now"], "n": [1]}


def test_every_streaming_stage_takes_a_missing_text() -> None:
    """passthrough counted len(None): TypeError."""
    from scrubber.stages.base import CorpusStage
    from scrubber.stages.registry import STAGES, stage_class

    options = {"drop_document": {"max_count": 0}, "detect": {"mode": "fast"}}
    for name in STAGES:
        cls = stage_class(name)
        if not issubclass(cls, CorpusStage):
            assert cls.from_config(options.get(name, {}))({"text": [None, TEXT]})["text"][0] is None, name


def test_missing_text_values_pass_through(scrub) -> None:
    out = scrub({"text": [None, "", TEXT, math.nan]})
    assert out["text"][:3] == [None, "", "Mail <EMAIL> now"] and math.isnan(out["text"][3])
    pandas_out = scrub(pd.DataFrame({"text": [TEXT, None]}))  # pandas may hold None as NaN or pd.NA
    assert pandas_out["text"][0] == "Mail <EMAIL> now" and pd.isna(pandas_out["text"][1])


@pytest.mark.parametrize("value", [EMAIL.encode(), [TEXT], 5, {"t": TEXT}], ids=["bytes", "list", "int", "dict"])
def test_text_that_is_not_a_string_is_refused_by_row_and_type(scrub, value) -> None:
    """It used to pass through unchanged: a bytes or list-of-strings value kept its e-mail address."""
    with pytest.raises(BatchError, match=rf"row 1 of the batch: text field 'text' is {type(value).__name__}") as err:
        scrub({"text": ["fine", value]})
    assert EMAIL not in str(err.value)
    detect = DetectStage.from_config({"mode": "fast"})
    with pytest.raises(BatchError, match="row 0 of the batch"):
        detect({"text": [value]})


def test_missing_text_column_names_the_columns_and_the_fix(scrub) -> None:
    with pytest.raises(BatchError, match=r"no column 'text' \(columns: 'content'\).*text_field"):
        scrub({"content": [TEXT]})
    assert load_pipeline(mode="fast", text_field="content")({"content": [TEXT]}) == {"content": ["Mail <EMAIL> now"]}


def test_a_bare_string_is_not_split_into_characters(scrub) -> None:
    with pytest.raises(BatchError, match=r"'text' holds a single str.*batched=True.*\{'text': \[value\]\}") as err:
        scrub({"text": TEXT})
    assert EMAIL not in str(err.value)


def test_map_without_batched_says_batched_true(scrub) -> None:
    """``ds.map(scrub)`` passes one row: ``{"id": 5, "text": "..."}`` (was TypeError: 'int' object is not iterable)."""
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"id": [5], "text": [TEXT]})
    with pytest.raises(BatchError, match=r"column 'id' holds a single int.*batched=True"):
        ds.map(scrub)
    with pytest.raises(BatchError, match=r"holds a single int"):
        scrub({"id": np.int64(5), "text": [TEXT]})


def test_ragged_columns_are_refused(scrub) -> None:
    with pytest.raises(BatchError, match=r"different lengths: \{'text': 2, 'id': 1\}"):
        scrub({"text": [TEXT, "b"], "id": [1]})


def test_not_a_batch_is_refused(scrub) -> None:
    with pytest.raises(BatchError, match=r"expected a columnar batch.*got list"):
        scrub([TEXT])


def test_empty_batch_and_single_stage_on_arrow() -> None:
    detect = DetectStage.from_config({"mode": "fast"})
    assert detect({"text": []}) == {"text": [], SPANS_COLUMN: [], DROP_COLUMN: []}
    spans = detect(pa.table({"text": [TEXT]}))[SPANS_COLUMN]
    assert [s["entity_type"] for s in json.loads(spans[0])] == ["EMAIL_ADDRESS"]

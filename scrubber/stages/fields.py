"""Run a pipeline's stages over a batch whose records hold more than one text to scrub.

Fine-tuning sets keep their text in several columns (``instruction``/``input``/``output``,
``prompt``/``response``); scrubbing only one would pass the others on with their personal data. The
streaming stages (detect, transform, drop_document) work on one text column, named by
``Batch.text_field``, and pass spans from one to the next in ``SPANS_COLUMN``. So each run of
consecutive streaming stages is repeated once per field, on a view of the same columns that names
that field, and each field's spans are kept apart between runs: a transform never applies one
field's spans to another field's text. Corpus-wide stages (dedup) read the main text field only:
what makes two records copies is their main text.

Invariant between runs: ``SPANS_COLUMN`` holds the main field's spans, as with one field, so every
stage and the caller see exactly what a one-field pipeline gives them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

from scrubber.errors import ShardError
from scrubber.records import SPANS_COLUMN, Batch
from scrubber.stages.base import CorpusStage, Stage


class StageFailed(Exception):
    """A stage raised: ``stage`` names it, ``__cause__`` is what it raised (its message may quote data,
    so the runner reports the type and place only)."""

    def __init__(self, stage: str) -> None:
        super().__init__(f"stage {stage!r} failed")
        self.stage = stage


def run_stages(stages: Sequence[Stage], batch: Batch, also_scrub: Sequence[str] = ()) -> Batch:
    """``batch`` through ``stages`` in order; streaming stages also scrub each field of ``also_scrub``.

    Raises :class:`StageFailed` from a stage's exception (a :class:`ShardError` passes as it is).
    """
    if not also_scrub:
        for stage in stages:
            batch = _run(stage, batch)
        return batch
    spans_of: dict[str, Any] = {}  # field -> its spans column between runs (main field: in the batch)
    for per_text, group in _runs(stages):
        if not per_text:
            for stage in group:
                batch = _run(stage, batch)
            continue
        main = batch.text_field
        main_spans = batch.columns.pop(SPANS_COLUMN, None)
        for name in also_scrub:
            view = _view(batch, name)
            _put_spans(view, spans_of.get(name))
            audit_before = len(view.meta.get("audit", ()))
            for stage in group:
                view = _run(stage, view)
            spans_of[name] = view.columns.pop(SPANS_COLUMN, None)
            for record in view.meta.get("audit", ())[audit_before:]:
                record["field"] = name  # where the offsets point; the main field's records carry none
            batch = _view(view, main)
        _put_spans(batch, main_spans)
        for stage in group:
            batch = _run(stage, batch)
    return batch


def _run(stage: Stage, batch: Batch) -> Batch:
    try:
        return stage.run(batch)
    except ShardError:
        raise
    except Exception as exc:
        raise StageFailed(stage.name) from exc


def _runs(stages: Sequence[Stage]) -> Iterator[tuple[bool, list[Stage]]]:
    """Consecutive stages split into runs of streaming stages and runs of corpus-wide ones."""
    for per_text, group in groupby(stages, key=lambda s: not isinstance(s, CorpusStage)):
        yield per_text, list(group)


def _view(batch: Batch, text_field: str) -> Batch:
    """The same rows, columns and metadata (shared, not copied), reading ``text_field`` as the text."""
    return Batch(batch.columns, text_field, batch.source, batch.shard_index, batch.first_row, batch.meta)


def _put_spans(batch: Batch, spans: Any) -> None:
    """Make ``spans`` (or no spans) the batch's spans column."""
    if spans is None:
        batch.columns.pop(SPANS_COLUMN, None)
    else:
        batch.columns[SPANS_COLUMN] = spans

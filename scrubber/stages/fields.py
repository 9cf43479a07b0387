"""Run a pipeline's stages over a batch whose records hold more than one text to scrub.

Fine-tuning sets keep their text in several columns (``instruction``/``input``/``output``,
``prompt``/``response``), in lists of messages (``messages[].content``) or in objects
(``meta["text"]``, see :mod:`scrubber.textpath`); scrubbing only one would pass the others on with their personal data.
The streaming stages (detect, transform, drop_document) work on one text column, named by
``Batch.text_field``, and pass spans from one to the next in ``SPANS_COLUMN``. So each run of
consecutive streaming stages is repeated once per field, on a view that names that field: the same
columns for a column, a batch of the strings at the path for a path (one row each). Each field's
spans are kept apart between runs, so a transform never applies one field's spans to another's
text. Corpus-wide stages (dedup) read the main text field only: what makes two records copies is
their main text; for a path, the path's strings joined into one per record (:func:`corpus_view`).
A corpus stage that rewrites text (``dedup_repeats``) works on a record's strings one by one
instead (:func:`record_strings`) and puts them back with :func:`put_strings`.

Invariant between runs: ``SPANS_COLUMN`` holds the main column's spans, as with one field, so every
stage and the caller see exactly what a one-field pipeline gives them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

from scrubber.errors import ShardError
from scrubber.records import DROP_COLUMN, SPANS_COLUMN, Batch
from scrubber.stages.base import CorpusStage, Stage
from scrubber.textpath import Leaf, is_path, leaves
from scrubber.textpath import column as path_column


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
    main = batch.text_field
    if not also_scrub and not is_path(main):
        for stage in stages:
            batch = _run(stage, batch)
        return batch
    spans_of: dict[str, Any] = {}  # field -> its spans between runs (a main column's: in the batch)
    for per_text, group in _runs(stages):
        if not per_text:
            view = corpus_view(batch)
            for stage in group:
                view = _run(stage, view)
            if view is not batch:  # what a corpus stage may change: drops, and the strings at the path
                for column in (DROP_COLUMN, path_column(main)):
                    if column in view.columns:
                        batch.columns[column] = view.columns[column]
            continue
        main_spans = None if is_path(main) else batch.columns.pop(SPANS_COLUMN, None)
        for name in (*also_scrub, main):
            if is_path(name):
                spans_of[name] = _run_on_path(group, batch, name, spans_of.get(name))
            elif name != main:
                view = _view(batch, name)
                _put_spans(view, spans_of.get(name))
                audit_before = len(view.meta.get("audit", ()))
                for stage in group:
                    view = _run(stage, view)
                spans_of[name] = view.columns.pop(SPANS_COLUMN, None)
                for record in view.meta.get("audit", ())[audit_before:]:
                    record["field"] = name  # where the offsets point; the main column's records carry none
                batch = _view(view, main)
            else:
                _put_spans(batch, main_spans)
                for stage in group:
                    batch = _run(stage, batch)
    return batch


def _run_on_path(group: list[Stage], batch: Batch, name: str, spans: Any) -> Any:
    """Run ``group`` over the strings at path ``name``, one row each, and put the results back:
    texts (in a copy of each changed record's value: the input objects stay as they were), drops
    (on the record), audit records (with the record's row and the string's path). Returns the
    strings' spans for the next run. Records dropped earlier keep their rows here (marked dropped,
    so no stage reads them), which keeps the strings, and so their spans, in the same order."""
    column = batch.columns[path_column(name)]  # every value fits the path: checked by the CLI's readers
    found = list(leaves(column, name))      # or, for a library batch, by scrubber.columns.library_batch
    columns: dict[str, list[Any]] = {name: [leaf.value for leaf in found]}
    drops = batch.columns.get(DROP_COLUMN)
    if drops is not None:
        columns[DROP_COLUMN] = [drops[leaf.row] for leaf in found]
    if spans is not None:
        columns[SPANS_COLUMN] = spans
    view = Batch(columns, name, batch.source, batch.shard_index, 0, {})
    for stage in group:
        view = _run(stage, view)
    _put_back(batch, name, found, view.columns[name])
    for leaf, reason in zip(found, view.columns.get(DROP_COLUMN) or (), strict=False):
        if reason is not None:
            batch.mark_dropped(leaf.row, reason)
    audit = view.meta.get("audit")
    if audit:
        into = batch.meta.setdefault("audit", [])
        for record in audit:
            leaf = found[record["row"]]
            into.append({**record, "row": batch.first_row + leaf.row, "field": leaf.where})
    return view.columns.get(SPANS_COLUMN)


def _put_back(batch: Batch, name: str, found: list[Leaf], texts: list[Any]) -> None:
    """Write the changed strings at path ``name`` into copies of their records' values, in a new
    column list."""
    column_name = path_column(name)
    changed: dict[int, list[tuple[int, Any]]] = {}
    for index, (leaf, text) in enumerate(zip(found, texts, strict=True)):
        if text is not leaf.value:
            changed.setdefault(leaf.row, []).append((index, text))
    if not changed:
        return
    first_of_row: dict[int, int] = {}
    for index, leaf in enumerate(found):
        first_of_row.setdefault(leaf.row, index)
    column = list(batch.columns[column_name])
    for row, edits in changed.items():
        column[row] = _copy_with(column[row], name, [(index - first_of_row[row], text) for index, text in edits])
    batch.columns[column_name] = column


def _copy_with(value: Any, name: str, edits: list[tuple[int, Any]], strings_only: bool = False) -> Any:
    """A deep copy of one record's value with its leaves at path ``name`` numbered ``index`` (in path
    order; among the string leaves only when ``strings_only``, and then ``edits`` must give each of
    them) set to the texts given. A copy, so the object read stays as it was and an unchanged record
    is still seen as unchanged."""
    value = copy.deepcopy(value)
    slots = [leaf for leaf in leaves([value], name) if not strings_only or isinstance(leaf.value, str)]
    if strings_only and len(edits) != len(slots):
        raise ValueError(f"{len(edits)} strings for the {len(slots)} at {name}")
    for index, text in edits:
        slot = slots[index]
        slot.container[slot.key] = text
    return value


def corpus_view(batch: Batch) -> Batch:
    """What corpus-wide stages read: the batch itself, or, when the main text is a path, the same
    columns plus one string per record, the strings at the path joined by newlines (what makes two
    chats copies is their messages). Drops marked on it must be copied back (a new column dict)."""
    name = batch.text_field
    if not is_path(name):
        return batch
    column = batch.columns[path_column(name)]
    joined: list[list[str]] = [[] for _ in column]
    for leaf in leaves(column, name):
        if isinstance(text := leaf.value, str):
            joined[leaf.row].append(text)
    columns = {**batch.columns, name: ["\n".join(texts) for texts in joined]}
    return Batch(columns, name, batch.source, batch.shard_index, batch.first_row, batch.meta)


def record_strings(batch: Batch, rows: Sequence[int]) -> list[list[str]]:
    """Per row of ``rows``, the strings of the main text field one by one: ``[text]`` for a column, the
    strings at the path in order for a path (nulls left out: they hold no text). For a corpus stage
    that rewrites text: cutting each message on its own keeps every cut inside one message."""
    name = batch.text_field
    if not is_path(name):
        texts = batch.columns[name]
        return [[texts[row]] for row in rows]
    column = batch.columns[path_column(name)]
    return [[t for leaf in leaves([column[row]], name) if isinstance(t := leaf.value, str)] for row in rows]


def put_strings(batch: Batch, edited: dict[int, list[str]]) -> None:
    """Put rewritten strings back: ``edited`` maps a row to its strings as :func:`record_strings` gave
    them (same number, same order). A column's text is replaced in place. At a path, each edited
    record gets a copy of its value with the strings set in their places (the objects read stay as
    they were, so an unchanged record is still seen as unchanged), nulls and every other key kept,
    and a :func:`corpus_view`'s joined text is updated too, for the corpus stages after this one."""
    name = batch.text_field
    if not is_path(name):
        texts = batch.columns[name]
        for row, (text,) in edited.items():
            texts[row] = text
        return
    column_name = path_column(name)
    column = list(batch.columns[column_name])
    joined = list(batch.columns[name]) if name in batch.columns else None
    for row, texts in edited.items():
        column[row] = _copy_with(column[row], name, list(enumerate(texts)), strings_only=True)
        if joined is not None:
            joined[row] = "\n".join(texts)
    batch.columns[column_name] = column
    if joined is not None:
        batch.columns[name] = joined


def field_texts(batch: Batch, name: str) -> list[str]:
    """The strings of field ``name`` in the batch: a column's, or those at a path (nulls left out)."""
    if is_path(name):
        return [t for leaf in leaves(batch.columns[path_column(name)], name) if isinstance(t := leaf.value, str)]
    return [t for t in batch.columns[name] if isinstance(t, str)]


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


def _run(stage: Stage, batch: Batch) -> Batch:
    try:
        return stage.run(batch)
    except ShardError:
        raise
    except Exception as exc:
        raise StageFailed(stage.name) from exc

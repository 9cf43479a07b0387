"""Use scrubber's streaming stages inside your own pipeline (``datasets.map``, Ray Data, plain Python).

:func:`load_pipeline` builds the same stages the CLI runs, from the same config file, validated the
same way, and returns one callable on a columnar batch::

    scrub = load_pipeline(mode="fast")
    dataset = dataset.map(scrub, batched=True)

Corpus-wide stages (dedup) need to see every shard before deciding anything, which a per-batch
``map`` cannot offer: use ``scrubber run`` (local or ``--engine ray``) for those.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from scrubber.columns import library_batch, library_output
from scrubber.config import config_from_mapping, load_config
from scrubber.errors import ConfigError
from scrubber.records import DROP_COLUMN, RESERVED_COLUMNS, Batch
from scrubber.stages.base import CorpusStage, Stage
from scrubber.stages.fields import StageFailed, run_stages
from scrubber.stages.registry import stage_class

#: The library default: the streaming part of the CLI's default pipeline.
LIBRARY_PIPELINE = ("detect", "transform")
#: How errors name settings given to :func:`load_pipeline` (there is no file or command line).
LIBRARY_SOURCE = "load_pipeline()"


class Pipeline:
    """Streaming stages applied in order to a columnar batch; dropped rows are removed at the end.

    Picklable without its models (each stage reloads them once per process), so ``datasets`` can
    fingerprint it and ``num_proc``/Ray workers can receive it cheaply.
    """

    def __init__(self, stages: list[Stage], text_field: str = "text", keep_dropped: bool = False,
                 also_scrub: tuple[str, ...] = ()) -> None:
        corpus = [s.name for s in stages if isinstance(s, CorpusStage)]
        if corpus:
            raise ConfigError(
                f"stage(s) {', '.join(corpus)} are corpus-wide and cannot run inside a per-batch map; "
                "run them with `scrubber run` (or --engine ray), or leave them out of this pipeline"
            )
        self.stages = stages
        self.text_field = text_field
        self.keep_dropped = keep_dropped
        #: More text columns every stage scrubs besides ``text_field`` (``prompt``, ``instruction``).
        self.also_scrub = tuple(also_scrub)

    def run(self, batch: Batch) -> Batch:
        try:
            return run_stages(self.stages, batch, self.also_scrub)
        except StageFailed as exc:
            raise exc.__cause__ or exc from None  # the caller's own exception, as a stage raised it

    def __call__(self, columns: Any) -> dict[str, list[Any]]:
        """Scrub one columnar batch: a mapping of column to values (lists, numpy arrays, pandas
        Series), a pandas DataFrame or a pyarrow Table. Raises ``BatchError`` on a text value it
        cannot scrub (see :mod:`scrubber.columns`)."""
        batch = self.run(library_batch(columns, self.text_field, self.also_scrub))
        drops = batch.columns.get(DROP_COLUMN)
        if drops is not None and not self.keep_dropped:
            batch = batch.select([i for i, reason in enumerate(drops) if reason is None])
        if self.keep_dropped:  # the drop column in every batch, typed the same (see library_output)
            return library_output({k: v for k, v in batch.columns.items()
                                   if k not in RESERVED_COLUMNS or k == DROP_COLUMN})
        return batch.without_reserved()

    def counters(self) -> dict[str, dict[str, Any]]:
        """Per-stage counters since the last call (reset on read)."""
        return {s.name: s.take_counters() for s in self.stages}


def load_pipeline(
    config: str | Path | None = None, *, mode: str | None = None, operator: str | None = None,
    text_field: str | None = None, key: bytes | bytearray | memoryview | str | None = None,
    keep_dropped: bool = False, also_scrub: tuple[str, ...] | list[str] | None = None,
) -> Pipeline:
    """Build the streaming pipeline from a config file (or the library default: detect + transform).

    ``key`` (bytes or str, at least 16 bytes) is needed by the hash and pseudonymize operators and the
    audit; when omitted the ``SCRUBBER_KEY`` environment variable is used, as in the CLI. A key given
    here is checked like the CLI's: an empty or short one would make every surrogate guessable.
    ``also_scrub`` names more text columns to scrub (``["instruction", "input"]``), as ``also_scrub``
    in a config file does. ``keep_dropped``: return the rows a stage dropped (``drop_document``, or
    ``detect`` after a recognizer failure) too, with the reason in ``_scrubber_drop`` (``""`` for kept
    rows); by default they are removed from the batch.
    """
    overrides = {"mode": mode, "operator": operator, "text_field": text_field,
                 "also_scrub": tuple(also_scrub) if also_scrub is not None else None}
    if config is None:
        run_config = config_from_mapping({"pipeline": list(LIBRARY_PIPELINE)}, LIBRARY_SOURCE, Path.cwd(),
                                         overrides, overrides_source=LIBRARY_SOURCE)
    else:
        run_config = load_config(config, overrides, overrides_source=LIBRARY_SOURCE)
    corpus = [spec.name for spec in run_config.pipeline if issubclass(stage_class(spec.name), CorpusStage)]
    if corpus:  # before building them: a corpus stage's constructor would only ask for a state folder
        raise ConfigError(
            f"{run_config.source}: stage(s) {', '.join(corpus)} are corpus-wide and cannot run inside a "
            "per-batch map; run them with `scrubber run` (or --engine ray), or leave them out of this pipeline"
        )
    settings = run_config.settings
    return Pipeline(run_config.build_stages(library_key(key)), settings.text_field, keep_dropped,
                    settings.also_scrub)


def library_key(key: bytes | bytearray | memoryview | str | None) -> bytes | None:
    """The key as bytes, checked like ``--key-file``/``$SCRUBBER_KEY`` (same minimum length); None
    falls back to ``$SCRUBBER_KEY``. A wrong type is refused here rather than deep inside ``hmac``."""
    from scrubber.transform.keys import checked_key, load_key

    if key is None:
        return load_key(None, os.environ)
    if isinstance(key, str):
        raw = key.encode("utf-8")
    elif isinstance(key, (bytes, bytearray, memoryview)):
        raw = bytes(key)  # a copy: a bytearray changed later must not change the surrogates
    else:
        raise TypeError(f"load_pipeline(key=...): expected bytes or str, got {type(key).__name__}")
    return checked_key(raw, "load_pipeline(key=...)")

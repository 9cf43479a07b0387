"""The one contract every stage implements.

A *stage* has one job and is called on a :class:`~scrubber.records.Batch`. Two kinds exist:

* :class:`Stage` — streaming and stateless: ``process(batch)`` is a pure function of the batch (and
  of the options, rules and key it was built with). Any number of copies may run in any process.
* :class:`CorpusStage` — stateful, corpus-wide (dedup). It sees the whole corpus in an *index* pass
  (``index`` per batch, partial state written per shard under ``state_dir``), merges that state once
  in ``resolve``, then ``process`` filters batches with the resolved decisions. Its state lives only
  on disk under ``state_dir``, so every worker, a rerun, or a Ray actor reads the same decisions.

The same object is callable as ``stage(columns) -> columns`` so that ``datasets.Dataset.map(
batched=True)`` and ``ray.data.Dataset.map_batches`` can use it directly. Heavy resources (spaCy
models, compiled rules) are loaded by ``setup()`` on first use and are never pickled, so shipping a
stage to a worker process or a Ray actor is cheap and each worker loads its resources once.
"""

from __future__ import annotations

import json
import os
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from scrubber.columns import library_batch, library_output
from scrubber.records import Batch


@dataclass(frozen=True, slots=True)
class StageContext:
    """What a stage may need beyond its own options; built once per run by the runner.

    ``key`` is the secret for keyed operators (hash, pseudonymize); it is never logged or written.
    ``state_dir`` is where a :class:`CorpusStage` keeps its on-disk state (``None`` for library use
    of streaming stages). ``rules_dir`` is the folder of user-editable YAML rules.
    """

    text_field: str = "text"
    rules_dir: Path = field(default_factory=lambda: default_rules_dir())
    key: bytes | None = field(default=None, repr=False)
    state_dir: Path | None = None
    workers: int = 1


def default_rules_dir() -> Path:
    """The default rules: the copy inside an installed wheel (``scrubber/data/rules``), else the
    ``rules/`` folder of the repository checkout the package runs from."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "data" / "rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


class Stage(ABC):
    """A streaming stage: ``process`` is a pure function of one batch.

    Subclasses set ``name`` (the key used in config files) and ``Options`` (a frozen dataclass whose
    fields are the stage's config keys; :mod:`scrubber.options` validates user input against it).
    Counters are plain integers named ``<what>`` (the runner prefixes the stage name); every row a
    stage removes or alters must be counted with a reason.
    """

    name: ClassVar[str] = "stage"
    Options: ClassVar[type] = type(None)
    #: Attributes rebuilt by ``setup`` in each process instead of being pickled.
    transient: ClassVar[tuple[str, ...]] = ()

    def __init__(self, options: Any = None, context: StageContext | None = None) -> None:
        self.options = options if options is not None else self.default_options()
        self.context = context or StageContext()
        self.counters: Counter[str] = Counter()
        self.seconds = 0.0
        self._ready = False

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def default_options(cls) -> Any:
        return cls.Options() if cls.Options is not type(None) else None

    @classmethod
    def from_config(cls, options: Mapping[str, Any] | None = None, **context: Any) -> Stage:
        """Build from a plain mapping, validated exactly as the YAML config is (library use)."""
        from scrubber.options import parse_options

        opts = parse_options(cls.Options, dict(options or {}), where=f"stage '{cls.name}'", key_sep=": ")
        return cls(opts, StageContext(**context))

    # -- lifecycle ----------------------------------------------------------------------------
    def setup(self) -> None:
        """Load heavy resources (models, compiled rules). Called once per process before use."""

    def ensure_setup(self) -> None:
        if not self._ready:
            self.setup()
            self._ready = True

    @abstractmethod
    def process(self, batch: Batch) -> Batch:
        """Return the transformed batch (may be the same object, mutated)."""

    def run(self, batch: Batch) -> Batch:
        """``process`` with setup, timing and the ``docs_in`` counter: what the runner calls."""
        self.ensure_setup()
        started = time.perf_counter()
        out = self.process(batch)
        self.seconds += time.perf_counter() - started
        return out

    def take_counters(self) -> dict[str, Any]:
        """Return and reset this stage's counters and seconds (per shard in the runner)."""
        out: dict[str, Any] = dict(sorted(self.counters.items()))
        out["seconds"] = round(self.seconds, 6)
        self.counters.clear()
        self.seconds = 0.0
        return out

    # -- library entry point --------------------------------------------------------------------
    def __call__(self, columns: Any) -> dict[str, list[Any]]:
        """Columnar call for ``datasets.map(batched=True)`` and ``ray.data.map_batches`` (any batch
        format they use; see :func:`scrubber.columns.library_batch` for what is refused). Rows are
        marked, never removed: ``_scrubber_drop`` holds ``""`` for a kept row, else the reason (see
        :func:`scrubber.columns.library_output`); ``scrubber.api.load_pipeline`` removes them."""
        return library_output(self.run(library_batch(columns, self.context.text_field)).columns)

    # -- pickling: ship options, not models ------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        """Options and context without the models; plus what the pickle must change with although
        the stage only reads it in ``setup``: the rules files' digest and scrubber's version.
        ``datasets.map`` fingerprints a callable by pickling it, so without them an edited rules file
        or an upgrade would return the cached output of the old rules or code."""
        from scrubber import __version__
        from scrubber.rules_files import cached_rules_digest

        state = dict(self.__dict__)
        for name in self.transient:
            state.pop(name, None)
        state["_ready"] = False
        state["counters"] = Counter()
        state["seconds"] = 0.0
        state["_rules_digest"] = cached_rules_digest(self.context.rules_dir)
        state["_version"] = __version__
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


class CorpusStage(Stage):
    """A stateful, corpus-wide stage (dedup). State lives under ``context.state_dir``.

    Protocol, driven by a runner (local or Ray):

    1. For every shard, in any worker: ``begin_shard(shard_index)``, ``index(batch)`` for each of
       its batches in row order, ``end_shard()``. ``end_shard`` must leave the shard's partial
       state complete on disk (write to a temporary name, then rename); the runner then records
       the shard as indexed with :meth:`mark_indexed`, so a rerun skips it.
    2. Once, after every shard is indexed: ``resolve()`` merges the partial state into decisions
       (deterministic: it must not depend on which worker indexed which shard or in what order),
       then :meth:`mark_resolved`.
    3. ``process(batch)`` applies the decisions. It only reads state, so it may run anywhere.
    """

    #: Whether ``process`` rewrites texts (cuts passages out), not only marks rows dropped. Spans a
    #: detect stage found before it would then point at other characters, so the config refuses such a
    #: stage after ``detect`` (:func:`scrubber.config.check_stage_order`).
    edits_text: ClassVar[bool] = False

    def __init__(self, options: Any = None, context: StageContext | None = None) -> None:
        super().__init__(options, context)
        if self.context.state_dir is None:
            raise ValueError(
                f"stage '{self.name}' keeps corpus-wide state and needs a state folder "
                "(StageContext.state_dir); the CLI sets it to OUT/_scrubber/state/"
            )

    @property
    def state_dir(self) -> Path:
        assert self.context.state_dir is not None  # checked in __init__
        return self.context.state_dir

    @abstractmethod
    def begin_shard(self, shard_index: int) -> None:
        """Start collecting partial state for one shard."""

    @abstractmethod
    def index(self, batch: Batch) -> None:
        """Record what ``resolve`` needs about the rows of ``batch`` (never raw text)."""

    @abstractmethod
    def end_shard(self) -> None:
        """Flush the shard's partial state atomically."""

    @abstractmethod
    def resolve(self) -> None:
        """Merge every shard's partial state into decisions on disk."""

    # -- bookkeeping shared by every corpus stage --------------------------------------------
    def _marker(self, name: str) -> Path:
        return self.state_dir / "_done" / name

    def is_indexed(self, shard_index: int) -> bool:
        return self._marker(f"shard-{shard_index:06d}").exists()

    def mark_indexed(self, shard_index: int, info: Mapping[str, Any] | None = None) -> None:
        write_marker(self._marker(f"shard-{shard_index:06d}"), info or {})

    def is_resolved(self) -> bool:
        return self._marker("resolved").exists()

    def mark_resolved(self, info: Mapping[str, Any] | None = None) -> None:
        write_marker(self._marker("resolved"), info or {})


def write_marker(path: Path, info: Mapping[str, Any]) -> None:
    """Atomically write a small JSON marker (temporary name, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(dict(info), fh, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)

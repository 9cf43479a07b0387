"""Work on one shard: the unit a worker process (or a Ray task) executes.

Two kinds of work exist. ``index_shard`` feeds one corpus-wide stage's index pass (the shard goes
through the stages before it, then ``stage.index``). ``scrub_shard`` runs the whole pipeline and
writes the output shard plus its sidecars (quarantine, dropped index, audit), all atomically, then
the done marker. Stages are built once per process and reused for every shard it handles.
"""

from __future__ import annotations

import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrubber.config import RunConfig
from scrubber.errors import ShardError
from scrubber.io.outfs import OutPath, write_json
from scrubber.io.readers import RawBatch, arrow_schema, read_shard
from scrubber.io.shards import ShardSpec
from scrubber.io.writers import JsonlSidecar, open_writer, remove_stale_temps
from scrubber.records import DROP_COLUMN, Batch
from scrubber.runner.manifest import OutputLayout, input_identity
from scrubber.runner.progress import Counters
from scrubber.runner.unchanged import ReadSnapshot
from scrubber.stages.base import CorpusStage, Stage
from scrubber.stages.fields import StageFailed, corpus_view, field_texts, run_stages


@dataclass(slots=True)
class Job:
    """Everything a worker needs, picklable; the key travels in memory only."""

    config: RunConfig
    out_dir: OutPath
    fingerprint: str
    key: bytes | None = field(default=None, repr=False)
    #: Local folder for dedup state (``--state-dir``); ``None``: ``OUT/_scrubber/state`` (local OUT only).
    state_dir: Path | None = None

    @property
    def layout(self) -> OutputLayout:
        return OutputLayout(self.out_dir, self.state_dir)


@dataclass(slots=True)
class ShardResult:
    relpath: str
    ok: bool
    counters: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None
    skipped: bool = False


_STAGE_CACHE: dict[tuple[str, str, str], list[Stage]] = {}


def stages_for(job: Job, phase: str = "main") -> list[Stage]:
    """The pipeline for this job and pass, built once per process (models load once per worker).

    Each pass gets fresh stage objects: a corpus stage built during an index pass has not seen the
    resolved decisions, so the scrub pass must not reuse it. The output folder is part of the key:
    corpus stages keep their state under it, so two runs of one config in one process (library use,
    tests, a Ray driver after a local run) must not share stage objects.
    """
    cache_key = (job.fingerprint, f"{job.out_dir}|{job.state_dir}", phase)
    stages = _STAGE_CACHE.get(cache_key)
    if stages is None:
        stages = job.config.build_stages(job.key, job.layout.state)
        _STAGE_CACHE.clear()
        _STAGE_CACHE[cache_key] = stages
    return stages


def text_bytes(texts: list[str]) -> int:
    """UTF-8 size of the texts; an ASCII text's is its length (known without encoding it)."""
    return sum(len(t) if t.isascii() else len(t.encode("utf-8", "surrogatepass")) for t in texts)


def fields_bytes(batch: Batch, also_scrub: tuple[str, ...]) -> int:
    """UTF-8 size of the batch's texts: the main field's and each ``also_scrub`` field's strings."""
    if not also_scrub and batch.text_field in batch.columns:
        return text_bytes(batch.texts)
    return sum(text_bytes(field_texts(batch, name)) for name in (batch.text_field, *also_scrub))


def make_batch(raw: RawBatch, spec: ShardSpec, shard_index: int, first_row: int, text_field: str) -> Batch:
    return Batch(raw.columns, text_field, spec.relpath, shard_index, first_row)


def _describe_failure(exc: BaseException, stage: str | None) -> str:
    """Name the exception type and where it was raised — never its message, which may quote data."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    inside = f" in stage {stage!r}" if stage else ""
    return f"internal error{inside}: {type(exc).__name__}{where}"


def index_shard(job: Job, spec: ShardSpec, shard_index: int, stage_pos: int, progress: Counters) -> ShardResult:
    """Feed one shard to the corpus stage at ``stage_pos`` (after the stages before it)."""
    stages = stages_for(job, f"index-{stage_pos}")
    target = stages[stage_pos]
    assert isinstance(target, CorpusStage)
    settings = job.config.settings
    row = 0
    current: str | None = None
    try:
        target.ensure_setup()
        target.begin_shard(shard_index)
        last_bytes = 0
        for raw in read_shard(spec, settings.text_field, settings.batch_size, settings.also_scrub):
            batch = make_batch(raw, spec, shard_index, row, settings.text_field)
            row += len(batch)
            batch = run_stages(stages[:stage_pos], batch, settings.also_scrub)  # the same drops as in scrub
            current = target.name
            started = time.perf_counter()
            target.index(corpus_view(batch))
            target.seconds += time.perf_counter() - started
            current = None
            progress.add(len(batch) + len(raw.rejects), raw.bytes_read - last_bytes)  # records read, as in scrub
            last_bytes = raw.bytes_read
        target.end_shard()
        target.mark_indexed(shard_index, {"relpath": spec.relpath, "docs": row})
    except ShardError as exc:
        return ShardResult(spec.relpath, False, error=exc.reason)
    except StageFailed as exc:
        return ShardResult(spec.relpath, False, error=_describe_failure(exc.__cause__ or exc, exc.stage))
    except Exception as exc:  # a bug in a stage must not take the other shards down
        return ShardResult(spec.relpath, False, error=_describe_failure(exc, current))
    for stage in stages[:stage_pos]:
        stage.take_counters()  # earlier stages re-run here; their work is reported by the scrub pass
    index_seconds = target.take_counters().get("seconds", 0.0)
    return ShardResult(spec.relpath, True, stages={job.config.pipeline[stage_pos].label: {
        "index_seconds": round(index_seconds, 6)}})


def scrub_shard(job: Job, spec: ShardSpec, shard_index: int, progress: Counters) -> ShardResult:
    """Run the whole pipeline over one shard and publish its output atomically."""
    layout = job.layout
    settings = job.config.settings
    stages = stages_for(job, "scrub")
    started = time.perf_counter()
    final = layout.output(spec)
    sidecars = {
        "rejects": JsonlSidecar(layout.rejects(spec)),
        "dropped": JsonlSidecar(layout.dropped(spec)),
        "audit": JsonlSidecar(layout.audit(spec)),
    }
    for path in (final, *(s.final for s in sidecars.values())):
        remove_stale_temps(path)
    counts: Counter[str] = Counter()
    writer = None
    try:
        identity = input_identity(spec)
        writer = open_writer(spec, final, arrow_schema(spec))
        row = 0
        last_bytes = 0
        for raw in read_shard(spec, settings.text_field, settings.batch_size, settings.also_scrub):
            for reject in raw.rejects:
                sidecars["rejects"].add(reject.to_dict())
            counts["quarantined"] += len(raw.rejects)
            batch = make_batch(raw, spec, shard_index, row, settings.text_field)
            n = len(batch)
            if n:
                counts["docs_in"] += n
                counts["bytes_in"] += fields_bytes(batch, settings.also_scrub)
                read = ReadSnapshot(raw.columns, raw.lines) if raw.lines is not None else None
                batch = run_stages(stages, batch, settings.also_scrub)
                verbatim = read.unchanged_lines(batch) if read is not None else None
                _write_batch(batch, row, writer, sidecars, counts, verbatim, settings.also_scrub)
            row += n
            progress.add(n + len(raw.rejects), raw.bytes_read - last_bytes)
            last_bytes = raw.bytes_read
        for name in ("rejects", "dropped", "audit"):
            sidecars[name].commit()
        writer.commit()
    except ShardError as exc:
        _abort(writer, sidecars)
        return ShardResult(spec.relpath, False, error=exc.reason)
    except StageFailed as exc:
        _abort(writer, sidecars)
        return ShardResult(spec.relpath, False, error=_describe_failure(exc.__cause__ or exc, exc.stage))
    except Exception as exc:
        _abort(writer, sidecars)
        return ShardResult(spec.relpath, False, error=_describe_failure(exc, None))
    stage_counters = {_label(job, i): s.take_counters() for i, s in enumerate(stages)}
    counts["seconds"] = round(time.perf_counter() - started, 6)  # type: ignore[assignment]
    result = ShardResult(spec.relpath, True, dict(sorted(counts.items())), stage_counters)
    write_json(layout.marker(spec), {
        "relpath": spec.relpath,
        "config": job.fingerprint,
        "input": identity,
        "counters": result.counters,
        "stages": result.stages,
    })
    return result


def _label(job: Job, index: int) -> str:
    return job.config.pipeline[index].label


def _write_batch(batch: Batch, first_row: int, writer: Any, sidecars: dict[str, JsonlSidecar],
                 counts: Counter[str], verbatim: list[bytes | None] | None = None,
                 also_scrub: tuple[str, ...] = ()) -> None:
    """Split kept and dropped rows; kept rows go to the shard, dropped ones to the dropped index."""
    drops = batch.columns.get(DROP_COLUMN)
    keep = list(range(len(batch)))
    if drops is not None:
        keep = [i for i, reason in enumerate(drops) if reason is None]
        for i, reason in enumerate(drops):
            if reason is not None:
                sidecars["dropped"].add({"row": first_row + i, "reason": reason})
                counts["docs_dropped"] += 1
                counts[f"dropped_{reason}"] += 1
    for record in batch.meta.get("audit", ()):
        sidecars["audit"].add(record)
    kept = batch if len(keep) == len(batch) else batch.select(keep)
    if verbatim is not None and len(kept) != len(batch):
        verbatim = [verbatim[i] for i in keep]
    columns = kept.without_reserved()
    if len(kept):
        writer.write_rows(columns, verbatim)
    counts["docs_out"] += len(kept)
    counts["bytes_out"] += fields_bytes(kept, also_scrub)


def _abort(writer: Any, sidecars: dict[str, JsonlSidecar]) -> None:
    for sidecar in sidecars.values():
        sidecar.abort()
    if writer is not None:
        writer.abort()

"""The local engine: run a pipeline over shards with N worker processes on one machine.

Passes, in order:

1. For each corpus-wide stage (dedup), unless already resolved: index every shard not yet indexed
   (in parallel), then ``resolve`` once in this process.
2. The scrub pass: every shard without a valid done marker goes through the whole pipeline and is
   written atomically.

Each shard is handled by exactly one worker from start to end and batches are cut from the shard
alone, so output bytes never depend on the number of workers or the order shards finish in.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import scrubber
from scrubber import process
from scrubber.config import RunConfig
from scrubber.errors import ConfigError, ResumeConflict, ScrubberError
from scrubber.io.outfs import OutPath, output_location, publish
from scrubber.io.shards import HF_DICT, HF_INFO, HF_STATE, ShardSpec, discover, split_location
from scrubber.io.writers import JsonlSidecar
from scrubber.runner import report as reporting
from scrubber.runner.manifest import OutputLayout, check_resume, read_marker, shard_is_done
from scrubber.runner.progress import Counters, ProgressDisplay
from scrubber.runner.shard import Job, ShardResult, index_shard, scrub_shard, stages_for
from scrubber.stages.base import CorpusStage, Stage
from scrubber.stages.registry import stage_class


@dataclass(frozen=True, slots=True)
class RunOutcome:
    report: dict[str, Any]
    exit_code: int  # 0 all shards done; 1 some shard failed


_WORKER_PROGRESS: Counters | None = None

#: Given (shard index, shard), the function a worker runs and its arguments.
TaskFactory = Callable[[int, ShardSpec], tuple[Callable[..., ShardResult], tuple]]


def _init_worker(progress: Counters, parent: int | None = None) -> None:
    """Set up a worker process; ``parent`` is the main process's pid when this is a pool worker."""
    global _WORKER_PROGRESS
    process.prepare()  # a worker is scrubber's own process (see scrubber.process)
    _WORKER_PROGRESS = progress
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent,), name="scrubber-parent-watch",
                         daemon=True).start()


def _exit_with_parent(parent: int, interval: float = 0.5) -> None:
    """End this worker once the main process is gone.

    A pool worker only learns of its parent's death through the task queue, and it holds that
    queue's write end itself, so after a SIGKILL of the main process (OOM killer, kill -9) it would
    wait for tasks forever, holding its models' memory, or finish its shard into OUT while a rerun
    works there. Its half-written temporary file is deleted by the next run, as after any crash.
    """
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _index_task(job: Job, spec: ShardSpec, index: int, stage_pos: int) -> ShardResult:
    assert _WORKER_PROGRESS is not None
    return index_shard(job, spec, index, stage_pos, _WORKER_PROGRESS)


def _scrub_task(job: Job, spec: ShardSpec, index: int) -> ShardResult:
    assert _WORKER_PROGRESS is not None
    return scrub_shard(job, spec, index, _WORKER_PROGRESS)


def check_output_location(inputs: list[str], out_dir: OutPath) -> None:
    """The output folder must not lie inside an input folder (it would be read back as input)."""
    if not isinstance(out_dir, Path):
        for item in inputs:
            protocol, path = split_location(item)
            if protocol == out_dir.protocol and (out_dir.path + "/").startswith(path.rstrip("/") + "/"):
                raise ConfigError(f"output folder {out_dir} is inside input folder {item}; choose another")
        return
    out = out_dir.resolve()
    for item in inputs:
        protocol, local = split_location(item)
        if protocol is not None:
            continue  # a remote input cannot contain a local output folder
        path = Path(local)
        if path.is_dir() and (out == path.resolve() or path.resolve() in out.parents):
            raise ConfigError(f"output folder {out_dir} is inside input folder {item}; choose another")


class LocalRunner:
    """Owns the worker pool, the passes, progress and the report for one run."""

    def __init__(
        self, config: RunConfig, out_dir: OutPath | str, *, key: bytes | None = None,
        key_fingerprint: str | None = None, workers: int | None = None, overwrite: bool = False,
        progress: bool = True, stream: TextIO | None = None, state_dir: Path | None = None,
    ) -> None:
        self.config = config
        out_dir = output_location(out_dir)
        self.layout = OutputLayout(out_dir, state_dir)
        self.workers = workers or config.settings.workers
        self.overwrite = overwrite
        self.show_progress = progress
        self.stream = stream
        self.key_fingerprint = key_fingerprint
        self.fingerprint = config.fingerprint(key_fingerprint)
        self.job = Job(config, out_dir, self.fingerprint, key, state_dir)
        self._pool: ProcessPoolExecutor | None = None
        #: Per corpus stage: seconds spent indexing (summed over shards) and resolving, this run.
        self._corpus_seconds: dict[str, dict[str, float]] = {}

    # -- public -------------------------------------------------------------------------------
    def run(self, inputs: list[str]) -> RunOutcome:
        started = time.monotonic()
        check_output_location(inputs, self.layout.root)
        local_out = self.layout.root if isinstance(self.layout.root, Path) else None
        shards = discover(inputs, output=local_out)
        self._check_state_dir()
        stages = stages_for(self.job)  # validates keys/rules before any pass starts
        corpus_positions = [i for i, s in enumerate(stages) if isinstance(s, CorpusStage)]
        try:
            self.layout.meta.mkdir(parents=True, exist_ok=True)
            check_resume(self.layout, shards, self.fingerprint, bool(corpus_positions), self.overwrite)
        except ScrubberError:
            raise
        except Exception as exc:  # OUT cannot be created or read: a usage error (exit 2), not a traceback
            raise ConfigError(f"output {self.layout.root}: cannot create or read it "
                              f"({type(exc).__name__}: {str(exc)[:200]})") from None
        failures: list[dict[str, str]] = []
        counters = self._start_workers()
        try:
            unreadable: dict[str, ShardResult] = {}
            for pos in corpus_positions:
                self._corpus_pass(pos, stages[pos], shards, counters, unreadable)
            failures.extend({"file": r.relpath, "reason": r.error or "failed"} for r in unreadable.values())
            done: dict[int, ShardResult] = {}
            todo = []
            for i, spec in enumerate(shards):
                if spec.relpath in unreadable:
                    continue
                marker = None if self.overwrite else shard_is_done(self.layout, spec, self.fingerprint)
                if marker is not None:
                    done[i] = ShardResult(spec.relpath, True, marker["counters"], marker["stages"], skipped=True)
                else:
                    todo.append((i, spec))
            results = self._pass("scrub", todo, counters, lambda i, s: (_scrub_task, (self.job, s, i)))
            failures.extend({"file": r.relpath, "reason": r.error or "failed"} for r in results if not r.ok)
            self._write_hf_metadata(shards, results)
            return self._finish(shards, [*done.values(), *results, *unreadable.values()], failures, started,
                                exit_code=1 if failures else 0)
        finally:
            self._stop_workers()

    def _check_state_dir(self) -> None:
        """Dedup state needs a POSIX folder (appends, memory maps): with a remote OUT, --state-dir."""
        if self.layout.state is not None:
            return
        for spec in self.config.pipeline:
            if issubclass(stage_class(spec.name), CorpusStage):
                raise ConfigError(
                    f"the pipeline deduplicates ({spec.label}) and OUT {self.layout.root} is not a local "
                    "folder: dedup state needs a local or shared POSIX folder; give one with --state-dir PATH"
                )

    def _corpus_pass(self, pos: int, stage: Stage, shards: list[ShardSpec], counters: Counters,
                     unreadable: dict[str, ShardResult]) -> None:
        """Index every shard for the corpus stage at ``pos``, then resolve its decisions once.

        A shard that cannot be read is left out of the decisions (and reported); the rest of the
        corpus is still deduplicated. If such a shard becomes readable later, the earlier decisions
        did not account for it, so the rerun refuses unless --overwrite rebuilds them.
        """
        assert isinstance(stage, CorpusStage)
        label = self.config.pipeline[pos].label
        todo = [(i, s) for i, s in enumerate(shards) if not stage.is_indexed(i) and s.relpath not in unreadable]
        results = self._pass(f"index {label}", todo, counters,
                             lambda i, s, p=pos: (_index_task, (self.job, s, i, p)))
        timing = self._corpus_seconds.setdefault(label, {"index_seconds": 0.0, "resolve_seconds": 0.0})
        for result in results:
            timing["index_seconds"] += result.stages.get(label, {}).get("index_seconds", 0.0)
        for result in results:
            if not result.ok:
                unreadable.setdefault(result.relpath, result)
        if stage.is_resolved():
            newly = [r.relpath for r in results if r.ok]
            if newly:
                raise ResumeConflict(
                    f"{', '.join(newly[:3])} could not be read when {label} decided what to drop, and can be now; "
                    "rerun with --overwrite so it is deduplicated with the rest of the corpus"
                )
            return
        started = time.perf_counter()
        self._resolve(pos, stage, label)
        timing["resolve_seconds"] += time.perf_counter() - started
        stage.mark_resolved({"shards": len(shards), "excluded": sorted(unreadable)})

    def _resolve(self, pos: int, stage: CorpusStage, label: str) -> None:
        """Turn the corpus stage's partial state into decisions, here in this process.

        An engine with many machines overrides this to decide partitions in parallel (the dedup
        stages offer begin_resolve / resolve_partition / finish_resolve with identical results).
        """
        stage.ensure_setup()
        stage.resolve()

    # -- workers: the only part another engine replaces -------------------------------------------
    def _start_workers(self) -> Counters:
        """Start N processes (or none for one worker) sharing progress counters."""
        ctx = mp.get_context("spawn")
        counters = Counters(ctx if self.workers > 1 else None)
        self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker,
                                         initargs=(counters, os.getpid())) if self.workers > 1 else None
        if self._pool is None:
            _init_worker(counters)
        return counters

    def _stop_workers(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _new_display(self, label: str, todo: list[tuple[int, ShardSpec]], counters: Counters) -> ProgressDisplay:
        counters.docs.value = 0
        counters.bytes.value = 0
        total = sum(spec.size for _, spec in todo)
        return ProgressDisplay(label, total, counters, enabled=self.show_progress and bool(todo),
                               stream=self.stream, interval=self.config.settings.progress_seconds)

    def _pass(self, label: str, todo: list[tuple[int, ShardSpec]], counters: Counters, task: TaskFactory,
              ) -> list[ShardResult]:
        """Run ``task`` for every (shard index, shard) in ``todo``; results sorted by shard path."""
        display = self._new_display(label, todo, counters)
        results: list[ShardResult] = []
        pool = self._pool
        if pool is None:
            counters.listener = lambda: display.refresh(len(results), len(todo))
            for i, spec in todo:
                fn, args = task(i, spec)
                results.append(fn(*args))
                display.refresh(len(results), len(todo))
            counters.listener = None
        else:
            pending: set[Future[ShardResult]] = {pool.submit(*_flatten(task(i, spec))) for i, spec in todo}
            while pending:
                finished, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                results.extend(f.result() for f in finished)
                display.refresh(len(results), len(todo))
        display.close(len(results), len(todo))
        return sorted(results, key=lambda r: r.relpath)

    # -- end of run ------------------------------------------------------------------------------
    def _finish(self, shards: list[ShardSpec], results: list[ShardResult], failures: list[dict[str, str]],
                started: float, exit_code: int) -> RunOutcome:
        by_path = {s.relpath: s for s in shards}
        for failure in failures:
            # The quarantine record of a file that could not be read at all: one line naming it.
            spec = by_path.get(failure["file"])
            if spec is not None:
                record = JsonlSidecar(self.layout.rejects(spec))
                record.add({"file": spec.relpath, "reason": failure["reason"], "whole_file": True})
                record.commit()
        report = reporting.build_report(
            results, config_source=self.config.source, fingerprint=self.fingerprint,
            key_fingerprint=self.key_fingerprint, failures=failures, seconds=time.monotonic() - started,
            version=scrubber.__version__,
        )
        for label, timing in self._corpus_seconds.items():
            report["stages"].setdefault(label, {}).update({k: round(v, 6) for k, v in timing.items()})
        reporting.write_report(self.layout.report, report)
        markers = [m for s in shards if (m := read_marker(self.layout.marker(s))) is not None
                   and m.get("config") == self.fingerprint]
        reporting.write_manifest(self.layout.manifest, markers)
        return RunOutcome(report, exit_code)

    def _write_hf_metadata(self, shards: list[ShardSpec], results: list[ShardResult]) -> None:
        """Copy each Hugging Face dataset's JSON metadata once all its data files are done."""
        failed = {r.relpath for r in results if not r.ok}
        roots: dict[str, list[ShardSpec]] = {}
        for spec in shards:
            if spec.hf_root is not None:
                roots.setdefault(spec.hf_root, []).append(spec)
        for root, members in roots.items():
            if any(m.relpath in failed for m in members):
                continue
            src = members[0].path.parent
            fs = members[0].filesystem()  # the local filesystem for local inputs
            dst = self.layout.root / root
            dst.mkdir(parents=True, exist_ok=True)
            _copy(fs, (src / HF_INFO).as_posix(), dst / HF_INFO)
            state = json.loads(fs.cat_file((src / HF_STATE).as_posix()).decode("utf-8"))
            # A new, deterministic fingerprint: the data changed, so datasets must not reuse caches
            # computed for the input.
            state["_fingerprint"] = hashlib.sha256(
                f"{state.get('_fingerprint')}:{self.fingerprint}".encode()).hexdigest()[:16]
            tmp = dst / f".{HF_STATE}.tmp-{os.getpid()}"
            if isinstance(tmp, Path):
                tmp.write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
                os.replace(tmp, dst / HF_STATE)
            else:
                with tmp.open("wb") as fh:
                    fh.write(json.dumps(state, indent=2, sort_keys=True).encode("utf-8"))
                publish(tmp, dst / HF_STATE)
            parent_dict = (src.parent / HF_DICT).as_posix()
            if fs.isfile(parent_dict):
                _copy(fs, parent_dict, dst.parent / HF_DICT)


def _copy(fs: Any, src: str, dst: OutPath) -> None:
    """Copy an input metadata file to the output: a local download as before, or through fsspec."""
    if isinstance(dst, Path):
        fs.get_file(src, str(dst))
    else:
        dst.fs.pipe_file(dst.path, fs.cat_file(src))


def _flatten(call: tuple[Callable[..., ShardResult], tuple]) -> tuple:
    fn, args = call
    return (fn, *args)

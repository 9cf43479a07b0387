"""The Ray engine: the local engine's passes, executed by a Ray Data actor pool on a cluster.

:class:`RayRunner` *is* a :class:`~scrubber.runner.local.LocalRunner`: discovery, resume checks,
the order of passes (index each dedup stage → resolve → scrub), done markers, Hugging Face metadata
and the report are inherited unchanged. Only the three methods that start, feed and stop workers are
replaced, plus the resolve step. Each pass becomes one Ray Data pipeline::

    from_items(one row per shard task) → map_batches(ShardWorker, ActorPoolStrategy(size=N), batch_size=1)

``ShardWorker`` is a class, so Ray Data runs it as a pool of N long-lived actors; each actor builds
the pipeline once (spaCy model, compiled rules) and keeps it for every shard it is handed. A shard
task calls the very same ``index_shard`` / ``scrub_shard`` the local engine calls, which is why the
output is byte-identical to the local engine's: each shard is still processed by one worker from
start to end, batches are cut from the shard alone, and corpus-wide decisions are resolved from
state files that do not depend on which actor wrote them.

Dedup resolve is spread too: the driver clears the previous result (``begin_resolve``), one Ray task
per hash partition decides that partition (``resolve_partition``), and the driver merges the small
per-partition results into per-shard decisions (``finish_resolve``) — the same bytes as the local
engine's single-process ``resolve``.

Every process reads and writes through the same paths: local paths (and ``file://`` URIs) must be
mounted at the same place on every node (a shared filesystem); URLs (``s3://``, ``gs://``…) are read
and written through fsspec by each actor exactly as the local engine's workers do (output published
under a temporary name, then moved), with dedup state in ``--state-dir``, a POSIX folder every node
mounts (see docs/ray.md). Ray is imported only when a run starts, so ``import scrubber`` and the
local engine never need it.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from scrubber.config import RunConfig
from scrubber.engines.ray_coordinator import Coordinator
from scrubber.errors import ConfigError
from scrubber.io.outfs import FsPath, OutPath, output_location
from scrubber.io.shards import ShardSpec, split_location
from scrubber.runner import local
from scrubber.runner.local import LocalRunner, TaskFactory
from scrubber.runner.progress import Counters
from scrubber.runner.shard import Job, ShardResult, stages_for
from scrubber.stages.base import CorpusStage

INSTALL_HINT = "install scrubber[ray] (pip install 'scrubber[ray]') to use --engine ray"

#: How often an actor sends its document/byte counts to the driver, and the driver redraws progress.
PROGRESS_SECONDS = 0.5


#: Ray's console messages that only describe choices this engine made on purpose: Ray Data's progress
#: bars are off because scrubber draws its own, and a Ray it starts itself uses token authentication.
_CHOSEN = ("Progress bars disabled", "Token authentication is enabled for this Ray cluster")


class _DropChosen(logging.Filter):
    """Drops :data:`_CHOSEN` messages; every other warning and error still reaches the console."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_CHOSEN)


def quiet_ray_console() -> None:
    """Keep the console for scrubber's progress and Ray's warnings.

    Ray Data prints three INFO lines per dataset ("Starting execution", "Execution plan",
    "finished") between the progress lines of each pass; they stay in its own log file
    (``ray-data.log`` in the Ray session folder), as does everything else. Handlers and loggers are
    found by name; if a later Ray renames them, nothing here applies and nothing breaks.
    """
    consoles = [h for h in logging.getLogger("ray.data").handlers if h.get_name() == "console"]
    for target in [*consoles, logging.getLogger("ray._private.authentication.authentication_token_setup")]:
        if not any(isinstance(f, _DropChosen) for f in target.filters):  # once, however many runs
            target.addFilter(_DropChosen())
    for handler in consoles:
        handler.setLevel(max(handler.level, logging.WARNING))


def import_ray() -> Any:
    """Import Ray on demand with an actionable message when the optional extra is missing."""
    try:
        import ray
        import ray.data  # the engine needs the Data library, not just core
    except ImportError as exc:
        raise ConfigError(f"the Ray engine needs Ray ({exc.name} is not installed): {INSTALL_HINT}") from None
    return ray


#: How long the driver tries to open a TCP connection to ``--address`` before saying it is unreachable.
CONNECT_SECONDS = 10.0


def check_reachable(address: str | None, timeout: float = CONNECT_SECONDS) -> None:
    """Fail fast, with the address in the message, when ``--address HOST:PORT`` does not answer.

    Left to itself, ``ray.init`` retries an unreachable GCS for minutes, printing only Ray's own
    connection warnings. Addresses that are not ``[scheme://]HOST:PORT`` (``auto``, ``local``) are
    Ray's to interpret and are not checked here.
    """
    if address is None:
        return
    target = address.split("://", 1)[1] if "://" in address else address
    host, sep, port = target.rpartition(":")
    if not sep or not host or not port.isdigit():
        return
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(
            f"--address {address}: no Ray cluster answers there ({reason}); start one with "
            "`ray start --head` on that node, or check the host and port"
        ) from None


#: fsspec protocols whose files live in one process's memory: Ray actors are other processes.
PROCESS_LOCAL_PROTOCOLS = ("memory",)


def check_shared(location: str | OutPath, role: str) -> None:
    """Refuse a location the actors cannot see: ``memory://`` lives inside one process, so output
    written there by an actor would silently vanish and inputs there would be missing."""
    if isinstance(location, Path):
        return
    protocol = location.protocol if isinstance(location, FsPath) else split_location(location)[0]
    if protocol in PROCESS_LOCAL_PROTOCOLS:
        raise ConfigError(
            f"{role} {location}: {protocol}:// exists only inside one process and Ray actors are other "
            "processes; use a path every node mounts, or an object-store URL (s3://, gs://...)"
        )


def input_location(location: str) -> str:
    """An input as each actor will read it: paths and ``file://`` URIs become absolute local paths
    (every node must mount them at the same place; a relative path would be read from each actor's own
    working directory, which on another node is not the driver's); other URLs (``s3://``, ``gs://``…)
    are kept and read through fsspec on each actor, after checking here, on the driver, that the
    filesystem's package is installed (the actors need it too)."""
    protocol, path = split_location(location)
    return os.path.abspath(path) if protocol is None else location


@dataclass(frozen=True, slots=True)
class _RunJob:
    """Stands for the run's :class:`Job` inside a shipped shard task; the actor puts the real one back."""


class _ActorCounters(Counters):
    """Counters for one actor: accumulate locally, send to the progress actor every half second.

    Sending per batch would be one remote call per batch per actor; batching keeps the overhead
    negligible while the display still moves within a long shard. With no display (``progress`` is
    ``None``: ``--no-progress`` or no terminal) nothing is counted or sent: on a small node every
    remote call takes CPU from the actors.
    """

    def __init__(self, progress: Any | None, pass_no: int) -> None:
        super().__init__(None)
        self.progress = progress
        self.pass_no = pass_no
        self._pending = [0, 0]
        self._sent = time.monotonic()

    def add(self, docs: int, nbytes: int) -> None:
        if self.progress is None:
            return
        self._pending[0] += docs
        self._pending[1] += nbytes
        if time.monotonic() - self._sent >= PROGRESS_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.progress is not None and self._pending != [0, 0]:
            self.progress.add.remote(self.pass_no, *self._pending)
            self._pending = [0, 0]
        self._sent = time.monotonic()


def _join_run(coordinator: Any) -> Job:
    """What a Ray process does before its first piece of the run (shard actor or resolve task).

    It becomes one of scrubber's own processes (``process.prepare``, before unpickling the Job can
    import the stages), its exit can no longer hang in Ray's exit handler (``ray_exit``), and it gets
    the run's Job from the coordinator.
    """
    import ray

    from scrubber import process
    from scrubber.engines import ray_exit

    ray_exit.install()
    process.prepare()
    return pickle.loads(ray.get(coordinator.job.remote()))


class ShardWorker:
    """The callable class ``map_batches`` turns into an actor pool; one instance per actor.

    Each input row is one pickled ``(function, args)`` shard task built by the runner's task
    factory (``_index_task`` or ``_scrub_task``); the output row is the pickled ``ShardResult``.
    Stages are cached per process by ``stages_for``, so they load once per actor and pass.
    ``show_progress`` says whether the driver displays progress (and so wants the counts of pass
    ``pass_no``).
    """

    def __init__(self, coordinator: Any, show_progress: bool, pass_no: int) -> None:
        self.job = _join_run(coordinator)
        self.counters = _ActorCounters(coordinator if show_progress else None, pass_no)
        local._init_worker(self.counters)  # the task functions read the module's worker counters

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        results = []
        for blob in batch["task"]:
            fn, args = pickle.loads(blob)
            args = tuple(self.job if isinstance(a, _RunJob) else a for a in args)
            results.append(pickle.dumps(fn(*args)))
        self.counters.flush()
        out = np.empty(len(results), dtype=object)
        out[:] = results
        return {"result": out}


def resolve_partition_task(coordinator: Any, stage_pos: int, part: int) -> int:
    """One Ray task: decide hash partition ``part`` of the dedup stage at ``stage_pos``.

    Stages are cached per worker process by ``stages_for``, so a worker that gets many partitions
    builds the stage once. The result is a file under the stage's state folder, published atomically.
    """
    job = _join_run(coordinator)
    stage = stages_for(job, f"resolve-{stage_pos}")[stage_pos]
    stage.resolve_partition(part)  # type: ignore[attr-defined]  (checked by the driver)
    return part


class RayRunner(LocalRunner):
    """Run a config on a Ray cluster (``address``) or on a Ray started here (no address).

    ``workers`` caps the actor pool; by default it is one actor per CPU of the cluster.
    """

    def __init__(
        self, config: RunConfig, out_dir: OutPath | str, *, key: bytes | None = None,
        key_fingerprint: str | None = None, overwrite: bool = False, progress: bool = True,
        stream: TextIO | None = None, address: str | None = None, workers: int | None = None,
        state_dir: Path | None = None,
    ) -> None:
        out = output_location(out_dir)
        check_shared(out, "output folder")
        # Absolute local paths: actors on other nodes do not share the driver's working directory.
        super().__init__(config, out.absolute() if isinstance(out, Path) else out, key=key,
                         key_fingerprint=key_fingerprint, workers=workers or 1, overwrite=overwrite,
                         progress=progress, stream=stream, state_dir=state_dir and state_dir.absolute())
        self.address = address
        self.max_workers = workers
        self._ray: Any = None
        self._owns_ray = False
        self._coordinator: Any = None
        self._passes = 0  # numbers each pass for the coordinator's progress counts

    def run(self, inputs: list[str]) -> local.RunOutcome:
        for item in inputs:
            check_shared(item, "input")
        check_reachable(self.address)  # before anything is written to OUT
        return super().run([input_location(item) for item in inputs])

    # -- the engine-specific methods (workers, passes, resolve) ----------------------------------
    def _start_workers(self) -> Counters:
        ray = self._ray = import_ray()
        quiet_ray_console()
        if not ray.is_initialized():
            ray.init(address=self.address, include_dashboard=False, logging_level="WARNING")
            self._owns_ray = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = max(1, min(self.max_workers or cpus, cpus))
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # our own display shows MB/s and shards for the pass
        # Not waited for: it starts while the first pass sets up, and the actors wait for it if need be.
        self._coordinator = ray.remote(num_cpus=0)(Coordinator).remote(pickle.dumps(self.job))
        self._passes = 0
        return Counters(None)

    def _stop_workers(self) -> None:
        if self._ray is None:
            return
        if self._coordinator is not None:
            self._ray.kill(self._coordinator)
            self._coordinator = None
        if self._owns_ray:
            self._ray.shutdown()
            self._owns_ray = False

    def _pass(self, label: str, todo: list[tuple[int, ShardSpec]], counters: Counters, task: TaskFactory,
              ) -> list[ShardResult]:
        """One Ray Data pipeline over the shard tasks of ``todo``; results sorted by shard path."""
        display = self._new_display(label, todo, counters)
        results: list[ShardResult] = []
        if todo:
            ray = self._ray
            self._passes += 1
            pass_no = self._passes
            rows = [{"task": pickle.dumps(self._ship(task(i, spec)))} for i, spec in todo]
            dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
                ShardWorker,
                fn_constructor_kwargs={"coordinator": self._coordinator, "show_progress": display.enabled,
                                       "pass_no": pass_no},
                compute=ray.data.ActorPoolStrategy(size=min(self.workers, len(rows))),
                batch_size=1, num_cpus=1, batch_format="numpy",
            )
            stop = threading.Event()

            def show() -> None:
                counters.docs.value, counters.bytes.value = ray.get(self._coordinator.totals.remote(pass_no))
                display.refresh(len(results), len(todo))

            def poll() -> None:
                while not stop.wait(PROGRESS_SECONDS):
                    show()

            poller = threading.Thread(target=poll, name="scrubber-ray-progress", daemon=True)
            if display.enabled:  # no display, no polling: the driver's CPU is the actors' on a small node
                poller.start()
            try:
                for row in dataset.iter_rows():
                    results.append(pickle.loads(row["result"]))
            finally:
                stop.set()
                if poller.is_alive():
                    poller.join()
            if display.enabled:
                show()
        display.close(len(results), len(todo))
        return sorted(results, key=lambda r: r.relpath)

    def _resolve(self, pos: int, stage: CorpusStage, label: str) -> None:
        """Decide every hash partition as its own Ray task; begin and finish (small) in the driver."""
        from scrubber.dedup.base import PartitionedDedupStage

        if not isinstance(stage, PartitionedDedupStage):  # a corpus stage without a partitioned resolve
            super()._resolve(pos, stage, label)
            return
        ray = self._ray
        stage.begin_resolve()
        task = ray.remote(num_cpus=1)(resolve_partition_task)
        ray.get([task.remote(self._coordinator, pos, part) for part in range(stage.partitions)])
        stage.finish_resolve()

    def _ship(self, call: tuple[Any, tuple]) -> tuple[Any, tuple]:
        """Replace the run's Job (it holds the key) by a placeholder the actor fills back in."""
        fn, args = call
        return fn, tuple(_RunJob() if a is self.job else a for a in args)

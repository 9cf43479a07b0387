"""Scaling from 1 to 2 workers: the local engine and the Ray engine side by side, in one run (issue #6).

Generates a web-like JSONL corpus of several shards (prose with an email, a phone number, an IP and a
name in every document), then for each pipeline runs, each in a fresh process:

* local engine, ``workers=1`` and ``workers=2``;
* Ray engine on a local Ray started with ``num_cpus=1`` and ``num_cpus=2``.

Timed: ``Runner.run()`` from call to return, which includes starting the workers (process pool or
actor pool) and loading models in each; the Ray cluster start is printed apart (a cluster pays it
once, not per run). With ``--warm`` the Ray cluster also runs one tiny dataset before the timed run,
so Ray Data's once-per-cluster helper actors exist as on a running cluster (``--address``). The
baseline is each engine's own 1-worker run; every output tree is also checked byte-identical to the
local 1-worker output. Dedup pipelines also report how many bytes
of partitioned state (the data shuffled through the shared filesystem) each input MB produced.

Every run imports a frozen copy of the ``scrubber`` package (and of ``rules/``) taken at the start:
the checkout may be edited while the benchmark runs (several people share it), and a child process
or a Ray actor importing newer code than the reference run would make the byte-identity check fail
for a reason that has nothing to do with the engines. Each child reports where it imported
``scrubber`` from, and the benchmark stops if that is not the frozen copy.

    .venv/bin/python benchmarks/bench_scaling.py                      # fast + dedup, best of 2
    .venv/bin/python benchmarks/bench_scaling.py --pipelines fast dedup full --repeat 2
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scrubber.runner.manifest import deterministic_files

ROOT = Path(__file__).resolve().parent.parent

PIPELINES = {
    "fast": "mode: fast\npipeline:\n  - detect\n  - transform: {operator: redact}\n",
    "full": "mode: full\npipeline:\n  - detect\n  - transform: {operator: redact}\n",
    "dedup": "pipeline:\n  - dedup_exact\n  - dedup_near\n  - dedup_repeats\n",
}

#: Prose vocabulary (one string, split once: easier to read than a 50-item list literal).
_PROSE = ("the data engineer ran the pipeline over every shard and wrote a short report about tokens models "
          "memorize repeated sequences so we remove them before training starts on the corpus while the "
          "cluster keeps running jobs for the team and nobody reads the logs until it breaks")
WORDS = tuple(_PROSE.split(" "))
#: Capitalised phrases sprinkled into the prose, as in real web text: they open NER windows in full mode.
PROPER = ("New York", "Google Cloud", "the Golden Gate Bridge", "Monday Morning", "Kubernetes Engine",
          "San Francisco", "Apache Spark", "Data Team", "United Nations", "Red Cross")
FIRST = ("Maria", "James", "Aisha", "Chen", "Lukas", "Sofia", "Omar", "Priya", "Noah", "Elena")
LAST = ("Lopez", "Smith", "Okafor", "Wang", "Schmidt", "Rossi", "Haddad", "Iyer", "Brown", "Petrova")


def make_corpus(root: Path, shards: int, megabytes: float, seed: int = 0) -> int:
    """Write ``shards`` JSONL files of about ``megabytes`` MB each; return the total bytes written."""
    total = 0
    for s in range(shards):
        rng = random.Random(seed * 1000 + s)
        path = root / f"part-{s:03d}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        written, i = 0, 0
        with open(path, "w", encoding="utf-8") as fh:
            while written < megabytes * 1_000_000:
                words = [rng.choice(WORDS) if rng.random() > 0.03 else rng.choice(PROPER)
                         for _ in range(rng.randint(120, 900))]
                body = " ".join(words)
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                email = f"{name.split()[0].lower()}{i}@mail-{s}.com"
                host = f"81.{s}.{i % 250}.{rng.randint(1, 250)}"
                text = (f"{body.capitalize()}. Thanks, {name}. Write to {email}, "
                        f"call (415) 555-{rng.randint(0, 9999):04d} or see host {host}.")
                line = json.dumps({"id": f"{s}-{i}", "text": text}) + "\n"
                fh.write(line)
                written += len(line.encode())
                i += 1
        total += written
    return total


def freeze_code(work: Path) -> Path:
    """Copy the ``scrubber`` package into ``work/src`` and return that folder (the children's import root)."""
    src = work / "src"
    shutil.copytree(ROOT / "scrubber", src / "scrubber", ignore=shutil.ignore_patterns("__pycache__"))
    # The default rules beside the package, as in a checkout: without them no shipped pattern is
    # trusted (see detect.rules.shipped_patterns) and every regex call pays the timeout's bookkeeping.
    shutil.copytree(ROOT / "rules", src / "rules")
    # Byte-compiled like an installed package (pip compiles on install): with PYTHONDONTWRITEBYTECODE
    # set, every child process and Ray worker would otherwise compile every module it imports again,
    # a start-up cost per process that a real install does not have and that weighs on 2 workers twice.
    compileall.compile_dir(src / "scrubber", quiet=1)
    return src


def child_env(src: Path) -> dict[str, str]:
    """The environment of a child run: the frozen copy first on the path (before an editable install's
    finder, which comes after ``PYTHONPATH``); Ray's worker processes inherit it from the child."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), env.get("PYTHONPATH", "")) if p)
    return env


def code_version() -> str:
    """The checkout's commit, and whether scrubber/ had uncommitted changes when it was frozen."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{commit}{' + uncommitted changes' if git('status', '--porcelain', '--', 'scrubber') else ''}"


class _Noop:
    """A do-nothing ``map_batches`` class for the warm-up pipeline."""

    def __call__(self, batch: dict) -> dict:
        return batch


def warm_up(ray, workers: int) -> None:
    """Run one tiny actor-pool pipeline, as a cluster that has run anything before has: Ray Data's own
    helper actors (stats, autoscaling coordinator, actor-location tracker) are created once per cluster
    and then stay, so only a fresh cluster's first dataset pays for them. The pool's actors exit at
    the end, so the timed run still starts its own actors and loads its models."""
    rows = [{"x": i} for i in range(workers)]
    dataset = ray.data.from_items(rows, override_num_blocks=workers).map_batches(
        _Noop, compute=ray.data.ActorPoolStrategy(size=workers), batch_size=1, num_cpus=1)
    assert len(list(dataset.iter_rows())) == workers


def child(engine: str, workers: int, corpus: str, out: str, config_path: str, warm: bool = False) -> None:
    """Run once in this (fresh) process and print a JSON line with the timings."""
    import scrubber
    from scrubber.config import load_config

    config = load_config(config_path)
    cluster_seconds = 0.0
    if engine == "ray":
        import ray

        from scrubber.engines.ray_engine import RayRunner

        started = time.perf_counter()
        ray.init(num_cpus=workers, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
        if warm:
            warm_up(ray, workers)
        cluster_seconds = time.perf_counter() - started
        runner = RayRunner(config, Path(out), progress=False)
    else:
        from scrubber.runner.local import LocalRunner

        runner = LocalRunner(config, Path(out), workers=workers, progress=False)
    started = time.perf_counter()
    outcome = runner.run([corpus])
    seconds = time.perf_counter() - started
    code = {str(Path(scrubber.__file__).resolve().parent)}
    if engine == "ray":  # where Ray's workers import it from (they start with this process's environment)
        code |= set(ray.get([ray.remote(_scrubber_location).remote() for _ in range(workers)]))
    print(json.dumps({"seconds": seconds, "cluster_seconds": cluster_seconds, "exit": outcome.exit_code,
                      "code": sorted(code)}))


def _scrubber_location() -> str:
    import scrubber

    return str(Path(scrubber.__file__).resolve().parent)


def state_bytes(out: Path) -> dict[str, int]:
    """Bytes of partitioned partial state per dedup stage (what the index pass writes = the shuffle)."""
    found = {}
    for stage_dir in sorted((out / "_scrubber" / "state").glob("*")):
        partial = stage_dir / "partial"
        found[stage_dir.name] = sum(p.stat().st_size for p in partial.rglob("*.bin")) if partial.is_dir() else 0
    return found


def run_one(engine: str, workers: int, corpus: Path, out: Path, config: Path, src: Path, warm: bool = False) -> dict:
    """One setting in a fresh process that imports the frozen code in ``src`` (the cwd is the work folder,
    not the checkout: Ray puts the driver's working directory on its workers' path)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", engine, str(workers), str(corpus), str(out),
           str(config), *(["--warm"] if warm else [])]
    done = subprocess.run(cmd, cwd=src.parent, capture_output=True, text=True, env=child_env(src))
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{engine} x{workers} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1])
    if result["exit"] != 0:
        raise SystemExit(f"{engine} x{workers}: scrubber exit code {result['exit']}")
    if [Path(p) for p in result["code"]] != [(src / "scrubber").resolve()]:
        raise SystemExit(f"{engine} x{workers} imported scrubber from {result['code']}, not the frozen copy in {src}")
    return result


def round_speedups(runs: dict[tuple[str, int], list[float]], engine: str) -> list[float]:
    """The engine's 1 -> 2 worker speedup in each round: the best-of table hides how far runs spread,
    and the rounds are interleaved, so a round's two runs met the same machine."""
    return [one / two for one, two in zip(runs[(engine, 1)], runs[(engine, 2)], strict=True)]


def spread_notes(name: str, runs: dict[tuple[str, int], list[float]]) -> list[str]:
    """One line per engine with every run's seconds and each round's speedup (when there are rounds)."""
    notes = []
    for engine in ("local", "ray"):
        if len(runs[(engine, 1)]) < 2:
            continue
        ratios = round_speedups(runs, engine)
        seconds = "; ".join(f"x{w}: " + ", ".join(f"{s:.1f}" for s in runs[(engine, w)]) for w in (1, 2))
        notes.append(f"{name} {engine} every run ({seconds} s); speedup per round "
                     f"{', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f}x)")
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipelines", nargs="+", choices=sorted(PIPELINES), default=["fast", "dedup"])
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--mb", type=float, default=8.0, help="MB per shard for the fast pipeline")
    parser.add_argument("--dedup-mb", type=float, default=16.0, help="MB per shard for the dedup pipeline")
    parser.add_argument("--full-mb", type=float, default=2.0, help="MB per shard for the full pipeline")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs per setting, interleaved across settings; the fastest is kept (shared machine)")
    parser.add_argument("--warm", action="store_true",
                        help="Ray: run one tiny dataset before the timed run (a running cluster, as with "
                             "--address), so Ray Data's once-per-cluster helper actors are not timed")
    parser.add_argument("--child", nargs=5, metavar=("ENGINE", "N", "CORPUS", "OUT", "CONFIG"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, n, corpus, out, config = args.child
        child(engine, int(n), corpus, out, config, args.warm)
        return

    work = Path(tempfile.mkdtemp(prefix="scrubber-scaling-"))
    try:
        # A frozen copy of the rules: every run must see the same config fingerprint even if rules/
        # is edited while the benchmark runs (the fingerprint is part of run.json and the manifest).
        shutil.copytree(ROOT / "rules", work / "rules")
        src = freeze_code(work)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.shards} shards, best of {args.repeat}"
              f"{', Ray cluster warmed up before timing' if args.warm else ''}; "
              f"load average at start {os.getloadavg()[0]:.1f}; code {code_version()}")
        print()
        print("| pipeline | MB | engine | workers | seconds | MB/s | MB/s per worker | speedup vs 1 | "
              "identical to local x1 |")
        print("|---|---|---|---|---|---|---|---|---|")
        notes = []
        for name in args.pipelines:
            mb = {"full": args.full_mb, "dedup": args.dedup_mb}.get(name, args.mb)
            corpus = work / f"corpus-{name}"
            total = make_corpus(corpus, args.shards, mb) / 1e6
            config = work / f"{name}.yaml"
            config.write_text(f"rules: rules\n{PIPELINES[name]}", encoding="utf-8")
            settings = [("local", 1), ("local", 2), ("ray", 1), ("ray", 2)]
            best: dict[tuple[str, int], dict] = {}
            runs: dict[tuple[str, int], list[float]] = {setting: [] for setting in settings}
            same: dict[tuple[str, int], bool] = {}
            reference: dict[str, bytes] | None = None
            for _ in range(args.repeat):
                for engine, workers in settings:  # interleaved, so load from elsewhere hits all alike
                    out = work / f"out-{name}-{engine}-{workers}"
                    result = run_one(engine, workers, corpus, out, config, src, args.warm)
                    got = deterministic_files(out)
                    reference = got if reference is None else reference
                    same[(engine, workers)] = same.get((engine, workers), True) and got == reference
                    if got != reference:
                        differ = sorted(k for k in set(got) | set(reference) if got.get(k) != reference.get(k))
                        notes.append(f"{name} {engine} x{workers}: {len(differ)} file(s) differ: {differ[:5]}")
                    runs[(engine, workers)].append(result["seconds"])
                    if (engine, workers) not in best or result["seconds"] < best[(engine, workers)]["seconds"]:
                        best[(engine, workers)] = result
                    if name == "dedup" and (engine, workers) == ("local", 1) and _ == 0:
                        for stage, nbytes in state_bytes(out).items():
                            notes.append(f"dedup state {stage}: {nbytes / 1e6:.1f} MB for {total:.1f} MB input "
                                         f"({nbytes / 1e6 / total:.2f} MB per input MB)")
                    shutil.rmtree(out)
            for engine, workers in settings:
                secs = best[(engine, workers)]["seconds"]
                base = best[(engine, 1)]["seconds"]
                print(f"| {name} | {total:.1f} | {engine} | {workers} | {secs:.1f} | {total / secs:.2f} | "
                      f"{total / secs / workers:.2f} | {base / secs:.2f} | "
                      f"{'yes' if same[(engine, workers)] else 'NO'} |", flush=True)
                if engine == "ray":
                    notes.append(f"{engine} x{workers} cluster start ({name}): "
                                 f"{best[(engine, workers)]['cluster_seconds']:.1f} s")
            notes.extend(spread_notes(name, runs))
            shutil.rmtree(corpus)
        print()
        for note in notes:
            print(f"- {note}")
        print(f"- load average at end: {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Paired A/B of ``scrubber run`` in fast mode between checkouts, start-up excluded, round robin.

Why this shape: the machine is shared, so one run is noisy (±5% between runs of the same code) and
subtracting a one-line run to remove start-up adds the noise of a second run (±0.1 CPU-s). Here each
measurement is one child process that first runs the input's first line into OUT (imports, rules,
pipeline set-up; stages are then cached for that OUT) and then the whole input into the same OUT
with ``--overwrite``: the CPU seconds of that second run (``time.process_time`` in the child) are
the start-up-excluded cost, with no subtraction. Checkouts take turns within each round, so a burst
of load elsewhere hits neighbours alike; compare the paired ratios, not single figures.

Run from outside the checkouts (``python -m`` would put the current directory on ``sys.path``)::

    cd /tmp && /work/main/.venv/bin/python /path/to/benchmarks/bench_fast_ab.py mix.jsonl --rounds 6 \\
        base=/tmp/base new=/work/wt-speed

``mix.jsonl``: ``benchmarks.bench_detect.write_corpus(path, 60, seed=1, prose_share=0.9)``. The pipeline
is ``[detect, transform]`` with ``--mode fast --operator redact --workers 1`` (as bench_detect.py).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson

CHILD = """
import contextlib, io, sys, time
from scrubber import cli
src, first, out, config = sys.argv[1:5]
args = ["-o", out, "--config", config, "--mode", "fast", "--operator", "redact", "--workers", "1",
        "--no-progress", "--overwrite"]
with contextlib.redirect_stdout(io.StringIO()):
    assert cli.main(["run", first, *args]) == 0
    started = time.process_time()
    assert cli.main(["run", src, *args]) == 0
print(time.process_time() - started)
"""


def text_megabytes(path: Path) -> float:
    """MB of text (UTF-8) in the ``text`` field of a JSONL file."""
    with open(path, "rb") as fh:
        return sum(len(orjson.loads(line)["text"].encode("utf-8")) for line in fh if line.strip()) / 1e6


def run_once(checkout: str, src: Path, first: Path, out: Path, config: Path) -> float:
    env = {**os.environ, "PYTHONPATH": checkout, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(src), str(first), str(out), str(config)],
                          env=env, capture_output=True, text=True, check=True)
    return float(proc.stdout.split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", type=Path, help="a JSONL shard with a `text` field")
    ap.add_argument("versions", nargs="+", metavar="NAME=CHECKOUT", help="checkouts to compare (first: baseline)")
    ap.add_argument("--rounds", type=int, default=6)
    args = ap.parse_args()
    versions = [v.split("=", 1) for v in args.versions]
    megabytes = text_megabytes(args.input)
    cpu: dict[str, list[float]] = {name: [] for name, _ in versions}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        first = work / "first.jsonl"
        with open(args.input, "rb") as fh:
            first.write_bytes(fh.readline())
        config = work / "detect-only.yaml"
        config.write_text("pipeline: [detect, transform]\n", encoding="utf-8")
        for r in range(args.rounds):
            for name, checkout in versions:
                cpu[name].append(run_once(checkout, args.input, first, work / f"out-{name}", config))
                print(f"round {r + 1} {name}: {cpu[name][-1]:.2f} CPU-s", file=sys.stderr, flush=True)
    print(f"{args.input.name}: {megabytes:.1f} MB of text; MB per CPU-second, start-up excluded\n")
    print("| version | per round | median |")
    print("|---|---|---:|")
    for name, xs in cpu.items():
        print(f"| {name} | {' '.join(f'{megabytes / x:.1f}' for x in xs)} | {megabytes / statistics.median(xs):.1f} |")
    names = list(cpu)
    print("\n| paired speed-up | per round | median [min, max] |")
    print("|---|---|---|")
    pairs = list(itertools.pairwise(names)) + ([(names[0], names[-1])] if len(names) > 2 else [])
    for a, b in pairs:
        ratios = [x / y for x, y in zip(cpu[a], cpu[b], strict=True)]
        print(f"| {b} vs {a} | {' '.join(f'{x:.3f}' for x in ratios)} | "
              f"{statistics.median(ratios):.3f} [{min(ratios):.3f}, {max(ratios):.3f}] |")


if __name__ == "__main__":
    main()

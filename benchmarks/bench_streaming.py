"""Peak memory of a run stays flat as the shard grows: memory is bounded by the batch, not the shard.

Generates JSONL shards of the requested sizes on the fly (default 50 MB and 500 MB), scrubs each in a
fresh process and reads that process' peak RSS from ``wait4``. The baseline, measured in the same
run, is the naive approach many scripts take: load the shard into a list of records, then process.

    .venv/bin/python benchmarks/bench_streaming.py            # 50 MB and 500 MB
    .venv/bin/python benchmarks/bench_streaming.py --sizes 10 50 --pipeline fast
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PIPELINES = {
    "passthrough": "pipeline:\n  - passthrough\n",
    "fast": "mode: fast\npipeline:\n  - detect\n  - transform: {operator: redact}\n",
}

WORDS = ["the", "data", "engineer", "ran", "the", "pipeline", "over", "every", "shard", "and", "wrote", "a", "short",
         "report", "about", "tokens", "models", "memorize", "repeated", "sequences", "so", "we", "remove", "them",
         "before", "training", "starts", "on", "the", "corpus"]

NAIVE = """
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
total = sum(len(r["text"]) for r in rows)
print(total)
"""


def make_shard(path: Path, megabytes: int, seed: int = 0) -> int:
    """Write about ``megabytes`` MB of JSONL; documents of 1-8 KB with a few structured fields."""
    rng = random.Random(seed)
    target = megabytes * 1_000_000
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        i = 0
        while written < target:
            n = rng.randint(150, 1200)
            text = " ".join(rng.choice(WORDS) for _ in range(n))
            text += f" Contact support at help{i}@mail-{i % 97}.net or call +1 415 555 {i % 10000:04d}."
            line = json.dumps({"id": i, "text": text, "source": "bench"}) + "\n"
            fh.write(line)
            written += len(line)
            i += 1
    return written


def peak_rss_mb(cmd: list[str]) -> tuple[float, float, int]:
    """Run ``cmd``; return (peak RSS in MB of that process, seconds, exit code)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    return usage.ru_maxrss / 1024, seconds, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500], help="shard sizes in MB")
    parser.add_argument("--pipeline", choices=sorted(PIPELINES), default="passthrough")
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scrubber-bench-"))
    try:
        config = work / "pipeline.yaml"
        config.write_text(PIPELINES[args.pipeline])
        rows = []
        for size in args.sizes:
            shard = work / f"shard-{size}mb.jsonl"
            written = make_shard(shard, size)
            out = work / f"out-{size}"
            rss, secs, code = peak_rss_mb([sys.executable, "-m", "scrubber.cli", "run", str(shard), "-o", str(out),
                                           "--config", str(config), "--no-progress",
                                           "--batch-size", str(args.batch_size)])
            if code != 0:
                raise SystemExit(f"scrubber exited with {code} on the {size} MB shard")
            naive_rss, _, _ = peak_rss_mb([sys.executable, "-c", NAIVE, str(shard)])
            rows.append((size, written / 1e6, rss, secs, naive_rss))
            shard.unlink()
            shutil.rmtree(out)
        print(f"pipeline: {args.pipeline}, batch size {args.batch_size}, python {sys.version.split()[0]}")
        print(f"{'shard MB':>9} {'scrubber peak RSS MB':>21} {'MB/s':>7} {'naive load-all RSS MB':>22} "
              f"{'scrubber/naive':>15} {'vs smallest':>12}")
        base = rows[0][2]
        for _size, mb, rss, secs, naive in rows:
            print(f"{mb:9.0f} {rss:21.0f} {mb / secs:7.1f} {naive:22.0f} {rss / naive:15.2f} {rss / base:12.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Where fast-mode detection spends its time on issue #3's 90/10 mix: its prose and its canary
documents timed apart, in one process.

Why: the mix's target (MB per CPU-second) is a single figure, but its two kinds of document cost
very differently: the prose is PII-free word salad a few triggers scan past, the canary documents
are PII-dense (several values per few hundred bytes) and run most recognizers on most windows.
Knowing each kind's share of the time says where a speed-up of the mix can come from.

The documents are :func:`benchmarks.bench_detect.mix_documents` (the same sequence
``write_corpus`` writes to the mix's JSONL, for the same arguments); each kind is detected in
batches of 1,000, ``gc`` off, best of ``--passes`` CPU times (``time.process_time``).

    .venv/bin/python benchmarks/bench_mix_split.py                 # the mix's first 9 MB, fast mode
    .venv/bin/python benchmarks/bench_mix_split.py --megabytes 20 --passes 5
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.accuracy.offline import forbid_network, offline_tldextract  # noqa: E402
from benchmarks.bench_detect import mix_documents  # noqa: E402

BATCH_ROWS = 1000


def best_cpu_seconds(stage, docs: list[str], passes: int) -> float:
    """Least CPU time of ``passes`` detections of ``docs`` (in batches of :data:`BATCH_ROWS`)."""
    from scrubber.records import Batch

    best = float("inf")
    for _ in range(passes):
        started = time.process_time()
        for i in range(0, len(docs), BATCH_ROWS):
            stage.run(Batch({"text": docs[i:i + BATCH_ROWS]}))
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=9.0, help="text of the mix to time (its first MB)")
    parser.add_argument("--seed", type=int, default=1, help="the mix's seed (bench_fast_ab.py's mix: 1)")
    parser.add_argument("--prose-share", type=float, default=0.9)
    parser.add_argument("--mode", choices=("fast", "full"), default="fast")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    forbid_network()
    offline_tldextract()
    from scrubber.detect.stage import DetectStage

    kinds: dict[str, list[str]] = {"prose": [], "canary": []}
    for kind, text in mix_documents(args.megabytes, args.seed, args.prose_share):
        kinds[kind].append(text)
    stage = DetectStage.from_config({"mode": args.mode})
    stage.ensure_setup()
    gc.collect()
    gc.freeze()
    gc.disable()
    rows = []
    for kind, docs in kinds.items():
        megabytes = sum(len(d.encode()) for d in docs) / 1e6
        rows.append((kind, len(docs), megabytes, best_cpu_seconds(stage, docs, args.passes)))
    total_mb = sum(r[2] for r in rows)
    total_s = sum(r[3] for r in rows)
    print(f"{args.mode} mode, first {total_mb:.2f} MB of the mix (seed {args.seed}, prose share {args.prose_share}), "
          f"best of {args.passes} passes")
    print("| kind | documents | MB (share) | CPU s (share) | ms per MB |")
    print("|---|---:|---:|---:|---:|")
    for kind, count, megabytes, seconds in rows:
        print(f"| {kind} | {count:,} | {megabytes:.2f} ({megabytes / total_mb:.1%}) | {seconds:.3f} "
              f"({seconds / total_s:.1%}) | {seconds / megabytes * 1000:.1f} |")
    print(f"| mix | {sum(r[1] for r in rows):,} | {total_mb:.2f} | {total_s:.3f} | {total_s / total_mb * 1000:.1f} |")


if __name__ == "__main__":
    main()

"""Detection time grows linearly with document length: one long document against the same text cut
into short documents, in the same run (the baseline).

Real shards hold documents of a megabyte and more, often one JSON line without a line break (a
scraped page, a log, a book). A check that reads "the rest of the line" or compares every pair of
candidates costs nothing on a 5 KB document and dominates a 1 MB one: before ``90d2f05`` a
1.3 M-character document took 2.3x the time of the same text in pieces (benchmarks/RESULTS.md).

The text is name-dense on purpose (a person's name and an e-mail address every ~110 characters,
no line breaks): it is the worst case for the name rules. Times are CPU seconds of this process.

Run: ``.venv/bin/python -m benchmarks.bench_long_docs [--mode full] [--chars 100000 400000 1300000]``
"""

from __future__ import annotations

import argparse
import random
import time

from benchmarks.accuracy.offline import forbid_network, offline_tldextract
from scrubber.detect.stage import DetectStage
from scrubber.records import Batch

FIRST = ("Maria", "James", "Aisha", "Chen", "Lukas", "Sofia", "Omar", "Priya", "Noah", "Elena")
LAST = ("Lopez", "Smith", "Okafor", "Wang", "Schmidt", "Rossi", "Haddad", "Iyer", "Brown", "Petrova")
#: Length of the short documents of the baseline.
PIECE_CHARS = 10_000


def long_text(chars: int, seed: int = 0) -> str:
    """One line of sentences, each with a name and an e-mail address."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < chars:
        sentence = (f"The report was written by {rng.choice(FIRST)} {rng.choice(LAST)} and sent to "
                    f"team{rng.randint(1, 99)}@example.com today. ")
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)


def cpu_seconds(stage: DetectStage, docs: list[str]) -> float:
    started = time.process_time()
    stage.run(Batch({"text": docs}))
    return time.process_time() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("fast", "full"), default="full")
    ap.add_argument("--chars", type=int, nargs="+", default=[100_000, 400_000, 1_300_000])
    args = ap.parse_args()
    forbid_network()
    offline_tldextract()
    stage = DetectStage.from_config({"mode": args.mode})
    stage.ensure_setup()
    stage.run(Batch({"text": [long_text(5_000, seed=99)]}))  # warm-up: lazy caches, spaCy's first call
    print(f"detect --mode {args.mode}; pieces of {PIECE_CHARS:,} characters; CPU seconds\n")
    print("| characters | one document | same text in pieces | one / pieces |")
    print("|---:|---:|---:|---:|")
    for chars in args.chars:
        text = long_text(chars)
        pieces = [text[i:i + PIECE_CHARS] for i in range(0, len(text), PIECE_CHARS)]
        whole = cpu_seconds(stage, [text])
        cut = cpu_seconds(stage, pieces)
        print(f"| {len(text):,} | {whole:.2f} | {cut:.2f} | {whole / cut:.2f}x |", flush=True)


if __name__ == "__main__":
    main()

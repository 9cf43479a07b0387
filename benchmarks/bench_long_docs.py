"""Detection time grows linearly with document length: one long document against the same text cut
into short documents, in the same run (the baseline).

Real shards hold documents of a megabyte and more, often one JSON line without a line break (a
scraped page, a log, a book). A check that reads "the rest of the line" or compares every pair of
candidates costs nothing on a 5 KB document and dominates a 1 MB one: before ``90d2f05`` a
1.3 M-character document took 2.3x the time of the same text in pieces (benchmarks/RESULTS.md).

The text is name-dense on purpose (a person's name and an e-mail address every ~110 characters,
no line breaks): it is the worst case for the name rules. Times are CPU seconds of this process.

Run: ``.venv/bin/python -m benchmarks.bench_long_docs [--mode full] [--chars 100000 400000 1300000]``

``--overlaps 240000 960000`` times overlap resolution alone on one document's candidates (a span of
1-30 characters every ~10 characters): the sorted-list way everywhere against ``resolve_overlaps``
(the marked-characters way above ``MARKS_ABOVE`` candidates), and both on 20,000 ordinary documents
of 1-12 candidates.
"""

from __future__ import annotations

import argparse
import random
import time

from benchmarks.accuracy.offline import forbid_network, offline_tldextract
from scrubber.detect.recognizers import Candidate
from scrubber.detect.resolve import MARKS_ABOVE, _rank, accept_sorted, resolve_overlaps
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


def candidates(count: int, rng: random.Random) -> list[Candidate]:
    """One document's candidates: a span of 1-30 characters every ~10 characters, mixed ranks."""
    out = []
    for i in range(count):
        start = i * 10 + rng.randint(0, 10)
        out.append(Candidate(start, start + rng.randint(1, 30), rng.choice(("EMAIL_ADDRESS", "PHONE_NUMBER")),
                             rng.choice((0.4, 0.75, 0.9)), rng.choice(("a_v1", "b_v1")), rng.randint(1, 4)))
    return out


def time_overlaps(counts: list[int]) -> None:
    """CPU seconds of overlap resolution: sorted list everywhere against resolve_overlaps."""
    def sorted_way(cands: list[Candidate]) -> list[Candidate]:
        return accept_sorted(sorted(set(cands), key=_rank))

    rng = random.Random(0)
    print(f"overlap resolution alone; marked way above {MARKS_ABOVE:,} candidates; CPU seconds\n")
    print("| candidates | sorted list | resolve_overlaps | same result |")
    print("|---|---:|---:|---|")
    ordinary = [candidates(rng.randint(1, 12), rng) for _ in range(20_000)]
    rows = [("20,000 documents of 1-12", ordinary)] + [(f"{n:,} in one document", [candidates(n, rng)])
                                                         for n in counts]
    for label, docs in rows:
        timings, results = [], []
        for way in (sorted_way, resolve_overlaps):
            started = time.process_time()
            results.append([way(d) for d in docs])
            timings.append(time.process_time() - started)
        print(f"| {label} | {timings[0]:.2f} | {timings[1]:.2f} | {results[0] == results[1]} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("fast", "full"), default="full")
    ap.add_argument("--chars", type=int, nargs="+", default=[100_000, 400_000, 1_300_000])
    ap.add_argument("--overlaps", type=int, nargs="+", metavar="N",
                    help="time overlap resolution alone on N candidates in one document instead")
    args = ap.parse_args()
    if args.overlaps:
        time_overlaps(args.overlaps)
        return
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

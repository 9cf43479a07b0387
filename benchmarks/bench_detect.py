"""Detection throughput on one core, end to end (read JSONL -> detect -> redact -> write JSONL).

Plain Presidio (``AnalyzerEngine`` defaults on the same spaCy model + ``AnonymizerEngine``) is measured
in the same run on a smaller slice of the same corpus, and every row reports its ratio to it: on a
shared, noisy machine only same-run ratios mean much.

The corpus is the canary document mix of :mod:`benchmarks.accuracy.canary` (forum posts, emails,
logs, configs, code, CSV dumps, changelogs, tickets), generated on the fly with a fixed seed. It is
PII-dense — several values per few hundred bytes — so it is a pessimistic corpus for a detector that
only works where a cheap trigger fires; web text is far sparser.

Rows:

* ``cli``: the real ``scrubber run`` command (``--workers 1``, pipeline ``[detect, transform]``,
  ``--operator redact``) as a subprocess, timed from start to exit: includes interpreter start-up and
  model loading, like a user's run;
* ``cli, start-up excluded``: that run minus the same command on the corpus's first document alone
  (start-up, imports, setup): the steady end-to-end cost of reading, detecting, redacting and
  writing that a long shard pays;
* ``stages``: the same work in-process with plain ``json`` reading/writing and the two stages, after
  ``setup()`` (the steady-state rate);
* ``presidio``: in-process, engines built before timing.

Every row has wall-clock seconds and CPU seconds (``time.process_time`` in-process, the child's user
+ system time for subprocesses); the ratio to Presidio is by CPU time, which a busy shared machine
distorts much less than wall-clock time.

``--prose-share 0.9`` replaces 90% of the documents with PII-free prose, closer to web text.

    .venv/bin/python benchmarks/bench_detect.py                      # fast 20 MB, full 2 MB, Presidio 0.3 MB
    .venv/bin/python benchmarks/bench_detect.py --fast-mb 5 --full-mb 1 --presidio-mb 0.1
    .venv/bin/python benchmarks/bench_detect.py --prose-share 0.9 --cli-rounds 5   # web-like, medians of 5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import canary  # noqa: E402
from benchmarks.accuracy.offline import forbid_network, offline_tldextract  # noqa: E402

BATCH_ROWS = 500


_PROSE = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an "
    "they you were her she there been one all we their has would when if so no will more can out some time "
    "people could them other than then now only its also after first new two years because many most over "
    "such through where before between under city research report market water system government world "
    "music school history team season game film album company students children president development"
)
PROSE_WORDS = tuple(_PROSE.split())


def prose_doc(rng: random.Random) -> str:
    """A paragraph of web-like prose without PII: sentences of common words, a year or count now and then."""
    sentences = []
    for _ in range(rng.randint(8, 30)):
        words = [rng.choice(PROSE_WORDS) for _ in range(rng.randint(8, 24))]
        if rng.random() < 0.2:
            words.insert(rng.randint(0, len(words)), str(rng.choice((rng.randint(1900, 2025), rng.randint(2, 500)))))
        sentences.append(" ".join(words).capitalize() + rng.choice((".", ".", ".", "?", ",")))
    return " ".join(sentences)


def mix_documents(megabytes: float, seed: int, prose_share: float) -> Iterator[tuple[str, str]]:
    """``(kind, text)`` until ``megabytes`` of text: canary documents (kind ``canary``), replaced by
    prose documents (kind ``prose``) for ``prose_share`` of them. The same sequence for the same
    arguments: :func:`write_corpus` writes it, ``bench_mix_split.py`` times its two kinds apart."""
    target = int(megabytes * 1e6)
    rng = random.Random(seed)
    total, chunk = 0, 0
    while total < target:
        for doc in canary.generate(seed + chunk, 200):
            kind, text = ("prose", prose_doc(rng)) if rng.random() < prose_share else ("canary", doc.text)
            yield kind, text
            total += len(text.encode())
            if total >= target:
                return
        chunk += 1


def write_corpus(path: Path, megabytes: float, seed: int, prose_share: float) -> float:
    """Write JSONL until ``megabytes`` of text: canary documents, plus prose documents for ``prose_share``
    of the documents; return the MB of text written."""
    total = 0
    with open(path, "w", encoding="utf-8") as fh:
        for _, text in mix_documents(megabytes, seed, prose_share):
            fh.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
            total += len(text.encode())
    return total / 1e6


def read_texts(path: Path):
    with open(path, encoding="utf-8") as fh:
        batch: list[str] = []
        for line in fh:
            batch.append(json.loads(line)["text"])
            if len(batch) == BATCH_ROWS:
                yield batch
                batch = []
        if batch:
            yield batch


def time_stages(mode: str, src: Path, dst: Path) -> float:
    from scrubber.detect.stage import DetectStage
    from scrubber.records import Batch
    from scrubber.transform.stage import TransformStage

    detect = DetectStage.from_config({"mode": mode})
    transform = TransformStage.from_config({"operator": "redact"})
    detect.ensure_setup()
    transform.ensure_setup()
    start, cpu = time.perf_counter(), time.process_time()
    with open(dst, "w", encoding="utf-8") as out:
        for texts in read_texts(src):
            batch = transform.run(detect.run(Batch({"text": texts})))
            for text in batch.texts:
                out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    return time.perf_counter() - start, time.process_time() - cpu


def time_cli(mode: str, src: Path, out_dir: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the child) of one ``scrubber run``."""
    config = out_dir.parent / "detect-only.yaml"
    config.write_text("pipeline: [detect, transform]\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "scrubber.cli", "run", str(src), "-o", str(out_dir), "--config", str(config),
           "--mode", mode, "--operator", "redact", "--workers", "1", "--no-progress", "--overwrite"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"scrubber run failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_document_copy(src: Path, dst: Path) -> Path:
    """The first line of ``src`` alone: a run over it costs the start-up and setup, nothing more."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(src, "rb") as fh:
        dst.write_bytes(fh.readline())
    return dst


def time_presidio(src: Path, dst: Path) -> tuple[float, float]:
    """Seconds to build the engines, seconds to read, analyze, anonymize and write."""
    import logging

    from presidio_anonymizer import AnonymizerEngine

    from benchmarks.accuracy.systems import build_presidio_analyzer

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    analyzer, anonymizer = build_presidio_analyzer(), AnonymizerEngine()
    build = time.perf_counter() - t0
    start, cpu = time.perf_counter(), time.process_time()
    with open(dst, "w", encoding="utf-8") as out:
        for texts in read_texts(src):
            for text in texts:
                results = analyzer.analyze(text=text, language="en")
                red = anonymizer.anonymize(text=text, analyzer_results=results).text
                out.write(json.dumps({"text": red}, ensure_ascii=False) + "\n")
    return build, (time.perf_counter() - start, time.process_time() - cpu)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fast-mb", type=float, default=20.0)
    ap.add_argument("--full-mb", type=float, default=2.0)
    ap.add_argument("--presidio-mb", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-cli", action="store_true", help="skip the subprocess rows")
    ap.add_argument("--cli-rounds", type=int, default=1,
                    help="run each `scrubber run` (whole corpus, first document) this many times; medians shown")
    ap.add_argument("--prose-share", type=float, default=0.0,
                    help="share of documents replaced by PII-free prose (0 = all canary documents, PII-dense)")
    args = ap.parse_args(argv)

    os.sched_setaffinity(0, {0})  # one core, inherited by the CLI subprocess
    forbid_network()  # the CLI subprocess is not covered; it must be offline by itself
    offline_tldextract()
    rows: list[tuple[str, float, float, float]] = []  # name, MB, wall seconds, CPU seconds
    with tempfile.TemporaryDirectory(prefix="bench-detect-") as tmp:
        work = Path(tmp)
        sizes = {"fast": args.fast_mb, "full": args.full_mb, "presidio": args.presidio_mb}
        corpora = {}
        for name, mb in sizes.items():
            src = work / f"in-{name}" / "corpus.jsonl"
            src.parent.mkdir()
            corpora[name] = (src, write_corpus(src, mb, args.seed, args.prose_share))
        print(f"corpus: canary document mix, {args.prose_share:.0%} of documents replaced by prose, seed "
              f"{args.seed}; 1 core (cpu 0); Python {sys.version.split()[0]}", flush=True)

        src, mb = corpora["presidio"]
        build, (secs, cpu) = time_presidio(src, work / "out-presidio.jsonl")
        rows.append(("presidio analyze+anonymize (in-process)", mb, secs, cpu))
        print(f"presidio engines built in {build:.1f}s (not timed)", flush=True)
        for mode in ("fast", "full"):
            src, mb = corpora[mode]
            rows.append((f"scrubber {mode}: stages (in-process)", mb,
                         *time_stages(mode, src, work / f"out-{mode}.jsonl")))
            if not args.no_cli:
                # The same command on one document: interpreter start-up, imports, rules (and model)
                # setup. The difference is the steady end-to-end cost per MB: read, detect, redact,
                # write, manifest — what a long shard pays. Each round runs both; the table shows
                # the medians, and each round's own difference is printed (one run is noisy).
                one = one_document_copy(src, work / f"in-{mode}-one" / "corpus.jsonl")
                wholes, startups = [], []
                for _ in range(args.cli_rounds):
                    wholes.append(time_cli(mode, src, work / f"cli-{mode}"))
                    startups.append(time_cli(mode, one, work / f"cli-{mode}-one"))
                whole = (median(w for w, _ in wholes), median(c for _, c in wholes))
                startup = (median(w for w, _ in startups), median(c for _, c in startups))
                rows.append((f"scrubber {mode}: `scrubber run --workers 1`", mb, *whole))
                rows.append((f"scrubber {mode}: `scrubber run`, start-up excluded", mb,
                             whole[0] - startup[0], whole[1] - startup[1]))
                rounds = ", ".join(f"{mb / (w[1] - o[1]):.1f}" for w, o in zip(wholes, startups, strict=True))
                print(f"{mode}: MB per CPU-second start-up excluded, per round: {rounds}", flush=True)

    base_wall, base_cpu = rows[0][1] / rows[0][2], rows[0][1] / rows[0][3]
    print("\n| system | MB | seconds | MB/s | MB per CPU-second | x plain Presidio (CPU) |\n|---|---|---|---|---|---|")
    for name, mb, secs, cpu in rows:
        print(f"| {name} | {mb:.2f} | {secs:.2f} | {mb / secs:.3f} | {mb / cpu:.3f} | {mb / cpu / base_cpu:.0f} |")
    print(f"\n(plain Presidio: {base_wall:.3f} MB/s wall, {base_cpu:.3f} MB per CPU-second)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

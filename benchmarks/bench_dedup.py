"""Benchmark the three dedup stages on a generated corpus with planted duplicates.

For each stage, in a fresh process (so peak memory is the stage's own): stream the JSONL shards in
batches through index → resolve → process exactly as the runner does, time only the stage's calls
(reading/JSON parsing is reported apart), and score the decisions against the planted ground truth.
Baselines measured in the same run: an in-memory Python dict for exact dedup, datasketch MinHashLSH
for near-dups (same shingles, same bands x rows), a Python dict of K-token windows for repeats.

    python benchmarks/dedup_corpus.py /tmp/dd32 --mb 32        # default corpus (once)
    python benchmarks/bench_dedup.py /tmp/dd32                  # table for every stage
    python benchmarks/bench_dedup.py /tmp/dd320 --no-baselines  # memory check on a 10x corpus
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import xxhash

from scrubber.dedup.exact import ExactDedupStage, normalizer
from scrubber.dedup.near import NearDedupStage
from scrubber.dedup.repeats import RepeatedSequenceStage
from scrubber.records import Batch, make_doc_id

STAGES = {"exact": ExactDedupStage, "near": NearDedupStage, "repeats": RepeatedSequenceStage}


def shard_paths(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("shard-*.jsonl"))


def read_batches(path: Path, shard: int, batch_size: int, clock: list[float]) -> Iterator[Batch]:
    """Batches of a shard; time spent reading/parsing is added to ``clock[0]``."""
    started = time.perf_counter()
    texts: list[str] = []
    first = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if len(texts) == batch_size:
                clock[0] += time.perf_counter() - started
                yield Batch({"text": texts}, "text", path.name, shard, first)
                started = time.perf_counter()
                first += len(texts)
                texts = []
    clock[0] += time.perf_counter() - started
    if texts:
        yield Batch({"text": texts}, "text", path.name, shard, first)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def planted_copies(truth: dict) -> dict[int, str]:
    out = {}
    for key, (kind, _src) in truth["copies"].items():
        s, r = map(int, key.split(":"))
        out[make_doc_id(s, r)] = kind
    return out


def run_stage(name: str, corpus: Path, batch_size: int) -> dict:
    """Index, resolve and process the corpus with one stage; return timings and scores."""
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    copies = planted_copies(truth)
    rss_start = rss_mb()
    state = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    stage = STAGES[name].from_config({}, state_dir=state)
    # Repeats is scored on the corpus it would see in the pipeline: planted copies already dropped.
    pre_drop = name == "repeats"
    removed_ranges: dict[int, list[tuple[int, int]]] = {}
    if name == "repeats":
        original_apply = stage._apply

        def capture(batch: Batch, row: int, byte_ranges: list[tuple[int, int]]) -> None:
            removed_ranges[batch.doc_ids()[row]] = byte_ranges
            original_apply(batch, row, byte_ranges)

        stage._apply = capture  # type: ignore[method-assign]

    def prepared(path: Path, shard: int, clock: list[float]) -> Iterator[Batch]:
        for batch in read_batches(path, shard, batch_size, clock):
            if pre_drop:
                for i, doc in enumerate(batch.doc_ids()):
                    if doc in copies:
                        batch.mark_dropped(i, "planted_copy")
            yield batch

    read = [0.0]
    wall = {"index": 0.0, "resolve": 0.0, "process": 0.0}
    cpu = dict(wall)

    def timed(phase: str, fn, *args):  # wall and CPU time: the machine may be shared
        w, c = time.perf_counter(), time.process_time()
        out = fn(*args)
        wall[phase] += time.perf_counter() - w
        cpu[phase] += time.process_time() - c
        return out

    in_bytes = max_batch = 0
    paths = shard_paths(corpus)
    for i, path in enumerate(paths):
        timed("index", stage.begin_shard, i)
        for batch in prepared(path, i, read):
            timed("index", stage.index, batch)
            batch_bytes = sum(len(t.encode()) for t in batch.texts)
            in_bytes += batch_bytes
            max_batch = max(max_batch, batch_bytes)
        timed("index", stage.end_shard)
        stage.mark_indexed(i)
    timed("resolve", stage.resolve)
    stage.mark_resolved()
    dropped: set[int] = set()
    for i, path in enumerate(paths):
        for batch in prepared(path, i, read):
            timed("process", stage.run, batch)
            for doc, reason in zip(batch.doc_ids(), batch.drops(), strict=True):
                if reason is not None and reason != "planted_copy":
                    dropped.add(doc)
    result = {
        "stage": name,
        "mb": in_bytes / 1e6,
        "wall_s": wall,
        "cpu_s": cpu,
        "read_s": read[0],
        "mb_per_s": in_bytes / 1e6 / sum(wall.values()),
        "mb_per_cpu_s": in_bytes / 1e6 / sum(cpu.values()),
        "rss_start_mb": rss_start,
        "rss_peak_mb": rss_mb(),
        "state_mb": sum(p.stat().st_size for p in state.rglob("*") if p.is_file()) / 1e6,
        "max_batch_mb": max_batch / 1e6,
        "partitions": stage.partitions,
        "counters": stage.take_counters(),
        "summary": {k: v for k, v in getattr(stage, "summary", {}).items() if k != "top_repeated_windows"},
    }
    if name in ("exact", "near"):
        want = {d for d, kind in copies.items() if name == "near" or kind == "exact"}
        hit = len(dropped & want)
        result["precision"] = hit / max(1, len(dropped))
        result["recall"] = hit / max(1, len(want))
    else:
        result.update(score_spans(truth, removed_ranges, in_bytes))
    return result


def score_spans(truth: dict, removed: dict[int, list[tuple[int, int]]], corpus_bytes: int) -> dict:
    """Recall of planted non-first passage occurrences, and bytes removed outside them."""
    by_passage: dict[int, list[tuple[int, int, int, int]]] = {}
    for s, r, start, end, pid in truth["spans"]:
        by_passage.setdefault(pid, []).append((s, r, start, end))
    should: dict[int, list[tuple[int, int]]] = {}
    for occurrences in by_passage.values():
        for s, r, start, end in sorted(occurrences)[1:]:
            should.setdefault(make_doc_id(s, r), []).append((start, end))
    planted = found = wrong = 0
    for doc in set(should) | set(removed):
        size = max([e for _, e in should.get(doc, [])] + [e for _, e in removed.get(doc, [])])
        want = np.zeros(size, dtype=bool)
        got = np.zeros(size, dtype=bool)
        for start, end in should.get(doc, []):
            want[start:end] = True
        for start, end in removed.get(doc, []):
            got[start:end] = True
        planted += int(want.sum())
        found += int((want & got).sum())
        wrong += int((got & ~want).sum())
    return {
        "span_recall": found / max(1, planted),
        "wrong_bytes_pct": 100.0 * wrong / max(1, corpus_bytes),
        "planted_bytes": planted,
        "docs_touched": len(removed),
    }


# -- determinism across workers ------------------------------------------------------------------
def index_file(stage, shard: int, path: Path, batch_size: int) -> None:
    """Index one shard file (top-level: runs in a worker process on a pickled stage)."""
    stage.begin_shard(shard)
    for batch in read_batches(path, shard, batch_size, [0.0]):
        stage.index(batch)
    stage.end_shard()
    stage.mark_indexed(shard)


def decisions_digest(name: str, corpus: Path, batch_size: int, workers: int) -> str:
    """sha256 of the resolved decision files after indexing with ``workers`` processes, shards reversed."""
    import hashlib
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    state = Path(tempfile.mkdtemp(prefix=f"bench-{name}-w{workers}-"))
    stage = STAGES[name].from_config({}, state_dir=state)
    paths = shard_paths(corpus)
    order = list(range(len(paths)))
    if workers == 1:
        for i in order:
            index_file(stage, i, paths[i], batch_size)
    else:
        order.reverse()
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(index_file, [pickle.loads(pickle.dumps(stage)) for _ in order], order,
                          [paths[i] for i in order], [batch_size] * len(order)))
    stage.resolve()
    digest = hashlib.sha256()
    for path in sorted((state / "decisions").glob("*.npy")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


# -- baselines -----------------------------------------------------------------------------------
def iter_texts(corpus: Path, limit_bytes: float = float("inf")) -> Iterator[tuple[int, str]]:
    seen = 0
    for i, path in enumerate(shard_paths(corpus)):
        with open(path, encoding="utf-8") as fh:
            for row, line in enumerate(fh):
                text = json.loads(line)["text"]
                yield make_doc_id(i, row), text
                seen += len(text.encode())
                if seen >= limit_bytes:
                    return


def baseline_exact(corpus: Path) -> dict:
    texts = list(iter_texts(corpus))
    norm = normalizer(("nfkc", "case", "whitespace"))
    started = time.process_time()
    seen: set[bytes] = set()
    for _doc, text in texts:
        seen.add(xxhash.xxh3_128_digest(norm(text).encode()))
    elapsed = time.process_time() - started
    mb = sum(len(t.encode()) for _, t in texts) / 1e6
    return {"name": "python set of xxh3 digests (in memory)", "mb_per_s": mb / elapsed}


_WORD = re.compile(r"\w+")  # datasketch shingles: lower-cased \w+ words, 5 per shingle


def baseline_near(corpus: Path) -> dict:
    from datasketch import MinHash, MinHashLSH

    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    copies = planted_copies(truth)
    texts = list(iter_texts(corpus))
    started = time.process_time()
    lsh = MinHashLSH(num_perm=112, params=(14, 8))
    dropped = set()
    for doc, text in texts:
        words = _WORD.findall(text.lower())
        shingles = {" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))}
        m = MinHash(num_perm=112, seed=1)
        m.update_batch(list(shingles))
        if lsh.query(m):
            dropped.add(doc)
        lsh.insert(doc, m)
    elapsed = time.process_time() - started
    mb = sum(len(t.encode()) for _, t in texts) / 1e6
    hit = len(dropped & set(copies))
    return {
        "name": "datasketch MinHashLSH 14x8 (in memory)",
        "mb_per_s": mb / elapsed,
        "precision": hit / max(1, len(dropped)),
        "recall": hit / max(1, len(copies)),
    }


def baseline_repeats(corpus: Path, k: int = 50, limit_mb: float = 4.0) -> dict:
    from scrubber.dedup.tokens import decode, tokenize

    texts = list(iter_texts(corpus, limit_mb * 1e6))
    started = time.process_time()
    seen: dict[tuple[str, ...], int] = {}
    for doc, text in texts:
        toks = tokenize([text])
        buf = bytes(toks.buf)
        words = [decode(buf[s:e]) for s, e in zip(toks.starts.tolist(), toks.ends.tolist(), strict=True)]
        for i in range(len(words) - k + 1):
            seen.setdefault(tuple(words[i : i + k]), doc)
    elapsed = time.process_time() - started
    mb = sum(len(t.encode()) for _, t in texts) / 1e6
    return {"name": f"python dict of {k}-token windows (in memory, first {limit_mb:g} MB)", "mb_per_s": mb / elapsed}


def baseline_rensa(corpus: Path) -> dict:
    """rensa's Rust MinHash (signatures only, no LSH) fed the same Python-made shingles; optional."""
    from rensa import RMinHash

    texts = list(iter_texts(corpus))
    started = time.process_time()
    for _doc, text in texts:
        words = _WORD.findall(text.lower())
        m = RMinHash(num_perm=112, seed=1)
        m.update([" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))])
        m.digest()
    elapsed = time.process_time() - started
    mb = sum(len(t.encode()) for _, t in texts) / 1e6
    return {"name": "rensa RMinHash signatures only", "mb_per_s": mb / elapsed}


BASELINES = {"exact": baseline_exact, "near": baseline_near, "repeats": baseline_repeats, "rensa": baseline_rensa}
GOALS = {"exact": 50.0, "near": 5.0, "repeats": 10.0}


def memory_bound_mb(res: dict) -> float:
    """The bound stated in docs/dedup.md: what the stage may add to the process, plus its start."""
    fixed = 3 * 32 + 60 + 64  # spool block (x3 while sorting), 1 MB numpy chunk temporaries, slack
    return res["rss_start_mb"] + fixed + 3 * res["max_batch_mb"] + 3 * res["state_mb"] / res["partitions"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--stages", default="exact,near,repeats")
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--workers-check", type=int, default=0, metavar="N",
                    help="also index with N processes (shards in reverse order) and compare decisions")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one stage, print JSON
    ap.add_argument("--baseline", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_stage(args.one, args.corpus, args.batch_size)))
        return
    if args.baseline:
        print(json.dumps(BASELINES[args.baseline](args.corpus)))
        return
    rows = []
    for name in args.stages.split(","):
        cmd = [sys.executable, __file__, str(args.corpus), "--one", name, "--batch-size", str(args.batch_size)]
        res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        base = None
        if not args.no_baselines:
            cmd = [sys.executable, __file__, str(args.corpus), "--baseline", name]
            base = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        rows.append((res, base))
    print(f"corpus {args.corpus} ({rows[0][0]['mb']:.1f} MB), batch size {args.batch_size}, 1 process\n")
    print("| stage | MB per CPU-s (goal) | MB/s wall | CPU s index / resolve / process | peak RSS MB (start) |"
          " bound MB | state MB | quality | baseline MB per CPU-s | ratio | baseline quality |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for res, base in rows:
        if res["stage"] == "repeats":
            quality = f"span recall {res['span_recall']:.4f}, wrong bytes {res['wrong_bytes_pct']:.4f}%"
        else:
            quality = f"P {res['precision']:.4f} R {res['recall']:.4f}"
        bq = f"P {base['precision']:.4f} R {base['recall']:.4f}" if base and "precision" in base else ""
        cpu = res["cpu_s"]
        print(
            f"| {res['stage']} | {res['mb_per_cpu_s']:.1f} ({GOALS[res['stage']]:g}) | {res['mb_per_s']:.1f} | "
            f"{cpu['index']:.2f} / {cpu['resolve']:.2f} / {cpu['process']:.2f} | "
            f"{res['rss_peak_mb']:.0f} ({res['rss_start_mb']:.0f}) | {memory_bound_mb(res):.0f} "
            f"{'ok' if res['rss_peak_mb'] <= memory_bound_mb(res) else 'EXCEEDED'} | "
            f"{res['state_mb']:.1f} | {quality} | "
            + (f"{base['mb_per_s']:.1f} | {res['mb_per_cpu_s'] / base['mb_per_s']:.2f}x | {bq} |"
               if base else "- | - | - |")
        )
    if not args.no_baselines and "near" in args.stages:
        try:
            cmd = [sys.executable, __file__, str(args.corpus), "--baseline", "rensa"]
            extra = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            print(f"\n{extra['name']}: {extra['mb_per_s']:.1f} MB per CPU-s (pip install rensa)")
        except subprocess.CalledProcessError:
            print("\nrensa not installed: its comparison is skipped")
    if args.workers_check:
        print()
        for name in args.stages.split(","):
            one = decisions_digest(name, args.corpus, args.batch_size, 1)
            many = decisions_digest(name, args.corpus, args.batch_size, args.workers_check)
            verdict = "identical" if one == many else "DIFFERENT"
            print(f"{name}: decisions with 1 vs {args.workers_check} workers (reversed shard order): "
                  f"{verdict} (sha256 {one[:16]})")
    print()
    for res, base in rows:
        print(f"{res['stage']}: counters {res['counters']}; summary {res['summary']}"
              + (f"; baseline: {base['name']}" if base else ""))


if __name__ == "__main__":
    main()

"""The 90/10 mix of issue #3 and its split: ``bench_mix_split.py`` times the documents the mix's
JSONL holds, so the two must be the same sequence."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.bench_detect import mix_documents, write_corpus

ROOT = Path(__file__).resolve().parent.parent


def test_mix_documents_are_the_documents_write_corpus_writes(tmp_path: Path) -> None:
    path = tmp_path / "mix.jsonl"
    megabytes = write_corpus(path, 0.2, seed=1, prose_share=0.9)
    written = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    kinds = list(mix_documents(0.2, seed=1, prose_share=0.9))
    assert [text for _, text in kinds] == written
    assert {kind for kind, _ in kinds} == {"prose", "canary"}
    assert abs(sum(len(t.encode()) for t in written) / 1e6 - megabytes) < 1e-9


def test_bench_mix_split_prints_a_row_per_kind_and_the_mix() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_mix_split.py"), "--megabytes", "0.1",
                           "--passes", "1"], capture_output=True, text=True, check=True, cwd=ROOT)
    rows = [line.split("|")[1].strip() for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert rows == ["kind", "prose", "canary", "mix"]

"""The scaling benchmark compares like with like: every run imports the code frozen at its start.

An early run reported a Ray result not byte-identical to the local engine's while other helpers were
committing dedup changes to the shared checkout; children imported whatever the checkout held at that
moment. These tests check that a child (and so the Ray workers it starts, which inherit its environment
and working directory) imports the frozen copy, and that the corpus generator is deterministic.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_scaling import child_env, freeze_code, make_corpus, run_one  # noqa: E402


def test_bench_scaling_child_imports_the_frozen_copy_not_the_checkout(tmp_path: Path) -> None:
    src = freeze_code(tmp_path)
    probe = "import scrubber, os; print(os.path.dirname(os.path.realpath(scrubber.__file__)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=src.parent, env=child_env(src),
                          capture_output=True, text=True, check=True)
    assert Path(done.stdout.strip()) == (src / "scrubber").resolve()


def test_bench_scaling_run_reports_and_checks_where_its_code_came_from(tmp_path: Path) -> None:
    src = freeze_code(tmp_path)
    assert make_corpus(tmp_path / "corpus", 1, 0.002) == make_corpus(tmp_path / "again", 1, 0.002)
    assert (tmp_path / "corpus" / "part-000.jsonl").read_bytes() == (tmp_path / "again" / "part-000.jsonl").read_bytes()
    config = tmp_path / "p.yaml"
    config.write_text("pipeline:\n  - passthrough\n", encoding="utf-8")
    result = run_one("local", 1, tmp_path / "corpus", tmp_path / "out", config, src)
    assert result["exit"] == 0
    assert result["code"] == [str((src / "scrubber").resolve())]


def test_bench_scaling_reports_every_round_so_the_spread_shows() -> None:
    from benchmarks.bench_scaling import spread_notes

    runs = {("local", 1): [10.0, 12.0], ("local", 2): [5.0, 8.0], ("ray", 1): [11.0], ("ray", 2): [6.0]}
    notes = spread_notes("fast", runs)
    assert notes == ["fast local every run (x1: 10.0, 12.0; x2: 5.0, 8.0 s); speedup per round 2.00, 1.50 "
                     "(median 1.75x)"]  # one Ray round: no spread to show

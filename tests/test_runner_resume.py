"""Atomic, resumable output: reruns skip finished shards, refuse changed input/config, survive SIGKILL,
and the output never depends on the number of workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, tree, write_jsonl

from scrubber.cli import main


def make_corpus(root: Path, shards: int, rows: int, width: int = 200) -> Path:
    for s in range(shards):
        write_jsonl(root / f"part-{s:03d}.jsonl", [{"text": f"{s}-{i} " + "lorem ipsum " * (width // 12), "i": i}
                                                   for i in range(rows)])
    return root


def scrub(inp: Path, out: Path, config: Path, *extra: str) -> int:
    return main(["run", str(inp), "-o", str(out), "--config", str(config), "--no-progress", *extra])


def test_resume_rerun_skips_finished_shards(tmp_path: Path, passthrough_config: Path) -> None:
    inp = make_corpus(tmp_path / "in", 3, 5)
    out = tmp_path / "out"
    assert scrub(inp, out, passthrough_config) == 0
    first = tree(out)
    assert scrub(inp, out, passthrough_config) == 0
    report = json.loads((out / "_scrubber" / "report.json").read_text())
    assert report["totals"]["shards_skipped"] == 3 and report["totals"]["shards_done"] == 0
    assert report["totals"]["docs_in"] == 15  # counters of skipped shards still reported
    assert tree(out) == first


def test_resume_missing_output_is_redone(tmp_path: Path, passthrough_config: Path) -> None:
    inp = make_corpus(tmp_path / "in", 2, 5)
    out = tmp_path / "out"
    scrub(inp, out, passthrough_config)
    (out / "part-001.jsonl").unlink()
    assert scrub(inp, out, passthrough_config) == 0
    report = json.loads((out / "_scrubber" / "report.json").read_text())
    assert report["shards"]["part-001.jsonl"]["status"] == "done"
    assert report["shards"]["part-000.jsonl"]["status"].startswith("skipped")


def test_resume_changed_config_refused_unless_overwrite(tmp_path: Path, passthrough_config: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    inp = make_corpus(tmp_path / "in", 2, 5)
    out = tmp_path / "out"
    scrub(inp, out, passthrough_config)
    other = tmp_path / "other.yaml"
    other.write_text("pipeline:\n  - passthrough: {label: other}\n")
    assert scrub(inp, out, other) == 2
    assert "configuration" in capsys.readouterr().err
    assert scrub(inp, out, other, "--overwrite") == 0


def test_resume_changed_input_refused_unless_overwrite(tmp_path: Path, passthrough_config: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    inp = make_corpus(tmp_path / "in", 2, 5)
    out = tmp_path / "out"
    scrub(inp, out, passthrough_config)
    write_jsonl(inp / "part-000.jsonl", [{"text": "changed"}])
    assert scrub(inp, out, passthrough_config) == 2
    assert "input part-000.jsonl changed" in capsys.readouterr().err
    assert scrub(inp, out, passthrough_config, "--overwrite") == 0
    assert json.loads((out / "part-000.jsonl").read_text())["text"] == "changed"


def test_resume_touched_but_identical_input_is_still_done(tmp_path: Path, passthrough_config: Path) -> None:
    inp = make_corpus(tmp_path / "in", 1, 5)
    out = tmp_path / "out"
    scrub(inp, out, passthrough_config)
    os.utime(inp / "part-000.jsonl", ns=(1, 1))
    assert scrub(inp, out, passthrough_config) == 0
    report = json.loads((out / "_scrubber" / "report.json").read_text())
    assert report["totals"]["shards_skipped"] == 1


def test_resume_after_sigkill_matches_clean_run(tmp_path: Path, passthrough_config: Path) -> None:
    inp = make_corpus(tmp_path / "in", 12, 6000)
    clean = tmp_path / "clean"
    assert scrub(inp, clean, passthrough_config) == 0
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "scrubber.cli", "run", str(inp), "-o", str(out), "--config",
           str(passthrough_config), "--no-progress", "--batch-size", "100"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = out / "_scrubber" / "done"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if done.is_dir() and len(list(done.glob("*.json"))) >= 2:
            break
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = len(list(done.glob("*.json")))
    assert 0 < finished < 12, "the kill must land mid-run"
    # Whatever is at a final path is complete: identical to the clean run's file.
    for rel, data in tree(out).items():
        if not rel.startswith("_scrubber") and not Path(rel).name.startswith("."):
            assert data == tree(clean)[rel], rel
    assert scrub(inp, out, passthrough_config) == 0
    report = json.loads((out / "_scrubber" / "report.json").read_text())
    assert report["totals"]["shards_skipped"] == finished
    assert tree(out) == tree(clean)  # no temporary files left, nothing missing, nothing different


def test_resume_output_identical_for_any_worker_count(tmp_path: Path, passthrough_config: Path) -> None:
    inp = make_corpus(tmp_path / "in", 5, 50)
    write_jsonl(inp / "bad.jsonl", [{"text": "ok"}, b"nope\n"])
    outputs = []
    for workers in (1, 2, 3):
        out = tmp_path / f"out{workers}"
        assert scrub(inp, out, passthrough_config, "--workers", str(workers)) == 0
        outputs.append(tree(out))
    assert outputs[0] == outputs[1] == outputs[2]


def test_resume_output_inside_a_globbed_folder(tmp_path: Path, passthrough_config: Path) -> None:
    """OUT under the root of a recursive glob: the rerun skips everything instead of reading OUT back
    as input, and an OUT that would overwrite the inputs is refused, the inputs left untouched."""
    inp = make_corpus(tmp_path / "in", 2, 3)
    pattern, out = f"{inp}/**/*.jsonl", inp / "out"
    argv = ["run", pattern, "-o", str(out), "--config", str(passthrough_config), "--no-progress"]
    assert main(argv) == 0
    first = tree(out)
    assert main(argv) == 0
    report = json.loads((out / "_scrubber" / "report.json").read_text())
    assert report["totals"]["shards_skipped"] == 2 and report["totals"]["shards_done"] == 0
    assert tree(out) == first
    before = {p.name: p.read_bytes() for p in inp.glob("*.jsonl")}
    assert main(["run", f"{inp}/*.jsonl", "-o", str(inp), "--config", str(passthrough_config), "--no-progress"]) == 2
    assert {p.name: p.read_bytes() for p in inp.glob("*.jsonl")} == before


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` exists and has not exited (a zombie waiting to be reaped has exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_resume_sigkill_of_the_main_process_ends_its_workers(tmp_path: Path, passthrough_config: Path) -> None:
    """Workers must not outlive a main process killed with SIGKILL: orphaned, they would idle forever
    holding their models' memory, or keep writing into OUT while the rerun works there."""
    inp = make_corpus(tmp_path / "in", 8, 6000)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "scrubber.cli", "run", str(inp), "-o", str(out), "--config",
           str(passthrough_config), "--no-progress", "--batch-size", "100", "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
        workers = {p for p in _children(proc.pid)
                   if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")}
        time.sleep(0.05)
    assert len(workers) == 2 and proc.poll() is None, "the kill must land while the workers run"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_running(p) for p in workers):
        time.sleep(0.1)
    alive = [p for p in workers if _running(p)]
    for p in alive:
        os.kill(p, signal.SIGKILL)
    assert alive == []

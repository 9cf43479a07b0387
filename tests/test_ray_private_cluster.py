"""`--engine ray` with no `--address` starts its own Ray, and leaves nothing running (issue #6).

The other Ray tests start Ray themselves (to register a test filesystem in every worker), so this
file is the one that runs the engine's own start and stop: the run must match the local engine byte
for byte, the engine must stop the Ray it started, and no shard actor process may outlive the run
(Ray 2.60's exit handler could keep one alive: scrubber/engines/ray_exit.py).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import ROOT, tree

from scrubber.cli import main

ray = pytest.importorskip("ray")
pytestmark = [pytest.mark.ray, pytest.mark.slow]

SAMPLES = ROOT / "data" / "samples"


def shard_actor_processes() -> set[int]:
    """Live (not zombie) processes of scrubber's shard actors on this machine."""
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # ended while we looked
            continue
        if b"ShardWorker" in command and state != "Z":
            found.add(int(pid))
    return found


def test_ray_engine_starts_and_stops_its_own_ray_and_matches_local(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
) -> None:
    ray.shutdown()  # whatever an earlier test left: this one is about the engine's own start
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    config = tmp_path / "fast.yaml"
    config.write_text(f"rules: {ROOT / 'rules'}\nmode: fast\npipeline:\n  - detect\n  - transform\n",
                      encoding="utf-8")

    def scrub(out: Path, *extra: str) -> int:
        return main(["run", str(SAMPLES), "-o", str(out), "--config", str(config), "--no-progress", *extra])

    assert scrub(tmp_path / "local") == 0
    before = shard_actor_processes()
    capfd.readouterr()
    assert scrub(tmp_path / "ray", "--engine", "ray") == 0
    console = capfd.readouterr().err
    # Ray Data's per-dataset INFO lines and the notes on choices the engine made stay off the console
    for noise in ("Starting execution of Dataset", "Execution plan of Dataset", "Progress bars disabled",
                  "Token authentication is enabled"):
        assert noise not in console

    assert not ray.is_initialized()  # the engine stopped the Ray it started
    deadline = time.monotonic() + 30
    while (left := shard_actor_processes() - before) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert left == set()
    local_tree, ray_tree = tree(tmp_path / "local"), tree(tmp_path / "ray")
    assert sorted(ray_tree) == sorted(local_tree)
    assert [p for p in local_tree if ray_tree[p] != local_tree[p]] == []
    assert any(p.endswith(".jsonl") for p in ray_tree)

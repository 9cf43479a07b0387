"""The Ray engine gives the local engine's output byte for byte, and resumes like it (issue #6).

Runs on a local Ray with 2 CPUs started once for the module; skipped when the `ray` extra is missing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, tree, write_config

from scrubber.cli import main

ray = pytest.importorskip("ray")
pytestmark = [pytest.mark.ray, pytest.mark.slow]

SAMPLES = ROOT / "data" / "samples"
#: The issue's sample pipeline: every dedup stage, then detection and a keyed operator. The rules are a
#: frozen copy (see ``sample_config``) so both engines see the same config fingerprint.
SAMPLE_PIPELINE = """\
rules: rules
pipeline:
  - dedup_exact
  - dedup_near
  - dedup_repeats
  - detect
  - transform
"""


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    yield
    ray.shutdown()


@pytest.fixture
def sample_config(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    return write_config(tmp_path / "sample.yaml", SAMPLE_PIPELINE)


def scrub(out: str | Path, config: Path, *extra: str, inputs: str = str(SAMPLES)) -> int:
    return main(["run", inputs, "-o", str(out), "--config", str(config), "--no-progress", *extra])


def report(out: Path) -> dict:
    return json.loads((out / "_scrubber" / "report.json").read_text(encoding="utf-8"))


def test_ray_engine_sample_pipeline_is_byte_identical_to_local(
    tmp_path: Path, sample_config: Path, local_ray: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # pseudonymize needs the key: identical surrogates prove the key reached every actor.
    monkeypatch.setenv("SCRUBBER_KEY", "ray-engine-test-key-0123456789abcdef")
    config = sample_config
    options = ("--mode", "full", "--operator", "pseudonymize", "--batch-size", "64")
    assert scrub(tmp_path / "local", config, *options, "--workers", "2") == 0
    assert scrub(tmp_path / "ray", config, *options, "--engine", "ray") == 0

    local_tree, ray_tree = tree(tmp_path / "local"), tree(tmp_path / "ray")
    assert sorted(ray_tree) == sorted(local_tree)
    assert [p for p in local_tree if ray_tree[p] != local_tree[p]] == []
    # The run really deduplicated and scrubbed (so the comparison is not between two empty trees).
    totals = report(tmp_path / "ray")["totals"]
    local_totals = report(tmp_path / "local")["totals"]
    assert totals["docs_dropped"] > 0 and totals["docs_out"] == local_totals["docs_out"]
    assert any(p.startswith("_scrubber/state/02-dedup_repeats/decisions/") for p in ray_tree)


def test_ray_engine_resume_redoes_only_unfinished_shards_with_file_uris(
    tmp_path: Path, sample_config: Path, local_ray: None,
) -> None:
    config = sample_config
    out = tmp_path / "out"
    uri_in, uri_out = SAMPLES.as_uri(), out.as_uri()
    assert uri_in.startswith("file://")
    assert scrub(uri_out, config, "--mode", "fast", "--engine", "ray", inputs=uri_in) == 0
    first = tree(out)
    assert report(out)["totals"]["shards_done"] == 6

    # Simulate a crash after two shards: their outputs and done markers are gone.
    for rel in ("web/forum.jsonl", "articles/news.parquet"):
        (out / rel).unlink()
        (out / "_scrubber" / "done" / f"{rel}.json").unlink()
    shutil.rmtree(out / "_scrubber" / "dropped" / "articles", ignore_errors=True)
    assert scrub(uri_out, config, "--mode", "fast", "--engine", "ray", inputs=uri_in) == 0

    totals = report(out)["totals"]
    assert (totals["shards_done"], totals["shards_skipped"]) == (2, 4)
    assert totals["docs_in"] == 618  # skipped shards' counters still count, from their markers
    assert tree(out) == first

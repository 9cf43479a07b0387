"""OUT given as a URL (here fsspec's in-process ``memory://``, standing in for an object store) gets the
same bytes as a local OUT for every format, resumes from done markers read back through fsspec, and
needs ``--state-dir`` for dedup state, which stays on a POSIX folder.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pyarrow as pa
import pytest
from conftest import tree, write_config, write_hf, write_jsonl, write_parquet

from scrubber.cli import main
from scrubber.io.outfs import FsPath, output_location
from scrubber.io.writers import JsonlSidecar, JsonlWriter
from scrubber.runner.manifest import deterministic_files

SECRET = "Alice Smith alice@example.com"

SCRUB = "pipeline:\n  - detect\n  - transform\n"
DEDUP = "pipeline:\n  - detect\n  - transform\n  - dedup_exact\n"

ROWS = [{"text": f"write to {SECRET} today", "id": 1}, {"text": "two ☃ 🙂", "id": 2},
        {"text": f"write to {SECRET} today", "id": 1}]


def _write(root: Path, fmt: str) -> None:
    if fmt == "parquet":
        write_parquet(root / "t.parquet", {"text": [r["text"] for r in ROWS], "id": pa.array([1, 2, 1], pa.int32())},
                      compression="zstd")
    elif fmt == "hf":
        write_hf(root / "hf", {"text": [r["text"] for r in ROWS], "n": [1, 2, 1]})
    else:
        compression = {"jsonl": None, "jsonl.gz": "gzip", "jsonl.zst": "zstd"}[fmt]
        write_jsonl(root / "sub" / f"c.{fmt}", [*ROWS, b"{oops\n"], compression)


@pytest.fixture
def memory_out() -> Iterator[str]:
    """A fresh ``memory://`` output folder, removed afterwards (the memory store is process-global)."""
    base = f"/scrubber-out-{uuid.uuid4().hex}"
    yield f"memory://{base}"
    fs = fsspec.filesystem("memory")
    if fs.exists(base):
        fs.rm(base, recursive=True)


def _run(source: Path, out: str, config: Path, *extra: str) -> int:
    return main(["run", str(source), "-o", out, "--config", str(config), "--workers", "1", "--no-progress",
                 *extra])


def _remote_tree(url: str) -> dict[str, bytes]:
    return deterministic_files(output_location(url))


def _local_tree_without_state(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(root).items() if not k.startswith("_scrubber/state/")}


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz", "jsonl.zst", "parquet", "hf"])
def test_io_fsspec_output_memory_out_is_byte_identical_to_local(
    fmt: str, tmp_path: Path, memory_out: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRUBBER_KEY", "k" * 32)  # the audit sidecar fingerprints with a keyed HMAC
    _write(tmp_path / "in", fmt)
    config = write_config(tmp_path / "p.yaml", SCRUB)
    assert _run(tmp_path / "in", str(tmp_path / "local"), config, "--audit") == 0
    assert _run(tmp_path / "in", memory_out, config, "--audit") == 0
    reference = tree(tmp_path / "local")
    assert any(k.startswith("_scrubber/audit/") for k in reference)  # sidecars are compared too
    assert "_scrubber/run.json" in reference and "_scrubber/manifest.json" in reference
    if fmt == "hf":
        assert {"hf/state.json", "hf/dataset_info.json"} <= set(reference)
    if fmt.startswith("jsonl"):
        assert f"_rejects/sub/c.{fmt}.jsonl" in reference
    assert _remote_tree(memory_out) == reference
    fs = fsspec.filesystem("memory")
    found = fs.find(memory_out)
    assert any(p.endswith("_scrubber/report.json") for p in found)
    assert any("/_scrubber/done/" in p for p in found)
    assert not any(".tmp-" in p for p in found)  # every temporary object was moved into place


def test_io_fsspec_output_rerun_into_memory_skips_finished_shards(tmp_path: Path, memory_out: str) -> None:
    for fmt in ("jsonl.gz", "parquet", "hf"):
        _write(tmp_path / "in", fmt)
    config = write_config(tmp_path / "p.yaml", SCRUB)
    assert _run(tmp_path / "in", memory_out, config) == 0
    first = _remote_tree(memory_out)
    fs = fsspec.filesystem("memory")
    out = output_location(memory_out)
    assert isinstance(out, FsPath)
    fs.pipe_file(f"{out.path}/.t.parquet.tmp-999", b"left by a killed run")
    fs.rm_file(f"{out.path}/_scrubber/done/t.parquet.json")  # as if killed before its marker was written
    assert _run(tmp_path / "in", memory_out, config) == 0
    report = json.loads(fs.cat_file(f"{out.path}/_scrubber/report.json"))
    assert report["totals"]["shards_skipped"] == 2 and report["totals"]["shards_done"] == 1
    assert report["shards"]["t.parquet"]["status"] == "done"
    assert _remote_tree(memory_out) == first
    assert not fs.exists(f"{out.path}/.t.parquet.tmp-999")  # the redone shard's stale temporary


def test_io_fsspec_output_dedup_with_state_dir_matches_local(tmp_path: Path, memory_out: str) -> None:
    for fmt in ("jsonl", "jsonl.zst", "parquet", "hf"):
        _write(tmp_path / "in", fmt)
    config = write_config(tmp_path / "p.yaml", DEDUP)
    assert _run(tmp_path / "in", str(tmp_path / "local"), config) == 0
    state = tmp_path / "state"
    assert _run(tmp_path / "in", memory_out, config, "--state-dir", str(state)) == 0
    reference = _local_tree_without_state(tmp_path / "local")
    assert any(k.startswith("_scrubber/dropped/") for k in reference)  # duplicates really were dropped
    assert _remote_tree(memory_out) == reference
    assert any(state.rglob("*"))  # the state went to --state-dir, not to OUT
    assert not any("/_scrubber/state" in p for p in fsspec.filesystem("memory").find(memory_out))
    assert _run(tmp_path / "in", memory_out, config, "--state-dir", str(state)) == 0  # resumes
    assert _remote_tree(memory_out) == reference


def test_io_fsspec_output_dedup_without_state_dir_is_a_usage_error(
    tmp_path: Path, memory_out: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "in", "jsonl")
    config = write_config(tmp_path / "p.yaml", DEDUP)
    assert _run(tmp_path / "in", memory_out, config) == 2
    err = capsys.readouterr().err
    assert "--state-dir" in err and "dedup_exact" in err
    assert "alice" not in err.lower()
    assert not fsspec.filesystem("memory").exists(memory_out)  # nothing was written


def test_io_fsspec_output_missing_filesystem_package_is_a_usage_error(
    tmp_path: Path, passthrough_config: Path, capsys: pytest.CaptureFixture[str], hide_fs_package
) -> None:
    hide_fs_package("s3fs", "s3")
    _write(tmp_path / "in", "jsonl")
    assert _run(tmp_path / "in", "s3://bucket/out", passthrough_config) == 2
    assert "writing to s3:// needs the s3fs package (pip install s3fs)" in capsys.readouterr().err
    assert not any(p.name.endswith(":") for p in Path.cwd().iterdir())


def test_io_fsspec_output_inside_a_remote_input_folder_is_refused(
    memory_out: str, passthrough_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fsspec.filesystem("memory").pipe_file(output_location(memory_out).path + "/in/a.jsonl", b'{"text": "x"}\n')
    assert main(["run", f"{memory_out}/in", "-o", f"{memory_out}/in/out", "--config", str(passthrough_config),
                 "--no-progress"]) == 2
    assert "is inside input folder" in capsys.readouterr().err
    assert main(["run", f"{memory_out}/in", "-o", f"{memory_out}/in-out", "--config", str(passthrough_config),
                 "--no-progress"]) == 0  # a sibling whose name starts the same is fine


@pytest.mark.parametrize(("location", "expected"), [
    ("out", Path("out")),
    ("file:///tmp/x%20y/out", Path("/tmp/x y/out")),
    (Path("file:///tmp/x/out"), Path("/tmp/x/out")),  # what argparse's type=Path used to make of a URI
    ("memory://bucket/out/", FsPath("memory", "/bucket/out")),
])
def test_io_fsspec_output_location_keeps_paths_and_file_uris_local(location: str | Path, expected: object) -> None:
    assert output_location(location) == expected


@pytest.mark.parametrize("commit", [True, False])
def test_io_fsspec_output_remote_writers_publish_whole_or_nothing(memory_out: str, commit: bool) -> None:
    root = output_location(memory_out)
    assert isinstance(root, FsPath)
    writer, sidecar = JsonlWriter(root / "a.jsonl", None), JsonlSidecar(root / "_rejects" / "a.jsonl.jsonl")
    writer.write_rows({"text": ["one", "two"]})
    sidecar.add({"line": 1})
    fs = fsspec.filesystem("memory")
    assert not fs.exists((root / "a.jsonl").path)  # nothing at the final name while writing
    if commit:
        writer.commit()
        sidecar.commit()
        assert fs.cat_file((root / "a.jsonl").path) == b'{"text":"one"}\n{"text":"two"}\n'
        assert fs.cat_file((root / "_rejects" / "a.jsonl.jsonl").path) == b'{"line":1}\n'
    else:
        writer.abort()
        sidecar.abort()
    assert not any(".tmp-" in p for p in fs.find(root.path))
    assert fs.exists((root / "a.jsonl").path) is commit

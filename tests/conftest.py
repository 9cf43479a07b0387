"""Shared helpers for tests: write small shards in every format and compare output trees."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scrubber.runner.manifest import deterministic_files

ROOT = Path(__file__).resolve().parent.parent



def python_json(code: str, cwd: Path) -> Any:
    """Run ``code`` in a fresh interpreter (only scrubber on its path) and return the JSON value
    of its last line of output: for tests of process-wide settings, which must not leak into
    the test process."""
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def write_jsonl(path: Path, rows: list[Any], compression: str | None = None) -> Path:
    """Rows may be dicts (serialized) or bytes (written verbatim, for malformed lines)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(r if isinstance(r, bytes) else json.dumps(r).encode() + b"\n" for r in rows)
    if compression == "gzip":
        data = gzip.compress(data, mtime=0)
    elif compression == "zstd":
        import zstandard

        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


def write_parquet(path: Path, columns: dict[str, list[Any]], **kwargs: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns), path, **kwargs)
    return path


def write_hf(path: Path, columns: dict[str, list[Any]]) -> Path:
    import datasets

    datasets.Dataset.from_dict(columns).save_to_disk(str(path))
    return path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` that must be identical across runs (see deterministic_files)."""
    return deterministic_files(root)


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrubber.cli", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)


def write_config(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def scrub_with(tmp_path: Path, src: Path, name: str, *flags: str, pipeline: str = "detect, transform") -> Path:
    """``scrubber run SRC -o tmp_path/NAME`` in this process, full mode, with a config holding ``pipeline``
    and any more flags; asserts exit 0 and returns OUT."""
    from scrubber.cli import main

    out = tmp_path / name
    config = write_config(tmp_path / f"{name}.yaml", f"mode: full\npipeline: [{pipeline}]\n")
    assert main(["run", str(src), "-o", str(out), "--config", str(config), "--no-progress", *flags]) == 0
    return out


def read_rows(path: Path) -> list[dict]:
    """The records of a JSONL file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def passthrough_config(tmp_path: Path) -> Path:
    return write_config(tmp_path / "passthrough.yaml", "pipeline:\n  - passthrough\n")


@pytest.fixture
def hide_fs_package(monkeypatch: pytest.MonkeyPatch):
    """``hide(package, protocol)``: make an installed fsspec filesystem package look absent.

    The dev extra installs ``s3fs`` (for the end-to-end S3 tests), yet what a user without it sees must
    stay tested: the import is blocked and the protocol dropped from fsspec's registry of classes it
    already imported.
    """
    import importlib

    classes = importlib.import_module("fsspec.registry")._registry  # `fsspec.registry` is a read-only view

    def hide(package: str, protocol: str) -> None:
        monkeypatch.setitem(sys.modules, package, None)  # `import package` now raises ImportError
        monkeypatch.delitem(classes, protocol, raising=False)

    return hide

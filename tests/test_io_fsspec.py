"""Inputs given as URLs (``memory://``, ``file://``; ``s3://``/``gs://`` when installed) are found and read
exactly like the same files given as local paths (URL outputs: tests/test_io_fsspec_output.py).

``memory://`` is fsspec's in-process filesystem: it stands in for an object store (no real folders,
no mtime, no memory map), so these runs are in-process with one worker.
"""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import fsspec.implementations.memory
import pyarrow as pa
import pytest
from conftest import tree, write_config, write_hf, write_jsonl, write_parquet

from scrubber.cli import main
from scrubber.engines.ray_engine import RayRunner, input_location
from scrubber.errors import ConfigError, ShardError
from scrubber.io.readers import arrow_schema, read_shard
from scrubber.io.shards import discover

SECRET = "Alice Smith alice@example.com"

PIPELINE = """\
pipeline:
  - detect
  - transform
  - dedup_exact
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Every input format, a nested folder, a Hugging Face dataset, a duplicate and a bad record."""
    root = tmp_path / "in"
    write_jsonl(root / "plain.jsonl", [{"text": f"write to {SECRET} today", "id": 1},
                                       {"id": 2, "text": "two ☃ 🙂", "score": 0.5},
                                       b"{oops\n", {"text": None}])
    write_jsonl(root / "gz" / "c.jsonl.gz", [{"text": f"row {i}"} for i in range(7)], "gzip")
    write_jsonl(root / "zst" / "c.jsonl.zst", [{"text": f"row {i}"} for i in range(7)], "zstd")
    write_parquet(root / "table.parquet", {
        "text": ["alpha", None, "call 555-0100"], "id": pa.array([1, 2, 3], pa.int32()),
        "tags": [["x"], [], None], "when": pa.array([1, 2, 3], pa.timestamp("ms")),
    }, compression="zstd")
    write_hf(root / "hf", {"text": ["h1", "two ☃ 🙂", "h3"], "n": [1, 2, 3]})
    (root / "notes.txt").write_text("not a shard\n")
    for skipped in (".cache/x.jsonl", "_scrubber/x.jsonl", "_rejects/r.jsonl", ".hidden.jsonl"):
        write_jsonl(root / skipped, [{"text": "never read"}])  # hidden files and our own output folders
    return root


@pytest.fixture
def memory_corpus(corpus: Path) -> Iterator[str]:
    """The same files under a fresh ``memory://`` folder (removed afterwards: the store is global)."""
    fs = fsspec.filesystem("memory")
    base = f"/scrubber-test-{uuid.uuid4().hex}"
    for path in sorted(corpus.rglob("*")):
        if path.is_file():
            fs.pipe_file(f"{base}/corpus/{path.relative_to(corpus).as_posix()}", path.read_bytes())
    yield f"memory://{base}/corpus"
    fs.rm(base, recursive=True)


def _facts(specs: list) -> list[tuple]:
    return [(s.relpath, s.format, s.compression, s.hf_root) for s in specs]


@pytest.mark.parametrize(("local_form", "url_form"), [
    ("{local}", "{url}"),                                   # folder, recursive
    ("{local}/", "{url}/"),                                 # trailing slash
    ("{local}/**/*.jsonl*", "{url}/**/*.jsonl*"),           # recursive glob
    ("{local}/*", "{url}/*"),                               # glob matching folders and files
    ("{local}/*/*.jsonl.*", "{url}/*/*.jsonl.*"),           # glob below a wildcard folder
    ("{local}/gz/c.jsonl.gz", "{url}/gz/c.jsonl.gz"),       # single file
    ("{local}/hf", "{url}/hf"),                             # Hugging Face folder itself
])
def test_io_fsspec_discovery_of_urls_matches_local_paths(
    corpus: Path, memory_corpus: str, local_form: str, url_form: str
) -> None:
    local = discover([local_form.format(local=corpus)])
    for url in (url_form.format(url=memory_corpus), url_form.format(url=corpus.as_uri())):
        assert _facts(discover([url])) == _facts(local)
    assert all(s.protocol == "memory" for s in discover([url_form.format(url=memory_corpus)]))
    assert all(s.protocol is None for s in discover([url_form.format(url=corpus.as_uri())]))


def test_io_fsspec_every_format_reads_the_same_rows_and_rejects(corpus: Path, memory_corpus: str) -> None:
    local, remote = discover([str(corpus)]), discover([memory_corpus])
    assert {s.format for s in remote} == {"jsonl", "parquet", "arrow"}
    assert {s.compression for s in remote} == {None, "gzip", "zstd"}
    for a, b in zip(local, remote, strict=True):
        got = [(r.columns, [x.to_dict() for x in r.rejects]) for r in read_shard(b, "text", 2)]
        want = [(r.columns, [x.to_dict() for x in r.rejects]) for r in read_shard(a, "text", 2)]
        assert got == want, a.relpath
        assert arrow_schema(b) == arrow_schema(a)
        assert b.size == a.size
        assert b.location.startswith("memory://") and b.location.endswith(a.relpath)


def test_io_fsspec_corrupt_remote_file_names_the_url_not_the_text(memory_corpus: str) -> None:
    fs = fsspec.filesystem("memory")
    url = f"{memory_corpus}/broken.jsonl.gz"
    fs.pipe_file(url, gzip.compress(f'{{"text": "{SECRET}"}}\n'.encode() * 50)[:-20])
    [spec] = [s for s in discover([memory_corpus]) if s.relpath == "broken.jsonl.gz"]
    with pytest.raises(ShardError) as info:
        list(read_shard(spec, "text", 10))
    message = str(info.value)
    assert "memory://" in message and "broken.jsonl.gz" in message
    assert "alice" not in message.lower()


def test_io_fsspec_run_from_memory_is_byte_identical_to_local(
    corpus: Path, memory_corpus: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "p.yaml", PIPELINE)
    outs = {}
    for name, source in (("local", str(corpus)), ("memory", memory_corpus), ("file", corpus.as_uri())):
        outs[name] = tmp_path / f"out-{name}"
        argv = ["run", source, "-o", str(outs[name]), "--config", str(config), "--workers", "1", "--no-progress"]
        assert main(argv) == 0
    reference = tree(outs["local"])
    assert "hf/state.json" in reference and "_rejects/plain.jsonl.jsonl" in reference
    assert b"Alice Smith" not in reference["plain.jsonl"]  # the pipeline really ran
    assert tree(outs["memory"]) == reference
    assert tree(outs["file"]) == reference


def test_io_fsspec_rerun_from_memory_skips_finished_shards(memory_corpus: str, tmp_path: Path) -> None:
    config = write_config(tmp_path / "p.yaml", PIPELINE)
    argv = ["run", memory_corpus, "-o", str(tmp_path / "out"), "--config", str(config), "--workers", "1",
            "--no-progress"]
    assert main(argv) == 0
    first = tree(tmp_path / "out")
    assert main(argv) == 0
    report = json.loads((tmp_path / "out" / "_scrubber" / "report.json").read_text())
    assert report["totals"]["shards_skipped"] == 5 and report["totals"]["shards_done"] == 0
    assert tree(tmp_path / "out") == first


@pytest.mark.parametrize(("url", "package"), [("s3://bucket/corpus", "s3fs"), ("gs://bucket/x/*.parquet", "gcsfs")])
def test_io_fsspec_missing_filesystem_package_is_named(url: str, package: str, hide_fs_package) -> None:
    hide_fs_package(package, url.split("://")[0])
    for call in (lambda: discover([url]), lambda: input_location(url)):
        with pytest.raises(ConfigError, match=rf"pip install {package}"):
            call()


def test_io_fsspec_missing_package_is_a_usage_error_before_writing(
    tmp_path: Path, passthrough_config: Path, capsys: pytest.CaptureFixture[str], hide_fs_package
) -> None:
    hide_fs_package("s3fs", "s3")
    out = tmp_path / "out"
    assert main(["run", "s3://bucket/corpus", "-o", str(out), "--config", str(passthrough_config),
                 "--no-progress"]) == 2
    assert "pip install s3fs" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(("url", "message"), [
    ("nosuchscheme://x/y", "unknown filesystem scheme"),
    ("memory:///scrubber-test-absent/corpus", "no such file or folder"),
    ("memory:///scrubber-test-absent/*.jsonl", "matches no file"),
])
def test_io_fsspec_bad_input_urls_are_config_errors(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        discover([url])


def test_io_fsspec_ray_refuses_process_local_memory_urls_before_writing(
    tmp_path: Path, memory_corpus: str, passthrough_config: Path
) -> None:
    """Ray actors are other processes: ``memory://`` output would vanish, ``memory://`` input be missing.
    (Object-store URLs are fine with Ray: tests/test_ray_engine.py writes through a non-local protocol.)"""
    from scrubber.config import load_config

    config = load_config(str(passthrough_config))
    with pytest.raises(ConfigError, match="exists only inside one process"):
        RayRunner(config, "memory://scrubber-ray-out", progress=False)
    runner = RayRunner(config, tmp_path / "out", progress=False)
    with pytest.raises(ConfigError, match="exists only inside one process"):
        runner.run([memory_corpus])
    assert not (tmp_path / "out").exists()


def test_io_fsspec_ray_keeps_input_urls_and_localizes_file_uris(memory_corpus: str, corpus: Path) -> None:
    assert input_location(memory_corpus) == memory_corpus
    assert input_location(corpus.as_uri()) == str(corpus)
    assert input_location(str(corpus)) == str(corpus)


class _NoCredentialsError(Exception):
    """Like botocore's NoCredentialsError: raised by a filesystem, and not an OSError."""


class _NoCredentialsFS(fsspec.implementations.memory.MemoryFileSystem):
    """A filesystem whose every listing fails the way s3fs does without AWS credentials."""

    protocol = "nocredsfs"

    def info(self, path, **kwargs):
        raise _NoCredentialsError("Unable to locate credentials")

    def ls(self, path, detail=True, **kwargs):
        raise _NoCredentialsError("Unable to locate credentials")

    def makedirs(self, path, exist_ok=False):
        raise _NoCredentialsError("Unable to locate credentials")


@pytest.fixture
def nocreds_fs() -> Iterator[None]:
    fsspec.register_implementation("nocredsfs", _NoCredentialsFS, clobber=True)
    yield
    import sys

    sys.modules["fsspec.registry"]._registry.pop("nocredsfs", None)  # type: ignore[attr-defined]
    _NoCredentialsFS.clear_instance_cache()


def test_io_fsspec_unlistable_input_is_a_usage_error(nocreds_fs: None, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A bucket that cannot be listed (no credentials) stops the run with exit 2 and the reason,
    not with a traceback and exit 1 (which means 'some shards failed, the others were written')."""
    out = tmp_path / "out"
    assert main(["run", "nocredsfs://bucket/corpus", "-o", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "input 'nocredsfs://bucket/corpus': cannot list" in err and "Unable to locate credentials" in err
    assert not out.exists()


def test_io_fsspec_unwritable_out_is_a_usage_error(nocreds_fs: None, tmp_path: Path, corpus: Path,
                                                   passthrough_config: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(corpus), "-o", "nocredsfs://bucket/out", "--config", str(passthrough_config),
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "output nocredsfs:" in err and "cannot create or read it" in err and "credentials" in err


def test_io_local_out_that_cannot_be_created_is_a_usage_error(tmp_path: Path, corpus: Path,
                                                              passthrough_config: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-file").write_text("x")
    out = tmp_path / "a-file" / "out"
    assert main(["run", str(corpus), "-o", str(out), "--config", str(passthrough_config), "--no-progress"]) == 2
    assert "cannot create or read it" in capsys.readouterr().err

"""Input discovery: files, folders and globs map to sorted shards with mirrored relative paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_hf, write_jsonl, write_parquet

from scrubber.errors import ConfigError
from scrubber.io.shards import discover
from scrubber.runner.local import check_output_location


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write_jsonl(root / "b.jsonl", [{"text": "b"}])
    write_jsonl(root / "a" / "x.jsonl.gz", [{"text": "x"}], "gzip")
    write_jsonl(root / "a" / "y.jsonl.zst", [{"text": "y"}], "zstd")
    write_parquet(root / "p.parquet", {"text": ["p"]})
    write_hf(root / "hf", {"text": ["h1", "h2"]})
    (root / "notes.txt").write_text("not a shard")
    return root


def test_shards_folder_is_recursive_sorted_and_typed(corpus: Path) -> None:
    shards = discover([str(corpus)])
    assert [s.relpath for s in shards] == [
        "a/x.jsonl.gz", "a/y.jsonl.zst", "b.jsonl", "hf/data-00000-of-00001.arrow", "p.parquet"]
    kinds = {s.relpath: (s.format, s.compression) for s in shards}
    assert kinds["a/x.jsonl.gz"] == ("jsonl", "gzip")
    assert kinds["a/y.jsonl.zst"] == ("jsonl", "zstd")
    assert kinds["p.parquet"] == ("parquet", None)
    assert kinds["hf/data-00000-of-00001.arrow"] == ("arrow", None)
    assert shards[3].hf_root == "hf"


@pytest.mark.parametrize(("pattern", "expected"), [
    ("{root}/a/*.jsonl*", ["x.jsonl.gz", "y.jsonl.zst"]),
    ("{root}/**/*.jsonl*", ["a/x.jsonl.gz", "a/y.jsonl.zst", "b.jsonl"]),
    ("{root}/*.parquet", ["p.parquet"]),
])
def test_shards_glob_relative_to_fixed_prefix(corpus: Path, pattern: str, expected: list[str]) -> None:
    assert [s.relpath for s in discover([pattern.format(root=corpus)])] == expected


def test_shards_single_file_keeps_its_name(corpus: Path) -> None:
    assert [s.relpath for s in discover([str(corpus / "a" / "x.jsonl.gz")])] == ["x.jsonl.gz"]


@pytest.mark.parametrize(("make", "message"), [
    (lambda root: [str(root / "missing")], "no such file or folder"),
    (lambda root: [str(root / "nothing*.jsonl")], "matches no file"),
    (lambda root: [str(root / "a" / "x.jsonl.gz"), str(root / "b" / "x.jsonl.gz")], "would both be written"),
])
def test_shards_bad_inputs_are_clear_errors(tmp_path: Path, make, message: str) -> None:
    write_jsonl(tmp_path / "a" / "x.jsonl.gz", [{"text": "1"}], "gzip")
    write_jsonl(tmp_path / "b" / "x.jsonl.gz", [{"text": "2"}], "gzip")
    with pytest.raises(ConfigError, match=message):
        discover(make(tmp_path))


def test_shards_empty_folder_names_supported_formats(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\.jsonl\.zst"):
        discover([str(tmp_path)])


def test_shards_output_inside_input_is_refused(corpus: Path) -> None:
    with pytest.raises(ConfigError, match="inside input folder"):
        check_output_location([str(corpus)], corpus / "out")


def test_shards_glob_does_not_reach_into_the_output_folder(corpus: Path) -> None:
    """A recursive glob over a folder that holds OUT must not read the run's own output back in:
    the rerun would scrub it again (or refuse, the shard list having changed)."""
    write_jsonl(corpus / "out" / "b.jsonl", [{"text": "already scrubbed"}])
    write_jsonl(corpus / "out" / "_rejects" / "b.jsonl.jsonl", [{"file": "b.jsonl", "raw": "x"}])
    pattern = f"{corpus}/**/*.jsonl"
    assert "out/b.jsonl" in [s.relpath for s in discover([pattern])]
    assert [s.relpath for s in discover([pattern], output=corpus / "out")] == ["b.jsonl"]


def _folder_with_a_shard(folder: Path) -> Path:
    write_jsonl(folder / "c.jsonl", [{"text": "c"}])
    return folder


@pytest.mark.parametrize("inputs", [
    lambda root: [str(root / "b.jsonl")],      # a file whose output is itself
    lambda root: [f"{root}/*.jsonl"],          # a glob whose every match is inside OUT
    lambda root: [str(root)],                  # the output folder itself
    lambda root: [str(_folder_with_a_shard(root / "sub"))],  # a folder inside OUT
])
def test_shards_input_inside_the_output_folder_is_refused(corpus: Path, inputs) -> None:
    """Writing OUT would replace the inputs themselves with their scrubbed copies (and the rerun then
    refuses them as changed): refused before anything is written."""
    with pytest.raises(ConfigError, match="inside the output folder"):
        discover(inputs(corpus), output=corpus)

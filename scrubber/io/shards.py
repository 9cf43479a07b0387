"""Find input shards and describe each one: path, format, compression and where its output goes.

A *shard* is one file that is read as a stream of rows and written as one output file at the same
relative path. A Hugging Face ``save_to_disk`` folder contributes one shard per ``.arrow`` data file;
its JSON metadata is copied once all of its shards are done. Shards are sorted by relative path:
that order is the corpus order that dedup's "keep the first occurrence" refers to, so it must never
depend on the file system's listing order or on the number of workers.
"""

from __future__ import annotations

import glob
import json
import os
from dataclasses import dataclass
from pathlib import Path

from scrubber.errors import ConfigError

JSONL_SUFFIXES = {".jsonl": None, ".jsonl.gz": "gzip", ".jsonl.zst": "zstd", ".jsonl.zstd": "zstd"}
PARQUET_SUFFIXES = (".parquet",)
HF_STATE = "state.json"
HF_INFO = "dataset_info.json"
HF_DICT = "dataset_dict.json"
#: Folders the runner writes under an output folder; never read back as input.
OUTPUT_FOLDERS = ("_scrubber", "_rejects")


@dataclass(frozen=True, slots=True)
class ShardSpec:
    """One input file and the facts needed to read it and mirror it in the output.

    ``hf_root`` is the dataset folder (the one holding ``state.json``) relative to the input root,
    for shards that are ``.arrow`` files of a Hugging Face dataset; ``None`` otherwise.
    """

    path: Path
    relpath: str
    format: str  # "jsonl" | "parquet" | "arrow"
    compression: str | None = None
    hf_root: str | None = None

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def classify(path: Path) -> tuple[str, str | None] | None:
    """Return (format, compression) for a supported data file name, else None."""
    name = path.name.lower()
    for suffix, compression in JSONL_SUFFIXES.items():
        if name.endswith(suffix):
            return "jsonl", compression
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet", None
    return None


def hf_data_files(folder: Path) -> list[str]:
    """The ``.arrow`` files a ``save_to_disk`` folder lists in its state.json, in its own order."""
    state_path = folder / HF_STATE
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        return [entry["filename"] for entry in state["_data_files"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{state_path}: not a readable Hugging Face dataset state file ({exc})") from None


def is_hf_dataset(folder: Path) -> bool:
    return (folder / HF_STATE).is_file() and (folder / HF_INFO).is_file()


def _walk(root: Path) -> list[tuple[Path, str | None]]:
    """Every data file below ``root`` with the HF dataset folder it belongs to (if any)."""
    found: list[tuple[Path, str | None]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in OUTPUT_FOLDERS)
        if is_hf_dataset(here):
            found.extend((here / name, str(here.relative_to(root))) for name in hf_data_files(here))
            dirnames[:] = []  # a dataset folder's content is described by its state.json only
            continue
        found.extend((here / f, None) for f in sorted(filenames) if not f.startswith("."))
    return found


def _glob_root(pattern: str) -> Path:
    """The deepest folder of a glob pattern that has no wildcard: relative paths start there."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts:
        if glob.has_magic(part):
            break
        fixed.append(part)
    root = Path(*fixed) if fixed else Path(".")
    return root if root.is_dir() else root.parent


def discover(inputs: list[str]) -> list[ShardSpec]:
    """Resolve files, folders (recursive) and globs into shards, sorted by relative path.

    Relative paths come from the folder given (or the glob's fixed prefix, or the file's own name
    for a single file). Two inputs mapping to the same relative path would overwrite each other's
    output, so that is an error.
    """
    shards: dict[str, ShardSpec] = {}
    for item in inputs:
        candidates: list[tuple[Path, Path, str | None]] = []  # (file, root, hf_root)
        path = Path(item)
        if glob.has_magic(item):
            root = _glob_root(item)
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise ConfigError(f"input {item!r}: the pattern matches no file")
            for match in matches:
                m = Path(match)
                if m.is_dir():
                    candidates.extend((f, root, _rel_hf(hf, m, root)) for f, hf in _walk(m))
                else:
                    candidates.append((m, root, None))
        elif path.is_dir():
            candidates.extend((f, path, hf) for f, hf in _walk(path))
        elif path.is_file():
            candidates.append((path, path.parent, None))
        else:
            raise ConfigError(f"input {item!r}: no such file or folder")
        for file, root, hf_root in candidates:
            kind = ("arrow", None) if hf_root is not None else classify(file)
            if kind is None:
                continue
            relpath = file.relative_to(root).as_posix()
            spec = ShardSpec(file, relpath, kind[0], kind[1], hf_root)
            previous = shards.get(relpath)
            if previous is not None and previous.path.resolve() != file.resolve():
                raise ConfigError(
                    f"inputs {previous.path} and {file} would both be written to {relpath!r}; "
                    "give their common parent folder instead"
                )
            shards[relpath] = spec
    if not shards:
        raise ConfigError(
            f"no input shards found in {', '.join(inputs)} (looked for .jsonl, .jsonl.gz, .jsonl.zst, "
            ".parquet files and Hugging Face save_to_disk folders)"
        )
    return [shards[k] for k in sorted(shards)]


def _rel_hf(hf_root: str | None, matched: Path, root: Path) -> str | None:
    """Re-base an HF folder found under a glob match onto the glob's root."""
    if hf_root is None:
        return None
    return (matched / hf_root).resolve().relative_to(root.resolve()).as_posix()

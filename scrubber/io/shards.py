"""Find input shards and describe each one: path, format, compression and where its output goes.

A *shard* is one file that is read as a stream of rows and written as one output file at the same
relative path. A Hugging Face ``save_to_disk`` folder contributes one shard per ``.arrow`` data file;
its JSON metadata is copied once all of its shards are done. Shards are sorted by relative path:
that order is the corpus order that dedup's "keep the first occurrence" refers to, so it must never
depend on the file system's listing order or on the number of workers.

Inputs may be plain paths or URLs. Plain paths and ``file://`` URIs are local files, read with the
operating system (Arrow files memory-mapped). Any other scheme (``s3://``, ``gs://``, ``memory://``…)
is read through an fsspec filesystem, so object stores work without a mount; the filesystem's package
(s3fs, gcsfs…) must be installed, and a missing one is a clear error naming it. A shard keeps only
the protocol and the path, never a filesystem object: credentials come from the filesystem's usual
configuration in each process, never through pickled tasks.
"""

from __future__ import annotations

import glob
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import urlsplit

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
    ``protocol`` is ``None`` for a local file (``path`` is then a :class:`Path`) and the fsspec
    protocol of a remote one (``path`` is then the filesystem's own path, e.g. ``bucket/key``).
    """

    path: Path | PurePosixPath
    relpath: str
    format: str  # "jsonl" | "parquet" | "arrow"
    compression: str | None = None
    hf_root: str | None = None
    protocol: str | None = None

    @property
    def is_local(self) -> bool:
        return self.protocol is None

    @property
    def location(self) -> str:
        """Where the shard is, as the user would write it (for messages): a path or a URL."""
        return str(self.path) if self.protocol is None else f"{self.protocol}://{self.path.as_posix()}"

    def filesystem(self) -> Any:
        """The fsspec filesystem of a remote shard (fsspec caches instances per process)."""
        return filesystem(self.protocol or "file")

    def open(self) -> BinaryIO:
        """The raw bytes of the shard, from the local disk or through fsspec."""
        if self.protocol is None:
            return open(self.path, "rb")
        return self.filesystem().open(self.path.as_posix(), "rb")

    @property
    def size(self) -> int:
        if self.protocol is None:
            return self.path.stat().st_size
        return int(self.filesystem().size(self.path.as_posix()))

    def stat(self) -> tuple[int, int | None]:
        """(size, modification time in ns or None when the filesystem does not report one)."""
        if self.protocol is None:
            st = self.path.stat()
            return st.st_size, st.st_mtime_ns
        fs = self.filesystem()
        path = self.path.as_posix()
        try:
            mtime: int | None = int(fs.modified(path).timestamp() * 1_000_000_000)
        except (NotImplementedError, OSError, AttributeError, ValueError):
            mtime = None  # then resume compares checksums, which is always right, only slower
        return int(fs.size(path)), mtime


def _package_for(protocol: str) -> str:
    """The package that provides an fsspec protocol (``s3`` → ``s3fs``), for an actionable message."""
    from fsspec.registry import known_implementations

    entry = known_implementations.get(protocol, {})
    return str(entry.get("class", protocol)).split(".")[0]


def filesystem(protocol: str, purpose: str = "reading") -> Any:
    """An fsspec filesystem by protocol, or a :class:`ConfigError` that names the package to install."""
    import fsspec

    try:
        return fsspec.filesystem(protocol)
    except ImportError:
        package = _package_for(protocol)
        raise ConfigError(
            f"{purpose} {protocol}:// needs the {package} package (pip install {package})"
        ) from None
    except ValueError:
        raise ConfigError(f"unknown filesystem scheme {protocol}:// (fsspec has no such protocol)") from None


def file_uri_path(uri: str) -> str:
    """The local path of a ``file://`` URI, decoded by pyarrow's filesystem layer (the one Ray Data
    uses), so ``%20`` and the ``file:/x`` form that ``Path('file:///x')`` makes both work."""
    from pyarrow.fs import FileSystem

    return str(FileSystem.from_uri(uri)[1])


def split_location(item: str) -> tuple[str | None, str]:
    """(fsspec protocol, path) for an input: protocol ``None`` for local paths and ``file://`` URIs.

    ``file://`` becomes a local path so local inputs behave the same whichever way they are written.
    """
    scheme = urlsplit(item).scheme
    if len(scheme) <= 1:  # no scheme, or a Windows drive letter
        return None, item
    if scheme == "file":
        return None, file_uri_path(item)
    fs = filesystem(scheme)
    return fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0], fs._strip_protocol(item)


def classify(path: PurePath) -> tuple[str, str | None] | None:
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


def discover(inputs: list[str], output: Path | None = None) -> list[ShardSpec]:
    """Resolve files, folders (recursive) and globs into shards, sorted by relative path.

    Relative paths come from the folder given (or the glob's fixed prefix, or the file's own name
    for a single file). Two inputs mapping to the same relative path would overwrite each other's
    output, so that is an error.

    ``output`` is the run's local output folder. A glob's wildcards do not match inside it: its
    files are this run's results (or quarantined raw input), and reading them back would make a
    rerun scrub its own output. A file or folder given by name inside it, or a glob whose every
    match is inside it, is an error: writing OUT would replace those inputs with their scrubbed
    copies, or mix them with the run's results.
    """
    shards: dict[str, ShardSpec] = {}
    out = output.resolve() if output is not None else None
    for original in inputs:
        protocol, item = split_location(original)
        if protocol is not None:
            _add_remote(shards, original, protocol, item)
            continue
        candidates: list[tuple[Path, Path, str | None]] = []  # (file, root, hf_root)
        path = Path(item)
        if glob.has_magic(item):
            root = _glob_root(item)
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise ConfigError(f"input {original!r}: the pattern matches no file")
            if out is not None:
                matches = [m for m in matches if not _inside(Path(m), out)]
                if not matches:
                    raise ConfigError(
                        f"input {original!r}: every file it matches is inside the output folder {output}, "
                        "which the run writes; choose an output folder outside the inputs"
                    )
            for match in matches:
                m = Path(match)
                if m.is_dir():
                    candidates.extend((f, root, _rel_hf(hf, m, root)) for f, hf in _walk(m))
                else:
                    candidates.append((m, root, None))
        elif path.is_dir():
            _refuse_inside(original, path, out, "it holds this run's results and quarantined records")
            candidates.extend((f, path, hf) for f, hf in _walk(path))
        elif path.is_file():
            _refuse_inside(original, path, out, "its output would replace it")
            candidates.append((path, path.parent, None))
        else:
            raise ConfigError(f"input {original!r}: no such file or folder")
        for file, root, hf_root in candidates:
            kind = ("arrow", None) if hf_root is not None else classify(file)
            if kind is None:
                continue
            relpath = file.relative_to(root).as_posix()
            spec = ShardSpec(file, relpath, kind[0], kind[1], hf_root)
            previous = shards.get(relpath)
            if previous is not None and (previous.protocol is not None or previous.path.resolve() != file.resolve()):
                raise ConfigError(
                    f"inputs {previous.location} and {file} would both be written to {relpath!r}; "
                    "give their common parent folder instead"
                )
            shards[relpath] = spec
    if not shards:
        raise ConfigError(
            f"no input shards found in {', '.join(inputs)} (looked for .jsonl, .jsonl.gz, .jsonl.zst, "
            ".parquet files and Hugging Face save_to_disk folders)"
        )
    return [shards[k] for k in sorted(shards)]


def _refuse_inside(original: str, path: Path, out: Path | None, why: str) -> None:
    """An input named inside the (resolved) output folder ``out`` is a usage error: ``why`` says what
    writing OUT would do to it."""
    if out is not None and _inside(path, out):
        raise ConfigError(f"input {original!r} is inside the output folder {out}, which the run writes ({why}); "
                          "choose an output folder outside the inputs")


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` (resolved: links and ``..`` followed) lies in the resolved ``folder``."""
    return path.resolve().is_relative_to(folder)


def _rel_hf(hf_root: str | None, matched: Path, root: Path) -> str | None:
    """Re-base an HF folder found under a glob match onto the glob's root."""
    if hf_root is None:
        return None
    return (matched / hf_root).resolve().relative_to(root.resolve()).as_posix()


def _add_remote(shards: dict[str, ShardSpec], original: str, protocol: str, item: str) -> None:
    """``discover`` for one fsspec input: the same rules as for local ones, listed through fsspec."""
    fs = filesystem(protocol)
    candidates: list[tuple[str, str, str | None]] = []  # (file, root, hf_root), fs paths
    try:
        if glob.has_magic(item):
            parts = PurePosixPath(item).parts
            fixed = _prefix_without_magic(parts)
            root = str(PurePosixPath(*fixed)) if fixed else ""
            if not fs.isdir(root):
                root = str(PurePosixPath(root).parent)
            # Like the standard glob, wildcards do not match hidden names (fsspec's glob does), unless
            # the pattern itself names a hidden part.
            names_hidden = any(part.startswith(".") for part in PurePosixPath(item).parts)
            matches = sorted(m for m in fs.glob(item) if names_hidden or not any(
                part.startswith(".") for part in PurePosixPath(_posix_rel(m, root)).parts))
            if not matches:
                raise ConfigError(f"input {original!r}: the pattern matches no file")
            for match in matches:
                if fs.isdir(match):
                    for f, hf in _walk_fs(fs, match):
                        hf_rel = None if hf is None else _posix_rel(f"{match}/{hf}" if hf != "." else match, root)
                        candidates.append((f, root, hf_rel))
                else:
                    candidates.append((match, root, None))
        elif fs.isdir(item):
            candidates.extend((f, item, hf) for f, hf in _walk_fs(fs, item))
        elif fs.isfile(item):
            candidates.append((item, str(PurePosixPath(item).parent), None))
        else:
            raise ConfigError(f"input {original!r}: no such file or folder")
    except ConfigError:
        raise
    except Exception as exc:  # OSError, or the filesystem's own (botocore's NoCredentialsError is neither)
        raise ConfigError(f"input {original!r}: cannot list ({type(exc).__name__}: {str(exc)[:200]})") from None
    for file, root, hf_root in candidates:
        posix = PurePosixPath(file)
        kind = ("arrow", None) if hf_root is not None else classify(posix)
        if kind is None:
            continue
        relpath = _posix_rel(file, root)
        spec = ShardSpec(posix, relpath, kind[0], kind[1], hf_root, protocol)
        previous = shards.get(relpath)
        if previous is not None and (previous.protocol, previous.path) != (protocol, posix):
            raise ConfigError(
                f"inputs {previous.location} and {spec.location} would both be written to {relpath!r}; "
                "give their common parent folder instead"
            )
        shards[relpath] = spec


def _prefix_without_magic(parts: tuple[str, ...]) -> list[str]:
    fixed: list[str] = []
    for part in parts:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return fixed


def _posix_rel(path: str, root: str) -> str:
    """``path`` relative to ``root`` for fsspec paths (no resolving: object stores have no links)."""
    rel = PurePosixPath(path).relative_to(PurePosixPath(root)) if root not in ("", ".") else PurePosixPath(path)
    return rel.as_posix()


def _walk_fs(fs: Any, root: str) -> list[tuple[str, str | None]]:
    """``_walk`` through fsspec: every data file below ``root`` with its HF dataset folder (if any)."""
    found: list[tuple[str, str | None]] = []
    for dirpath, dirnames, filenames in fs.walk(root, topdown=True):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in OUTPUT_FOLDERS)
        names = set(filenames)
        if HF_STATE in names and HF_INFO in names:
            state_path = f"{dirpath}/{HF_STATE}"
            try:
                with fs.open(state_path, "rb") as fh:
                    state = json.loads(fh.read().decode("utf-8"))
                files = [entry["filename"] for entry in state["_data_files"]]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ConfigError(
                    f"{fs.unstrip_protocol(state_path)}: not a readable Hugging Face dataset state file ({exc})"
                ) from None
            hf_rel = _posix_rel(dirpath, root) if dirpath != root else "."
            found.extend((f"{dirpath}/{name}", hf_rel) for name in files)
            dirnames[:] = []
            continue
        found.extend((f"{dirpath}/{f}", None) for f in sorted(filenames) if not f.startswith("."))
    return found

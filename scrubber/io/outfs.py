"""Output locations: a local folder (a :class:`~pathlib.Path`) or a folder behind an fsspec URL.

The runner and the writers handle both through the same few operations (``/``, ``mkdir``,
``exists``, ``open``, ``unlink`` …): :class:`FsPath` offers the subset of :class:`~pathlib.Path` they
use, implemented with fsspec, so local output keeps going through the operating system unchanged.

Publishing differs. Locally a finished file is fsynced and renamed over the final name (atomic on
POSIX). On a remote filesystem it is written under a temporary name and then moved with ``fs.mv``:
object stores have no rename, but they publish an object only once its upload completes, so the final
name is either absent or complete (a reader never sees a half-written object); a crash between the
copy and the delete leaves only a temporary object, which the next run deletes.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from scrubber.io.shards import file_uri_path, filesystem


@dataclass(frozen=True, slots=True)
class FsPath:
    """A path on an fsspec filesystem, named by its protocol (picklable: no filesystem object or
    credential travels with it; every process gets its own filesystem instance from fsspec)."""

    protocol: str
    path: str

    @property
    def fs(self) -> Any:
        return filesystem(self.protocol)

    def __truediv__(self, other: str | Path) -> FsPath:
        return FsPath(self.protocol, posixpath.join(self.path, str(other)))

    def __str__(self) -> str:
        return self.fs.unstrip_protocol(self.path)

    def as_posix(self) -> str:
        return self.path

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def parent(self) -> FsPath:
        return FsPath(self.protocol, posixpath.dirname(self.path))

    def with_name(self, name: str) -> FsPath:
        return self.parent / name

    def relative_to(self, other: FsPath) -> Path:
        return Path(posixpath.relpath(self.path, other.path))

    def mkdir(self, parents: bool = False, exist_ok: bool = False) -> None:
        self.fs.makedirs(self.path, exist_ok=True)

    def exists(self) -> bool:
        return bool(self.fs.exists(self.path))

    def is_dir(self) -> bool:
        return bool(self.fs.isdir(self.path))

    def is_file(self) -> bool:
        return bool(self.fs.isfile(self.path))

    def iterdir(self) -> Iterator[FsPath]:
        for child in self.fs.ls(self.path, detail=False):
            yield FsPath(self.protocol, self.fs._strip_protocol(child))

    def files(self) -> Iterator[FsPath]:
        """Every file below this folder (``Path.rglob('*')`` restricted to files)."""
        if not self.fs.isdir(self.path):
            return
        for found in sorted(self.fs.find(self.path)):
            yield FsPath(self.protocol, self.fs._strip_protocol(found))

    def unlink(self, missing_ok: bool = False) -> None:
        try:
            self.fs.rm_file(self.path)
        except FileNotFoundError:
            if not missing_ok:
                raise

    def read_bytes(self) -> bytes:
        return bytes(self.fs.cat_file(self.path))

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.read_bytes().decode(encoding)

    def open(self, mode: str = "rb", encoding: str | None = None) -> IO[Any]:
        return self.fs.open(self.path, mode, encoding=encoding) if "b" not in mode else self.fs.open(self.path, mode)


#: Where output goes: a local folder or a folder on an fsspec filesystem.
OutPath = Path | FsPath


def output_location(location: str | OutPath) -> OutPath:
    """OUT as given on the command line: a plain path or ``file://`` URI is a local :class:`Path`;
    any other URL is an :class:`FsPath` (a missing filesystem package is a :class:`ConfigError`).
    An :class:`FsPath` is returned as it is (an engine may resolve OUT before its base class does)."""
    if isinstance(location, FsPath):
        return location
    if isinstance(location, Path):
        # A Path folds ``file:///x`` into ``file:/x``; that is still a local folder (as before).
        text = str(location)
        return Path(file_uri_path(text)) if urlsplit(text).scheme == "file" else location
    scheme = urlsplit(location).scheme
    if len(scheme) <= 1:  # no scheme, or a Windows drive letter
        return Path(location)
    if scheme == "file":
        return Path(file_uri_path(location))
    fs = filesystem(scheme, "writing to")
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return FsPath(protocol, fs._strip_protocol(location).rstrip("/") or "/")


def is_remote(path: OutPath) -> bool:
    return isinstance(path, FsPath)


def publish(tmp: OutPath, final: OutPath) -> None:
    """Make the complete file ``tmp`` appear at ``final``: after this returns it is there whole or absent.

    Locally: fsync, then rename (atomic). Remotely: ``fs.mv`` (copy, then delete); the final object
    is published only once complete, see the module docstring.
    """
    if isinstance(tmp, FsPath):
        assert isinstance(final, FsPath)
        tmp.fs.mv(tmp.path, final.path)
        return
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def write_json(path: OutPath, info: Mapping[str, Any]) -> None:
    """Atomically write a small JSON file (done marker, run.json, report, manifest).

    The local case is :func:`scrubber.stages.base.write_marker` byte for byte (temporary name,
    fsync, rename); the remote one writes the same bytes to a temporary name and moves it.
    """
    if isinstance(path, Path):
        from scrubber.stages.base import write_marker

        write_marker(path, info)
        return
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("wb") as fh:
        fh.write(json.dumps(dict(info), sort_keys=True).encode("utf-8"))
    publish(tmp, path)


def remove_tree(path: OutPath) -> None:
    """Delete a folder and everything below it, if it exists."""
    if isinstance(path, Path):
        import shutil

        shutil.rmtree(path, ignore_errors=True)
    elif path.fs.exists(path.path):
        path.fs.rm(path.path, recursive=True)


def all_files(root: OutPath) -> Iterator[tuple[str, OutPath]]:
    """(relative posix path, path) of every file below ``root``, sorted by path."""
    if isinstance(root, Path):
        for path in sorted(root.rglob("*")):
            if path.is_file():
                yield path.relative_to(root).as_posix(), path
    else:
        for path in root.files():
            yield path.relative_to(root).as_posix(), path

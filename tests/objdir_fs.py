"""``objdir://``: a test filesystem that behaves like an object store but keeps its objects in a local folder.

Tests that span processes (Ray actors) cannot use fsspec's ``memory://``, which lives inside one
process. ``objdir:///tmp/x/out`` names the local folder ``/tmp/x/out``, so every process sees the same
files, while its protocol is not ``file``: scrubber treats it as a remote filesystem (output published
under a temporary name and moved, dedup state in ``--state-dir``). Like an object store it has no
rename — ``mv`` copies, then deletes — and needs no folders created before writing.

Register it in each process with :func:`register` (Ray: as the ``worker_process_setup_hook``, with this
folder on the workers' ``PYTHONPATH``; see :data:`RAY_RUNTIME_ENV`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

PROTOCOL = "objdir"


class ObjectDirFileSystem(LocalFileSystem):
    """A local folder seen through a non-``file`` protocol, with object-store semantics for ``mv``."""

    protocol = (PROTOCOL,)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(auto_mkdir=True, **kwargs)  # object stores have no folders to create first

    def mv(self, path1: str, path2: str, recursive: bool = True, **kwargs: Any) -> None:
        """Copy then delete, as S3 and GCS do: never an atomic rename."""
        self.cp_file(path1, path2)
        self.rm_file(path1)


def register() -> None:
    fsspec.register_implementation(PROTOCOL, ObjectDirFileSystem, clobber=True)


def url(path: Path) -> str:
    return f"{PROTOCOL}://{path.resolve().as_posix()}"


#: ``ray.init(runtime_env=...)`` so every Ray worker registers ``objdir://`` before it runs anything.
RAY_RUNTIME_ENV = {
    "worker_process_setup_hook": f"{__name__}.register",
    "env_vars": {"PYTHONPATH": os.pathsep.join(
        p for p in (str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH", "")) if p)},
}

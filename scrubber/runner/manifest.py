"""What a finished shard leaves behind so a rerun can skip it, and how a rerun decides.

Each finished shard gets a marker ``OUT/_scrubber/done/<relpath>.json`` written *after* its output
was renamed into place. It records the input's size, mtime and SHA-256 and the config fingerprint
(which covers stages, options, rules files and the key's fingerprint). On a rerun:

* marker present, same config, same input → skip the shard (its counters come from the marker);
* marker present but the config or the input changed → refuse the whole run before writing
  anything, unless ``--overwrite`` (then the shard is redone and corpus-wide state rebuilt);
* no marker → (re)do the shard; temporary files from an interrupted attempt are deleted first.

``OUT/_scrubber/run.json`` holds the fingerprint and the shard list of the run that owns the folder:
corpus-wide dedup decisions depend on every shard, so adding or removing a shard is a change too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrubber.errors import ResumeConflict
from scrubber.io.outfs import OutPath, all_files, remove_tree, write_json
from scrubber.io.shards import ShardSpec

META_DIR = "_scrubber"


def file_sha256(spec: ShardSpec) -> str:
    """SHA-256 of an input shard (local, or read through fsspec)."""
    digest = hashlib.sha256()
    with spec.open() as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_identity(spec: ShardSpec, with_checksum: bool = True) -> dict[str, Any]:
    size, mtime_ns = spec.stat()
    out: dict[str, Any] = {"size": size, "mtime_ns": mtime_ns}
    if with_checksum:
        out["sha256"] = file_sha256(spec)
    return out


@dataclass(frozen=True, slots=True)
class OutputLayout:
    """Where everything goes under the output folder (local, or on an fsspec filesystem).

    Dedup state is the exception: it needs a POSIX folder (appends, memory maps), so it lives under
    ``OUT/_scrubber/state`` only for a local OUT; with a remote OUT it is ``state_dir`` (``--state-dir``).
    """

    root: OutPath
    state_dir: Path | None = None

    @property
    def meta(self) -> OutPath:
        return self.root / META_DIR

    def output(self, spec: ShardSpec) -> OutPath:
        return self.root / spec.relpath

    def marker(self, spec: ShardSpec) -> OutPath:
        return self.meta / "done" / f"{spec.relpath}.json"

    def rejects(self, spec: ShardSpec) -> OutPath:
        return self.root / "_rejects" / f"{spec.relpath}.jsonl"

    def dropped(self, spec: ShardSpec) -> OutPath:
        return self.meta / "dropped" / f"{spec.relpath}.jsonl"

    def audit(self, spec: ShardSpec) -> OutPath:
        return self.meta / "audit" / f"{spec.relpath}.jsonl"

    @property
    def state(self) -> Path | None:
        """The local folder for dedup state: ``state_dir`` if given, else ``OUT/_scrubber/state`` for a
        local OUT, else ``None`` (a remote OUT without ``--state-dir``: no corpus stage may run)."""
        if self.state_dir is not None:
            return self.state_dir
        meta = self.meta
        return meta / "state" if isinstance(meta, Path) else None

    @property
    def run_file(self) -> OutPath:
        return self.meta / "run.json"

    @property
    def report(self) -> OutPath:
        return self.meta / "report.json"

    @property
    def manifest(self) -> OutPath:
        return self.meta / "manifest.json"


def read_marker(path: OutPath) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def shard_is_done(layout: OutputLayout, spec: ShardSpec, fingerprint: str) -> dict[str, Any] | None:
    """The shard's marker if it is finished for this config and input and its output exists."""
    marker = read_marker(layout.marker(spec))
    if marker is None or marker.get("config") != fingerprint or not layout.output(spec).exists():
        return None
    ident = input_identity(spec, with_checksum=False)
    saved = marker.get("input", {})
    if ident["mtime_ns"] is not None and saved.get("size") == ident["size"] \
            and saved.get("mtime_ns") == ident["mtime_ns"]:
        return marker
    # Touched but maybe not changed (or no mtime to compare): the checksum decides.
    return marker if saved.get("sha256") == file_sha256(spec) else None


def check_resume(
    layout: OutputLayout, shards: list[ShardSpec], fingerprint: str, corpus_wide: bool, overwrite: bool
) -> None:
    """Refuse to mix results of different configs or inputs in one folder (unless ``overwrite``).

    With ``overwrite`` the folder's markers and corpus-wide state are removed so everything is
    rebuilt; outputs are replaced shard by shard as they are rewritten.
    """
    previous = read_marker(layout.run_file)
    shard_list = [s.relpath for s in shards]
    problems: list[str] = []
    if previous is not None:
        if previous.get("config") != fingerprint:
            problems.append("the configuration (stages, options, rules or key) differs from the earlier run")
        elif corpus_wide and previous.get("shards") != shard_list:
            problems.append("the set of input shards changed, and corpus-wide dedup depends on all of them")
    for spec in shards:
        marker = read_marker(layout.marker(spec))
        if marker is None:
            continue
        if marker.get("config") == fingerprint and shard_is_done(layout, spec, fingerprint) is None \
                and layout.output(spec).exists():
            problems.append(f"input {spec.relpath} changed since it was scrubbed")
    if problems and not overwrite:
        raise ResumeConflict(
            f"{layout.root} holds results of a different run: {'; '.join(problems[:5])}. "
            "Use another output folder, or --overwrite to redo everything."
        )
    if problems or (overwrite and previous is not None):
        remove_tree(layout.meta / "done")
        if layout.state is not None:
            remove_tree(layout.state)
    write_json(layout.run_file, {"config": fingerprint, "shards": shard_list})


#: Output files that record timings and so differ between otherwise identical runs.
TIMING_FILES = ("_scrubber/report.json", "_scrubber/done/")


def deterministic_files(root: OutPath) -> dict[str, bytes]:
    """Every file of an output folder that must be byte-identical across runs, workers and engines
    (relative path → bytes): all of them but the report and done markers, which hold timings."""
    return {rel: path.read_bytes() for rel, path in all_files(root) if not rel.startswith(TIMING_FILES)}

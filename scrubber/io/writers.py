"""Write shards atomically: everything goes to a temporary name and is renamed only when complete.

On a remote OUT (an fsspec URL) the temporary object is moved into place instead
(:func:`scrubber.io.outfs.publish` says why that is safe on object stores).

A crash or SIGKILL therefore never leaves a half-written file where a finished one is expected; the
temporary files it leaves start with ``.`` and end with ``.tmp-<pid>``, and the next run deletes them.
Output mirrors the input: same relative path, same format, same compression, same Arrow schema.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from scrubber.io.outfs import FsPath, OutPath, publish
from scrubber.io.readers import MISSING
from scrubber.io.shards import ShardSpec

TMP_MARK = ".tmp-"


def temp_path(final: OutPath) -> OutPath:
    return final.with_name(f".{final.name}{TMP_MARK}{os.getpid()}")


def remove_stale_temps(final: OutPath) -> None:
    """Delete temporary files an interrupted run left beside ``final``."""
    if not final.parent.is_dir():
        return
    prefix = f".{final.name}{TMP_MARK}"
    for leftover in final.parent.iterdir():
        if leftover.name.startswith(prefix):
            leftover.unlink(missing_ok=True)


def dumps_record(record: dict[str, Any]) -> bytes:
    """One JSONL line, compact, non-ASCII kept readable.

    orjson writes it unless it cannot do so exactly: integers beyond 64 bits, lone surrogates (from
    surrogate-escaped input) and NaN/Infinity (read as :class:`~scrubber.io.readers.NonFinite`) make it
    raise, and the standard library takes over — with ``\\uXXXX`` escapes where UTF-8 cannot encode.
    """
    try:
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        pass
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(record, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


class AtomicShardWriter:
    """Writes to ``tmp`` beside ``final``; ``commit`` publishes it whole, ``abort`` leaves nothing."""

    def __init__(self, final: OutPath) -> None:
        self.final = final
        self.tmp = temp_path(final)
        final.parent.mkdir(parents=True, exist_ok=True)

    def write_rows(self, columns: dict[str, list[Any]], verbatim: list[bytes | None] | None = None) -> None:
        """Append rows; ``verbatim[i]``, when given and not ``None``, is row ``i`` exactly as it was
        read (JSONL writers write those bytes instead of encoding the row; others ignore it)."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        self.close()
        publish(self.tmp, self.final)

    def abort(self) -> None:
        try:
            self.close()
        finally:
            self.tmp.unlink(missing_ok=True)


class JsonlWriter(AtomicShardWriter):
    """Append records to a temporary JSONL file, compressed like the input."""

    def __init__(self, final: OutPath, compression: str | None) -> None:
        super().__init__(final)
        self._raw = self.tmp.open("wb")
        self._stream: BinaryIO
        if compression == "gzip":
            # mtime=0 and no file name: same input + config -> byte-identical output
            self._stream = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0)  # type: ignore[assignment]
        elif compression == "zstd":
            import zstandard

            self._stream = zstandard.ZstdCompressor(level=3).stream_writer(self._raw, closefd=False)  # type: ignore[assignment]
        else:
            self._stream = self._raw
        self._buffer = io.BytesIO()

    def write_rows(self, columns: dict[str, list[Any]], verbatim: list[bytes | None] | None = None) -> None:
        names = list(columns)
        n = len(columns[names[0]]) if names else 0
        buf = self._buffer
        for i in range(n):
            line = verbatim[i] if verbatim is not None else None
            if line is not None:  # untouched row: its own bytes (key order, spacing, escapes kept)
                buf.write(line)
                buf.write(b"\n")
                continue
            record = {k: columns[k][i] for k in names if columns[k][i] is not MISSING}
            buf.write(dumps_record(record))
        self._stream.write(buf.getvalue())
        buf.seek(0)
        buf.truncate()

    def close(self) -> None:
        if self._stream is not self._raw:
            self._stream.close()
        self._raw.close()


class ArrowTableWriter(AtomicShardWriter):
    """Parquet or Arrow-stream output with the input's exact schema (types and metadata)."""

    def __init__(self, final: OutPath, schema: pa.Schema, fmt: str, compression: str | None = None) -> None:
        super().__init__(final)
        self.schema = schema
        # A remote temporary file is an fsspec file wrapped for pyarrow; the bytes written are the same.
        self._remote: Any = self.tmp.open("wb") if isinstance(self.tmp, FsPath) else None
        if fmt == "parquet":
            where: Any = self.tmp if self._remote is None else self._remote
            self._writer: Any = pq.ParquetWriter(where, schema, compression=compression or "snappy")
        else:
            self._sink = pa.OSFile(str(self.tmp), "wb") if self._remote is None else pa.PythonFile(self._remote, "w")
            self._writer = pa.ipc.new_stream(self._sink, schema)
        self.fmt = fmt

    def write_rows(self, columns: dict[str, list[Any]], verbatim: list[bytes | None] | None = None) -> None:
        table = pa.Table.from_pydict({name: columns[name] for name in self.schema.names}, schema=self.schema)
        if self.fmt == "parquet":
            self._writer.write_table(table)
        else:
            for record_batch in table.to_batches():
                self._writer.write_batch(record_batch)

    def close(self) -> None:
        self._writer.close()
        if self.fmt != "parquet":
            self._sink.close()
        if self._remote is not None:
            self._remote.close()


def parquet_compression(source: Path | BinaryIO) -> str:
    """The codec of the input's first column chunk, so output is compressed the same way."""
    meta = pq.ParquetFile(source).metadata
    if meta.num_row_groups and meta.num_columns:
        codec = meta.row_group(0).column(0).compression.lower()
        return {"uncompressed": "none", "lz4_raw": "lz4"}.get(codec, codec)
    return "snappy"


def open_writer(spec: ShardSpec, final: OutPath, schema: pa.Schema | None) -> AtomicShardWriter:
    if spec.format == "jsonl":
        return JsonlWriter(final, spec.compression)
    assert schema is not None
    compression = None
    if spec.format == "parquet" and spec.is_local:
        compression = parquet_compression(spec.path)
    elif spec.format == "parquet":
        with spec.open() as source:  # a remote input: read its footer through fsspec
            compression = parquet_compression(source)
    return ArrowTableWriter(final, schema, spec.format, compression)


class JsonlSidecar:
    """A small atomic JSONL file (quarantine, dropped index, audit), created only if written to."""

    def __init__(self, final: OutPath) -> None:
        self.final = final
        self._lines: list[bytes] = []
        self._fh: BinaryIO | None = None
        self.count = 0

    def add(self, record: dict[str, Any]) -> None:
        if self._fh is None:
            self.final.parent.mkdir(parents=True, exist_ok=True)
            self._fh = temp_path(self.final).open("wb")
        self._fh.write(dumps_record(record))
        self.count += 1

    def commit(self) -> None:
        """Publish if anything was written; otherwise make sure no stale file from an earlier run
        claims records that no longer exist."""
        if self._fh is None:
            self.final.unlink(missing_ok=True)
            return
        self._fh.close()
        publish(temp_path(self.final), self.final)

    def abort(self) -> None:
        if self._fh is not None:
            self._fh.close()
            temp_path(self.final).unlink(missing_ok=True)

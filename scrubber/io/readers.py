"""Read a shard as a stream of batches, sending every bad record to quarantine instead of failing.

Memory is bounded by ``batch_size`` rows: JSONL is decompressed and parsed line by line, Parquet is
read row group by row group (``iter_batches``), Arrow (Hugging Face) files are memory-mapped and
sliced. Every record that cannot be scrubbed (malformed JSON, invalid UTF-8, a missing, null or
non-string text field) becomes a :class:`Reject` with its line or row and a reason; the reason never
contains the record's text. A file that cannot be read at all raises :class:`ShardError`.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import io
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, BinaryIO

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from scrubber import textpath
from scrubber.errors import ShardError
from scrubber.io.shards import ShardSpec


@dataclass(frozen=True, slots=True)
class Reject:
    """One quarantined record: where it was, why, and its raw content (for the user to repair)."""

    file: str
    line: int | None
    row: int | None
    reason: str
    raw: str | None = None
    raw_base64: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "reason": self.reason}
        if self.line is not None:
            out["line"] = self.line
        if self.row is not None:
            out["row"] = self.row
        if self.raw is not None:
            out["raw"] = self.raw
        if self.raw_base64 is not None:
            out["raw_base64"] = self.raw_base64
        return out


@dataclass(slots=True)
class RawBatch:
    """Valid rows (columnar) plus the records of the same stretch of input that were rejected."""

    columns: dict[str, list[Any]]
    rejects: list[Reject] = field(default_factory=list)
    bytes_read: int = 0  # input bytes (on disk) consumed so far, for progress
    #: JSONL only: each row's line as read (without its line ending), so a row no stage changed can
    #: be written back byte for byte instead of re-encoded (see ``runner.shard.unchanged_lines``).
    lines: list[bytes] | None = None

    def __len__(self) -> int:
        for values in self.columns.values():
            return len(values)
        return 0


def open_binary(spec: ShardSpec) -> tuple[BinaryIO, BinaryIO]:
    """Open a JSONL shard; return (decompressed stream, raw file) so progress can use the raw offset."""
    raw = spec.open()
    if spec.compression is not None and not raw.read(1):
        # Even an empty shard compressed has a header (gzip ~20 bytes, zstd ~9): zero bytes is an
        # interrupted copy or upload, and reading it as an empty shard would lose the whole file.
        raw.close()
        raise ShardError(spec.location, f"empty file (0 bytes): not a {spec.compression} stream, "
                                        "not even an empty one; an interrupted copy?")
    if spec.compression is not None:
        raw.seek(0)
    if spec.compression == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw
    if spec.compression == "zstd":
        return io.BufferedReader(_ZstdFrames(raw), buffer_size=1 << 20), raw
    return raw, raw


class _ZstdFrames(io.RawIOBase):
    """Decompress a zstd stream of one or more frames, and fail when it ends inside a frame.

    ``zstandard``'s ``stream_reader`` returns end-of-file at the end of the input even when the last
    frame is incomplete, so a truncated ``.zst`` would read as a shorter, valid shard (its tail silently
    lost, the run exiting 0). Decompressing frame by frame with ``decompressobj`` tells the two apart:
    a frame that has not reached its end when the input runs out raises :class:`EOFError`, as
    :mod:`gzip` does for a truncated ``.gz``.
    """

    _CHUNK = 1 << 17  # compressed bytes fed at a time: bounds the output held between reads

    def __init__(self, raw: BinaryIO) -> None:
        import zstandard

        self._raw = raw
        self._new_frame = zstandard.ZstdDecompressor().decompressobj
        self._frame = self._new_frame()
        self._in_frame = False  # input of the current frame has been fed, and its end not seen
        self._out = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._out:
            chunk = self._raw.read(self._CHUNK)
            if not chunk:
                if self._in_frame:
                    raise EOFError("zstd stream ended before the end of its last frame")
                return 0
            self._out = memoryview(self._feed(chunk))
        n = min(len(buffer), len(self._out))
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def _feed(self, data: bytes) -> bytes:
        """Decompress ``data``, starting a new frame wherever one ends (``unused_data`` is the next)."""
        pieces = []
        while data:
            self._in_frame = True
            pieces.append(self._frame.decompress(data))
            if not self._frame.eof:
                break
            data = self._frame.unused_data
            self._frame = self._new_frame()
            self._in_frame = False
        return b"".join(pieces)


def _check_text(value: Any, text_field: str, present: bool, null_ok: bool = False) -> str | None:
    """Why a record's text field is unusable, or None when it is a string (or, for a field of
    ``also_scrub``, null: nothing to scrub there, and the record's main text still is)."""
    if not present:
        return f"missing text field {text_field!r}"
    if value is None:
        return None if null_ok else f"text field {text_field!r} is null"
    if not isinstance(value, str):
        return f"text field {text_field!r} is {type(value).__name__}, expected a string"
    return None


def read_jsonl(
    spec: ShardSpec, text_field: str, batch_size: int, also_scrub: tuple[str, ...] = ()
) -> Iterator[RawBatch]:
    """Stream a JSONL shard. Rows keep their key order; each record must be a JSON object."""
    stream, raw = open_binary(spec)
    columns: dict[str, list[Any]] = {}
    rows: list[dict[str, Any]] = []
    lines: list[bytes] = []
    rejects: list[Reject] = []
    line_no = 0
    try:
        with stream, raw:
            while True:
                try:
                    line = stream.readline()
                except (EOFError, OSError, ValueError) as exc:
                    raise ShardError(
                        spec.location, f"truncated or corrupt {spec.compression or 'file'} after line {line_no} "
                        f"({type(exc).__name__}: {_safe(exc)})"
                    ) from None
                except Exception as exc:  # zstandard.ZstdError and friends
                    raise ShardError(
                        spec.location, f"corrupt {spec.compression or 'file'} after line {line_no} "
                        f"({type(exc).__name__})"
                    ) from None
                if not line:
                    break
                line_no += 1
                if line_no == 1 and line.startswith(_UTF8_BOM):
                    line = line[len(_UTF8_BOM):]  # encoding metadata before the first record, not JSON
                record, reject = _parse_line(spec.relpath, line_no, line, text_field, also_scrub)
                if reject is not None:
                    rejects.append(reject)
                elif record is not None:
                    rows.append(record)
                    lines.append(line.rstrip(b"\r\n"))
                if len(rows) >= batch_size:
                    yield RawBatch(_columnar(rows), rejects, raw.tell(), lines)
                    rows, lines, rejects = [], [], []
            if rows or rejects:
                yield RawBatch(_columnar(rows) if rows else columns, rejects, raw.tell(), lines)
    except OSError as exc:
        raise ShardError(spec.location, f"cannot read ({exc.strerror or type(exc).__name__})") from None


#: The UTF-8 byte order mark some tools (Windows ones especially) write at the start of a text file.
_UTF8_BOM = b"\xef\xbb\xbf"


#: A Python bytes literal in an exception message: data read from the file (gzip's "Not a gzipped
#: file (b'ja')" quotes the first two bytes of a mislabelled text file).
_BYTES_LITERAL = re.compile(r"(?<!\w)b'(?:[^'\\]|\\.)*'" + r'|(?<!\w)b"(?:[^"\\]|\\.)*"')


def _safe(exc: BaseException) -> str:
    """An exception message short enough to log, with any bytes it quotes from the file left out."""
    return _BYTES_LITERAL.sub("b'…'", str(exc))[:200]


def _parse_line(
    relpath: str, line_no: int, line: bytes, text_field: str, also_scrub: tuple[str, ...] = ()
) -> tuple[dict[str, Any] | None, Reject | None]:
    body = line.rstrip(b"\r\n")
    if not body.strip():
        return None, None  # blank lines carry no record; counted by nobody, lost by nobody
    try:  # (try/except, not contextlib.suppress: half the overhead, paid once per line)
        record: Any = orjson.loads(body)
    except orjson.JSONDecodeError:  # the exact parser below decides and names why
        record = _MISSING_RECORD
    if record is not _MISSING_RECORD and not (_has_huge_float(record) and _LONG_DIGITS.search(body)):
        return _check_record(relpath, line_no, record, text_field, body, also_scrub)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, Reject(
            relpath, line_no, None, f"invalid UTF-8 at byte {exc.start}",
            raw_base64=base64.b64encode(body).decode("ascii"),
        )
    try:
        record = json.loads(text, parse_constant=_non_finite, parse_float=_float)
    except json.JSONDecodeError as exc:
        return None, Reject(relpath, line_no, None, f"malformed JSON: {exc.msg} (column {exc.colno})", raw=text)
    return _check_record(relpath, line_no, record, text_field, body, also_scrub)


def _check_record(
    relpath: str, line_no: int, record: Any, text_field: str, body: bytes, also_scrub: tuple[str, ...] = ()
) -> tuple[dict[str, Any] | None, Reject | None]:
    if not isinstance(record, dict):
        return None, Reject(relpath, line_no, None, f"expected a JSON object, got {type(record).__name__}",
                            raw=body.decode("utf-8"))
    problem = _check_field(record, body, text_field, null_ok=False)
    for name in also_scrub:
        if problem is None:
            problem = _check_field(record, body, name, null_ok=True)
    if problem:
        return None, Reject(relpath, line_no, None, problem, raw=body.decode("utf-8"))
    return record, None


def _check_field(record: dict[str, Any], body: bytes, name: str, null_ok: bool) -> str | None:
    """Why field ``name`` of a parsed JSONL record cannot be scrubbed, or None: a column as
    :func:`_check_text` says, a path (``messages[].content``) as :func:`textpath.problem` says;
    both then checked for keys given twice. A dotted name that is no key of the record but reads
    into an object column (``meta.text``) gets the path to write instead (``meta["text"]``)."""
    if not textpath.is_path(name):
        if name not in record and "." in name:
            hint = textpath.dotted_hint(name, textpath.json_children, record.get(name.partition(".")[0]))
            return f"{_check_text(None, name, False)}{hint}"
        return _check_text(record.get(name), name, name in record, null_ok) or _duplicate_text_key(body, name)
    column = textpath.column(name)
    value = record.get(column)
    if column not in record or value is None:
        return _check_text(value, name, column in record, null_ok)
    keys: Counter[str] = Counter({column: 1})
    return textpath.problem(value, name, keys) or _duplicate_on_path(body, name, keys)


def _duplicate_on_path(body: bytes, name: str, expected: Counter[str]) -> str | None:
    """Why a record whose path ``name`` crosses an object that gives the path's key twice cannot be
    scrubbed, or None. As with a column (:func:`_duplicate_text_key`), the stages would scrub the
    value the parser kept and the line would go out with the other.

    The cheap sign: each key of the path occurs in the line as often as the parsed record has
    objects on the path that hold it (``expected``; a quoted key cannot occur inside a string, where
    quotes are escaped), and no key of field-name length holds an escape. Otherwise (a duplicate, the same word
    as a value or as a key elsewhere, an escaped spelling) the line is parsed again keeping pairs.
    """
    path = textpath.steps(name)
    if all(body.count(_quoted_key(key)) == n for key, n in expected.items()) and not (
        b"\\" in body and any(_escaped_key(key).search(body) for key in expected)
    ):
        return None
    exact = json.loads(body, object_pairs_hook=_PairsDict.from_pairs)
    for where, container, key in _path_objects(exact, path, ()):
        if key in container.repeated:
            return f"text path: {where} gives key {key!r} twice (duplicate key)"
    return None


class _PairsDict(dict):
    """A parsed object that remembers the keys it was given more than once."""

    repeated: frozenset[str] = frozenset()

    @classmethod
    def from_pairs(cls, items: list[tuple[str, Any]]) -> _PairsDict:
        out = cls(items)
        if len(out) < len(items):
            out.repeated = frozenset(k for k, n in Counter(k for k, _ in items).items() if n > 1)
        return out


def _path_objects(
    value: Any, path: tuple[textpath.Step, ...], trail: tuple[Any, ...]
) -> Iterator[tuple[str, Any, str]]:
    """(where, object, key) for every object a path reads a key of; ``trail`` is where ``value`` is
    (empty for the record itself)."""
    if not path:
        return
    step, tail = path[0], path[1:]
    if step is textpath.EACH:
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from _path_objects(item, tail, (*trail, i))
    elif isinstance(value, dict):
        yield textpath.spell(trail) if trail else "the record", value, step
        if step in value:
            yield from _path_objects(value[step], tail, (*trail, step))


@lru_cache(maxsize=16)
def _quoted_key(text_field: str) -> bytes:
    """The text field's name as a JSON key is written (``b'"text"'``); built once, read on every line."""
    return json.dumps(text_field, ensure_ascii=False).encode("utf-8")


@lru_cache(maxsize=16)
def _escaped_key(text_field: str) -> re.Pattern[bytes]:
    """A key short enough to spell the field name that holds an escape (``"t\\u0065xt":``).

    Parsers read such a key as the name itself, so it is a duplicate the plain search misses. A
    spelling takes at most six bytes a character (``\\uXXXX``), so the lookahead bounds the work at
    each quote; a string followed by a colon is a key. The match can also start on an escaped quote
    in text (JSON quoted inside a document); that costs an exact parse, never a wrong answer. One
    search a line, literal-led: ~0.5 ms per MB on escape-heavy lines, measured.
    """
    reach = 6 * len(text_field)
    return re.compile(rb'"(?=[^"]{0,%d}"[ \t\r\n]*:)[^"\\]*\\' % reach)


def _duplicate_text_key(body: bytes, text_field: str) -> str | None:
    """Why a record whose text field appears more than once cannot be scrubbed, or None.

    Parsers keep the last of duplicate keys (orjson and json both do), other readers the first. The
    stages would scrub the last value only, and an unchanged line is written back as read, so the
    other value would reach the output unscrubbed. The quoted name occurring twice in the line is the
    cheap sign (rare in practice), and so is a key written with escapes (``"t\\u0065xt"``, which
    parsers read as ``text``); the exact count then comes from parsing the top-level pairs.
    """
    if body.count(_quoted_key(text_field)) < 2 and not (b"\\" in body and _escaped_key(text_field).search(body)):
        return None
    objects: list[list[tuple[str, Any]]] = []

    def pairs(items: list[tuple[str, Any]]) -> None:
        objects.append(items)  # innermost objects first: the record itself comes last

    json.loads(body, object_pairs_hook=pairs)
    count = sum(1 for key, _ in objects[-1] if key == text_field)
    return f"text field {text_field!r} appears {count} times (duplicate key)" if count > 1 else None


# JSON parsing: orjson first (several times faster than json on large shards), the standard library
# when orjson cannot be exact. orjson reads integers beyond 64 bits as floats (lossy), so a line with a
# run of 19+ digits goes straight to json; it rejects NaN/Infinity, lone surrogate escapes and
# out-of-range floats, which json accepts. Non-finite floats from json are tagged with NonFinite so the
# writer (orjson would write them as null) hands such records back to json, which writes them as read.
#
# The 19-digit check is a regex pass over the whole line (it was the costliest step of reading prose:
# ~0.7 s per 90 MB), so it runs only when orjson's result holds a float of magnitude >= 2**63, the
# only shape a too-long integer can take; every other record is exact as orjson read it.
_LONG_DIGITS = re.compile(rb"[0-9]{19}")
_MISSING_RECORD = object()
_INT64_LIMIT = float(2**63)


def _has_huge_float(record: Any) -> bool:
    """Whether a parsed record holds a float of magnitude >= 2**63 at any depth (iterative walk)."""
    stack = [record]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            stack.extend(value.values())
        elif kind is list:
            stack.extend(value)
        elif kind is float and not -_INT64_LIMIT < value < _INT64_LIMIT:
            return True
    return False


class NonFinite(float):
    """A NaN or infinite number read from JSONL; written back as NaN/Infinity, never as null."""


def _non_finite(token: str) -> NonFinite:
    return NonFinite(token)


def _float(token: str) -> float:
    value = float(token)
    return value if math.isfinite(value) else NonFinite(value)


def _columnar(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows → columns. JSONL rows may have different keys; a missing key is stored as a marker so
    the writer reproduces each row's own keys exactly (no invented nulls)."""
    keys: dict[str, None] = {}
    for row in rows:
        for k in row:
            keys.setdefault(k, None)
    return {k: [row.get(k, MISSING) for row in rows] for k in keys}


class _Missing:
    """Marks a key absent from one JSONL row (distinct from an explicit null)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def _is_text_type(column_type: pa.DataType) -> bool:
    """Whether a column holds strings: plain, large, view, or dictionary-encoded strings."""
    if pa.types.is_dictionary(column_type):
        column_type = column_type.value_type
    return (pa.types.is_string(column_type) or pa.types.is_large_string(column_type)
            or pa.types.is_string_view(column_type))


#: The binary type with the same layout as each string type, to see a column's bytes without decoding.
_AS_BINARY = {pa.string(): pa.binary(), pa.large_string(): pa.large_binary(), pa.string_view(): pa.binary_view()}


def _invalid_utf8_rows(piece: pa.RecordBatch) -> dict[int, tuple[str, str]]:
    """Row → (reason, raw record) for each row with a top-level string value that is not UTF-8.

    Parquet and Arrow writers do not all check that string columns hold UTF-8; such a value cannot
    become a Python string, so without this check the whole file would fail on one bad row. The raw
    record keeps the row's other values, and each invalid one base64-encoded, so nothing is lost.
    """
    try:
        piece.validate(full=True)  # checks UTF-8 in C; the common, clean case costs nothing more
        return {}
    except pa.ArrowInvalid:
        pass
    raw_values: dict[str, list[bytes | None]] = {}
    for name, column in zip(piece.schema.names, piece.columns, strict=True):
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        if _is_text_type(column.type):
            raw_values[name] = column.view(_AS_BINARY[column.type]).to_pylist()
    bad: dict[int, tuple[str, str]] = {}
    for name, values in raw_values.items():
        for i, value in enumerate(values):
            if value is None or i in bad:
                continue
            try:
                value.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad[i] = (f"invalid UTF-8 in column {name!r} at byte {exc.start}", "")
    if not bad:
        raise pa.ArrowInvalid("invalid data in a nested column (not valid UTF-8, or malformed)")
    for i in bad:
        record: dict[str, Any] = {}
        for name, column in zip(piece.schema.names, piece.columns, strict=True):
            if name not in raw_values:
                record[name] = column[i].as_py()
                continue
            value = raw_values[name][i]
            try:
                record[name] = None if value is None else value.decode("utf-8")
            except UnicodeDecodeError:
                record[name] = {"invalid_utf8_base64": base64.b64encode(value).decode("ascii")}
        bad[i] = (bad[i][0], json.dumps(record, default=str, ensure_ascii=False))
    return bad


def _check_text_column(spec: ShardSpec, schema: pa.Schema, field_name: str, flag: str) -> None:
    """Fail the file when the column of ``field_name`` is absent or repeated, or holds no strings
    (at the path, for a path such as ``messages[].content``)."""
    name = textpath.column(field_name)
    index = schema.get_field_index(name)  # -1 when absent, and when the name is not unique
    if (count := schema.names.count(name)) > 1:
        # Which one holds the text is unknowable, and scrubbing one would pass the other on unscrubbed.
        raise ShardError(spec.location, f"column {name!r} appears {count} times; give the file unique "
                                        "column names")
    if index < 0:
        first = name.partition(".")[0]
        hint = "" if schema.get_field_index(first) < 0 else textpath.dotted_hint(
            name, textpath.arrow_children, schema.field(first).type)
        raise ShardError(
            spec.location, f"no column {name!r}{hint} (columns: {', '.join(schema.names)}); "
            f"use {flag} to name the text column"
        )
    column_type = schema.field(index).type
    if textpath.is_path(field_name):
        if (problem := textpath.arrow_problem(column_type, field_name)) is not None:
            raise ShardError(spec.location, problem)
    elif not _is_text_type(column_type):
        raise ShardError(spec.location, f"column {name!r} is {column_type}, expected a string column")


def _arrow_rows(
    spec: ShardSpec, batches: Iterator[pa.RecordBatch], schema: pa.Schema, text_field: str, batch_size: int,
    total_rows: int, also_scrub: tuple[str, ...] = (),
) -> Iterator[RawBatch]:
    """Shared by Parquet and Arrow: check the text columns' types, quarantine nulls of the main text
    and invalid UTF-8, re-chunk. Nulls in ``also_scrub`` columns pass: nothing to scrub there."""
    _check_text_column(spec, schema, text_field, "--text-field")
    for name in also_scrub:
        _check_text_column(spec, schema, name, "--also-scrub")
    size = max(spec.size, 1)
    row = 0
    for record_batch in batches:
        for start in range(0, record_batch.num_rows, batch_size):
            piece = record_batch.slice(start, batch_size)
            rejects: list[Reject] = []
            positions = range(piece.num_rows)  # each kept row's position in ``piece``
            invalid = _invalid_utf8_rows(piece)
            if invalid:
                rejects.extend(Reject(spec.relpath, None, row + i, reason, raw=raw)
                               for i, (reason, raw) in invalid.items())
                positions = [i for i in positions if i not in invalid]
                columns = piece.filter(pa.array([i not in invalid for i in range(piece.num_rows)])).to_pydict()
            else:
                columns = piece.to_pydict()
            texts = columns[textpath.column(text_field)]
            if any(t is None for t in texts):
                keep = [i for i, t in enumerate(texts) if t is not None]
                for i, t in enumerate(texts):
                    if t is None:
                        record = {k: v[i] for k, v in columns.items()}
                        rejects.append(Reject(spec.relpath, None, row + positions[i],
                                              f"text field {text_field!r} is null",
                                              raw=json.dumps(record, default=str, ensure_ascii=False)))
                columns = {k: [v[i] for i in keep] for k, v in columns.items()}
            rejects.sort(key=lambda r: r.row or 0)
            row += piece.num_rows
            yield RawBatch(columns, rejects, int(size * row / max(total_rows, 1)))


def read_parquet(
    spec: ShardSpec, text_field: str, batch_size: int, also_scrub: tuple[str, ...] = ()
) -> Iterator[RawBatch]:
    with contextlib.ExitStack() as closing:
        try:
            source = spec.path if spec.is_local else closing.enter_context(spec.open())
            parquet = pq.ParquetFile(source)
            schema = parquet.schema_arrow
            total = parquet.metadata.num_rows
        except (OSError, pa.ArrowException) as exc:
            raise ShardError(spec.location, f"not a readable Parquet file ({_safe(exc)})") from None
        try:
            yield from _arrow_rows(spec, parquet.iter_batches(batch_size=batch_size), schema, text_field,
                                   batch_size, total, also_scrub)
        except (OSError, pa.ArrowException) as exc:
            raise ShardError(spec.location, f"corrupt Parquet data ({_safe(exc)})") from None


def _arrow_source(spec: ShardSpec) -> Any:
    """A local Arrow file is memory-mapped; a remote one is streamed through its fsspec file."""
    return pa.memory_map(str(spec.path)) if spec.is_local else spec.open()


def read_arrow(
    spec: ShardSpec, text_field: str, batch_size: int, also_scrub: tuple[str, ...] = ()
) -> Iterator[RawBatch]:
    """A Hugging Face dataset data file (Arrow IPC stream), memory-mapped when local."""
    try:
        source = _arrow_source(spec)
        reader = pa.ipc.open_stream(source)
        schema = reader.schema
    except (OSError, pa.ArrowException) as exc:
        raise ShardError(spec.location, f"not a readable Arrow stream ({_safe(exc)})") from None
    try:
        table = reader.read_all()
        yield from _arrow_rows(spec, iter(table.to_batches()), schema, text_field, batch_size, table.num_rows,
                               also_scrub)
    except (OSError, pa.ArrowException) as exc:
        raise ShardError(spec.location, f"corrupt Arrow data ({_safe(exc)})") from None


def read_shard(
    spec: ShardSpec, text_field: str, batch_size: int, also_scrub: tuple[str, ...] = ()
) -> Iterator[RawBatch]:
    """Dispatch on the shard's format. ``also_scrub`` names more text fields the streaming stages
    scrub; each must be a string (or null) in every record, as the main text must be a string."""
    if spec.format == "jsonl":
        return read_jsonl(spec, text_field, batch_size, also_scrub)
    if spec.format == "parquet":
        return read_parquet(spec, text_field, batch_size, also_scrub)
    if spec.format == "arrow":
        return read_arrow(spec, text_field, batch_size, also_scrub)
    raise ShardError(spec.location, f"unsupported format {spec.format!r}")


def arrow_schema(spec: ShardSpec) -> pa.Schema | None:
    """The input schema, so the writer can reproduce column types exactly (None for JSONL)."""
    if spec.format == "parquet":
        if spec.is_local:
            return pq.ParquetFile(spec.path).schema_arrow
        with spec.open() as fh:
            return pq.ParquetFile(fh).schema_arrow
    if spec.format == "arrow":
        with _arrow_source(spec) as source:
            return pa.ipc.open_stream(source).schema
    return None

"""Readers: every bad record is quarantined with file, line/row and reason; bad files fail alone."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import write_jsonl, write_parquet

from scrubber.errors import ShardError
from scrubber.io.readers import MISSING, read_shard
from scrubber.io.shards import discover


def read_all(path: Path, batch_size: int = 2):
    (spec,) = discover([str(path)])
    batches = list(read_shard(spec, "text", batch_size))
    texts = [t for b in batches for t in b.columns.get("text", [])]
    rejects = [r for b in batches for r in b.rejects]
    return batches, texts, rejects


@pytest.mark.parametrize(("line", "reason"), [
    (b'{"text": "ok", "broken"\n', "malformed JSON: Expecting ':' delimiter (column 24)"),
    # json's message ends in "starting at": the column must not read "starting at at column 9"
    (b'{"text": "unterminated\n', "malformed JSON: Unterminated string starting at (column 10)"),
    (b'{"text": "caf\xe9"}\n', "invalid UTF-8 at byte 13"),
    (b'{"id": 1}\n', "missing text field 'text'"),
    (b'{"text": null}\n', "text field 'text' is null"),
    (b'{"text": 42}\n', "text field 'text' is int, expected a string"),
    (b'{"text": ["a"]}\n', "text field 'text' is list, expected a string"),
    (b'["text"]\n', "expected a JSON object, got list"),
])
def test_readers_quarantine_reasons(tmp_path: Path, line: bytes, reason: str) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [{"text": "before"}, line, {"text": "after"}])
    _, texts, rejects = read_all(path)
    assert texts == ["before", "after"]
    assert len(rejects) == 1
    assert rejects[0].line == 2 and rejects[0].file == "s.jsonl"
    assert reason in rejects[0].reason


def test_readers_reject_keeps_raw_record_but_reason_has_no_text(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [b'{"text": 7, "secret": "jane@corp.io"}\n'])
    _, _, (reject,) = read_all(path)
    assert "jane@corp.io" in reject.raw  # nothing vanishes: the record is kept for repair
    assert "jane@corp.io" not in reject.reason


def test_readers_blank_lines_are_not_records(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [{"text": "a"}, b"\n", b"   \n", {"text": "b"}])
    _, texts, rejects = read_all(path)
    assert texts == ["a", "b"] and rejects == []


def test_readers_rows_keep_their_own_keys(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [{"text": "a", "x": 1}, {"y": None, "text": "b"}])
    batches, _, _ = read_all(path, batch_size=10)
    cols = batches[0].columns
    assert cols["x"] == [1, MISSING] and cols["y"] == [MISSING, None]


def test_readers_batches_bound_memory(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [{"text": str(i)} for i in range(10)])
    batches, texts, _ = read_all(path, batch_size=3)
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert texts == [str(i) for i in range(10)]


def test_readers_truncated_gzip_is_a_shard_error(tmp_path: Path) -> None:
    data = gzip.compress(b"".join(b'{"text": "row %d"}\n' % i for i in range(5000)))
    path = tmp_path / "t.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ShardError, match="truncated or corrupt gzip"):
        read_all(path)


def test_readers_parquet_nulls_quarantined_with_row(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "p.parquet", {"text": ["a", None, "c"], "id": [1, 2, 3]})
    batches, texts, rejects = read_all(path, batch_size=10)
    assert texts == ["a", "c"] and batches[0].columns["id"] == [1, 3]
    assert [(r.row, r.reason) for r in rejects] == [(1, "text field 'text' is null")]


@pytest.mark.parametrize(("columns", "message"), [
    ({"body": ["a"]}, "no column 'text'"),
    ({"text": [1]}, "column 'text' is int64, expected a string column"),
])
def test_readers_parquet_schema_problems_fail_the_shard(tmp_path: Path, columns, message: str) -> None:
    path = write_parquet(tmp_path / "p.parquet", columns)
    with pytest.raises(ShardError, match=message):
        read_all(path)


def test_readers_parquet_text_column_twice_fails_the_shard_naming_why(tmp_path: Path) -> None:
    """Scrubbing one of two 'text' columns would pass the other on unscrubbed; 'no column' would
    send the user looking for a column that is there."""
    path = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array(["a"]), pa.array(["b"])], names=["text", "text"]), path)
    with pytest.raises(ShardError, match="column 'text' appears 2 times"):
        read_all(path)


def test_readers_garbage_parquet_is_a_shard_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(ShardError, match="not a readable Parquet file"):
        read_all(path)


@pytest.mark.parametrize("value", [
    "123456789012345678901234567890",   # beyond 64 bits: a fast parser would turn it into a float
    "-9223372036854775809",
    "NaN", "Infinity", "-Infinity",     # not standard JSON, but accepted and kept as written
    "1e400",                            # overflows a double: written back as Infinity, not null
    "0.1", "1e16", "-0.0", "12345678901234567",
    "1e19", "-9.3e18", "18446744073709551615",  # big floats and the largest 64-bit integer: orjson is exact
    '"1234567890123456789012345"',      # a long digit run inside a string
    '"\\ud800 lone surrogate"',
    '"snow \\u2603 and \\ud83d\\ude00"',
])
def test_readers_values_round_trip_exactly(tmp_path: Path, value: str) -> None:
    """Every other column passes through untouched: what is read is written back with the same value."""
    import json

    from scrubber.io.writers import dumps_record

    line = f'{{"text": "t", "v": {value}, "nested": [{value}, {{"k": {value}}}]}}\n'.encode()
    batches, _, rejects = read_all(write_jsonl(tmp_path / "s.jsonl", [line]))
    assert rejects == []
    record = {k: v[0] for k, v in batches[0].columns.items()}
    written = dumps_record(record)
    expected = json.loads(line)
    again = json.loads(written)
    assert json.dumps(again, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert b"null" not in written


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_readers_truncated_zstd_is_a_shard_error(tmp_path: Path, keep: float) -> None:
    """A .zst cut short must fail the file like a truncated gzip, not yield its first part as if complete."""
    import zstandard

    data = zstandard.ZstdCompressor().compress(b"".join(b'{"text": "row %d"}\n' % i for i in range(20000)))
    path = tmp_path / "t.jsonl.zst"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ShardError, match="truncated or corrupt zstd"):
        read_all(path, batch_size=500)


def test_readers_zstd_frames_are_read_across_and_trailing_garbage_fails(tmp_path: Path) -> None:
    import zstandard

    frames = [zstandard.ZstdCompressor().compress(b'{"text": "f%d"}\n' % i) for i in range(3)]
    path = tmp_path / "m.jsonl.zst"
    path.write_bytes(b"".join(frames))
    _, texts, _ = read_all(path)
    assert texts == ["f0", "f1", "f2"]
    path.write_bytes(b"".join(frames) + b"not zstd")
    with pytest.raises(ShardError, match="zstd"):
        read_all(path)


def _string_array_with_bytes(values: list[bytes | None]) -> pa.Array:
    """A string column holding exactly these bytes, valid UTF-8 or not (as other tools can write)."""
    binary = pa.array(values, pa.binary())
    return pa.Array.from_buffers(pa.string(), len(binary), binary.buffers(), null_count=binary.null_count)


def test_readers_parquet_invalid_utf8_row_is_quarantined_not_the_file(tmp_path: Path) -> None:
    """Invalid UTF-8 is a record problem in Parquet too: that row goes to quarantine with its row
    number, losslessly, and the rest of the file is scrubbed."""
    import base64
    import json

    path = tmp_path / "u.parquet"
    pq.write_table(pa.table({
        "text": _string_array_with_bytes([b"good", b"bad \xff jane@corp.io", None, b"fine"]),
        "note": _string_array_with_bytes([b"n0", b"n1", b"n2", b"caf\xe9"]),
        "id": [0, 1, 2, 3],
    }), path)
    batches, texts, rejects = read_all(path, batch_size=10)
    assert texts == ["good"] and batches[0].columns["id"] == [0]
    assert [(r.row, r.reason) for r in rejects] == [
        (1, "invalid UTF-8 in column 'text' at byte 4"),
        (2, "text field 'text' is null"),
        (3, "invalid UTF-8 in column 'note' at byte 3"),
    ]
    assert all("jane" not in r.reason for r in rejects)
    kept = json.loads(rejects[0].raw)
    assert base64.b64decode(kept["text"]["invalid_utf8_base64"]) == b"bad \xff jane@corp.io"
    assert kept["note"] == "n1" and kept["id"] == 1


def test_readers_parquet_dictionary_text_column_is_read(tmp_path: Path) -> None:
    """A dictionary-encoded string column (pandas categoricals, pyarrow dictionary arrays) is text."""
    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({"text": pa.array(["x", "y", "x", None]).dictionary_encode(), "id": [0, 1, 2, 3]}), path)
    _, texts, rejects = read_all(path, batch_size=10)
    assert texts == ["x", "y", "x"]
    assert [(r.row, r.reason) for r in rejects] == [(3, "text field 'text' is null")]


@pytest.mark.parametrize("compression", [None, "gzip", "zstd"])
def test_readers_utf8_bom_at_file_start_is_not_part_of_the_first_record(tmp_path: Path, compression) -> None:
    """Windows tools write a byte order mark before the first line; it is encoding metadata, not
    JSON, so the first record must not be quarantined for it (only the file's first bytes count)."""
    suffix = {None: "", "gzip": ".gz", "zstd": ".zst"}[compression]
    path = write_jsonl(tmp_path / f"s.jsonl{suffix}",
                       [b'\xef\xbb\xbf{"text": "first"}\n', b'\xef\xbb\xbf{"text": "second"}\n'], compression)
    batches, texts, rejects = read_all(path, batch_size=10)
    assert texts == ["first"]
    assert batches[0].lines == [b'{"text": "first"}']  # written back without the mark
    assert [(r.line, r.reason.split(":")[0]) for r in rejects] == [(2, "malformed JSON")]


@pytest.mark.parametrize("line", [
    b'{"text": "write to jane.doe@gmail.com", "text": "nothing here"}\n',
    b'{"text": "nothing here", "id": 1, "text" : "write to jane.doe@gmail.com"}\n',
    b'{"t\\u0065xt": "write to jane.doe@gmail.com", "text": "nothing here"}\n',
    b'{"text": "write to jane.doe@gmail.com", "\\u0074\\u0065\\u0078\\u0074"\t: "nothing here"}\n',
])
def test_readers_duplicate_text_key_is_quarantined(tmp_path: Path, line: bytes) -> None:
    """JSON parsers keep the last of duplicate keys, other readers the first: the stages would scrub
    one value while the line, unchanged, is written back with the other one unscrubbed."""
    fine = b'{"id": 1, "id": 2, "text": "a \\"text\\": b", "m": {"text": 1}}\n'
    escaped_elsewhere = b'{"m": {"t\\u0065xt": 1}, "\\u00e9t\\u00e9": 2, "text": "\\u00e9t\\u00e9\\": \\\\"}\n'
    path = write_jsonl(tmp_path / "s.jsonl", [line, fine, escaped_elsewhere])
    _, texts, rejects = read_all(path)
    assert texts == ['a "text": b', '\u00e9t\u00e9": \\']  # other duplicate or escaped keys are no concern
    assert [(r.line, r.reason) for r in rejects] == [(1, "text field 'text' appears 2 times (duplicate key)")]
    assert rejects[0].raw == line.decode().rstrip("\n")


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_readers_zero_byte_compressed_file_fails_instead_of_reading_as_empty(tmp_path: Path, suffix: str) -> None:
    """A compressed empty shard still has a header; zero bytes is an interrupted copy, and reading it
    as an empty shard would report the run done with the whole file lost."""
    path = tmp_path / f"s{suffix}"
    path.write_bytes(b"")
    with pytest.raises(ShardError, match=r"empty file \(0 bytes\)"):
        read_all(path)


@pytest.mark.parametrize("compression", [None, "gzip", "zstd"])
def test_readers_empty_shard_is_read_as_empty(tmp_path: Path, compression) -> None:
    suffix = {None: "", "gzip": ".gz", "zstd": ".zst"}[compression]
    path = write_jsonl(tmp_path / f"s.jsonl{suffix}", [], compression)
    assert path.stat().st_size > 0 or compression is None
    _, texts, rejects = read_all(path)
    assert (texts, rejects) == ([], [])


def test_readers_unreadable_file_reason_quotes_no_bytes_of_it(tmp_path: Path) -> None:
    """gzip names the first bytes of a file that is not gzip (``b'ja'``): a mislabelled text file's
    content would reach the report, the summary and the rejects' reason."""
    path = tmp_path / "s.jsonl.gz"
    path.write_bytes(b'jane.doe@gmail.com wrote this, not gzip\n')
    with pytest.raises(ShardError) as exc:
        read_all(path)
    assert "BadGzipFile" in exc.value.reason and "ja" not in exc.value.reason.replace("gzip", "")

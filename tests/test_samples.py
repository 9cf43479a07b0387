"""The committed sample shards are exactly what scripts/make_samples.py writes, and are usable input.

Why: every other test, demo and benchmark reads data/samples/. If someone edits the data by hand or
changes the generator without regenerating, results stop being reproducible; if a file stops being
readable with its plain library, a reader bug would hide behind a data bug.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT / "data" / "samples"


def _load_generator() -> ModuleType:
    """Import scripts/make_samples.py by path (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_samples", REPO_ROOT / "scripts" / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    gen.generate(out)
    return out


# ---------------------------------------------------------------------------------------------------
# Readers: the plain library for each format, no scrubber code
# ---------------------------------------------------------------------------------------------------


def _read_jsonl_bytes(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return _read_jsonl_bytes(path.read_bytes())


def read_jsonl_gz(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rb") as fh:
        return _read_jsonl_bytes(fh.read())


def read_jsonl_zst(path: Path) -> list[dict[str, Any]]:
    import zstandard

    with path.open("rb") as fh, zstandard.ZstdDecompressor().stream_reader(fh) as reader:
        return _read_jsonl_bytes(reader.read())


def read_parquet(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def read_hf(path: Path) -> list[dict[str, Any]]:
    import datasets

    return datasets.load_from_disk(str(path)).to_list()


READERS: list[tuple[str, Callable[[Path], list[dict[str, Any]]], set[str]]] = [
    ("web/forum.jsonl", read_jsonl, {"id", "text", "url", "timestamp", "lang", "meta"}),
    ("web/mail.jsonl.gz", read_jsonl_gz, {"id", "text", "timestamp", "meta"}),
    ("code/configs.jsonl.zst", read_jsonl_zst, {"id", "text", "path", "lang", "meta"}),
    ("articles/news.parquet", read_parquet, {"id", "url", "title", "score", "tags", "published", "text"}),
    ("hf/chat", read_hf, {"text", "id", "source"}),
]


def _all_rows() -> dict[str, str]:
    """Every good document, keyed as in _manifest.json (``<file>:<id>``)."""
    texts = {f"{name}:{row['id']}": row["text"] for name, reader, _ in READERS for row in reader(SAMPLES / name)}
    for line in (SAMPLES / "web" / "broken.jsonl").read_bytes().splitlines():
        try:
            row = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(row.get("text"), str):
            texts[f"web/broken.jsonl:{row['id']}"] = row["text"]
    return texts


# ---------------------------------------------------------------------------------------------------
# Reproducibility
# ---------------------------------------------------------------------------------------------------


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != "README.md")


def test_samples_regenerate_same_file_set(regenerated: Path) -> None:
    assert _files(regenerated) == _files(SAMPLES)


@pytest.mark.parametrize(
    "relpath",
    [
        "web/forum.jsonl",
        "web/mail.jsonl.gz",
        "web/broken.jsonl",
        "code/configs.jsonl.zst",
        "hf/chat/data-00000-of-00001.arrow",
        "hf/chat/dataset_info.json",
        "_manifest.json",
    ],
)
def test_samples_regenerate_byte_identical(regenerated: Path, relpath: str) -> None:
    assert (regenerated / relpath).read_bytes() == (SAMPLES / relpath).read_bytes(), (
        f"{relpath} differs from what scripts/make_samples.py writes; rerun it and commit the result"
    )


def test_samples_regenerate_parquet_identical(regenerated: Path) -> None:
    """Byte-identical when written by the same pyarrow; the footer names the writer version
    (``created_by``), so after a pyarrow upgrade only the schema and rows are compared."""
    import pyarrow.parquet as pq

    new, old = regenerated / "articles/news.parquet", SAMPLES / "articles/news.parquet"
    if pq.ParquetFile(new).metadata.created_by == pq.ParquetFile(old).metadata.created_by:
        assert new.read_bytes() == old.read_bytes()
    else:
        assert pq.read_table(new).equals(pq.read_table(old))
    assert pq.ParquetFile(old).metadata.num_row_groups > 1  # readers must iterate row groups


def test_samples_regenerate_hf_state_identical(regenerated: Path) -> None:
    """state.json is byte-identical today; its ``_fingerprint`` is datasets' own hash of the table, whose
    algorithm may change between datasets releases without the data changing, so it is compared apart
    from the rest (the rows themselves are covered by the .arrow byte comparison)."""
    new = json.loads((regenerated / "hf/chat/state.json").read_text())
    old = json.loads((SAMPLES / "hf/chat/state.json").read_text())
    new_fp, old_fp = new.pop("_fingerprint"), old.pop("_fingerprint")
    assert new == old
    assert isinstance(old_fp, str) and old_fp
    if new_fp == old_fp:
        assert (regenerated / "hf/chat/state.json").read_bytes() == (SAMPLES / "hf/chat/state.json").read_bytes()


# ---------------------------------------------------------------------------------------------------
# Readability and shape
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("relpath", "reader", "columns"), READERS, ids=[r[0] for r in READERS])
def test_samples_readable_with_text_column(
    relpath: str, reader: Callable[[Path], list[dict[str, Any]]], columns: set[str]
) -> None:
    rows = reader(SAMPLES / relpath)
    assert 50 <= len(rows) <= 300
    assert all(set(row) == columns for row in rows)
    assert all(isinstance(row["text"], str) and row["text"].strip() for row in rows)


def test_samples_news_column_types() -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(SAMPLES / "articles/news.parquet")
    assert schema.field("id").type == pa.int64()
    assert schema.field("url").type == pa.string()
    assert schema.field("score").type == pa.float64()
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("text").type == pa.string()
    texts = pq.read_table(SAMPLES / "articles/news.parquet", columns=["text"]).column("text").to_pylist()
    assert min(len(t.encode()) for t in texts) >= 3000  # "longer articles": several KB each


def test_samples_total_size_is_small() -> None:
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert total < 1_500_000


# ---------------------------------------------------------------------------------------------------
# broken.jsonl: exactly the bad lines the script declares, each bad for the stated reason
# ---------------------------------------------------------------------------------------------------


def classify_line(line: bytes) -> str:
    """What a reader sees on one JSONL line: ok, or the kind of problem it must quarantine."""
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError:
        return "invalid-utf8"
    try:
        row = json.loads(decoded)
    except json.JSONDecodeError:
        return "malformed-json"
    if "text" not in row:
        return "missing-text"
    if row["text"] is None:
        return "null-text"
    if not isinstance(row["text"], str):
        return "non-string-text"
    return "ok"


EXPECTED_BAD_KINDS = {
    4: "malformed-json",
    9: "invalid-utf8",
    15: "null-text",
    21: "non-string-text",
    27: "missing-text",
}


def test_samples_broken_lines_match_script() -> None:
    lines = (SAMPLES / "web/broken.jsonl").read_bytes().split(b"\n")
    assert lines[-1] == b""  # newline-terminated, so the last line is not itself "broken"
    lines = lines[:-1]
    assert len(lines) == gen.BROKEN_TOTAL_LINES
    bad = {n: kind for n, kind in ((i, classify_line(line)) for i, line in enumerate(lines, 1)) if kind != "ok"}
    assert bad == EXPECTED_BAD_KINDS
    assert set(gen.BROKEN_LINES) == set(EXPECTED_BAD_KINDS)


# ---------------------------------------------------------------------------------------------------
# Dedup material: what _manifest.json promises is really in the data
# ---------------------------------------------------------------------------------------------------


def _shingles(text: str, n: int = 5) -> set[str]:
    words = text.split()
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_samples_manifest_duplicates_hold() -> None:
    manifest = json.loads((SAMPLES / "_manifest.json").read_text())
    texts = _all_rows()
    assert len(manifest["exact_duplicates"]) >= 10
    files_with_dups = {ref.split(":")[0] for pair in manifest["exact_duplicates"] for ref in pair}
    assert len(files_with_dups) >= 4  # duplicates inside files and across files
    for a, b in manifest["exact_duplicates"]:
        assert texts[a] == texts[b], (a, b)
    assert len(manifest["near_duplicates"]) >= 5
    for a, b in manifest["near_duplicates"]:
        sa, sb = _shingles(texts[a]), _shingles(texts[b])
        assert texts[a] != texts[b]
        assert len(sa & sb) / len(sa | sb) >= 0.7, (a, b)


@pytest.mark.parametrize("block", ["FORUM_FOOTER", "MAIL_DISCLAIMER", "NEWS_BOILERPLATE"])
def test_samples_boilerplate_repeated(block: str) -> None:
    text = getattr(gen, block)
    refs = json.loads((SAMPLES / "_manifest.json").read_text())["boilerplate"][block]
    texts = _all_rows()
    assert len(text.split()) >= 60
    assert len(refs) >= 20
    assert all(text in texts[ref] for ref in refs)


# ---------------------------------------------------------------------------------------------------
# Generated values pass the validators real detectors use (checked independently of the script)
# ---------------------------------------------------------------------------------------------------


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    checksum = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        checksum += d
    return checksum % 10 == 0


def iban_valid(iban: str) -> bool:
    compact = iban.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


IBAN_LENGTHS = {"DE": 22, "GB": 22, "FR": 27}


@pytest.mark.parametrize(
    ("partial", "expected"),
    [("411111111111111", "1"), ("37828224631000", "5"), ("555555555555444", "4"), ("601111111111111", "7")],
)
def test_samples_luhn_check_digit_known_cards(partial: str, expected: str) -> None:
    assert gen.luhn_check_digit(partial) == expected


@pytest.mark.parametrize(
    ("iban"), ["DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606"]
)
def test_samples_iban_check_digits_known_ibans(iban: str) -> None:
    assert gen.iban_check_digits(iban[:2], iban[4:]) == iban[2:4]


def test_samples_generated_cards_and_ibans_validate() -> None:
    fake = gen.Fake("test-validators")
    for _ in range(200):
        assert luhn_valid(fake.card())
    for country, length in IBAN_LENGTHS.items():
        for _ in range(50):
            iban = fake.iban(country)
            assert iban_valid(iban) and len(iban.replace(" ", "")) == length, iban


def test_samples_generated_ssns_avoid_never_issued_ranges() -> None:
    fake = gen.Fake("test-ssn")
    for _ in range(500):
        area, group, serial = fake.ssn().split("-")
        assert area not in ("000", "666") and not area.startswith("9")
        assert group != "00" and serial != "0000"

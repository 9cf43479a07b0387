"""The stages inside ``datasets.Dataset.map``, as the README shows: same output as ``scrubber run``
for any ``num_proc``, and a fingerprint that changes whenever the output could (so the cache is
reused exactly when it is still right)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scrubber.api import load_pipeline
from scrubber.cli import main
from scrubber.stages.base import default_rules_dir

datasets = pytest.importorskip("datasets")
from datasets.fingerprint import Hasher  # noqa: E402

KEY = "datasets-test-key-0123456789"
ROWS = [
    {"id": 0, "text": "Write to jane.doe@gmail.com or call (415) 555-0123."},
    {"id": 1, "text": "Docs live at https://docs.example.com/v1.2.3"},
    {"id": 2, "text": "Card 4539 1488 0343 6467, SSN 123-45-6789, from 203.0.113.9."},
    {"id": 3, "text": ""},
    {"id": 4, "text": "Nothing personal in this one."},
] * 3


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _load(path: Path, cache: Path):
    return datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(cache))


def test_map_with_one_or_two_processes_equals_scrubber_run(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    data = _jsonl(tmp_path / "in.jsonl", ROWS)
    config = tmp_path / "cfg.yaml"
    config.write_text("mode: fast\noperator: pseudonymize\npipeline: [detect, transform]\n", encoding="utf-8")
    monkeypatch.setenv("SCRUBBER_KEY", KEY)
    assert main(["run", str(data), "-o", str(tmp_path / "out"), "--config", str(config), "--no-progress"]) == 0
    cli = [json.loads(line)["text"] for line in (tmp_path / "out" / "in.jsonl").read_text().splitlines()]

    ds = _load(data, tmp_path / "cache")
    scrub = load_pipeline(config, key=KEY)
    one = ds.map(scrub, batched=True, batch_size=4, num_proc=1, load_from_cache_file=False)
    two = ds.map(scrub, batched=True, batch_size=4, num_proc=2, load_from_cache_file=False)
    assert list(one["text"]) == list(two["text"]) == cli
    assert "jane.doe@gmail.com" not in cli[0]


def test_fingerprint_follows_the_rules_files_so_the_cache_is_never_stale(tmp_path: Path, monkeypatch) -> None:
    """Editing a detect rules file used to leave the fingerprint unchanged: ``map`` then returned the
    output cached under the old rules (here: e-mail addresses, once removed from the entities, still
    redacted; the other way round, a newly added recognizer would not have run)."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    config = tmp_path / "cfg.yaml"
    config.write_text(f"rules: {rules}\nmode: fast\npipeline: [detect, transform]\n", encoding="utf-8")
    ds = _load(_jsonl(tmp_path / "in.jsonl", ROWS[:1]), tmp_path / "cache")

    first = load_pipeline(config)
    before = Hasher.hash(first)
    assert Hasher.hash(load_pipeline(config)) == before  # deterministic: the cache is reused
    assert "<EMAIL>" in ds.map(first, batched=True)["text"][0]

    recognizers = rules / "detect" / "recognizers.yaml"
    text = recognizers.read_text(encoding="utf-8")
    assert "\n  - EMAIL_ADDRESS\n" in text
    recognizers.write_text(text.replace("\n  - EMAIL_ADDRESS\n", "\n", 1), encoding="utf-8")
    second = load_pipeline(config)
    assert Hasher.hash(second) != before
    assert ds.map(second, batched=True)["text"][0] == ROWS[0]["text"].replace("(415) 555-0123", "<PHONE>")


def test_fingerprint_changes_with_the_key_and_not_with_use(tmp_path: Path) -> None:
    scrub = load_pipeline(mode="fast", operator="pseudonymize", key=KEY)
    before = Hasher.hash(scrub)
    scrub({"text": [ROWS[0]["text"]]})  # models loaded, counters moved: neither is in the fingerprint
    assert Hasher.hash(scrub) == before
    assert Hasher.hash(load_pipeline(mode="fast", operator="pseudonymize", key=KEY + "x")) != before


CLEAN_FIRST = [{"text": "Nothing personal here."}, {"text": "Nor here."},
               {"text": "Mail jane.doe@gmail.com"}, {"text": "a@gmail.com b@gmail.com c@gmail.com"}]


def test_single_stages_chain_through_two_maps_whatever_the_first_batch_holds() -> None:
    """A first batch without spans typed ``_scrubber_spans`` as a list of nulls, and the first span
    then failed to cast ("Couldn't cast array of type struct<...> to null"); ``_scrubber_drop``
    appeared only in batches where a row was dropped ("Schema and number of arrays unequal")."""
    from scrubber.detect.stage import DetectStage
    from scrubber.transform.policy import DropDocumentStage
    from scrubber.transform.stage import TransformStage

    ds = datasets.Dataset.from_list(CLEAN_FIRST)
    detected = ds.map(DetectStage.from_config({"mode": "fast"}), batched=True, batch_size=2)
    marked = detected.map(DropDocumentStage.from_config({"max_count": 2}), batched=True, batch_size=2)
    # map keeps the input columns a function does not return: transform's spans column is spent
    out = marked.map(TransformStage.from_config({}), batched=True, batch_size=2, remove_columns=["_scrubber_spans"])
    assert list(out["text"]) == ["Nothing personal here.", "Nor here.", "Mail <EMAIL>", CLEAN_FIRST[3]["text"]]
    assert list(out["_scrubber_drop"]) == ["", "", "", "pii_count"]
    assert "_scrubber_spans" not in out.column_names
    kept = out.filter(lambda row: not row["_scrubber_drop"])
    assert len(kept) == 3


def test_keep_dropped_pipeline_writes_the_drop_column_in_every_batch(tmp_path: Path) -> None:
    config = tmp_path / "cfg.yaml"
    config.write_text("mode: fast\npipeline: [detect, {drop_document: {max_count: 2}}, transform]\n", encoding="utf-8")
    ds = datasets.Dataset.from_list(CLEAN_FIRST)
    out = ds.map(load_pipeline(config, keep_dropped=True), batched=True, batch_size=2)
    assert list(out["_scrubber_drop"]) == ["", "", "", "pii_count"]
    assert len(ds.map(load_pipeline(config), batched=True, batch_size=2)) == 3

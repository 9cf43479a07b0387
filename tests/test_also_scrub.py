"""More than one text column: fine-tuning sets keep personal data in every one of them
(``instruction``/``input``/``output``, ``prompt``/``response``), so ``also_scrub`` has the streaming
stages scrub each listed column exactly as they scrub the main one, while dedup compares the main
text only. A listed column a record lacks, or that holds no string, is quarantined, never passed on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import read_rows, scrub_with, write_config, write_jsonl, write_parquet

from scrubber.api import load_pipeline
from scrubber.cli import main

ROWS = [
    {"id": 1, "instruction": "Write to John Smith at john.smith@gmail.com", "input": "",
     "output": "Dear John, call me on +1 415 555 0100."},
    {"id": 2, "instruction": "Card 4539 1488 0343 6467 was charged", "input": "server 8.8.4.4 and bob@corp.com",
     "output": "Nothing personal here."},
    {"id": 3, "instruction": "Say hi", "input": None, "output": "hi"},
]
FIELDS = ("instruction", "input", "output")



def test_also_scrub_scrubs_each_field_as_if_it_were_the_main_text(tmp_path: Path) -> None:
    """Each listed column comes out exactly as a run with that column as --text-field gives it:
    same detection, same replacement, no spans carried from one column to another."""
    src = write_jsonl(tmp_path / "in" / "s.jsonl", ROWS)
    together = read_rows(scrub_with(tmp_path, src, "together", "--text-field", "output", "--also-scrub", "instruction",
                            "--also-scrub", "input") / "s.jsonl")
    for name in ("instruction", "output"):  # (input has a null: as main text it would be quarantined)
        alone = read_rows(scrub_with(tmp_path, src, f"alone-{name}", "--text-field", name) / "s.jsonl")
        assert [r[name] for r in together] == [r[name] for r in alone]
    assert together[0]["instruction"] == "Write to <PERSON> at <EMAIL>"
    assert together[1]["instruction"] == "Card <CREDIT_CARD> was charged"
    assert together[1]["input"] == "server 8.8.4.4 and <EMAIL>"  # a public DNS server is kept
    assert "555" not in together[0]["output"]
    assert together[2] == ROWS[2]  # a null stays null, the row is unchanged


def test_also_scrub_keeps_fields_apart_when_a_corpus_stage_sits_between_detect_and_transform(
    tmp_path: Path,
) -> None:
    """Spans of one field wait for the transform while a dedup stage runs in between; applying them
    to another field's text would cut it at the wrong places and leave its own PII in."""
    src = write_jsonl(tmp_path / "in" / "s.jsonl", ROWS)
    split = read_rows(scrub_with(tmp_path, src, "split", "--text-field", "output", "--also-scrub", "instruction",
                         "--also-scrub", "input", pipeline="detect, dedup_exact, transform") / "s.jsonl")
    joined = read_rows(scrub_with(tmp_path, src, "joined", "--text-field", "output", "--also-scrub", "instruction",
                          "--also-scrub", "input") / "s.jsonl")
    assert split == joined


def test_also_scrub_unchanged_rows_are_written_as_read_and_changed_ones_re_encoded(tmp_path: Path) -> None:
    untouched = b'{"prompt":  "say hi",   "response": "hi"}'
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [untouched + b"\n",
                                                     b'{"prompt": "mail bob@corp.com", "response": "ok"}\n'])
    out = scrub_with(tmp_path, src, "out", "--text-field", "response", "--also-scrub", "prompt")
    lines = (out / "s.jsonl").read_bytes().splitlines()
    assert lines[0] == untouched
    assert json.loads(lines[1]) == {"prompt": "mail <EMAIL>", "response": "ok"}


@pytest.mark.parametrize(("line", "reason"), [
    (b'{"prompt": "hi", "response": "ok"}', "missing text field 'input'"),
    (b'{"prompt": "hi", "input": ["bob@corp.com"], "response": "ok"}',
     "text field 'input' is list, expected a string"),
    (b'{"prompt": "hi", "input": "bob@corp.com", "input": "", "response": "ok"}',
     "text field 'input' appears 2 times (duplicate key)"),
])
def test_also_scrub_record_without_a_usable_field_is_quarantined(tmp_path: Path, line: bytes, reason: str) -> None:
    """A record whose listed column is missing (a typo in the flag would otherwise scrub nothing),
    not text, or given twice cannot be scrubbed whole: it goes to the rejects, the others go on."""
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [line + b"\n", b'{"prompt": "a", "input": "b", "response": "c"}\n'])
    out = scrub_with(tmp_path, src, "out", "--text-field", "response", "--also-scrub", "prompt",
                     "--also-scrub", "input")
    assert read_rows(out / "s.jsonl") == [{"prompt": "a", "input": "b", "response": "c"}]
    rejects = read_rows(out / "_rejects" / "s.jsonl.jsonl")
    assert [(r["line"], r["reason"]) for r in rejects] == [(1, reason)]


def test_also_scrub_parquet_columns_keep_their_schema_and_nulls(tmp_path: Path) -> None:
    src = write_parquet(tmp_path / "in" / "t.parquet", {
        "prompt": pa.array(["mail bob@corp.com", None, "plain"], pa.large_string()),
        "response": ["ok", "call +1 415 555 0100", "fine"],
        "n": pa.array([1, 2, 3], pa.int16()),
    })
    out = scrub_with(tmp_path, src, "out", "--text-field", "response", "--also-scrub", "prompt")
    table = pq.read_table(out / "t.parquet")
    assert table.schema == pq.read_table(src).schema
    assert table.column("prompt").to_pylist() == ["mail <EMAIL>", None, "plain"]
    assert table.column("response").to_pylist() == ["ok", "call <PHONE>", "fine"]


def test_also_scrub_parquet_without_the_column_fails_that_file_and_says_which_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_parquet(tmp_path / "in" / "t.parquet", {"response": ["ok"], "n": [1]})
    out = tmp_path / "out"
    assert main(["run", str(src), "-o", str(out), "--mode", "fast", "--no-progress", "--text-field", "response",
                 "--also-scrub", "promt"]) == 1
    report = json.loads((out / "_scrubber" / "report.json").read_text())
    assert "no column 'promt' (columns: response, n); use --also-scrub" in json.dumps(report)


def test_also_scrub_dedup_compares_the_main_text_only(tmp_path: Path) -> None:
    """Two records with the same answer are copies whatever their prompts: the second is dropped."""
    rows = [{"prompt": f"question {i} from bob@corp.com", "response": "The same long answer, word for word."}
            for i in range(2)]
    src = write_jsonl(tmp_path / "in" / "s.jsonl", rows)
    out = scrub_with(tmp_path, src, "out", "--text-field", "response", "--also-scrub", "prompt",
                 pipeline="dedup_exact, detect, transform")
    assert read_rows(out / "s.jsonl") == [{"prompt": "question 0 from <EMAIL>",
                                       "response": "The same long answer, word for word."}]


def test_also_scrub_audit_names_the_field_of_each_replacement(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [{"prompt": "mail bob@corp.com", "response": "see 8.8.8.8 or "
                                                     "ann@corp.com"}])
    out = scrub_with(tmp_path, src, "out", "--text-field", "response", "--also-scrub", "prompt", "--audit",
                 "--key-file", str(write_config(tmp_path / "key", "k" * 32)))
    audit = read_rows(out / "_scrubber" / "audit" / "s.jsonl.jsonl")
    scrubbed = read_rows(out / "s.jsonl")[0]
    located = [(r.get("field", "response"), r["entity_type"]) for r in audit]
    assert located == [("prompt", "EMAIL_ADDRESS"), ("response", "EMAIL_ADDRESS")]
    for record in audit:  # the offsets point into the named field of the output
        text = scrubbed[record.get("field", "response")]
        assert text[record["start"]:record["end"]] == "<EMAIL>"


@pytest.mark.parametrize(("config", "message"), [
    ("also_scrub: [text]\n", "also_scrub: 'text' is named twice"),
    ("also_scrub: [a, a]\n", "also_scrub: 'a' is named twice"),
    ("also_scrub: prompt\n", "also_scrub: expected a list"),
    ("also_scrub: [_scrubber_spans]\n", "also_scrub: '_scrubber_spans' is a column scrubber itself uses"),
])
def test_also_scrub_config_errors_stop_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str,
                                                message: str) -> None:
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [{"text": "x"}])
    cfg = write_config(tmp_path / "c.yaml", config)
    assert main(["run", str(src), "-o", str(tmp_path / "out"), "--config", str(cfg), "--no-progress"]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_also_scrub_changes_the_run_fingerprint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An output scrubbed without the prompt column must not be taken as done for a run that asks for it."""
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [{"prompt": "mail bob@corp.com", "text": "x"}])
    out = tmp_path / "out"
    assert main(["run", str(src), "-o", str(out), "--mode", "fast", "--no-progress"]) == 0
    assert main(["run", str(src), "-o", str(out), "--mode", "fast", "--no-progress", "--also-scrub", "prompt"]) == 2
    assert "different" in capsys.readouterr().err
    assert main(["run", str(src), "-o", str(out), "--mode", "fast", "--no-progress", "--also-scrub", "prompt",
                 "--overwrite"]) == 0
    assert read_rows(out / "s.jsonl") == [{"prompt": "mail <EMAIL>", "text": "x"}]


@pytest.mark.parametrize(("batch", "message"), [
    ({"text": ["hi"]}, "also_scrub: the batch has no column 'prompt' (columns: text)"),
    ({"text": ["hi", "ho"], "prompt": ["ok", ["mail bob@corp.com"]]},
     "row 1 of the batch: also_scrub column 'prompt' is list, expected a string"),
])
def test_also_scrub_library_batch_that_cannot_be_scrubbed_raises(batch: dict, message: str) -> None:
    """A column named to be scrubbed and absent from the batch (a typo would scrub nothing), or
    holding a value no stage can scrub (it would pass on as it is), stops the call; the message names
    row and type, never the value."""
    with pytest.raises(ValueError, match=re.escape(message)) as exc:
        load_pipeline(mode="fast", also_scrub=["prompt"])(batch)
    assert "bob@corp.com" not in str(exc.value)


def test_also_scrub_library_pipeline_matches_the_cli(tmp_path: Path) -> None:
    """``load_pipeline(also_scrub=...)`` in ``datasets.map`` gives what ``scrubber run`` writes."""
    src = write_jsonl(tmp_path / "in" / "s.jsonl", ROWS)
    cli = read_rows(scrub_with(tmp_path, src, "cli", "--text-field", "output", "--also-scrub", "instruction",
                       "--also-scrub", "input") / "s.jsonl")
    scrub = load_pipeline(mode="full", text_field="output", also_scrub=["instruction", "input"])
    columns = scrub({name: [r[name] for r in ROWS] for name in ("id", *FIELDS)})
    assert [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)] == cli


def test_also_scrub_drop_document_counts_each_field_on_its_own(tmp_path: Path) -> None:
    """A PII-dense prompt drops its record even when the main text is clean (the README says so)."""
    rows = [{"prompt": "mail a@corp.com, b@corp.com and c@corp.com", "response": "ok"},
            {"prompt": "mail a@corp.com", "response": "ok, b@corp.com"}]
    src = write_jsonl(tmp_path / "in" / "s.jsonl", rows)
    out = scrub_with(tmp_path, src, "out", "--text-field", "response", "--also-scrub", "prompt",
                     pipeline="detect, drop_document: {max_count: 2}, transform")
    assert read_rows(out / "s.jsonl") == [{"prompt": "mail <EMAIL>", "response": "ok, <EMAIL>"}]
    assert read_rows(out / "_scrubber" / "dropped" / "s.jsonl.jsonl") == [{"row": 0, "reason": "pii_count"}]

"""End to end through the CLI: output mirrors input, bad files fail alone, the report adds up."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import run_cli, write_config, write_hf, write_jsonl, write_parquet

from scrubber.cli import main
from scrubber.records import Batch
from scrubber.stages.base import Stage


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    write_jsonl(root / "plain.jsonl", [{"text": "one", "id": 1, "meta": {"k": [1, 2]}},
                                       {"id": 2, "text": "two ☃ 🙂", "score": 0.5}])
    write_jsonl(root / "gz" / "c.jsonl.gz", [{"text": f"row {i}"} for i in range(7)], "gzip")
    write_jsonl(root / "zst" / "c.jsonl.zst", [{"text": f"row {i}"} for i in range(7)], "zstd")
    write_parquet(root / "table.parquet", {
        "text": ["alpha", "beta"], "id": pa.array([1, 2], pa.int32()),
        "tags": [["x"], []], "when": pa.array([1, 2], pa.timestamp("ms")),
    }, compression="zstd")
    write_hf(root / "hf", {"text": ["h1", "h2", "h3"], "n": [1, 2, 3]})
    return root


def test_output_mirrors_paths_formats_and_columns(corpus: Path, tmp_path: Path, passthrough_config: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(corpus), "-o", str(out), "--config", str(passthrough_config), "--no-progress"]) == 0
    lines = [json.loads(x) for x in (out / "plain.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines == [{"text": "one", "id": 1, "meta": {"k": [1, 2]}}, {"id": 2, "text": "two ☃ 🙂", "score": 0.5}]
    assert gzip.decompress((out / "gz" / "c.jsonl.gz").read_bytes()).count(b"\n") == 7
    import zstandard

    with zstandard.ZstdDecompressor().stream_reader(open(out / "zst" / "c.jsonl.zst", "rb")) as fh:
        assert fh.read().count(b"\n") == 7
    src, dst = pq.ParquetFile(corpus / "table.parquet"), pq.ParquetFile(out / "table.parquet")
    assert dst.schema_arrow == src.schema_arrow
    assert dst.metadata.row_group(0).column(0).compression == "ZSTD"
    assert pq.read_table(out / "table.parquet").to_pylist() == pq.read_table(corpus / "table.parquet").to_pylist()
    import datasets

    loaded = datasets.load_from_disk(str(out / "hf"))
    assert loaded["text"] == ["h1", "h2", "h3"] and loaded["n"] == [1, 2, 3]


def test_output_report_counts_everything(corpus: Path, tmp_path: Path, passthrough_config: Path) -> None:
    write_jsonl(corpus / "bad.jsonl", [{"text": "fine"}, b"{oops\n", {"text": None}])
    out = tmp_path / "out"
    assert main(["run", str(corpus), "-o", str(out), "--config", str(passthrough_config), "--no-progress"]) == 0
    report = json.loads((out / "_scrubber" / "report.json").read_text())
    totals = report["totals"]
    assert totals["docs_in"] == 2 + 7 + 7 + 2 + 3 + 1
    assert totals["docs_out"] == totals["docs_in"]
    assert totals["quarantined"] == 2
    assert totals["shards_done"] == 6 and totals["shards_failed"] == 0
    assert report["shards"]["bad.jsonl"]["quarantined"] == 2
    assert report["stages"]["passthrough"]["docs"] == totals["docs_in"]
    rejects = [json.loads(x) for x in (out / "_rejects" / "bad.jsonl.jsonl").read_text().splitlines()]
    assert [(r["line"], r["reason"].split(":")[0]) for r in rejects] == [(2, "malformed JSON"),
                                                                          (3, "text field 'text' is null")]


def test_output_bad_file_fails_alone_with_nonzero_exit(corpus: Path, tmp_path: Path, passthrough_config: Path) -> None:
    data = gzip.compress(b"".join(b'{"text": "row %d"}\n' % i for i in range(20000)))
    (corpus / "gz" / "broken.jsonl.gz").write_bytes(data[: len(data) // 2])
    out = tmp_path / "out"
    proc = run_cli("run", str(corpus), "-o", str(out), "--config", str(passthrough_config), "--no-progress")
    assert proc.returncode == 1
    assert "FAILED gz/broken.jsonl.gz: truncated or corrupt gzip" in proc.stdout
    assert not (out / "gz" / "broken.jsonl.gz").exists()
    assert not list((out / "gz").glob(".broken*"))  # no temporary left behind
    assert (out / "plain.jsonl").exists() and (out / "table.parquet").exists()
    report = json.loads((out / "_scrubber" / "report.json").read_text())
    assert report["failures"][0]["file"] == "gz/broken.jsonl.gz"
    (record,) = [json.loads(x) for x in (out / "_rejects" / "gz" / "broken.jsonl.gz.jsonl").read_text().splitlines()]
    assert record["whole_file"] and record["reason"].startswith("truncated or corrupt gzip")


@pytest.mark.parametrize(("config", "message"), [
    ("pipeline:\n  - passthrough:\n      lable: x\n", "pipeline[0].passthrough: unknown key 'lable'"),
    ("pipeline:\n  - no_such_stage\n", "unknown stage 'no_such_stage'"),
    ("batch_size: many\npipeline: [passthrough]\n", "batch_size: expected a whole number"),
    ("batchsize: 5\n", "unknown key 'batchsize'"),
    ("pipeline: [passthrough\n", "not valid YAML at line 2"),
])
def test_output_config_errors_name_file_and_key(tmp_path: Path, corpus: Path, config: str, message: str) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(config)
    proc = run_cli("run", str(corpus), "-o", str(tmp_path / "out"), "--config", str(cfg))
    assert proc.returncode == 2
    assert str(cfg) in proc.stderr and message in proc.stderr
    assert not (tmp_path / "out").exists()


def test_output_progress_plain_lines_when_not_a_tty(corpus: Path, tmp_path: Path, passthrough_config: Path) -> None:
    write_jsonl(corpus / "secret.jsonl", [{"text": "call jane.doe@corp.io"}])
    proc = run_cli("run", str(corpus), "-o", str(tmp_path / "out"), "--config", str(passthrough_config))
    assert proc.returncode == 0
    assert "[scrub] shards" in proc.stderr and "docs" in proc.stderr and "ETA" in proc.stderr
    assert "jane.doe" not in proc.stderr + proc.stdout


def test_output_progress_counts_the_same_records_in_every_pass(tmp_path: Path) -> None:
    """An index pass and the scrub pass read the same records: their last lines show the same count,
    quarantined records included (the report's documents in + quarantined)."""
    import re

    root = tmp_path / "in"
    write_jsonl(root / "a.jsonl", [{"text": f"document {i}"} for i in range(5)])
    (root / "b.jsonl").write_text('{"text": "kept"}\n{not json\n{"text": 7}\n', encoding="utf-8")
    config = write_config(tmp_path / "dedup.yaml", "pipeline:\n  - dedup_exact\n")
    out = tmp_path / "out"
    proc = run_cli("run", str(root), "-o", str(out), "--config", str(config))
    assert proc.returncode == 0
    totals = json.loads((out / "_scrubber" / "report.json").read_text())["totals"]
    assert totals["quarantined"] == 2
    last = {}
    for label, count in re.findall(r"^\[([a-z_ ]+)\] shards 2/2, (\d+) docs", proc.stderr, re.MULTILINE):
        last[label] = int(count)
    assert last == {"index dedup_exact": totals["docs_in"] + 2, "scrub": totals["docs_in"] + 2}


def test_output_progress_closing_line_does_not_repeat_the_last_one() -> None:
    """A pass that ends right after a line was printed (the Ray engine redraws once more at the end)
    shows its final counts once; new counts still get their closing line."""
    import io

    from scrubber.runner.progress import Counters, ProgressDisplay

    stream = io.StringIO()
    counters = Counters()
    display = ProgressDisplay("scrub", 100, counters, stream=stream, interval=0.0)
    counters.add(3, 100)
    display.refresh(1, 1)
    display.close(1, 1)
    assert len(stream.getvalue().splitlines()) == 1
    counters.add(1, 0)
    display.close(1, 1)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and ", 3 docs " in lines[0] and ", 4 docs " in lines[1]


def test_output_progress_bar_on_a_terminal(corpus: Path, tmp_path: Path, passthrough_config: Path) -> None:
    """On a TTY the run shows a live bar with throughput and shard counts (tqdm), not log lines."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import ROOT

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "scrubber.cli", "run", str(corpus), "-o", str(tmp_path / "out"),
                             "--config", str(passthrough_config)], cwd=ROOT, stdout=follower, stderr=follower,
                            stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=120) == 0
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "scrub" in screen and "docs/s" in screen and "shards 5/5" in screen
    assert "B/s" in screen  # tqdm's rate column
    assert "[scrub] shards" not in screen  # plain lines are for non-terminals


def test_output_report_times_every_pass_of_corpus_stages(corpus: Path, tmp_path: Path) -> None:
    """Dedup work happens mostly in the index and resolve passes: the report must show that time."""
    config = tmp_path / "dedup.yaml"
    config.write_text("pipeline:\n  - dedup_exact\n  - dedup_near\n  - passthrough\n")
    out = tmp_path / "out"
    assert main(["run", str(corpus), "-o", str(out), "--config", str(config), "--no-progress"]) == 0
    stages = json.loads((out / "_scrubber" / "report.json").read_text())["stages"]
    for label in ("dedup_exact", "dedup_near"):
        assert stages[label]["index_seconds"] > 0 and stages[label]["resolve_seconds"] > 0
    assert "index_seconds" not in stages["passthrough"]


# -- rows no stage changed are written back as read ----------------------------------------------

@dataclass(frozen=True, slots=True)
class _EditOptions:
    how: str = "in_place"


class _EditInPlace(Stage):
    """A user stage that upper-cases texts holding "secret" by editing the column list in place, or
    that adds a column to every row."""

    name = "edit_in_place"
    Options = _EditOptions

    def process(self, batch: Batch) -> Batch:
        texts = batch.texts
        if self.options.how == "add_column":
            batch.columns["n_chars"] = [len(t) for t in texts]
            return batch
        if self.options.how == "nested_in_place":  # e.g. scrubbing an author name inside `meta`
            for text, meta in zip(texts, batch.columns["meta"], strict=True):
                if "secret" in text:
                    meta["author"] = "<PERSON>"
            return batch
        for i, text in enumerate(texts):
            if "secret" in text:
                texts[i] = text.upper()
        return batch


def test_output_untouched_jsonl_rows_keep_their_exact_bytes(tmp_path: Path) -> None:
    """Spacing, key order and escapes of rows without findings survive; a scrubbed row is re-encoded."""
    untouched = [b'{"id": 1,   "text": "caf\\u00e9 and plain words"}', b'{ "text" : "nothing here" , "n": 1.50 }']
    scrubbed = b'{"id": 3, "text": "mail bob.smith@corp.com please"}'
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [untouched[0] + b"\r\n", scrubbed + b"\n", untouched[1] + b"\n"])
    config = write_config(tmp_path / "c.yaml", "mode: fast\npipeline:\n  - detect\n  - transform: {operator: redact}\n")
    out = tmp_path / "out"
    assert main(["run", str(src.parent), "-o", str(out), "--config", str(config), "--no-progress"]) == 0
    lines = (out / "s.jsonl").read_bytes().split(b"\n")
    assert lines[0] == untouched[0] and lines[2] == untouched[1] and lines[3] == b""
    assert json.loads(lines[1]) == {"id": 3, "text": "mail <EMAIL> please"}


@pytest.mark.parametrize("how, expected", [
    ("in_place", [{"text": "A SECRET", "meta": {"author": "Jane Roe"}},
                  {"text": "plain", "meta": {"author": "Ann Lee"}}]),
    ("add_column", [{"text": "a secret", "meta": {"author": "Jane Roe"}, "n_chars": 8},
                    {"text": "plain", "meta": {"author": "Ann Lee"}, "n_chars": 5}]),
    ("nested_in_place", [{"text": "a secret", "meta": {"author": "<PERSON>"}},
                         {"text": "plain", "meta": {"author": "Ann Lee"}}]),
])
def test_output_rows_changed_by_any_stage_are_never_written_as_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, expected: list[dict]
) -> None:
    """Even a stage that edits the column list in place (no new list object) cannot make the runner
    write an input line back unchanged: the leak this guards against is the original text surviving."""
    from scrubber.stages import registry

    monkeypatch.setitem(registry.STAGES, "edit_in_place", f"{__name__}:_EditInPlace")
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [b'{"text":  "a secret", "meta": {"author": "Jane Roe"}}\n',
                                                    b'{"text":  "plain", "meta": {"author": "Ann Lee"}}\n'])
    config = write_config(tmp_path / "c.yaml", f"pipeline:\n  - edit_in_place: {{how: {how}}}\n")
    out = tmp_path / "out"
    assert main(["run", str(src.parent), "-o", str(out), "--config", str(config), "--no-progress"]) == 0
    assert [json.loads(x) for x in (out / "s.jsonl").read_text().splitlines()] == expected
    if how == "in_place":  # the untouched row is still passed through as read
        assert (out / "s.jsonl").read_bytes().split(b"\n")[1] == b'{"text":  "plain", "meta": {"author": "Ann Lee"}}'


@pytest.mark.parametrize(("config", "message"), [
    # a top-level key reads "FILE: key", like every other top-level message (not "FILE.key")
    ("mode: fasst\n", "{cfg}: mode: expected one of 'fast', 'full', got 'fasst'"),
    ("batch_size: many\n", "{cfg}: batch_size: expected a whole number"),
    # the `stage:`/`options:` layout of other tools gets a hint, not "expected a mapping of options"
    ("pipeline:\n  - stage: dedup_exact\n", "{cfg}: pipeline[0]: write a stage as its name"),
    ("pipeline:\n  - stage: dedup_near\n    options: {threshold: 0.8}\n",
     "{cfg}: pipeline[0]: write a stage as its name"),
    # a wrong stage name is reported as such even when its value is not a mapping
    ("pipeline:\n  - detec: fast\n", "{cfg}: pipeline[0]: unknown stage 'detec'"),
])
def test_output_config_error_messages_read_as_file_then_key(tmp_path: Path, config: str, message: str) -> None:
    from scrubber.config import load_config
    from scrubber.errors import ConfigError

    cfg = tmp_path / "bad.yaml"
    cfg.write_text(config)
    with pytest.raises(ConfigError) as exc:
        load_config(cfg)
    assert message.format(cfg=cfg) in str(exc.value)

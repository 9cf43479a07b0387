"""A lone surrogate in a record (JSON allows ``"\\ud800"``; Python keeps it in the string) used to make
spaCy raise UnicodeEncodeError in full mode: the CLI failed the whole shard ("internal error in
stage 'detect'") and the library call raised with no row."""

from __future__ import annotations

import json
from pathlib import Path

from scrubber.api import load_pipeline
from scrubber.cli import main
from scrubber.detect.ner import spacy_safe

TEXT = "Maria Gonzalez \ud800 wrote to jane.doe@gmail.com"


def test_spacy_safe_keeps_length_and_every_encodable_text() -> None:
    assert spacy_safe("a\ud800b\udfff\u00e9") == "a\ufffdb\ufffd\u00e9"
    for text in ("ascii only", "caf\u00e9 \U0001f600", ""):
        assert spacy_safe(text) is text


def test_full_mode_scrubs_a_record_with_a_lone_surrogate() -> None:
    (out,) = load_pipeline(mode="full")({"text": [TEXT]})["text"]
    assert out == "<PERSON> \ud800 wrote to <EMAIL>"


def test_cli_full_mode_does_not_fail_the_shard(tmp_path: Path) -> None:
    shard = tmp_path / "in" / "s.jsonl"
    shard.parent.mkdir()
    shard.write_text(json.dumps({"text": TEXT}) + "\n" + json.dumps({"text": "Mail jane@gmail.com"}) + "\n",
                     encoding="utf-8")
    config = tmp_path / "cfg.yaml"
    config.write_text("mode: full\npipeline: [detect, transform]\n", encoding="utf-8")
    assert main(["run", str(shard), "-o", str(tmp_path / "out"), "--config", str(config), "--no-progress"]) == 0
    rows = [json.loads(line)["text"] for line in (tmp_path / "out" / "s.jsonl").read_text().splitlines()]
    assert rows == ["<PERSON> \ud800 wrote to <EMAIL>", "Mail <EMAIL>"]

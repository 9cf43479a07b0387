"""docs/dedup.md must document every option of every dedup stage (docs checked by tests)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from scrubber.dedup.exact import ExactDedupStage
from scrubber.dedup.near import NearDedupStage
from scrubber.dedup.repeats import RepeatedSequenceStage

DOC = Path(__file__).resolve().parent.parent / "docs" / "dedup.md"


@pytest.mark.parametrize("stage", [ExactDedupStage, NearDedupStage, RepeatedSequenceStage])
def test_dedup_docs_list_every_option_and_stage_name(stage):
    text = DOC.read_text(encoding="utf-8")
    assert f"`{stage.name}`" in text
    for field in dataclasses.fields(stage.Options):
        assert f"`{field.name}`" in text, f"option {field.name} of {stage.name} is not documented"

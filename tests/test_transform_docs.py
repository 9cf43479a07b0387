"""The before/after examples in docs/transform.md are exactly what the code produces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scrubber.records import Batch, Span
from scrubber.transform.stage import TransformStage

DOC = Path(__file__).resolve().parent.parent / "docs" / "transform.md"
KEY = b"docs-example-key-0123456789"


def examples() -> list[tuple[str, str, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- examples:start -->")[1].split("<!-- examples:end -->")[0]
    rows = re.findall(r"^\| `(\w+)` \| (\w+) \| `([^`]*)` \| `([^`]*)` \|$", block, flags=re.M)
    assert len(rows) >= 20
    return rows


@pytest.mark.parametrize(("operator", "entity_type", "before", "after"), examples())
def test_transform_docs_example_matches_code(operator: str, entity_type: str, before: str, after: str) -> None:
    stage = TransformStage.from_config({"operator": operator}, key=KEY)
    batch = Batch({"text": [before]})
    batch.set_spans([[Span(0, len(before), entity_type)]])
    assert stage.run(batch).texts == [after]


def test_transform_docs_every_operator_has_an_example() -> None:
    from scrubber.transform.rules import OPERATOR_NAMES

    documented = {row[0] for row in examples()}
    assert documented == set(OPERATOR_NAMES)

"""drop_document: mark (never remove) documents whose PII count or density passes a threshold."""

from __future__ import annotations

import pytest

from scrubber.errors import ConfigError
from scrubber.records import DROP_COLUMN, Batch, Span
from scrubber.stages.registry import stage_class
from scrubber.transform.policy import DropDocumentStage

LONG = "x" * 1000


def spans_at(*starts: int, length: int = 10, entity_type: str = "EMAIL_ADDRESS", score: float = 1.0) -> list[Span]:
    return [Span(s, s + length, entity_type, score) for s in starts]


@pytest.mark.parametrize(
    ("options", "text", "spans", "expected"),
    [
        ({"max_count": 2}, LONG, spans_at(0, 20), None),  # at the threshold: kept
        ({"max_count": 2}, LONG, spans_at(0, 20, 40), "pii_count"),  # above: dropped
        ({"max_count": 2}, LONG, spans_at(0, 5, 40), None),  # overlapping same-type spans count once
        ({"max_density": 25.0}, LONG, spans_at(0, 20), None),  # 20 chars / 1000 = 20 per mille
        ({"max_density": 25.0}, LONG, spans_at(0, 20, 40), "pii_density"),  # 30 per mille
        ({"max_density": 25.0}, "x" * 100, spans_at(0, 20, 40), None),  # shorter than min_chars
        ({"max_density": 25.0, "min_chars": 50}, "x" * 100, spans_at(0, 20, 40), "pii_density"),
        ({"max_count": 1, "entity_types": ["PERSON"]}, LONG, spans_at(0, 20, 40), None),
        ({"max_count": 1, "min_score": 0.5}, LONG, spans_at(0, 20, 40, score=0.4), None),
        ({"max_count": 0}, LONG, [], None),  # no spans, nothing to count
    ],
)
def test_transform_policy_thresholds(options: dict, text: str, spans: list[Span], expected: str | None) -> None:
    stage = DropDocumentStage.from_config(options)
    batch = Batch({"text": [text]})
    batch.set_spans([spans])
    out = stage.run(batch)
    assert len(out) == 1  # rows are marked, never removed
    assert out.drops() == [expected]
    counters = stage.take_counters()
    assert counters.get(f"dropped_{expected}", 0) == (1 if expected else 0)


def test_transform_policy_first_reason_wins_and_spans_are_left_for_transform() -> None:
    stage = stage_class("drop_document").from_config({"max_count": 0})
    batch = Batch({"text": [LONG, LONG]})
    batch.set_spans([spans_at(0), spans_at(0)])
    batch.mark_dropped(0, "duplicate")
    out = stage.run(batch)
    assert out.columns[DROP_COLUMN] == ["duplicate", "pii_count"]
    assert out.spans()[1] == spans_at(0)


@pytest.mark.parametrize(
    ("options", "message"),
    [({}, "max_count and/or max_density"), ({"max_density": 2000.0}, "1000"), ({"max_count": -1}, "0 or more"),
     ({"max_count": 1, "entity_types": []}, "at least one type")],
)
def test_transform_policy_config_errors(options: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        DropDocumentStage.from_config(options)

"""The stages inside Ray Data ``map_batches``, in every batch format Ray offers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scrubber.api import load_pipeline
from scrubber.detect.stage import DetectStage
from scrubber.transform.stage import TransformStage

ray = pytest.importorskip("ray")
pytestmark = [pytest.mark.ray, pytest.mark.slow]

KEY = "ray-api-test-key-0123456789"
ROWS = [{"id": i, "text": "Nothing here."} for i in range(4)] + [
    {"id": 4, "text": "Mail jane.doe@gmail.com"}, {"id": 5, "text": "Card 4539 1488 0343 6467."}]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    yield
    ray.shutdown()


def _texts(rows: list[dict]) -> list[str]:
    return [r["text"] for r in sorted(rows, key=lambda r: r["id"])]


@pytest.mark.parametrize("batch_format", ["numpy", "pandas", "pyarrow"])
def test_map_batches_in_every_format_equals_a_plain_call(local_ray, batch_format: str) -> None:
    """``batch_format="pyarrow"`` raised AttributeError: 'pyarrow.lib.Table' object has no attribute 'items'."""
    scrub = load_pipeline(mode="fast", operator="pseudonymize", key=KEY)
    expected = scrub({"text": [r["text"] for r in ROWS]})["text"]
    ds = ray.data.from_items(ROWS)
    assert _texts(ds.map_batches(scrub, batch_format=batch_format, batch_size=2).take_all()) == expected
    chained = (ds.map_batches(DetectStage.from_config({"mode": "fast"}), batch_format=batch_format, batch_size=2)
                 .map_batches(TransformStage.from_config({"operator": "pseudonymize"}, key=KEY.encode()),
                              batch_format=batch_format, batch_size=2))
    rows = chained.take_all()
    assert _texts(rows) == expected and all(r["_scrubber_drop"] == "" for r in rows)

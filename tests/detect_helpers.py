"""Shared builders for the detect tests: one fast stage per process, a helper to get labelled spans."""

from __future__ import annotations

from functools import lru_cache

from scrubber.detect.stage import DetectStage
from scrubber.records import Batch


@lru_cache(maxsize=4)
def stage(mode: str = "fast") -> DetectStage:
    st = DetectStage.from_config({"mode": mode})
    st.ensure_setup()
    return st  # type: ignore[return-value]


def found(text: str, mode: str = "fast") -> list[tuple[str, str]]:
    """(entity type, covered text) for every span detected in ``text``."""
    batch = stage(mode).run(Batch({"text": [text]}))
    return [(s.entity_type, text[s.start:s.end]) for s in batch.spans()[0]]

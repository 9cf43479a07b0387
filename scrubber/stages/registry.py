"""The one explicit map from config names to stage classes.

No import side effects, no subclass scans: to add a stage, add one line here. Classes are imported
lazily so that a fast-mode run never imports spaCy and the default install never needs Ray.
"""

from __future__ import annotations

import importlib

from scrubber.errors import ConfigError
from scrubber.stages.base import Stage

STAGES: dict[str, str] = {
    "passthrough": "scrubber.stages.passthrough:PassthroughStage",
    "detect": "scrubber.detect.stage:DetectStage",
    "transform": "scrubber.transform.stage:TransformStage",
    "drop_document": "scrubber.transform.policy:DropDocumentStage",
    "dedup_exact": "scrubber.dedup.exact:ExactDedupStage",
    "dedup_near": "scrubber.dedup.near:NearDedupStage",
    "dedup_repeats": "scrubber.dedup.repeats:RepeatedSequenceStage",
}


def stage_class(name: str) -> type[Stage]:
    """Return the class registered as ``name`` or raise a ConfigError listing the known names."""
    try:
        target = STAGES[name]
    except KeyError:
        raise ConfigError(f"unknown stage {name!r}; known stages: {', '.join(sorted(STAGES))}") from None
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attr)

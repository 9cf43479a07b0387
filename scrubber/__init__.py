"""scrubber: remove personal data and repeated sequences from LLM training corpora.

Use the stages in your own pipelines (``datasets.map``, Ray Data ``map_batches``) through
:mod:`scrubber.api`::

    from scrubber.api import load_pipeline
    scrub = load_pipeline(mode="fast")         # detect + transform, or load_pipeline("my.yaml")
    clean = dataset.map(scrub, batched=True)
"""

from scrubber.records import Batch, Span
from scrubber.stages.base import CorpusStage, Stage, StageContext

__version__ = "0.1.0"

__all__ = ["Batch", "CorpusStage", "Span", "Stage", "StageContext", "__version__"]

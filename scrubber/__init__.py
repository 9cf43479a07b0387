"""scrubber: remove personal data and repeated sequences from LLM training corpora.

Import stages from here for use in your own pipelines::

    from scrubber import build_stages
    stages = build_stages()            # the default pipeline, or build_stages("my.yaml")
"""

from scrubber.records import Batch, Span
from scrubber.stages.base import CorpusStage, Stage, StageContext

__version__ = "0.1.0"

__all__ = ["Batch", "CorpusStage", "Span", "Stage", "StageContext", "__version__"]

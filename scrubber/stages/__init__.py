"""Stage contract (:mod:`.base`), the name→class map (:mod:`.registry`) and trivial stages."""

from scrubber.stages.base import CorpusStage, Stage, StageContext

__all__ = ["CorpusStage", "Stage", "StageContext"]

"""A stage that changes nothing: proves the plumbing and measures the cost of reading and writing."""

from __future__ import annotations

from dataclasses import dataclass

from scrubber.records import Batch
from scrubber.stages.base import Stage


@dataclass(frozen=True, slots=True)
class PassthroughOptions:
    """No behaviour to tune; ``label`` only names the stage in the report."""

    label: str = "passthrough"


class PassthroughStage(Stage):
    """Counts documents and characters and returns the batch unchanged."""

    name = "passthrough"
    Options = PassthroughOptions

    def process(self, batch: Batch) -> Batch:
        self.counters["docs"] += len(batch)
        # A library call may hand over a missing text (None/NaN); the CLI's readers never do.
        self.counters["chars"] += sum(len(t) for t in batch.texts if isinstance(t, str))
        return batch

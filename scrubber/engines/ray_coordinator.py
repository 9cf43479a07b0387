"""The Ray engine's coordinator actor: hands the run's Job to the workers and adds up their progress.

A module of its own, importing nothing of scrubber, because the actor's process imports the module
its class is defined in: this keeps its start-up to that of a bare Ray worker. The Job stays the
pickled bytes the driver made (unpickling it would import the stages' modules, pyarrow among them).
On a small node that start-up is not free: the driver used to wait for it before each pass, and it
took ~1.7 CPU-seconds, time in which no actor had started yet.
"""

from __future__ import annotations


class Coordinator:
    """A tiny actor (no CPU) per run.

    Why not pass the Job to the workers directly: Ray Data stores constructor arguments and dataset
    rows in the object store, which may spill to disk, and the Job holds the secret key. Actor
    arguments and small call results travel inline in Ray's messages instead.

    Progress is counted per pass (the pass's number), so a new pass starts from zero without the
    driver having to wait for a reset call to reach this actor first.
    """

    def __init__(self, job_blob: bytes) -> None:
        self._job_blob = job_blob
        self._counts: dict[int, list[int]] = {}

    def job(self) -> bytes:
        """The pickled Job; the caller unpickles it."""
        return self._job_blob

    def add(self, pass_no: int, docs: int, nbytes: int) -> None:
        counts = self._counts.setdefault(pass_no, [0, 0])
        counts[0] += docs
        counts[1] += nbytes

    def totals(self, pass_no: int) -> tuple[int, int]:
        docs, nbytes = self._counts.get(pass_no, (0, 0))
        return docs, nbytes

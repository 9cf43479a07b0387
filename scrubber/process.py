"""Process-wide settings of scrubber's own processes: the CLI, each local worker, each Ray actor.

Why one place: these change how the whole Python process behaves, so a program that imports
scrubber's stages as a library never gets them; only scrubber's entry points call :func:`prepare`.

* ``transformers`` is not imported through presidio-analyzer (see :mod:`scrubber.lean_imports`).
* The cyclic garbage collector's youngest generation is collected every
  :data:`GC_YOUNG_THRESHOLD` allocations instead of Python's 700. Detection allocates millions of
  short-lived objects (match objects, spans, tuples) that reference counting frees at once; at 700
  the collector still ran ~800 times per 60 MB shard and walked the objects alive at that moment,
  and importing spaCy and Presidio paid for several full collections. Measured on a 60 MB shard in
  fast mode: collector time 0.35 -> 0.19 CPU-seconds, start-up ~0.1 CPU-seconds less. Garbage
  in reference cycles (rare here) waits at most that many allocations longer.
"""

from __future__ import annotations

import gc

from scrubber.lean_imports import skip_transformers_for_presidio

#: Allocations between two collections of the youngest generation (Python's default is 700).
GC_YOUNG_THRESHOLD = 10_000


def prepare() -> None:
    """Apply the settings (idempotent; never lowers a threshold someone raised further)."""
    skip_transformers_for_presidio()
    young, *older = gc.get_threshold()
    if young < GC_YOUNG_THRESHOLD:
        gc.set_threshold(GC_YOUNG_THRESHOLD, *older)

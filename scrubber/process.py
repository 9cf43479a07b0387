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
  in reference cycles (rare here) waits at most that many allocations longer. At 10,000 a batch
  of PII-dense documents still started collections: its windows, candidates and match results
  (tens of thousands of tuples) are alive together until the batch is done, so the count of
  allocations minus deallocations passed the threshold ~10 times per 500 such documents, each
  collection walking them (41 collections, ~60 ms of a 2.5 CPU-second run of 4,000 canary
  documents; benchmarks/RESULTS-detect.md). At 100,000 none starts there; when one does, a young
  generation that size is walked in ~5 ms (200,000 small containers: ~10 ms).
* What is loaded once stages are set up (rules, patterns, models, libraries' module state) is moved
  out of the collector's generations (:func:`freeze_loaded`): no full collection rescans it again.
  ``gc.freeze`` takes every object of the process, the caller's too, so it is done only here.
"""

from __future__ import annotations

import gc

from scrubber.lean_imports import skip_transformers_for_presidio

#: Allocations between two collections of the youngest generation (Python's default is 700).
GC_YOUNG_THRESHOLD = 100_000


#: Whether :func:`prepare` ran: this is one of scrubber's own processes.
_prepared = False


def prepare() -> None:
    """Apply the settings (idempotent; never lowers a threshold someone raised further)."""
    global _prepared
    _prepared = True
    skip_transformers_for_presidio()
    young, *older = gc.get_threshold()
    if young < GC_YOUNG_THRESHOLD:
        gc.set_threshold(GC_YOUNG_THRESHOLD, *older)


def freeze_loaded() -> None:
    """In scrubber's own processes, move everything alive now out of the cyclic collector's reach.

    Called when a stage has loaded its rules and models: they live as long as the process, and one
    full collection rescanning them cost ~90 ms, as much as 1 MB of prose takes to scan (fast mode
    12.7 -> 22.4 MB per CPU-second on a pass that hit one). A program using the stages as a library
    keeps its collector as it was: freezing would keep its own garbage cycles alive.
    """
    if _prepared:
        gc.collect()
        gc.freeze()

"""Accuracy benchmark for PII detection (issue #3): per-type precision/recall/F1, leak and damage rates.

Run ``python -m benchmarks.accuracy``. Two sets are scored, each for scrubber and for plain Presidio in
the same run: sentences generated offline by presidio-evaluator (:mod:`.synthetic`) and the canary set
of real-world-looking documents with planted PII and look-alikes (:mod:`.canary`).
"""

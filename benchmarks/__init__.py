"""Benchmarks: scripts that measure scrubber next to a baseline run in the same process."""

"""Exceptions grouped by what the runner does next (abort the run, fail one shard, reject one record).

Messages say what went wrong, where, and how to fix it. They never include record text: a message
may name a file, a line or row, a column, a key, a type — never a value that could be personal data.
"""

from __future__ import annotations


class ScrubberError(Exception):
    """Base class for errors scrubber raises on purpose."""


class ConfigError(ScrubberError):
    """The configuration, rules or command line are wrong: abort before touching any data."""


class ShardError(ScrubberError):
    """One input file cannot be read (unreadable, truncated, wrong schema): fail that shard, go on."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class BatchError(ScrubberError, ValueError):
    """A batch handed to a stage or pipeline called as a function cannot be scrubbed as given (no text
    column, a text value that is not a string, ragged columns). The CLI's readers quarantine such
    records instead; a library call has nowhere to put them, so it raises before changing anything."""


class ResumeConflict(ScrubberError):
    """The output folder holds results from a different input or config: refuse unless --overwrite."""

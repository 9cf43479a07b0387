"""Keep scrubber's own processes from importing ``transformers`` through presidio-analyzer.

Why: ``import presidio_analyzer`` runs the package's ``__init__``, which imports its Hugging Face
NLP engine, which imports ``transformers`` whenever it is installed — and in the environments
training-data engineers use it nearly always is (scrubber's ``dev`` extra pulls it in too).
scrubber never uses that engine, yet the import cost ~1.2-1.4 CPU-seconds in every process that
loads the detect stage: the CLI, each local worker, each Ray actor. presidio-analyzer already
treats a missing ``transformers`` as "engine unavailable" (``except ImportError``), so while
*presidio-analyzer's own package is being initialised* scrubber answers ``transformers`` with
``ModuleNotFoundError``; every other import of it, before or after, is untouched.

Only scrubber's entry points install this (``scrubber.cli.main`` and the worker initializer of both
engines). A program that imports scrubber's stages as a library keeps Python's normal imports.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

SKIPPED = "transformers"
WHILE_IMPORTING = "presidio_analyzer"


class _SkipDuringPresidioInit(importlib.abc.MetaPathFinder):
    """Refuses ``transformers`` (and its submodules) only while presidio_analyzer initialises."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        if fullname != SKIPPED and not fullname.startswith(SKIPPED + "."):
            return None
        presidio = sys.modules.get(WHILE_IMPORTING)
        spec = getattr(presidio, "__spec__", None)
        if spec is not None and getattr(spec, "_initializing", False):
            raise ModuleNotFoundError(f"No module named {fullname!r} (not needed by scrubber)", name=fullname)
        return None


def skip_transformers_for_presidio() -> None:
    """Install the finder once in this process (idempotent; a no-op once presidio is imported)."""
    if WHILE_IMPORTING in sys.modules:
        return
    if not any(isinstance(f, _SkipDuringPresidioInit) for f in sys.meta_path):
        sys.meta_path.insert(0, _SkipDuringPresidioInit())

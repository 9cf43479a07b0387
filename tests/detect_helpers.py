"""Shared builders for the detect tests: one fast stage per process, a helper to get labelled spans."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from scrubber.detect.rules import load_rules
from scrubber.detect.stage import DetectStage
from scrubber.detect.validators import ValidatorWords
from scrubber.records import Batch

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def shipped_words() -> ValidatorWords:
    """The validators' word lists of the shipped rules (``validators:`` of recognizers.yaml), as the
    engine binds them: what a validator tested on its own is called with."""
    return ValidatorWords.from_lists(load_rules(ROOT / "rules" / "detect").validator_lists)


@lru_cache(maxsize=4)
def stage(mode: str = "fast") -> DetectStage:
    st = DetectStage.from_config({"mode": mode})
    st.ensure_setup()
    return st  # type: ignore[return-value]


def found(text: str, mode: str = "fast") -> list[tuple[str, str]]:
    """(entity type, covered text) for every span detected in ``text``."""
    batch = stage(mode).run(Batch({"text": [text]}))
    return [(s.entity_type, text[s.start:s.end]) for s in batch.spans()[0]]


def logins(text: str, mode: str = "fast") -> list[str]:
    """The USERNAME spans found in ``text``, as written."""
    return [value for entity, value in found(text, mode) if entity == "USERNAME"]


def users(text: str) -> list[tuple[str, str]]:
    """(login as written, recognizer) of every USERNAME span of ``text``, fast mode."""
    (spans,) = stage().run(Batch({"text": [text]})).spans()
    return [(text[s.start:s.end], s.recognizer) for s in spans if s.entity_type == "USERNAME"]


def edited_rules(tmp_path: Path, filename: str, old: str, new: str) -> Path:
    """A copy of the shipped rules (``tmp_path/rules``) whose ``detect/<filename>`` has ``old``
    replaced by ``new`` once: the way a user edits a rules file. Fails if ``old`` is not there, so a
    test never passes on an edit that did not happen."""
    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parent.parent / "rules" / "detect", rules / "detect")
    path = rules / "detect" / filename
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rules


def stage_with_keep_pattern(tmp_path: Path, keep_regex: str, timeout: float = 0.05) -> DetectStage:
    """A fast stage on a copy of the default rules with one more keep pattern, ``slow_keep``, and a
    short regex timeout: for tests of when a keep pattern runs and what its timeout does."""
    added = f"keep_patterns:\n  - name: slow_keep\n    regex: '{keep_regex}'\n"
    rules = edited_rules(tmp_path, "keep.yaml", "keep_patterns:\n", added)
    return DetectStage.from_config({"mode": "fast", "regex_timeout": timeout}, rules_dir=rules)  # type: ignore[return-value]

"""The run configuration: one YAML file naming the stages, their options and where rules live.

Every key is checked: an unknown key or a bad value is a :class:`ConfigError` naming the file and
the key path, because a typo that silently falls back to a default is how PII leaks. With no file,
:data:`DEFAULT_PIPELINE` runs. Command-line flags (``--mode``, ``--operator``, ``--text-field``…)
override the file; the file's top-level ``mode``/``operator``/``audit`` apply to every stage that
has such an option and does not set its own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import yaml

from scrubber.errors import ConfigError
from scrubber.options import options_to_dict, parse_options
from scrubber.records import RESERVED_COLUMNS
from scrubber.rules_files import rules_digest
from scrubber.stages.base import CorpusStage, Stage, StageContext, default_rules_dir
from scrubber.stages.registry import stage_class
from scrubber.textpath import column, steps

#: What runs when no config is given: corpus-wide dedup first (exact documents, near-duplicates,
#: then repeated passages — what models memorize most; cheap, and it spares detection the work on
#: copies), then full detection and typed redaction, which needs no key.
DEFAULT_PIPELINE: tuple[str, ...] = ("dedup_exact", "dedup_near", "dedup_repeats", "detect", "transform")

#: Options a top-level key (or CLI flag) fills in on every stage that has them.
SHARED_STAGE_OPTIONS = ("mode", "operator", "audit")


@dataclass(frozen=True, slots=True)
class Settings:
    """Top-level keys of the config file (everything except ``pipeline``)."""

    text_field: str = "text"
    #: More text fields the streaming stages scrub (``instruction``, ``input``); dedup reads ``text_field``.
    also_scrub: tuple[str, ...] = ()
    batch_size: int = 500
    workers: int = 1
    rules: str | None = None
    mode: Literal["fast", "full"] | None = None
    operator: str | None = None
    audit: bool | None = None
    progress_seconds: float = 10.0

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {self.batch_size}")
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        if not self.text_field:
            raise ValueError("text_field must not be empty")
        steps(self.text_field)  # a path must read as one (ValueError says how)
        for name in self.also_scrub:
            if not name:
                raise ValueError("also_scrub: a field name must not be empty")
            # Two spellings of one path (messages[].content, messages[]["content"]) are one field:
            # scrubbed twice, its strings would be transformed again on their own replacements.
            fields = [steps(n) for n in (self.text_field, *self.also_scrub)]
            if fields.count(steps(name)) > 1:
                raise ValueError(f"also_scrub: {name!r} is named twice (text_field and also_scrub are "
                                 "scrubbed once each)")
            if column(name) in RESERVED_COLUMNS:
                raise ValueError(f"also_scrub: {name!r} is a column scrubber itself uses")


@dataclass(frozen=True, slots=True)
class StageSpec:
    """One pipeline entry: a registered stage name and its validated options."""

    name: str
    options: Any
    label: str  # unique name in the report: the stage name, suffixed '#2', '#3' when repeated


@dataclass(frozen=True, slots=True)
class RunConfig:
    """Everything a run needs besides the inputs, the output folder and the key."""

    settings: Settings
    pipeline: tuple[StageSpec, ...]
    rules_dir: Path
    source: str = "<defaults>"
    raw: dict[str, Any] = field(default_factory=dict)

    def build_stages(self, key: bytes | None = None, state_root: Path | None = None) -> list[Stage]:
        """Instantiate the pipeline. Corpus stages get ``state_root/<index>-<label>`` as state."""
        stages = []
        for index, spec in enumerate(self.pipeline):
            cls = stage_class(spec.name)
            state_dir = None
            if state_root is not None:
                state_dir = state_root / f"{index:02d}-{spec.label.replace('#', '_')}"
            context = StageContext(
                text_field=self.settings.text_field,
                rules_dir=self.rules_dir,
                key=key,
                state_dir=state_dir,
                workers=self.settings.workers,
            )
            stages.append(cls(spec.options, context))
        return stages

    def fingerprint(self, key_fingerprint: str | None = None) -> str:
        """Changes whenever the output could change: stages, options, rules files, text field, key.

        Batch size and worker count are left out on purpose: output does not depend on them.
        """
        payload: dict[str, Any] = {
            "text_field": self.settings.text_field,
            "pipeline": [[s.name, options_to_dict(s.options)] for s in self.pipeline],
            "rules": rules_digest(self.rules_dir),
            "key": key_fingerprint,
        }
        if self.settings.also_scrub:  # absent when empty: outputs of earlier versions still resume
            payload["also_scrub"] = list(self.settings.also_scrub)
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:32]


def load_config(
    path: str | Path | None = None, overrides: Mapping[str, Any] | None = None, *,
    overrides_source: str = "command line",
) -> RunConfig:
    """Read and validate a config file (or the defaults), then apply command-line overrides.

    ``overrides`` holds top-level keys from the command line (``None`` values are ignored); they win
    over the file, including over options a stage sets itself. ``overrides_source`` names them in
    errors (the library's ``load_pipeline`` passes its own name: its caller typed no command line).
    """
    source = "<defaults>"
    raw: dict[str, Any] = {}
    base_dir = Path.cwd()
    if path is not None:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config ({exc.strerror})") from None
        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise ConfigError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ConfigError(f"{path}: expected a mapping at the top level, got {type(loaded).__name__}")
        raw = loaded
        base_dir = Path(path).resolve().parent
    return config_from_mapping(raw, source, base_dir, overrides, overrides_source=overrides_source)


def config_from_mapping(
    raw: Mapping[str, Any], source: str, base_dir: Path, overrides: Mapping[str, Any] | None = None, *,
    overrides_source: str = "command line",
) -> RunConfig:
    """Validate a config already in memory, as :func:`load_config` does a file's. ``source`` names
    it in errors; a relative ``rules:`` path is taken from ``base_dir``."""
    raw = dict(raw)
    top = {k: v for k, v in raw.items() if k != "pipeline"}
    settings = parse_options(Settings, top, where=source, key_sep=": ")
    cli = {k: v for k, v in dict(overrides or {}).items() if v is not None}
    unknown = set(cli) - {f.name for f in fields(Settings)}
    if unknown:
        raise ConfigError(f"{overrides_source}: unknown setting(s) {sorted(unknown)}")
    if cli:
        merged = {f.name: getattr(settings, f.name) for f in fields(Settings)} | cli
        settings = parse_options(Settings, merged, where=overrides_source, key_sep=": ")

    if settings.rules is None:
        rules_dir = default_rules_dir()
    else:
        rules_dir = Path(settings.rules)
        if not rules_dir.is_absolute():
            rules_dir = (base_dir / rules_dir).resolve()
        if not rules_dir.is_dir():
            raise ConfigError(f"{source}: rules: folder {settings.rules!r} does not exist ({rules_dir})")

    entries = raw.get("pipeline", list(DEFAULT_PIPELINE))
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{source}: pipeline: expected a non-empty list of stages")
    pipeline = _parse_pipeline(entries, source, settings, cli)
    check_stage_order(pipeline, source)
    return RunConfig(settings, pipeline, rules_dir, source, raw)


def check_stage_order(pipeline: tuple[StageSpec, ...], source: str) -> None:
    """Refuse a stage that rewrites text (``dedup_repeats``) after ``detect``: spans are character
    offsets into the text detect saw, and the stages after it (detect again included) keep them, so
    after a cut ``transform`` would replace the wrong characters and pass the personal data on."""
    detect: str | None = None  # the first detect stage, once passed
    for spec in pipeline:
        if spec.name == "detect":
            detect = detect or spec.label
            continue
        cls = stage_class(spec.name)
        if detect is not None and issubclass(cls, CorpusStage) and cls.edits_text:
            raise ConfigError(
                f"{source}: pipeline: {spec.label} comes after {detect} and cuts text out, so the spans "
                f"{detect} found would point at other characters and transform would miss the personal "
                f"data; put {spec.label} before {detect} (the default pipeline runs dedup first)"
            )


def _parse_pipeline(
    entries: list[Any], source: str, settings: Settings, cli: Mapping[str, Any]
) -> tuple[StageSpec, ...]:
    seen: dict[str, int] = {}
    specs = []
    for i, entry in enumerate(entries):
        where = f"{source}: pipeline[{i}]"
        if isinstance(entry, dict) and "stage" in entry and len(entry) <= 2 and set(entry) <= {"stage", "options"}:
            # `- stage: NAME` / `options: {...}` is a layout other tools use; say what this one expects.
            raise ConfigError(f"{where}: write a stage as its name, or as {{NAME: {{options}}}} "
                              f"(e.g. `- dedup_near: {{threshold: 0.8}}`), not with 'stage:'/'options:' keys")
        if isinstance(entry, str):
            name, options = entry, {}
        elif isinstance(entry, dict) and len(entry) == 1:
            name, options = next(iter(entry.items()))
        else:
            raise ConfigError(f"{where}: expected a stage name or a one-key mapping {{name: {{options}}}}")
        try:  # the name first: a wrong name explains a wrong shape better than the options' type does
            cls = stage_class(name)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        options = {} if options is None else options
        if not isinstance(options, dict):
            raise ConfigError(f"{where}.{name}: expected a mapping of options, got {type(options).__name__}")
        option_names = {f.name for f in fields(cls.Options)} if cls.Options is not type(None) else set()
        options = dict(options)
        for shared in SHARED_STAGE_OPTIONS:
            if shared not in option_names:
                continue
            file_value = getattr(settings, shared)
            if shared in cli:
                options[shared] = cli[shared]
            elif file_value is not None and shared not in options:
                options[shared] = file_value
        parsed = parse_options(cls.Options, options, where=f"{where}.{name}")
        seen[name] = seen.get(name, 0) + 1
        label = name if seen[name] == 1 else f"{name}#{seen[name]}"
        specs.append(StageSpec(name, parsed, label))
    return tuple(specs)

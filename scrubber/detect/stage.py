"""The ``detect`` stage: attach PII and secret spans to every kept record.

Spans go in the reserved spans column (``batch.spans()``); the text is not changed. Two modes:
``fast`` runs the pattern engine only (triggers, Presidio pattern recognizers, validators,
context, keep-rules); ``full`` adds PERSON from spaCy NER on gated windows. All behaviour comes
from ``<rules_dir>/detect/*.yaml``; see docs/detection.md.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from scrubber import process
from scrubber.detect import validators
from scrubber.detect.dictionary import english_dictionary
from scrubber.detect.engine import PatternEngine
from scrubber.detect.logins import USERNAME, other_login_mentions
from scrubber.detect.ner import NerRecognizer, load_spacy
from scrubber.detect.resolve import resolve_overlaps
from scrubber.detect.rules import DetectRules, load_rules
from scrubber.errors import ConfigError
from scrubber.records import Batch, Span
from scrubber.stages.base import Stage

log = logging.getLogger("scrubber.detect")

#: Entities produced by NER rather than by patterns (only ``full`` mode detects them).
NER_ENTITIES = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION", "DATE_TIME"})


@dataclass(frozen=True, slots=True)
class DetectOptions:
    """Options of the detect stage (the config keys under ``detect:``).

    ``entities``: the entity types to report; ``None`` means the ``default_entities`` list of
    ``rules/detect/recognizers.yaml``. ``score_threshold``: detections scoring below it are
    dropped (context words add 0.35). ``regex_timeout``: seconds a pattern may spend on one
    window before it is counted as a timeout (patterns of the shipped rules are tested linear-time
    and run without one, see ``rules.shipped_patterns``). ``on_error``: what happens to a document on which a
    recognizer failed or timed out: ``drop`` (default: it may hold undetected PII) or ``keep``
    (spans found by the other recognizers are still attached). Either way the failure is counted.
    """

    mode: Literal["fast", "full"] = "full"
    entities: tuple[str, ...] | None = None
    score_threshold: float = 0.5
    regex_timeout: float = 1.0
    on_error: Literal["drop", "keep"] = "drop"
    ner_batch_size: int = 64

    def __post_init__(self) -> None:
        if not 0.0 <= self.score_threshold <= 1.0:
            raise ValueError(f"score_threshold must be between 0 and 1, got {self.score_threshold}")
        if self.regex_timeout <= 0:
            raise ValueError(f"regex_timeout must be positive, got {self.regex_timeout}")
        if self.ner_batch_size < 1:
            raise ValueError(f"ner_batch_size must be at least 1, got {self.ner_batch_size}")


#: Compiled pattern engines of this process, by rules object and options (see :func:`shared_engine`).
_ENGINES: dict[tuple[int, frozenset[str], float, float], tuple[DetectRules, PatternEngine]] = {}
#: Engines kept at once: one per distinct detect configuration a process runs (a few at most).
_MAX_ENGINES = 4


def shared_engine(rules: DetectRules, entities: frozenset[str], score_threshold: float,
                  timeout: float) -> PatternEngine:
    """The process's :class:`PatternEngine` for these rules and options, built on first use.

    Why: compiling the recognizers, triggers, context words and keep patterns takes ~40 ms, and every
    run of the runner builds fresh stage objects (each pass, each ``scrubber.api`` pipeline), so a
    process running many small inputs, or one pipeline after another, paid it each time. The engine
    holds no per-run state (its dictionaries memoise answers that depend only on the rules and the
    text), and :func:`load_rules` returns the same rules object for the same files, so stage objects
    of one configuration can share it. The rules object is kept with its engine, so its ``id`` is not
    reused while the entry lives."""
    key = (id(rules), entities, score_threshold, timeout)
    entry = _ENGINES.get(key)
    if entry is None:
        if len(_ENGINES) >= _MAX_ENGINES:
            del _ENGINES[next(iter(_ENGINES))]
        entry = _ENGINES[key] = (rules, PatternEngine(rules, entities, score_threshold, timeout))
    return entry[1]


class DetectStage(Stage):
    """Finds personal data and secrets; adds spans (start, end, entity, score, recognizer)."""

    name = "detect"
    Options = DetectOptions
    transient = ("_rules", "_engine", "_ner")

    def setup(self) -> None:
        """Load rules, compile every regex and (full mode) load spaCy — once per process."""
        opts: DetectOptions = self.options
        rules = load_rules(self.context.rules_dir / "detect")
        entities = frozenset(opts.entities if opts.entities is not None else rules.default_entities)
        known = {r.entity for r in rules.recognizers} | set(rules.ner.labels.values())
        unknown = sorted(entities - known)
        if unknown:
            raise ConfigError(
                f"stage 'detect': unknown entity {unknown[0]!r}; rules/detect defines: {', '.join(sorted(known))}"
            )
        self._rules = rules
        self._engine = shared_engine(rules, entities, opts.score_threshold, opts.regex_timeout)
        validators.warm_up()
        ner_entities = entities & NER_ENTITIES
        self._ner = None
        if opts.mode == "full" and ner_entities:
            self._ner = NerRecognizer(load_spacy(rules.ner), rules.ner, ner_entities, opts.ner_batch_size)
        # Everything loaded so far (rules, patterns, phonenumbers metadata, spaCy, the libraries'
        # module state) lives as long as the process: out of the collector's reach from now on, in
        # scrubber's own processes only (see scrubber.process).
        process.freeze_loaded()

    def process(self, batch: Batch) -> Batch:
        texts = batch.texts
        drops = batch.drops()
        previous = batch.spans()
        counters = self.counters
        work: list[str | None] = []
        for row, text in enumerate(texts):
            if drops[row] is not None:
                counters["docs_skipped_dropped"] += 1
                work.append(None)
            elif not isinstance(text, str):
                counters["docs_not_text"] += 1
                work.append(None)
            else:
                work.append(text)
        ner_found = self._ner.find(work, counters) if self._ner is not None else None
        pattern_found = self._engine.find_batch(work, counters)
        spans: list[list[Span]] = []
        # Counted per batch, not per document or span: a counter update per row showed in profiles.
        docs = chars = with_spans = 0
        entities: Counter[str] = Counter()
        for row, text in enumerate(work):
            if text is None:
                spans.append(previous[row])
                continue
            docs += 1
            chars += len(text)
            found, failed = pattern_found[row]
            if ner_found is not None and ner_found[row]:
                found = [*found, *ner_found[row]]
            if not found and not failed:  # most documents have nothing
                spans.append([])
                continue
            if any(c.entity == USERNAME for c in found):
                more = other_login_mentions(text, found, english_dictionary(self._rules.ner.model))
                if more:
                    counters["username_coref_spans"] += len(more)
                    found = [*found, *more]
            row_spans = [Span(c.start, c.end, c.entity, round(c.score, 4), c.recognizer)
                         for c in (resolve_overlaps(found) if found else ())]
            entities.update(span.entity_type for span in row_spans)
            if row_spans:
                with_spans += 1
            if failed:
                counters["docs_with_recognizer_failure"] += 1
                if self.options.on_error == "drop":
                    batch.mark_dropped(row, "detect_recognizer_failure")
                    counters["docs_dropped_recognizer_failure"] += 1
            spans.append(row_spans)
        if docs:
            counters["docs"] += docs
            counters["chars"] += chars
        if with_spans:
            counters["docs_with_spans"] += with_spans
        for entity, count in entities.items():
            counters[f"spans_{entity}"] += count
        batch.set_spans(spans)
        return batch

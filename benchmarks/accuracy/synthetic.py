"""The generated-sentence set: presidio-evaluator's ``PresidioSentenceFaker`` with a fixed seed.

Its default providers include ``HospitalProvider``, which downloads hospital names from Wikidata; it
is left out (no shipped template uses ``{{hospital}}``), and the caller forbids the network anyway.

Label mapping (evaluator label -> what we score):

* scored as themselves: PERSON, EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, US_SSN,
  IP_ADDRESS, STREET_ADDRESS (the evaluator labels street name, building number, secondary address and
  post code as STREET_ADDRESS, often as separate adjacent spans; its addresses are from many countries,
  not only the US style scrubber targets); US_DRIVER_LICENSE is scored as DRIVER_LICENSE,
  scrubber's type for a licence number after its label (the evaluator's template: "My driver's
  license number is ...");
* NOT_TARGETED — labelled by the evaluator, found by Presidio, deliberately kept by scrubber:
  DATE_TIME (dates are on the keep list), GPE (Presidio LOCATION), NRP, DOMAIN_NAME (Presidio URL).
  Reported with gold counts, Presidio's recall and how often scrubber touches them;
* ignored (neither tool targets them by default): ORGANIZATION, AGE, TITLE, ZIP_CODE.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from benchmarks.accuracy.scoring import Labelled

SCORED = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "PERSON",
          "STREET_ADDRESS", "DRIVER_LICENSE")
#: Evaluator labels scored under scrubber's name for the same thing.
RENAMED = {"US_DRIVER_LICENSE": "DRIVER_LICENSE"}
#: Evaluator label -> the Presidio entity type that targets it (scrubber deliberately does not).
NOT_TARGETED = {
    "DATE_TIME": "DATE_TIME",
    "GPE": "LOCATION",
    "NRP": "NRP",
    "DOMAIN_NAME": "URL",
}
IGNORED = ("ORGANIZATION", "AGE", "TITLE", "ZIP_CODE")
DEFAULT_SEED = 42
DEFAULT_SENTENCES = 3000


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    gold: tuple[Labelled, ...]  # scored types only
    other: tuple[Labelled, ...]  # NOT_TARGETED and IGNORED labels, for the side table


#: Faker draws dates "between 1970 and now"; pinning "now" makes the sentences the same on every day.
PINNED_NOW = 1_735_689_600  # 2025-01-01T00:00:00Z


@contextlib.contextmanager
def _faker_now_pinned() -> Iterator[None]:
    from faker.providers.date_time import Provider

    original = Provider.__dict__["_parse_end_datetime"]

    def pinned(cls, value):  # same contract: None means "now"
        return PINNED_NOW if value is None else original.__func__(cls, value)

    Provider._parse_end_datetime = classmethod(pinned)
    try:
        yield
    finally:
        Provider._parse_end_datetime = original


def generate(seed: int = DEFAULT_SEED, n: int = DEFAULT_SENTENCES) -> list[Sentence]:
    """``n`` sentences from every shipped template, all providers but the hospital one, fixed seed."""
    from presidio_evaluator.data_generator.faker_extensions import HospitalProvider
    from presidio_evaluator.data_generator.presidio_sentence_faker import (
        PresidioSentenceFaker,
        presidio_additional_entity_providers,
    )

    providers = [p for p in presidio_additional_entity_providers if p is not HospitalProvider]
    with contextlib.redirect_stdout(io.StringIO()), _faker_now_pinned():  # it prints its defaults: hide them
        # Seed before construction too: building the default person records draws middle initials from
        # the global `random` before the constructor applies `random_seed`.
        PresidioSentenceFaker.seed(seed)
        faker = PresidioSentenceFaker("en_US", lower_case_ratio=0.05, entity_providers=providers, random_seed=seed)
        samples = faker.generate_new_fake_sentences(n)
    out = []
    for sample in samples:
        text, spans = unescape_newlines(
            sample.full_text,
            [(s.start_position, s.end_position, RENAMED.get(s.entity_type, s.entity_type)) for s in sample.spans],
        )
        out.append(
            Sentence(
                text,
                tuple(s for s in spans if s[2] in SCORED),
                tuple(s for s in spans if s[2] not in SCORED),
            )
        )
    return out


def unescape_newlines(text: str, spans: list[Labelled]) -> tuple[str, list[Labelled]]:
    """Turn the two characters ``\\n`` that the shipped multi-line templates contain into real newlines.

    Left as is, a postal block reads "Leigha Mackay\\n\\nLa Sagne" on one line, which no real document
    does and which hurts NER for every system alike. Span offsets are moved with the text.
    """
    if "\\n" not in text:
        return text, spans
    new_index = []  # new_index[i] = offset in the new text of old offset i
    parts, i, pos = [], 0, 0
    while i < len(text):
        new_index.append(pos)
        if text.startswith("\\n", i):
            parts.append("\n")
            new_index.append(pos + 1)  # an offset inside the escape maps past the newline
            i, pos = i + 2, pos + 1
        else:
            parts.append(text[i])
            i, pos = i + 1, pos + 1
    new_index.append(pos)
    return "".join(parts), [(new_index[s], new_index[e], t) for s, e, t in spans]


def label_counts(sentences: list[Sentence]) -> Counter[str]:
    return Counter(s[2] for x in sentences for s in (*x.gold, *x.other))

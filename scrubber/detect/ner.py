"""PERSON (and other NER labels) with spaCy, sent only the parts of the text that can hold a name.

Cost is what matters: spaCy's small English pipeline runs at ~0.07 MB/s per core with NER alone,
so the stage must not give it every character. The *gate* keeps windows around capitalised words
that can start a name — not stop words, not a lone sentence-initial word unless it is a known first
name — and only those windows go through ``nlp.pipe`` with just ``tok2vec`` and ``ner`` loaded.
What the gate costs in recall is measured and written in docs/detection.md.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from pathlib import Path

import regex

from scrubber.detect.recognizers import Candidate
from scrubber.detect.rules import NerRules
from scrubber.errors import ConfigError

NER_RECOGNIZER = "spacy_ner_v1"
NER_PRIORITY = 1
#: Longer capitalised "words" are identifiers, base64 or junk, not names; never worth NER.
MAX_NAME_CHARS = 40

#: A capitalised word (any script's upper-case letter), not glued to a preceding word character.
_CAPITALISED = regex.compile(r"(?<![\w'’])\p{Lu}[\p{L}\p{M}'’\-]*")
#: Characters after which the next word starts a sentence.
_SENTENCE_END = frozenset(".!?\n:;•*#>|")


def load_spacy(rules: NerRules):
    """Load the configured spaCy package with only ``rules.components`` (never downloads)."""
    try:
        module = importlib.import_module(rules.model)
    except ImportError:
        raise ConfigError(
            f"detect: full mode needs the spaCy model package {rules.model!r} (rules/detect/ner.yaml); "
            "install it with pip, or run with --mode fast (no NER)"
        ) from None
    pipeline: list[str] = []
    meta_path = Path(module.__file__).parent / "meta.json"
    if meta_path.exists():
        pipeline = list(json.loads(meta_path.read_text(encoding="utf-8")).get("pipeline", []))
    missing = [c for c in rules.components if pipeline and c not in pipeline]
    if missing:
        raise ConfigError(f"detect: spaCy model {rules.model!r} has no component {missing[0]!r} "
                          f"(it has: {', '.join(pipeline)}); fix 'components' in rules/detect/ner.yaml")
    exclude = [p for p in pipeline if p not in rules.components]
    return module.load(exclude=exclude)


class NerGate:
    """Chooses the windows of a document that go to NER."""

    def __init__(self, rules: NerRules) -> None:
        self.rules = rules

    def windows(self, text: str) -> list[tuple[int, int]]:
        """Merged, whitespace-snapped ``(start, end)`` windows around name-like capitalised words."""
        rules = self.rules
        ctx = rules.context_chars
        n = len(text)
        spans: list[tuple[int, int]] = []
        for m in _CAPITALISED.finditer(text):
            word = m.group()
            if word in rules.stop_words or not 2 <= len(word) <= MAX_NAME_CHARS:
                continue
            if len(word) <= 3 and word.isupper():  # acronyms: ID, USA, API
                continue
            if _sentence_initial(text, m.start()) and word not in rules.first_names:
                # A name at a sentence start is usually followed by a capitalised surname, which
                # opens its own window that covers this word too.
                continue
            s, e = max(0, m.start() - ctx), min(n, m.end() + ctx)
            if spans and s <= spans[-1][1]:
                spans[-1] = (spans[-1][0], e)
            else:
                spans.append((s, e))
        out = []
        for s, e in spans:
            s, e = _snap(text, s, e)
            if out and s <= out[-1][1]:
                out[-1] = (out[-1][0], max(e, out[-1][1]))
            else:
                out.append((s, e))
        return [piece for w in out for piece in _split(text, w, rules.max_chars)]


def _sentence_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and i > pos - 4 and text[i] in " \t\"'“‘([":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _snap(text: str, s: int, e: int) -> tuple[int, int]:
    """Move window edges outwards to whitespace (at most 40 characters) so no word is cut."""
    n = len(text)
    lo = max(0, s - 40)
    while s > lo and not text[s - 1].isspace():
        s -= 1
    hi = min(n, e + 40)
    while e < hi and not text[e].isspace():
        e += 1
    return s, e


def _split(text: str, window: tuple[int, int], max_chars: int) -> list[tuple[int, int]]:
    """Split a long window at whitespace into pieces of at most ``max_chars`` (spaCy's limit is 1e6)."""
    s, e = window
    out = []
    while e - s > max_chars:
        cut = text.rfind(" ", s + max_chars // 2, s + max_chars)
        if cut <= s:
            cut = s + max_chars
        out.append((s, cut))
        s = cut
    out.append((s, e))
    return out


class NerRecognizer:
    """Runs spaCy over gated windows of many documents at once (``nlp.pipe``)."""

    def __init__(self, nlp, rules: NerRules, entities: frozenset[str], batch_size: int = 64) -> None:
        self.nlp = nlp
        self.rules = rules
        self.gate = NerGate(rules)
        self.labels = {label: ent for label, ent in rules.labels.items() if ent in entities}
        self.batch_size = batch_size

    def find(self, texts: Sequence[str | None], counters) -> list[list[Candidate]]:
        """Candidates per text (``None`` texts are skipped: dropped rows)."""
        jobs: list[tuple[int, int, int]] = []  # (row, start, end)
        for row, text in enumerate(texts):
            if not text:
                continue
            wins = self.gate.windows(text)
            if wins:
                counters["ner_docs"] += 1
                counters["ner_windows"] += len(wins)
                counters["ner_chars"] += sum(e - s for s, e in wins)
                jobs.extend((row, s, e) for s, e in wins)
        out: list[list[Candidate]] = [[] for _ in texts]
        if not jobs:
            return out
        pieces = (texts[row][s:e] for row, s, e in jobs)  # type: ignore[index]
        for (row, offset, _), doc in zip(jobs, self.nlp.pipe(pieces, batch_size=self.batch_size), strict=True):
            for ent in doc.ents:
                entity = self.labels.get(ent.label_)
                if entity is None:
                    continue
                if entity == "PERSON" and not _plausible_person(ent.text):
                    counters["ner_rejected_person"] += 1
                    continue
                out[row].append(Candidate(offset + ent.start_char, offset + ent.end_char, entity,
                                          self.rules.score, NER_RECOGNIZER, NER_PRIORITY))
        return out


def _plausible_person(text: str) -> bool:
    """spaCy's small model labels log lines and numbers PERSON; a name has a capital and no digits."""
    return any(ch.isupper() for ch in text) and not any(ch.isdigit() or ch in "@/\\=_{}<>[]" for ch in text)

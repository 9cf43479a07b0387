"""Operator cost (MB/s of text) next to detection cost, with Presidio's anonymizer as the baseline.

Builds a seeded synthetic corpus in memory: documents of 0.5-2 KB of filler with PII values of every
main type planted at known offsets (mostly unique values, so the pseudonym cache does not flatter
the numbers), and their spans built by hand. Then, on one core, it times:

* ``TransformStage`` with each operator (span resolution + replacement + audit off), MB/s of input text;
* the baseline measured in the same run: ``presidio_anonymizer.AnonymizerEngine`` with its ``replace``
  operator on the same texts and spans (what a Presidio script does after analysis);
* detection, ``DetectStage.from_config({"mode": "fast"})``, when ``scrubber.detect.stage`` exists
  (reported as missing otherwise).

    .venv/bin/python benchmarks/bench_transform.py             # ~4 MB corpus
    .venv/bin/python benchmarks/bench_transform.py --mb 1 --repeat 1
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from scrubber.records import SPANS_COLUMN, Batch, Span
from scrubber.transform.names import first_names, last_names
from scrubber.transform.stage import TransformStage

KEY = b"benchmark-key-0123456789abcdef"
FILLER = [
    "the", "team", "shipped", "release", "after", "review", "and", "tests", "passed", "on", "every", "platform",
    "we", "support", "so", "users", "can", "upgrade", "today", "with", "usual", "notes", "about", "performance",
]


def _value(rng: random.Random, entity_type: str) -> str:
    first, last = rng.choice(first_names()), rng.choice(last_names())
    if entity_type == "PERSON":
        return f"{first} {last}"
    if entity_type == "EMAIL_ADDRESS":
        return f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@mail{rng.randint(1, 999)}.com"
    if entity_type == "PHONE_NUMBER":
        return f"+1 ({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
    if entity_type == "CREDIT_CARD":
        return " ".join(f"{rng.randint(0, 9999):04d}" for _ in range(4))
    if entity_type == "IBAN_CODE":
        return "DE" + "".join(str(rng.randint(0, 9)) for _ in range(20))
    if entity_type == "US_SSN":
        return f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
    if entity_type == "IP_ADDRESS":
        return ".".join(str(rng.randint(1, 254)) for _ in range(4))
    return "ghp_" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEF0123456789") for _ in range(36))


TYPES = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS",
         "GITHUB_TOKEN")


def make_corpus(megabytes: float, seed: int = 0) -> tuple[list[str], list[list[Span]]]:
    """Documents with ~1 PII value per 120 characters of filler, and their exact spans."""
    rng = random.Random(seed)
    texts, spans = [], []
    total = 0
    while total < megabytes * 1_000_000:
        pieces, doc_spans, pos = [], [], 0
        for _ in range(rng.randint(4, 16)):
            filler = " ".join(rng.choice(FILLER) for _ in range(rng.randint(10, 30))) + " "
            entity_type = rng.choice(TYPES)
            value = _value(rng, entity_type)
            pieces += [filler, value, ". "]
            start = pos + len(filler)
            doc_spans.append(Span(start, start + len(value), entity_type, 0.9, "bench"))
            pos = start + len(value) + 2
        text = "".join(pieces)
        texts.append(text)
        spans.append(doc_spans)
        total += len(text.encode("utf-8"))
    return texts, spans


def megabytes(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def time_operator(operator: str, texts: list[str], spans: list[list[Span]], repeat: int, audit: bool) -> float:
    # Span dicts as detection leaves them in the batch, built outside the timed region.
    raw = [[s.to_dict() for s in row] for row in spans]

    def once() -> None:
        # A fresh stage per repetition: the pseudonym cache starts empty, as in a new worker.
        stage = TransformStage.from_config({"operator": operator, "audit": audit}, key=KEY)
        stage.ensure_setup()
        for i in range(0, len(texts), 500):
            stage.process(Batch({"text": texts[i:i + 500], SPANS_COLUMN: raw[i:i + 500]}))

    return best_of(repeat, once)


def time_presidio(texts: list[str], spans: list[list[Span]], repeat: int) -> float:
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

    engine = AnonymizerEngine()
    operators = {"DEFAULT": OperatorConfig("replace")}
    results = [[RecognizerResult(s.entity_type, s.start, s.end, s.score) for s in row] for row in spans]

    def once() -> None:
        for text, row in zip(texts, results, strict=True):
            engine.anonymize(text=text, analyzer_results=row, operators=operators)

    return best_of(repeat, once)


def time_detect(texts: list[str], repeat: int) -> float | None:
    try:
        from scrubber.detect.stage import DetectStage
    except ImportError:
        return None
    stage = DetectStage.from_config({"mode": "fast"})
    stage.ensure_setup()

    def once() -> None:
        for i in range(0, len(texts), 500):
            stage.process(Batch({"text": texts[i:i + 500]}))

    return best_of(repeat, once)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="corpus size in MB (default 4)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; the best is reported")
    args = parser.parse_args()

    texts, spans = make_corpus(args.mb)
    size = megabytes(texts)
    n_spans = sum(len(row) for row in spans)
    print(f"corpus: {len(texts)} documents, {size:.2f} MB, {n_spans} spans "
          f"({n_spans / size / 1000:.1f} per KB), best of {args.repeat}, 1 core\n")

    baseline = time_presidio(texts, spans, args.repeat)
    rows = [("presidio AnonymizerEngine replace (baseline)", baseline)]
    for operator in ("redact", "mask", "hash", "pseudonymize"):
        rows.append((f"transform {operator}", time_operator(operator, texts, spans, args.repeat, False)))
    rows.append(("transform pseudonymize + audit", time_operator("pseudonymize", texts, spans, args.repeat,
                                                                 True)))
    detect = time_detect(texts, args.repeat)

    print(f"{'what':<46} {'seconds':>8} {'MB/s':>8} {'x baseline':>11} {'% of detect':>12}")
    for name, seconds in rows + ([("detect (fast mode)", detect)] if detect is not None else []):
        share = f"{100 * seconds / detect:11.1f}%" if detect else f"{'n/a':>12}"
        print(f"{name:<46} {seconds:8.3f} {size / seconds:8.1f} {baseline / seconds:10.1f}x {share}")
    if detect is None:
        print("\ndetect: scrubber.detect.stage.DetectStage is not available yet; operators measured alone.")


if __name__ == "__main__":
    main()

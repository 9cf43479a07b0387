"""What the NER gate of the detect stage costs in PERSON recall, and what it saves in NER work.

Runs the same spaCy pipeline (tok2vec + ner, as the stage loads it) two ways over presidio-evaluator
sentences (seeded, offline) and the benchmark's canary documents:

* ungated: every document goes to ``nlp.pipe`` whole (the baseline);
* gated: only the windows :class:`scrubber.detect.ner.NerGate` selects.

A gold PERSON counts as found when a predicted PERSON overlaps it. Prints one Markdown table; the
numbers are quoted in docs/detection.md.

Run: ``.venv/bin/python -m benchmarks.bench_detect_gate [--sentences 2000] [--canary-docs 300]``
"""

from __future__ import annotations

import argparse
import time

from benchmarks.accuracy import canary, synthetic
from benchmarks.accuracy.offline import forbid_network, offline_tldextract
from scrubber.detect.names import NameListRecognizer, _plausible_person, capitalised_tokens
from scrubber.detect.ner import NerGate, load_spacy
from scrubber.detect.rules import load_rules
from scrubber.stages.base import default_rules_dir


def persons(nlp, texts: list[str], windows: list[list[tuple[int, int]]] | None) -> list[list[tuple[int, int]]]:
    """Predicted PERSON spans per text, from whole texts or from the given windows."""
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    jobs = [(i, 0, len(t)) for i, t in enumerate(texts)] if windows is None else [
        (i, s, e) for i, ws in enumerate(windows) for s, e in ws
    ]
    docs = nlp.pipe((texts[i][s:e] for i, s, e in jobs), batch_size=64)
    for (i, s, _), doc in zip(jobs, docs, strict=True):
        out[i].extend((s + e.start_char, s + e.end_char) for e in doc.ents
                      if e.label_ == "PERSON" and _plausible_person(e.text))
    return out


def recall(gold: list[list[tuple[int, int]]], pred: list[list[tuple[int, int]]]) -> tuple[int, int]:
    hit = total = 0
    for g_row, p_row in zip(gold, pred, strict=True):
        for gs, ge in g_row:
            total += 1
            hit += any(ps < ge and gs < pe for ps, pe in p_row)
    return hit, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--canary-docs", type=int, default=300)
    args = ap.parse_args()
    forbid_network()
    offline_tldextract()
    rules = load_rules(default_rules_dir() / "detect")
    nlp = load_spacy(rules.ner)
    gate = NerGate(rules.ner)
    names = NameListRecognizer(rules.ner)

    sets = {}
    sents = synthetic.generate(n=args.sentences)
    sets["presidio-evaluator sentences"] = (
        [s.text for s in sents],
        [[(start, end) for start, end, label in s.gold if label == "PERSON"] for s in sents],
    )
    docs = canary.generate(n_docs=args.canary_docs)
    sets["canary documents"] = (
        [d.text for d in docs],
        [[(p.start, p.end) for p in d.gold if p.entity_type == "PERSON"] for d in docs],
    )

    print("| set | PERSON gold | recall ungated | recall gated | recall lost | gated + name list | chars to NER "
          "| NER seconds ungated | gated |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, (texts, gold) in sets.items():
        t0 = time.perf_counter()
        full = persons(nlp, texts, None)
        t1 = time.perf_counter()
        wins = [gate.windows(t) for t in texts]
        gated = persons(nlp, texts, wins)
        t2 = time.perf_counter()
        h_full, total = recall(gold, full)
        h_gated, _ = recall(gold, gated)
        listed = [g + [(c.start, c.end) for c in names.find(t, capitalised_tokens(t))]
                  for g, t in zip(gated, texts, strict=True)]
        h_listed, _ = recall(gold, listed)
        chars = sum(len(t) for t in texts)
        sent = sum(e - s for ws in wins for s, e in ws)
        print(f"| {name} | {total} | {h_full / total:.3f} | {h_gated / total:.3f} | "
              f"{(h_full - h_gated) / total:.3f} | {h_listed / total:.3f} | {sent / chars:.0%} | {t1 - t0:.1f} | "
              f"{t2 - t1:.1f} |")


if __name__ == "__main__":
    main()

"""``python -m benchmarks.accuracy``: score scrubber (fast, full) and plain Presidio; print Markdown tables.

The run is offline by construction: sockets raise, tldextract uses its bundled snapshot. Every number
for every system comes from the same process on the same data, so ratios hold even when the shared
machine is noisy.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import warnings

from benchmarks.accuracy import canary, synthetic
from benchmarks.accuracy.evaluate import evaluate_canary, evaluate_synthetic
from benchmarks.accuracy.offline import forbid_network, offline_tldextract
from benchmarks.accuracy.scoring import RateCounter
from benchmarks.accuracy.systems import build_systems
from benchmarks.accuracy.values import KEEP_KINDS, PII_TYPES

TARGETS = "targets: structured and secret types recall >= 0.99 and precision >= 0.98; PERSON recall >= 0.95; " \
          "look-alike damage <= 1%"


def fmt(x: float | None, digits: int = 3) -> str:
    """``-`` = undefined (nothing predicted or nothing to find); ``n/t`` (not targeted) is set by callers."""
    return "-" if x is None else f"{x:.{digits}f}"


def pct(x: float | None) -> str:
    return "n/t" if x is None else f"{100 * x:.2f}%"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def prf_table(names: list[str], results: list, types: list[str], targets: list[frozenset]) -> str:
    header = ["type", "gold"] + [f"{n} {m}" for n in names for m in ("P", "R", "F1")]
    rows = []
    for t in types:
        gold = max((r.scores[t].gold for r in results if t in r.scores), default=0)
        row = [t, str(gold)]
        for r, tg in zip(results, targets, strict=True):
            s = r.scores.get(t)
            if (t not in tg and t != "ALL") or s is None:
                row += ["n/t"] * 3 if t not in tg and t != "ALL" else ["-"] * 3
            else:
                row += [fmt(s.precision), fmt(s.recall), fmt(s.f1)]
        rows.append(row)
    return table(header, rows)


def char_table(names: list[str], results: list, types: list[str], targets: list[frozenset]) -> str:
    header = ["type"] + [f"{n} {m}" for n in names for m in ("charP", "charR")]
    rows = []
    for t in types:
        row = [t]
        for r, tg in zip(results, targets, strict=True):
            s = r.scores.get(t)
            row += ["n/t", "n/t"] if t not in tg or s is None else [fmt(s.char_precision), fmt(s.char_recall)]
        rows.append(row)
    return table(header, rows)


def rate_table(names: list[str], counters: list[RateCounter], keys: list[str], label: str) -> str:
    header = [label, "n", *names]
    rows = []
    for k in keys:
        n = max(c.checked[k] for c in counters)
        rows.append([k, str(n), *(pct(c.rate(k)) for c in counters)])
    rows.append(["ALL", str(max(sum(c.checked.values()) for c in counters))] + [pct(c.total_rate()) for c in counters])
    return table(header, rows)


def kind_recall_table(names: list[str], counters: list[RateCounter], keys: list[str]) -> str:
    header = ["planted kind", "n"] + [f"{n} recall" for n in names]
    rows = []
    for k in keys:
        n = max(c.checked[k] for c in counters)
        rows.append([k, str(n)] + [fmt(1 - c.rate(k)) if c.checked[k] else "n/t" for c in counters])
    return table(header, rows)


def print_misses(name: str, misses, out) -> None:
    for title, tab in (("missed", misses.missed), ("false positives", misses.false_pos)):
        if not tab:
            continue
        print(f"\n<details><summary>{name}: {title} (examples; all values are generated)</summary>\n", file=out)
        for key in sorted(tab):
            print(f"- **{key}**", file=out)
            for ex in tab[key]:
                print(f"  - `{ex}`", file=out)
        print("\n</details>", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__)
    ap.add_argument("--sentences", type=int, default=synthetic.DEFAULT_SENTENCES)
    ap.add_argument("--sentence-seed", type=int, default=synthetic.DEFAULT_SEED)
    ap.add_argument("--canary-docs", type=int, default=400)
    ap.add_argument("--canary-seed", type=int, default=20261127)
    ap.add_argument("--modes", default="fast,full", help="scrubber detect modes, comma-separated")
    ap.add_argument("--no-presidio", action="store_true", help="skip the plain Presidio baseline")
    ap.add_argument("--sets", default="synthetic,canary")
    ap.add_argument("--examples", action="store_true", help="print examples of misses and false positives")
    args = ap.parse_args(argv)

    forbid_network()
    offline_tldextract()
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    out = sys.stdout

    systems = build_systems([m for m in args.modes.split(",") if m], not args.no_presidio)
    names = [s.name for s in systems]
    targets = [s.targets for s in systems]
    sets = args.sets.split(",")
    print(f"# Detection accuracy\n\n{TARGETS}\n", file=out)

    if "synthetic" in sets:
        t0 = time.perf_counter()
        sentences = synthetic.generate(args.sentence_seed, args.sentences)
        print(f"## A. presidio-evaluator sentences (n={len(sentences)}, seed={args.sentence_seed}, "
              f"generated in {time.perf_counter() - t0:.1f}s)\n", file=out)
        results = [evaluate_synthetic(s, sentences) for s in systems]
        types = [*synthetic.SCORED, "ALL"]
        print(prf_table(names, results, types, targets), file=out)
        print("\nCharacter level (boundary quality):\n", file=out)
        print(char_table(names, results, types[:-1], targets), file=out)
        print("\nNot targeted by scrubber (kept on purpose). found = Presidio's own type overlaps; "
              "touched = any span of the system overlaps (collateral redaction):\n", file=out)
        rows = []
        for label, ptype in synthetic.NOT_TARGETED.items():
            n = max((r.not_targeted_recall.get(label, (0, 0, 0))[0] for r in results), default=0)
            row = [f"{label} (Presidio {ptype})", str(n)]
            for r in results:
                g, found, touch = r.not_targeted_recall.get(label, (0, 0, 0))
                row.append(f"found {fmt(found / g if g else None)}, touched {fmt(touch / g if g else None)}")
            rows.append(row)
        print(table(["label", "gold", *names], rows), file=out)
        print("\nSeconds (detect / redact): " + "; ".join(
            f"{n} {r.seconds.get('detect', 0):.1f} / {r.seconds.get('redact', 0):.1f}"
            for n, r in zip(names, results, strict=True)), file=out)
        if args.examples:
            for n, r in zip(names, results, strict=True):
                print_misses(f"A/{n}", r.misses, out)

    if "canary" in sets:
        docs = canary.generate(args.canary_seed, args.canary_docs)
        size = sum(len(d.text.encode()) for d in docs)
        print(f"\n## B. Canary documents (n={len(docs)}, {size / 1e3:.0f} kB, seed={args.canary_seed})\n", file=out)
        cres = [evaluate_canary(s, docs) for s in systems]
        types = [*PII_TYPES, "ALL"]
        print(prf_table(names, cres, types, targets), file=out)
        print("\nCharacter level:\n", file=out)
        print(char_table(names, cres, list(PII_TYPES), targets), file=out)
        kinds = sorted({p.kind for d in docs for p in d.gold}, key=lambda k: (k.split("_")[0], k))
        print("\nRecall per planted kind (span rule, same type):\n", file=out)
        print(kind_recall_table(names, [r.kind_recall for r in cres], kinds), file=out)
        print("\nLeak rate per type (a probe of the planted value still verbatim in the scrubbed text; "
              "every system's spans of any type are redacted):\n", file=out)
        print(rate_table(names, [r.leaks for r in cres], list(PII_TYPES), "type"), file=out)
        print("\nLeak rate per planted kind:\n", file=out)
        print(rate_table(names, [r.leaks_by_kind for r in cres], kinds, "kind"), file=out)
        print("\nPartly exposed (some character of the planted value not covered by any span):\n", file=out)
        print(rate_table(names, [r.partial for r in cres], list(PII_TYPES), "type"), file=out)
        print("\nDamage rate per look-alike kind (fewer verbatim copies after scrubbing):\n", file=out)
        print(rate_table(names, [r.damage for r in cres], list(KEEP_KINDS), "look-alike"), file=out)
        print("\nLook-alikes touched by any span:\n", file=out)
        print(rate_table(names, [r.damage_span for r in cres], list(KEEP_KINDS), "look-alike"), file=out)
        print(f"\nSkipped as ambiguous (probe also occurs elsewhere in the document): "
              f"{cres[0].skipped_ambiguous} planted items.", file=out)
        print("\nPredicted entity types: " + "; ".join(
            f"{n}: {dict(sorted(r.predicted_types.items()))}" for n, r in zip(names, cres, strict=True)), file=out)
        print("\nSeconds (detect / redact): " + "; ".join(
            f"{n} {r.seconds.get('detect', 0):.1f} / {r.seconds.get('redact', 0):.1f}"
            for n, r in zip(names, cres, strict=True)), file=out)
        if args.examples:
            for n, r in zip(names, cres, strict=True):
                print_misses(f"B/{n}", r.misses, out)
                for title, ctr in (("leaked", r.leaks_by_kind), ("damaged", r.damage)):
                    if ctr.examples:
                        print(f"\n{n} {title}: " + "; ".join(
                            f"{k}: {', '.join(f'`{v}`' for v in vs)}" for k, vs in sorted(ctr.examples.items())),
                            file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Generate a JSONL corpus with planted duplicates of every kind, plus the ground truth.

Kinds planted (all placed *after* what they copy, so "keep the first" has a known answer):

* exact copies of earlier documents, half of them re-cased and re-spaced (``dedup_exact`` with the
  default normalization must catch them);
* near copies: an earlier document with 0.5-2 % of its words substituted or inserted and one
  random 10-word insertion (Jaccard of 5-word shingles ~0.8-0.95);
* shared boilerplate: 12 passages of 60-150 words appended or prepended to ~15 % of documents;
* repeated passages: 300 passages of 50-200 words, each inserted in the middle of 2-4 documents.

Copies are only made of documents without boilerplate or passages, so span ground truth stays exact.
Words follow a Zipf law over a 60k-word synthetic vocabulary (with accented and CJK words and trailing
punctuation), so 50-token windows of background text essentially never repeat by chance.

``truth.json``: ``copies`` = {"shard:row": ["exact"|"near", "shard:row of original"]};
``spans`` = [[shard, row, start_byte, end_byte, passage_id], ...] for every planted passage occurrence.

Usage: ``python benchmarks/dedup_corpus.py OUT_DIR --mb 32 --shards 8 --seed 0``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "qua", "bri", "dor", "fen", "gal", "hul",
             "jo", "pex", "ström", "çe", "ñu", "é"]


def vocabulary(rng: np.random.Generator, size: int = 60000) -> np.ndarray:
    words: set[str] = set()
    while len(words) < size:  # 2-5 syllables: 4 million possible words, far more than `size`
        n = int(rng.integers(2, 6))
        words.add("".join(rng.choice(SYLLABLES, size=n)))
    vocab = [str(w) for w in rng.permutation(sorted(words))]  # rank (frequency) independent of spelling
    for i in range(50, size, 97):  # some CJK words, some punctuation attached
        vocab[i] = "東京" + vocab[i]
    for i in range(5, size, 13):
        vocab[i] = vocab[i] + rng.choice([",", ".", ";", ":"])
    return np.array(vocab, dtype=object)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.vocab = vocabulary(self.rng)
        ranks = np.arange(1, len(self.vocab) + 1)
        p = 1.0 / ranks**1.05
        self.p = p / p.sum()
        self.cdf = np.cumsum(self.p)

    def words(self, n: int) -> list[str]:
        ids = np.searchsorted(self.cdf, self.rng.random(n))
        return self.vocab[np.minimum(ids, len(self.vocab) - 1)].tolist()

    def paragraphs(self, n_words: int) -> str:
        words = self.words(n_words)
        cuts = sorted(self.rng.choice(np.arange(1, max(2, n_words)), size=min(n_words // 60, 8), replace=False))
        out, last = [], 0
        for c in [*cuts, n_words]:
            out.append(" ".join(words[last:c]))
            last = c
        return "\n\n".join(p for p in out if p)


def near_copy(gen: Generator, text: str) -> str:
    words = text.split(" ")
    rate = float(gen.rng.choice([0.005, 0.01, 0.02]))
    for _ in range(max(1, int(len(words) * rate))):
        i = int(gen.rng.integers(len(words)))
        if gen.rng.random() < 0.5:
            words[i] = gen.words(1)[0]
        else:
            words.insert(i, gen.words(1)[0])
    i = int(gen.rng.integers(len(words)))
    words[i:i] = gen.words(10)
    return " ".join(words)


def generate(out: Path, mb: float, shards: int, seed: int) -> dict:
    gen = Generator(seed)
    rng = gen.rng
    boiler = [" ".join(gen.words(int(rng.integers(60, 151)))) for _ in range(12)]
    passages = [" ".join(gen.words(int(rng.integers(50, 201)))) for _ in range(int(300 * max(1.0, mb / 32)))]
    # Each passage goes into 2-4 documents chosen later; spread uniformly over the corpus.
    target = int(mb * 1e6)
    per_shard = target // shards
    avg_doc = 4000
    total_docs = target // avg_doc
    slots: dict[int, list[int]] = {}
    for pid in range(len(passages)):
        for d in rng.choice(total_docs, size=int(rng.integers(2, 5)), replace=False):
            slots.setdefault(int(d), []).append(pid)
    out.mkdir(parents=True, exist_ok=True)
    truth: dict = {"copies": {}, "spans": []}
    plain: list[tuple[str, str]] = []  # (id, text) of documents eligible to be copied
    doc_no = 0
    for s in range(shards):
        size = 0
        row = 0
        with open(out / f"shard-{s:04d}.jsonl", "w", encoding="utf-8") as fh:
            while size < per_shard:
                r = rng.random()
                spans: list[tuple[int, int, int]] = []
                if plain and r < 0.04:
                    src_id, src = plain[int(rng.integers(len(plain)))]
                    text = src if rng.random() < 0.5 else "  " + src.upper().replace(" ", "  ") + "\n"
                    truth["copies"][f"{s}:{row}"] = ["exact", src_id]
                elif plain and r < 0.08:
                    src_id, src = plain[int(rng.integers(len(plain)))]
                    text = near_copy(gen, src)
                    truth["copies"][f"{s}:{row}"] = ["near", src_id]
                else:
                    n_words = int(rng.integers(150, 1300))
                    pieces: list[tuple[str, int]] = [(gen.paragraphs(n_words), -1)]
                    for pid in slots.get(doc_no, []):
                        first, rest = gen.paragraphs(n_words // 2), pieces.pop()
                        pieces += [(first, -1), (passages[pid], pid), (rest[0], -1)]
                    if rng.random() < 0.15:
                        b = int(rng.integers(len(boiler)))
                        piece = (boiler[b], 10_000 + b)
                        pieces = [piece, *pieces] if rng.random() < 0.5 else [*pieces, piece]
                    doc_no += 1
                    text, offset = "", 0
                    for k, (piece_text, pid) in enumerate(pieces):
                        sep = "" if k == 0 else "\n\n"
                        offset += len(sep.encode())
                        n = len(piece_text.encode())
                        if pid >= 0:
                            spans.append((offset, offset + n, pid))
                        text += sep + piece_text
                        offset += n
                    if not spans:
                        plain.append((f"{s}:{row}", text))
                        if len(plain) > 5000:
                            plain.pop(int(rng.integers(len(plain))))
                for start, end, pid in spans:
                    truth["spans"].append([s, row, start, end, pid])
                fh.write(json.dumps({"id": f"{s}:{row}", "text": text}, ensure_ascii=False) + "\n")
                size += len(text.encode())
                row += 1
    (out / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return truth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=32)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    truth = generate(args.out, args.mb, args.shards, args.seed)
    print(f"{args.out}: {len(truth['copies'])} planted copies, {len(truth['spans'])} planted passages")


if __name__ == "__main__":
    main()

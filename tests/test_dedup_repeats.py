"""dedup_repeats: brute force over every K-token window, seam tidying, UTF-8 safety, protocol."""

from __future__ import annotations

import json
import pickle
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from scrubber.dedup.driver import index_shard, kept_texts, run_pipeline
from scrubber.dedup.repeats import RepeatedSequenceStage, cut_ranges, merge_ranges
from scrubber.dedup.tokens import tokenize
from scrubber.errors import ConfigError, ShardError
from scrubber.records import Batch


def make(tmp_path: Path, **options) -> RepeatedSequenceStage:
    options.setdefault("min_doc_chars", 0)
    return RepeatedSequenceStage.from_config(options, state_dir=tmp_path / "state")


def char_kind(c: str) -> str:
    """Reference classification, written independently of the numpy tokenizer (module docstring)."""
    b = c.encode("utf-8", "surrogatepass")
    if len(b) >= 3:
        return "single"
    if len(b) == 2 or (c.isascii() and (c.isalnum() or c == "_")):
        return "word"
    return "space" if ord(c) <= 32 or ord(c) == 127 else "punct"


def ref_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    prev = "space"
    for c in text:
        kind = char_kind(c)
        if kind == "space":
            pass
        elif kind == "word" and prev == "word":
            tokens[-1] += c
        else:
            tokens.append(c)
        prev = kind
    return tokens


def brute_force(shards, k, min_repeats=2, keep="first") -> list[list[list[str]]]:
    """Kept tokens of every document: all K-windows listed with their (doc, pos) occurrences."""
    docs = [(s, r, ref_tokens(t)) for s, texts in enumerate(shards) for r, t in enumerate(texts)]
    occurrences: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for d, (_, _, toks) in enumerate(docs):
        for i in range(len(toks) - k + 1):
            occurrences.setdefault(tuple(toks[i : i + k]), []).append((d, i))
    removed = [set() for _ in docs]
    for occ in occurrences.values():
        if len(occ) >= min_repeats:
            for d, i in occ[1:] if keep == "first" else occ:
                removed[d].update(range(i, i + k))
    out = [[[] for _ in texts] for texts in shards]
    for d, (s, r, toks) in enumerate(docs):
        out[s][r] = [t for i, t in enumerate(toks) if i not in removed[d]]
    return out


VOCAB = ["the", "cat", "sat", ",", ".", "café", "東", "京", "😀", "x_1", "(", ")", "naïve", "über"]


def random_corpus(seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    passages = [[rng.choice(VOCAB) for _ in range(rng.randint(4, 12))] for _ in range(4)]
    shards = []
    for _ in range(3):
        texts = []
        for _ in range(rng.randint(1, 8)):
            parts = []
            for _ in range(rng.randint(1, 5)):
                words = rng.choice(passages) if rng.random() < 0.5 else [rng.choice(VOCAB) for _ in range(6)]
                parts.append(rng.choice([" ", "\n", "  ", "\n\n"]).join(words))
            texts.append(rng.choice([" ", "\n"]).join(parts))
        shards.append(texts)
    return shards


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("k", "min_repeats", "keep"), [(3, 2, "first"), (5, 2, "first"), (4, 3, "first"),
                                                         (4, 2, "none")])
def test_repeats_matches_brute_force(tmp_path, seed, k, min_repeats, keep):
    shards = random_corpus(seed)
    stage = make(tmp_path, min_tokens=k, min_repeats=min_repeats, keep=keep, partitions=5)
    out = kept_texts(run_pipeline([stage], shards, batch_size=3))
    assert [[ref_tokens(t) for t in texts] for texts in out] == brute_force(shards, k, min_repeats, keep)


def test_repeats_tokenizer_matches_reference():
    texts = ["Hello, wörld! 東京 café  x_1(y)", "😀😀 a\tb\u00a0c", "", "\ud800 lone"]
    toks = tokenize(texts)
    buf = bytes(toks.buf)
    got = [[] for _ in texts]
    for s, e, d in zip(toks.starts, toks.ends, toks.doc, strict=True):
        got[d].append(buf[s:e].decode("utf-8", "surrogatepass"))
    assert got == [ref_tokens(t) for t in texts]


@pytest.mark.parametrize(
    ("text", "cut", "expected"),
    [
        ("Alice wanted REMOVED store", "REMOVED", "Alice wanted store"),
        ("Alice wanted\n\nREMOVED store", "REMOVED", "Alice wanted\n\nstore"),
        ("Alice wanted REMOVED\n\nstore", "REMOVED", "Alice wanted\n\nstore"),
        ("REMOVED  store", "REMOVED", "store"),
        ("Alice REMOVED", "REMOVED", "Alice"),
        ("Alice(REMOVED)", "REMOVED", "Alice()"),
        ("wanted東REMOVED京store", "REMOVED", "wanted東京store"),
        ("a\tREMOVED  b", "REMOVED", "a\tb"),
    ],
)
def test_repeats_seam_is_tidied(text, cut, expected):
    data = text.encode()
    start = data.index(cut.encode())
    assert cut_ranges(data, [(start, start + len(cut))]).decode() == expected


def test_repeats_words_never_fuse_at_a_seam():
    assert cut_ranges(b"Alice wanted.X.store", [(12, 15)]) == b"Alice wantedstore"[:12] + b" store"


@pytest.mark.parametrize(
    ("starts", "ends", "merged"),
    [([0, 2, 10], [5, 7, 12], [(0, 7), (10, 12)]), ([0, 5], [5, 9], [(0, 9)]), ([3], [4], [(3, 4)]), ([], [], [])],
)
def test_repeats_merge_ranges(starts, ends, merged):
    assert merge_ranges(np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)) == merged


def test_repeats_never_cuts_inside_a_character(tmp_path):
    passage = " ".join(f"{w}{i}" for i, w in enumerate(["東京", "😀", "naïve", "ü", "ß"] * 4))
    shards = [[f"前 {passage} 後"], [f"x {passage} y", f"中{passage}"]]
    out = kept_texts(run_pipeline([make(tmp_path, min_tokens=10)], shards))
    for texts in out:
        for t in texts:
            t.encode("utf-8")  # would raise on a lone surrogate from a split character
    assert out[0] == shards[0]
    assert out[1] == ["x y", "中"]


def test_repeats_byte_threshold(tmp_path):
    passage = "alpha beta gamma delta epsilon zeta eta theta"  # 46 bytes, 8 tokens
    shards = [[f"one {passage} two", f"three {passage} four", "five alpha beta six"]]
    out = kept_texts(run_pipeline([make(tmp_path / "a", min_bytes=40)], shards))
    assert out == [[shards[0][0], "three four", "five alpha beta six"]]
    out = kept_texts(run_pipeline([make(tmp_path / "b", min_bytes=60)], shards))
    assert out == shards


def test_repeats_drops_documents_left_too_short(tmp_path):
    passage = " ".join(f"w{i}" for i in range(60))
    shards = [[passage + " intro text that stays", passage + " tail"]]
    stage = make(tmp_path, min_doc_chars=10)
    out = kept_texts(run_pipeline([stage], shards))
    assert out == [[shards[0][0], None]]
    counters = stage.take_counters()
    assert counters["docs_removed"] == 1
    assert counters["bytes_removed"] == len(shards[0][1].encode())
    assert counters["spans_removed"] == 1


def decision_bytes(state: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((state / "decisions").glob("*.npy"))}


def test_repeats_same_output_for_any_workers_and_order(tmp_path):
    shards = [t * 3 for t in random_corpus(42)]
    one = make(tmp_path / "one", min_tokens=4)
    out_one = kept_texts(run_pipeline([one], shards, batch_size=2))
    two = make(tmp_path / "two", min_tokens=4)
    order = [2, 0, 1]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(index_shard, [pickle.loads(pickle.dumps(two))] * 3, order, [shards[i] for i in order]))
    assert kept_texts(run_pipeline([two], shards, batch_size=5)) == out_one
    assert decision_bytes(tmp_path / "two" / "state") == decision_bytes(tmp_path / "one" / "state")


def test_repeats_same_decisions_when_shards_spill_in_many_blocks(tmp_path, monkeypatch):
    shards = [t * 3 for t in random_corpus(9)]
    run_pipeline([make(tmp_path / "one", min_tokens=4)], shards)
    monkeypatch.setattr("scrubber.dedup.state.SPOOL_BYTES", 100)  # a block every few records
    monkeypatch.setattr("scrubber.dedup.tokens.CHUNK_BYTES", 20)  # and one numpy pass per document
    run_pipeline([make(tmp_path / "two", min_tokens=4)], shards, batch_size=1)
    shard_dir = tmp_path / "two" / "state" / "partial" / "shard-000000"
    assert json.loads((shard_dir / "meta.json").read_text())["blocks"] > 3  # it did spill ...
    assert len(np.load(shard_dir / "offsets.npy")) == 1  # ... and the blocks were merged at commit
    assert decision_bytes(tmp_path / "two" / "state") == decision_bytes(tmp_path / "one" / "state")


def test_repeats_summary_shows_fingerprints_not_text(tmp_path):
    passage = " ".join(f"secret{i}" for i in range(60))
    stage = make(tmp_path)
    run_pipeline([stage], [[passage, passage, passage]])
    top = stage.summary["top_repeated_windows"]
    assert top[0]["occurrences"] == 3
    state_text = b"".join(p.read_bytes() for p in (tmp_path / "state").rglob("*") if p.is_file())
    assert b"secret" not in state_text


@pytest.mark.parametrize(
    ("options", "message"),
    [({"min_tokens": 0}, "min_tokens"), ({"min_repeats": 1}, "min_repeats"), ({"keep": "last"}, "keep"),
     ({"min_bytes": 0}, "min_bytes")],
)
def test_repeats_options_rejected(tmp_path, options, message):
    with pytest.raises(ConfigError, match=message):
        make(tmp_path, **options)


def test_repeats_refuses_to_cut_a_text_that_changed_since_indexing(tmp_path):
    passage = " ".join(f"w{i}" for i in range(60))
    stage = make(tmp_path)
    run_pipeline([stage], [[passage + " a", passage + " b"]])
    changed = Batch({"text": [passage + " a", "x " + passage + " b"]}, shard_index=0)
    with pytest.raises(ShardError, match="different text than when it was indexed") as info:
        stage.run(changed)
    assert "w1" not in str(info.value)  # names the document id, never its text


BOILERPLATE = " ".join(f"notice{i}" for i in range(60))


def test_repeats_never_cuts_inside_a_word_so_an_address_stays_whole(tmp_path):
    """A repeated company signature starts at the `@` of each sender's address; a cut there left
    `marcus.brennan` in the output, which detect no longer sees as an address."""
    shards = [[f"Thanks,\nAnna Berg\nanna.berg@kestrel-freight.com | www.kestrel-freight.com\n\n{BOILERPLATE}",
               f"Regards,\nMarcus\nmarcus.brennan@kestrel-freight.com | www.kestrel-freight.com\n\n{BOILERPLATE}"]]
    out = kept_texts(run_pipeline([make(tmp_path, min_tokens=20)], shards))
    assert out == [[shards[0][0], "Regards,\nMarcus\nmarcus.brennan@kestrel-freight.com"]]


@pytest.mark.parametrize(("before", "after", "kept"), [
    ("id=", "", "id=w0"),        # the passage glued to a key: its first word stays with the key
    ("", "-tail", "w29-tail"),   # glued to a word on its right: its last word stays with it
    ("前", "後", "前後"),         # a script written without spaces: cut between its characters
])
def test_repeats_cut_ends_move_out_of_words(tmp_path, before, after, kept):
    passage = " ".join(f"w{i}" for i in range(30))
    shards = [[passage], [before + passage + after]]
    out = kept_texts(run_pipeline([make(tmp_path, min_tokens=10)], shards))
    assert out == [[passage], [kept]]


def test_repeats_with_detect_no_part_of_an_address_reaches_the_output(tmp_path):
    from scrubber.cli import main

    rows = [f"From the desk of Anna\nanna.berg@kestrel-freight.com | www.kestrel-freight.com\n\n{BOILERPLATE}",
            f"From the desk of Marcus\nmarcus.brennan@kestrel-freight.com | www.kestrel-freight.com\n\n{BOILERPLATE}"]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in rows), encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text("mode: fast\npipeline: [dedup_repeats: {min_tokens: 20, min_doc_chars: 0}, detect, transform]\n",
                      encoding="utf-8")
    assert main(["run", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out"), "--config", str(config),
                 "--no-progress"]) == 0
    written = (tmp_path / "out" / "in.jsonl").read_text(encoding="utf-8")
    assert "brennan" not in written and "anna.berg" not in written
    assert written.count("<EMAIL>") == 2 and written.count("notice59") == 1

"""dedup_near: MinHash accuracy, planted near-duplicates, exact-Jaccard brute force, keep rule."""

from __future__ import annotations

import json
import pickle
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from scrubber.dedup.driver import index_shard, kept_texts, run_pipeline
from scrubber.dedup.minhash import optimal_bands, permutations, signatures
from scrubber.dedup.near import NearDedupStage
from scrubber.dedup.unionfind import min_labels
from scrubber.errors import ConfigError
from scrubber.records import ID_COLUMN, Batch

WORDS = [f"w{i}" for i in range(20000)]


def make(tmp_path: Path, **options) -> NearDedupStage:
    return NearDedupStage.from_config(options, state_dir=tmp_path / "state")


def doc(rng: random.Random, n: int = 150) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def edit(rng: random.Random, text: str, changes: int) -> str:
    words = text.split()
    for _ in range(changes):
        i = rng.randrange(len(words))
        if rng.random() < 0.5:
            words[i] = rng.choice(WORDS)
        else:
            words.insert(i, rng.choice(WORDS))
    return " ".join(words)


def shingle_set(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def jaccard(a: str, b: str) -> float:
    x, y = shingle_set(a), shingle_set(b)
    return len(x & y) / len(x | y)


@pytest.mark.parametrize("target", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_near_minhash_estimates_jaccard(target):
    rng = np.random.default_rng(7)
    total = 2000
    shared = round(2 * target * total / (1 + target))  # |A∩B| for |A|=|B|=total, J = target
    common = rng.integers(0, 2**63, size=shared, dtype=np.uint64)
    a_only = rng.integers(0, 2**63, size=total - shared, dtype=np.uint64)
    b_only = rng.integers(0, 2**63, size=total - shared, dtype=np.uint64)
    hashes = np.concatenate([common, a_only, common, b_only])
    docs = np.repeat([0, 1], total)
    a, b = permutations(256, seed=1)
    sig, present = signatures(hashes, docs, 2, a, b)
    assert present.all()
    assert abs(float(np.mean(sig[0] == sig[1])) - target) < 0.1


def test_near_planted_duplicates_found_and_first_kept(tmp_path):
    rng = random.Random(1)
    originals = [doc(rng) for _ in range(30)]
    copies = [edit(rng, t, 3) for t in originals[:10]]  # Jaccard ~0.9 with its original
    # shard 0: five copies BEFORE their originals; shard 1: the originals; shard 2: five more copies
    shards = [copies[:5], originals, copies[5:]]
    out = kept_texts(run_pipeline([make(tmp_path)], shards, batch_size=4))
    assert out[0] == copies[:5]  # first in corpus order: kept
    assert out[1] == [None] * 5 + originals[5:]  # originals 0-4 come later than their copies
    assert out[2] == [None] * 5


@pytest.mark.parametrize("seed", range(3))
def test_near_matches_exact_jaccard_brute_force(tmp_path, seed):
    rng = random.Random(seed)
    texts = [doc(rng, 80) for _ in range(20)]
    texts += [edit(rng, rng.choice(texts), rng.choice([1, 2, 20, 40])) for _ in range(20)]
    rng.shuffle(texts)
    shards = [texts[:13], texts[13:27], texts[27:]]
    out = [t for shard in kept_texts(run_pipeline([make(tmp_path)], shards, batch_size=5)) for t in shard]
    for j, text in enumerate(texts):
        best_earlier = max((jaccard(texts[i], text) for i in range(j)), default=0.0)
        if best_earlier >= 0.9:  # clear near-duplicate of an earlier document: removed
            assert out[j] is None, (j, best_earlier)
        if out[j] is None:  # never removed without a similar earlier document in its cluster
            assert max(jaccard(texts[i], text) for i in range(len(texts)) if i != j) >= 0.3


def test_near_identical_documents_cluster_to_smallest_id(tmp_path):
    rng = random.Random(3)
    a, b = doc(rng), doc(rng)
    shards = [[b, "short unrelated text"], [a, b, a], [a]]
    out = kept_texts(run_pipeline([make(tmp_path)], shards))
    assert out == [[b, "short unrelated text"], [a, None, None], [None]]


def test_near_same_decisions_for_any_workers_and_order(tmp_path):
    rng = random.Random(5)
    base = [doc(rng) for _ in range(20)]
    shards = [base[:10] + [edit(rng, t, 2) for t in base[10:15]], base[10:] + [edit(rng, t, 2) for t in base[:5]]]
    one = make(tmp_path / "one")
    out_one = kept_texts(run_pipeline([one], shards, batch_size=3))
    two = make(tmp_path / "two")
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(index_shard, [pickle.loads(pickle.dumps(two))] * 2, [1, 0], [shards[1], shards[0]]))
    assert kept_texts(run_pipeline([two], shards, batch_size=7)) == out_one
    files = lambda p: {f.name: f.read_bytes() for f in sorted((p / "state" / "decisions").glob("*.npy"))}  # noqa: E731
    assert files(tmp_path / "two") == files(tmp_path / "one")


def reference_components(edges: list[tuple[int, int]]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for u, v in edges:
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[max(ru, rv)] = min(ru, rv)
    return {x: find(x) for x in parent}


@pytest.mark.parametrize("seed", range(5))
def test_near_union_find_matches_reference(seed):
    rng = random.Random(seed)
    edges = [(rng.randrange(200), rng.randrange(200)) for _ in range(rng.randint(1, 150))]
    nodes, label = min_labels(np.array([e[0] for e in edges]), np.array([e[1] for e in edges]))
    assert dict(zip(nodes.tolist(), label.tolist(), strict=True)) == reference_components(edges)


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9])
def test_near_threshold_picks_same_bands_as_datasketch(threshold):
    lsh = pytest.importorskip("datasketch.lsh")
    assert optimal_bands(threshold, 128) == lsh._optimal_param(threshold, 128, 0.5, 0.5)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"threshold": 0.8, "bands": 4, "rows": 4}, "either threshold"),
        ({"bands": 20, "rows": 8}, "bands x rows"),
        ({"bands": 4}, "together"),
        ({"threshold": 1.5}, "threshold"),
        ({"ngram": 0}, "ngram"),
    ],
)
def test_near_options_rejected(tmp_path, options, message):
    with pytest.raises(ConfigError, match=message):
        make(tmp_path, **options)


def test_near_same_decisions_when_batches_are_split_into_chunks(tmp_path, monkeypatch):
    rng = random.Random(8)
    base = [doc(rng) for _ in range(12)]
    shards = [base + [edit(rng, t, 2) for t in base[:6]]]
    run_pipeline([make(tmp_path / "one")], shards)
    monkeypatch.setattr("scrubber.dedup.tokens.CHUNK_BYTES", 500)  # ~1 document per numpy pass
    run_pipeline([make(tmp_path / "two")], shards)
    files = lambda p: {f.name: f.read_bytes() for f in sorted((p / "state" / "decisions").glob("*.npy"))}  # noqa: E731
    assert files(tmp_path / "two") == files(tmp_path / "one")
    assert files(tmp_path / "one")


@pytest.mark.parametrize(("verify", "expect_drops"), [(False, True), (True, False)])
def test_near_verify_rejects_chance_band_collisions(tmp_path, verify, expect_drops):
    """Pairs at Jaccard ~0.28 collide in one of 2 one-row bands half the time; verification (threshold
    0.5 for 2 x 1) rejects every such pair, while without it some are clustered and dropped."""
    rng = random.Random(6)
    firsts, seconds = [], []
    for _ in range(20):
        a = doc(rng, 100)
        firsts.append(a)
        seconds.append(" ".join(a.split()[:46]) + " " + doc(rng, 54))
    assert 0.2 < jaccard(firsts[0], seconds[0]) < 0.35
    stage = make(tmp_path, bands=2, rows=1, verify=verify)
    out = kept_texts(run_pipeline([stage], [firsts, seconds]))
    dropped = sum(t is None for shard in out for t in shard)
    assert (dropped > 0) == expect_drops


def collision_corpus(rng: random.Random) -> list[list[str]]:
    """Pairs at Jaccard ~0.28 (chance band collisions for 2 x 1 bands) plus true near-duplicates."""
    firsts, seconds = [], []
    for _ in range(20):
        a = doc(rng, 100)
        firsts.append(a)
        seconds.append(" ".join(a.split()[:46]) + " " + doc(rng, 54))
    return [firsts + [edit(rng, t, 1) for t in firsts[:5]], seconds]


def test_near_partitions_verify_their_own_edges(tmp_path):
    """Each partition step checks its candidate pairs against the signatures, so an engine that runs
    partitions in parallel spreads that work: the merge needs only the surviving edges, not the
    signatures (deleted here before it runs), and gives the same decisions as one-process resolve."""
    shards = collision_corpus(random.Random(6))
    one = make(tmp_path / "one", bands=2, rows=1, partitions=4)
    run_pipeline([one], shards)
    two = make(tmp_path / "two", bands=2, rows=1, partitions=4)
    for shard, texts in enumerate(shards):
        index_shard(two, shard, texts)
    two.begin_resolve()
    for part in range(4):
        two.resolve_partition(part)
    kept = sum(len(np.load(p)) for p in (tmp_path / "two" / "state" / "resolved").glob("part-*.npy"))
    for sigs in (tmp_path / "two" / "state" / "partial").glob("shard-*/sigs.bin"):
        sigs.unlink()
    two.finish_resolve()
    files = lambda p: {f.name: f.read_bytes() for f in sorted((p / "state" / "decisions").glob("*.npy"))}  # noqa: E731
    assert files(tmp_path / "two") == files(tmp_path / "one")
    assert two.summary == one.summary
    assert kept == two.summary["verified_edges"] < two.summary["candidate_edges"]
    assert two.summary["docs_to_remove"] == 5  # the five true near-duplicates, no chance collision


def test_near_unordered_ids_verify_like_ordered_ones(tmp_path, monkeypatch):
    """Shards whose doc ids are in order are binary-searched in place; the fallback (ids out of order,
    or state indexed before the order was recorded) reads and sorts them. Both decide alike."""
    shards = collision_corpus(random.Random(7))
    fast = make(tmp_path / "fast", bands=2, rows=1)
    run_pipeline([fast], shards)
    meta = json.loads((tmp_path / "fast" / "state" / "partial" / "shard-000000" / "meta.json").read_text())
    assert meta["sig_docs_sorted"] is True
    monkeypatch.setattr(NearDedupStage, "shard_info", lambda self: {})  # as state from before the flag
    slow = make(tmp_path / "slow", bands=2, rows=1)
    run_pipeline([slow], shards)
    files = lambda p: {f.name: f.read_bytes() for f in sorted((p / "state" / "decisions").glob("*.npy"))}  # noqa: E731
    assert files(tmp_path / "slow") == files(tmp_path / "fast")
    assert slow.summary == fast.summary


def test_near_explicit_ids_out_of_order_are_flagged_and_verified(tmp_path):
    """Explicit ids (library use) may come in any order: the shard is marked unsorted and the
    verification still finds each pair's signatures."""
    rng = random.Random(8)
    base = [doc(rng) for _ in range(6)]
    texts = base + [edit(rng, t, 2) for t in base[:3]]
    ids = [100 - i for i in range(len(texts))]  # descending: the copies get the smallest ids
    stage = make(tmp_path)
    stage.begin_shard(0)
    stage.index(Batch({"text": texts, ID_COLUMN: ids}))
    stage.end_shard()
    meta = json.loads((tmp_path / "state" / "partial" / "shard-000000" / "meta.json").read_text())
    assert meta["sig_docs_sorted"] is False
    stage.resolve()
    assert stage.summary["verified_edges"] == stage.summary["candidate_edges"] > 0  # found, none rejected
    assert stage.summary["clusters"] == stage.summary["docs_to_remove"] == 3
    out = stage.run(Batch({"text": texts, ID_COLUMN: ids}))
    assert out.drops() == ["dedup_near"] * 3 + [None] * 6  # originals dropped: their copies have smaller ids


def test_near_in_process_resolve_opens_the_signatures_once(tmp_path, monkeypatch):
    """The local engine resolves every partition in one process: each shard's signature index is
    opened (and, for out-of-order ids, sorted) once for all partitions, not once per partition."""
    import scrubber.dedup.near as near

    opened = []

    class CountingStore(near.SignatureStore):
        def __init__(self, *args, **kwargs) -> None:
            opened.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(near, "SignatureStore", CountingStore)
    stage = make(tmp_path, bands=2, rows=1, partitions=8)
    out = kept_texts(run_pipeline([stage], collision_corpus(random.Random(9))))
    assert sum(t is None for shard in out for t in shard) == 5  # the five true near-duplicates
    assert len(opened) == 1

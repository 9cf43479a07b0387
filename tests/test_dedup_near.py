"""dedup_near: MinHash accuracy, planted near-duplicates, exact-Jaccard brute force, keep rule."""

from __future__ import annotations

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

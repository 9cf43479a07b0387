"""dedup_exact: brute force (a dict over normalized texts), normalization table, protocol guarantees."""

from __future__ import annotations

import pickle
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from scrubber.dedup.driver import index_shard, kept_texts, run_pipeline, shard_batches
from scrubber.dedup.exact import ExactDedupStage, normalizer
from scrubber.dedup.state import committed_shards
from scrubber.errors import ConfigError
from scrubber.records import Batch


def make(tmp_path: Path, **options) -> ExactDedupStage:
    return ExactDedupStage.from_config(options, state_dir=tmp_path / "state")


def random_corpus(seed: int, shards: int = 4, docs: int = 60) -> list[list[str]]:
    rng = random.Random(seed)
    pool = [" ".join(rng.choice(["a", "b", "C", "d\u00e9", "ｅ"]) for _ in range(rng.randint(0, 6))) for _ in range(40)]
    return [[rng.choice(pool) for _ in range(rng.randint(0, docs))] for _ in range(shards)]


def brute_force(shards: list[list[str]], steps: tuple[str, ...]) -> list[list[str | None]]:
    norm = normalizer(steps)
    seen: set[str] = set()
    out = []
    for texts in shards:
        row = []
        for t in texts:
            key = norm(t)
            row.append(None if key in seen else t)
            seen.add(key)
        out.append(row)
    return out


@pytest.mark.parametrize(
    ("texts", "normalize", "kept"),
    [
        (["Hello  world", "hello world"], ("case", "whitespace"), [True, False]),
        (["Hello  world", "hello world"], ("whitespace",), [True, True]),
        (["Hello  world", "Hello world "], ("whitespace",), [True, False]),
        (["ｈｅｌｌｏ", "hello"], ("nfkc",), [True, False]),
        (["ｈｅｌｌｏ", "hello"], (), [True, True]),
        (["STRASSE", "straße"], ("case",), [True, False]),
        (["", " ", "\n"], ("whitespace",), [True, False, False]),
        (["a", "b", "a", "b", "a"], (), [True, True, False, False, False]),
    ],
)
def test_exact_normalization_table(tmp_path, texts, normalize, kept):
    out = kept_texts(run_pipeline([make(tmp_path, normalize=list(normalize))], [texts]))
    assert [t is not None for t in out[0]] == kept


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("normalize", [("nfkc", "case", "whitespace"), ()])
def test_exact_matches_brute_force(tmp_path, seed, normalize):
    shards = random_corpus(seed)
    stage = make(tmp_path, normalize=list(normalize), partitions=3)
    out = kept_texts(run_pipeline([stage], shards, batch_size=7))
    assert out == brute_force(shards, normalize)
    counters = stage.take_counters()
    removed = [t for s, o in zip(shards, out, strict=True) for t, k in zip(s, o, strict=True) if k is None]
    assert counters.get("docs_removed", 0) == len(removed)
    assert counters.get("bytes_removed", 0) == sum(len(t.encode()) for t in removed)


def decision_bytes(state: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((state / "decisions").glob("*.npy"))}


def test_exact_same_decisions_for_any_index_order_and_process(tmp_path):
    shards = random_corpus(11, shards=5)
    one = make(tmp_path / "one")
    out_one = kept_texts(run_pipeline([one], shards, batch_size=5))
    two = make(tmp_path / "two")
    with ProcessPoolExecutor(2) as pool:  # each worker indexes with its own unpickled copy
        list(pool.map(index_shard, [pickle.loads(pickle.dumps(two))] * 5, [4, 2, 0, 3, 1],
                      [shards[i] for i in (4, 2, 0, 3, 1)], [3] * 5))
    out_two = kept_texts(run_pipeline([two], shards, batch_size=11))  # already indexed: resolve only
    assert out_two == out_one
    assert decision_bytes(tmp_path / "two" / "state") == decision_bytes(tmp_path / "one" / "state")


def test_exact_ignores_rows_dropped_upstream(tmp_path):
    stage = make(tmp_path)
    batch = Batch({"text": ["x", "x", "y"]}, shard_index=0)
    batch.mark_dropped(0, "detect_policy")
    stage.begin_shard(0)
    stage.index(batch)
    stage.end_shard()
    stage.resolve()
    out = stage.run(batch)
    # row 0 was dropped earlier, so row 1 is the first occurrence of "x" and survives
    assert out.drops() == ["detect_policy", None, None]


def test_exact_crash_mid_shard_leaves_no_visible_state(tmp_path):
    shards = [["a", "b"], ["a", "c"]]
    stage = make(tmp_path)
    stage.begin_shard(1)
    for batch in shard_batches(1, shards[1], 1):
        stage.index(batch)
    # crash: no end_shard. Nothing is visible to resolve, and a rerun gives the full answer.
    assert list((tmp_path / "state" / "partial").glob(".shard-000001.tmp-*"))
    assert committed_shards(tmp_path / "state") == []
    assert not list((tmp_path / "state" / "partial").glob(".shard-*"))  # leftovers cleared
    fresh = make(tmp_path)
    out = kept_texts(run_pipeline([fresh], shards))
    assert out == [["a", "b"], [None, "c"]]
    assert [p.name for p in committed_shards(tmp_path / "state")] == ["shard-000000", "shard-000001"]


def test_exact_resolve_is_rerunnable(tmp_path):
    shards = random_corpus(3)
    stage = make(tmp_path)
    run_pipeline([stage], shards)
    first = decision_bytes(tmp_path / "state")
    stage.resolve()
    assert decision_bytes(tmp_path / "state") == first


def test_exact_process_before_resolve_says_what_to_do(tmp_path):
    stage = make(tmp_path)
    with pytest.raises(RuntimeError, match="resolve"):
        stage.run(Batch({"text": ["a"]}))


def test_exact_partition_change_after_index_is_refused(tmp_path):
    run_pipeline([make(tmp_path, partitions=4)], [["a"]])
    with pytest.raises(ValueError, match="partitions"):
        make(tmp_path, partitions=8).resolve()


@pytest.mark.parametrize(
    ("options", "message"),
    [({"normalize": ["lower"]}, "normalize"), ({"partitions": 0}, "partitions"), ({"typo": 1}, "unknown key")],
)
def test_exact_options_rejected(tmp_path, options, message):
    with pytest.raises(ConfigError, match=message):
        make(tmp_path, **options)


def test_exact_case_step_equals_casefold_for_every_character():
    norm = normalizer(("case",))
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for lo in range(0, len(chars), 4096):
        chunk = "".join(chars[lo : lo + 4096])
        assert norm(chunk) == chunk.casefold()
        assert [norm(c) for c in chunk[:64]] == [c.casefold() for c in chunk[:64]]

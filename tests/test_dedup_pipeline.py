"""The three dedup stages together, as the runner chains them, and explicit document ids."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from scrubber.dedup.driver import index_shard, kept_texts, run_pipeline
from scrubber.dedup.exact import ExactDedupStage
from scrubber.dedup.near import NearDedupStage
from scrubber.dedup.repeats import RepeatedSequenceStage
from scrubber.records import ID_COLUMN, Batch
from scrubber.stages.base import StageContext


def words(rng: random.Random, n: int) -> str:
    return " ".join(f"v{rng.randrange(100000)}" for _ in range(n))


def test_dedup_pipeline_later_stages_see_only_what_earlier_ones_kept(tmp_path: Path):
    rng = random.Random(0)
    original = words(rng, 300)
    boiler = words(rng, 60)
    other = words(rng, 200)
    shards = [[original, other + "\n\n" + boiler], [original.upper(), words(rng, 100) + "\n\n" + boiler]]
    stages = [
        ExactDedupStage.from_config({}, state_dir=tmp_path / "exact"),
        NearDedupStage.from_config({}, state_dir=tmp_path / "near"),
        RepeatedSequenceStage.from_config({}, state_dir=tmp_path / "repeats"),
    ]
    out = run_pipeline(stages, shards, batch_size=1)
    texts = kept_texts(out)
    # the exact copy is dropped by dedup_exact, so dedup_repeats never cuts the original
    assert texts[0] == [original, other + "\n\n" + boiler]
    assert texts[1][0] is None
    assert texts[1][1] == shards[1][1][: -len(boiler) - 2]  # boilerplate cut from its second occurrence
    reasons = [r for batches in out for b in batches for r in b.drops()]
    assert reasons == [None, None, "dedup_exact", None]


def test_dedup_explicit_id_column_decides_first_occurrence(tmp_path: Path):
    stage = ExactDedupStage(None, StageContext(state_dir=tmp_path / "state"))
    batch = Batch({"text": ["a", "a", "b"], ID_COLUMN: [7, 3, 5]})
    stage.begin_shard(0)
    stage.index(batch)
    stage.end_shard()
    stage.resolve()
    # id 3 is earlier in corpus order than id 7, whatever the row order
    assert stage.run(batch).drops() == ["dedup_exact", None, None]


def test_dedup_repeats_explicit_ids_out_of_row_order(tmp_path: Path):
    passage = words(random.Random(1), 60)
    stage = RepeatedSequenceStage(None, StageContext(state_dir=tmp_path / "state"))
    batch = Batch({"text": [f"late {passage} x", f"early {passage} y"], ID_COLUMN: [9, 2]})
    stage.begin_shard(0)
    stage.index(batch)
    stage.end_shard()
    stage.resolve()
    out = stage.run(batch)
    assert out.texts == ["late x", f"early {passage} y"]
    assert out.drops() == ["dedup_repeats_too_short", None]


def test_dedup_stages_pickle_after_use(tmp_path: Path):
    """Runners ship stages to worker processes after the parent has used them."""
    import pickle

    stages = [
        ExactDedupStage.from_config({}, state_dir=tmp_path / "exact"),
        NearDedupStage.from_config({}, state_dir=tmp_path / "near"),
        RepeatedSequenceStage.from_config({}, state_dir=tmp_path / "repeats"),
    ]
    shards = [["some text " * 20, "some text " * 20]]
    first = kept_texts(run_pipeline(stages, shards))
    copies = [pickle.loads(pickle.dumps(stage)) for stage in stages]
    assert kept_texts(run_pipeline(copies, shards)) == first


def _resolve_one(stage, part: int) -> None:
    stage.resolve_partition(part)


@pytest.mark.parametrize("stage_class", [ExactDedupStage, NearDedupStage, RepeatedSequenceStage])
def test_dedup_partitions_resolved_in_parallel_give_the_same_decisions(tmp_path: Path, stage_class):
    """Engines may resolve partitions as parallel tasks: any order, any process, same result."""
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    rng = random.Random(2)
    base = [words(rng, 80) for _ in range(10)]
    shards = [[*base[:6], base[1], base[7] + " tail"], [*base[4:], base[0].upper(), words(rng, 10) + " " + base[2]]]
    options = {"partitions": 5} | ({"min_tokens": 10} if stage_class is RepeatedSequenceStage else {})
    one = stage_class.from_config(options, state_dir=tmp_path / "one")
    run_pipeline([one], shards)
    two = stage_class.from_config(options, state_dir=tmp_path / "two")
    for shard, texts in enumerate(shards):
        index_shard(two, shard, texts)
    two.begin_resolve()
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_resolve_one, [pickle.loads(pickle.dumps(two)) for _ in range(5)], [4, 2, 0, 3, 1]))
    two.finish_resolve()
    files = lambda p: {f.name: f.read_bytes() for f in sorted((p / "decisions").glob("*"))}  # noqa: E731
    assert files(tmp_path / "two") == files(tmp_path / "one")
    assert any(name.endswith(".npy") for name in files(tmp_path / "one"))

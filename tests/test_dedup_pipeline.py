"""The three dedup stages together, as the runner chains them, and explicit document ids."""

from __future__ import annotations

import random
from pathlib import Path

from scrubber.dedup.driver import kept_texts, run_pipeline
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

"""Drive corpus stages over in-memory shards, exactly as the runners do (library use, tests, benchmarks).

The CLI runner and the Ray engine follow the same protocol over files; this small driver exists so
that dedup can be used on a list of texts, tested without the runner, and benchmarked in isolation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from scrubber.records import Batch
from scrubber.stages.base import CorpusStage, Stage


def shard_batches(
    shard_index: int, texts: Sequence[str], batch_size: int, text_field: str = "text"
) -> Iterator[Batch]:
    """Batches of one shard in row order, numbered so ``doc_ids()`` are corpus ids."""
    for first in range(0, len(texts), batch_size):
        chunk = list(texts[first : first + batch_size])
        yield Batch({text_field: chunk}, text_field, f"shard-{shard_index}", shard_index, first)


def index_shard(stage: CorpusStage, shard_index: int, texts: Sequence[str], batch_size: int = 1000) -> None:
    """The index pass of one shard (top-level so a process pool can run it on a pickled stage)."""
    stage.begin_shard(shard_index)
    for batch in shard_batches(shard_index, texts, batch_size, stage.context.text_field):
        stage.index(batch)
    stage.end_shard()
    stage.mark_indexed(shard_index)


def run_pipeline(
    stages: Sequence[Stage],
    shards: Sequence[Sequence[str]],
    batch_size: int = 1000,
    index_order: Sequence[int] | None = None,
) -> list[list[Batch]]:
    """Run ``stages`` in order over ``shards`` (lists of texts); return the output batches per shard.

    Every corpus stage indexes the output of the stages before it, then resolves, as in the runner.
    ``index_order`` permutes the order shards are indexed in (results must not depend on it).
    """
    order = list(index_order) if index_order is not None else list(range(len(shards)))

    def upstream(shard: int, upto: int) -> Iterator[Batch]:
        for batch in shard_batches(shard, shards[shard], batch_size):
            for stage in stages[:upto]:
                batch = stage.run(batch)
            yield batch

    for k, stage in enumerate(stages):
        if not isinstance(stage, CorpusStage):
            continue
        for shard in order:
            if stage.is_indexed(shard):
                continue
            stage.begin_shard(shard)
            for batch in upstream(shard, k):
                stage.index(batch)
            stage.end_shard()
            stage.mark_indexed(shard)
        if not stage.is_resolved():
            stage.resolve()
            stage.mark_resolved()
    return [list(upstream(shard, len(stages))) for shard in range(len(shards))]


def kept_texts(output: list[list[Batch]]) -> list[list[str | None]]:
    """Texts per shard and row, ``None`` where a stage marked the row dropped."""
    out: list[list[str | None]] = []
    for batches in output:
        rows: list[str | None] = []
        for batch in batches:
            for text, drop in zip(batch.texts, batch.drops(), strict=True):
                rows.append(text if drop is None else None)
        out.append(rows)
    return out

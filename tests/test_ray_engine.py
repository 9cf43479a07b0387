"""The Ray engine gives the local engine's output byte for byte, and resumes like it (issue #6).

Runs on a local Ray with 2 CPUs started once for the module; skipped when the `ray` extra is missing.
OUT and inputs are also given as ``objdir://`` URLs (tests/objdir_fs.py): a filesystem every actor
process sees, whose protocol is not ``file``, so the actors take the remote-filesystem path (write
under a temporary name, then move; dedup state in --state-dir) as they would on s3:// or gs://.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import objdir_fs
import pytest
from conftest import ROOT, tree, write_config

from scrubber.cli import main
from scrubber.io.outfs import output_location
from scrubber.runner.manifest import deterministic_files

ray = pytest.importorskip("ray")
pytestmark = [pytest.mark.ray, pytest.mark.slow]

SAMPLES = ROOT / "data" / "samples"
#: The issue's sample pipeline: every dedup stage, then detection and a keyed operator. The rules are a
#: frozen copy (see ``sample_config``) so both engines see the same config fingerprint.
SAMPLE_PIPELINE = """\
rules: rules
pipeline:
  - dedup_exact
  - dedup_near
  - dedup_repeats
  - detect
  - transform
"""
KEY = "ray-engine-test-key-0123456789abcdef"
#: pseudonymize needs the key: identical surrogates prove the key reached every actor.
FULL = ("--mode", "full", "--operator", "pseudonymize", "--batch-size", "64")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    objdir_fs.register()  # in this (driver) process; the hook registers it in every Ray worker
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", runtime_env=objdir_fs.RAY_RUNTIME_ENV)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def sample_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("config")
    shutil.copytree(ROOT / "rules", folder / "rules")
    return write_config(folder / "sample.yaml", SAMPLE_PIPELINE)


@pytest.fixture(scope="module")
def local_reference(sample_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local engine's output for the sample pipeline in full mode, computed once for the module."""
    out = tmp_path_factory.mktemp("local") / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCRUBBER_KEY", KEY)
        assert scrub(out, sample_config, *FULL, "--workers", "2") == 0
    return out


def scrub(out: str | Path, config: Path, *extra: str, inputs: str = str(SAMPLES)) -> int:
    return main(["run", inputs, "-o", str(out), "--config", str(config), "--no-progress", *extra])


def report(out: str | Path) -> dict:
    return json.loads((output_location(str(out)) / "_scrubber" / "report.json").read_text())


def without_state(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if not k.startswith("_scrubber/state/")}


def state_of(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k.removeprefix("_scrubber/state/"): v for k, v in files.items() if k.startswith("_scrubber/state/")}


def test_ray_engine_sample_pipeline_is_byte_identical_to_local(
    tmp_path: Path, sample_config: Path, local_reference: Path, local_ray: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCRUBBER_KEY", KEY)
    assert scrub(tmp_path / "ray", sample_config, *FULL, "--engine", "ray") == 0

    local_tree, ray_tree = tree(local_reference), tree(tmp_path / "ray")
    assert sorted(ray_tree) == sorted(local_tree)
    assert [p for p in local_tree if ray_tree[p] != local_tree[p]] == []
    # The run really deduplicated and scrubbed (so the comparison is not between two empty trees).
    totals = report(tmp_path / "ray")["totals"]
    local_totals = report(local_reference)["totals"]
    assert totals["docs_dropped"] > 0 and totals["docs_out"] == local_totals["docs_out"]
    assert any(p.startswith("_scrubber/state/02-dedup_repeats/decisions/") for p in ray_tree)


def test_ray_engine_url_out_and_inputs_with_state_dir_match_local_and_resume(
    tmp_path: Path, sample_config: Path, local_reference: Path, local_ray: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Inputs read and OUT written through fsspec by the actors; dedup state in --state-dir; a rerun
    after a crash redoes only the unfinished shards (one test: a Ray run of this pipeline is costly)."""
    monkeypatch.setenv("SCRUBBER_KEY", KEY)
    shutil.copytree(SAMPLES, tmp_path / "in")
    out, state = tmp_path / "out", tmp_path / "state"
    command = (*FULL, "--engine", "ray", "--state-dir", str(state))
    assert scrub(objdir_fs.url(out), sample_config, *command, inputs=objdir_fs.url(tmp_path / "in")) == 0

    reference = tree(local_reference)
    got = tree(out)
    assert sorted(got) == sorted(without_state(reference))  # no state under OUT, nothing missing
    assert [p for p in got if got[p] != reference[p]] == []
    # The dedup state itself (partials, resolved partitions, decisions) is the local engine's, byte for byte.
    assert deterministic_files(state) == state_of(reference)
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]  # every temporary object was moved into place
    assert report(objdir_fs.url(out))["totals"]["docs_dropped"] > 0

    crash_after_four_shards(out)
    assert scrub(objdir_fs.url(out), sample_config, *command, inputs=objdir_fs.url(tmp_path / "in")) == 0
    totals = report(objdir_fs.url(out))["totals"]
    assert (totals["shards_done"], totals["shards_skipped"]) == (2, 4)
    assert tree(out) == got and deterministic_files(state) == state_of(reference)


def crash_after_four_shards(out: Path) -> None:
    """What a crash leaves: two shards' outputs, done markers and dropped indexes are gone."""
    for rel in ("web/forum.jsonl", "articles/news.parquet"):
        (out / rel).unlink()
        (out / "_scrubber" / "done" / f"{rel}.json").unlink()
    shutil.rmtree(out / "_scrubber" / "dropped" / "articles", ignore_errors=True)


def test_ray_engine_resume_redoes_only_unfinished_shards_with_file_uris(
    tmp_path: Path, sample_config: Path, local_ray: None,
) -> None:
    out = tmp_path / "out"
    uri_in, uri_out = SAMPLES.as_uri(), out.as_uri()
    assert uri_in.startswith("file://")
    command = ("--mode", "fast", "--engine", "ray")
    assert scrub(uri_out, sample_config, *command, inputs=uri_in) == 0
    first = tree(out)
    assert report(out)["totals"]["shards_done"] == 6

    crash_after_four_shards(out)
    assert scrub(uri_out, sample_config, *command, inputs=uri_in) == 0

    totals = report(out)["totals"]
    assert (totals["shards_done"], totals["shards_skipped"]) == (2, 4)
    assert totals["docs_in"] == 618  # skipped shards' counters still count, from their markers
    assert tree(out) == first


def test_ray_engine_url_out_with_dedup_needs_state_dir(
    tmp_path: Path, sample_config: Path, local_ray: None, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    assert scrub(objdir_fs.url(out), sample_config, "--mode", "fast", "--engine", "ray") == 2
    err = capsys.readouterr().err
    assert "--state-dir" in err and "dedup_exact" in err
    assert not out.exists()  # refused before anything was written


@pytest.mark.parametrize("progress", [True, False])
def test_ray_engine_progress_counts_every_document_only_when_shown(
    tmp_path: Path, passthrough_config: Path, local_ray: None, progress: bool,
) -> None:
    """With a display the actors' counts reach the driver (the last line has every document); without
    one (``--no-progress``, no terminal) the actors send nothing and nothing is printed."""
    from scrubber.config import load_config
    from scrubber.engines.ray_engine import RayRunner

    shutil.copytree(SAMPLES / "web", tmp_path / "in")
    stream = io.StringIO()
    runner = RayRunner(load_config(str(passthrough_config)), tmp_path / "out", progress=progress, stream=stream)
    assert runner.run([str(tmp_path / "in")]).exit_code == 0
    totals = report(tmp_path / "out")["totals"]
    records = totals["docs_in"] + totals["quarantined"]  # progress counts every record read
    lines = stream.getvalue().splitlines()
    if progress:
        assert totals["docs_in"] > 0 and lines and f"shards 3/3, {records:,} docs" in lines[-1]
    else:
        assert lines == []


def test_ray_engine_workers_flag_caps_the_actor_pool(
    tmp_path: Path, passthrough_config: Path, local_ray: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--workers N`` with ``--engine ray`` is a cap a user sets on a shared cluster; without it the
    pool has one actor per cluster CPU (2 here)."""
    sizes: list[int] = []
    pool_strategy = ray.data.ActorPoolStrategy

    def spy(**kwargs: int) -> object:
        sizes.append(kwargs["size"])
        return pool_strategy(**kwargs)

    monkeypatch.setattr(ray.data, "ActorPoolStrategy", spy)
    shutil.copytree(SAMPLES / "web", tmp_path / "in")  # 3 shards: room for more actors than 1
    assert scrub(tmp_path / "capped", passthrough_config, "--engine", "ray", "--workers", "1",
                 inputs=str(tmp_path / "in")) == 0
    assert scrub(tmp_path / "default", passthrough_config, "--engine", "ray", inputs=str(tmp_path / "in")) == 0
    assert sizes == [1, 2]
    assert tree(tmp_path / "capped") == tree(tmp_path / "default")


def test_ray_engine_also_scrub_matches_local(tmp_path: Path, sample_config: Path, local_ray: None) -> None:
    """The columns and paths of ``--also-scrub`` reach every actor: Ray scrubs them exactly as the
    local engine does."""
    from conftest import write_jsonl

    for shard in range(2):
        write_jsonl(tmp_path / "in" / f"s{shard}.jsonl", [
            {"prompt": f"ask bob{i}@corp.com about card 4539 1488 0343 6467", "response": f"answer {i % 3}",
             "turns": [{"text": f"call +1 415 555 01{i:02d}"}, {"text": None}]}
            for i in range(6)])
    config = write_config(tmp_path / "c.yaml", "rules: " + str(sample_config.parent / "rules") +
                          "\nmode: fast\npipeline: [dedup_exact, detect, transform]\n")
    flags = ("--text-field", "response", "--also-scrub", "prompt", "--also-scrub", "turns[].text")
    assert scrub(tmp_path / "local", config, *flags, inputs=str(tmp_path / "in")) == 0
    assert scrub(tmp_path / "ray", config, *flags, "--engine", "ray", inputs=str(tmp_path / "in")) == 0
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")
    rows = [json.loads(x) for x in (tmp_path / "ray" / "s0.jsonl").read_text().splitlines()]
    assert [r["prompt"] for r in rows] == ["ask <EMAIL> about card <CREDIT_CARD>"] * 3  # 3 answers kept
    assert [r["turns"] for r in rows] == [[{"text": "call <PHONE>"}, {"text": None}]] * 3


@pytest.mark.parametrize(("field", "wrap"), [
    ("messages[].content", lambda messages: {"messages": messages}),
    ('chat["messages"][]["content"]', lambda messages: {"chat": {"lang": "en", "messages": messages}}),
])
def test_ray_engine_text_path_dedup_repeats_matches_local(tmp_path: Path, sample_config: Path, local_ray: None,
                                                          field: str, wrap: Callable[[list], dict]) -> None:
    """With chat messages as the main text, dedup_repeats cuts the same messages on Ray's actors as
    the local engine does: the first system prompt in corpus order stays, every later copy is ``""``;
    the same when the messages sit under a key of an object column (``chat["messages"]``)."""
    from conftest import write_jsonl

    system = "You are the support assistant of Example Corp. Answer briefly and stay polite."
    for shard in range(2):
        write_jsonl(tmp_path / "in" / f"s{shard}.jsonl", [
            wrap([{"role": "system", "content": system},
                  {"role": "user", "content": f"order {shard}-{i} is late, write to bob{shard}{i}@corp.com"}])
            for i in range(3)])
    config = write_config(tmp_path / "c.yaml", "rules: " + str(sample_config.parent / "rules") +
                          "\nmode: fast\npipeline: [dedup_exact, dedup_repeats: {min_tokens: 8, min_doc_chars: 0},"
                          " detect, transform]\n")
    flags = ("--text-field", field)
    assert scrub(tmp_path / "local", config, *flags, inputs=str(tmp_path / "in")) == 0
    assert scrub(tmp_path / "ray", config, *flags, "--engine", "ray", inputs=str(tmp_path / "in")) == 0
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")
    rows = [json.loads(x) for s in ("s0", "s1") for x in (tmp_path / "ray" / f"{s}.jsonl").read_text().splitlines()]
    assert [{**r, **({"chat": {**r["chat"], "messages": []}} if "chat" in r else {"messages": []})}
            for r in rows] == [wrap([])] * 6  # every other key as it was
    messages = [r["chat"]["messages"] if "chat" in r else r["messages"] for r in rows]
    assert [[m["content"] for m in chat] for chat in messages] == [
        [system if s == i == 0 else "", f"order {s}-{i} is late, write to <EMAIL>"] for s in range(2) for i in range(3)]

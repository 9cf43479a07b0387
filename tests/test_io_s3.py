"""``s3://`` end to end: inputs read and OUT written through s3fs against a real S3 HTTP API (issue #6).

There is no network to AWS here, so the bucket is served by moto's S3 server on 127.0.0.1: s3fs and
botocore speak the same HTTP protocol to it as to AWS (signed requests, multipart uploads, listings,
no rename: a move is copy then delete), and the endpoint is given the way a user points scrubber at
MinIO or another S3-compatible store, with ``AWS_ENDPOINT_URL``. Both engines must give the local
run's bytes, keep dedup state in ``--state-dir``, leave no temporary object behind, and resume by
redoing only the shards whose done marker is missing.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, tree, write_config

from scrubber.cli import main
from scrubber.io.outfs import output_location
from scrubber.runner.manifest import deterministic_files

s3fs = pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")
pytestmark = pytest.mark.slow

SAMPLES = ROOT / "data" / "samples"
PIPELINE = "rules: rules\npipeline:\n  - dedup_exact\n  - dedup_near\n  - dedup_repeats\n  - detect\n  - transform\n"
KEY = "s3-test-key-0123456789abcdef0123"
#: Keyed pseudonyms: identical surrogates also prove the key reached every worker.
COMMAND = ("--mode", "fast", "--operator", "pseudonymize", "--batch-size", "64")
#: Dummy credentials: botocore signs every request and refuses to run without some.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_env() -> Iterator[dict[str, str]]:
    """A local S3 server for the module, and the environment that points botocore at it."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request otherwise
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {**CREDENTIALS, "AWS_ENDPOINT_URL": f"http://{host}:{port}"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        s3fs.S3FileSystem.clear_instance_cache()  # an instance made before would keep its old endpoint
        yield env
        s3fs.S3FileSystem.clear_instance_cache()
    server.stop()


@pytest.fixture(scope="module")
def bucket(s3_env: dict[str, str]) -> str:
    """A bucket holding the sample shards under ``in/``."""
    fs = s3fs.S3FileSystem()
    fs.mkdir("samples")
    fs.put(str(SAMPLES), "samples/in", recursive=True)
    assert sorted(fs.find("samples/in")) == sorted(
        f"samples/in/{p.relative_to(SAMPLES).as_posix()}" for p in SAMPLES.rglob("*") if p.is_file())
    return "samples"


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("config")
    (folder / "rules").symlink_to(ROOT / "rules")
    return write_config(folder / "sample.yaml", PIPELINE)


@pytest.fixture(scope="module")
def local_reference(config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCRUBBER_KEY", KEY)
        assert scrub(str(SAMPLES), str(out), config, "--workers", "2") == 0
    return out


@pytest.fixture(scope="module")
def ray_cluster(s3_env: dict[str, str]) -> Iterator[None]:
    """A local 2-CPU Ray whose workers get the S3 endpoint, as a cluster's runtime_env would give it."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", runtime_env={"env_vars": s3_env})
    yield
    ray.shutdown()


def scrub(inputs: str, out: str, config: Path, *extra: str) -> int:
    return main(["run", inputs, "-o", out, "--config", str(config), "--no-progress", *COMMAND, *extra])


def without_state(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if not k.startswith("_scrubber/state/")}


def state_of(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k.removeprefix("_scrubber/state/"): v for k, v in files.items() if k.startswith("_scrubber/state/")}


@pytest.mark.parametrize("engine", ["local", pytest.param("ray", marks=pytest.mark.ray)])
def test_io_s3_in_and_out_match_local_paths_and_resume(
    engine: str, bucket: str, config: Path, local_reference: Path, tmp_path: Path,
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
) -> None:
    if engine == "ray":
        request.getfixturevalue("ray_cluster")
    monkeypatch.setenv("SCRUBBER_KEY", KEY)
    out_url, state = f"s3://{bucket}/out-{engine}", tmp_path / "state"
    command = ("--engine", engine, "--state-dir", str(state))
    assert scrub(f"s3://{bucket}/in", out_url, config, *command) == 0

    reference = tree(local_reference)
    got = deterministic_files(output_location(out_url))
    assert sorted(got) == sorted(without_state(reference))  # nothing missing, no state in the bucket
    assert [p for p in got if got[p] != reference[p]] == []
    assert deterministic_files(state) == state_of(reference)
    fs = s3fs.S3FileSystem()
    keys = fs.find(f"{bucket}/out-{engine}")
    assert keys and not [k for k in keys if ".tmp-" in k]  # every temporary object was moved into place
    report = json.loads(fs.cat(f"{bucket}/out-{engine}/_scrubber/report.json"))
    assert report["totals"]["docs_dropped"] > 0 and report["totals"]["shards_done"] == 6

    for rel in ("web/forum.jsonl", "articles/news.parquet"):  # what a crash after four shards leaves
        fs.rm(f"{bucket}/out-{engine}/{rel}")
        fs.rm(f"{bucket}/out-{engine}/_scrubber/done/{rel}.json")
    fs.invalidate_cache()
    assert scrub(f"s3://{bucket}/in", out_url, config, *command) == 0
    totals = json.loads(fs.cat(f"{bucket}/out-{engine}/_scrubber/report.json"))["totals"]
    assert (totals["shards_done"], totals["shards_skipped"]) == (2, 4)
    assert deterministic_files(output_location(out_url)) == got


def test_io_s3_missing_bucket_is_a_clear_error(
    s3_env: dict[str, str], config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert scrub("s3://no-such-bucket/in", str(tmp_path / "out"), config, "--state-dir", str(tmp_path / "s")) == 2
    err = capsys.readouterr().err
    assert "s3://no-such-bucket/in" in err
    assert "Traceback" not in err and os.environ["AWS_SECRET_ACCESS_KEY"] not in err

"""Ray stays optional: the default install never imports it, and a missing Ray is one clear error.

None of these tests needs Ray installed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, write_jsonl

from scrubber.config import load_config
from scrubber.engines.ray_engine import RayRunner, import_ray, input_location
from scrubber.errors import ConfigError
from scrubber.io.outfs import FsPath


@pytest.mark.parametrize(("location", "expected"), [
    ("file:///data/shards", Path("/data/shards")),
    ("file:/data/shards", Path("/data/shards")),          # what argparse's Path makes of file:///data/shards
    ("file:///data/my%20shards", Path("/data/my shards")),
    ("/data/shards", Path("/data/shards")),
    ("relative/out", Path.cwd() / "relative/out"),  # actors on other nodes have another working directory
    ("file:///data/out/", Path("/data/out")),
])
def test_ray_output_paths_and_file_uris_are_absolute_local_folders(
    location: str, expected: Path, passthrough_config: Path
) -> None:
    runner = RayRunner(load_config(str(passthrough_config)), location, progress=False,
                       state_dir=Path("relative/state"))
    assert runner.layout.root == expected
    assert runner.job.out_dir == expected  # what the actors write to
    assert runner.job.state_dir == Path.cwd() / "relative/state"


@pytest.mark.parametrize(("location", "expected"), [
    ("corpus", str(Path.cwd() / "corpus")),
    ("corpus/*.jsonl", str(Path.cwd() / "corpus/*.jsonl")),
    ("file:///data/my%20shards", "/data/my shards"),
])
def test_ray_local_inputs_are_made_absolute_for_the_actors(location: str, expected: str) -> None:
    assert input_location(location) == expected


def test_ray_output_url_is_written_through_fsspec(passthrough_config: Path) -> None:
    """A URL OUT is kept as a URL (the actors write it through fsspec), as in the local engine."""
    import fsspec
    from fsspec.implementations.local import LocalFileSystem

    class Remote(LocalFileSystem):
        protocol = ("scrubber-optional-test",)

    fsspec.register_implementation("scrubber-optional-test", Remote, clobber=True)
    runner = RayRunner(load_config(str(passthrough_config)), "scrubber-optional-test:///bucket/out/", progress=False)
    assert runner.layout.root == FsPath("scrubber-optional-test", "/bucket/out")


def test_ray_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` fail as if not installed
    with pytest.raises(ConfigError, match=r"scrubber\[ray\]"):
        import_ray()


def _run_call(tmp_path: Path, config: Path, *extra: str) -> str:
    """Python source calling ``scrubber.cli.main`` on a one-record shard with ``config``."""
    write_jsonl(tmp_path / "in" / "a.jsonl", [{"text": "hello"}])
    args = ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--config", str(config), *extra, "--no-progress"]
    return f"main({args!r})"


def test_ray_missing_extra_is_a_usage_error_on_the_command_line(tmp_path: Path, passthrough_config: Path) -> None:
    code = (
        "import sys; sys.modules['ray'] = None\n"
        "from scrubber.cli import main\n"
        f"sys.exit({_run_call(tmp_path, passthrough_config, '--engine', 'ray')})\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2
    assert "scrubber[ray]" in done.stderr


def test_ray_not_imported_by_package_or_local_engine(tmp_path: Path, passthrough_config: Path) -> None:
    code = (
        "import sys\n"
        "import scrubber, scrubber.api, scrubber.cli, scrubber.runner.local, scrubber.engines.ray_engine\n"
        "from scrubber.cli import main\n"
        f"rc = {_run_call(tmp_path, passthrough_config)}\n"
        "print(rc, sorted(m for m in sys.modules if m == 'ray' or m.startswith('ray.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stderr[-2000:]


def test_ray_shard_tasks_never_carry_the_key(tmp_path: Path) -> None:
    """Dataset rows may be spilled to disk by Ray: the task rows must hold a placeholder, not the Job."""
    import pickle

    from scrubber.config import load_config
    from scrubber.engines.ray_engine import RayRunner
    from scrubber.io.shards import discover
    from scrubber.runner.local import _scrub_task

    write_jsonl(tmp_path / "in" / "a.jsonl", [{"text": "hello"}])
    config = tmp_path / "p.yaml"
    config.write_text("pipeline:\n  - passthrough\n", encoding="utf-8")
    key = b"secret-key-bytes-that-must-stay-in-memory"
    runner = RayRunner(load_config(str(config)), tmp_path / "out", key=key, key_fingerprint="fp")
    spec = discover([str(tmp_path / "in")])[0]
    row = pickle.dumps(runner._ship((_scrub_task, (runner.job, spec, 0))))
    assert key not in row
    assert pickle.loads(row)[1][1:] == (spec, 0)


def _closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("scheme", ["", "ray://"])
def test_ray_unreachable_address_is_one_clear_error_before_anything_is_written(
    tmp_path: Path, passthrough_config: Path, capsys: pytest.CaptureFixture[str], scheme: str,
) -> None:
    """Ray itself retries an unreachable cluster for minutes; the run stops at once, exit code 2."""
    from scrubber.cli import main

    write_jsonl(tmp_path / "in" / "a.jsonl", [{"text": "hello"}])
    address = f"{scheme}127.0.0.1:{_closed_port()}"
    code = main(["run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--config", str(passthrough_config),
                 "--engine", "ray", "--address", address, "--no-progress"])
    assert code == 2
    err = capsys.readouterr().err
    assert f"--address {address}: no Ray cluster answers there" in err
    assert "ray start --head" in err
    assert not (tmp_path / "out").exists()


def test_ray_address_check_accepts_a_listening_port_and_leaves_other_forms_to_ray() -> None:
    import socket

    from scrubber.engines.ray_engine import check_reachable

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        check_reachable(f"127.0.0.1:{server.getsockname()[1]}")  # answers: no error
    for address in (None, "auto", "local"):
        check_reachable(address)

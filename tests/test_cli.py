"""`scrubber stages` lists every stage a config can name, with its options and defaults; the commands
behave in a shell pipeline."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from scrubber.cli import main
from scrubber.stages.registry import STAGES, stage_class


def test_cli_stages_lists_every_registered_stage_and_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stages"]) == 0
    out = capsys.readouterr().out
    for name in STAGES:
        assert f"\n{name}: " in f"\n{out}"
        options = stage_class(name).Options
        for field in dataclasses.fields(options):
            assert f"    {field.name} = " in out, f"{name}.{field.name} not listed"


def test_cli_unknown_operator_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", "x", "-o", "y", "--operator", "shred"])
    assert exc.value.code == 2
    assert "invalid choice: 'shred'" in capsys.readouterr().err


def test_cli_stages_shows_factory_defaults_not_required(capsys: pytest.CaptureFixture[str]) -> None:
    """An option with a default_factory (transform's ``operators``) has a default: it is optional."""
    assert main(["stages"]) == 0
    out = capsys.readouterr().out
    assert "    operators = {}\n" in out
    assert "(required)" not in out


def _with_closed_stdout(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``scrubber ARGS`` with stdout a pipe nobody reads any more, as ``scrubber ... | head`` ends."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "scrubber.cli", *args], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("command", ["stages", "run"])
def test_cli_reader_that_stops_early_is_not_a_failure(tmp_path: Path, command: str) -> None:
    """The shards are written before the summary is printed: the exit code stays the run's."""
    args = ["stages"] if command == "stages" else [
        "run", str(ROOT / "data" / "samples" / "web"), "-o", str(tmp_path / "out"), "--mode", "fast",
        "--no-progress"]
    done = _with_closed_stdout(*args)
    assert (done.returncode, "Traceback" in done.stderr) == (0, False), done.stderr[-2000:]
    if command == "run":
        assert (tmp_path / "out" / "_scrubber" / "report.json").is_file()


def test_cli_version_names_the_installed_release(capsys: pytest.CaptureFixture[str]) -> None:
    """`scrubber --version` goes into bug reports: it must match the packaged version, not a copy."""
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"scrubber {version('scrubber')}"

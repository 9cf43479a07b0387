"""`scrubber stages` lists every stage a config can name, with its options and defaults."""

from __future__ import annotations

import dataclasses

import pytest

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

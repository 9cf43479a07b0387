"""The README's examples run as written, and its set-up commands and config keys match the code."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scrubber.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_readme_shows_both_setup_commands() -> None:
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[f"block{i}" for i in range(len(PYTHON_BLOCKS))])
def test_readme_python_examples_run(block: str, tmp_path: Path) -> None:
    if "import ray" in block:
        pytest.importorskip("ray")
    proc = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_readme_documents_every_setting() -> None:
    for f in dataclasses.fields(Settings):
        assert re.search(rf"^{f.name}:", README, re.M), f"README config reference lacks {f.name}"


def test_readme_command_reference_matches_help() -> None:
    """The README's command reference is the real ``--help``: a new or changed flag fails until documented."""
    import os

    env = dict(os.environ, COLUMNS="100")
    proc = subprocess.run([sys.executable, "-m", "scrubber.cli", "run", "--help"], capture_output=True, text=True,
                          env=env, cwd=ROOT)
    assert proc.stdout in README, "README's command reference is stale: paste `COLUMNS=100 scrubber run --help`"


def test_readme_config_example_is_valid(tmp_path: Path) -> None:
    """The configuration reference in the README loads as written (every key exists, every value fits)."""
    from scrubber.config import DEFAULT_PIPELINE, load_config

    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", README, flags=re.S) if "pipeline:" in b]
    path = tmp_path / "readme.yaml"
    path.write_text(block.replace("rules: rules/", f"rules: {ROOT / 'rules'}"), encoding="utf-8")
    config = load_config(path)
    assert [s.name for s in config.pipeline][:3] == ["dedup_exact", "dedup_near", "dedup_repeats"]
    assert ", ".join(f"`{name}`" for name in DEFAULT_PIPELINE[:3]) in README.replace("\n", " ")


def test_readme_operator_examples_are_the_checked_ones() -> None:
    """README rows are copies of docs/transform.md's table, which tests/test_transform_docs.py runs."""
    docs = (ROOT / "docs" / "transform.md").read_text(encoding="utf-8")
    checked = docs.split("<!-- examples:start -->")[1].split("<!-- examples:end -->")[0]
    section = README.split("<!-- operator-examples -->")[1].split("\n\n")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert {r.split("|")[1].strip() for r in rows} >= {"`redact`", "`mask`", "`hash`", "`pseudonymize`", "`keep`"}
    for row in rows:
        assert row in checked, f"README example not in the checked table: {row}"

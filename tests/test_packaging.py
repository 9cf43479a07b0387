"""The wheel users install carries everything a run needs: default rules and surrogate name lists.

An installed scrubber has no repository around it: if a rules or data file is left out of the wheel,
the default pipeline fails (or silently runs with fewer rules) only on users' machines. The test builds
the wheel from a copy of the sources, imports the package from the unpacked wheel alone, and scrubs a
file with the default rules from there.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, write_jsonl

SOURCES = ("pyproject.toml", "README.md", "scrubber", "rules")


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in SOURCES:  # a copy, so the build leaves no build/ or egg-info in the checkout
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work / "dist"),
         str(src)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = (work / "dist").glob("scrubber-*.whl")
    site = work / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return site


@pytest.mark.slow
def test_packaging_wheel_carries_the_default_rules_and_data(unpacked_wheel: Path) -> None:
    rules = unpacked_wheel / "scrubber" / "data" / "rules"
    shipped = sorted(p.relative_to(ROOT / "rules") for p in (ROOT / "rules").rglob("*") if p.is_file())
    assert shipped
    for rel in shipped:
        assert filecmp.cmp(ROOT / "rules" / rel, rules / rel, shallow=False), f"rules/{rel} differs in the wheel"
    names = sorted(p.name for p in (ROOT / "scrubber" / "transform" / "data").glob("*.txt"))
    assert names and all((unpacked_wheel / "scrubber" / "transform" / "data" / n).is_file() for n in names)


@pytest.mark.slow
def test_packaging_installed_wheel_scrubs_with_its_own_rules(unpacked_wheel: Path, tmp_path: Path) -> None:
    """Run from a folder outside the checkout, with only the unpacked wheel on the path for scrubber
    (its dependencies come from the test environment)."""
    src = write_jsonl(tmp_path / "in" / "a.jsonl", [{"text": "write to jane.roe@corp.com or call (415) 555-2671"}])
    out = tmp_path / "out"
    script = (
        "import sys, scrubber, scrubber.stages.base as b; "
        "print(scrubber.__file__); print(b.default_rules_dir()); "
        "from scrubber.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    env = {**os.environ, "PYTHONPATH": str(unpacked_wheel), "SCRUBBER_KEY": "packaging-test-key-0123456789abcdef"}
    proc = subprocess.run(
        [sys.executable, "-c", script, "run", str(src.parent), "-o", str(out), "--mode", "fast",
         "--operator", "pseudonymize", "--no-progress"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    module_file, rules_dir = proc.stdout.splitlines()[:2]
    assert Path(module_file).is_relative_to(unpacked_wheel)
    assert Path(rules_dir) == unpacked_wheel / "scrubber" / "data" / "rules"
    (row,) = [json.loads(x) for x in (out / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "jane.roe" not in row["text"] and "555-2671" not in row["text"]
    assert "@" in row["text"]  # pseudonymized (names list from the wheel's data), not redacted

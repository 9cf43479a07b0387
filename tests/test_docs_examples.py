"""The Python examples in docs/*.md run as written (the README's are run by tests/test_readme.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCKS = [(doc.name, block) for doc in sorted((ROOT / "docs").glob("*.md"))
          for block in re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S)]


def test_docs_have_python_examples() -> None:
    assert any(name == "detection.md" for name, _ in BLOCKS)


@pytest.mark.parametrize("name, block", BLOCKS, ids=[f"{name}-{i}" for i, (name, _) in enumerate(BLOCKS)])
def test_docs_python_examples_run(name: str, block: str, tmp_path: Path) -> None:
    # A line `expr   # value` states what the expression gives: check it, as a reader would.
    checked = "from scrubber.records import Span\n" + re.sub(r"^(\S[^#\n]*?)\s+# (\[.*)$", r"assert \1 == \2",
                                                               block, flags=re.M)
    proc = subprocess.run([sys.executable, "-c", checked], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_package_docstring_names_only_what_exists() -> None:
    """It showed ``from scrubber import build_stages``, which never existed."""
    import scrubber
    import scrubber.api

    for module, name in re.findall(r"from (scrubber[\w.]*) import (\w+)", scrubber.__doc__ or ""):
        assert hasattr(sys.modules[module], name), f"{module}.{name} does not exist"

"""scrubber's own processes skip presidio-analyzer's transformers import; library users keep theirs."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, write_jsonl

pytestmark = pytest.mark.skipif(importlib.util.find_spec("transformers") is None,
                                reason="transformers is not installed, nothing to skip")


def _python(code: str, cwd: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_lean_imports_cli_run_detects_without_importing_transformers(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in" / "a.jsonl", [{"text": "mail jane.roe@corp.com"}])
    code = (
        "import json, sys\n"
        "from scrubber.cli import main\n"
        f"rc = main(['run', {str(src)!r}, '-o', {str(tmp_path / 'out')!r}, '--mode', 'fast', '--no-progress'])\n"
        "loaded = 'transformers' in sys.modules\n"
        "import transformers  # still importable afterwards, by anyone\n"
        "print(json.dumps({'rc': rc, 'loaded': loaded, 'presidio': 'presidio_analyzer' in sys.modules}))\n"
    )
    result = _python(code, tmp_path)
    assert result == {"rc": 0, "loaded": False, "presidio": True}
    assert "<EMAIL>" in (tmp_path / "out" / "a.jsonl").read_text(encoding="utf-8")


def test_lean_imports_library_use_keeps_normal_imports(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "import scrubber.detect.stage\n"
        "print(json.dumps({'loaded': 'transformers' in sys.modules}))\n"
    )
    assert _python(code, tmp_path) == {"loaded": True}

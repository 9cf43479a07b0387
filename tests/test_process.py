"""scrubber's own processes collect young garbage less often; library users keep Python's defaults."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, write_jsonl


def _python(code: str, cwd: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_process_cli_run_raises_the_young_collection_threshold(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in" / "a.jsonl", [{"text": "mail jane.roe@corp.com"}])
    code = (
        "import gc, json\n"
        "from scrubber.cli import main\n"
        f"rc = main(['run', {str(src)!r}, '-o', {str(tmp_path / 'out')!r}, '--mode', 'fast', '--no-progress'])\n"
        "print(json.dumps({'rc': rc, 'young': gc.get_threshold()[0]}))\n"
    )
    assert _python(code, tmp_path) == {"rc": 0, "young": 10_000}
    assert "<EMAIL>" in (tmp_path / "out" / "a.jsonl").read_text(encoding="utf-8")


def test_process_prepare_never_lowers_a_raised_threshold_and_library_use_keeps_the_default(tmp_path: Path) -> None:
    code = (
        "import gc, json\n"
        "import scrubber.detect.stage\n"
        "library = gc.get_threshold()[0]\n"
        "gc.set_threshold(50_000, 10, 10)\n"
        "from scrubber import process\n"
        "process.prepare()\n"
        "print(json.dumps({'library': library, 'after': gc.get_threshold()[0]}))\n"
    )
    assert _python(code, tmp_path) == {"library": 700, "after": 50_000}

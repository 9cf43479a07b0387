"""scrubber's own processes are set up for scrubbing (scrubber/process.py): no ``transformers``
through presidio-analyzer, young garbage collected less often. Library users keep Python's normal
imports and defaults."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from conftest import python_json, write_jsonl

#: Whether there is a transformers to skip (the dev extra installs it; a bare install may not).
HAS_TRANSFORMERS = importlib.util.find_spec("transformers") is not None


def test_process_cli_run_skips_transformers_and_collects_less_often(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in" / "a.jsonl", [{"text": "mail jane.roe@corp.com"}])
    code = (
        "import gc, importlib.util, json, sys\n"
        "from scrubber.cli import main\n"
        f"rc = main(['run', {str(src)!r}, '-o', {str(tmp_path / 'out')!r}, '--mode', 'fast', '--no-progress'])\n"
        "loaded = 'transformers' in sys.modules\n"
        "if importlib.util.find_spec('transformers'):\n"
        "    import transformers  # still importable afterwards, by anyone\n"
        "print(json.dumps({'rc': rc, 'loaded': loaded, 'presidio': 'presidio_analyzer' in sys.modules,\n"
        "                  'young': gc.get_threshold()[0], 'frozen': gc.get_freeze_count() > 0}))\n"
    )
    assert python_json(code, tmp_path) == {"rc": 0, "loaded": False, "presidio": True, "young": 100_000,
                                           "frozen": True}
    assert "<EMAIL>" in (tmp_path / "out" / "a.jsonl").read_text(encoding="utf-8")


def test_process_library_use_keeps_normal_imports_and_defaults(tmp_path: Path) -> None:
    """Scrubbing a batch through the library leaves the caller's collector as it was: nothing frozen
    (gc.freeze would take the caller's objects too, and keep its garbage cycles alive)."""
    code = (
        "import gc, json, sys\n"
        "from scrubber.api import load_pipeline\n"
        "out = load_pipeline(mode='fast')({'text': ['mail jane.roe@corp.com']})\n"
        "print(json.dumps({'loaded': 'transformers' in sys.modules, 'young': gc.get_threshold()[0],\n"
        "                  'frozen': gc.get_freeze_count(), 'text': out['text'][0]}))\n"
    )
    assert python_json(code, tmp_path) == {"loaded": HAS_TRANSFORMERS, "young": 700, "frozen": 0,
                                           "text": "mail <EMAIL>"}


def test_process_prepare_never_lowers_a_raised_threshold(tmp_path: Path) -> None:
    code = (
        "import gc, json\n"
        "gc.set_threshold(500_000, 10, 10)\n"
        "from scrubber import process\n"
        "process.prepare()\n"
        "print(json.dumps({'after': gc.get_threshold()[0]}))\n"
    )
    assert python_json(code, tmp_path) == {"after": 500_000}

"""End to end through the CLI: planted PII and the key appear in no artifact, for every operator.

Spans are supplied in the input's ``_scrubber_spans`` column (as detection would add them), so this
test exercises transform, drop_document, audit, report, state and logs without depending on detection.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEY = "leak-test-key-0123456789abcdef"

PLANTED = {
    "PERSON": "Zebulon Quartermaine",
    "EMAIL_ADDRESS": "zebulon.q@planted-corp.com",
    "PHONE_NUMBER": "+44 20 7946 0958",
    "CREDIT_CARD": "4929 1234 5678 9012",
    "IBAN_CODE": "GB82 WEST 1234 5698 7654 32",
    "US_SSN": "321-54-9876",
    "IP_ADDRESS": "93.184.216.34",
    "GITHUB_TOKEN": "ghp_PLANTEDq7Rk2mW9xTb4VnY7cJp3HsD6fGa1E",
    "BRAND_NEW_TYPE": "Xq7-plant-zz",
}
# Forms a leak could take besides the exact string: case-folded, digits without separators.
NEEDLES = sorted({v for value in PLANTED.values() for v in (value, value.casefold(), value.replace(" ", ""),
                                                              value.replace("-", ""))} | {"Quartermaine", KEY})


def make_input(path: Path) -> None:
    rows = []
    for i, (entity_type, value) in enumerate(PLANTED.items()):
        text = f"Row {i}: the value {value} appears here, and again: {value}."
        spans = [{"start": s, "end": s + len(value), "entity_type": entity_type, "score": 0.8,
                  "recognizer": "planted"} for s in (text.index(value), text.rindex(value))]
        rows.append({"id": i, "text": text, "_scrubber_spans": spans})
    # A PII-dense row that drop_document removes (its dropped index must not carry text either).
    dense = " ".join(PLANTED.values())
    spans, pos = [], 0
    for entity_type, value in PLANTED.items():
        spans.append({"start": pos, "end": pos + len(value), "entity_type": entity_type})
        pos += len(value) + 1
    rows.append({"id": 99, "text": dense, "_scrubber_spans": spans})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def run_and_collect(tmp_path: Path, operator: str, *flags: str) -> dict[str, str]:
    """Run the CLI on ``tmp_path/in.jsonl`` with ``cfg.yaml``, a key file, the audit and ``operator``
    in a fresh process; return every artifact's text (stdout, stderr, each file under OUT)."""
    (tmp_path / "key").write_text(KEY + "\n")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "SCRUBBER_KEY"} | {"PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "scrubber.cli", "run", str(tmp_path / "in.jsonl"), "-o", str(out),
         "--config", str(tmp_path / "cfg.yaml"), "--key-file", str(tmp_path / "key"), "--operator", operator,
         "--audit", "--no-progress", *flags],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    artifacts = {"stdout": done.stdout, "stderr": done.stderr}
    for path in out.rglob("*"):
        if path.is_file():
            artifacts[str(path.relative_to(out))] = path.read_bytes().decode("utf-8", "replace")
    return artifacts


@pytest.mark.parametrize("operator", ["redact", "mask", "hash", "pseudonymize"])
def test_transform_leaks_none_in_any_artifact(tmp_path: Path, operator: str) -> None:
    make_input(tmp_path / "in.jsonl")
    (tmp_path / "cfg.yaml").write_text(
        "pipeline:\n  - dedup_exact\n  - drop_document: {max_count: 4}\n  - transform: {audit: true}\n"
    )
    artifacts = run_and_collect(tmp_path, operator)
    assert any("audit" in name for name in artifacts) and any("dropped" in name for name in artifacts)
    audit = next(text for name, text in artifacts.items() if "audit" in name)
    assert len(audit.splitlines()) == 2 * len(PLANTED)  # every planted span was replaced and audited
    for name, text in artifacts.items():
        folded = text.casefold()
        found = [n for n in NEEDLES if n.casefold() in folded]
        assert not found, f"{name} leaks {len(found)} planted value(s)"


#: Values fast detection finds wherever they are, planted in a second column and in chat messages.
DETECTED = {
    "EMAIL_ADDRESS": "zebulon.q@planted-corp.com",
    "CREDIT_CARD": "4539 1488 0343 6467",  # (a valid checksum: detection checks it)
    "US_SSN": "321-54-9876",
    "GITHUB_TOKEN": "ghp_PLANTEDq7Rk2mW9xTb4VnY7cJp3HsD6fGa1E",
}


@pytest.mark.parametrize("operator", ["redact", "mask", "hash", "pseudonymize"])
def test_transform_leaks_none_from_also_scrub_columns_or_text_paths(tmp_path: Path, operator: str) -> None:
    """Values in an ``--also-scrub`` column and inside chat messages reach no artifact either."""
    rows = []
    for i, value in enumerate(DETECTED.values()):
        rows.append({"id": i, "text": f"plain row {i}", "prompt": f"my value is {value} ok",
                     "messages": [{"role": "user", "content": f"again {value} here"}, {"content": None}]})
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text("mode: fast\npipeline:\n  - dedup_exact\n  - detect\n  - transform\n")
    artifacts = run_and_collect(tmp_path, operator, "--also-scrub", "prompt", "--also-scrub", "messages[].content")
    audit = next(text for name, text in artifacts.items() if "audit" in name)
    assert len(audit.splitlines()) == 2 * len(DETECTED)  # each value replaced in the column and the message
    needles = {v for value in DETECTED.values() for v in (value, value.replace(" ", ""), value.replace("-", ""))}
    for name, text in artifacts.items():
        found = [n for n in needles if n.casefold() in text.casefold()]
        assert not found, f"{name} leaks {len(found)} planted value(s)"

"""Same key -> byte-identical surrogates in separate processes and runs; another key -> different."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in a fresh interpreter: nothing (caches, hash seeds, import order) is shared with the test.
CHILD = r"""
import json, sys
from scrubber.records import Batch, Span
from scrubber.transform.stage import TransformStage

cases = json.loads(sys.stdin.read())
out = {}
for operator in ("pseudonymize", "hash"):
    stage = TransformStage.from_config({"operator": operator})  # key from the environment
    batch = Batch({"text": [c["text"] for c in cases]})
    batch.set_spans([[Span(*s) for s in c["spans"]] for c in cases])
    out[operator] = stage.run(batch).texts
sys.stdout.write(json.dumps(out, ensure_ascii=False))
"""

CASES = [
    {"text": "John Smith <john.smith@corp.com> +44 20 7946 0958", "spans": [[0, 10, "PERSON"],
                                                                          [12, 31, "EMAIL_ADDRESS"],
                                                                          [33, 49, "PHONE_NUMBER"]]},
    {"text": "card 4111 1111 1111 1111 iban DE89 3704 0044 0532 0130 00",
     "spans": [[5, 24, "CREDIT_CARD"], [30, 57, "IBAN_CODE"]]},
    {"text": "ssn 123-45-6789 from 8.8.8.8 key AKIAIOSFODNN7EXAMPLE; Smith again",
     "spans": [[4, 15, "US_SSN"], [21, 28, "IP_ADDRESS"], [33, 53, "AWS_ACCESS_KEY"], [55, 60, "PERSON"]]},
]


def transform_in_subprocess(key: str, hash_seed: str) -> dict[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k != "SCRUBBER_KEY"}
    env.update(SCRUBBER_KEY=key, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(ROOT))
    # Read the key as the CLI does, so the environment path is exercised too.
    code = CHILD.replace(
        'TransformStage.from_config({"operator": operator})',
        'TransformStage.from_config({"operator": operator}, key=__import__("scrubber.transform.keys", '
        'fromlist=["load_key"]).load_key(None))',
    )
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(CASES), capture_output=True,
                          text=True, env=env, cwd=ROOT, check=True, timeout=120)
    return json.loads(done.stdout)


def test_transform_consistency_two_processes_two_runs_same_key() -> None:
    key = "consistency-key-0123456789"
    runs = [transform_in_subprocess(key, seed) for seed in ("1", "2", "3")]
    assert runs[0] == runs[1] == runs[2]
    other = transform_in_subprocess("a-different-key-0123456789", "1")
    for operator in ("pseudonymize", "hash"):
        for same, different in zip(runs[0][operator], other[operator], strict=True):
            assert same != different
    # Within-document consistency survived the process boundary: "Smith" follows "John Smith".
    first_doc, third_doc = runs[0]["pseudonymize"][0], runs[0]["pseudonymize"][2]
    assert third_doc.endswith(first_doc.split()[1] + " again")

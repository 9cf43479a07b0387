"""The run report: per-shard and total counters in ``OUT/_scrubber/report.json`` and a short summary.

It holds counts, sizes, seconds, reasons, file names and fingerprints — never record text.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from scrubber.io.outfs import OutPath, write_json
from scrubber.runner.progress import human_bytes
from scrubber.runner.shard import ShardResult

#: Counters per stage shown in the terminal summary (the largest); report.json has them all.
SUMMARY_COUNTERS = 6


def _add(into: dict[str, Any], values: dict[str, Any]) -> None:
    for key, value in values.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            into[key] = round(into.get(key, 0) + value, 6)


def build_report(
    results: list[ShardResult], *, config_source: str, fingerprint: str, key_fingerprint: str | None,
    failures: list[dict[str, str]], seconds: float, version: str,
) -> dict[str, Any]:
    totals: dict[str, Any] = {}
    stages: dict[str, dict[str, Any]] = {}
    shards: dict[str, Any] = {}
    status: Counter[str] = Counter()
    for result in sorted(results, key=lambda r: r.relpath):
        if not result.ok:
            status["failed"] += 1
            shards[result.relpath] = {"status": "failed", "error": result.error}
            continue
        status["skipped" if result.skipped else "done"] += 1
        _add(totals, result.counters)
        for label, counters in result.stages.items():
            _add(stages.setdefault(label, {}), counters)
        shards[result.relpath] = {
            "status": "skipped (already done)" if result.skipped else "done",
            **result.counters,
            "stages": result.stages,
        }
    totals.pop("seconds", None)
    totals.update({"shards_done": status["done"], "shards_skipped": status["skipped"],
                   "shards_failed": status["failed"]})
    return {
        "scrubber_version": version,
        "config": config_source,
        "config_fingerprint": fingerprint,
        "key_fingerprint": key_fingerprint,
        "wall_seconds": round(seconds, 3),
        "totals": dict(sorted(totals.items())),
        "stages": stages,
        "failures": failures,
        "shards": shards,
    }


def write_report(path: OutPath, report: dict[str, Any]) -> None:
    write_json(path, report)


def write_manifest(path: OutPath, markers: list[dict[str, Any]]) -> None:
    """Finished shards with their input checksum and the config fingerprint, in one file."""
    write_json(path, {"shards": [
        {"relpath": m["relpath"], "input_sha256": m["input"].get("sha256"), "config": m["config"]}
        for m in sorted(markers, key=lambda m: m["relpath"])
    ]})


def summary(report: dict[str, Any], out_dir: OutPath) -> str:
    """A few lines for the terminal: what went in, what came out, what was removed, what failed."""
    t = report["totals"]
    lines = [
        f"scrubber: {t.get('shards_done', 0)} shard(s) scrubbed, {t.get('shards_skipped', 0)} already done, "
        f"{t.get('shards_failed', 0)} failed, in {report['wall_seconds']:.1f} s",
        f"  documents: {t.get('docs_in', 0):,} in, {t.get('docs_out', 0):,} out, "
        f"{t.get('docs_dropped', 0):,} dropped, {t.get('quarantined', 0):,} quarantined",
        f"  text: {human_bytes(t.get('bytes_in', 0))} in, {human_bytes(t.get('bytes_out', 0))} out",
    ]
    drops = {k[len('dropped_'):]: v for k, v in t.items() if k.startswith("dropped_")}
    if drops:
        lines.append("  dropped by reason: " + ", ".join(f"{k} {v:,}" for k, v in sorted(drops.items())))
    for label, counters in report["stages"].items():
        timings = ("seconds", "index_seconds", "resolve_seconds")
        values = sorted(((k, v) for k, v in counters.items() if k not in timings and v), key=lambda kv: -kv[1])
        shown = ", ".join(f"{k} {v:,}" for k, v in sorted(values[:SUMMARY_COUNTERS]))
        more = f" (+{len(values) - SUMMARY_COUNTERS} more in the report)" if len(values) > SUMMARY_COUNTERS else ""
        passes = "".join(f", {k.split('_')[0]} {counters[k]:.2f} s" for k in timings[1:] if k in counters)
        lines.append(f"  {label}: {counters.get('seconds', 0):.2f} s{passes}" + (f"; {shown}{more}" if shown else ""))
    for failure in report["failures"]:
        lines.append(f"  FAILED {failure['file']}: {failure['reason']}")
    if t.get("quarantined"):
        lines.append(f"  quarantined records: {out_dir / '_rejects'}")
    lines.append(f"  report: {out_dir / '_scrubber' / 'report.json'}")
    return "\n".join(lines)


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, sort_keys=True)

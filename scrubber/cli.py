"""Command line: ``scrubber run INPUT... -o OUT`` and ``scrubber stages``.

Exit codes: 0 every shard scrubbed; 1 at least one input file failed (the others were still
scrubbed, the report names the failures); 2 the command, config, rules or key are wrong, or the
output folder holds a different run (nothing was written).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

from scrubber import __version__, process
from scrubber.config import load_config
from scrubber.errors import ConfigError, ResumeConflict

EXIT_OK, EXIT_SHARD_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scrubber",
        description="Remove personal data and repeated sequences from training-data shards.",
    )
    # The version goes into bug reports and next to a corpus's provenance; report.json records it too.
    parser.add_argument("--version", action="version", version=f"scrubber {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="scrub shards into an output folder",
                         description="Scrub every shard of the inputs (files, folders or globs) into OUT, "
                                     "mirroring relative paths, formats and compression.")
    run.add_argument("inputs", nargs="+", metavar="INPUT",
                     help="a shard file, a folder (searched recursively) or a quoted glob")
    run.add_argument("-o", "--output", required=True, metavar="OUT",
                     help="output folder: a path, or an fsspec URL (s3://, gs://...)")
    run.add_argument("--config", metavar="YAML", help="pipeline config (default: the built-in pipeline)")
    run.add_argument("--text-field", dest="text_field", metavar="NAME",
                     help="column holding the text (default: text), or a text path into lists and objects: "
                          "'messages[].content', 'meta[\"text\"]'")
    run.add_argument("--also-scrub", dest="also_scrub", action="append", metavar="NAME",
                     help="another text column (or text path) to scrub, e.g. the prompt of a fine-tuning set "
                          "(repeat for more); dedup compares --text-field only")
    run.add_argument("--mode", choices=("fast", "full"),
                     help="detection mode: fast = patterns only, full = patterns + PERSON names (default)")
    run.add_argument("--operator", choices=("redact", "mask", "hash", "pseudonymize", "keep"),
                     help="apply this operator to every entity type (overrides rules/transform)")
    run.add_argument("--key-file", metavar="PATH",
                     help="secret key for hash/pseudonymize (else the SCRUBBER_KEY environment variable)")
    run.add_argument("--audit", action="store_true", default=None,
                     help="write OUT/_scrubber/audit/<shard>.jsonl (offsets, types, keyed fingerprints)")
    run.add_argument("--workers", type=int, metavar="N",
                     help="worker processes (default: 1); with --engine ray, at most N actors (default: one per "
                          "cluster CPU)")
    run.add_argument("--batch-size", dest="batch_size", type=int, metavar="N",
                     help="rows per batch; memory is bounded by this (default: 500)")
    run.add_argument("--state-dir", dest="state_dir", type=Path, metavar="PATH",
                     help="local or shared folder for dedup state (default: OUT/_scrubber/state; "
                          "required when OUT is a URL and the pipeline deduplicates)")
    run.add_argument("--overwrite", action="store_true",
                     help="redo everything even if OUT holds results of a different input or config")
    run.add_argument("--no-progress", dest="progress", action="store_false",
                     help="print no progress lines")
    run.add_argument("--engine", choices=("local", "ray"), default="local",
                     help="local processes (default) or a Ray cluster (needs scrubber[ray])")
    run.add_argument("--address", metavar="ADDR", help="Ray cluster address (default: start a local Ray)")
    sub.add_parser("stages", help="list the stages a config can use, with their options")
    return parser


def _load_key(key_file: str | None) -> tuple[bytes | None, str | None]:
    from scrubber.transform.keys import key_fingerprint, load_key

    key = load_key(key_file, os.environ)
    return key, (key_fingerprint(key) if key is not None else None)


def _emit(text: str) -> None:
    """Print to stdout, where a reader that stops early (``scrubber ... | head``) is not a failure: a
    run's shards are written by then, so its exit code must still be the run's, not a traceback's."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # Python flushes stdout again at exit and would report the same broken pipe there.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def cmd_run(args: argparse.Namespace) -> int:
    overrides = {
        "text_field": args.text_field, "mode": args.mode, "operator": args.operator,
        "also_scrub": tuple(args.also_scrub) if args.also_scrub else None,
        "workers": args.workers, "batch_size": args.batch_size, "audit": args.audit,
    }
    config = load_config(args.config, overrides)
    key, key_fp = _load_key(args.key_file)
    if args.engine == "ray":
        from scrubber.engines.ray_engine import RayRunner

        runner = RayRunner(config, args.output, key=key, key_fingerprint=key_fp, overwrite=args.overwrite,
                           progress=args.progress, address=args.address, state_dir=args.state_dir,
                           workers=args.workers)  # only an explicit --workers caps the pool
    else:
        from scrubber.runner.local import LocalRunner

        runner = LocalRunner(config, args.output, key=key, key_fingerprint=key_fp, overwrite=args.overwrite,
                             progress=args.progress, state_dir=args.state_dir)
    outcome = runner.run(args.inputs)
    from scrubber.runner.report import summary

    _emit(summary(outcome.report, runner.layout.root))
    return outcome.exit_code


def cmd_stages() -> int:
    from scrubber.stages.registry import STAGES, stage_class

    lines = []
    for name in STAGES:
        cls = stage_class(name)
        lines.append(f"{name}: {(cls.__doc__ or '').strip().splitlines()[0]}")
        if cls.Options is not type(None):
            for f in dataclasses.fields(cls.Options):
                if f.default is not dataclasses.MISSING:
                    default = repr(f.default)
                elif f.default_factory is not dataclasses.MISSING:  # e.g. transform's operators = {}
                    default = repr(f.default_factory())
                else:
                    default = "(required)"
                lines.append(f"    {f.name} = {default}")
    _emit("\n".join(lines))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    # Before anything heavy is imported: no transformers through presidio-analyzer (~1.3 CPU-s per
    # process) and fewer garbage collections (see scrubber.process). Should transformers be imported
    # anyway, it must not announce that PyTorch is missing.
    process.prepare()
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            return cmd_run(args)
        return cmd_stages()
    except (ConfigError, ResumeConflict) as exc:
        print(f"scrubber: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("scrubber: interrupted; finished shards are kept, rerun the same command to resume",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

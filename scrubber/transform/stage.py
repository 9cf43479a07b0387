"""The ``transform`` stage: rewrite each record's text from its detected spans.

For every row not already dropped, the spans in ``_scrubber_spans`` are resolved into a disjoint list
(:mod:`scrubber.transform.spans`), each is replaced by the operator its entity type maps to in
``rules/transform/operators.yaml`` (or the one ``operator`` option for every type), and the spans
column is removed because its offsets no longer match the text. With ``audit`` on, one record per
replaced span goes to ``batch.meta["audit"]`` — offsets in the *output* text and a keyed fingerprint
of the original value, never the value.

A missing key for a keyed operator (``hash``, ``pseudonymize``) or for the audit is a ConfigError at
construction, before any data is read.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scrubber.errors import ConfigError
from scrubber.records import DROP_COLUMN, SPANS_COLUMN, Batch, Span
from scrubber.stages.base import Stage, StageContext
from scrubber.transform.keyed_random import encode
from scrubber.transform.keys import derive_key, missing_key_error
from scrubber.transform.operators import OPERATORS, DocContext, Operator
from scrubber.transform.pseudonymizers import normalize
from scrubber.transform.rules import KEYED_OPERATORS, TransformRules, check_operator, load_rules
from scrubber.transform.spans import resolve_spans

#: Length of the audit fingerprint in hex characters (64 bits: collisions are negligible per corpus).
AUDIT_FINGERPRINT_HEX = 16
DEFAULT_RULES_FILE = "operators.yaml"


@dataclass(frozen=True, slots=True)
class TransformOptions:
    """Config keys of the ``transform`` stage. ``None`` means "as in rules/transform/operators.yaml"."""

    #: One operator for every entity type (the CLI's ``--operator``); None = per type from the rules.
    operator: str | None = None
    #: Per-type overrides on top of the rules, e.g. ``{PERSON: pseudonymize}``.
    operators: dict[str, str] = field(default_factory=dict)
    #: Operator for types listed nowhere (overrides the rules' ``default_operator``).
    default_operator: str | None = None
    token_format: str | None = None
    hash_format: str | None = None
    hash_length: int | None = None
    mask_char: str | None = None
    mask_keep_last: int | None = None
    #: File under ``rules/transform/``; a file other than the default must exist.
    rules_file: str = DEFAULT_RULES_FILE
    #: Emit one audit record per replaced span into ``batch.meta["audit"]`` (needs the key).
    audit: bool = False
    #: Keep ``_scrubber_spans`` after transforming (its offsets then refer to the ORIGINAL text).
    keep_spans: bool = False

    def __post_init__(self) -> None:
        if self.operator is not None:
            check_operator(self.operator, "operator")
        if self.default_operator is not None:
            check_operator(self.default_operator, "default_operator")
        for entity_type, name in self.operators.items():
            check_operator(name, f"operators.{entity_type}")


class TransformStage(Stage):
    """Replace detected spans with redaction tokens, masks, keyed hashes or consistent surrogates."""

    name = "transform"
    Options = TransformOptions
    transient = ("_operators", "_by_type", "_person_types", "_audit_key")

    def __init__(self, options: TransformOptions | None = None, context: StageContext | None = None) -> None:
        super().__init__(options, context)
        self.rules = self._effective_rules()
        keyed = [name for name in self._operator_names() if name in KEYED_OPERATORS]
        if self.context.key is None:
            if keyed:
                raise missing_key_error(f"operator {keyed[0]!r} (stage 'transform')")
            if self.options.audit:
                raise missing_key_error("the audit file (stage 'transform', audit: true) fingerprints "
                                        "original values with a keyed HMAC and")
        self._operators: dict[str, Operator] = {}
        self._by_type: dict[str, Operator] = {}
        self._person_types: frozenset[str] = frozenset()
        self._audit_key: bytes | None = None

    # -- configuration -------------------------------------------------------------------------
    def _effective_rules(self) -> TransformRules:
        """Rules file, then options on top; validated once so every error is raised here."""
        opts = self.options
        path = self.context.rules_dir / "transform" / opts.rules_file
        if opts.rules_file != DEFAULT_RULES_FILE and not path.exists():
            raise ConfigError(f"stage 'transform': rules_file {opts.rules_file!r} not found at {path}")
        rules = load_rules(self.context.rules_dir, opts.rules_file)
        overrides: dict[str, Any] = {
            name: getattr(opts, name)
            for name in ("default_operator", "token_format", "hash_format", "hash_length", "mask_char",
                         "mask_keep_last")
            if getattr(opts, name) is not None
        }
        if opts.operators:
            overrides["operators"] = {**rules.operators, **opts.operators}
        if opts.operator is not None:  # one operator for every type, listed or not
            overrides["operators"] = {}
            overrides["default_operator"] = opts.operator
        if not overrides:
            return rules
        values = {name: getattr(rules, name) for name in rules.__dataclass_fields__}
        values.update(overrides)
        try:
            return TransformRules(**values)
        except ValueError as exc:
            raise ConfigError(f"stage 'transform': {exc}") from None

    def _operator_names(self) -> set[str]:
        return {self.rules.default_operator, *self.rules.operators.values()}

    def operator_name(self, entity_type: str) -> str:
        """The operator an entity type gets (the rules' default for any type not listed)."""
        return self.rules.operators.get(entity_type, self.rules.default_operator)

    def setup(self) -> None:
        key = self.context.key
        self._operators = {name: OPERATORS[name](self.rules, key) for name in self._operator_names()}
        self._by_type = {}
        self._person_types = frozenset(t for t, kind in self.rules.pseudonymizers.items() if kind == "person")
        self._audit_key = derive_key(key, "audit/v1") if (self.options.audit and key) else None

    def _operator(self, entity_type: str) -> Operator:
        op = self._by_type.get(entity_type)
        if op is None:
            op = self._by_type[entity_type] = self._operators[self.operator_name(entity_type)]
        return op

    # -- processing ---------------------------------------------------------------------------
    def process(self, batch: Batch) -> Batch:
        raw_spans = batch.columns.get(SPANS_COLUMN)
        drops = batch.columns.get(DROP_COLUMN)
        texts = batch.texts
        self.counters["docs"] += len(texts)
        if raw_spans is None:
            return batch
        audit: list[dict[str, Any]] | None = batch.meta.setdefault("audit", []) if self.options.audit else None
        out = list(texts)
        for i, row_spans in enumerate(raw_spans):
            if drops is not None and drops[i] is not None:
                self.counters["docs_skipped_dropped"] += 1
                continue
            if not row_spans:
                continue
            text = texts[i]
            if not isinstance(text, str):
                self.counters["docs_not_text"] += 1
                continue
            spans = resolve_spans(text, (Span.from_dict(s) for s in row_spans), self.counters)
            records: list[dict[str, Any]] | None = [] if audit is not None else None
            new_text = self.rewrite(text, spans, records)
            if new_text != text:
                out[i] = new_text
                self.counters["docs_altered"] += 1
            if audit is not None and records:
                row = batch.first_row + i
                audit.extend({"source": batch.source, "row": row, **r} for r in records)
        batch.columns[batch.text_field] = out
        if not self.options.keep_spans:
            batch.columns.pop(SPANS_COLUMN, None)
        return batch

    def rewrite(self, text: str, spans: Sequence[Span], audit: list[dict[str, Any]] | None = None) -> str:
        """Replace disjoint, sorted ``spans`` in ``text``; append audit records with OUTPUT offsets."""
        self.ensure_setup()
        doc = DocContext(text, spans, self._person_types)
        pieces: list[str] = []
        pos = 0
        out_len = 0
        for span in spans:
            pieces.append(text[pos:span.start])
            out_len += span.start - pos
            op = self._operator(span.entity_type)
            value = text[span.start:span.end]
            new = op.apply(value, span.entity_type, doc)
            pieces.append(new)
            if op.replaces:
                self.counters["spans_replaced"] += 1
                self.counters[f"spans_{op.name}"] += 1
                if audit is not None:
                    audit.append({
                        "start": out_len,
                        "end": out_len + len(new),
                        "entity_type": span.entity_type,
                        "recognizer": span.recognizer,
                        "score": span.score,
                        "fingerprint": self.fingerprint(span.entity_type, value),
                    })
            else:
                self.counters["spans_kept"] += 1
            out_len += len(new)
            pos = span.end
        pieces.append(text[pos:])
        return "".join(pieces)

    def fingerprint(self, entity_type: str, value: str) -> str:
        """Keyed, truncated HMAC of the normalised value: joins audit rows without revealing values."""
        assert self._audit_key is not None
        kind = self.rules.pseudonymizers.get(entity_type, "shape")
        message = encode(entity_type) + b"\0" + encode(normalize(kind, value))
        return hmac.new(self._audit_key, message, hashlib.sha256).hexdigest()[:AUDIT_FINGERPRINT_HEX]

    def describe(self) -> dict[str, str]:
        """Operator per configured entity type plus ``*`` for the default (for the run report)."""
        return {**dict(sorted(self.rules.operators.items())), "*": self.rules.default_operator}

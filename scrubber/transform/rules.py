"""Load ``rules/transform/operators.yaml``: which operator each entity type gets and how tokens look.

The file is validated with the same checker as stage options (unknown keys and wrong types are
errors naming the file), because a misspelt entity type or operator silently falling back to a
default is how PII leaks.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scrubber.errors import ConfigError
from scrubber.options import parse_options

#: Operator names a rule may use; kept here (not in operators.py) so validation imports nothing heavy.
OPERATOR_NAMES = ("redact", "mask", "hash", "pseudonymize", "keep")
#: Operators that need the secret key.
KEYED_OPERATORS = frozenset({"hash", "pseudonymize"})


@dataclass(frozen=True, slots=True)
class TransformRules:
    """The content of ``operators.yaml`` (every key optional; these defaults apply when absent)."""

    version: int = 1
    #: Operator for any entity type not listed in ``operators`` (never crash on a new type).
    default_operator: str = "redact"
    operators: dict[str, str] = field(default_factory=dict)
    #: Entity type -> label used in tokens (``EMAIL_ADDRESS`` -> ``EMAIL``); unlisted types use
    #: their own name.
    labels: dict[str, str] = field(default_factory=dict)
    #: Entity type -> surrogate generator kind (see scrubber.transform.pseudonymizers.KINDS);
    #: unlisted types use ``shape``.
    pseudonymizers: dict[str, str] = field(default_factory=dict)
    token_format: str = "<{type}>"
    hash_format: str = "<{type}_{hash}>"
    hash_length: int = 12
    mask_char: str = "*"
    mask_keep_last: int = 0
    email_domains: tuple[str, ...] = ("example.com", "example.org", "example.net")
    secret_prefixes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_operator(self.default_operator, "default_operator")
        for entity_type, name in self.operators.items():
            check_operator(name, f"operators.{entity_type}")
        from scrubber.transform.pseudonymizers import KINDS  # local: keeps this module light

        for entity_type, kind in self.pseudonymizers.items():
            if kind not in KINDS:
                raise ValueError(f"pseudonymizers.{entity_type}: unknown kind {kind!r}; "
                                 f"known kinds: {', '.join(KINDS)}")
        check_format(self.token_format, {"type"}, "token_format")
        check_format(self.hash_format, {"type", "hash"}, "hash_format")
        if not 8 <= self.hash_length <= 64:
            raise ValueError("hash_length: use 8 to 64 hex characters (fewer collide, more is the full HMAC)")
        if len(self.mask_char) != 1:
            raise ValueError(f"mask_char: expected one character, got {len(self.mask_char)}")
        if self.mask_keep_last < 0:
            raise ValueError("mask_keep_last: expected 0 or more")
        if not self.email_domains:
            raise ValueError("email_domains: list at least one domain (e.g. example.com)")


def check_operator(name: str, where: str) -> None:
    if name not in OPERATOR_NAMES:
        raise ValueError(f"{where}: unknown operator {name!r}; known operators: {', '.join(OPERATOR_NAMES)}")


def check_format(fmt: str, allowed: set[str], where: str) -> None:
    """Reject format strings with unknown fields or broken braces before any data is processed."""
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(fmt) if f is not None}
    except ValueError as exc:
        raise ValueError(f"{where}: {exc} in {fmt!r}") from None
    unknown = fields - allowed
    if unknown:
        raise ValueError(f"{where}: unknown field {{{sorted(unknown)[0]}}} in {fmt!r}; "
                         f"allowed: {', '.join('{' + a + '}' for a in sorted(allowed))}")


def load_rules(rules_dir: Path, file_name: str = "operators.yaml") -> TransformRules:
    """Read ``rules_dir/transform/<file_name>``; a missing file means the built-in defaults."""
    path = Path(rules_dir) / "transform" / file_name
    if not path.exists():
        return TransformRules()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return parse_options(TransformRules, data, where=str(path), key_sep=": ")

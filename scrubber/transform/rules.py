"""Load ``rules/transform/operators.yaml``: which operator each entity type gets and how tokens look.

The file is validated with the same checker as stage options (unknown keys and wrong types are
errors naming the file), because a misspelt entity type or operator silently falling back to a
default is how PII leaks.
"""

from __future__ import annotations

import functools
import re
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


#: A word as the address surrogate splits an address (``pseudonymizers.ADDRESS_TOKEN``, less digits):
#: a listed word that is not one can never be kept.
_ADDRESS_WORD = re.compile(r"[^\W\d_]+")
_REGION_CODE = re.compile(r"[A-Z]{2,4}")
_GROUP_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True, slots=True)
class AddressWords:
    """``address:`` of ``operators.yaml``: what the ``address`` surrogate keeps of an address.

    Why in the rules: which street types, unit words and state codes stay is corpus tuning (a
    country's street words, a region's codes), not code. Each list is checked when the rules load:
    an entry that can never match (a phrase, a capital in ``keep_words``, a lower-case code) or a
    repeat is an error naming the key, never a word silently ignored.
    """

    #: Words kept as written, compared with the address's words in lower case.
    keep_words: tuple[str, ...] | None = None
    #: Street types glued to the name (``Hauptstraße``); the first a word ends in is taken.
    glued_types: tuple[str, ...] | None = None
    #: Group (a country: ``us``, ``ca``) -> codes of its states and provinces, kept in capitals.
    regions: dict[str, tuple[str, ...]] | None = None

    def __post_init__(self) -> None:
        for key in ("keep_words", "glued_types", "regions"):
            if getattr(self, key) is None:
                raise ValueError(f"{key}: missing (address: takes keep_words, glued_types and regions together)")
        for key in ("keep_words", "glued_types"):
            words: tuple[str, ...] = getattr(self, key)
            for i, word in enumerate(words):
                if not _ADDRESS_WORD.fullmatch(word) or word != word.lower():
                    raise ValueError(f"{key}: {word!r} is not a lower-case word (letters only: an address's "
                                     "words are compared in lower case, split at spaces, digits and punctuation)")
                if word in words[:i]:
                    raise ValueError(f"{key}: {word!r} is listed twice")
        for i, glued in enumerate(self.glued_types or ()):
            shorter = next((t for t in (self.glued_types or ())[:i] if glued.endswith(t)), None)
            if shorter is not None:
                raise ValueError(f"glued_types: {glued!r} comes after {shorter!r}, which it ends in, and is "
                                 f"never taken: list {glued!r} first")
        for group, codes in (self.regions or {}).items():
            if not _GROUP_NAME.fullmatch(group):
                raise ValueError(f"regions: {group!r} is not a group name (lower-case letters, digits, _)")
            for i, code in enumerate(codes):
                if not _REGION_CODE.fullmatch(code):
                    raise ValueError(f"regions.{group}: {code!r} is not a region code (2 to 4 capital letters "
                                     "A-Z; quote 'ON': YAML reads a bare ON as true)")
                if code in codes[:i]:
                    raise ValueError(f"regions.{group}: {code!r} is listed twice")

    @property
    def region_codes(self) -> frozenset[str]:
        """Every group's codes: the surrogate keeps them all."""
        return frozenset(code for codes in (self.regions or {}).values() for code in codes)


@functools.cache
def shipped_address_words() -> AddressWords:
    """``address:`` of the shipped ``operators.yaml``: what a rules file without that key (or no
    rules file: the built-in defaults) keeps, so the lists are written once, in the rules."""
    from scrubber.stages.base import default_rules_dir  # local: keeps this module light

    path = default_rules_dir() / "transform" / "operators.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: the shipped transform rules cannot be read ({exc})") from None
    if not isinstance(data, dict) or "address" not in data:
        raise ConfigError(f"{path}: the shipped transform rules have no 'address' key")
    return parse_options(AddressWords, data["address"], where=f"{path}: address")


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
    #: What the ``address`` surrogate keeps; absent, the shipped file's lists.
    address: AddressWords = field(default_factory=shipped_address_words)

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

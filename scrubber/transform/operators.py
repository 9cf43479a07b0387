"""The five operators: ``redact``, ``mask``, ``hash``, ``pseudonymize``, ``keep``.

An operator maps one detected value to its replacement: ``apply(value, entity_type, doc) -> str``.
They are written directly instead of going through ``presidio_anonymizer.AnonymizerEngine``:

* speed — the engine re-sorts and re-validates spans and builds result objects per call (~6 MB/s
  measured, see benchmarks/RESULTS-transform.md), where a direct replacement is a string join;
* semantics — Presidio's ``mask`` hides a fixed count of characters including separators (we keep
  the shape), its ``hash`` is salted at random per call unless given a salt and is not keyed, and it
  has no consistent pseudonymization. What we would reuse (``replace`` = format a token) is one line.

``benchmarks/bench_transform.py`` runs the Presidio engine as the baseline in the same run.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field

from scrubber.records import Span
from scrubber.transform.keyed_random import KeyedRandom, encode
from scrubber.transform.keys import derive_key
from scrubber.transform.names import person_surrogate, roles_from_names
from scrubber.transform.pseudonymizers import GENERATORS, PSEUDONYM_VERSION, PseudonymSettings, normalize
from scrubber.transform.rules import TransformRules

#: Bump when :func:`normalize` or the token changes for the same input (hash tokens are consistent
#: across runs and corpora). v2: phone numbers are compared by their national digits.
HASH_VERSION = "hash/v2"


@dataclass(slots=True)
class DocContext:
    """What an operator may need from the rest of the document (the other PERSON spans)."""

    text: str
    spans: Sequence[Span]
    person_types: frozenset[str]
    _roles: dict[str, str] | None = field(default=None, init=False)

    def person_roles(self) -> dict[str, str]:
        """First/last role of each name word, from the multi-word names of this document (lazy)."""
        if self._roles is None:
            self._roles = roles_from_names(
                self.text[s.start:s.end] for s in self.spans if s.entity_type in self.person_types
            )
        return self._roles


class Operator:
    """Base: ``keyed`` operators need the secret key; ``replaces`` is False only for ``keep``."""

    name = "operator"
    keyed = False
    replaces = True

    def __init__(self, rules: TransformRules, key: bytes | None) -> None:
        self.rules = rules

    def label(self, entity_type: str) -> str:
        """Token label: the rules' mapping, else the type itself reduced to [A-Z0-9_]."""
        label = self.rules.labels.get(entity_type)
        if label is not None:
            return label
        cleaned = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in entity_type.upper())
        return cleaned.strip("_") or "PII"

    def kind(self, entity_type: str) -> str:
        return self.rules.pseudonymizers.get(entity_type, "shape")

    def apply(self, value: str, entity_type: str, doc: DocContext) -> str:
        raise NotImplementedError


class Redact(Operator):
    """``<EMAIL>``: the typed token from ``token_format``; the value's length is not revealed."""

    name = "redact"

    def __init__(self, rules: TransformRules, key: bytes | None) -> None:
        super().__init__(rules, key)
        self._tokens: dict[str, str] = {}

    def apply(self, value: str, entity_type: str, doc: DocContext) -> str:
        token = self._tokens.get(entity_type)
        if token is None:
            token = self._tokens[entity_type] = self.rules.token_format.format(type=self.label(entity_type))
        return token


class Mask(Operator):
    """``****.*****@*******.***``: letters and digits become ``mask_char``; separators stay.

    ``mask_keep_last`` leaves that many trailing letters/digits visible (e.g. 4 for card numbers).
    """

    name = "mask"

    def apply(self, value: str, entity_type: str, doc: DocContext) -> str:
        keep = self.rules.mask_keep_last
        char = self.rules.mask_char
        if keep <= 0:
            return "".join(char if ch.isalnum() else ch for ch in value)
        out, seen = [], 0
        for ch in reversed(value):
            if ch.isalnum():
                seen += 1
                out.append(ch if seen <= keep else char)
            else:
                out.append(ch)
        return "".join(reversed(out))


class Hash(Operator):
    """``<EMAIL_3f9a0c1b2d4e>``: HMAC-SHA256(key, type, normalised value), truncated, typed.

    Keyed so a dictionary of likely values cannot be hashed to reverse tokens; normalised (see
    :func:`~scrubber.transform.pseudonymizers.normalize`) so case or spacing variants of one value
    share a token.
    """

    name = "hash"
    keyed = True

    def __init__(self, rules: TransformRules, key: bytes | None) -> None:
        super().__init__(rules, key)
        assert key is not None  # the stage refuses to build keyed operators without a key
        self._key = derive_key(key, HASH_VERSION)

    def __getstate__(self) -> None:  # never pickled: the stage rebuilds operators in setup()
        raise TypeError("operators hold key material and are rebuilt per process, not pickled")

    def apply(self, value: str, entity_type: str, doc: DocContext) -> str:
        message = encode(entity_type) + b"\0" + encode(normalize(self.kind(entity_type), value))
        digest = hmac.new(self._key, message, hashlib.sha256).hexdigest()[: self.rules.hash_length]
        return self.rules.hash_format.format(type=self.label(entity_type), hash=digest)


class Pseudonymize(Operator):
    """A realistic surrogate of the same kind, consistent for the same value and key (no table)."""

    name = "pseudonymize"
    keyed = True
    #: Per-process memo of surrogates: corpora repeat the same values a lot. Bounded; cleared when full.
    CACHE_SIZE = 200_000

    def __init__(self, rules: TransformRules, key: bytes | None) -> None:
        super().__init__(rules, key)
        assert key is not None
        self._key = derive_key(key, PSEUDONYM_VERSION)
        self._settings = PseudonymSettings(
            email_domains=rules.email_domains,
            secret_prefixes=tuple(sorted(rules.secret_prefixes, key=lambda p: (-len(p), p))),
            names_key=self._key,  # a first.last address takes its name words' surrogates
            address_keep=frozenset(rules.address.keep_words or ()),
            address_regions=rules.address.region_codes,
            address_glued_types=tuple(rules.address.glued_types or ()),
        )
        self._cache: dict[tuple[str, str], str] = {}

    def __getstate__(self) -> None:
        raise TypeError("operators hold key material and are rebuilt per process, not pickled")

    def apply(self, value: str, entity_type: str, doc: DocContext) -> str:
        kind = self.kind(entity_type)
        if kind == "person":
            out = person_surrogate(self._key, value, doc.person_roles())
            if out != value:
                return out
            kind = "shape"  # no name word in it (an NER "PERSON" that is a number): never leave it as is
        cache_key = (entity_type, value)
        out = self._cache.get(cache_key)
        if out is None:
            # The seed names the kind, not the entity type, so an e-mail found by two recognizers
            # under two type names still gets one surrogate.
            rng = KeyedRandom(self._key, kind, normalize(kind, value))
            out = GENERATORS[kind](value, rng, self._settings)
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[cache_key] = out
        return out


class Keep(Operator):
    """Leave the value as it is (e.g. for DATE_TIME when dates are wanted in the corpus)."""

    name = "keep"
    replaces = False

    def apply(self, value: str, entity_type: str, doc: DocContext) -> str:
        return value


OPERATORS: dict[str, type[Operator]] = {
    op.name: op for op in (Redact, Mask, Hash, Pseudonymize, Keep)
}

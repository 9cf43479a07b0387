"""Which characters a regex can ever consume: lets the engine skip keep patterns that cannot match.

Why: a keep pattern keeps a candidate only when one of its matches *contains* the candidate, and
every character inside a match was consumed by the pattern (lookarounds consume nothing). So if a
candidate holds a character the pattern can never consume — the ``@`` of an e-mail, the ``(`` of
``(555) 123-4567`` for a version or date pattern — no match of that pattern can contain it, and
running the pattern around it is wasted work. Keep checks were about a quarter of fast-mode
detection on PII-dense text; most candidates rule most keep patterns out this way. The answer is
exact: a pattern is skipped only where it could not have kept anything.

The alphabet is computed from the standard library's regex parser (the shipped keep patterns
use the common subset of ``re`` and ``regex`` syntax). It is deliberately a *superset*: anything
unusual (a construct this walk does not know, ``regex``-only syntax, case-insensitive matching of
non-ASCII letters) widens it, and a pattern the parser rejects gets no alphabet at all (never
skipped). Only ASCII characters are tracked one by one; non-ASCII is a single yes/no.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

try:  # the regex parser of the standard library (private; renamed in 3.11)
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_ASCII = frozenset(chr(i) for i in range(128))
#: ``regex``'s fuzzy matching (``(?:foo){e<=1}``) may consume any character; the standard parser
#: reads such braces as literals, so a pattern that may hold them gets no alphabet.
_FUZZY = re.compile(r"\{[^}]*[eisd]")


def _ascii_members(rx: str) -> frozenset[str]:
    """ASCII characters a one-character class such as ``\\d`` matches (asked of ``re`` itself)."""
    compiled = re.compile(rx)
    return frozenset(ch for ch in _ASCII if compiled.fullmatch(ch))


#: ASCII members of the class escapes, and whether they also match non-ASCII characters.
_CATEGORIES = {
    _c.CATEGORY_DIGIT: (_ascii_members(r"\d"), True),
    _c.CATEGORY_WORD: (_ascii_members(r"\w"), True),
    _c.CATEGORY_SPACE: (_ascii_members(r"\s"), True),
    _c.CATEGORY_NOT_DIGIT: (_ASCII, True),
    _c.CATEGORY_NOT_WORD: (_ASCII, True),
    _c.CATEGORY_NOT_SPACE: (_ASCII, True),
}


@dataclass(frozen=True)
class Alphabet:
    """The ASCII characters a pattern can consume, whether it can consume any non-ASCII one, and the
    longest text one match can span (``None``: unbounded)."""

    ascii: frozenset[str]
    non_ascii: bool
    longest: int | None = None

    def could_consume(self, text: str) -> bool:
        """Whether one match could span ``text``: not too long, and every character one the pattern
        can consume."""
        return self.fits(len(text)) and self.consumes_all(frozenset(text))

    def fits(self, length: int) -> bool:
        """Whether one match can be ``length`` characters long or longer."""
        return self.longest is None or length <= self.longest

    def consumes_all(self, chars: frozenset[str]) -> bool:
        """Whether the pattern can consume every character of ``chars`` (the length aside)."""
        if self.ascii.issuperset(chars):
            return True
        return self.non_ascii and self.ascii.issuperset(ch for ch in chars if ch.isascii())


class _Unknown(Exception):
    """A parser node this walk does not model: the caller gives up (no alphabet, never skipped)."""


def standard_parse(pattern: str, flags: int = 0):
    """The standard library parser's reading of a ``regex``-syntax pattern, or ``None`` where that
    reading may differ from what ``regex`` runs (POSIX classes, ``\\p{..}`` properties, fuzzy
    matching, ``regex``-only syntax the parser rejects). Shared by the analyses that let the
    engine skip work (this module, needles.py): ``None`` means "do not skip anything"."""
    if "[:" in pattern or "\\p" in pattern or "\\P" in pattern or "\\X" in pattern or _FUZZY.search(pattern):
        return None
    try:
        return _sre_parse.parse(pattern, flags & (re.IGNORECASE | re.VERBOSE | re.MULTILINE | re.DOTALL))
    except Exception:  # regex-only syntax
        return None


def alphabet(pattern: str, flags: int = 0) -> Alphabet | None:
    """The :class:`Alphabet` of ``pattern`` (``regex`` syntax), or ``None`` when unsure.

    ``None`` for anything the standard parser rejects or may read differently from ``regex``
    (POSIX classes ``[[:alpha:]]``, ``\\p{..}`` properties, ``regex``-only flags): such a pattern is
    always run.
    """
    parsed = standard_parse(pattern, flags)
    if parsed is None:  # no alphabet: the pattern always runs
        return None
    ignorecase = bool(parsed.state.flags & re.IGNORECASE) or "(?i" in pattern or "(?-i" in pattern
    chars: set[str] = set()
    try:
        non_ascii = _walk(parsed, chars)
    except _Unknown:
        return None
    if ignorecase:
        # Case-insensitive matching may pair an ASCII letter with a non-ASCII one (K and the
        # Kelvin sign, s and the long s): both directions are widened.
        non_ascii = True
        if any(not ch.isascii() for ch in pattern):
            chars |= set(string.ascii_letters)
        chars |= {ch.lower() for ch in chars} | {ch.upper() for ch in chars}
    # The parser's widest match (lookarounds count zero; case folding never changes the length
    # without regex's FULLCASE flag, which this parser rejects).
    widest = parsed.getwidth()[1]
    return Alphabet(frozenset(ch for ch in chars if ch.isascii()), non_ascii,
                    None if widest >= _c.MAXREPEAT else int(widest))


def _add_literal(code: int, chars: set[str]) -> bool:
    """Add one literal character to ``chars``; return whether it is non-ASCII (kept apart by the caller)."""
    ch = chr(code)
    chars.add(ch)
    return not ch.isascii()


def _walk(items, chars: set[str]) -> bool:
    """Add the ASCII characters ``items`` can consume to ``chars``; return whether non-ASCII can be."""
    non_ascii = False
    for op, arg in items:
        if op is _c.LITERAL:
            non_ascii |= _add_literal(arg, chars)
        elif op is _c.NOT_LITERAL or op is _c.ANY:
            chars.update(_ASCII)
            non_ascii = True
        elif op is _c.IN:
            non_ascii |= _walk_set(arg, chars)
        elif op is _c.BRANCH:
            for branch in arg[1]:
                non_ascii |= _walk(branch, chars)
        elif op is _c.SUBPATTERN:
            non_ascii |= _walk(arg[-1], chars)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            non_ascii |= _walk(arg[2], chars)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            non_ascii |= _walk(arg, chars)
        elif op is _c.GROUPREF_EXISTS:
            non_ascii |= _walk(arg[1], chars)
            if arg[2] is not None:
                non_ascii |= _walk(arg[2], chars)
        elif op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT, _c.GROUPREF):
            # Lookarounds and anchors consume nothing; a back-reference repeats characters its
            # group consumed, which the walk of that group already added.
            continue
        else:
            raise _Unknown(str(op))
    return non_ascii


def _walk_set(items, chars: set[str]) -> bool:
    """One ``[...]`` class (or a class escape such as ``\\d``)."""
    if items and items[0][0] is _c.NEGATE:
        chars.update(_ASCII)
        return True
    non_ascii = False
    for op, arg in items:
        if op is _c.LITERAL:
            non_ascii |= _add_literal(arg, chars)
        elif op is _c.RANGE:
            lo, hi = arg
            chars.update(chr(i) for i in range(lo, min(hi, 127) + 1))
            non_ascii |= hi > 127
        elif op is _c.CATEGORY:
            if arg not in _CATEGORIES:
                raise _Unknown(str(arg))
            members, wide = _CATEGORIES[arg]
            chars.update(members)
            non_ascii |= wide
        else:
            raise _Unknown(str(op))
    return non_ascii

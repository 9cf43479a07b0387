"""Trigger scans: find every hit of a trigger regex in a whole batch of text, fast.

Why its own module: the trigger scan is the only work done on every character of the corpus
(most text opens no window), so on prose its speed is the detector's speed. Each helper here is a
speed-up only: it returns exactly the hits of ``compiled.finditer(text)`` (tests/test_detect_scan.py
checks this for every shipped trigger).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import regex

try:  # the regex parser of the standard library (private; renamed in 3.11)
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]


def _plain_items(compiled) -> list | None:
    """The parsed top-level items of a ``re`` pattern without IGNORECASE or VERBOSE, the only
    patterns the speed-ups here read; ``None`` for anything else (it then only costs speed)."""
    if not isinstance(compiled, re.Pattern) or compiled.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        return list(_sre_parse.parse(compiled.pattern, compiled.flags))
    except Exception:  # an unknown parser shape
        return None


def _leading_literal(items: list) -> str:
    """The plain literal characters the parsed ``items`` start with."""
    prefix = []
    for op, arg in items:
        if op is not _sre_parse.LITERAL:
            break
        prefix.append(chr(arg))
    return "".join(prefix)


def literal_prefix(compiled) -> str:
    """The literal text every match of a ``re`` pattern starts with (``""`` when there is none).

    Only plain leading literals count (no flags, no alternation, no quantifier on them), so a match
    can start only where this text occurs. Anything unusual gives ``""``: the caller then scans
    with ``finditer`` as before.
    """
    items = _plain_items(compiled)
    return "" if items is None else _worth_finding(_leading_literal(items))


def _worth_finding(text: str) -> str:
    """``text`` if ``str.find`` beats the regex engine's own search for it, else ``""``."""
    # Measured on prose (MB per CPU-second of the scan): str.find wins for one character (memchr)
    # and for 5+ (its skip grows with the needle); for 2-4 characters the regex engine's own search
    # is as fast or faster (`://`, `key`, `gh` 1.5-2.5x), so those keep finditer.
    return text if len(text) == 1 or len(text) >= 5 else ""


#: Characters too common in text to anchor a scan on (see :func:`scan_plan`): lower-case
#: letters, digits, whitespace and everyday punctuation.
_COMMON_CHARS = frozenset(string.ascii_lowercase + string.digits + " \t\n\r.,;'\"-()!?")
#: Upper-case letters, rarest in English text first (anchors prefer the rarest).
_UPPER_BY_RARITY = "QJZXVKWYFBGHMPUDCLONRSITAE"


def scan_plan(compiled) -> tuple[str, int]:
    """What to look for with ``str.find`` before trying the pattern: ``(needle, offset)``, where
    every match has ``needle`` at ``offset`` from its start; ``("", 0)``: plain ``finditer``.

    Why: on prose a literal search costs what its needle's first character's frequency makes it
    cost. A rare character at a fixed offset (the ``_`` of ``gh[pousr]_``, the ``J`` of ``eyJ``, the
    ``:`` of ``://``) is found at memory speed (memchr) and occurs a few times per MB, where the
    regex engine's own search for these 2-4 character literals walks every ``g``/``e``/``:``:
    these scans were ~7% of fast-mode detection on prose. Without such a character, the literal
    prefix rule of :func:`literal_prefix` applies.
    """
    items = _plain_items(compiled)
    if items is None:
        return "", 0
    anchors = []  # (rarity rank, offset, character) of literals at a fixed offset from the start
    for offset, (op, arg) in enumerate(items):
        if op is _sre_parse.LITERAL:
            ch = chr(arg)
            if ch.isascii() and ch not in _COMMON_CHARS:
                rank = _UPPER_BY_RARITY.index(ch) + 1 if ch in _UPPER_BY_RARITY else 0
                anchors.append((rank, offset, ch))
        elif op is not _sre_parse.IN:  # a one-character class keeps the offsets fixed; nothing else does
            break
    if anchors:
        _, offset, ch = min(anchors)
        return ch, offset
    return _worth_finding(_leading_literal(items)), 0


#: :func:`scan` hands the rest of a text to ``finditer`` once it has tried its needle more than once
#: per this many characters (after :data:`_DENSE_AFTER` tries): a try costs a Python-level ``match``
#: call (~0.2 µs), the regex engine's own search ~0.5-1 ns per character. On Python code the three
#: ``_``-anchored key-prefix scans took 10 ms per 3 MB each with a try per ``_``, 1-2 ms with finditer.
_DENSE_SPACING = 256
_DENSE_AFTER = 64


def scan(compiled, prefix: str, text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans of ``compiled.finditer(text)``, found faster when every match has ``prefix`` at
    ``offset`` from its start (``offset`` 0: starts with it; see :func:`scan_plan`).

    ``str.find`` locates a literal at memory speed (two-way/Horspool search), several times faster
    than the regex engine's own prefix search on text where the first letter is common (``eyJ``,
    ``token``); the pattern is then tried only at those places. The result is the same list:
    finditer returns the leftmost match at or after the end of the previous one, and a match can
    start only at an occurrence of the prefix (lookbehinds still see the text before it). Where the
    prefix turns out dense, the rest of the text is left to ``finditer`` (same hits, see
    :data:`_DENSE_SPACING`).
    """
    if not prefix:
        return [m.span() for m in compiled.finditer(text)]
    out = []
    find = text.find
    match = compiled.match
    tries = 0
    q = find(prefix, offset)  # `prefix` found at q: a match may start at q - offset
    while q >= 0:
        p = q - offset
        tries += 1
        if tries >= _DENSE_AFTER and tries * _DENSE_SPACING > q:
            # The needle is dense here (`_` in Python code, `-` in CSS): each try costs a Python
            # call, so the regex engine's own search is cheaper for the rest. Every match starting
            # before p has been found, and p is at or after the last one's end.
            out += [m.span() for m in compiled.finditer(text, p)]
            return out
        m = match(text, p)
        if m is not None:
            out.append(m.span())
            q = find(prefix, max(m.end(), p + 1) + offset)
        else:
            q = find(prefix, q + 1)
    return out


def ascii_digits(pattern: str) -> str | None:
    """``pattern`` with ``\\d`` written ``[0-9]`` (``0-9`` inside a class), or ``None`` if it has no
    ``\\d`` or has ``\\D`` (left alone).

    On text holding no non-ASCII decimal digit both match exactly the same, and the `regex` module
    scans for a leading ``[0-9]`` ~2.5x faster than for ``\\d`` (a range test instead of a Unicode
    property lookup per character): the digits trigger was ~8% of the time on prose.
    """
    out = []
    in_class = False
    i = 0
    found = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "D":
                return None
            if nxt == "d":
                out.append("0-9" if in_class else "[0-9]")
                found = True
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class and ch == "]":
            in_class = False
        elif not in_class and ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            if pattern[i:i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i:i + 1] == "]":  # a leading ] is a literal
                out.append("]")
                i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out) if found else None


#: ASCII runs, removed to leave the (usually few) non-ASCII characters of a text.
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
#: A decimal digit as the `regex` module sees it (its Unicode tables, not unicodedata's).
_ANY_DIGIT = regex.compile(r"\d")


def has_non_ascii_digit(text: str) -> bool:
    """Whether ``text`` holds a decimal digit outside 0-9 (Arabic-Indic, Devanagari, full-width...)."""
    if text.isascii():
        return False
    return _ANY_DIGIT.search(_ASCII_RUNS.sub("", text)) is not None


# -- anchored scans ------------------------------------------------------------------------------
#: Characters a scan may be anchored on (see :func:`anchor_of`): punctuation that prose rarely holds
#: (``>`` ends the markup tags the secret keywords also open windows for: ``<password>``).
_ANCHOR_CHARS = frozenset("=:>")
#: An anchored scan falls back to the plain one when anchors are denser than one per this many
#: characters (config files): the plain scan is then as cheap.
_ANCHOR_SPACING = 64
#: :func:`anchor_marks` counts the anchor characters (to decide on density) only after finding this many.
_COUNT_AFTER = 1024
#: A regex whose plan has a literal to find (:func:`scan_plan`) is scanned from that literal, not
#: from its anchor marks, when the marks are denser than one per this many characters (see
#: :meth:`TriggerScanner.hits`).
_FIND_SPACING = 200


@dataclass(frozen=True)
class Anchor:
    """Every match starts with ``literal`` and has one of ``chars`` at most ``reach`` characters
    after its start (in a lookahead): ``pass(?=[\\w\\-]{0,60}["']?[ \\t]{0,5}[=:])``.

    Why: assignment keywords (``password``, ``token``, ``key``) are common words in prose, but the
    ``=`` or ``:`` their lookahead needs is rare there. Finding those characters first (at memory
    speed) and looking for the keyword only just before them skips most of the text; six keyword
    scans over every character were a third of the trigger scan on prose.
    """

    literal: str
    chars: str
    reach: int


def anchor_of(compiled) -> Anchor | None:
    """The :class:`Anchor` of a ``re`` pattern: a literal, then a lookahead made of bounded parts
    and then one of a few :data:`_ANCHOR_CHARS`; ``None`` for any other shape."""
    items = _plain_items(compiled)
    if items is None:
        return None
    literal = _leading_literal(items)
    if not literal or len(items) <= len(literal):
        return None
    op, arg = items[len(literal)]
    if op is not _sre_parse.ASSERT or arg[0] != 1:  # a lookahead right after the literal
        return None
    offset = 0  # most characters before the anchor character, inside the lookahead
    for op, sub in arg[1]:
        chars = _class_chars(op, sub)
        if chars is not None:
            if not chars <= _ANCHOR_CHARS:
                return None
            return Anchor(literal, "".join(sorted(chars)), len(literal) + offset + 1)
        width = _sre_parse.SubPattern(arg[1].state, [(op, sub)]).getwidth()[1]
        if width >= _sre_parse.MAXREPEAT:
            return None
        offset += int(width)
    return None


def _class_chars(op, arg) -> frozenset[str] | None:
    """The characters of a one-character literal or a plain ``[...]`` of literals, else ``None``."""
    if op is _sre_parse.LITERAL:
        return frozenset(chr(arg))
    if op is _sre_parse.IN and all(o is _sre_parse.LITERAL for o, _ in arg):
        return frozenset(chr(a) for _, a in arg)
    return None


def scan_anchored(compiled, anchor: Anchor, text: str, marks: list[int]) -> list[tuple[int, int]]:
    """Spans of ``compiled.finditer(text)``, looking for the literal only within ``anchor.reach``
    before each of ``marks`` (the sorted positions of ``anchor.chars`` in ``text``).

    The same list: a match starts with the literal, its anchor character lies in the reach after
    its start, so its start lies in one of these areas; the pattern is then tried there on the
    whole text (its lookahead sees past the area). A literal that cannot overlap itself (every
    shipped keyword) gives non-overlapping matches as ``finditer`` does; the caller checks it.
    """
    out: list[tuple[int, int]] = []
    find, match = text.find, compiled.match
    size = len(anchor.literal)
    reach = anchor.reach
    last_end = 0
    lo = hi = -1
    for q in [*marks, -1]:
        if q >= 0 and lo >= 0 and q - reach <= hi:
            hi = q  # the areas overlap: extend
            continue
        if lo >= 0:
            p = find(anchor.literal, max(lo, last_end), hi)
            while p >= 0:
                m = match(text, p)
                if m is not None:
                    out.append(m.span())
                    last_end = m.end()
                p = find(anchor.literal, max(p + size, last_end), hi)
        lo, hi = max(0, q - reach), q
    return out


def self_overlaps(literal: str) -> bool:
    """Whether two occurrences of ``literal`` can overlap (``aa``, ``abab``)."""
    return any(literal[:k] == literal[-k:] for k in range(1, len(literal)))


def anchor_marks(text: str, chars: str) -> list[int] | None:
    """Sorted positions of ``chars`` in ``text``, or ``None`` when they are too dense for an
    anchored scan to pay (see :data:`_ANCHOR_SPACING`).

    The positions are collected with ``str.find`` (memchr: ~0.05 ms per MB for a character prose
    rarely holds); the characters are counted with ``str.count`` (~0.25 ms per MB per character,
    it does not use memchr) only once more than :data:`_COUNT_AFTER` have been found, so sparse text
    (prose, the common case) never pays the counts and dense text (config files) stops early.
    """
    marks: list[int] = []
    append = marks.append
    find = text.find
    counted = False
    for ch in chars:
        q = find(ch)
        while q >= 0:
            append(q)
            if not counted and len(marks) > _COUNT_AFTER:
                if sum(text.count(c) for c in chars) * _ANCHOR_SPACING > len(text):
                    return None
                counted = True
            q = find(ch, q + 1)
    if not counted and len(marks) * _ANCHOR_SPACING > len(text):
        return None
    marks.sort()
    return marks


# -- one trigger -----------------------------------------------------------------------------------
class BatchText:
    """The joined text of a batch and what several trigger scans share, each computed once when
    first asked: its lower-cased copy, whether it holds non-ASCII digits, anchor positions."""

    def __init__(self, text: str, plain_digits: bool | None = None) -> None:
        """``plain_digits``: whether the caller already knows that no digit outside 0-9 occurs
        (the pattern engine's folded views, see textview.py); ``None``: found out when asked."""
        self.text = text
        self._lower: str | None = None
        self._plain_digits = plain_digits
        self._marks: dict[tuple[bool, str], list[int] | None] = {}

    @property
    def lower(self) -> str:
        """``text.lower()`` (may differ in length, see :meth:`TriggerScanner.hits`)."""
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    def lower_if_computed(self) -> str | None:
        return self._lower

    @property
    def plain_digits(self) -> bool:
        """No decimal digit outside 0-9 in the text."""
        if self._plain_digits is None:
            self._plain_digits = not has_non_ascii_digit(self.text)
        return self._plain_digits

    def marks(self, on_lower: bool, chars: str) -> list[int] | None:
        key = (on_lower, chars)
        if key not in self._marks:
            self._marks[key] = anchor_marks(self.lower if on_lower else self.text, chars)
        return self._marks[key]


class TriggerScanner:
    """Finds the hits of one trigger (its regexes scanned one after another) in a batch's text.

    Each regex is scanned the fastest way that gives exactly ``finditer``'s hits: anchored on a
    rare character its lookahead needs (:func:`anchor_of`), from a rare character at a fixed
    offset or its literal prefix (:func:`scan_plan`), as ``[0-9]`` instead of ``\\d`` on text
    without other digits (:func:`ascii_digits`).
    """

    def __init__(self, regexes: tuple[str, ...], engine: str, on_lower: bool) -> None:
        mod = re if engine == "re" else regex
        self.on_lower = on_lower
        self.scans = [mod.compile(rx) for rx in regexes]
        self.scans_ci = [mod.compile(rx, mod.IGNORECASE) for rx in regexes] if on_lower else []
        self.plans = [scan_plan(c) for c in self.scans]
        anchors = [anchor_of(c) for c in self.scans]
        self.anchors = [a if a is not None and not self_overlaps(a.literal) else None for a in anchors]
        ascii_rx = [ascii_digits(rx) for rx in regexes]
        self.scans_ascii = None
        if any(ascii_rx):
            self.scans_ascii = [mod.compile(a) if a else c for a, c in zip(ascii_rx, self.scans, strict=True)]

    def hits(self, batch: BatchText) -> list[tuple[int, int]]:
        """Spans of every regex's matches, regex by regex (not sorted across regexes)."""
        text = batch.text
        if self.on_lower:
            lower = batch.lower
            if len(lower) != len(text):  # rare: a character whose lower case has another length (İ)
                return [m.span() for c in self.scans_ci for m in c.finditer(text)]
            text = lower
        scans = self.scans
        if self.scans_ascii is not None and batch.plain_digits:
            scans = self.scans_ascii
        out: list[tuple[int, int]] = []
        for compiled, (needle, offset), anchor in zip(scans, self.plans, self.anchors, strict=True):
            marks = batch.marks(self.on_lower, anchor.chars) if anchor is not None else None
            # Both scans give finditer's hits; which is cheaper depends on the text. An anchored
            # scan costs a Python step per mark (~0.15 µs), finding a 5-letter literal such as
            # `auth"` or `kind"` ~0.7 ns per character: on PII-dense text (a `:` every ~80
            # characters: times, IPv6, labels) the anchored `auth"` and `kind"` scans took 3.2 and
            # 3.7 ms per 1.4 MB, found from their literal 0.6 and 1.0; on prose (a `:` every
            # ~10,000) the anchored scans stay far cheaper (0.06 against 1.1 ms per 2.6 MB).
            if marks is not None and not (needle and len(marks) * _FIND_SPACING > len(text)):
                out += scan_anchored(compiled, anchor, text, marks)  # type: ignore[arg-type]
            else:
                out += scan(compiled, needle, text, offset)
        return out

"""Literal text a regex cannot match without: lets the engine skip windows where a pattern cannot match.

Why: on PII-dense text a recognizer runs on thousands of small windows, and some of its patterns
need words that most windows lack: ``phone_under_label`` needs a phone label on the line before
the number, ``card_after_word`` a card word. The `regex` module cannot use such a requirement to
skip positions (it tries the pattern at every one), so those patterns cost as much as the
patterns that do match. ``str.find`` answers "is any of these words here?" at memory speed; a
window holding none of them is skipped. That is exact: a pattern is skipped only where it could
not have matched.

:func:`needles` reads the pattern with the standard library's parser (as :mod:`alphabet` does) and
returns words one of which every match implies, in lower case, with how far before the match they
may lie (positive lookbehinds look back; the `regex` module lets them see before a search's
``pos``). Anything unusual gives ``None``: the pattern then runs on every window.

Lower case because the engine searches a lower-cased copy of the text (a match of a
case-sensitive word is found there too). Under case-insensitive matching two characters need care:
the `regex` module matches ``ſ`` (long s) with ``s`` and ``İ`` with ``i``, but the lower-cased copy
keeps them (``"ſ".lower()`` is ``ſ``; ``"İ".lower()`` is two characters), so a word could be missed
in text holding one; the caller checks the text for them (:data:`FOLDS_TO_ASCII`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrubber.detect.alphabet import _c, standard_parse

#: Non-ASCII characters that case-insensitive matching pairs with an ASCII letter but ``lower()``
#: does not turn into it. Text holding one gets no needle check for case-insensitive patterns.
#: (The KELVIN SIGN, which matches k, lowers to k itself.)
FOLDS_TO_ASCII = ("\u017f", "\u0130")  # LONG S ~ s, CAPITAL I WITH DOT ABOVE ~ i (lowers to two characters)
#: Requirements with more words than this are not worth a search per word per window.
MAX_NEEDLES = 16
#: Nor are single characters (``@``, ``.``, ``:``): nearly every window the trigger opens has them;
#: but a single non-ASCII character is (``§`` of ``§ 3.2.1.4``: see :func:`_worth_checking`).
MIN_LENGTH = 2
#: Below this many characters per needle word, a window is searched once for all the words with a
#: regex (:attr:`Needles.any_word`), not once per word with ``str.find`` (see :meth:`Needles.present`).
ONE_SEARCH_CHARS_PER_WORD = 30


@dataclass(frozen=True)
class Needles:
    """Every match implies one of ``words`` (lower case) between ``reach`` characters before the
    match start and the match end; ``ignorecase``: the pattern matches some of them case-insensitively."""

    words: tuple[str, ...]
    reach: int
    ignorecase: bool
    #: Any of ``words`` (escaped, shared prefixes factored: :func:`trie_alternation`), searched
    #: instead of one ``find`` per word in an area shorter than ``one_search_below`` characters.
    any_word: re.Pattern[str] = field(init=False, repr=False, compare=False)
    one_search_below: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "any_word", re.compile(trie_alternation(self.words)))
        object.__setattr__(self, "one_search_below", ONE_SEARCH_CHARS_PER_WORD * len(self.words))

    def present(self, lower: str, pos: int, endpos: int) -> bool:
        """Whether one of the words occurs in ``lower`` where a match in ``[pos, endpos)`` needs it.

        Two ways, the same answer: a regex search for any of the words finds one iff one of them
        occurs wholly between the bounds, as ``str.find`` of each does. Why both: this runs per
        window and pattern (~110,000 times per pass over 1.4 MB of PII-dense text, ~9% of fast-mode
        detection there), and each ``find`` is a call (~0.1 µs) however short the area, while the
        regex costs one call and a few ns per character: on the short areas of the `digits`
        windows, one search beats three or more finds (`account_id` with its 14 words: 1.7 ->
        0.8 µs a window), on long areas (`remote_login`'s ~500 characters) the finds win.
        """
        lo = pos - self.reach if pos > self.reach else 0
        if endpos - lo < self.one_search_below:
            return self.any_word.search(lower, lo, endpos) is not None
        find = lower.find
        for w in self.words:  # noqa: SIM110 - a loop, not any(<generator>): this runs per window
            if find(w, lo, endpos) >= 0:
                return True
        return False


class LowerText:
    """A text's lower-cased copy (same offsets), and whether case-insensitive needles may be looked
    up in it (it holds no character of :data:`FOLDS_TO_ASCII`; asked once, when first needed)."""

    def __init__(self, text: str, lower: str) -> None:
        self.text = lower
        self._original = text
        self._folds: bool | None = None

    def can_check(self, words: Needles) -> bool:
        """Whether an absence of ``words`` in this text is proof that their pattern cannot match."""
        if not words.ignorecase:
            return True
        if self._folds is None:
            self._folds = any(ch in self._original for ch in FOLDS_TO_ASCII)
        return not self._folds


@dataclass(frozen=True)
class _Req:
    words: frozenset[str]
    reach: int

    def quality(self, rare: str) -> tuple[bool, int, int]:
        """Words worth checking first, then longer shortest word (a rare word skips more windows),
        then fewer words."""
        return _worth_checking(self.words, rare), min(len(w) for w in self.words), -len(self.words)


def _worth_checking(words: frozenset[str], rare: str = "") -> bool:
    """Whether ``words`` can skip windows: none shorter than :data:`MIN_LENGTH`, except a single
    non-ASCII character, rare in the text a trigger opens windows on (ASCII punctuation such as
    ``.``, ``:`` or ``@`` is in nearly every window).

    Why the exception: `section_number` (keep.yaml) needs a section word or ``§``; with ``§`` no
    needle, it had none and was searched around every candidate it could contain (~1,600 areas
    per pass over 2,000 canary documents, none matching; the keep step 124 -> 121 ms per pass).
    Ranked first by :meth:`_Req.quality`, so a pattern that had words keeps them: only patterns
    that had none gain some. ``rare``: ASCII characters the caller knows to be rare where it looks
    (see :func:`needles`), worth checking alone too."""
    return all(len(w) >= MIN_LENGTH or not w.isascii() or (len(w) == 1 and w in rare) for w in words)


def needles(pattern: str, flags: int = 0, rare: str = "") -> Needles | None:
    """The :class:`Needles` of ``pattern`` (``regex`` syntax), or ``None`` when it has none worth
    checking or this reading is unsure.

    ``rare``: single ASCII characters that count as words (a lone ``:`` or ``/`` is in nearly every
    window a trigger opens, but seldom in the areas around PII-dense text's candidates where keep
    patterns are searched: the engine passes its ``RARE_NEAR_CANDIDATES``). Why: `message_id` has
    no needle word (its header words as needles cost 10% on prose), but every match holds a ``<``;
    `mail_software_version` needs a ``/`` or ``MSHTML``, `clock_time` a ``:``, `percentage` a ``%``.
    Without a needle each was searched around every candidate it could contain (on 2,000 canary
    documents ~2,500 areas per pass each, nearly none with a match). Ranked as other words, so a
    pattern with words of two characters or more keeps them."""
    parsed = standard_parse(pattern, flags)
    if parsed is None:  # no needles: the pattern runs everywhere
        return None
    ignorecase = bool(parsed.state.flags & re.IGNORECASE) or "(?i" in pattern
    try:
        req = _sequence(list(parsed), rare)
    except _Unsure:
        return None
    if req is None or len(req.words) > MAX_NEEDLES or not _worth_checking(req.words, rare):
        return None
    # A word holding another of the set is found only where that one is: drop it (`cellphone`, `cell`).
    words = sorted(w for w in req.words if not any(o != w and o in w for o in req.words))
    return Needles(tuple(words), req.reach, ignorecase)


@dataclass(frozen=True)
class RepeatedChar:
    """Every match holds ``char`` at least ``times`` times (``times`` >= 2): the dots of an IPv4
    address. A window holding fewer cannot hold a match."""

    char: str
    times: int

    def present(self, text: str, pos: int, endpos: int) -> bool:
        """Whether ``text[pos:endpos]`` holds ``char`` often enough for a match."""
        return text.count(self.char, pos, endpos) >= self.times


def repeated_char(pattern: str, flags: int = 0) -> RepeatedChar | None:
    """The character every match of ``pattern`` holds most often (at least twice), or ``None``.

    Why: a window is searched for a match with a regex call (~1 µs before any matching); most
    windows the digits trigger opens are phone numbers, dates and card numbers, not dotted quads,
    and ``str.count`` tells that at memory speed. Only the consumed text counts (lookarounds may see
    past the window or overlap the match) and only characters without case (under case-insensitive
    matching a letter has two forms); anything this reading does not model gives ``None``.
    """
    parsed = standard_parse(pattern, flags)
    if parsed is None:
        return None
    try:
        counts = _counts(list(parsed))
    except _Unsure:
        return None
    counts = {ch: n for ch, n in counts.items() if n >= 2 and ch.lower() == ch.upper() and not ch.isspace()}
    if not counts:
        return None
    char = max(sorted(counts), key=counts.__getitem__)
    return RepeatedChar(char, counts[char])


def _counts(items) -> dict[str, int]:
    """Least number of times each character is consumed by any match of the sequence ``items``."""
    total: dict[str, int] = {}
    for op, arg in items:
        for ch, n in _element_counts(op, arg).items():
            total[ch] = total.get(ch, 0) + n
    return total


def _element_counts(op, arg) -> dict[str, int]:
    if op is _c.LITERAL:
        return {chr(arg): 1}
    if op is _c.SUBPATTERN:
        return _counts(arg[-1])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _counts(arg)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        return {ch: n * arg[0] for ch, n in _counts(arg[2]).items()} if arg[0] else {}
    if op is _c.BRANCH:
        branches = [_counts(b) for b in arg[1]]
        return {ch: min(b.get(ch, 0) for b in branches) for ch in set().union(*branches)}
    if op in (_c.NOT_LITERAL, _c.ANY, _c.IN, _c.CATEGORY, _c.ASSERT, _c.ASSERT_NOT, _c.AT, _c.GROUPREF,
              _c.GROUPREF_EXISTS):
        return {}  # consumes no particular character, or nothing (assertions)
    raise _Unsure(str(op))


class _Unsure(Exception):
    """A parser node this reading does not model: no needles for the whole pattern."""


def _best(reqs: list[_Req | None], rare: str) -> _Req | None:
    known = [r for r in reqs if r is not None and len(r.words) <= MAX_NEEDLES]
    return max(known, key=lambda r: r.quality(rare)) if known else None


def _sequence(items, rare: str) -> _Req | None:
    """A sequence matches only if each element does: any one element's requirement holds."""
    reqs: list[_Req | None] = []
    run: list[str] = []
    for op, arg in items:
        if op is _c.LITERAL and _same_in_lower_text(chr(arg)):
            run.append(chr(arg).lower())
            continue
        if run:
            reqs.append(_Req(frozenset({"".join(run)}), 0))
            run = []
        reqs.append(_element(op, arg, rare))
    if run:
        reqs.append(_Req(frozenset({"".join(run)}), 0))
    return _best(reqs, rare)


def _same_in_lower_text(ch: str) -> bool:
    """Whether ``ch`` (a literal of the pattern) can be a needle's character: ASCII (lower-cased as
    the engine's copy is), or a character no case mapping changes (CJK ideographs, Hangul, kana),
    which the lower-cased copy holds as the text does and case-insensitive matching pairs with
    nothing else. Why: the labels of Chinese, Korean and Japanese ID numbers (`身份证`, `주민등록번호`,
    `マイナンバー`) were no needles, so their patterns ran on every window the shared context
    search let through (~3 ms each per 1.4 MB of PII-dense text). Other non-ASCII letters (`é`,
    `ß`) stay out: their case forms differ."""
    return ch.isascii() or ch.lower() == ch == ch.upper() == ch.casefold()


def _element(op, arg, rare: str) -> _Req | None:
    if op is _c.SUBPATTERN:
        return _sequence(arg[-1], rare)
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(arg, rare)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        return _sequence(arg[2], rare) if arg[0] >= 1 else None
    if op is _c.BRANCH:
        branches = [_sequence(b, rare) for b in arg[1]]
        if any(b is None for b in branches):
            return None
        return _Req(frozenset().union(*(b.words for b in branches)),  # type: ignore[union-attr]
                    max(b.reach for b in branches))  # type: ignore[union-attr]
    if op is _c.ASSERT:
        direction, inner = arg
        req = _sequence(inner, rare)
        if req is None:
            return None
        if direction < 0:  # a lookbehind: its text ends where it stands, at most its width before
            widest = inner.getwidth()[1]
            if widest >= _c.MAXREPEAT:
                return None
            return _Req(req.words, req.reach + int(widest))
        return req  # a lookahead sees at most to the search's end, like the match
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN, _c.ASSERT_NOT, _c.AT, _c.GROUPREF,
              _c.GROUPREF_EXISTS, _c.CATEGORY):
        return None  # requires no particular word (a non-ASCII literal with case forms is left out)
    raise _Unsure(str(op))


def trie_alternation(words) -> str:
    """Regex source matching exactly ``words``, their shared prefixes factored out
    (``tel|telefon|text`` → ``te(?:l(?:efon)?|xt)``).

    Why: ``re`` tries the branches of a flat alternation one after another at each position, so
    its cost grows with the number of words; the context word lists (phone words of many languages)
    made these lookups ~3% of fast-mode time on prose. Factored, a position fails after one or two
    character tests. Longer continuations come before the end of a word, as longest-first order did.
    """
    trie: dict[str, dict] = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def source(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + source(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return (body if len(branches) > 1 else "(?:" + body + ")") + "?"

    return source(trie)

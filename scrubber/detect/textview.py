"""What the pattern rules read: each document folded to the forms they are written for.

Why: the rules in ``rules/detect/recognizers.yaml`` are written for ASCII digits, ``@``, ``.``,
``-``, spaces between words, and ``\\w`` boundaries around a match. Text in other scripts writes
the same e-mail, phone or card with other characters, and each of them made a leak:

* full-width forms (``ｊａｎｅ＠ｇｍａｉｌ．ｃｏｍ``, ``０９０－１２３４－５６７８``, ``IBAN：``) and Unicode
  decimal digits (``٠٧٩٤٦``, ``०९८``) are not the characters the patterns and validators know;
* no-break, narrow no-break and thin spaces (U+00A0, U+202F, U+2009) group the digits of French
  and German phone numbers and cards where the patterns expect a space;
* zero-width characters and soft hyphens (U+200B, U+00AD, ...) inside an address or a card split
  it for the regex while a reader (and a model) never sees them;
* Chinese, Japanese, Thai (and Korean particles, Arabic) write no space between a word and an
  e-mail or a number (``请联系jane@gmail.com谢谢``, ``電話は090-1234-5678です``): ``\\w`` is a letter of
  any script, so every ``(?<!\\w)`` boundary of the rules failed there, and the e-mail pattern
  took the Chinese words into the address (which the domain check then refused); an address
  whose top-level domain is in such a script (``邮箱用户@例子.中国谢谢``) has no such edge at all,
  and the public-suffix list tells where its domain ends (:func:`_mark_glued_domains`).

Writing every pattern for every form would multiply the rules a user edits; folding the text once
before matching leaves them as they are. The view never reaches the output: spans are mapped back
to the original characters (see :meth:`TextView.original_span`), and those are what the transform
stage replaces. Text that holds none of these characters (all ASCII text, most English prose) is
not copied: its view is the text itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

#: Replaces a letter of a script written without spaces where it touches an ASCII letter or digit:
#: whitespace to ``\s`` and ``\S`` (an unquoted value such as ``[^\s"']+`` ends there, and windows
#: snap to it), yet no separator any pattern allows between digit groups or words (``[ \t]``,
#: ``[ \-.]``; so ``2026年11月28日`` does not become digits grouped by spaces), no line break (context
#: and label lookups stay on their line) and no word character (every ``(?<!\w)`` boundary holds).
BOUNDARY = "\x0b"

#: Characters that are present in the text but invisible: removed from the view (offsets then map
#: back through :attr:`TextView.origin`). Soft hyphen, zero-width space/non-joiner/joiner, word
#: joiner, byte order mark, the bidirectional marks, embeddings and isolates, Mongolian vowel
#: separator, Arabic letter mark.
INVISIBLE = frozenset(
    "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u180e"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

#: Space characters other than the ASCII space that group digits or separate words: no-break,
#: ogham, en/em/thin/hair/figure/punctuation spaces, narrow no-break, medium mathematical, ideographic.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
#: Hyphens typeset inside numbers (hyphen, non-breaking hyphen, figure dash). En and em dashes and
#: the minus sign stay: they join ranges (``1990–2000``) and signs, which must not become phone-like.
_HYPHENS = "\u2010\u2011\u2012"

#: The Unicode blocks of scripts written without spaces between words (Chinese, Japanese, Thai,
#: Lao, Khmer, Myanmar) or whose words attach directly to Latin runs in practice (Korean particles,
#: Arabic, Hebrew). A character of these is never part of the same word as an ASCII letter or digit.
#: Cyrillic and Greek are left out on purpose: their look-alikes of Latin letters inside an address
#: (``jаne``) must stay part of it. Blocks, not script properties: the standard library's engine
#: takes ranges only, and marks the edges ~2.4x faster than the `regex` module's ``\p{Han}``
#: classes (measured on Chinese prose: 16 against 38 ms per 0.57 M characters).
_NO_SPACE_SCRIPTS = (
    "\u0590-\u05ff\ufb1d-\ufb4f"                                      # Hebrew
    "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe"  # Arabic (not U+FEFF)
    "\u0e00-\u0eff"                                                    # Thai, Lao
    "\u1000-\u109f\u1780-\u17ff"                                       # Myanmar, Khmer
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"                          # Hangul
    "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"                          # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"     # Han
)
_SCRIPT_LETTER = re.compile(f"[{_NO_SPACE_SCRIPTS}]")
#: Such a character touching an ASCII letter or digit (in the folded text), or before a ``+``
#: (``電話は+81...``).
_SCRIPT_EDGE = re.compile(f"[{_NO_SPACE_SCRIPTS}](?=[A-Za-z0-9+])|(?<=[A-Za-z0-9])[{_NO_SPACE_SCRIPTS}]")

#: An e-mail domain (from ``@``, labels as the e-mail patterns read them) whose last label is a
#: run of letters of those scripts: a top-level domain in such a script (``.中国``, ``.公司``,
#: ``.한국``) with, when the run is longer, the words of the text glued after it (``.中国谢谢``).
#: The standard library's engine (the `regex` module's costs ~4 µs more per call on a long text);
#: its ``\w`` lacks combining marks, so the scripts' blocks (Thai vowel signs) are added to it.
_SCRIPT_LABEL_EDGE = rf"(?:[^\W_]|[{_NO_SPACE_SCRIPTS}])"
_SCRIPT_TLD_RUN = re.compile(
    rf"@((?:{_SCRIPT_LABEL_EDGE}(?:[\w\-{_NO_SPACE_SCRIPTS}]{{0,61}}{_SCRIPT_LABEL_EDGE})?\.){{1,8}})"
    rf"([{_NO_SPACE_SCRIPTS}]{{3,64}})"
)
#: Longest top-level label tried as the start of such a run (the longest in these scripts in the
#: public-suffix snapshot has 9 letters: ``موريتانيا``).
_MAX_SCRIPT_TLD = 12

#: Runs of invisible characters (removed from the view).
_INVISIBLE_RUNS = re.compile("[" + "".join(sorted(INVISIBLE)) + "]+")
#: Most distinct characters folded with one ``str.replace`` each; more take one ``str.translate``.
_MOST_REPLACES = 12
#: Joins the batch's non-ASCII texts for one removal of ASCII runs: a noncharacter, which text does
#: not hold (a text that does makes text_views remove each text's runs on its own).
_SPLIT = "\uffff"
#: ASCII runs: removing them leaves the (in most text, few) characters that may need folding.
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")


@lru_cache(maxsize=1)
def _regex_digits() -> tuple[int, ...]:
    """Code points above ASCII that the `regex` module's ``\\d`` matches (its own Unicode tables)."""
    every = "".join(map(chr, range(0x80, 0x20000)))
    return tuple(0x80 + m.start() for m in regex.finditer(r"\d", every))


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """``str.translate`` table of the one-for-one folds: full-width ASCII forms, mathematical
    alphanumerics (bold, italic, ... letters used to slip past filters), every decimal digit the
    `regex` module's ``\\d`` matches, the spaces of :data:`_SPACES` and the hyphens of :data:`_HYPHENS`.

    One character for one character, so every offset of the view is an offset of the text. Built
    once per process (~20 ms): the digits are the ones the patterns' ``\\d`` matches, so a view
    holds no other digit than 0-9.
    """
    table: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    for cp in range(0x1D400, 0x1D800):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if len(folded) == 1 and folded.isascii() and folded.isalnum():
            table[cp] = folded
    run_start = prev = -2
    for cp in _regex_digits():
        if cp != prev + 1:
            run_start = cp
        prev = cp
        # Digits are encoded in runs of ten from zero; the run gives the value of a digit newer
        # than this Python's ``unicodedata`` (the `regex` module's tables may be more recent).
        value = unicodedata.decimal(chr(cp), (cp - run_start) % 10)
        table[cp] = str(value)
    for ch in _SPACES:
        table[ord(ch)] = " "
    for ch in _HYPHENS:
        table[ord(ch)] = "-"
    return table


@lru_cache(maxsize=1)
def _changed_chars() -> frozenset[str]:
    """Every character the view changes: folded or removed."""
    return frozenset(map(chr, fold_table())) | INVISIBLE


@dataclass(frozen=True, slots=True)
class TextView:
    """The text the patterns match (``text``) and the one context words are looked up in
    (``context``: the same, without :data:`BOUNDARY` marks, so ``手机13812345678`` still has its
    context word ``手机``), both the same length. ``origin[i]`` is the original offset of view
    character ``i`` when invisible characters were removed (one entry more, for the end), else
    ``None`` (offsets are the original's)."""

    text: str
    context: str
    origin: list[int] | None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original characters of view span ``[start, end)``: invisible characters inside it
        are part of it (they are replaced with the value they split)."""
        if self.origin is None:
            return start, end
        return self.origin[start], (self.origin[end - 1] + 1 if end > start else self.origin[start])


def text_views(texts: Sequence[str | None]) -> list[TextView | None]:
    """:func:`text_view` of each text (``None`` for a missing one or one that needs no view).

    One removal of ASCII runs over the batch's non-ASCII texts, joined, gives what every check
    needs: in most prose it shows at once that no text needs a view, and it is the work the engine
    did before for its ``\\d`` scans (``scan.has_non_ascii_digit``, now skipped: a view holds ASCII
    digits only). Otherwise it is split per text (at :data:`_SPLIT`), so no text is searched twice.
    """
    views: list[TextView | None] = [None] * len(texts)
    rows = [i for i, t in enumerate(texts) if t and not t.isascii()]
    if not rows:
        return views
    rest = _ASCII_RUNS.sub("", _SPLIT.join(texts[i] for i in rows))  # type: ignore[misc]
    if _changed_chars().isdisjoint(rest) and not _has_script_letter(rest):
        return views
    rests = rest.split(_SPLIT)
    if len(rests) != len(rows):  # a text holds the separator itself
        rests = [_ASCII_RUNS.sub("", texts[i]) for i in rows]  # type: ignore[arg-type]
    for i, text_rest in zip(rows, rests, strict=True):
        views[i] = _view(texts[i], text_rest)  # type: ignore[arg-type]
    return views


def text_view(text: str) -> TextView | None:
    """The view of ``text``, or ``None`` when it would be ``text`` itself (the common case: ASCII
    text, and prose whose non-ASCII characters are quotes, dashes and accented letters)."""
    return None if text.isascii() else _view(text, _ASCII_RUNS.sub("", text))


def _has_script_letter(chars: str) -> bool:
    """A character of :data:`_NO_SPACE_SCRIPTS` among ``chars``; every such block lies above U+0590,
    so Latin, Greek and Cyrillic text is settled by ``max`` alone."""
    return bool(chars) and max(chars) >= "\u0590" and _SCRIPT_LETTER.search(chars) is not None


def _view(text: str, rest: str) -> TextView | None:
    """:func:`text_view` of non-ASCII ``text`` whose non-ASCII characters are ``rest``.

    Folding replaces each distinct character to fold with ``str.replace`` (memory speed; a text
    holds few distinct ones) rather than ``str.translate``, which looks every character up; a text
    with more than :data:`_MOST_REPLACES` of them (Arabic-Indic digits and full-width forms, or a
    text built to hold hundreds) takes the one ``translate`` pass, so the cost stays linear.
    """
    changed = _changed_chars().intersection(rest)
    edges = _has_script_letter(rest)
    if not changed and not edges:
        return None
    table = fold_table()
    folds = changed - INVISIBLE
    if len(folds) > _MOST_REPLACES:  # one pass, whatever the number of distinct characters
        view = text.translate(table)
    else:
        view = text
        for ch in sorted(folds):
            view = view.replace(ch, table[ord(ch)])
    origin = None
    if not INVISIBLE.isdisjoint(changed):
        origin = _kept_offsets(view)
        view = _INVISIBLE_RUNS.sub("", view)
    context = view
    if edges:
        view = _SCRIPT_EDGE.sub(BOUNDARY, view)
        if "@" in view:
            view = _mark_glued_domains(view)
    if not changed and view == text:  # script letters, none of them touching an ASCII word
        return None
    return TextView(view, context, origin)


def _mark_glued_domains(view: str) -> str:
    """``view`` with a :data:`BOUNDARY` where an e-mail domain's top-level label in a script written
    without spaces ends and the text's next word, glued to it, begins.

    Why: ``邮箱用户@例子.中国谢谢`` has no edge between the address and ``谢谢`` (both are Han letters),
    so the e-mail patterns took ``中国谢谢`` as the top-level domain and the domain check refused it:
    the whole address stayed in the text. The public-suffix list knows where such a domain ends:
    the longest start of the run that is a top-level label and makes the domain registrable
    (``例子.中国``) is the domain, the rest (``谢谢``) is text. A run that is a top-level label as a
    whole is left as it is. Only texts holding such script letters and an ``@`` get here; the
    pattern is tried only at each ``@`` (str.find), the starts of a run are set lookups, and one
    (cached) suffix lookup confirms the domain.
    """
    from scrubber.detect.validators import registrable_domain, top_level_labels  # the e-mail check's list

    known = top_level_labels()
    cuts: list[int] = []
    at = view.find("@")
    while at >= 0:
        m = _SCRIPT_TLD_RUN.match(view, at)
        if m is not None and m.group(2) not in known:
            labels, run = m.group(1), m.group(2)
            for size in range(min(len(run) - 1, _MAX_SCRIPT_TLD), 1, -1):
                if run[:size] in known:
                    if registrable_domain(labels + run[:size]):
                        cuts.append(m.start(2) + size)
                    break
        at = view.find("@", at + 1)
    if not cuts:
        return view
    parts: list[str] = []
    pos = 0
    for cut in cuts:
        parts += (view[pos:cut], BOUNDARY)
        pos = cut + 1
    parts.append(view[pos:])
    return "".join(parts)


def _kept_offsets(text: str) -> list[int]:
    """The offsets of the characters of ``text`` that are not invisible, and ``len(text)``."""
    kept: list[int] = []
    pos = 0
    for m in _INVISIBLE_RUNS.finditer(text):
        kept.extend(range(pos, m.start()))
        pos = m.end()
    kept.extend(range(pos, len(text) + 1))
    return kept

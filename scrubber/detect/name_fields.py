"""Names in fields named for a name: key-value records and CSV columns (full mode).

Why: records written as data hold a person's name split over fields, one word each, in any case:
``{"firstName": "Harriet", "lastName": "Calloway"}``, ``first_name: kwame``, ``<lastName>Okafor
</lastName>``, a CSV export with ``first_name,last_name`` columns. The name lists and NER read
running text: a lone given name in quotes, a lower-case name or a surname no list holds passed
through, and only half of ``Harriet,Calloway`` was found. Here the field's own name is the evidence,
so every value of such a field is a name, whatever its case.

Only keys that can name nothing but a person's name count (first, given, middle, last, family,
full, maiden name; surname, forename); a plain ``name`` or a ``displayName`` names packages, products and
columns as often, and is left to the lists and NER. A value is one to four words of letters; code
(``first_name = user.first_name``, ``lastName: this.lastName``), types (``firstName: string``) and
placeholders are not values.
"""

from __future__ import annotations

import re

import regex

from scrubber.detect.recognizers import Candidate

#: The recognizer name spans found here carry (audit files, counters).
NAME_FIELD_RECOGNIZER = "name_field_v1"

#: A key naming a person's name, lower-cased: ``first_name``, ``firstName``, ``first-name``, ``Last
#: Name``, ``surname``. Searched with the standard library's engine on the lower-cased text (a
#: literal-led alternation it scans fast).
_KEY = r"(?:(?:first|given|middle|last|family|full|maiden|sur|fore)[ _\-.]?name|surname|forename)"
#: The key of a key-value pair, then what joins it to its value: a closing quote, `:`, `=`, `=>`
#: or an element's `>`, an opening quote.
_PAIR = re.compile(r"(?<![a-z0-9_])" + _KEY + r"s?(?![a-z0-9_])[\"']?[ \t]{0,3}(?:=>|[:=>])[ \t]{0,3}[\"']?")
#: A value: one to four words of letters (apostrophes and hyphens inside, a dotted initial), then the
#: end of the value (a quote, `,`, `;`, `}`, `]`, `<`, `&`, a tab or the end of the line).
_VALUE = regex.compile(
    r"(\p{L}[\p{L}\p{M}'’\-]{0,40}+\.?(?:[ ]\p{L}[\p{L}\p{M}'’\-]{0,40}+\.?){0,3})(?=[\"',;}\]<&\t\r\n]|\Z)")
#: A header cell naming a name column (a CSV or TSV export), compared lower-cased and trimmed.
_HEADER_CELL = re.compile(_KEY + r"s?")
#: Delimiters a header line may use, most specific first.
_DELIMITERS = ("\t", ";", "|", ",")
#: Most rows of one CSV table read under its header (a bound on the work per header).
MAX_ROWS = 100_000
#: Longest header cell: column names are short; a longer cell (or one of four or more words) makes
#: the line a sentence.
MAX_HEADER_CELL = 40


def name_field_values(text: str, score: float, priority: int, placeholders: frozenset[str]) -> list[Candidate]:
    """PERSON candidates: values of key-value pairs and cells of CSV columns named for a name.

    ``placeholders`` (``names.field_placeholders`` of ner.yaml, case-folded): values that stand for
    a name without being one (types, placeholders, empty markers: ``string``, ``your name``)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case has another length: keys as written
        lowered = text
    if "name" not in lowered:
        # Every key ends in "name" (`surname` too): without it, no scan. The two scans below are
        # led by a dozen words and cost ~30 ms per MB of prose, three times fast mode's detection.
        return []
    out = [Candidate(start, end, "PERSON", score, NAME_FIELD_RECOGNIZER, priority)
           for start, end in _pair_values(text, lowered, placeholders)]
    out += [Candidate(start, end, "PERSON", score, NAME_FIELD_RECOGNIZER, priority)
            for start, end in _column_values(text, lowered, placeholders)]
    return out


def _pair_values(text: str, lowered: str, placeholders: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of the values of ``key: value`` pairs whose key names a name."""
    spans = []
    for m in _PAIR.finditer(lowered):
        v = _VALUE.match(text, m.end())
        if v is not None and _is_value(v.group(1), placeholders):
            spans.append(v.span(1))
    return spans


def _is_value(value: str, placeholders: frozenset[str]) -> bool:
    """A name, not a type, a placeholder or a word of code (``user.first_name``, ``this.lastName``
    never match: the value stops at ``_``, and a dot is kept only ending an initial)."""
    return value.casefold() not in placeholders and not any(
        value[i] == "." and value[i + 1:i + 2].isalpha() for i in range(len(value)))


def _column_values(text: str, lowered: str, placeholders: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of the cells under header cells naming a name, in the rows that follow the header with
    as many cells (a CSV or TSV export; quoted cells lose their quotes, cells holding the delimiter
    inside quotes end the table)."""
    spans: list[tuple[int, int]] = []
    if not _HEADER_CELL.search(lowered):
        return spans
    lines = text.splitlines(keepends=True)
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line)
    i = 0
    while i < len(lines):
        header = lines[i].rstrip("\r\n")
        found = _header_columns(header)
        if found is None:
            i += 1
            continue
        delimiter, count, columns = found
        i += 1
        rows = 0
        while i < len(lines) and rows < MAX_ROWS:
            row = lines[i].rstrip("\r\n")
            cells = row.split(delimiter)
            if not row or len(cells) != count:
                break
            offset = starts[i]
            cell_start = 0
            for k, cell in enumerate(cells):
                if k in columns:
                    span = _cell_value(cell, placeholders)
                    if span is not None:
                        spans.append((offset + cell_start + span[0], offset + cell_start + span[1]))
                cell_start += len(cell) + len(delimiter)
            rows += 1
            i += 1
    return spans


def _header_columns(line: str) -> tuple[str, int, frozenset[int]] | None:
    """``(delimiter, cell count, name columns)`` when ``line`` is a header with a name column."""
    for delimiter in _DELIMITERS:
        if delimiter not in line:
            continue
        cells = [c.strip().strip("\"'").lower() for c in line.split(delimiter)]
        if any(len(c) > MAX_HEADER_CELL or c.count(" ") > 2 for c in cells):
            return None  # a sentence with a comma ("Full name, as on your passport"), not a header
        columns = frozenset(k for k, c in enumerate(cells) if _HEADER_CELL.fullmatch(c))
        if columns:
            return delimiter, len(cells), columns
    return None


def _cell_value(cell: str, placeholders: frozenset[str]) -> tuple[int, int] | None:
    """The span of a name inside a cell (surrounding spaces and quotes left out), if it is one."""
    lo, hi = 0, len(cell)
    while lo < hi and cell[lo] in " \"'":
        lo += 1
    while hi > lo and cell[hi - 1] in " \"'":
        hi -= 1
    m = _VALUE.match(cell[lo:hi] + "\n")
    if m is None or m.end(1) != hi - lo or not _is_value(m.group(1), placeholders):
        return None
    return lo, hi

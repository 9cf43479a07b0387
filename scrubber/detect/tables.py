"""Values in table columns named for personal data: CSV, TSV, Markdown and ASCII tables.

Why: exports and pasted tables name a value once, in the header, and put thousands of values under
it (``name,dob,ssn⏎Maria Lopez,03/06/1958,536228145``). A bare date is no date of birth and nine
bare digits no SSN without their label, and the label is rows away, so the labelled recognizers
(which read a label on the value's line or alone on the line above) kept them. Here a cell under
a header cell that is a label is read as if written after that label on its line
(``dob: 03/06/1958``): every recognizer with context words, and every labelled pattern, gets the
header as its label without a pattern of its own (the engine runs its recognizers on those
``label: value`` lines, see ``PatternEngine._table_candidates``).

How it stays cheap: nothing here scans a document. The engine hands over the positions its
triggers already found (a ``digits`` hit, an ``@``); only their lines are looked at. A table is a
block of consecutive lines with the same delimiter (tab, ``|``, ``;``, ``,``) and the same number of
cells (a quoted CSV cell, ``"Lopez, Maria"``, is one cell; Markdown's ``|---|`` and ASCII ``+---+``
borders are skipped); its header is the block's first line. The walk up to the header is made once
per table: each line walked is remembered with its table, so a row thousands of lines below the
header finds it by walking back to the nearest row seen before, never again to the header (a
re-walk per value would make a long export quadratic). One line alone is no table: a value needs
a header above it with as many cells.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import regex

#: Delimiters a table may use, most specific first (a `|` row may hold commas, a CSV row rarely a tab).
DELIMITERS = ("\t", "|", ";", ",")
#: Longest line read as a table row: a longer line is a paragraph (CSV rows are shorter), and the
#: line bounds of a hit are searched no further than this.
MAX_LINE = 4096
#: Longest header cell, and most words in one: a longer cell makes the line a sentence.
MAX_HEADER_CELL = 40
MAX_HEADER_WORDS = 4
#: Longest cell value read under a label: values are short (a date, a number, a name); a longer
#: cell is free text, which the recognizers read on its own line anyway.
MAX_VALUE = 64
#: Most header cells whose verdict is remembered (the memo is emptied when full: a corpus holds
#: endless distinct headers, a process must not keep them all).
MAX_KNOWN_LABELS = 1 << 14
#: Border lines skipped between two rows (ASCII tables draw one between every row).
MAX_BORDERS = 1
#: Most rows of one table read without a trigger hit of their own (a table with a column to read
#: found from another row's hit): each costs its split and its cells' reading (a few µs), so this
#: bounds what one table adds to its document's cost.
MAX_ROWS_WITHOUT_HIT = 20_000
#: A border: Markdown's separator row (``|---|:---:|``), an ASCII table's (``+----+----+``,
#: ``+====+``) or psql's (``-----+-----``).
_BORDER_CHARS = frozenset("-=+|: \t\r")
#: Header cells naming a person's name column, lower-cased, `_` and camelCase read as spaces: the
#: name's part (``first name``, ``surname``) or a person's noun before ``name`` (``patient name``).
#: A plain ``name`` (:data:`PLAIN_NAME`) names models, packages and products in as many tables, so it
#: counts only in a table whose header names another column of personal data (``name,dob,ssn``).
_NAME_HEADER = re.compile(
    r"(?:(?:first|given|middle|last|family|full|maiden|sur|fore|legal|preferred)[ ]?name|surname|forename"
    r"|(?:patient|customer|client|employee|member|student|person|contact|subscriber|beneficiary"
    r"|insured|applicant|guest|passenger|cardholder|card holder|account holder|holder|owner|user"
    r"|emergency contact|parent|guardian|spouse|next of kin)[ ]name|name of (?:patient|person|employee))s?")
PLAIN_NAME = "name"
#: The label a cell of a plain `name` column carries (:class:`Cell`): read as a name of two words or more.
PLAIN_NAME_COLUMN = ""
#: A name in a cell: one to four capitalised words of letters (apostrophes, hyphens, a dotted
#: initial), a comma after the first for ``Lopez, Maria``. Bounded repetitions: linear.
_NAME_VALUE = regex.compile(
    r"\p{Lu}[\p{L}\p{M}'’\-]{0,40}+\.?(?:,?[ ]\p{Lu}[\p{L}\p{M}'’\-]{0,40}+\.?){0,3}")
#: Cells that stand for a name without being one (placeholders, types, empty markers), lower-cased.
_NOT_NAMES = frozenset(("null", "none", "nil", "true", "false", "undefined", "unknown", "n/a", "na", "tbd",
                        "todo", "test", "example", "sample", "name", "first name", "last name", "full name",
                        "your name", "john doe", "jane doe", "redacted", "anonymous", "string", "text"))
#: Cell values that hold no value (empty markers), lower-cased: what a label reads in them is
#: nothing (``dob: N/A``), so they are not read under a label at all (exports are full of them).
_EMPTY_VALUES = frozenset(("null", "none", "nil", "n/a", "na", "unknown", "tbd", "-", "--", "?", "undefined",
                           "redacted", "[redacted]", "not provided", "not available", "pending", "x"))
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
#: Where a hit may start a cell's value: after a delimiter or a line's start, blanks, a quote or a
#: bracket, and up to four letters glued to the digits (``E0048213``, ``XGH847293011``, ``de89…``).
#: Most hits of prose and forms fail it at once (``call 555-0100``, ``DOB: 03/06/1958``), before
#: any line is looked at. A bounded lookbehind: linear.
_CELL_OPEN = frozenset(",;|\t\n")
_CELL_PAD = frozenset(" \"'(+-")
#: A month's name before the day (``"March 3, 1958"``, ``Sept. 3 1958``) may start a cell too: a date
#: of birth written so opens a ``digits`` hit at its day.
#: What follows a day's digits in a date written with its month first (``3, 1958``, ``3 1958``,
#: ``3rd``): hits after a word not followed so (``call 555-0100``, ``in 1958 the``) are no cell.
_AFTER_DAY = frozenset(", sntr")
_CELL_START = regex.compile(r"(?<=(?:^|[,;|\t\n])[ \t]{0,8}[\"'(+]?(?:[A-Za-z]{0,4}[ \-]?"
                            r"|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?[ ]))")


class Cell(NamedTuple):
    """A value to read under its column's header: its bounds in the text, its document's index in
    the batch, and the header's label (``None`` for a cell of a name column, :data:`PLAIN_NAME_COLUMN`
    for one of a plain `name` column). ``read``: ``False`` for a cell under a header cell that only
    holds a deny word (``invoice``, ``order id``): nothing is read there, but what the row found
    in it is kept as after that label on one line (``invoice: 0123-4567-89``)."""

    doc: int
    start: int
    end: int
    label: str | None
    read: bool = True


@dataclass(frozen=True)
class Table:
    """A table's delimiter, cell count and the columns to read: index -> label (``None``: a name
    column, :data:`PLAIN_NAME_COLUMN` a plain `name` column). Empty ``columns``: a table none of
    whose header cells names personal data. ``deny_columns``: index -> label of the header cells
    that are no label but hold a deny word (``order id``, ``invoice``, ``serial``)."""

    delimiter: str
    count: int
    columns: tuple[tuple[int, str | None], ...]
    deny_columns: tuple[tuple[int, str], ...] = ()
    #: Where its header line starts in the text (its rows are read from there: TableReader.cells).
    header: int = -1


def header_label(cell: str) -> str | None:
    """A header cell as a label line (``date_of_birth`` -> ``date of birth``, ``memberId`` ->
    ``member Id``), or ``None`` when the cell is too long to be a column's name."""
    text = cell.strip(" \t\r\"'*`").replace("_", " ")
    if not text or len(text) > MAX_HEADER_CELL:
        return None
    text = " ".join(_CAMEL.sub(" ", text).split())
    if text.count(" ") >= MAX_HEADER_WORDS:
        return None
    return text


def is_border(line: str) -> bool:
    """A table's border or Markdown separator row: only ``-=+|:`` and blanks, three dashes at least."""
    return (line.count("-") + line.count("=")) >= 3 and _BORDER_CHARS.issuperset(line)


def split_cells(line: str, delimiter: str) -> list[tuple[int, int]] | None:
    """The cells of ``line`` (offsets in it), or ``None`` when it is not a row of that delimiter.

    A `|` row's leading and trailing pipes open and close it (Markdown, ASCII tables); a CSV cell in
    double quotes may hold the delimiter (``"Lopez, Maria"``, ``""`` an escaped quote inside); a
    quote left open makes the line no row (prose with a stray quote)."""
    if delimiter not in line:
        return None
    lo, hi = 0, len(line)
    if delimiter == "|":
        stripped = line.strip()
        if stripped.startswith("|"):
            lo = line.index("|") + 1
        if stripped.endswith("|") and len(stripped) > 1:
            hi = line.rindex("|")
        if lo >= hi:
            return None
    if delimiter == "|" or '"' not in line:
        cells = []
        pos = lo
        while True:
            end = line.find(delimiter, pos, hi)
            if end < 0:
                cells.append((pos, hi))
                return cells if len(cells) > 1 else None
            cells.append((pos, end))
            pos = end + 1
    cells = []
    pos = lo
    while True:
        first = pos
        while first < hi and line[first] in " \t" and line[first] != delimiter:
            first += 1
        after = pos
        if first < hi and line[first] == '"':
            k = first + 1
            while True:  # the closing quote: one not doubled
                q = line.find('"', k, hi)
                if q < 0:
                    return None
                if q + 1 < hi and line[q + 1] == '"':
                    k = q + 2
                    continue
                break
            after = q + 1
        end = line.find(delimiter, after, hi)
        if end < 0:
            cells.append((pos, hi))
            return cells if len(cells) > 1 else None
        cells.append((pos, end))
        pos = end + 1


def row_shape(line: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The delimiter and cells of a table row, the first delimiter of :data:`DELIMITERS` that splits
    it into two or more cells (quoted cells respected), or ``None``."""
    for delimiter in DELIMITERS:
        cells = split_cells(line, delimiter)
        if cells is not None:
            return delimiter, cells
    return None


def single_cell(line: str) -> tuple[str, list[tuple[int, int]]] | None:
    """A row of one cell between pipes (``| 03/06/1958 |``: a one-column Markdown or ASCII table's),
    as :func:`row_shape` gives a row's shape, or ``None``. Such lines make a table only under a
    header with a border line under it (``TableReader._ruled``)."""
    if "|" not in line:
        return None
    stripped = line.strip()
    if len(stripped) < 3 or stripped[0] != "|" or stripped[-1] != "|" or "|" in stripped[1:-1]:
        return None
    lo = line.index("|") + 1
    return "|", [(lo, line.rindex("|"))]


def cell_value(line: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of a cell's value: blanks and one pair of double quotes around it left out."""
    while start < end and line[start] in " \t\r":
        start += 1
    while end > start and line[end - 1] in " \t\r":
        end -= 1
    if end - start >= 2 and line[start] == '"' and line[end - 1] == '"':
        start, end = start + 1, end - 1
    return start, end


def is_name_value(value: str, two_words: bool = False) -> bool:
    """A cell of a name column that is a name: capitalised words of letters, not a placeholder;
    ``two_words``: at least two (a plain `Name` column beside a phone names departments and
    services too, `Support`, `Billing`, in one word; a person's full name has two)."""
    return (_NAME_VALUE.fullmatch(value) is not None and value.casefold() not in _NOT_NAMES
            and (not two_words or " " in value))


def is_org_value(value: str, org_words: frozenset[str], team_words: frozenset[str],
                 institution_words: frozenset[str]) -> bool:
    """Whether a name column's cell names an organisation, not a person: a company word as written
    (``Acme Corp``, ``Globex, Inc.``, ``Initech GmbH``, ``S.A.``; the rules' ``names.org_words``), a
    team's or a group's word (``Billing Team``, ``Platform Group``; ``names.team_words``, in lower
    case) or an institution's last word (``Emory University``; ``names.institution_words``), as the
    name rules read a company in prose (names.py, ``company_or_place``)."""
    words = value.replace(",", " ").split()
    for w in words:
        if w in org_words or w.lower() in team_words:
            return True
        if not w.isalpha():  # (most words of names are letters only: no stripping)
            w = w.strip("()'’\".")
            if w in org_words or w.replace(".", "") in org_words or w.lower() in team_words:
                return True
    return len(words) > 1 and words[-1].rstrip(".") in institution_words


def _any_in(marks: list[int], start: int, end: int) -> bool:
    """Whether a value of the sorted ``marks`` lies in ``[start, end)`` (one bisection)."""
    at = bisect_left(marks, start)
    return at < len(marks) and marks[at] < end


class TableReader:
    """Finds, for trigger hits of one batch, the cells to read under their column's label.

    ``is_label(label)`` says whether a header cell (see :func:`header_label`) names a value of some
    recognizer (the engine asks its context words); ``names``: whether name columns are read
    (PERSON is among the entities)."""

    def __init__(self, is_label: Callable[[str], bool], names: bool,
                 is_deny: Callable[[str], bool] | None = None, org_words: frozenset[str] = frozenset(),
                 team_words: frozenset[str] = frozenset(), institution_words: frozenset[str] = frozenset()) -> None:
        self._is_label = is_label
        self._is_deny = is_deny
        self._names = names
        self._org_words = org_words
        self._team_words = team_words
        self._institution_words = institution_words
        self._labels: dict[str, bool] = {}  # header cell label -> is_label (headers repeat)
        self._denies: dict[str, bool] = {}  # header cell label -> is_deny

    def cells(self, text: str, starts: list[int], ends: list[int], hits: list[int],
              marks: Callable[[], list[int]] | None = None) -> list[Cell]:
        """The cells to read in the rows holding ``hits`` (positions in ``text``, the batch's
        documents joined; ``starts``/``ends``: each document's bounds), every labelled column of
        each such row once, then those of the other rows of their tables (bounded). ``marks``:
        gives the sorted starts of the candidates found so far (asked once, when a deny-word column
        is met); the cells of deny-word columns (``Cell.read`` false) are given only where one
        starts (only a candidate can be kept), none without ``marks``."""
        out: list[Cell] = []
        # line start -> its table (a row under a header) or None (a header, or no table row): every
        # line a walk passes is remembered, so no line is walked twice.
        tables: dict[int, Table | None] = {}
        shapes: dict[int, tuple[int, tuple[str, list[tuple[int, int]]] | None]] = {}
        read: set[int] = set()  # the rows whose cells were read
        known_marks: list[list[int]] = []  # marks(), once asked
        # header start -> (table, document index, document end): tables with a column to read,
        # whose rows without a hit are read after the hits' rows
        found: dict[int, tuple[Table, int, int]] = {}
        # Hits in order: a hit on the line of the one before (most hits of a row) costs one
        # comparison, and the document index only moves forwards.
        line_end = -1
        k = -1
        lo = hi = 0
        cell_start = _CELL_START.match
        for s in sorted(hits):
            if s < line_end:
                continue
            if text[s] != "@" and s > 0:
                # The character before the hit settles most hits without the regex (its call
                # costs more than these tests): a delimiter or a line's start accepts, a blank
                # or quote needs one before it, a letter may be a prefix glued to the number.
                c = text[s - 1]
                if c not in _CELL_OPEN:
                    if c in _CELL_PAD:
                        if s < 2:
                            continue
                        b = text[s - 2]
                        if b not in _CELL_OPEN and b not in _CELL_PAD:
                            # a day of one or two digits after a word: a month's name may be that word
                            if c != " " or not (b.isalpha() or b == "."):
                                continue
                            a = text[s + 1:s + 2]
                            if a not in _AFTER_DAY and not (a.isdigit() and text[s + 2:s + 3] in _AFTER_DAY):
                                continue
                    elif not c.isalpha():
                        continue
                    if cell_start(text, s) is None:
                        continue
            if s >= hi:
                k = bisect_right(starts, s) - 1
                lo, hi = starts[k], ends[k]
                if s >= hi:
                    continue
            line_start = text.rfind("\n", s - MAX_LINE if s - MAX_LINE > lo else lo, s) + 1
            line_end = text.find("\n", s, s + MAX_LINE if s + MAX_LINE < hi else hi)
            if line_end < 0:
                line_end = hi
            if line_start == 0 and s - MAX_LINE > lo:
                continue  # a line longer than any row
            if line_start < lo:
                line_start = lo
            table = self._table(text, line_start, lo, hi, tables, shapes)
            if table is None or not (table.columns or table.deny_columns):
                continue
            if table.columns and table.header >= 0:
                found.setdefault(table.header, (table, k, hi))
            read.add(line_start)
            candidates = self._marks(table, marks, known_marks)
            if not table.columns:  # deny-word columns only: split a row holding a candidate
                if not _any_in(candidates, line_start, line_end):
                    continue
                self._shape(text, line_start, hi, shapes)
            self._row_cells(text, k, line_start, table, shapes, out, candidates)
        for header, (table, k, hi) in found.items():
            # The table's rows without a hit of their own (`Maria Lopez,N/A`): its header is known,
            # so they are read walking down from it, each line once (no scan of the document).
            for line_start in self._rows_below(text, header, hi, table, tables, shapes):
                if line_start not in read:
                    read.add(line_start)
                    self._row_cells(text, k, line_start, table, shapes, out, self._marks(table, marks, known_marks))
        return out

    @staticmethod
    def _marks(table: Table, marks: Callable[[], list[int]] | None, known: list[list[int]]) -> list[int]:
        """The candidates' sorted starts (``marks``, asked once and kept in ``known``) when ``table``
        has a deny-word column (none else needs them), else none."""
        if not table.deny_columns or marks is None:
            return []
        if not known:
            known.append(marks())
        return known[0]

    def _row_cells(self, text: str, k: int, line_start: int, table: Table,
                   shapes: dict[int, tuple[int, tuple[str, list[tuple[int, int]]] | None]], out: list[Cell],
                   marks: list[int]) -> None:
        """Append to ``out`` the cells to read of the row starting at ``line_start`` (document ``k``),
        and those of its deny-word columns where a candidate starts (``marks``)."""
        row_end, shape = shapes[line_start]
        if shape is None:
            return
        line = text[line_start:row_end]
        cells = shape[1]
        for index, label in table.columns:
            if index >= len(cells):
                continue
            a, b = cell_value(line, *cells[index])
            if a == b or b - a > MAX_VALUE:
                continue
            if not label:
                value = line[a:b]
                if not is_name_value(value, two_words=label == PLAIN_NAME_COLUMN) or is_org_value(
                        value, self._org_words, self._team_words, self._institution_words):
                    continue  # (a company directory's `Acme Corp` under `Name`)
            elif b - a <= 13 and line[a:b].casefold() in _EMPTY_VALUES:
                continue
            out.append(Cell(k, line_start + a, line_start + b, label))
        if not marks:
            return
        for index, label in table.deny_columns:
            if index < len(cells):
                a, b = cell_value(line, *cells[index])
                if a < b and _any_in(marks, line_start + a, line_start + b):
                    out.append(Cell(k, line_start + a, line_start + b, label, False))

    def _rows_below(self, text: str, header: int, hi: int, table: Table, tables: dict[int, Table | None],
                    shapes: dict[int, tuple[int, tuple[str, list[tuple[int, int]]] | None]]) -> Iterator[int]:
        """The starts of the rows of ``table`` under its header line at ``header``, in order: the
        lines after it with its delimiter and cell count (past at most :data:`MAX_BORDERS` border
        lines between two, and one blank line under the header), at most
        :data:`MAX_ROWS_WITHOUT_HIT` of them; each row's shape is left in ``shapes`` (as the cells
        need it) and its table in ``tables``."""
        cur = header
        for _ in range(MAX_ROWS_WITHOUT_HIT):
            end = self._shape(text, cur, hi, shapes)[0]
            nxt = -1
            for _ in range(MAX_BORDERS + 1):
                newline = text.find("\n", end, end + 2)  # (the line's end is before a `\r`)
                if newline < 0:
                    return
                nxt = newline + 1
                if nxt >= hi:
                    return
                end, shape = self._shape(text, nxt, hi, shapes)
                if nxt < end and text[nxt] in _BORDER_CHARS and is_border(text[nxt:end]):
                    continue
                if cur == header and self._is_blank(text, nxt, end) and nxt < hi:
                    # one blank line may part the header from its rows (TableReader._header_across_blank)
                    newline = text.find("\n", end, end + 2)
                    if newline < 0 or newline + 1 >= hi:
                        return
                    nxt = newline + 1
                    end, shape = self._shape(text, nxt, hi, shapes)
                break
            else:
                return
            if nxt in tables:
                if tables[nxt] is not table:
                    return
            elif shape is None or shape[0] != table.delimiter or len(shape[1]) != table.count:
                return
            else:
                tables[nxt] = table
            yield nxt
            cur = nxt

    @staticmethod
    def _shape(text: str, line_start: int, hi: int,
               shapes: dict[int, tuple[int, tuple[str, list[tuple[int, int]]] | None]]
               ) -> tuple[int, tuple[str, list[tuple[int, int]]] | None]:
        """The end of the line starting at ``line_start`` and its row shape (remembered)."""
        known = shapes.get(line_start)
        if known is not None:
            return known
        stop = line_start + MAX_LINE + 1 if line_start + MAX_LINE + 1 < hi else hi
        line_end = text.find("\n", line_start, stop)
        if line_end < 0:
            line_end = hi if stop == hi else -1
        if line_end < 0:
            known = (stop, None)  # too long for a row
        else:
            end = line_end - 1 if line_end > line_start and text[line_end - 1] == "\r" else line_end
            line = text[line_start:end]
            known = (end, row_shape(line) or single_cell(line))
        shapes[line_start] = known
        return known

    def _table(self, text: str, line_start: int, lo: int, hi: int, tables: dict[int, Table | None],
               shapes: dict[int, tuple[int, tuple[str, list[tuple[int, int]]] | None]]) -> Table | None:
        """The table whose data row starts at ``line_start`` (``None``: the line is a header or in
        no table), walking up to its header or to a row seen before."""
        if line_start in tables:
            return tables[line_start]
        above = self._row_above(text, line_start, lo)
        if above < 0:  # the document's first line, or under a paragraph: a header at most
            tables[line_start] = None
            return None
        stop = line_start + MAX_LINE + 1 if line_start + MAX_LINE + 1 < hi else hi
        line_end = text.find("\n", line_start, stop)
        if line_end < 0:
            if stop < hi:  # longer than any row
                tables[line_start] = None
                return None
            line_end = hi
        if line_end > line_start and text[line_end - 1] == "\r":
            line_end -= 1
        known = tables.get(above)
        if known is not None and known.delimiter != "|" and text.find('"', line_start, line_end) < 0 and \
                text.count(known.delimiter, line_start, line_end) == known.count - 1:
            # The common case of a long export: the row above is a row of a table read before, and
            # this row, without quotes, has as many delimiters as that table's rows (two C-level
            # counts instead of splitting the row).
            if known.columns:  # its cells are read: split it (no other row is)
                shapes[line_start] = (line_end, row_shape(text[line_start:line_end]))
            tables[line_start] = known
            return known
        # The cheap test most other lines fail (prose, logs, forms: PII-dense text has thousands of
        # hits on such lines): the line above (the header or another row) holds one of this line's
        # delimiters. Only then are the lines split into cells.
        above_end = text.find("\n", above, line_start)
        if (above_end == above or text[above] in " \t\r") and self._is_blank(text, above, above_end):
            # a header may stand over one blank line (with as many of a delimiter: most lines after
            # a paragraph's blank line fail that count and are never split)
            above = self._row_above(text, above, lo)
            if above < 0 or not self._alike(text, line_start, line_end, above, text.find("\n", above, line_start)):
                tables[line_start] = None
                return None
            above_end = text.find("\n", above, line_start)
        for d in DELIMITERS:
            if text.find(d, line_start, line_end) >= 0 and text.find(d, above, above_end) >= 0:
                break
        else:
            tables[line_start] = None
            return None
        shape = self._shape(text, line_start, hi, shapes)[1]
        if shape is None:
            tables[line_start] = None
            return None
        delimiter, count = shape[0], len(shape[1])
        walked = [line_start]
        cur = line_start
        table: Table | None = None
        header = -1
        while True:
            prev = self._row_above(text, cur, lo)
            if prev < 0:
                header = cur
                break
            known = tables.get(prev)
            if known is not None and known.delimiter == delimiter and known.count == count:
                table = known
                break
            above = self._shape(text, prev, hi, shapes)[1]
            if above is None or above[0] != delimiter or len(above[1]) != count:
                header = cur
                across = self._header_across_blank(text, cur, prev, lo, hi, delimiter, count, shapes)
                if across >= 0:  # `name,dob⏎⏎Maria Lopez,03/06/1958`: the line over the blank
                    header = across
                    walked.append(across)
                break
            walked.append(prev)
            cur = prev
        if table is None:
            if header == line_start:
                tables[line_start] = None
                return None
            table = self._header(text, header, hi, shapes)
            if count == 1 and not self._ruled(text, header, hi, shapes):
                table = Table(delimiter, count, (), header=header)  # one cell a line: a table if ruled
            walked.pop()  # the header line: no data row
            tables[header] = None
        for w in walked:
            tables[w] = table
        return table

    @staticmethod
    def _is_blank(text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` (a line) holds only blanks."""
        return start >= end or text[start:end].isspace()

    @staticmethod
    def _alike(text: str, start: int, end: int, other: int, other_end: int) -> bool:
        """Whether the lines ``text[start:end]`` and ``text[other:other_end]`` may be rows of one
        table (two C-level counts): they hold as many of a delimiter, or one holds a quote (a
        quoted cell may hold the delimiter)."""
        if end < 0 or other_end < 0:
            return False
        if text.find('"', start, end) >= 0 or text.find('"', other, other_end) >= 0:
            return True
        return any(0 < text.count(d, start, end) == text.count(d, other, other_end) for d in DELIMITERS)

    def _header_across_blank(self, text: str, first: int, blank: int, lo: int, hi: int, delimiter: str, count: int,
                             shapes: dict[int, tuple[int, tuple[str, list[tuple[int, int]]] | None]]) -> int:
        """The start of a header standing over one blank line (``blank``) above the row at
        ``first`` (a line of its delimiter and cell count, and no such row over it: a header alone,
        not the last row of a table above), or -1."""
        end = text.find("\n", blank, first)
        if end != blank and (text[blank] not in " \t\r" or not self._is_blank(text, blank, end)):
            return -1
        over = self._row_above(text, blank, lo)
        if over < 0 or not self._alike(text, first, self._shape(text, first, hi, shapes)[0], over,
                                       text.find("\n", over, blank)):
            return -1
        shape = self._shape(text, over, hi, shapes)[1]
        if shape is None or shape[0] != delimiter or len(shape[1]) != count:
            return -1
        above = self._row_above(text, over, lo)
        if above >= 0:
            shape = self._shape(text, above, hi, shapes)[1]
            if shape is not None and shape[0] == delimiter and len(shape[1]) == count:
                return -1
        return over

    def _ruled(self, text: str, header: int, hi: int,
               shapes: dict[int, tuple[int, tuple[str, list[tuple[int, int]]] | None]]) -> bool:
        """Whether a border line (Markdown's ``|---|``, an ASCII table's ``+----+``) is under the
        header line at ``header``: what makes lines of one cell each (``| DOB |``) a table."""
        end = self._shape(text, header, hi, shapes)[0]
        newline = text.find("\n", end, end + 2)
        if newline < 0:
            return False
        nxt = newline + 1
        stop = text.find("\n", nxt, nxt + MAX_LINE if nxt + MAX_LINE < hi else hi)
        line = text[nxt:stop if stop >= 0 else hi].rstrip("\r")
        return bool(line) and line[0] in _BORDER_CHARS and is_border(line)

    @staticmethod
    def _row_above(text: str, line_start: int, lo: int) -> int:
        """The start of the line above ``line_start``, past at most :data:`MAX_BORDERS` border
        lines; -1 at the document's start or above a line longer than a row."""
        cur = line_start
        for _ in range(MAX_BORDERS + 1):
            end = cur - 1  # the newline ending the line above
            if end < lo:
                return -1
            reach = end - MAX_LINE if end - MAX_LINE > lo else lo
            start = text.rfind("\n", reach, end) + 1
            if start == 0:
                if reach > lo:
                    return -1
                start = lo
            if start < lo:
                start = lo
            if start == end or text[start] not in _BORDER_CHARS or not is_border(text[start:end]):
                return start
            cur = start
        return -1

    def _header(self, text: str, line_start: int, hi: int,
                shapes: dict[int, tuple[int, tuple[str, list[tuple[int, int]]] | None]]) -> Table:
        """The table whose header line starts at ``line_start``: which columns name personal data."""
        line_end, shape = self._shape(text, line_start, hi, shapes)
        assert shape is not None
        delimiter, cells = shape
        line = text[line_start:line_end]
        labels = [header_label(line[a:b]) for a, b in cells]
        if any(label is None and line[a:b].strip() for label, (a, b) in zip(labels, cells, strict=True)):
            # a cell too long for a column's name: a sentence
            return Table(delimiter, len(cells), (), header=line_start)
        columns: list[tuple[int, str | None]] = []
        deny_columns: list[tuple[int, str]] = []
        plain_names: list[int] = []
        for index, label in enumerate(labels):
            if not label:
                continue
            lower = label.lower()
            if self._names and _NAME_HEADER.fullmatch(lower):
                columns.append((index, None))
            elif self._names and lower == PLAIN_NAME:
                plain_names.append(index)
            elif self._label(label):
                columns.append((index, label))
            elif self._deny(label):
                deny_columns.append((index, label))
        if columns:
            # A plain `name` column names a person only beside another column of personal data.
            columns.extend((index, PLAIN_NAME_COLUMN) for index in plain_names)
            columns.sort(key=lambda c: c[0])
        return Table(delimiter, len(cells), tuple(columns), tuple(deny_columns), line_start)

    def _label(self, label: str) -> bool:
        return _remembered(self._labels, label, self._is_label)

    def denies(self, label: str) -> bool:
        """Whether the header cell ``label`` holds a deny word of some recognizer (remembered)."""
        return self._deny(label)

    def _deny(self, label: str) -> bool:
        return self._is_deny is not None and _remembered(self._denies, label, self._is_deny)


def _remembered(known: dict[str, bool], label: str, judge: Callable[[str], bool]) -> bool:
    """``judge(label)``, remembered in ``known`` (emptied when it holds :data:`MAX_KNOWN_LABELS`):
    a table's header cells repeat in every table of an export, and judging one reads the rules'
    word lists."""
    answer = known.get(label)
    if answer is None:
        if len(known) >= MAX_KNOWN_LABELS:
            known.clear()
        answer = known[label] = judge(label)
    return answer

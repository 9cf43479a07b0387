"""Values in table columns named for personal data (scrubber/detect/tables.py): CSV, TSV, semicolon
CSV, Markdown and ASCII tables, whose header cell is the value's label (docs/detection.md, "Table
columns").

A bare date, nine bare digits or a number under `MRN` are personal only by their label; in a table
the label is the column's header, rows away. What is found there is what the same value after the
same label on one line gives; what is kept: other columns' numbers and dates, tables of things
(benchmarks, releases), prose with commas, placeholders under a personal header, a header in
another document of the batch.
"""

from __future__ import annotations

from collections import Counter

import pytest

from scrubber.detect import tables
from scrubber.detect.tables import TableReader, row_shape, split_cells
from scrubber.records import Batch
from tests.detect_helpers import found, stage

TABLES_FOUND = [
    # CSV: the date of birth is a DOB only by its column; the name cell under `name`, in a table
    # whose header names other personal columns
    ("name,email,dob,phone\nMaria Lopez,mlopez@gmail.com,03/06/1958,555-201-3344",
     [("PERSON", "Maria Lopez"), ("EMAIL_ADDRESS", "mlopez@gmail.com"), ("DATE_OF_BIRTH", "03/06/1958"),
      ("PHONE_NUMBER", "555-201-3344")]),
    # TSV: nine digits without dashes are an SSN under `ssn`; the id and the ZIP code stay
    ("id\tfirst_name\tlast_name\tssn\tzip\n1\tMaria\tLopez\t536228145\t02139",
     [("PERSON", "Maria"), ("PERSON", "Lopez"), ("US_SSN", "536228145")]),
    # Markdown: the separator row is no row
    ("| Name | DOB | SSN |\n|---|---|---|\n| Maria Lopez | 03/06/1958 | 536228145 |",
     [("PERSON", "Maria Lopez"), ("DATE_OF_BIRTH", "03/06/1958"), ("US_SSN", "536228145")]),
    # ASCII: borders above, below the header and between rows
    ("+----+-------------+------------+-----------+\n"
     "| id | Name        | DOB        | SSN       |\n"
     "+====+=============+============+===========+\n"
     "| 1  | Maria Lopez | 03/06/1958 | 536228145 |\n"
     "+----+-------------+------------+-----------+\n"
     "| 2  | John Smith  | 04/07/1960 | 412751234 |\n"
     "+----+-------------+------------+-----------+",
     [("PERSON", "Maria Lopez"), ("DATE_OF_BIRTH", "03/06/1958"), ("US_SSN", "536228145"),
      ("PERSON", "John Smith"), ("DATE_OF_BIRTH", "04/07/1960"), ("US_SSN", "412751234")]),
    # psql's output: no outer pipes, a `---+---` border
    (" name        | date_of_birth\n-------------+---------------\n Maria Lopez | 1958-03-06",
     [("PERSON", "Maria Lopez"), ("DATE_OF_BIRTH", "1958-03-06")]),
    # semicolon CSV with a quoted cell holding the delimiter of other CSVs; every labelled
    # recognizer reads its column's header as its label
    ('patient name;passport;member_id;mrn;employee_id;account_number;iban;mobile;birthdate\n'
     '"Lopez, Maria";533380006;XGH847293011;004512789;E0048213;12345678;de89370400440532013000;439 4166;'
     '1958-03-06',
     [("PERSON", "Lopez, Maria"), ("PASSPORT_NUMBER", "533380006"), ("ACCOUNT_ID", "XGH847293011"),
      ("MEDICAL_RECORD_NUMBER", "004512789"), ("ACCOUNT_ID", "E0048213"), ("BANK_ACCOUNT", "12345678"),
      ("IBAN_CODE", "de89370400440532013000"), ("PHONE_NUMBER", "439 4166"), ("DATE_OF_BIRTH", "1958-03-06")]),
    # a comma CSV whose quoted cell holds commas: still one cell, the columns after it line up
    ('Member ID,Address,Date of Birth (MM/DD/YYYY)\nXGH847293011,"12 Oak St, Springfield",03/06/1958',
     [("ACCOUNT_ID", "XGH847293011"), ("STREET_ADDRESS", "12 Oak St, Springfield"), ("DATE_OF_BIRTH", "03/06/1958")]),
    # a plain `name` beside a phone: two words or more are a person's name, one a department's or
    # a service's (`Support`)
    ("| Name | Phone |\n|---|---|\n| Support | +1 312 555 0148 |\n| Maria Lopez | +1 312 555 0199 |",
     [("PHONE_NUMBER", "+1 312 555 0148"), ("PERSON", "Maria Lopez"), ("PHONE_NUMBER", "+1 312 555 0199")]),
    # camelCase and a national ID's name as the header
    ("userId,dateOfBirth,PESEL\n7,1944-05-14,44051401458",
     [("DATE_OF_BIRTH", "1944-05-14"), ("NATIONAL_ID", "44051401458")]),
]


@pytest.mark.parametrize(("text", "expected"), TABLES_FOUND)
def test_tables_value_under_its_header_is_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


TABLES_KEPT = [
    # numbers and dates under headers that name no personal value
    "id,count,zip,year,price,version,sha\n1234567,7654321,02139,1958,\"1,234,567.00\",10.0.19041,4d3a2b1",
    "date,released,created_at\n03/06/1958,1958-03-06,2020-01-01",
    "| Version | Released | Downloads |\n|---|---|---|\n| 3.2.1 | 03/06/1958 | 5362281 |",
    # a benchmark table: a plain `name` column names models when no other column is personal
    "| Model | Params | Accuracy |\n|---|---|---|\n| Llama 2 | 7000000 | 45.3 |",
    "| Name | Params | Accuracy |\n|---|---|---|\n| Mistral Large | 7000000 | 45.3 |",
    # prose and logs with commas: one line is no table, two lines of prose have no header of labels
    "In 1958, 536228145 people lived there, or so they said.",
    "DOB, SSN and the rest\nIn 1958, 536228145 people, lived there.",
    "2024-03-02 12:00:01,123 INFO worker, 536228145 rows\n2024-03-02 12:00:02,456 INFO worker, 536228145 rows",
    # a value starting a row is under its own column's header, not the header line's last word
    # (the header line read as a label line above the value made the id an SSN)
    "id,ssn\n536228145,n/a",
    "customer,pesel\n44051401458,n/a",
    # placeholders under a personal header
    "dob,ssn,mrn\nN/A,000-00-0000,-\n\"\",\"\",0000000",
    # a name column's placeholders and values that are no capitalised name (fast mode; full mode's
    # name_field_v1 reads lower-case values under `first_name`)
    "name,dob,id\nN/A,N/A,1234567\nUnknown,-,1234568\nJohn Doe,\"\",1234569\n1234570,x,1234571",
    "first_name,ssn\nmaria,000-00-0000",
    # a plain `name` column beside columns of things: products, not people
    "name,sku,price\nWidget Pro,1234567,9.99",
    # a header cell that is a sentence makes the line no header
    "Please write your SSN here, and the date\n536228145, 03/06/1958",
]


@pytest.mark.parametrize("text", TABLES_KEPT)
def test_tables_look_alikes_are_kept(text: str) -> None:
    assert found(text) == []


def test_tables_header_names_a_column_thousands_of_rows_down() -> None:
    """A real export has thousands of rows under one header: the last row still gets it."""
    rows = [f"{i},Row {i},{1000 + i}" for i in range(1, 5000)]
    text = "id,comment,ssn\n" + "\n".join(rows) + "\n5000,last,536228145\n"
    assert ("US_SSN", "536228145") in found(text)
    assert [v for e, v in found(text) if e != "US_SSN"] == []


def test_tables_walk_to_the_header_once_per_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line is split once and stepped over a bounded number of times however many rows hold a
    hit: the walk up to the header is cached per table, never made again per value (which is
    quadratic on an export)."""
    shapes: Counter[str] = Counter()
    steps: Counter[int] = Counter()
    row_shape_before, row_above_before = tables.row_shape, TableReader._row_above

    def counting_shape(line: str):  # type: ignore[no-untyped-def]
        shapes[line] += 1
        return row_shape_before(line)

    def counting_above(text: str, line_start: int, lo: int) -> int:
        steps[line_start] += 1
        return row_above_before(text, line_start, lo)

    monkeypatch.setattr(tables, "row_shape", counting_shape)
    monkeypatch.setattr(TableReader, "_row_above", staticmethod(counting_above))
    reader = TableReader(lambda label: label.lower() == "ssn", names=False)
    lines = ["id,ssn"] + [f"{i},{536228145 + i}" for i in range(3000)]
    text = "\n".join(lines)
    hits = [text.index(str(536228145 + i)) for i in range(3000)]
    cells = reader.cells(text, [0], [len(text)], hits[::7] + hits)
    assert [text[c.start:c.end] for c in cells] == [str(536228145 + i) for i in range(3000)]
    assert max(shapes.values()) == 1 and len(shapes) == len(lines)
    assert sum(steps.values()) <= 2 * len(lines)


def test_tables_header_of_one_document_labels_nothing_in_the_next() -> None:
    texts = ["notes\nid,ssn", "1,536228145\n2,536228146"]
    spans = stage().run(Batch({"text": texts})).spans()
    assert spans == [[], []]


def test_tables_cells_split_as_csv_reads_them() -> None:
    line = 'a,"Lopez, Maria","say ""hi"", ok",3'
    cells = split_cells(line, ",")
    assert cells is not None
    assert [line[a:b] for a, b in cells] == ["a", '"Lopez, Maria"', '"say ""hi"", ok"', "3"]
    assert split_cells('a,"open, never closed', ",") is None  # a stray quote: no row
    assert row_shape("| a | b |") == ("|", [(1, 4), (5, 8)])
    assert row_shape("no delimiter here") is None
    assert row_shape("a\tb,c") == ("\t", [(0, 1), (2, 5)])  # a tab before a comma


def test_tables_names_in_full_mode_are_one_span() -> None:
    """Full mode reads names by NER and `name_field_v1` too: the same cell is one span."""
    text = "first_name,last_name,dob\nMaria,Lopez,03/06/1958"
    assert found(text, "full") == [("PERSON", "Maria"), ("PERSON", "Lopez"), ("DATE_OF_BIRTH", "03/06/1958")]


def test_tables_cells_read_are_counted() -> None:
    st = stage()
    st.take_counters()
    st.run(Batch({"text": ["name,dob,ssn\nMaria Lopez,03/06/1958,536228145\nJohn Smith,04/07/1960,412751234"]}))
    assert st.take_counters()["table_cells"] == 6


DENIED_BY_THEIR_HEADER = [
    # an order's number laid out as a phone: kept under `order number`, as `order number:
    # 0123-4567-89` on one line is, the phone under `phone` still found
    ("order_id,order number,total\n17,0123-4567-89,12.50", []),
    ("phone,order number\n212-555-1234,0123-4567-89", [("PHONE_NUMBER", "212-555-1234")]),
    ("order number,phone\n0123-4567-89,212-555-1234", [("PHONE_NUMBER", "212-555-1234")]),
    # the header line's last cell is no label line for the row's first value: `store` labels it
    ("store,order number\n212-555-1234,A-17", [("PHONE_NUMBER", "212-555-1234")]),
    # header cells that are no label but hold a deny word keep their column's values too
    ("invoice,phone\n0123-4567-89,212-555-1234", [("PHONE_NUMBER", "212-555-1234")]),
    ("id,amount\n0123-4567-89,12.50", []),
    # a deny word labels its own column only: the phone beside it stays a phone
    ("id,phone\n1,0123-4567-89", [("PHONE_NUMBER", "0123-4567-89")]),
    # a `customer id` is an account's, as on one line (`customer id: 0123-4567-89`)
    ("id,customer id,phone\n1,0123-4567-89,212-555-1234",
     [("ACCOUNT_ID", "0123-4567-89"), ("PHONE_NUMBER", "212-555-1234")]),
]


@pytest.mark.parametrize(("text", "expected"), DENIED_BY_THEIR_HEADER)
def test_tables_header_cell_deny_word_keeps_its_column(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_tables_cell_reads_as_its_one_line_form() -> None:
    """The cell under a header keeps or finds what `header: value` on one line does."""
    for header, value in (("order number", "0123-4567-89"), ("invoice", "0123-4567-89"),
                          ("customer id", "0123-4567-89"), ("phone", "212-555-1234")):
        one_line = [e for e, _ in found(f"{header}: {value}")]
        in_table = [e for e, v in found(f"x,{header}\n1,{value}") if v == value]
        assert in_table == one_line, header


def test_tables_header_line_is_no_label_line_for_the_row_under_it() -> None:
    """Without a table (one cell per line) the label line above still cancels its value."""
    assert found("Order number\n0123-4567-89") == []
    assert found("Phone\n212-555-1234") == [("PHONE_NUMBER", "212-555-1234")]


ROWS_WITHOUT_A_HIT = [
    # rows with no digit run or `@` of their own, in a table another row shows to be personal
    ("name,dob\nMaria Lopez,N/A\nJohn Smith,03/06/1958\nAnna Berg,N/A",
     [("PERSON", "Maria Lopez"), ("PERSON", "John Smith"), ("DATE_OF_BIRTH", "03/06/1958"),
      ("PERSON", "Anna Berg")]),
    # above and below the row with the hit, past a Markdown separator and an ASCII table's borders
    ("| Name | DOB |\n|---|---|\n| Maria Lopez | N/A |\n| John Smith | 03/06/1958 |",
     [("PERSON", "Maria Lopez"), ("PERSON", "John Smith"), ("DATE_OF_BIRTH", "03/06/1958")]),
    ("+----+-------------+------------+\n| id | Name        | DOB        |\n"
     "+====+=============+============+\n| a  | Maria Lopez | n/a        |\n"
     "+----+-------------+------------+\n| 2  | John Smith  | 04/07/1960 |\n"
     "+----+-------------+------------+\n| b  | Anna Berg   | n/a        |",
     [("PERSON", "Maria Lopez"), ("PERSON", "John Smith"), ("DATE_OF_BIRTH", "04/07/1960"),
      ("PERSON", "Anna Berg")]),
    # a date of birth with its month in words: its day's hit starts the cell after the month
    ('name,dob\nMaria Lopez,"March 3, 1958"', [("PERSON", "Maria Lopez"), ("DATE_OF_BIRTH", "March 3, 1958")]),
    ('first_name,last_name,dob\nMaria,Lopez,"Sept. 4, 1960"\nJohn,Smith,n/a',
     [("PERSON", "Maria"), ("PERSON", "Lopez"), ("DATE_OF_BIRTH", "Sept. 4, 1960"), ("PERSON", "John"),
      ("PERSON", "Smith")]),
]


@pytest.mark.parametrize(("text", "expected"), ROWS_WITHOUT_A_HIT)
def test_tables_rows_without_a_hit_are_read(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


ROWS_WITHOUT_A_HIT_KEPT = [
    # a table with no personal column: its other rows are not read (a plain `name` names products)
    "name,sku,price\nWidget Pro,1234567,9.99\nGadget Max,n/a,1.99",
    "| Name | Params | Accuracy |\n|---|---|---|\n| Mistral Large | 7000000 | 45.3 |\n| Llama Two | n/a | 40.1 |",
    # the rows end where the table does: prose under it, a table of other cells beside it
    "name,dob\nJohn Smith,03/06/1958\n\nMaria Lopez wrote, Anna Berg replied\n",
    # a month's name before a number in prose is no cell
    "It was March 3, 1958, and name,dob were asked",
]


@pytest.mark.parametrize("text", ROWS_WITHOUT_A_HIT_KEPT)
def test_tables_rows_without_a_hit_kept(text: str) -> None:
    assert [e for e, v in found(text) if v not in ("John Smith", "03/06/1958")] == []


def test_tables_rows_without_a_hit_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """At most MAX_ROWS_WITHOUT_HIT rows of a table are read without a hit of their own."""
    monkeypatch.setattr(tables, "MAX_ROWS_WITHOUT_HIT", 3)
    reader = TableReader(lambda label: label.lower() == "dob", names=True)
    text = "full_name,dob\nMaria Lopez,03/06/1958\n" + "".join(f"Anna Berg{'x' * i},n/a\n" for i in range(10))
    hit = text.index("03/06")
    cells = reader.cells(text, [0], [len(text)], [hit])
    assert [text[c.start:c.end] for c in cells if c.label is None][:1] == ["Maria Lopez"]
    assert len([c for c in cells if c.label is None]) == 1 + 2  # the hit's row, then two more


HEADER_OVER_A_BLANK_OR_ONE_COLUMN = [
    # a header parted from its rows by one blank line
    ("name,dob\n\nMaria Lopez,03/06/1958\nJohn Smith,n/a",
     [("PERSON", "Maria Lopez"), ("DATE_OF_BIRTH", "03/06/1958"), ("PERSON", "John Smith")]),
    ("| Name | DOB |\n|---|---|\n\n| Maria Lopez | 03/06/1958 |",
     [("PERSON", "Maria Lopez"), ("DATE_OF_BIRTH", "03/06/1958")]),
    # one-column tables: the separator row (or an ASCII border) under the header proves the table
    ("| DOB |\n|---|\n| 03/06/1958 |", [("DATE_OF_BIRTH", "03/06/1958")]),
    ("| SSN |\n|---|\n| 536228145 |\n| 412751234 |", [("US_SSN", "536228145"), ("US_SSN", "412751234")]),
    ("+------------+\n| DOB        |\n+============+\n| 03/06/1958 |\n+------------+\n| 04/07/1960 |\n+------------+",
     [("DATE_OF_BIRTH", "03/06/1958"), ("DATE_OF_BIRTH", "04/07/1960")]),
    # without pipes, a label line above its value, as before
    ("DOB\n03/06/1958", [("DATE_OF_BIRTH", "03/06/1958")]),
]


@pytest.mark.parametrize(("text", "expected"), HEADER_OVER_A_BLANK_OR_ONE_COLUMN)
def test_tables_header_over_a_blank_line_and_one_column(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


HEADER_OVER_A_BLANK_OR_ONE_COLUMN_KEPT = [
    # one cell between pipes under no separator row is no table
    "| SSN |\n| 536228145 |",
    # one-column tables of things
    "| Year |\n|---|\n| 1958 |",
    "| id |\n|---|\n| 536228145 |",
    # the last row of a table above a blank line is no header for the table under it
    "id,kind\n1,ssn\n\n2,536228145",
    # a header over a blank line and prose with as many commas
    "Name, DOB\n\nIn 1958, 536228145 people lived there.",
]


@pytest.mark.parametrize("text", HEADER_OVER_A_BLANK_OR_ONE_COLUMN_KEPT)
def test_tables_header_over_a_blank_line_and_one_column_kept(text: str) -> None:
    assert found(text) == []


def test_tables_company_directory_keeps_companies_finds_people() -> None:
    """A plain `Name` beside a phone lists companies, teams and institutions as often as people:
    a cell with a company, team or institution word is kept, a person's name beside it found."""
    text = ("Name,Phone\nAcme Corp,555-201-3344\n\"Globex, Inc.\",555-201-3346\nInitech GmbH,555-201-3347\n"
            "Billing Team,555-201-3348\nEmory University,555-201-3349\nAcme S.A.,555-201-3353\n"
            "Maria Lopez,555-201-3350\nCorey Coe,555-201-3352")
    assert [v for e, v in found(text) if e == "PERSON"] == ["Maria Lopez", "Corey Coe"]
    assert len([e for e, _ in found(text) if e == "PHONE_NUMBER"]) == 8


@pytest.mark.parametrize("value", ["Acme Corp", "Globex, Inc.", "Initech GmbH", "Hooli LLC", "Vandelay Ltd",
                                   "Acme S.A.", "Billing Team", "Platform Group", "Emory University"])
def test_tables_organisation_cells_are_no_names(value: str) -> None:
    words = stage()._engine.rules.ner
    assert tables.is_org_value(value, words.org_words, words.team_words, words.institution_words)


@pytest.mark.parametrize("value", ["Maria Lopez", "Corey Coe", "Lopez, Maria", "Jean-Luc Picard", "Grace Incognito"])
def test_tables_people_are_no_organisations(value: str) -> None:
    words = stage()._engine.rules.ner
    assert not tables.is_org_value(value, words.org_words, words.team_words, words.institution_words)


def test_tables_batch_of_documents_reads_each_table_under_its_own_header() -> None:
    """Documents of one batch, each with its own table (deny-word and personal columns)."""
    texts = ["id,amount\n0123-4567-89,12.50\n", "order_id,phone,full_name\n17,212-555-1234,Maria Lopez\n",
             "name,dob\nMaria Lopez,N/A\nJohn Smith,03/06/1958", "invoice,phone\n0123-4567-89,212-555-1234"]
    batch = stage().run(Batch({"text": texts}))
    got = [[(s.entity_type, t[s.start:s.end]) for s in spans] for t, spans in zip(texts, batch.spans(), strict=True)]
    assert got == [[], [("PHONE_NUMBER", "212-555-1234"), ("PERSON", "Maria Lopez")],
                   [("PERSON", "Maria Lopez"), ("PERSON", "John Smith"), ("DATE_OF_BIRTH", "03/06/1958")],
                   [("PHONE_NUMBER", "212-555-1234")]]

"""Names in fields named for a name (scrubber.detect.name_fields): records and CSV columns."""

from __future__ import annotations

import pytest

from tests.detect_helpers import found


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a record's fields, one word each, in any case: no list or model vouched for them
        ('{"firstName": "Harriet", "lastName": "Calloway", "dob": "1987-04-12"}', ["Harriet", "Calloway"]),
        ('{"first_name":"kwame","last_name":"mensah","phone":"x"}', ["kwame", "mensah"]),
        ("<person><firstName>Dolores</firstName><lastName>Whitfield</lastName></person>", ["Dolores", "Whitfield"]),
        ("surname: Okonkwo\nforename: Chidi", ["Okonkwo", "Chidi"]),
        ("Last name: Calloway", ["Calloway"]),
        # a CSV or TSV export: the cells under the name columns
        ("first_name,last_name,city\nHarriet,Calloway,Chicago\nKwame,Mensah,Accra",
         ["Harriet", "Calloway", "Kwame", "Mensah"]),
        ('First Name,Last Name,Email\n"Ana Lucía","Pérez",x', ["Ana Lucía", "Pérez"]),
        ("id\tgiven_name\tfamily_name\n1\tTomasz\tWiśniewski", ["Tomasz", "Wiśniewski"]),
    ],
)
def test_name_fields_values_are_names(text: str, names: list[str]) -> None:
    people = [value for entity, value in found(text, "full") if entity == "PERSON"]
    assert all(name in people for name in names), people


@pytest.mark.parametrize(
    "text",
    [
        # code, types, schemas and placeholders hold no name
        "first_name = user.first_name",
        "lastName: this.lastName,",
        "firstName: string;",
        "first_name = models.CharField(max_length=50)",
        "last_name = request.form['last_name']",
        '{"lastName": null, "firstName": ""}',
        '<xs:element name="lastName" type="xs:string"/>',
        "SELECT first_name, last_name FROM users WHERE id = 1;",
        # a sentence with a comma is no header; the rows below it are no table
        "Full name, as on your passport\nDate of birth, if known",
    ],
)
def test_name_fields_code_and_schemas_hold_no_name(text: str) -> None:
    assert [value for entity, value in found(text, "full") if entity == "PERSON"] == []


def test_name_fields_a_display_name_is_left_to_the_lists() -> None:
    """Extensions and apps have display names ("displayName": "Python" in every VS Code package.json)."""
    assert [e for e, _ in found('{"name": "python", "displayName": "Python", "publisher": "ms-python"}', "full")
            if e == "PERSON"] == []

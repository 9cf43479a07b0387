"""Logins that own code comments (USERNAME): `TODO(rkapoor)` (code_owner_user_v1, from the
call_argument scan's `(`) and `@author mtanaka` alone on its doc-comment line (doc_author_user_v1,
from the `@` windows). Topics, priorities, bug references, English words and generic accounts in
the same slots are kept (docs/detection.md, "Code comments")."""

from __future__ import annotations

import pytest

from tests.detect_helpers import found, logins, users


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("# TODO(rkapoor): remove this hack once the upstream fix lands", ["rkapoor"]),
        ("// FIXME(mtanaka): handle EOF\nint x;", ["mtanaka"]),
        ("/* XXX(jsmith88) */", ["jsmith88"]),
        ("    // TODO(a.nowak): merge with parse()", ["a.nowak"]),
        # every mention: two comments by the same engineer
        ("// TODO(pkumar) first\n// TODO(pkumar) second", ["pkumar", "pkumar"]),
    ],
)
def test_todo_owner_is_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "// TODO(cleanup): drop after the migration",  # English words: topics, not logins
        "// TODO(security) TODO(someone) TODO(later)",
        "// TODO(perf): avoid the copy",  # lists.code_owner_topics: what the dictionary lacks
        "// TODO(p2) TODO(v2) TODO(i18n) TODO(a11y)",
        "# TODO(nullable) also string[python] should return nullable dtypes",  # the code's own words
        "// TODO(b/123456): flaky on arm",  # bug references
        "// TODO(#123) and TODO(crbug.com/1234) and TODO(https://example.org/x)",
        "// TODO(root) TODO(admin)",  # generic accounts
        "// TODO(Jane): capitalised, NER's in full mode",
        "ASSERT_TRUE(ok); EXPECT_EQ(a, b); CHECK_NE(x, y); DEBUG_TODO(fix)",  # macros
        "TODO (rkapoor) with a space is prose",
        "// todo(rkapoor) in lower case",
    ],
)
def test_todo_owner_look_alikes_are_kept(text: str) -> None:
    assert logins(text) == []


def test_todo_owner_is_reported_by_its_recognizer() -> None:
    assert users("# TODO(rkapoor): x") == [("rkapoor", "code_owner_user_v1")]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("/**\n * Parses the config.\n * @author mtanaka\n */", ["mtanaka"]),
        ("/** @author jsmith88 */", ["jsmith88"]),
        ("<?php\n/**\n * @author   d.okafor\n */", ["d.okafor"]),
    ],
)
def test_doc_author_login_is_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


@pytest.mark.parametrize(
    "text",
    [
        " * @author admin\n * @author generated\n * @author unknown",
        " * @author mtanaka and others",  # not alone on its line
        " * @authors mtanaka",
        "email me@author mtanaka",
        " * @author Siobhan Gallagher",  # a name: NER's in full mode, not a login
    ],
)
def test_doc_author_look_alikes_are_kept(text: str) -> None:
    assert logins(text) == []


def test_doc_author_with_email_reports_the_address_not_a_login() -> None:
    text = " * @author Siobhan Gallagher <sgallagher@fastmail.com>"
    assert found(text) == [("EMAIL_ADDRESS", "sgallagher@fastmail.com")]

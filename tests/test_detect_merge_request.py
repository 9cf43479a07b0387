"""The account a merged pull request came from in GitHub's merge commits (USERNAME,
merge_request_user_v1): `Merge pull request #2256 from Jonxslays/patch/typing-fix`. Git logs of
GitHub projects hold one per merged pull request, under the commit's `Author:` line, whose address
opens the window read. Bots' branches and prose are kept (docs/detection.md, "Code comments")."""

from __future__ import annotations

import pytest

from tests.detect_helpers import logins, users

#: A commit's header as `git log` prints it: the address opens the window the title is read in.
HEADER = "commit 46a1\nAuthor: Ivo Marsh <ivo.marsh@acme.io>\nDate:   Sun Mar 20 15:22:22 2022 -0700\n\n    "


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (HEADER + "Merge pull request #2256 from Jonxslays/patch/typing-fix", ["Jonxslays"]),
        (HEADER + "Merge pull request #7 from octo-cat42/main\n\n    Fix typo", ["octo-cat42"]),
        # the account's other mentions in the document are found too
        (HEADER + "Merge pull request #7 from octocat/main\n\nFix typo, thanks octocat", ["octocat", "octocat"]),
    ],
)
def test_merge_request_account_is_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "Merge pull request #12 from dependabot/pip/requests-2.31",  # bots and apps
        "Merge pull request #13 from pre-commit-ci/pre-commit-ci-update-config",
        "Merge pull request #14 from Renovate/lock-file",
        "I opened a pull request #5 from my fork",  # no branch after the account
        "Merge pull request #2256 from -bad-/x",  # no account's shape
        "Merge pull request #9 from pallets/main",  # an English word: mostly the project's own organisation
        "Merge branch 'main' into fix",
    ],
)
def test_merge_request_look_alikes_are_kept(text: str) -> None:
    assert logins(HEADER + text) == []


def test_merge_request_account_is_reported_by_its_recognizer() -> None:
    assert users(HEADER + "Merge pull request #1 from octocat/x") == [("octocat", "merge_request_user_v1")]

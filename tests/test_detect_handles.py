"""Handles on a platform after its name or a contact phrase (USERNAME, social_handle_v1): the
handle is found and only it (the `@` and the platform's name stay); mentions with no such word,
e-mail addresses, scoped packages, decorators and placeholders are kept (docs/detection.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.detect_helpers import found, logins


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("contact me on telegram @alex_petrov91 or whatsapp", ["alex_petrov91"]),
        ("IG: @priya.makes", ["priya.makes"]),  # a dot inside a handle, a full stop after it
        ("my insta is @priya.makes.", ["priya.makes"]),
        ("Twitter/X: @hlowe_dev", ["hlowe_dev"]),
        ("X: @hlowe_dev", ["hlowe_dev"]),
        ("DM me @jenna_k for details", ["jenna_k"]),
        ("Follow me on TikTok (@dance.with.mei)", ["dance.with.mei"]),
        ("bluesky @maria.bsky.social", ["maria.bsky.social"]),
        ("Venmo @Jenna-K? no: venmo @jennak_22", ["Jenna-K", "jennak_22"]),
        ("Venmo me @jenna-k-22 for the tickets", ["jenna-k-22"]),  # hyphens inside: Venmo's handles
        # a list after one platform word: each handle within the line's reach
        ("IG: @priya.makes / @priya.bakes", ["priya.makes", "priya.bakes"]),
        ("Find me on Twitter @sam_okafor,\nor mail sam@okafor.dev", ["sam_okafor"]),
        # in a JSON string the line break is escaped; a handle on the platform word's line is still one
        ('{"bio": "Photographer | Instagram: @priya.makes\\nBerlin"}', ["priya.makes"]),
        ('{"bio": "follow me on twitter \\"@sam_okafor\\""}', ["sam_okafor"]),
    ],
)
def test_handles_after_a_platform_or_contact_phrase_are_found(text: str, handles: list[str]) -> None:
    assert logins(text) == handles


@pytest.mark.parametrize(
    "text",
    [
        "thanks @octocat for the fix",  # a mention, no platform word: most are public accounts
        "Twitter\n@hlowe_dev",  # the platform word on another line
        "email me at jenna@gmail.com, twitter is better",  # an address, not a handle
        "twitter: npm i -D @types/node",  # a scoped package
        "Follow me on Instagram @username",  # placeholders
        "my telegram is @yourhandle",
        "dm @user for access",
        "the tg @ channel",  # no handle after the sign
        "twitter @NASA",  # capitals only: an organisation's account, as user fields read it
        "a threadsafe @Override",  # a word that only starts like a platform's name
        "// Handle case where at least one of {@code a} or {@code b} is null",  # Javadoc inline tags
        # a source map's sourcesContent: the escaped line break ends the line of `handle`
        '"sourcesContent":["/**\\n   * function to handle `then` for a `Promise`\\n   * @param {Function} rejected',
        '"  /**\\n   * @param [opts.signMode=negative] - How to handle signs\\n   * @example Duration.fromObject"',
    ],
)
def test_mentions_addresses_and_placeholders_are_kept(text: str) -> None:
    assert logins(text) == []


def test_only_the_handle_is_replaced_and_an_address_beside_it_is_an_address() -> None:
    text = "telegram @alex_petrov91, mail alex.petrov@yandex.ru"
    assert found(text) == [("USERNAME", "alex_petrov91"), ("EMAIL_ADDRESS", "alex.petrov@yandex.ru")]


def test_other_mentions_of_a_found_handle_go_with_or_without_the_sign() -> None:
    """The handle is the person's login: later mentions, `@` or not, are the same account; a longer
    handle and an address at a host of that name stay as they are read."""
    text = ("Telegram: @alex_petrov91. Later alex_petrov91 wrote again, and @alex_petrov91 replied; "
            "@alex_petrov912 is someone else, mail me at alex@alex_petrov91.ru")
    spans = found(text)
    assert [c for e, c in spans if e == "USERNAME"] == ["alex_petrov91"] * 3
    assert ("EMAIL_ADDRESS", "alex@alex_petrov91.ru") in spans


# -- a handle without its `@` after a platform's name and a colon (platform_label_user_v1) ---------
@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("Skype: alex.petrov.1991", ["alex.petrov.1991"]),
        ("Skype: live:alex.petrov", ["alex.petrov"]),  # Skype's `live:` ids: the handle after it
        ("IG: priya.makes | Snapchat: jenna_k22", ["priya.makes", "jenna_k22"]),
        ("Discord: jenna#1234, Venmo: @jenna-k-22", ["jenna#1234", "jenna-k-22"]),
        ("cashapp: $jennak22", ["jennak22"]),  # the tag after `$`
        ("Cash App: $jennak22", ["jennak22"]),  # the app's name as written, with its space
        ("Contact\nTelegram: alex_p91\nEmail: alex@example.org", ["alex_p91"]),
    ],
)
def test_handles_after_a_platform_label_without_the_sign_are_found(text: str, handles: list[str]) -> None:
    assert logins(text) == handles


@pytest.mark.parametrize(
    "text",
    [
        "Twitter: the company said it would stop.",  # prose after the colon, not a handle
        "Skype: Alex Petrov",  # a display name: one capitalised word, NER's in full mode
        "Telegram: channel\nInstagram: username\nig: n/a",  # words, placeholders
        "Skype: root",  # a generic account
        'url = "https://example.com/a:b"\nx = {"tg": 1}',  # code
        "kig: priya.makes",  # a platform's name must start its word
        "Cash App: $20\nVenmo: $15, Cash App: $HOME\ncash app: ${name}",  # prices, shell variables
    ],
)
def test_words_and_placeholders_after_a_platform_label_are_kept(text: str) -> None:
    assert logins(text) == []


# -- MediaWiki signatures and user links (wiki_user_v1) ---------------------------------------------
@pytest.mark.parametrize(
    ("text", "accounts"),
    [
        # a talk page's signature: the account, its display text (the same name: its other mention)
        ("I disagree. [[User:Hlowe42|Hlowe42]] ([[User talk:Hlowe42|talk]]) 12:04, 3 March 2024 (UTC)",
         ["Hlowe42", "Hlowe42", "Hlowe42"]),
        (":Agreed. --[[User:Marta.k|Marta]] 14:11, 3 March 2024 (UTC)", ["Marta.k"]),
        ("[[User:Marta Kowalska|Marta]]", ["Marta Kowalska"]),  # an account's name may hold a space
        ("See https://en.wikipedia.org/wiki/User:Hlowe42 and /wiki/User_talk:Bishonen#Help",
         ["Hlowe42", "Bishonen"]),
    ],
)
def test_wiki_signatures_and_user_links_name_the_account(text: str, accounts: list[str]) -> None:
    assert logins(text) == accounts


@pytest.mark.parametrize(
    "text",
    [
        "Replace [[User:Example]] with your name; [[User:YourName|you]].",  # placeholders
        "[[Wikipedia:Manual of Style]] and [[Help:Editing]] and [[Category:Users]]",  # other namespaces
        "user: hlowe42",  # no wiki link
    ],
)
def test_wiki_placeholders_and_other_namespaces_are_kept(text: str) -> None:
    assert logins(text) == []


_RECOGNIZERS = Path(__file__).resolve().parent.parent / "rules" / "detect" / "recognizers.yaml"
_LABEL_PLATFORMS = yaml.safe_load(_RECOGNIZERS.read_text(encoding="utf-8"))["lists"]["label_platforms"]


@pytest.mark.parametrize("platform", _LABEL_PLATFORMS)
def test_every_label_platform_is_read_by_the_colon_scan(platform: str) -> None:
    """The `:` scan spells the platforms out (its regex takes no lists): each one listed in
    lists.label_platforms must reach the recognizer, in its usual capitals and in lower case."""
    assert logins(f"{platform.title()}: jenna_k22") == ["jenna_k22"]
    assert logins(f"{platform}: jenna_k22") == ["jenna_k22"]

"""The authors of chat logs (USERNAME, chat_author_user_v1): IRC author tags and join/quit lines,
Discord headers, forum quote headers; their addressing at a message's start (chat_addressee_v1) and
their other mentions (username_coref_v1). Only the nick is reported; markup, generics, e-mail
quoting, bots, services and placeholders are kept (docs/detection.md, "Chat logs")."""

from __future__ import annotations

import re

import pytest

from scrubber.api import load_pipeline
from scrubber.detect.rules import load_rules
from scrubber.detect.scan import TriggerScanner
from scrubber.detect.validators import chat_nick
from tests.detect_helpers import found, logins, shipped_words, users
from tests.test_detect_scan import RULES

# -- IRC -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("<jsmith> anyone seen the build break?", ["jsmith"]),
        ("[12:04] <marta_k> yes, since 11:40", ["marta_k"]),
        ("12:04:33 <+ops_guy> restarting the bot", ["ops_guy"]),      # the mode prefix stays
        ("12:04 <@chan_op> please keep it on topic", ["chan_op"]),
        ("[2024-03-14 12:04:33] <kbond> hello", ["kbond"]),           # ZNC
        ("2024-03-14T12:04:33 <kbond> hello", ["kbond"]),
        ("Mar 14 12:04:33 <kbond>\thello", ["kbond"]),                  # HexChat, a tab after
        ("[9:02 PM] <jenna_k> brb", ["jenna_k"]),
        ("<Guest4821_> is this the right channel?", ["Guest4821_"]),
        ("<[Kev]> hi", ["[Kev]"]),                                      # IRC's special characters
        ('{"text": "#ubuntu log\\n<jsmith> hi\\n<marta_k> hey"}', ["jsmith", "marta_k"]),  # a JSON string
        ("-!- marta_k [~marta@host.example.net] has quit [Quit: bye]", ["marta_k"]),
        ("*** kbond (~kb@10.0.0.7) has joined #ubuntu", ["kbond"]),
        ("--> jsmith (~js@pool-1.example.net) has joined #python", ["jsmith"]),
        ("-!- jsmith [~js@host.example.net] is now known as jsmith_away", ["jsmith"]),
        # tab-separated logs: WeeChat, the Ubuntu dialogue corpus (sender, addressee, text)
        ("2024-03-14 12:04:33\tjsmith\thello", ["jsmith"]),
        ("[12:04:33]\tana_b\thi", ["ana_b"]),
        ("2004-11-23T03:50:00.000Z\tkbond\tjsmith\ttry apt-get", ["kbond"]),
    ],
)
def test_irc_author_is_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


def test_irc_log_nicks_and_their_other_mentions() -> None:
    """A nick found as an author is also taken where the log names it otherwise: a join line
    without its host, addressing, an `@` mention (username_coref_v1)."""
    text = ("* jsmith has joined #ubuntu\n"
            "<jsmith> anyone seen the build break?\n"
            "[12:04] <marta_k> jsmith: yes, since 11:40\n"
            "<jsmith> thanks @marta_k\n")
    assert users(text) == [
        ("jsmith", "username_coref_v1"), ("jsmith", "chat_author_user_v1"),
        ("marta_k", "chat_author_user_v1"), ("jsmith", "username_coref_v1"),
        ("jsmith", "chat_author_user_v1"), ("marta_k", "username_coref_v1")]


def test_chat_author_that_is_an_english_word_is_spread_only_where_addressed() -> None:
    """`frank` is an English word, which username_coref_v1 never spreads; a message opening with it
    and `:` or `,` addresses the author (chat_addressee_v1); the word elsewhere stays."""
    text = ("[12:04] <frank> hello all\n"
            "frank: you there?\n"
            "[12:05] <marta_k> frank, see above\n"
            "to be frank, no\n"
            "Frank: a capitalised word is not the nick\n")
    assert users(text) == [
        ("frank", "chat_author_user_v1"), ("frank", "chat_addressee_v1"),
        ("marta_k", "chat_author_user_v1"), ("frank", "chat_addressee_v1")]


def test_irc_line_only_the_nick_is_redacted() -> None:
    pipeline = load_pipeline(mode="fast")
    text = "[12:04] <+marta_k> yes, since 11:40"
    assert pipeline({"text": [text]})["text"] == ["[12:04] <+<USER>> yes, since 11:40"]


@pytest.mark.parametrize(
    "text",
    [
        # markup opening a line as an author tag does
        "<div> text\n<br> more text\n<li> item\n<td> cell</td>",
        "<p> The <b>bold</b> word",                      # a closing tag later on the line
        "<item> value</item>",
        "    <span> indented</span>",
        # generics, includes, comparisons, e-mail quoting, autolinks
        "<T> void swap(T a, T b)",
        "<String> list = new ArrayList<>();",
        "List<String> names = new ArrayList<>();",
        "#include <stdio.h> // io",
        "if a <b> c: pass",
        "> quoted reply\n>> older quote",
        "<https://example.org/x> is the link",
        "Write to <jane@gmail.com> today",
        # bots and services, placeholders
        "<ChanServ> You are now identified for jsmith_x.",
        "<NickServ> This nickname is registered.",
        "<dependabot[bot]> Bumps lodash from 4.17.20 to 4.17.21.",
        "<deploy-bot> deployed build 1234",
        "<GitHub> [repo] push to main",
        "<ubottu> Ubuntu 22.04 is supported until 2027",
        "<nick> message\n<username> <password>\n<file> the input file",
        "<commit> the commit to check out\n<branch-name> the branch\n<your_nick> hi",
        # a string's first characters in code, a grammar's rules
        'tok.encode("<unk> Hey")\nlabels = tokenizer("<extra_id_0> cute dog <extra_id_1> the")',
        'msg = "<MonthEnd> is a non-fixed frequency"',
        "<typespec> = byte | character\n<intentspec> ::= in | out",
        # tab-separated logs whose second column is no nick: levels, threads, WeeChat's event prefixes
        "12:04:33\tINFO\tstarted\n12:04:33\tdebug\tx\n12:04:34\tworker\tjob 7 done",
        "2024-03-14 12:04:40\t-->\tmarta (~m@host) has joined\n2024-03-14 12:04:41\t*\tx waves",
        # one capitalised word or one character, as in user fields
        "<Jenna> hi",
        "<x> hi",
        # not at a line's start
        "the tag <jsmith> hi",
        "-!- ChanServ [ChanServ@services.] has joined #ubuntu",
        "Contact jsmith (jsmith@gmail.com) has joined the team",   # an address, no ident's `~`/host layout
    ],
)
def test_irc_look_alikes_are_kept(text: str) -> None:
    assert [n for n in logins(text) if n != "jsmith@gmail.com"] == []


# -- Discord, forums -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("jenna_k — Today at 3:04 PM\nanyone up?", ["jenna_k"]),
        ("marcus.t — 03/14/2024 9:02 PM\nsame here", ["marcus.t"]),
        ("marcus.t — Yesterday at 11:15 AM\nok", ["marcus.t"]),
        ("Quote from: jenna_k on March 14, 2024, 09:02:11 PM", ["jenna_k"]),
        ("Quote from: marcus.t on Today at 09:02:11 AM\nI agree", ["marcus.t"]),
        ("@jenna_k said:\nthis is wrong", ["jenna_k"]),
        ("@jenna_k wrote:\n> quoted", ["jenna_k"]),
    ],
)
def test_discord_and_forum_authors_are_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "Jenna — Today at 3:04 PM",                       # one capitalised word: a display name
        "The meeting — today at 3:04 PM — ran long",      # prose: not a line's only words
        "Clyde — 03/14/2024 9:02 PM",                      # Discord's bot
        "MEE6 — Today at 3:04 PM",
        "Quote from: Anonymous on March 14, 2024, 09:02:11 PM",
        "Quote from: guest on March 14, 2024, 09:02:11 PM",
        "As the docs said: use @username said: in templates",
        "@username said:\nx",                              # a placeholder
    ],
)
def test_discord_and_forum_look_alikes_are_kept(text: str) -> None:
    assert logins(text) == []


# -- forum quote attributions, BBCode, chat exports, Reddit ------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("jenna_k wrote: I think the patch is fine", ["jenna_k"]),
        ("> jenna_k wrote:\n> I think the patch is fine", ["jenna_k"]),             # mail and forum quoting
        ("> > marcus.t wrote:\n> > +1", ["marcus.t"]),
        ("Quote\njenna_k wrote: \u2191\nI think so", ["jenna_k"]),                    # phpBB
        ("jenna_k said:\nthis is wrong", ["jenna_k"]),                               # XenForo
        ("frank wrote:\n> see above", ["frank"]),                 # a word, when `wrote:` ends its line
        ("Quote\nbluesky said: \u2191\nagreed", ["bluesky"]),
        ("On Tue, Mar 3, 2020 at 10:14 AM jenna_k wrote:\n> the patch", ["jenna_k"]),  # Gmail
        ("On 03/03/2020 10:14, jenna_k wrote:\n> x", ["jenna_k"]),                    # Thunderbird
        ('{"text": "hi\\n> jenna_k wrote:\\n> x"}', ["jenna_k"]),                   # inside a JSON string
        ("Quote:\nOriginally Posted by jenna_k\nI think so", ["jenna_k"]),           # vBulletin
        ("Quote: Originally Posted by jenna_k View Post\nfine", ["jenna_k"]),
        ("Quote:\nOriginally Posted by Jenna K\nx", ["Jenna K"]),
        ("Post by jenna_k \u00bb Tue Mar 03, 2020 10:14 am\nhello", ["jenna_k"]),    # phpBB's post header
        ("by marcus.t \u00bb 03 Mar 2020, 10:14\nx", ["marcus.t"]),
        ('[quote="jenna_k"]I think the patch is fine[/quote]', ["jenna_k"]),           # BBCode
        ("[quote=jenna_k;12345]fine[/quote]", ["jenna_k"]),                            # vBulletin
        ("[QUOTE=jenna_k, post: 123, member: 45]fine[/QUOTE]", ["jenna_k"]),           # XenForo
        ('[QUOTE="jenna_k, post: 123, member: 45"]fine[/QUOTE]', ["jenna_k"]),
        ('[quote name="jenna_k" post="12"]fine[/quote]', ["jenna_k"]),                 # IPB
        ('[quote="jenna_k" post_id=123 time=1583230440 user_id=45]x[/quote]', ["jenna_k"]),  # phpBB
        ("[quote author=jenna_k link=topic=12.msg3#msg3 date=1583230440]x[/quote]", ["jenna_k"]),  # SMF
        ("[quote=&quot;jenna_k&quot;]x[/quote]", ["jenna_k"]),                         # HTML-escaped
        ('[quote="Maria Lopez"]no[/quote]', ["Maria Lopez"]),                  # the account name
        ("jenna_k  10:42 AM\nhey all", ["jenna_k"]),                                  # Slack
        ("jenna_k [10:42]\nhey", ["jenna_k"]),
        ("[10:42 AM] jenna_k: hey", ["jenna_k"]),                                      # Teams
        ("[10:42] JakeWharton: hey", ["JakeWharton"]),
        ("thanks u/jenna_k and /u/marcus_t", ["jenna_k", "marcus_t"]),                 # Reddit
        ("see https://www.reddit.com/user/jenna_k/ for more", ["jenna_k"]),
    ],
)
def test_quote_and_export_authors_are_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


@pytest.mark.parametrize("mode", ["fast", "full"])
@pytest.mark.parametrize(
    "text",
    [
        "He wrote: this is it",                            # one capitalised word
        "The author wrote: nothing",                       # not a line's one word before `wrote:`
        "Someone wrote:\n> hi",
        "Anonymous wrote:",
        "Guest wrote: hello",
        "The compiler wrote: error",
        "Python wrote the file",
        "admin wrote: hi",                                 # roles and generic words
        "moderator said: locked",
        "OP wrote: thanks",
        "user wrote: x",
        "he said: fine",
        "the committee\nalso wrote: that the plan",       # a wrapped line of prose
        "and then my\nfather said: don't go",              # a word and text after `said:`
        "as the\nreviewer wrote: a fine book",
        "    f.wrote: 1\n    stream.write: 2",             # code
        'print("He said: hi")',
        "[quote]no author[/quote]",
        '[quote="Wikipedia"]x[/quote] and [quote=Einstein]y[/quote]',  # one capitalised word: a source
        "[quote=admin]x[/quote]",
        "[quote=jenna_k x",                                # no closing bracket or attribute after it
        "see u/deleted and [deleted] and u/AutoModerator",
        "src/u/utils.py and lib/u/helpers",                # a path
        "https://mail.google.com/mail/u/0/#inbox",
        "Meeting  10:42 AM",                               # a line with a time, not a chat export
        "start 10:30",
        "lunch 12:30 PM",
        "[10:42] INFO: started",                           # logs
        "[10:42:01] main: started",
        "[10:42] note: see above",
        "The meeting is at 10:30",
        "Quote: Originally Posted by admin\nx",
        "Quote: Originally Posted by Wikipedia",
        "Originally posted by the BBC in 2019",            # no `Quote:` before it
        "Post by admin \u00bb Tue Mar 03, 2020 10:14 am",
        "by the way \u00bb it was 10:14",
        '"a\\n2020-01-01\\n2020-01-02 10:00\\n",',          # dates in a string (pandas' tests): no nick
    ],
)
def test_quote_and_export_look_alikes_are_kept(text: str, mode: str) -> None:
    assert logins(text, mode) == []


def test_quote_author_feeds_its_other_mentions() -> None:
    """The author of a quote is a login like any other: its other mentions in the thread go too."""
    text = "jenna_k wrote:\n> fine\nAgreed with jenna_k here, thanks @jenna_k"
    assert users(text) == [("jenna_k", "chat_author_user_v1"), ("jenna_k", "username_coref_v1"),
                           ("jenna_k", "username_coref_v1")]


def test_bbcode_quote_author_feeds_its_other_mentions() -> None:
    text = '[quote="jenna_k"]fine[/quote]\nAgreed with jenna_k here'
    assert users(text) == [("jenna_k", "chat_author_user_v1"), ("jenna_k", "username_coref_v1")]


def test_bbcode_author_is_a_username_also_when_it_reads_as_a_name() -> None:
    """The quote's slot holds the forum account's name: a USERNAME in both modes, not left to the
    names of full mode (fast mode has none)."""
    for mode in ("fast", "full"):
        assert found('[quote="Maria Lopez"]no[/quote]', mode) == [("USERNAME", "Maria Lopez")]


def test_quote_author_with_an_email_keeps_neither() -> None:
    """A mail client's header with the address: the address is an EMAIL_ADDRESS, the nick a login."""
    text = "On Tue, Mar 3, 2020 at 10:14 AM jenna_k <jenna.k@gmail.com> wrote:\n> x"
    assert found(text) == [("USERNAME", "jenna_k"), ("EMAIL_ADDRESS", "jenna.k@gmail.com")]


# -- the validator and the trigger -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["jsmith", "marta_k", "ops_guy", "Guest4821_", "[Kev]", "JakeWharton", "abbot"])
def test_chat_nick_accepts_logins(value: str) -> None:
    assert chat_nick(shipped_words(), value)


@pytest.mark.parametrize("value", ["div", "br", "LI", "ChanServ", "NickServ", "GitHub", "dependabot[bot]",
                                   "deploy-bot", "StatsBot", "stats.bot", "nick", "username", "file", "Jenna",
                                   "T", "xxx", "USERNAME", "moderator", "deleted", "AutoModerator", "also",
                                   "OP"])
def test_chat_nick_refuses_markup_bots_and_placeholders(value: str) -> None:
    assert not chat_nick(shipped_words(), value)


def test_chat_author_trigger_shares_the_secret_keyword_positions() -> None:
    """Each literal of chat_author is anchored on the `:`, `=` and `>` positions secret_keyword
    and user_field collect (same characters, same lower-cased copy): prose pays no scan of its own."""
    rules = load_rules(RULES)
    scanners = {t.name: TriggerScanner(t.regexes, t.engine, t.on_lower) for t in rules.triggers
                if t.name in ("secret_keyword", "chat_author")}
    assert scanners["chat_author"].on_lower == scanners["secret_keyword"].on_lower
    assert all(a is not None for a in scanners["chat_author"].anchors)
    assert {a.chars for a in scanners["chat_author"].anchors} == {a.chars for a in scanners["secret_keyword"].anchors}


def test_chat_author_trigger_refuses_tags_not_opening_a_line() -> None:
    """HTML's tags open no window: the trigger's lookbehind wants a line's start, a tab, `]`, a
    digit or `pm` and a space before the `<`."""
    (trigger,) = [t for t in load_rules(RULES).triggers if t.name == "chat_author"]
    irc = re.compile(trigger.regexes[0])
    text = "<p>x</p> <b> y <jsmith> z\n<jsmith> hi\n[12:04] <ana> x\n<br>x <br> y"
    assert [m.start() for m in irc.finditer(text)] == [text.index("<jsmith> hi"), text.index("<ana>")]

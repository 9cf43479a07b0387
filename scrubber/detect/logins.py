"""Other mentions of a login name found in a document.

A login is found where its layout says it is one: a home directory (``/home/jsmith/``), a shell
prompt (``jsmith@laptop:~$``), a remote command, a user field (recognizers ``*_user_v1``). The same
document then often writes it where no layout tells: an auth log's ``Accepted publickey for jsmith
from ...``, ``sudo:   jsmith : TTY=...``, ``chown jsmith:staff``, a sentence ("jsmith's build
fails"). Redacting the path but not those left the login in the clear beside its placeholder, as
:func:`scrubber.detect.names.coreferent` prevents for names.

Only logins that cannot be an ordinary word are spread: three characters or more, not digits only,
not an English dictionary word ("server", "build": those would be redacted all over a document
because one path held them). A chat log's author (``<frank> hello``) is the exception where the
log itself says so: a message opening with the nick and a ``:`` or ``,`` addresses that person
(``frank: try this``, ``[12:05] <marta_k> frank, see above``), an English word or not.
"""

from __future__ import annotations

import bisect

import regex

from scrubber.detect.dictionary import EnglishDictionary
from scrubber.detect.recognizers import Candidate

USERNAME = "USERNAME"
LOGIN_COREF_RECOGNIZER = "username_coref_v1"
#: Addressing of a chat author at the start of a message (``frank: try this``).
CHAT_ADDRESSEE_RECOGNIZER = "chat_addressee_v1"
#: The recognizer whose logins are chat authors (rules/detect/recognizers.yaml).
CHAT_AUTHOR_RECOGNIZER = "chat_author_user_v1"
#: Below every pattern recognizer: an address or secret that holds the login wins the overlap.
LOGIN_COREF_PRIORITY = 1
#: Fewer characters than this are too often something else ("ab", "js").
MIN_LOGIN_CHARS = 3
#: A word a login could be: letters, digits, `_`, and `.`/`-` inside, not inside a longer login, a
#: path segment, an e-mail address's local part or a dotted name (bounded: a login has at most 64
#: characters). An `@` before it is a mention (`@jsmith`), and is no part of the span; a domain
#: after an `@` holds a dot, which no login word ends before. Logins with other characters (a
#: Windows profile's space) are not spread.
_LOGIN_WORD = regex.compile(r"(?<![\w.\-])\w(?:[\w.\-]{0,62}\w)?(?![\w\-@]|\.\w)")
#: A nick addressed at the start of a message: the line's start (after up to three blanks) or the
#: end of an IRC author tag (``<marta_k> ``), the nick, then ``:`` or ``,`` and a blank or the
#: line's end. Bounded as :data:`_LOGIN_WORD`.
_ADDRESSED = regex.compile(
    r"(?m)(?:^[ \t]{0,3}|(?<=>[ \t]))(?P<nick>[\w\[\]\\^{}|`](?:[\w\-\[\]\\^{}|`.]{0,62}[\w\[\]\\^{}|`])?)"
    r"(?=[:,](?:[ \t]|$))")


def other_login_mentions(text: str, found: list[Candidate], dictionary: EnglishDictionary) -> list[Candidate]:
    """USERNAME candidates for each whole-word occurrence of a found login not already covered.

    A whole word: not inside a longer login, path segment, e-mail address or dotted name
    (``jsmith2``, ``x.jsmith``, ``jsmith@gmail.com`` stay as the other recognizers read them).
    """
    logins = {text[c.start:c.end]: c.score for c in found if c.entity == USERNAME}
    spread = {w: score for w, score in logins.items()
              if len(w) >= MIN_LOGIN_CHARS and not w.isdigit() and w not in dictionary}
    # Chat authors that are English words (`<frank>`): spread only where a message addresses them.
    addressed = {text[c.start:c.end]: c.score for c in found
                 if c.recognizer == CHAT_AUTHOR_RECOGNIZER and text[c.start:c.end] not in spread}
    if not spread and not addressed:
        return []
    # One scan for every login-shaped word, looked up in the set (an alternation of the logins was
    # a regex whose compile time grew faster than their number: 16,000 logins, 0.4 s), and a
    # bisection per mention into the spans already found.
    covered = sorted((c.start, c.end) for c in found if c.entity == USERNAME)
    starts = [s for s, _ in covered]
    ends = [e for _, e in covered]
    out: list[Candidate] = []
    if addressed:
        for m in _ADDRESSED.finditer(text):
            score = addressed.get(m.group("nick"))
            if score is None:
                continue
            start = m.start("nick")
            k = bisect.bisect_right(starts, start) - 1
            if k >= 0 and ends[k] > start:
                continue
            out.append(Candidate(start, m.end("nick"), USERNAME, score, CHAT_ADDRESSEE_RECOGNIZER,
                                 LOGIN_COREF_PRIORITY))
    if not spread:
        return out
    for m in _LOGIN_WORD.finditer(text):
        score = spread.get(m.group())
        if score is None:
            continue
        k = bisect.bisect_right(starts, m.start()) - 1
        if k >= 0 and ends[k] > m.start():
            continue
        out.append(Candidate(m.start(), m.end(), USERNAME, score, LOGIN_COREF_RECOGNIZER, LOGIN_COREF_PRIORITY))
    return out

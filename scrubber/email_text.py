"""E-mail addresses as text writes them when it hides them from plain matching, shared by detection
and pseudonymization.

Detection finds ``grace%40gmail.com`` (a link's query string), ``jane&#64;gmail.com`` (raw HTML),
``jane [at] gmail [dot] com`` and ``jane dot doe at gmail dot com`` (spelled out against
harvesters); the domain check, the keep rules (``example.com``, ``noreply@``) and the
pseudonymizer's "same address, same surrogate" all need the plain address, and the pseudonymizer
needs the ``@`` and ``.`` spellings to write its surrogate the same way.
"""

from __future__ import annotations

import html
import re

#: How ``@`` is written in place: URL-encoded, an HTML character reference, spelled in brackets or
#: as a word between spaces (``jane at gmail dot com``; an address has no other space).
AT_FORM = re.compile(
    r"%40|&#0{0,3}64;|&#[xX]0{0,2}40;|&commat;"
    r"|[ \t]{0,2}(?:\[[ \t]{0,2}[aA][tT][ \t]{0,2}\]|\([ \t]{0,2}[aA][tT][ \t]{0,2}\))[ \t]{0,2}"
    r"|[ \t]{1,3}[aA][tT][ \t]{1,3}"
)
#: How ``.`` is written in place of a dot (a plain ``.`` is not listed).
DOT_FORM = re.compile(
    r"&#0{0,3}46;|&#[xX]0{0,2}2[eE];|&period;"
    r"|[ \t]{0,2}(?:\[[ \t]{0,2}[dD][oO][tT][ \t]{0,2}\]|\([ \t]{0,2}[dD][oO][tT][ \t]{0,2}\))[ \t]{0,2}"
    r"|[ \t]{1,3}[dD][oO][tT][ \t]{1,3}"
)
_BRACKETED = re.compile(
    r"[ \t]{0,2}(?:\[[ \t]{0,2}(at|dot)[ \t]{0,2}\]|\([ \t]{0,2}(at|dot)[ \t]{0,2}\))[ \t]{0,2}", re.IGNORECASE
)
_SPELLED = re.compile(r"[ \t]{1,3}(at|dot)[ \t]{1,3}", re.IGNORECASE)
_SPACED_AT = re.compile(r"[ \t]*@[ \t]*")
#: A quoted-printable soft line break (RFC 2045): `=` at the end of an encoded line, which the
#: decoder removes with the line break; an address of a quoted-printable body may hold one.
_SOFT_BREAK = re.compile(r"=\r?\n")


def plain_address(value: str) -> str:
    """``value`` with its ``@`` (and dots, and other characters) written plainly again; an address
    already holding ``@`` is returned as is (its ``&`` or brackets are its own characters)."""
    if "@" in value:
        if "=\n" in value or "=\r\n" in value:
            # `jane.d=⏎oe@gmail.com` of a quoted-printable body: the address once decoded.
            value = _SOFT_BREAK.sub("", value)
        # Spaces around the `@` (`jane.doe @ gmail.com`) are no part of an address.
        return _SPACED_AT.sub("@", value) if " @" in value or "@ " in value or "\t" in value else value
    if "&" in value:
        value = html.unescape(value)
        if "@" in value:
            return value
    if "[" in value or "(" in value:
        value = _BRACKETED.sub(lambda m: "@" if (m[1] or m[2]).lower() == "at" else ".", value)
        if "@" in value:
            return value
    if " " in value or "\t" in value:
        value = _SPELLED.sub(lambda m: "@" if m[1].lower() == "at" else ".", value)
        if "@" in value:
            return value
    local, at, domain = value.rpartition("%40")
    return f"{local}@{domain}" if at else value


def respell(address: str, like: str) -> str:
    """The plain ``address`` written the way ``like`` writes its ``@`` and dots (``like`` as found in
    the text: ``jane [at] gmail [dot] com`` turns ``x.y@example.com`` into ``x.y [at] example [dot] com``;
    the local part's dots are respelled only when ``like`` spells its own: ``jane dot doe at gmail dot
    com`` gives ``x dot y at example dot com``)."""
    at = AT_FORM.search(like) if "@" not in like else None
    if at is None:
        return address
    local, _, domain = address.rpartition("@")
    dot = DOT_FORM.search(like, at.end())
    if dot is not None:
        domain = domain.replace(".", dot.group())
    local_dot = DOT_FORM.search(like, 0, at.start())
    if local_dot is not None:
        local = local.replace(".", local_dot.group())
    return f"{local}{at.group()}{domain}"

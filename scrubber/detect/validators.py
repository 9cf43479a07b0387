"""Checksums and sanity checks that turn a regex candidate into a detection (or reject it).

Each validator is a plain function ``(value: str) -> bool | int`` referenced by name from
``rules/detect/recognizers.yaml``: ``True`` accepts the whole match, ``False``/``0`` rejects it and a
positive ``int`` accepts only that many leading characters (IBAN: the regex may run into the next
word, the country's fixed length says where the IBAN really ends). They are kept apart from the
regexes so each can be tested on its own, and they never log the value they look at.

Validators that turn away words (placeholders that are no password, bots that are no chat nick)
read them from the rules, ``validators:`` of recognizers.yaml, not from constants here: the words
are tuning data a user edits, as the regexes' ``lists:``. Such a validator is ``(words, value)``
(:data:`LIST_VALIDATORS`), and :func:`validators_for` binds it to one rules folder's
:class:`ValidatorWords` once per engine, so it is called as ``(value)`` like the others. What stays
here is what a format or a standard fixes: check digits, weights, issuer prefixes, IBAN lengths,
CURP states, National Insurance prefixes, the regions phone numbers are parsed for.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial

import phonenumbers

from scrubber.checksums import (
    base58check_payload,
    bech32_valid,
    eip55_valid,
    iban_valid,
    luhn_valid,
    segwit_address_valid,
    verhoeff_valid,
)
from scrubber.email_text import plain_address

# phonenumbers compiles its metadata regexes on every use unless told to keep them; through the
# standard library's cache each call still paid the flag handling in Python, ~6 calls per number
# validated (~15% of phone validation in a profile). Its own switch keeps them (a few thousand
# patterns at most).
phonenumbers.enable_pattern_cache()

ValidatorResult = bool | int
Validator = Callable[[str], ValidatorResult]


@dataclass(frozen=True, slots=True)
class ValidatorWords:
    """The word lists the validators read, from ``validators:`` of rules/detect/recognizers.yaml.

    Why a value built with the rules, not module constants: a user tunes these words (a default
    password of their sample configs, a bot of their chat logs) without touching code, and two rules
    folders in one process must not share them. Built once per engine; a lookup costs what the
    constants' did.
    """

    #: ``email_spelled.not_mailboxes``: words before "at" in prose, no mailbox (``works at yahoo dot com``).
    not_mailboxes: frozenset[str]
    #: ``email_at_word.not_mailboxes``: a site's part or audience before "at <site>.com" (``users at hotmail.com``).
    not_site_mailboxes: frozenset[str]
    #: ``letter_password.not_passwords``: unquoted words after a password key that are no password.
    not_passwords: frozenset[str]
    #: ``literal_secret.file_suffixes``: a value ending in one names a key or config file.
    file_suffixes: tuple[str, ...]
    #: ``markup_secret.label_words`` and ``label_openers``: an element's text holding or opening with
    #: one is a label or an instruction, no passphrase.
    label_words: frozenset[str]
    label_openers: frozenset[str]
    #: ``field_login.not_logins``: values of a user field that are no login.
    not_logins: frozenset[str]
    #: ``chat_nick.markup_tags`` and ``not_nicks``, as one set: what stands in a chat log's author
    #: slot and is no person (both are looked up alike, so one lookup serves).
    not_chat_nicks: frozenset[str]

    @classmethod
    def from_lists(cls, lists: Mapping[str, Mapping[str, tuple[str, ...]]]) -> ValidatorWords:
        """From the checked lists, validator -> list name -> words (``rules.DetectRules.validator_lists``)."""
        return cls(
            not_mailboxes=frozenset(lists["email_spelled"]["not_mailboxes"]),
            not_site_mailboxes=frozenset(lists["email_at_word"]["not_mailboxes"]),
            not_passwords=frozenset(lists["letter_password"]["not_passwords"]),
            file_suffixes=tuple(lists["literal_secret"]["file_suffixes"]),
            label_words=frozenset(lists["markup_secret"]["label_words"]),
            label_openers=frozenset(lists["markup_secret"]["label_openers"]),
            not_logins=frozenset(lists["field_login"]["not_logins"]),
            not_chat_nicks=frozenset(lists["chat_nick"]["markup_tags"]) | frozenset(lists["chat_nick"]["not_nicks"]),
        )


#: The lists each validator reads under ``validators:`` of recognizers.yaml, and how the word of
#: the text is folded before it is looked up — the form a listed word must be written in (a word
#: in another form could never be found): ``lower`` (``str.lower``), ``casefold``, or ``suffix``
#: (a file name's ending, ``.pem``, lower case). A validator calling another also applies the
#: other's lists (literal_secret applies letter_password's; chat_nick field_login's).
VALIDATOR_LISTS: dict[str, dict[str, str]] = {
    "email_spelled": {"not_mailboxes": "lower"},
    "email_at_word": {"not_mailboxes": "lower"},
    "letter_password": {"not_passwords": "lower"},
    "literal_secret": {"file_suffixes": "suffix"},
    "markup_secret": {"label_words": "lower", "label_openers": "lower"},
    "field_login": {"not_logins": "casefold"},
    "chat_nick": {"markup_tags": "casefold", "not_nicks": "casefold"},
}


#: Issuer prefixes (IIN) of the card networks we redact: Visa 4, Mastercard 51-55 and 2221-2720,
#: Amex 34/37, Discover 6011/644-649/65, Diners 300-305/36/38, JCB 3528-3589, UnionPay 62, Maestro
#: 50/56-69. Requiring a real prefix keeps millisecond timestamps and ids that pass Luhn by chance.
_CARD_PREFIX = re.compile(r"4|5[0-9]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[0-8]|6")


#: JCB's legacy 15-digit ranges (1800, 2131): issued, Luhn-checked, never another length.
_CARD_LEGACY_15 = ("1800", "2131")


#: En and em dashes, which typeset text puts between digit groups where a hyphen was typed
#: (``+44 20 7946–0958``). The view keeps them (they join ranges: ``1990–2000``), so the phone and
#: card patterns accept them as separators and the validators read them as the hyphen, judging
#: ``1990–2000`` exactly as ``1990-2000``.
_DASHES = str.maketrans("\u2013\u2014", "--")


def _hyphens(value: str) -> str:
    """``value`` with en and em dashes read as hyphens (ASCII values, nearly all, untouched)."""
    return value if value.isascii() else value.translate(_DASHES)


def credit_card(value: str) -> bool:
    """13–19 digits, a known issuer prefix, consistent grouping and a valid Luhn checksum."""
    digits = _hyphens(value).replace(" ", "").replace("-", "")
    if not (13 <= len(digits) <= 19) or not digits.isdigit():
        return False
    if len(set(digits)) == 1:
        return False
    if digits.startswith(_CARD_LEGACY_15):
        return len(digits) == 15 and luhn_valid(digits)
    if not _CARD_PREFIX.match(digits):
        return False
    return luhn_valid(digits)


def card_any_issuer(value: str) -> bool:
    """12–19 digits with a valid Luhn checksum, whatever the issuer prefix.

    For the recognizer that also needs a card word next to the number (``card no 501803075628``):
    Maestro numbers may have 12 digits and issuers come and go, so the prefix is not checked; the
    checksum still is, because every issued card passes it and 9 in 10 digit runs (order numbers,
    ids) do not. A number that fails Luhn cannot be charged: a typo or a test value, not a card.
    """
    digits = _hyphens(value).replace(" ", "").replace("-", "")
    if not (12 <= len(digits) <= 19) or not digits.isdigit() or len(set(digits)) == 1:
        return False
    return luhn_valid(digits)


#: IBAN length per country (ISO 13616 registry); a wrong length is never a valid IBAN.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}


def iban(value: str) -> int:
    """Length (in characters of ``value``) of the valid IBAN it starts with, or 0.

    The regex may swallow a following word ("DE89 3704 ... 00 IS"); the country's fixed length
    says where the IBAN ends, so we count that many alphanumerics and check mod-97 on them.
    """
    want = IBAN_LENGTHS.get(value[:2].upper())
    if want is None:
        return 0
    taken = 0
    compact = []
    for i, ch in enumerate(value):
        if ch == " ":
            continue
        compact.append(ch.upper())
        taken = i + 1
        if len(compact) == want:
            break
    if len(compact) != want:
        return 0
    return taken if iban_valid("".join(compact)) else 0


def us_ssn(value: str) -> bool:
    """Reject SSNs the SSA never issues (area 000/666/9xx, group 00, serial 0000) and famous samples."""
    digits = value.replace(" ", "").replace("-", "")
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return not (len(set(digits)) == 1 or digits in ("123456789", "078051120", "219099999"))


def us_itin(value: str) -> bool:
    """Refuse an ITIN that is one digit repeated (``999-99-9999``, the placeholder forms print):
    the recognizer's pattern holds the IRS's ranges, and without a label this is what is left to
    tell a typed-in sample from a taxpayer's number."""
    digits = value.replace(" ", "").replace("-", "")
    return len(digits) == 9 and digits.isdigit() and len(set(digits)) > 1


#: A dotted quad as ``ipaddress`` writes and accepts it: four decimal octets 0-255, ASCII digits,
#: no leading zero (what the ipv4 recognizer matches).
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED_QUAD = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


@lru_cache(maxsize=1 << 16)
def ip_address(value: str) -> bool:
    """A syntactically valid IPv4 or IPv6 address (allow-lists decide later what is kept).

    Cached per process: ``ipaddress`` parses in Python (~2-6 µs), and logs and configs repeat the
    same addresses many times. A plain dotted quad, every ipv4 match, is valid without parsing
    (~0.3 µs): ``ipaddress`` accepts exactly those four octets.
    """
    if _DOTTED_QUAD.fullmatch(value):
        return True
    try:
        ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return False
    return True


#: Eight colon-separated pairs of hex digits: bytes, not an address (the last line of a certificate's
#: fingerprint or signature in `openssl x509 -text` output, `31:b2:4b:d3:69:7b:91:b4`). No host's
#: address is written so: a global one starts with a group of four digits (2000::/3).
_HEX_BYTES = re.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){7}")


def ipv6_address(value: str) -> bool:
    """A valid IPv6 address with at least three groups' worth of structure, not a listing of bytes.

    Two-colon tokens such as ``a::b`` or ``std::`` parse as IPv6 but are code; real addresses in
    text are global unicast (2000::/3), link-local or loopback, and the allow-list drops the
    non-public ones afterwards, so we only require that it parses and is not a bare ``::x`` form.
    """
    if value.count(":") < 2 or _HEX_BYTES.fullmatch(value):
        return False
    try:
        addr = ipaddress.IPv6Address(value.split("%", 1)[0])
    except ValueError:
        return False
    return addr.ipv4_mapped is not None or int(addr) >> 125 == 1 or value.count(":") >= 4


@lru_cache(maxsize=1)
def _offline_tld_extractor():
    """tldextract with the public-suffix snapshot bundled in the wheel: never fetches the list."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def email_parts(value: str) -> tuple[str, str]:
    """(local part, domain) of an e-mail address, lower-cased; ``@`` may be URL-encoded (``%40``),
    an HTML character reference (``&#64;``, with other characters encoded too) or spelled in
    brackets (``[at]``, ``(dot)``): see :func:`scrubber.email_text.plain_address`."""
    local, _, domain = plain_address(value).lower().rpartition("@")
    return local, domain


def email_domain(value: str) -> bool:
    """The domain after ``@`` ends in a real public suffix (offline list) and has a registrable name
    — as written, or read with Cyrillic and Greek look-alikes of Latin letters as Latin
    (``gmail.cοm`` with a Greek omicron, ``gmail.сом`` in Cyrillic): such a domain reads as the
    Latin one and must not pass as "no public suffix". Real Cyrillic and Greek domains
    (``почта.рф``) pass as written."""
    domain = email_parts(value)[1]
    return _registrable(domain) or (not domain.isascii() and _registrable(domain.translate(_LOOKALIKES)))


#: Cyrillic and Greek letters drawn like Latin ones, lower-cased as domains are compared: the lower
#: case of a capital look-alike counts too (``СОМ`` → ``сом``, ``Μ`` → ``μ``).
_LOOKALIKES = str.maketrans("аесорхуіјѕԁһӏмтнвкοαικνρτυχμηβζ", "aecopxyijsdhlmthbkoaikvptuxmhbz")


#: A plain address as email_v2 matches it (for addresses decoded from another spelling).
_PLAIN_EMAIL = re.compile(
    r"[\w!#$%&'*+/=?^`{|}~\-]{1,64}(?:\.[\w!#$%&'*+/=?^`{|}~\-]{1,64}){0,8}"
    r"@(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.){1,8}[^\W\d_]{2,63}"
)


def email_obfuscated(value: str) -> bool:
    """An address written with HTML character references or ``[at]``/``(dot)``: decoded, it is a
    plain address (email_v2's shape) whose domain passes :func:`email_domain`."""
    plain = plain_address(value)
    return _PLAIN_EMAIL.fullmatch(plain) is not None and email_domain(plain)


def email_soft_break(value: str) -> bool:
    """An address cut by quoted-printable soft line breaks (``jane.d=⏎oe@exam=⏎ple-corp.com``): it
    holds one (else email_v2 reads it, and reports it once), and decoded it is a plain address
    (email_v2's shape) whose domain passes :func:`email_domain`."""
    return ("=\n" in value or "=\r\n" in value) and email_obfuscated(value)


def email_spelled(words: ValidatorWords, value: str) -> bool:
    """An address spelled out with words (``jane at gmail dot com``, ``j dot doe at yahoo dot co dot
    uk``): decoded, a plain address whose domain passes :func:`email_domain`, whose local part is no
    word that stands before "at" in prose (``words.not_mailboxes``: ``works at yahoo dot com``;
    pronouns, auxiliaries, verbs and nouns of work, visits and shopping, adverbs).

    The recognizer already asks for a mail provider's domain or an e-mail word right before; this
    catches the sentences that still fit (``She works at Yahoo dot com``)."""
    plain = plain_address(value)
    if _PLAIN_EMAIL.fullmatch(plain) is None or not email_domain(plain):
        return False
    return plain.rpartition("@")[0].lower() not in words.not_mailboxes


def email_at_word(words: ValidatorWords, value: str) -> bool:
    """An address with "at" spelled and plain dots (``jane at gmail.com``): :func:`email_spelled`,
    and no word of ``words.not_site_mailboxes`` as the mailbox: a site's part or audience
    (``contact support at support.microsoft.com``, ``users at hotmail.com``). With a plain dot the
    domain reads as a web site's name, which prose mentions far more often than a spelled-out
    ``gmail dot com``, so these are refused on top of email_spelled's words."""
    if not email_spelled(words, value):
        return False
    return plain_address(value).rpartition("@")[0].lower() not in words.not_site_mailboxes


def registrable_domain(domain: str) -> bool:
    """``domain`` ends in a public suffix of the offline list and has a name before it (``例子.中国``;
    not ``公司.香港``, itself a suffix). :func:`email_domain` without reading an address."""
    return _registrable(domain.lower())


@lru_cache(maxsize=1)
def top_level_labels() -> frozenset[str]:
    """The last label of every public suffix in the offline list (``com``, ``中国``, ``한국``, ``コム``):
    where a top-level domain glued to the next words may end (scrubber.detect.textview)."""
    return frozenset(suffix.rpartition(".")[2] for suffix in _offline_tld_extractor().tlds)


@lru_cache(maxsize=1 << 16)
def _registrable(domain: str) -> bool:
    """Cached: domains repeat across a corpus and tldextract costs ~20 µs a call."""
    parts = _offline_tld_extractor()(domain)
    return bool(parts.suffix) and bool(parts.domain)


#: Shapes that phonenumbers may accept but that are other things: a dotted quad (an IPv4 address;
#: with a prefix length, a network: ``192.168.10.0/24``), the 3-2-4 SSN layout, a decimal below one
#: (``0.939000``, a format's version in Debian's manuals).
_NOT_A_PHONE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,3})?|\d{3}-\d{2}-\d{4}|0\.\d+")
#: An IPv4 address inside a longer run (not the whole value: :data:`_NOT_A_PHONE`), with its port
#: or a neighbouring number: `from 192.168.0.40 80 to any` (ipfw), `RemoteAddress="IPV4/TLS/192.0.2.2/30245"`
#: (Asterisk), squid's `5 175.44.0.184` (elapsed time, client); a network written short,
#: `deny 192.168.100/24` (chrony). Configs and logs hold these by the thousand; a phone number
#: is not written as four dotted groups of at most three digits with none beside them
#: (`06.12.34.56.78` has five: no match).
_IPV4_INSIDE = re.compile(rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\d.])"
                          r"|(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}/\d{1,2}(?!\d)")

#: Regions whose national format starts with a trunk 0 (GB 07911 123456, DE 030 1234567,
#: FR 01 23 45 67 89, AU (02) 9876 5432, IN 080 1234 5678).
TRUNK_ZERO_REGIONS = ("GB", "DE", "FR", "AU", "IN")
#: A Korean national number as Korean text writes it: the area code (Seoul 02, 031-064; mobiles
#: 010-019, personal numbers 050, VoIP 070), then 3-4 and 4 digits, separators between (an 11-digit
#: run starting 010 can be any id: phone_number takes it only where a phone word must vouch for it);
#: or the area code bracketed: (02) 1234-5678. Service numbers
#: (1588-1234) are too short to tell from other codes without a phone word: not here.
_KR_LAYOUT = re.compile(r"(?:0(?:2|[1-8]\d)[ \-.]|\(0(?:2|[1-8]\d)\) ?)\d{3,4}[ \-.]\d{4}")
#: A document number laid out as a Korean phone: series, year (1990-2039), sequence below 1000
#: (010-2024-0001, an invoice or case number). A real number is written so rarely: of mobiles
#: 010-XXXX-XXXX, one in 2,000 (middle group 2000-2039, last below 1000).
_SERIES_YEAR_SEQUENCE = re.compile(r"0\d{1,2}-(?:199\d|20[0-3]\d)-0\d{3}")
#: A Ukrainian or Belarusian number as their text writes it (one layout, the Soviet one): the
#: trunk 8 standing alone (Belarus; old Ukrainian text too), then the area or operator code with
#: its trunk 0, bracketed or followed by a separator, Ukrainian `0 44` too, then the subscriber
#: number ending in two pairs (123-45-67, 12-34-56), as 3-4 (050 123 4567) or in one group
#: (8 029 1234567). Never one run: 0501234567 can be any id.
_UA_BY_LAYOUT = re.compile(r"(?:8[ \-]?)?(?:\(0\d{2,4}\)[ \-]?|0 ?\d{2,4}[ \-])"
                           r"(?:\d{1,3}[ \-]\d\d[ \-]\d\d|\d{3}[ \-]\d{4}|\d{6,7})")


#: TRUNK_ZERO_REGIONS with one region moved to the front (see _trunk_zero_order).
_FIRST = {region: (region, *(r for r in TRUNK_ZERO_REGIONS if r != region)) for region in TRUNK_ZERO_REGIONS}
_DIGIT_RUN = re.compile(r"\d+")


def _trunk_zero_order(text: str, digits: str) -> tuple[str, ...]:
    """The regions of :data:`TRUNK_ZERO_REGIONS`, the one whose numbers look like ``text`` first.

    Why: phone_number accepts a trunk-0 number valid in *any* of them and parses it once per region
    tried (~28 µs each), so trying the likely region first saves parses; French and Australian
    numbers were tried three and four times. The answer is the same in any order: for digits
    ``0[1-9]...`` (7-15 of them) ``phonenumbers.parse`` raises for no region (no international
    prefix to strip, a national number of 6+ digits), so ``any`` sees the same verdicts. Digits
    starting ``00`` (written ``(00...)``) keep the fixed order, there the regions' international
    prefixes apply; so do non-ASCII digits, which phonenumbers reads as ASCII ones.

    With the trunk 0, French and Australian national numbers have 10 digits (French written in
    pairs, Australian as ``(0X) XXXX XXXX`` or mobiles ``04XX XXX XXX``), British and Indian mostly
    10-11; German ones vary in length, so other lengths try Germany first. Only the order is a
    guess: every region is still tried until one accepts.
    """
    if digits[1] == "0" or not digits.isascii():
        return TRUNK_ZERO_REGIONS
    if len(digits) == 10:
        groups = [len(g) for g in _DIGIT_RUN.findall(text)]
        if groups == [2, 2, 2, 2, 2]:
            return _FIRST["FR"]
        if text.startswith("(0") or groups == [4, 3, 3]:
            return _FIRST["AU"]
        return TRUNK_ZERO_REGIONS
    if len(digits) == 11:
        return TRUNK_ZERO_REGIONS
    return _FIRST["DE"]


#: A trunk 8 standing alone before the rest of the number: ``8 (495)``, ``8(495)``, ``8-800``, ``8 912``.
_TRUNK_EIGHT = re.compile(r"8(?:[ \-]?\(|[ \-])")

_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*\d{1,6}$", re.IGNORECASE)
_NON_DIGIT = re.compile(r"\D")


def _strip_extension(value: str) -> str:
    value = _hyphens(value.strip())
    if "x" in value or "X" in value:  # x123, ext. 123, extension 123
        return _EXTENSION.sub("", value)
    return value


@lru_cache(maxsize=1 << 16)
def phone_number(value: str) -> bool:
    """A number ``phonenumbers`` accepts for one of the supported regions.

    With a country code (``+`` or ``00``) the number must be *possible* for that country. Without
    one, a number starting with the trunk 0 must be *valid* in one of :data:`TRUNK_ZERO_REGIONS`,
    or for KR, UA or BY and laid out as there (:data:`_KR_LAYOUT`, :data:`_UA_BY_LAYOUT`); one with
    a trunk 8 standing alone valid for RU (country code 7) or, before a 0, for BY; any other must
    be a *valid* Indian or Chinese mobile or a complete North American number (US, CA) — valid,
    or possible and laid out as NANP numbers are written (synthetic and newly assigned
    numbers often fail the validity tables; the layout is strong evidence). Cached per process
    because ``phonenumbers`` costs ~100 µs a call; the cache lives only in memory.
    """
    if len(value) < 7:  # fewer than 7 characters cannot hold 7 digits
        return False
    text = _strip_extension(value)
    if _NOT_A_PHONE.fullmatch(text) or _DATE_SHAPE.fullmatch(text) or ("." in text and _IPV4_INSIDE.search(text)):
        return False
    digits = _NON_DIGIT.sub("", text)
    if not 7 <= len(digits) <= 15 or len(set(digits)) == 1:
        return False
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        if text.startswith("+"):
            num = phonenumbers.parse(text, None)
            return phonenumbers.is_possible_number_with_reason(num) == phonenumbers.ValidationResult.IS_POSSIBLE
        if len(digits) == 11 and digits[:2] == "80" and _TRUNK_EIGHT.match(text):
            # Belarusian numbers with the trunk 8 before the code's 0: 8 029 123-45-67,
            # 8 (017) 123-45-67 (and Ukrainian ones as written before the trunk became 0). No
            # Russian code starts with 0, so the branch below would refuse them.
            return _UA_BY_LAYOUT.fullmatch(text) is not None and (
                phonenumbers.is_valid_number(phonenumbers.parse(text, "BY"))
                or phonenumbers.is_valid_number(phonenumbers.parse(text[1:].lstrip(" -"), "UA")))
        if len(digits) == 11 and digits[0] == "8" and _TRUNK_EIGHT.match(text) and phonenumbers.is_valid_number(
            phonenumbers.parse(text, "RU")
        ):
            # Russian (and Kazakh) national numbers written with the trunk 8 as Russian text writes
            # them: 8 (495) 123-45-67, 8-800-555-35-35. The 8 standing alone before the area code
            # is the layout; an 11-digit id or count starting with 8 is written as one run or
            # grouped in thousands (81 234 567 890), never so. Country code 7 covers Kazakhstan.
            return True
        if digits[0] == "0" or text.startswith("(0"):
            if _SERIES_YEAR_SEQUENCE.fullmatch(text):
                # 010-2024-0001: a series-year-sequence document number, not a phone, whatever
                # region's tables would accept the digits (a phone word still finds it:
                # phone_context_v1).
                return False
            # Korean numbers written as Korean text writes them (010-1234-5678, 02-123-4567,
            # 031-6162-7096, (02) 1234-5678), valid for KR. Many are valid in one of
            # TRUNK_ZERO_REGIONS too, by chance (02-1234-5678 is a German number by its digits);
            # the others leaked: mobiles 010-..., 8-digit local numbers after 031, 032, 053,
            # personal numbers 050-.... One digit repeated after the area code is a form's
            # placeholder (010-0000-0000).
            korean = ((_KR_LAYOUT.fullmatch(text) is not None
                       # a mobile as one run, as forms and exports store it (01012345678): only
                       # phone_compact hands a run over, at a score that needs a phone word
                       or (text == digits and len(digits) == 11 and digits.startswith("010")))
                      and len(set(digits[2 if digits[1] == "2" else 3:])) > 1)
            spaced = " " in text
            if korean and not spaced and phonenumbers.is_valid_number(phonenumbers.parse(text, "KR")):
                # Hyphens and dots, as Korean text has them: KR first (a mobile is valid in none of
                # the regions below, which would be five parses lost). Spaced, the layout is as
                # often a British or Australian number's (020 7946 0958, (02) 9876 5432), which the
                # loop accepts: KR is asked after it, no parse more for them.
                return True
            if any(phonenumbers.is_valid_number(phonenumbers.parse(text, region))
                   for region in _trunk_zero_order(text, digits)):
                return True
            if korean and spaced and phonenumbers.is_valid_number(phonenumbers.parse(text, "KR")):
                return True
            # Ukrainian and Belarusian numbers in their layout (050 123 45 67, (044) 123-45-67,
            # 0 44 123 45 67, 029 123 45 67), valid there. Most are valid in one of
            # TRUNK_ZERO_REGIONS by chance (found by the loop above, so asked second: no parse more
            # for them); some are not (072 940 24 02, Ukrainian mobile).
            return _UA_BY_LAYOUT.fullmatch(text) is not None and any(
                phonenumbers.is_valid_number(phonenumbers.parse(text, region)) for region in ("UA", "BY"))
        nanp = _NANP_LAYOUT.fullmatch(text)
        if nanp and len(digits) == 10 and digits[0] != "1":
            # Ten digits laid out as NANP numbers are written, no trunk 0 or 1 to strip: what
            # phonenumbers would parse as a 10-digit US national number, a possible length. Accepted
            # without parsing (the branch below gives the same answer at ~50 µs a number), and
            # before the Indian check, which could only accept it too (a ten-digit number never
            # makes phonenumbers.parse raise).
            return True
        if len(digits) == 10 and digits[0] in "6789" and phonenumbers.is_valid_number(
            phonenumbers.parse(text, "IN")
        ):
            return True
        if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789" and phonenumbers.is_valid_number(
            phonenumbers.parse(text, "CN")
        ):
            # Chinese mobiles (138 1234 5678, 13812345678): no trunk 0, so they never reach the
            # branch above, and the US parse below reads the leading 1 as its country code.
            return True
        if nanp is None and digits.isascii() and not _could_be_nanp(digits):
            # What phonenumbers.is_valid_number(parse(text, "US")) answers, without its ~24 µs:
            # most numbers reaching this point are 8-9 digit ids and counts (see _could_be_nanp).
            return False
        num = phonenumbers.parse(text, "US")
        # Laid out like a NANP number and of a possible length: accepted without the (costly)
        # validity tables, which would only be consulted to accept it anyway.
        if nanp and (
            phonenumbers.is_possible_number_with_reason(num) == phonenumbers.ValidationResult.IS_POSSIBLE
        ):
            return True
        return phonenumbers.is_valid_number(num)
    except phonenumbers.NumberParseException:
        return False


@lru_cache(maxsize=1 << 16)
def phone_e164(value: str) -> bool:
    """``+`` and 8–15 digits that ``phonenumbers`` finds *valid* for the country code (its number
    plan's prefixes, not only its lengths): the only evidence an E.164 number without layout or a
    phone word has. Cached per process, as :func:`phone_number`."""
    digits = value[1:]
    if not value.startswith("+") or not digits.isdigit() or len(set(digits)) == 1:
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


def phone_international(value: str) -> bool:
    """A number written internationally without its ``+`` (country code first, as WhatsApp's
    ``wa.me/14155552671`` links write it): :func:`phone_e164` of it with the ``+``."""
    return phone_e164(value if value.startswith("+") else "+" + value)


@lru_cache(maxsize=1)
def _nanp_national() -> re.Pattern:
    """What the national number of any North American region (country code 1) may be, from
    phonenumbers' own metadata (10 digits; Canada's 7-digit 310-xxxx). Built on first use: it
    loads the metadata of ~25 regions."""
    return re.compile("|".join(
        f"(?:{phonenumbers.PhoneMetadata.metadata_for_region(region).general_desc.national_number_pattern})"
        for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]))


def _could_be_nanp(digits: str) -> bool:
    """Whether phonenumbers could find ``digits`` (ASCII, first digit 1-9, no ``+`` before them)
    a *valid* number when parsing with the default region US.

    Without ``+``, ``00`` or the IDD ``011``, parsing with region US gives country code 1 and, as
    the national number, the digits less the leading 1s it strips (country code 1, trunk prefix
    1: ``1 1 212 555 0123`` is 212 555 0123). A valid number's national number matches the general
    pattern of its region, so if no such suffix matches any North American region's general
    pattern, ``is_valid_number`` is False. tests/test_detect_validators.py checks the answer
    against phonenumbers on random numbers.
    """
    national = _nanp_national()
    ones = len(digits) - len(digits.lstrip("1"))
    return any(national.fullmatch(digits, k) for k in range(ones + 1))


_NANP_LAYOUT = re.compile(r"(?:\+?1[ .\-])?(?:\(\d{3}\) ?|\d{3}[ .\-])\d{3}[ .\-]\d{4}")


def phone_shape(value: str) -> bool:
    """Any country's phone layout: 8–15 digits, not a date (``12 04 2023`` too), dotted quad or SSN shape.

    Used only by the recognizer that also needs a phone word nearby; the country is not checked.
    """
    if len(value) < 8:
        return False
    text = _strip_extension(value)
    if (_NOT_A_PHONE.fullmatch(text) or _DATE_SHAPE.fullmatch(text) or _SPACED_DATE.fullmatch(text)
            or _year_range(text)):
        return False
    digits = _NON_DIGIT.sub("", text)
    return 8 <= len(digits) <= 15 and len(set(digits)) > 1


#: Dates that look like digit groups: 2023-10-05, 05/10/2023, 10.05.23.
_DATE_SHAPE = re.compile(r"(?:\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d{1,2}[\-/.]\d{1,2}[\-/.](?:\d{4}|\d{2}))"
                         # ... and the hour of a time after it (2023-10-05 14:30 reaches phone
                         # patterns as "2023-10-05 14", a valid US number by its digits)
                         r"(?:[ T]\d{1,2})?")
#: Dates written with spaces (05 10 2023, 2023 10 05) and decimals (12 345.67, 1.50).
_SPACED_DATE = re.compile(r"\d{1,2} \d{1,2} (?:19|20)\d{2}|(?:19|20)\d{2} \d{1,2} \d{1,2}")
_DECIMAL = re.compile(r"[\d ,]*\.\d{1,2}")
#: Year ranges (1990-2000, 2019-23; en dashes read as hyphens): the phone shapes that need only a
#: phone word took them after "Tel Aviv" or "call for papers".
_YEAR_RANGE = re.compile(r"((?:1[89]|20)(\d\d))-((?:1[89]|20)\d\d|\d\d)")


def _year_range(text: str) -> bool:
    """Whether ``text`` is a range of years, the second after the first (``1990-2000``, ``2019-23``).

    Why only rising ranges: a phone number's two groups may read as years by chance (``1987-1654``),
    a range never falls.
    """
    m = _YEAR_RANGE.fullmatch(text)
    if m is None:
        return False
    first, last = m.group(1), m.group(3)
    return int(last) > int(first) if len(last) == 4 else int(last) > int(m.group(2))


def phone_local(value: str) -> bool:
    """A local number without a country or area code (``439 4166``, ``87 47 98``): 6–15 digits.

    Used only by ``phone_local_v1``, whose patterns need a phone label (``Phone:``, ``Mobile:``, on
    the same line or the line before) or a phone word next to the number: ``phonenumbers`` cannot
    validate a number without its region, so the label is the evidence. Dates, decimals, dotted
    quads, the SSN layout and one repeated digit are still rejected.
    """
    text = _strip_extension(value)
    if (_NOT_A_PHONE.fullmatch(text) or _DATE_SHAPE.fullmatch(text) or _SPACED_DATE.fullmatch(text)
            or _DECIMAL.fullmatch(text) or _year_range(text)):
        return False
    digits = _NON_DIGIT.sub("", text)
    return 6 <= len(digits) <= 15 and len(set(digits)) > 1


def _b64url_json(segment: str) -> object:
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def jwt(value: str) -> bool:
    """Header and payload are base64url JSON objects (a JWT, not any ``eyJ...`` string)."""
    parts = value.split(".")
    if len(parts) < 2:
        return False
    try:
        return isinstance(_b64url_json(parts[0]), dict) and isinstance(_b64url_json(parts[1]), dict)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False


def mixed_secret(value: str) -> bool:
    """A 40-char AWS secret: mixed case and digits, not a hex digest or a word run."""
    if re.fullmatch(r"[0-9a-fA-F]+", value):
        return False
    classes = sum(bool(re.search(p, value)) for p in ("[a-z]", "[A-Z]", "[0-9]"))
    return classes >= 3


#: The issuer prefix of a provider token (what api_token leaves out before judging the random part).
_TOKEN_PREFIX = re.compile(
    r"sk-ant-[a-z]{3,5}\d\d-|sk-(?:proj|svcacct|admin)-|sk-|hf_|npm_|SG\.|whsec_|do[opr]_v1_|sq0(?:atp|csp)-"
    r"|lin_api_|pscale_(?:tkn|pw|oauth)_|fo1_|fm(?:2|1a|1r)_|ATATT3|[A-Za-z]{2,10}[_\-]"
)
#: Six characters in alphabetical or numeric order (abcdef, 123456): a made-up body, not a random one.
_SEQUENCES = tuple(s[i:i + 6] for s in ("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                        "0123456789") for i in range(len(s) - 5))


def api_token(value: str) -> bool:
    """The random part of a provider token (after its prefix) looks random, not like a placeholder,
    a slug or an identifier: two of lower case, upper case and digits (all three from 60 characters
    on, which a random base62/base64url body of that length holds but a slug such as
    ``sk-proj-my-team-demo-2024...`` does not); 10+ distinct characters; no character six times in a
    row (``sk-xxxx...``, ``hf_XXXX...``, ``whsec_0000...``) and no six in alphabetical or numeric order
    (``abcdef``, ``123456``: documentation samples). Lower-case hex (DigitalOcean, Stripe CLI,
    Shopify, Supabase) needs only the last three and a letter and a digit: a random hex body of 32+
    characters holds both (all digits: one in 3 million), Supabase's documented sample
    ``sbp_0102...1920`` only digits."""
    m = _TOKEN_PREFIX.match(value)
    return _random_body(value[m.end():] if m else value)


def _random_body(body: str) -> bool:
    """:func:`api_token`'s judgement of a token's random part (its prefix already left out)."""
    body = re.sub(r"[\-_.]", "", body)
    if _made_up(body):
        return False
    if re.fullmatch(r"[0-9a-f]+", body):
        return re.search(r"[a-f]", body) is not None and re.search(r"[0-9]", body) is not None
    classes = sum(bool(re.search(p, body)) for p in ("[a-z]", "[A-Z]", "[0-9]"))
    return classes >= (3 if len(body) >= 60 else 2)


def _made_up(text: str) -> bool:
    """Fewer than 10 distinct characters, or :func:`_typed`: typed by a person (a placeholder, a
    documentation sample), not drawn at random."""
    return len(set(text)) < 10 or _typed(text)


def _typed(text: str) -> bool:
    """One character six times in a row or six in alphabetical or numeric order (``XXXXXX``,
    ``abcdef``, ``123456``): a run a person types, which a random draw almost never holds."""
    return _SIX_SAME.search(text) is not None or any(seq in text for seq in _SEQUENCES)


_SIX_SAME = re.compile(r"(.)\1{5}")


def key_id_unmasked(value: str) -> bool:
    """An AWS access key id (``AKIA`` + 16 of ``A-Z2-7``) that is no mask or typed sample: no character
    six times in a row (``AKIAXXXXXXXXXXXXXXXX``) and no six in alphabetical order (``AKIAABCDEFGHIJKL``).
    Not :func:`api_token`'s whole judgement: a random id has no lower case and lacks a digit one
    time in 28, and 16 characters drawn from 32 repeat often enough to miss its 10 distinct."""
    return not _typed(value[4:])


def age_secret_key(value: str) -> bool:
    """An age identity (``AGE-SECRET-KEY-1`` + 58 bech32 characters) whose bech32 checksum holds: a
    key age generated, not a made-up one (``AGE-SECRET-KEY-1QQQQ...`` in documentation and tests
    fails it; a random run of the shape passes one time in a billion)."""
    return bech32_valid(value, "age-secret-key-")


def telegram_bot_token(value: str) -> bool:
    """A Telegram bot token (``<bot id>:AA<33 base64url>``) that is no sample: the secret after its
    ``AA`` passes :func:`api_token`'s checks, and the bot id is no typed sequence
    (``123456789:AA...``, ``111111111:AA...``: a random 10-digit id holds one about once in 13,000)."""
    bot_id, _, secret = value.partition(":")
    return not _typed(bot_id) and _random_body(secret[2:])


def discord_token(value: str) -> bool:
    """A Discord token (``<base64 user id>.<timestamp>.<HMAC>``): its first part is the base64 of the
    account's numeric id (17-20 ASCII digits, no leading zero: a Discord snowflake), which a random
    run of letters and digits, a dotted code path or version string almost never is (each group of
    four characters is one of the 1,000 that encode three digits, of 62^4); the HMAC passes
    :func:`api_token`'s checks
    (``MTIz...ABCD.xxxxxxxxxxxxxxxxxxxxxxxxxxx`` of a tutorial does not)."""
    parts = value.split(".")
    if len(parts) != 3:
        return False
    user_id, _, hmac = parts
    try:
        raw = base64.urlsafe_b64decode(user_id + "=" * (-len(user_id) % 4))
    except (binascii.Error, ValueError):
        return False
    if not (17 <= len(raw) <= 20 and raw.isdigit() and raw[:1] != b"0"):
        return False
    return _random_body(hmac)


#: Version bytes of the base58check addresses taken: Bitcoin P2PKH (``1...``) and P2SH (``3...``).
#: Other coins' versions (Litecoin ``L``/``M``, Dogecoin ``D``) start with letters the ``digits``
#: trigger does not see (docs/detection.md, "Limitations").
_BASE58_VERSIONS = {"1": 0x00, "3": 0x05}


def crypto_wallet(value: str) -> bool:
    """A cryptocurrency address whose own checksum holds (what the pattern matched tells the kind):

    * ``1...``/``3...``: Bitcoin legacy and P2SH, base58check (double SHA-256) of 21 bytes whose
      version byte is the one its first character stands for;
    * ``bc1...``: Bitcoin segwit, bech32 (BIP-173, witness version 0) or bech32m (BIP-350, Taproot);
    * ``0x`` + 40 hex in mixed case: Ethereum with its EIP-55 checksum (Keccak-256 of the address);
      in one case (no checksum to check) only a hex run that is no typed placeholder and holds a
      letter (``0x000...0``, ``0x1234567890abcdef...``, ``0x...dEaD`` are kept); the recognizer
      wants a context word for those (pattern ``eth_one_case``, score 0.3).
    A random or mistyped string passes one of the checksums about once in 4 billion (base58check,
    bech32: 32 bits) or 30,000 (EIP-55 with 15 letters). Typed runs (:func:`_made_up`: the all-zero
    ``1111111111111111111114oLvT2``, ``0x000...dEaD``) are burn addresses and samples, kept."""
    if value[:2] == "0x":
        return _eth_address(value)
    if value[:3].lower() == "bc1":
        return segwit_address_valid(value, "bc")
    payload = base58check_payload(value)
    return (not _made_up(value) and payload is not None and len(payload) == 21
            and payload[0] == _BASE58_VERSIONS.get(value[:1]))


@lru_cache(maxsize=4096)
def _eth_address(value: str) -> bool:
    """:func:`crypto_wallet` for ``0x`` + 40 hex (cached: Keccak in Python is ~0.3 ms, and a
    donation address repeats in every page footer of a site)."""
    body = value[2:]
    if _made_up(body.lower()) or body.isdigit():
        return False
    return body.lower() == body or body.upper() == body or eip55_valid(value)


#: Values of ``password = ...`` assignments that are placeholders, types or references, not secrets
#: (``.*_here``: wp-config-sample.php's ``password_here``, ``your-key-here``).
_PLACEHOLDER = re.compile(
    r"""(?ix)
    (?:str|string|bytes|int|bool|none|null|nil|true|false|undefined|optional\[.*|any|object|secret
      |password|passwd|token|changeme|change_me|example|sample|dummy|redacted|hidden|required|todo
      |your[_\-].*|my[_\-].*|.*[_\-\ ]here|<.*>|\{.*\}|\[.*\]|\$.*|%.*|\*+|x+|\.+|-+|_+|\?+)$
    """
)
#: Code references: attribute paths and calls (``settings.SECRET``, ``os.getenv("X")``).
_CODE_REFERENCE = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+|[A-Za-z_][\w.]*\(.*")


#: A variable or field name holding a secret word as one of its parts, not a secret: snake_case
#: (``next_token``, ``state_credentials``, ``tokens_per_expert_sum``) or camel case with a token,
#: credential or key part (``NextToken``, ``StateCredentials``). Key names such as ``input_token``
#: and ``old_num_tokens`` take these in configs and code (botocore's paginators: ``"input_token":
#: "NextToken"``; keyword arguments passed on: ``state_credentials=state_credentials``); a secret
#: has no such shape. (``MyPassword`` and ``SuperSecret`` are written as passwords: quoted, they
#: stay secrets; see :data:`_UNQUOTED_REFERENCE`.)
_SECRET_WORD_REFERENCE = re.compile(
    r"(?:[a-z]+_)*(?:tokens?|secrets?|passwords?|credentials?|keys?|auth)(?:_[a-z]+)*"
    r"|(?:[a-z]+|(?:[A-Z][a-z]+)+)?(?:Tokens?|Credentials?|Keys?)(?:[A-Z][a-z]+)*"
)
#: Unquoted, where a literal would be quoted: any snake_case or camel-case name (``my_password_var``,
#: ``hashedPassword``, ``DefaultSecret``) is a variable, a constant or a type.
_UNQUOTED_REFERENCE = re.compile(r"(?:[a-z]+_)+[a-z]+|[a-z]+(?:[A-Z][a-z]+)+|(?:[A-Z][a-z]+){2,}")
#: Code after an assignment that no secret is: a subscript or a call of a name (``shape[-1]``,
#: ``point_embedding[:, 0]``, ``get_token(``), or a bracketed expression (a tuple, a regex's group
#: in a string: ``re.findall("token=([a-z0-9]+)", url)``).
_CODE_SUBSCRIPT = re.compile(r"(?:[A-Za-z_][\w.]*)?[\[(].*")
#: A version or a range of versions (semver as npm, Cargo and Composer write dependencies:
#: ``1.2.1``, ``^9.0.0``, ``~3.0.1``, ``>=1.2.3 <2.0.0``, ``1.x || 2.x``, ``2.0.0-beta.1``): the value
#: of a dependency whose package is named with a secret word (``"jsonwebtoken": "^9.0.0"``,
#: ``"pbkdf2-password": "1.2.1"``, ``"csrf-tokens": "~3.0.1"`` in a package.json). At least two dots
#: or a range operator first: a number with one dot (``"1234.5678"``) may be a PIN-like password.
_SEMVER = r"v?\d{1,5}(?:\.(?:\d{1,7}|[xX*])){0,3}(?:-[0-9A-Za-z.\-]{1,40})?(?:\+[0-9A-Za-z.\-]{1,40})?"
_VERSION_SPEC = re.compile(
    rf"(?:(?:[\^~]|[<>]=?|=)?{_SEMVER})(?:(?:[ ]-[ ]|[ ]?\|\|[ ]?|[ ])(?:[\^~]|[<>]=?|=)?{_SEMVER}){{0,7}}"
)
#: JavaScript after an assignment's separator that no secret is, as minified bundles and their
#: source maps write it (npm packages: axios, chevrotain, Angular): a dotted name negated or compared
#: (``withCredentials=!!s.withCredentials``, ``tokenTypeIdx===e.tokenTypeIdx`` leaves
#: ``==e.tokenTypeIdx``), incremented (``N.tokenShortNameIdx++``), tested (``this.opts.withCredentials?``,
#: ``a?Rt.tokenMatcher:Rt.other``) or assigned on (``N.isTokenType=N.hasCategories=void 0``, another
#: dotted name or ``void`` after each ``=``), and a
#: generic type (``token: ProviderToken<T>``). Each needs a dotted name or a type's brackets: a
#: password such as ``!Passw0rd`` or ``hunter2++`` has neither.
_DOTTED_NAME = r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+"
_CODE_EXPRESSION = re.compile(
    rf"(?:!!?|==?){_DOTTED_NAME}.*|{_DOTTED_NAME}(?:\+\+|--|\?.*|(?:={_DOTTED_NAME})+(?:=.*)?|=void\b.*)"
    rf"|[A-Za-z_$][\w$]*\?{_DOTTED_NAME}:.*"
    r"|[A-Z][\w$]*<[\w$, .<>\[\]|]{1,80}>(?:\[\])*"
)


#: Code of compiled languages and concatenations after a secret word's key, not a secret (the secret
#: scanners' own sources are full of them; so is any Go, C or JavaScript): a pointer or an address
#: (``SessionToken: *s3ScanSessionToken,``, ``Credential = &sourcespb.GCS_Adc{``), a composite
#: literal or block opened after a type's name (``token := textinputs.InputConfig{``), a name
#: concatenated into a string (``"...?token="+key+"&a=1"``, ``"apikey="+resMatch+``), and a Python
#: entry point (``'detect-secrets = detect_secrets.main:main'``). A pointer needs a capital or a dot
#: after its first letter, a block a dotted name or one of letters alone before it: ``*hunter2`` and
#: ``Passw0rd{`` stay secrets.
_COMPILED_CODE = re.compile(
    r"[*&](?=[a-z_][a-z0-9_]*[A-Z.])[a-z_]\w*(?:\.[A-Za-z_]\w*)*(?:\{.*)?"
    r"|&?(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|[A-Za-z_]+)\{.*"
    r"|\+[A-Za-z_$][\w$.]*(?:\+.*|\[.*)?"
    r"|[a-z_]\w*(?:\.[a-z_]\w*)+:[a-z_]\w*"
)
#: A quoted value that is the middle of a concatenation (``'Credential=' + access_key + '/'`` leaves
#: `` + access_key + `` between two quotes; Go's ``"...":"` + secret + `"`` a backquoted one), or
#: its start after a string's closing quote (``"--token="+inputs["token"]``: ``+inputs[``).
_CONCATENATED = re.compile(r"[`'\"]?[ \t]*\+[ \t]*[A-Za-z_$][\w$.\[\]()'\"]*(?:[ \t]*\+[ \t]*[`'\"]?)?")
#: A label naming the secret, not the secret: letters-only words (at most six, joined by spaces, dots,
#: hyphens or underscores) one of which is a secret word (``"API-Key"``, ``"Unknown Token Type"``,
#: ``"tokens.basic"``, ``'BEGIN PRIVATE KEY'``, ``"not-a-real-secret"``, ``"my-secret-key"``).
_LABEL_WORDS = re.compile(r"[A-Za-z]+(?:[ ._\-][A-Za-z]+){0,5}")
_SECRET_WORD = re.compile(r"(?i)(?<![a-z])(?:password|passwd|passphrase|secret|token|key|credential)s?(?![a-z])")


#: Where a config keeps a secret, not the secret: a path, absolute, home- or dot-relative or under
#: a variable in capitals (`rsa_private_key_file=/etc/ssl/private/ssl-cert-snakeoil.key`,
#: `VARNISH_SECRET_FILE=/etc/varnish/secret`, `ssh_private_key: ~/ray-bootstrap-key.pem`, exim's
#: `MAIN_TLS_PRIVATEKEY = CONFDIR/exim.key`, sudoers' `NOPASSWD: /usr/sbin/check_fail2ban`), of
#: lower-case segments (and `<path-to>` placeholders) or ending in a file's extension. A base64
#: secret may start with `/` but mixes cases between its slashes and holds no `.`.
_PATH_VALUE = re.compile(
    r"(?:~|\.{1,2}|[A-Z][A-Z0-9_]{1,30})?/(?:[a-z0-9_.\-<>@]{1,80}/){1,20}[a-z0-9_.\-<>@]{0,80}"
    r"|(?:~|\.{1,2}|[A-Z][A-Z0-9_]{1,30})?(?:/[\w.\-<>@]{1,80}){1,20}\.[a-z][a-z0-9]{1,4}"
)


def unquoted(value: str) -> tuple[str, bool]:
    """``value`` without its quotes, and whether it had any: ``"x"``, ``'x'``, or ``\\"x\\"`` (quotes
    escaped inside a JSON string: a notebook's source, a tool call's ``arguments``)."""
    if len(value) >= 4 and value.startswith('\\"') and value.endswith('\\"'):
        return value[2:-2], True
    if len(value) >= 2 and value[0] in "\"'" and value[-1] == value[0]:
        return value[1:-1], True
    return value, False


#: A run of one character, 8 or longer (``xxxxxxxx``, ``11111111``, ``XXXXXXXX``).
_RUN = re.compile(r"(.)\1{7,}")


def _masked(value: str) -> bool:
    """A value with a run of 8 of one character that makes at least half of it (``fo1_xxxx...``,
    ``pplx-xxxx...``, ``glc_1111...=``, ``xoxb-xxxxxxxxx-xxxxxxxxxx-...``): a provider's format with
    its body masked, as docs and READMEs write it. Not any run: real tokens can hold one (Twitter's
    app-only bearer tokens open with 21 ``A``s of ~110 characters), a random body one of 8 almost
    never."""
    runs = [m.group(1) for m in _RUN.finditer(value)]
    return any(value.count(ch) * 2 >= len(value) for ch in set(runs))


def secret_value(value: str) -> bool:
    """The value side of a ``password = value`` assignment looks like a real secret.

    Quoted values are accepted unless they are placeholders. Unquoted values must also not be a code
    reference and must hold a digit or be long enough (16+) that they are not an identifier.
    """
    inner, quoted = unquoted(value)
    if len(inner) < 4 or _PLACEHOLDER.fullmatch(inner) or _SECRET_WORD_REFERENCE.fullmatch(inner):
        return False
    if _masked(inner):
        return False  # a provider's format with its body masked: `api_key = "fo1_xxxxxxxx..."`
    if _LABEL_WORDS.fullmatch(inner) and _SECRET_WORD.search(inner):
        return False  # a label naming the secret: `APIKey = "API-Key"`, `tokenInfo = "Unknown Token Type"`
    if _FILE_EXTENSION.search(inner) and " " not in inner and "/" not in inner:
        return False  # a file's name: `"tokenizer_config_file": "tokenizer_config.json"`
    if "/" in inner and _PATH_VALUE.fullmatch(inner):
        return False  # where the secret is kept: `rsa_private_key_file=/etc/ssl/private/x.key`
    if _VERSION_SPEC.fullmatch(inner) and (inner.count(".") >= 2 or inner[0] in "^~<>="):
        return False  # a dependency's version: `"jsonwebtoken": "^9.0.0"`
    if inner.startswith("-----BEGIN") and "PRIVATE KEY" in inner[:60] and not pem_private_key(inner):
        return False  # a key's layout with its body elided: `PRIVATE_KEY="-----BEGIN ...\\n...\\n-----END ..."`
    if quoted:
        return _CONCATENATED.fullmatch(inner) is None
    if (_CODE_REFERENCE.fullmatch(inner) or _CODE_SUBSCRIPT.fullmatch(inner) or _UNQUOTED_REFERENCE.fullmatch(inner)
            or _METAVARIABLE.fullmatch(inner) or _RESOURCE_PATH.fullmatch(inner) or _CODE_EXPRESSION.fullmatch(inner)
            or _COMPILED_CODE.fullmatch(inner)):
        return False
    return any(ch.isdigit() for ch in inner) or len(inner) >= 16


def auth_credentials(value: str) -> bool:
    """The credentials of an ``Authorization: Basic|Bearer|token ...`` header, not a placeholder.

    Tokens and base64 ``user:password`` pairs hold a digit or both letter cases; ``ACCESS_TOKEN_HERE``
    and ``YOUR_API_KEY`` hold neither.
    """
    if len(value) < 8 or _PLACEHOLDER.fullmatch(value) or len(set(value)) < 4:
        return False
    return any(ch.isdigit() for ch in value) or (
        any(ch.isupper() for ch in value) and any(ch.islower() for ch in value))


def letter_password(words: ValidatorWords, value: str) -> bool:
    """An unquoted, letter-only value of a password/secret key in a config line is a password.

    ``DB_PASSWORD=correcthorse``, ``password: hunter``. The recognizer's regex already asks for the
    shapes where an unquoted value is a literal (a ``.env``/ini line starting at column 0, a YAML
    ``key: value`` line, the value alone up to the end of the line); here placeholders, type names,
    states, code words and published defaults are turned away (``words.not_passwords``: ``password:
    string``, ``Password: incorrect``, ``passwd: files``, ``password: postgres``; keeping those
    leaves tutorials and docker-compose files intact, and they identify no one).
    """
    word = value.rstrip("!?*~")
    if len(word) < 4 or _PLACEHOLDER.fullmatch(value) or _PLACEHOLDER.fullmatch(word):
        return False
    return word.lower() not in words.not_passwords


#: Values that stand for a secret instead of being one, as shells, build tools and templates write
#: them: a shell expansion anywhere (``"pre${X}"``, ``$(cat f)``, backticks; ``$NAME`` at the start
#: is one of letter_password's placeholders), Maven resource filtering (``@db.password@``), Spring
#: expressions (``#{...}``).
_EXPANSION = re.compile(r"\$[{(]|`")
_TEMPLATE = re.compile(r"@[\w.\-]{1,100}@|#\{.*", re.DOTALL)
#: A metavariable in capitals (``--password PASSWORD``, ``DB_PASS``, ``MY-TOKEN``): manuals and
#: ``--help`` texts write them so; a real password of capitals alone is rare. A synopsis closes an
#: optional flag's bracket after it (``[--token=TOKEN]``).
_METAVARIABLE = re.compile(r"[A-Z][A-Z_\-]+\]?")
#: A resource's name or a path of lower-case segments (``projects/myproj/secrets/whsecret/versions/1``
#: in Google Cloud's manuals: where a secret is kept, not the secret); base64 with two slashes has
#: capitals between them.
_RESOURCE_PATH = re.compile(r"[a-z0-9_.\-]+(?:/[a-z0-9_.\-]*){2,}")
#: Where a secret is read from, not the secret: a path (``/run/secrets/db``, ``~/.pgpass``,
#: ``./pw.txt``, ``C:\keys``), openssl's ``env:``/``file:``/``fd:``/``stdin`` sources.
_SECRET_SOURCE = re.compile(r"/|~/|\.{1,2}[/\\]|[A-Za-z]:\\|(?:env|file|fd):|stdin$", re.IGNORECASE)


def literal_secret(words: ValidatorWords, value: str) -> bool:
    """A password written where the text holds it literally: the value of a command-line flag
    (``--password hunter2x``, ``-phunter2x``), of an environment prefix (``PGPASSWORD=hunter psql``)
    or of an XML element or ``key``/``value`` pair (``<password>hunter</password>``).

    There an unquoted word *is* the password (no variable can stand there), so letter-only values
    count, as in :func:`letter_password`, whose placeholder, type, state and default lists apply.
    What stands for a password instead is refused: shell expansions, template syntax, metavariables
    in capitals, paths and file names (``--password-file`` style values given to a plain flag), and
    a quoted value that starts or ends with a space (string concatenation in code: ``"--password " +
    pw + " -h"``), or a key or config file's name (``--private-key id_rsa.pem``: ``words.file_suffixes``).
    Quotes are part of ``value`` (the recognizer strips them from the span).
    """
    if len(value) >= 2 and value[0] in "\"'" and value[-1] == value[0]:
        value = value[1:-1]
        if value != value.strip():
            return False
    if (_EXPANSION.search(value) or _TEMPLATE.fullmatch(value) or _METAVARIABLE.fullmatch(value)
            or _SECRET_SOURCE.match(value) or value.lower().endswith(words.file_suffixes)):
        return False
    return letter_password(words, value)


#: What prose says a password *is* that is no password: a size or a range (``8-16``, ``12-character``,
#: ``128-bit``), an algorithm or encoding name (``SHA256``, ``UTF-8``, ``AES-256``), a hyphenated
#: description (``SHA256-hashed``, ``2FA-protected``, ``case-sensitive``).
_SAID_NOT_A_PASSWORD = re.compile(
    r"""(?x)
    \d{1,3}(?:-\d{1,3})?(?:[-\s]?(?:chars?|characters?|digits?|letters?|bits?|bytes?|symbols?|long))?
    | [A-Z]{2,6}-?\d{1,4}
    | .*-(?:[a-z]{2,}(?:ed|ing|ive|ble|ure|ated|less|free|only|based|case))
    """
)


def said_password(words: ValidatorWords, value: str) -> bool:
    """A word prose says a password is ("the password is hunter2") is one.

    Quoted, it is judged as :func:`literal_secret` judges a flag's value (``'swordfish'`` counts).
    Unquoted, prose words are too often a description ("is incorrect", "is required"), so it must
    hold a letter and a digit or a symbol, or be six or more digits (``123456``: weak, but a
    password), and not be a size, range, algorithm name or hyphenated description
    (:data:`_SAID_NOT_A_PASSWORD`).
    """
    if len(value) >= 2 and value[0] in "\"'`" and value[-1] == value[0]:
        return literal_secret(words, value[1:-1])
    if _SAID_NOT_A_PASSWORD.fullmatch(value) or not literal_secret(words, value):
        return False
    if value.isdigit():
        return len(value) >= 6
    has_letter = any(ch.isalpha() for ch in value)
    return has_letter and any(ch.isdigit() or not (ch.isalnum() or ch in "-'’") for ch in value)


#: Longest element text with spaces taken for a passphrase; longer text is prose.
_MAX_PASSPHRASE = 64


def markup_secret(words: ValidatorWords, value: str) -> bool:
    """The text of an element named for a secret (``<password>...</password>``, a plist's
    ``<string>`` after ``<key>Password</key>``) or a key/value attribute is a secret.

    One word: :func:`literal_secret`. With spaces (the recognizer allows up to five words on one
    line) the text is a passphrase only when it does not read as a label or an instruction: at
    most :data:`_MAX_PASSPHRASE` characters, no sentence end (``.``, ``:``, ``?``), none of
    ``words.label_words`` (``<password>Enter your password</password>``), not opening with one of
    ``words.label_openers`` (``not set``, ``see the vault entry``) — then literal_secret too.
    """
    parts = value.split()
    if len(parts) > 1:
        lowered = [w.lower() for w in parts]
        if (len(value) > _MAX_PASSPHRASE or value[-1] in ".:?" or lowered[0] in words.label_openers
                or any(w in words.label_words for w in lowered)):
            return False
    return literal_secret(words, value)


#: Canonical padded base64: groups of four, the last one maybe padded.
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)")


def _base64_text(value: str) -> str | None:
    """``value`` decoded when it is base64 of printable UTF-8 text (tabs and line breaks allowed),
    else ``None`` (not base64, or binary: a keystore, a random key)."""
    if not _BASE64.fullmatch(value):
        return None
    try:
        text = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return text if text.isprintable() or all(ch.isprintable() or ch in "\t\r\n" for ch in text) else None


#: The start of a PEM certificate (``tls.crt``, ``ca.crt``): public by design, no secret.
_CERTIFICATE = "-----BEGIN CERTIFICATE"


def _unescaped(quoted: str) -> str:
    """The text of a double-quoted JSON string (``"c2Vj\\/cmV0"`` is ``c2Vj/cmV0``; Go's encoder writes
    ``<your-token>`` as ``\\u003cyour-token\\u003e``): what base64 decoding and the placeholder checks
    must see. A string JSON cannot read (a YAML-only escape) is returned without its quotes, as is."""
    try:
        text = json.loads(quoted)
    except ValueError:
        return quoted[1:-1]
    return text if isinstance(text, str) else quoted[1:-1]


def k8s_secret_value(words: ValidatorWords, value: str) -> bool:
    """A value of a Kubernetes Secret's ``data`` (base64) or ``stringData`` (plain) is a secret,
    unless it stands for one or is public.

    The recognizer already knows the value is in a Secret, so any key counts; what is refused is
    judged on the decoded text when the value is base64 of text (``YWRtaW4=`` is ``admin``): a
    one-line value by :func:`literal_secret` (placeholders, template expressions, metavariables,
    published defaults), and certificates anywhere. Structured content (a PEM key, the JSON of a
    ``.dockerconfigjson``, a config file) is a secret as a whole. Quotes are part of ``value``; a
    double-quoted value with ``\\`` escapes (JSON, YAML) is judged unescaped (:func:`_unescaped`).
    """
    if len(value) >= 2 and value[0] in "\"'" and value[-1] == value[0]:
        value = _unescaped(value) if value[0] == '"' and "\\" in value else value[1:-1]
    if not value.strip():
        return False
    decoded = _base64_text(value)
    text = value if decoded is None else decoded
    if not text.strip() or text.lstrip().startswith(_CERTIFICATE):
        return False
    if decoded is not None and ("\n" in text or text.lstrip().startswith(("{", "[", "-----BEGIN"))):
        return True
    return literal_secret(words, text)


def netrc_password(words: ValidatorWords, value: str) -> bool:
    """A ``.netrc`` password: :func:`literal_secret`, unless it is a whole e-mail address with a real
    domain. Anonymous FTP asks for the user's address as the password by convention (``default login
    anonymous password jane@gmail.com``): that value is an e-mail address, left to the e-mail
    recognizers, which type it as one (pseudonymized as an address) or keep a documentation address.
    A password merely holding ``@`` (``p@ssw0rd``) is no address and stays a password."""
    if _PLAIN_EMAIL.fullmatch(value) is not None and email_domain(value):
        return False
    return literal_secret(words, value)


def basic_auth_pair(words: ValidatorWords, value: str) -> bool:
    """Base64 of ``user:password`` (Docker's ``"auth"``, HTTP Basic) with a password that is no
    placeholder: the docs' ``username:password`` and ``user:<token>`` stand for a secret."""
    decoded = _base64_text(value)
    if decoded is None or "\n" in decoded:
        return False
    user, sep, password = decoded.partition(":")
    return bool(sep and user) and literal_secret(words, password)


def assigned_secret(words: ValidatorWords, value: str) -> bool:
    """The value of a ``password = value`` / ``password: value`` assignment is a secret: it passes
    :func:`secret_value`, and a base64 value is no placeholder once decoded.

    Why decode: configs and Helm values hold base64 of what they would hold plainly, and
    ``password: Y2hhbmdlbWU=`` is ``changeme`` (``YWRtaW4=`` ``admin``, base64 of ``${DB_PASSWORD}``
    a template): as much a placeholder as written out, and redacting it only damages tutorials.
    A decoded one-line text is judged by :func:`literal_secret` (placeholders, defaults,
    templates, metavariables, paths); structured content (JSON, a PEM block, several lines) is a
    secret as a whole, as in :func:`k8s_secret_value`. Random letters and digits are base64 of
    printable text only by chance (measured on 200,000 random strings: 0.9% of 8 characters, 0.09%
    of 12), and such a decoded text is then almost never a placeholder.
    """
    if not secret_value(value):
        return False
    decoded = _base64_text(unquoted(value)[0])
    if decoded is None or "\n" in decoded or decoded.lstrip().startswith(("{", "[", "-----BEGIN")):
        return True
    return literal_secret(words, decoded)


#: A CVS root's access method after an empty user: ``cvs://:pserver:anoncvs@host:/cvs/src`` holds
#: the method and an anonymous login, not a password.
_CVS_METHOD = re.compile(r":(?:pserver|gserver|kserver|sspi|ext|extssh|server|local|fork):")


def url_credentials(value: str) -> bool:
    """``user:password`` from a URL whose password is not empty, a placeholder or a CVS root's
    access method (:data:`_CVS_METHOD`)."""
    _, _, password = value.partition(":")
    return (len(password) >= 1 and not _PLACEHOLDER.fullmatch(password)
            and _CVS_METHOD.match(value) is None)


#: National identity and tax numbers (recognizers ``pesel_v1`` ... ``in_aadhaar_v1``). Their
#: patterns need the number's name right before it (``PESEL``, ``DNI``, ``CPF``, ...); these check
#: what the number itself carries: a check digit or letter, and the date of birth some encode.
#: Separators (spaces, dots, hyphens) are the layouts the patterns allow; the digits decide.
_ID_SEPARATORS = str.maketrans("", "", " .-+")


def _id_digits(value: str) -> str:
    """``value`` without the separators an ID is written with (nothing else is removed)."""
    return value.translate(_ID_SEPARATORS)


def _valid_date(year: int, month: int, day: int) -> bool:
    """Whether ``year-month-day`` is a calendar date (February 29 only in leap years)."""
    if not (1 <= month <= 12 and day >= 1):
        return False
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return day <= (29 if leap else 28)
    return day <= (30 if month in (4, 6, 9, 11) else 31)


#: PESEL encodes the century in the month: +80 for the 1800s, +0 for the 1900s, +20, +40, +60 after.
_PESEL_CENTURY = {0: 1900, 20: 2000, 40: 2100, 60: 2200, 80: 1800}


def pesel(value: str) -> bool:
    """A Polish PESEL: 11 digits, the date of birth they start with, weights 1-3-7-9 check digit."""
    digits = _id_digits(value)
    if len(digits) != 11 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    month = int(digits[2:4])
    offset = month - (month - 1) % 20 - 1  # 0, 20, 40, 60, 80 for months 1-12, 21-32, ...
    century = _PESEL_CENTURY.get(offset)
    if century is None or not _valid_date(century + int(digits[:2]), month - offset, int(digits[4:6])):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:10], (1, 3, 7, 9, 1, 3, 7, 9, 1, 3), strict=True))
    return (10 - total % 10) % 10 == int(digits[10])


#: The control letter of a Spanish DNI/NIE is this string indexed by the number modulo 23.
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni(value: str) -> bool:
    """A Spanish DNI (8 digits + control letter) or NIE (X, Y or Z + 7 digits + control letter)."""
    compact = _id_digits(value).upper()
    if len(compact) != 9:
        return False
    number, letter = compact[:8], compact[8]
    if number[0] in "XYZ":
        number = str("XYZ".index(number[0])) + number[1:]
    if not number.isdigit() or len(set(number)) == 1:
        return False
    return _DNI_LETTERS[int(number) % 23] == letter


def nl_bsn(value: str) -> bool:
    """A Dutch BSN: 9 digits passing the "11-proof" (weights 9..2, and -1 for the last digit)."""
    digits = _id_digits(value)
    if len(digits) != 9 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0


def se_personnummer(value: str) -> bool:
    """A Swedish personnummer or samordningsnummer (day + 60): [YY]YYMMDD, a separator or none,
    four digits; the date must exist and the last ten digits pass Luhn."""
    digits = _id_digits(value)
    if len(digits) not in (10, 12) or not digits.isdigit():
        return False
    ten = digits[-10:]
    year = int(digits[:4]) if len(digits) == 12 else 2000 + int(ten[:2])  # leap years repeat every 4
    day = int(ten[4:6])
    if day > 60:
        day -= 60
    return _valid_date(year, int(ten[2:4]), day) and luhn_valid(ten)


def br_cpf(value: str) -> bool:
    """A Brazilian CPF: 11 digits whose last two are the mod-11 check digits of the ones before."""
    digits = _id_digits(value)
    if len(digits) != 11 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    nums = [int(d) for d in digits]
    for n in (9, 10):  # the first check digit weighs 10..2 over 9 digits, the second 11..2 over 10
        check = sum(d * w for d, w in zip(nums[:n], range(n + 1, 1, -1), strict=True)) * 10 % 11 % 10
        if check != nums[n]:
            return False
    return True


def ca_sin(value: str) -> bool:
    """A Canadian SIN: 9 digits, Luhn; not 0 (never issued) or 8 (business numbers) first."""
    digits = _id_digits(value)
    return (len(digits) == 9 and digits.isdigit() and digits[0] not in "08" and len(set(digits)) > 1
            and luhn_valid(digits))


def in_aadhaar(value: str) -> bool:
    """An Indian Aadhaar number: 12 digits, not 0 or 1 first (never issued), Verhoeff check digit."""
    digits = _id_digits(value)
    return (len(digits) == 12 and digits.isdigit() and digits[0] not in "01" and len(set(digits)) > 1
            and verhoeff_valid(digits))


#: Codice fiscale: the value of each character at an odd position (1st, 3rd, ...) for the check
#: letter (digits and letters share the table: ``0`` counts as ``A``); even positions count 0-25.
_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3,
                    6, 8, 12, 14, 16, 10, 22, 25, 24, 23), strict=True))
#: Letters that replace digits of a codice fiscale issued twice (omocodia): L=0, M=1, ... V=9.
_CF_OMOCODIA = str.maketrans("LMNPQRSTUV", "0123456789")
#: Month letters of a codice fiscale, January to December.
_CF_MONTHS = "ABCDEHLMPRST"


def it_codice_fiscale(value: str) -> bool:
    """An Italian codice fiscale (16 characters): a real birth month and day (women: day + 40)
    and the check letter over the first 15 characters."""
    code = value.upper()
    if len(code) != 16 or not code.isascii() or not code.isalnum():
        return False
    day = code[9:11].translate(_CF_OMOCODIA)
    month = _CF_MONTHS.find(code[8])
    if not day.isdigit() or month < 0:
        return False
    day_n = int(day) - 40 if int(day) > 40 else int(day)
    if not _valid_date(2000, month + 1, day_n):  # 2000: February 29 may be any leap year's
        return False
    total = sum(_CF_ODD[ch] if i % 2 == 0 else (int(ch) if ch.isdigit() else ord(ch) - 65)
                for i, ch in enumerate(code[:15]))
    return chr(65 + total % 26) == code[15]


#: File names' extensions: a "name" ending in one is a file or a page, not a login
#: (`/home/index.html` of a site's link, `~/Users/notes.txt`).
_FILE_EXTENSION = re.compile(
    r"\.(?:html?|php\d?|aspx?|jsp|cgi|js|mjs|ts|css|json|xml|ya?ml|toml|ini|cfg|conf|txt|md|rst|"
    r"py|rb|pl|sh|bash|zsh|exe|dll|so|bat|ps1|log|csv|tsv|png|jpe?g|gif|svg|ico|pdf|zip|gz|tgz|"
    r"tar|bz2|xz|7z|rar|deb|rpm|dmg|pkg|app|iso|img|bak|tmp|lock|db|sqlite3?)$",
    re.IGNORECASE,
)


def login_name(value: str) -> bool:
    """A login name in a home-directory path or a shell prompt that may name a person.

    The rules' list ``home_generic_users`` already refused service accounts and placeholders by
    name; this refuses them by shape, where a list cannot: names starting with ``your``
    (``yourname``, ``YOUR_USER``, ``Your-Login``: documentation asks the reader to put theirs
    there), one character or one character repeated (``x``, ``xxx``, ``XXXX``: placeholders),
    digits only (``/home/1000``: a container's numeric uid), file names (``index.html``), and the
    system accounts no list can hold whole: systemd's (``systemd-network``, ``systemd-resolve``,
    one per service) and those starting with ``_`` (macOS's ``_www``, ``_spotlight``, Debian's
    ``_apt``), which own files in ``ls -l`` and processes in ``id`` output.
    """
    if len(value) < 2 or value.isdigit() or len(set(value.casefold())) == 1:
        return False
    folded = value.casefold()
    if folded.startswith(("your", "systemd-", "_")):
        return False
    return _FILE_EXTENSION.search(value) is None


#: The parts of a dotted or snake_case value (`args.username`, `default_user`, `self.login`).
_VALUE_PARTS = re.compile(r"[._\-]")
#: Ids, not logins: hex with a digit, 8+ characters (UUIDs, object ids: `5f3a2b9c01`).
_HEX_ID = re.compile(r"[0-9a-fA-F\-]{8,64}")


def field_login(words: ValidatorWords, value: str) -> bool:
    """The value of a user field (`"username": "jsmith88"`, `DB_USERNAME=pkumar`) that may be a
    person's login.

    Besides :func:`login_name`'s shapes (and ``lists.home_generic_users``, which the pattern
    refuses): a value needs a lower-case letter (a login is written so; `USERNAME`, `DB_USER`
    are placeholders, `U024BE7LH` a Slack member id); one capitalised word of letters is a form's
    label in a translation file (`"username": "Username"`, `"Benutzername"`, `"Connexion"`), not a
    login; ``words.not_logins`` (literals written as strings, `true`, `null`; form states; the field's
    own name, `"username": "username"` of templates and schemas; words such as `current`, a
    default's name; the fixed user names of token logins, `x-access-token`), names ending in `user`
    (`mymasteruser`, `dbuser`: examples' accounts) and ids (hex with a digit) are no login, nor a
    value holding one of ``words.not_logins`` as one of its parts (`args.username`, `default_user`:
    an unquoted config value is read at a line's start, where code assigns variables too).
    """
    if not login_name(value) or not any(ch.islower() for ch in value):
        return False
    if value.isalpha() and value[0].isupper() and value[1:].islower():
        return False
    folded = value.casefold()
    not_logins = words.not_logins
    if folded in not_logins or folded.endswith("user"):
        return False  # `mymasteruser`, `commonUser`, `dbuser`: the examples' made-up accounts
    if any(part in not_logins for part in _VALUE_PARTS.split(folded)):
        return False  # code, not a login: `username=args.username`, `login = default_user`
    return _HEX_ID.fullmatch(value) is None or not any(ch.isdigit() for ch in value)



def chat_nick(words: ValidatorWords, value: str) -> bool:
    """The author of a chat line or a forum quote (`<jsmith> ...`, `jenna_k wrote:`) that may be a
    person: :func:`field_login`'s shapes (no placeholder, one capitalised word, literal or id), and
    not a markup element (`<div> text`: HTML opens lines so too), a service or bot of the chat
    (`ChanServ`, `NickServ`, `dependabot[bot]`, `deploy-bot`, `stats.bot`: they post in every
    channel and name no one), a documentation placeholder (`<nick>`, `<file>`), a role or a word
    that opens a wrapped line of prose before `wrote:` (`moderator`, `also`): ``words.not_chat_nicks``
    by name, bots also by their endings."""
    folded = value.casefold()
    if folded in words.not_chat_nicks:
        return False
    if folded.endswith(("[bot]", "-bot", "_bot", ".bot", "|bot")) or value.endswith(("Bot", "Serv", "BOT")):
        return False  # `dependabot[bot]`, `deploy-bot`, `StatsBot`, IRC services (`ChanServ`)
    return field_login(words, value)


def non_word_nick(words: ValidatorWords, value: str) -> bool:
    """A login in a slot that holds words as often (a code comment's owner, ``TODO(rkapoor)`` /
    ``TODO(cleanup)``; a handle after a platform's label, ``Skype: alex.petrov`` / ``Telegram:
    channel``): :func:`chat_nick`'s shapes and lists, and no English word. Only the dictionary
    tells ``cleanup`` from ``rkapoor``. The dictionary is the default NER model's (of the rules, only
    the ``validators:`` word lists reach a validator); a word it lacks is read as a login."""
    return chat_nick(words, value) and not _english_word(value)


def _english_word(value: str) -> bool:
    """``value`` is letters only and a word of the default NER model's English dictionary (of the
    rules, only the ``validators:`` word lists reach a validator): what tells a slot's word
    (``cleanup``, ``pallets``) from an account (``rkapoor``, ``janluke``)."""
    from scrubber.detect.dictionary import english_dictionary  # loads its tables on first use
    from scrubber.detect.rules import NerRules

    return value.isalpha() and value in english_dictionary(NerRules.model)


def non_word_account(value: str) -> bool:
    """An account name that is no English word: the account a merged pull request came from
    (``Merge pull request #12 from janluke/fix``, merge_request_user_v1). A project's own
    organisation merges its own branches (``from pallets/main``: 82 of the click git log's 148
    merges) and its name is as often a word; a person's handle seldom is (``janluke``,
    ``Jonxslays``, ``henryiii``). The NER model's English dictionary, as in :func:`non_word_nick`;
    capitalised handles count too, unlike there (GitHub keeps an account's case)."""
    return not _english_word(value)


#: HMRC's National Insurance prefix rules: letters never used first or second, and pairs never
#: allocated (the documentation example `QQ 12 34 56 C` fails the first rule on purpose).
_NINO_NOT_FIRST = frozenset("DFIQUV")
_NINO_NOT_SECOND = frozenset("DFIOQUV")
_NINO_NOT_ALLOCATED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def uk_nino(value: str) -> bool:
    """A UK National Insurance number: two prefix letters HMRC allocates, six digits, a suffix A-D."""
    code = _id_digits(value).upper()
    if len(code) != 9 or not (code[:2].isalpha() and code[2:8].isdigit() and code[8] in "ABCD"):
        return False
    first, second = code[0], code[1]
    return (first not in _NINO_NOT_FIRST and second not in _NINO_NOT_SECOND
            and code[:2] not in _NINO_NOT_ALLOCATED)


def uk_nhs(value: str) -> bool:
    """An NHS number: ten digits whose last is the modulus-11 check of the first nine (weights 10
    down to 2; a check of 10 is never issued), not one digit repeated."""
    digits = _id_digits(value)
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return check != 10 and check % 11 == int(digits[9])


#: Singapore NRIC/FIN: per first letter, the number added to the weighted sum and the check letters
#: indexed by that sum modulo 11 (S/T citizens and residents, F/G foreigners, M foreigners from
#: 2022: its letters read backwards from ICA's `KLJNPQRTUWX` indexed by 10 - remainder).
_NRIC_TABLES = {"S": (0, "JZIHGFEDCBA"), "T": (4, "JZIHGFEDCBA"), "F": (0, "XWUTRQPNMLK"),
                "G": (4, "XWUTRQPNMLK"), "M": (3, "XWUTRQPNJLK")}


def sg_nric(value: str) -> bool:
    """A Singapore NRIC or FIN: S, T, F, G or M, seven digits (weights 2,7,6,5,4,3,2), the check
    letter of that series; one digit repeated (``S0000000J``, a form's example) refused."""
    code = value.upper()
    entry = _NRIC_TABLES.get(code[:1])
    digits = code[1:8]
    if entry is None or len(code) != 9 or not (digits.isascii() and digits.isdigit()) or len(set(digits)) == 1:
        return False
    offset, letters = entry
    total = offset + sum(int(d) * w for d, w in zip(digits, (2, 7, 6, 5, 4, 3, 2), strict=True))
    return letters[total % 11] == code[8]


def za_id(value: str) -> bool:
    """A South African identity number: 13 digits, a date of birth YYMMDD (1900s or 2000s), the
    citizenship digit 0-2 (citizen, permanent resident, refugee), a Luhn check digit. Why all
    three: its label (`ID number`) is generic, so the number itself must say what it is (a random
    13-digit number passes ~1 in 1,000)."""
    digits = _id_digits(value)
    if len(digits) != 13 or not (digits.isascii() and digits.isdigit()) or len(set(digits)) == 1:
        return False
    if not _yymmdd_any_century(digits[:6]):
        return False
    return digits[10] in "012" and luhn_valid(digits)


def au_tfn(value: str) -> bool:
    """An Australian tax file number: 9 digits whose sum weighted 1,4,3,7,5,8,6,9,10 is a multiple
    of 11; one digit repeated (``000 000 000``, which passes) refused."""
    digits = _id_digits(value)
    if len(digits) != 9 or not (digits.isascii() and digits.isdigit()) or len(set(digits)) == 1:
        return False
    return sum(int(d) * w for d, w in zip(digits, (1, 4, 3, 7, 5, 8, 6, 9, 10), strict=True)) % 11 == 0


def de_steuer_id(value: str) -> bool:
    """A German tax identification number (Steuer-ID): 11 digits, not 0 first; in the first ten
    one digit appears twice or three times (never three in a row) and every other at most once;
    the last is the ISO 7064 MOD 11,10 check digit. The repetition rule refuses most numbers a
    check digit alone would let through (``12345678901``: ten different digits)."""
    digits = _id_digits(value)
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()) or digits[0] == "0":
        return False
    body = digits[:10]
    counts = sorted((body.count(d) for d in set(body)), reverse=True)
    if counts[0] not in (2, 3) or (len(counts) > 1 and counts[1] > 1):
        return False
    if counts[0] == 3 and any(body[i] == body[i + 1] == body[i + 2] for i in range(8)):
        return False
    product = 10
    for d in body:
        total = (int(d) + product) % 10 or 10
        product = total * 2 % 11
    return (11 - product) % 10 == int(digits[10])


def _ird_check(base: str, weights: tuple[int, ...]) -> int:
    """The IRD check digit of the eight digits ``base`` under ``weights`` (10: this set fails)."""
    rest = sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
    return 0 if rest == 0 else 11 - rest


def nz_ird(value: str) -> bool:
    """A New Zealand IRD number: 8 or 9 digits between 10,000,000 and 150,000,000; the last a
    mod-11 check over the eight before (padded with a 0) weighted 3,2,7,6,5,4,3,2, or, when that
    gives 10, 7,4,3,2,5,2,7,6 (a second 10: no number)."""
    digits = _id_digits(value)
    if len(digits) not in (8, 9) or not (digits.isascii() and digits.isdigit()):
        return False
    if not 10_000_000 <= int(digits) <= 150_000_000:
        return False
    digits = digits.zfill(9)
    check = _ird_check(digits[:8], (3, 2, 7, 6, 5, 4, 3, 2))
    if check == 10:
        check = _ird_check(digits[:8], (7, 4, 3, 2, 5, 2, 7, 6))
    return check != 10 and check == int(digits[8])


def fr_nir(value: str) -> bool:
    """A French social security number (NIR): sex (1-4, 7, 8), YY, a month (01-12, or 20, 30-42,
    50-99 as INSEE writes an unknown one), a department (2 digits, Corsica 2A/2B), commune and
    order (3 + 3), and the key 97 - (the 13 digits mod 97), 2A read as 19 and 2B as 18."""
    code = _id_digits(value).upper()
    if len(code) != 15 or not code.isascii() or code[0] not in "123478":
        return False
    month = code[3:5]
    if not month.isdigit() or not (1 <= int(month) <= 12 or int(month) == 20 or 30 <= int(month) <= 42
                                   or int(month) >= 50):
        return False
    number = code[:5] + {"2A": "19", "2B": "18"}.get(code[5:7], code[5:7]) + code[7:13]
    if not (number.isdigit() and code[13:].isdigit()) or len(set(number)) == 1:
        return False
    return 97 - int(number) % 97 == int(code[13:])


#: ISO 7064 MOD 11-2 weights of a Chinese resident ID's first 17 digits (2**(17 - i) mod 11), and
#: its check characters indexed by the weighted sum modulo 11.
_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CN_CHECKS = "10X98765432"


def cn_resident_id(value: str) -> bool:
    """A Chinese resident identity number: 18 characters, a region code (1-8 first), a date of
    birth YYYYMMDD (1900-2099), three serial digits, the ISO 7064 MOD 11-2 check (0-9 or X)."""
    code = value.upper()
    body = code[:17]
    if len(code) != 18 or not (body.isascii() and body.isdigit()) or code[0] not in "12345678":
        return False
    if not (1900 <= int(body[6:10]) <= 2099 and _valid_date(int(body[6:10]), int(body[10:12]), int(body[12:14]))):
        return False
    return _CN_CHECKS[sum(int(d) * w for d, w in zip(body, _CN_WEIGHTS, strict=True)) % 11] == code[17]


#: The century of a Korean RRN's date of birth, by its seventh digit (1-2: 1900s, 3-4: 2000s).
_RRN_CENTURY = {"1": 1900, "2": 1900, "3": 2000, "4": 2000}


def kr_rrn(value: str) -> bool:
    """A Korean resident registration number issued before October 2020: YYMMDD, a sex/century
    digit 1-4, five more, and a check digit (weights 2-9, 2-5; (11 - sum mod 11) mod 10). Numbers
    issued since carry random digits in its place and no check: a label alone is no proof, so
    they are not read (docs/detection.md, "Limitations")."""
    digits = _id_digits(value)
    if len(digits) != 13 or not (digits.isascii() and digits.isdigit()):
        return False
    century = _RRN_CENTURY.get(digits[6])
    if century is None or not _valid_date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6])):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:12], (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def jp_my_number(value: str) -> bool:
    """A Japanese individual number (My Number): 12 digits, the last a mod-11 check over the
    eleven before (from the right, weights 2-7 then 2-6; a remainder of 0 or 1 gives 0); one
    digit repeated refused."""
    digits = _id_digits(value)
    if len(digits) != 12 or not (digits.isascii() and digits.isdigit()) or len(set(digits)) == 1:
        return False
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(digits[:11]), start=1))
    rest = total % 11
    return (0 if rest <= 1 else 11 - rest) == int(digits[11])


#: Mexican CURP and RFC: each character's value in the check-digit sums (RENAPO's table for the
#: CURP; the SAT's for the RFC, where `&` sits after N and a space and `Ñ` come last).
_CURP_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ")}
_RFC_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ")}
#: The two-letter codes of the CURP's birthplace: the 32 states and `NE` (born abroad).
_CURP_STATES = frozenset({
    "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN", "MS",
    "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE"})


def _yymmdd_any_century(digits: str) -> bool:
    """Whether the six digits YYMMDD are a date in the 1900s or the 2000s (February 29 needs a
    leap year in one of them)."""
    yy, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    return _valid_date(1900 + yy, month, day) or _valid_date(2000 + yy, month, day)


def mx_curp(value: str) -> bool:
    """A Mexican CURP: four letters of the name, the birth date YYMMDD, sex (H, M, or X since
    2022), the state of birth (or NE), three consonants of the name, a character that is a digit for
    births in the 1900s and a letter after, and a check digit (values weighted 18 down to 2,
    (10 - sum mod 10) mod 10). Why the date and the state too: the check digit alone lets one
    random string in ten through."""
    code = value.upper()
    if len(code) != 18 or not code.isascii() or not code[17].isdigit():
        return False
    century = 1900 if code[16].isdigit() else 2000
    digits = code[4:10]
    if not digits.isdigit() or not _valid_date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6])):
        return False
    if code[10] not in "HMX" or code[11:13] not in _CURP_STATES:
        return False
    try:
        total = sum(_CURP_VALUES[c] * (18 - i) for i, c in enumerate(code[:17]))
    except KeyError:
        return False
    return (10 - total % 10) % 10 == int(code[17])


def mx_rfc(value: str) -> bool:
    """A Mexican RFC of a person (13 characters: four letters of the name, the birth date YYMMDD,
    a two-character homoclave and a check character), with or without `-` or spaces between the
    parts. The homoclave is 1-9/A-V then 1-9/A-Z; the check is 11 - (values weighted 13 down to
    2) mod 11, 10 written `A`, 11 written `0`. The SAT's generic numbers (`XAXX010101000`, the
    public; `XEXX010101000`, foreigners) name nobody and are refused. Companies' RFCs (12
    characters) name no person: not read."""
    code = value.upper().replace("-", "").replace(" ", "")
    if len(code) != 13 or code[:4] in ("XAXX", "XEXX") or not _yymmdd_any_century(code[4:10]):
        return False
    if not (code[4:10].isascii() and code[4:10].isdigit()) or code[10] not in "123456789ABCDEFGHIJKLMNOPQRSTUV":
        return False
    if code[11] not in "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        return False
    try:
        total = sum(_RFC_VALUES[c] * (13 - i) for i, c in enumerate(code[:12]))
    except KeyError:
        return False
    return "0123456789A"[(11 - total % 11) % 11] == code[12]


def dk_cpr(value: str) -> bool:
    """A Danish CPR number: DDMMYY, `-` or nothing, four digits whose first gives the century
    (0-3: 1900s; 4 and 9: 2000-2036, else 1900s; 5-8: 2000-2057, else 1800s). No check digit:
    the modulus-11 rule was dropped in 2007 (numbers issued since may fail it), so a valid date
    after the number's label is all there is to check; one digit repeated refused."""
    digits = value.replace("-", "")
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()) or len(set(digits)) == 1:
        return False
    yy, seventh = int(digits[4:6]), digits[6]
    if seventh in "0123":
        century = 1900
    elif seventh in "49":
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    return _valid_date(century + yy, int(digits[2:4]), int(digits[:2]))


#: Finnish henkilötunnus: the century of each sign (the 2023 reform added Y, X, W, V, U for the
#: 1900s and B-F for the 2000s beside `-` and `A`), and the check characters (no G, I, O, Q, Z).
_HETU_CENTURY = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
                 "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def fi_hetu(value: str) -> bool:
    """A Finnish personal identity code (henkilötunnus): DDMMYY, the century sign, an individual
    number 002-899 (900-999 are temporary and test numbers), and the check character: the nine
    digits modulo 31 in `0123456789ABCDEFHJKLMNPRSTUVWXY`."""
    code = value.upper()
    century = _HETU_CENTURY.get(code[6:7])
    if len(code) != 11 or century is None or not code.isascii():
        return False
    digits = code[:6] + code[7:10]
    if not digits.isdigit() or not 2 <= int(code[7:10]) <= 899:
        return False
    if not _valid_date(century + int(code[4:6]), int(code[2:4]), int(code[:2])):
        return False
    return _HETU_CHECK[int(digits) % 31] == code[10]


def no_fnr(value: str) -> bool:
    """A Norwegian national identity number (fødselsnummer) or D-number (day + 40): DDMMYY, an
    individual number whose range gives the century, and two modulus-11 check digits (a check of
    10 is never issued). Help numbers (month + 40) and the synthetic test numbers of the Tenor
    register (month + 80) are refused."""
    digits = _id_digits(value)
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()) or len(set(digits)) == 1:
        return False
    day, month, yy, individual = int(digits[:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6:9])
    if day > 40:
        day -= 40
    if individual < 500:
        century = 1900
    elif individual < 750 and yy >= 54:
        century = 1800
    elif yy < 40:
        century = 2000
    elif individual >= 900:
        century = 1900
    else:
        return False
    if not _valid_date(century + yy, month, day):
        return False
    d = [int(c) for c in digits]
    k1 = 11 - sum(x * w for x, w in zip(d[:9], (3, 7, 6, 1, 8, 9, 4, 5, 2), strict=True)) % 11
    k2 = 11 - sum(x * w for x, w in zip(d[:10], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
    return k1 % 11 == d[9] and k2 % 11 == d[10] and k1 != 10 and k2 != 10


def in_pan(value: str) -> bool:
    """An Indian PAN of a person: five letters, the fourth `P` (the holder type: C, H, F, A, T,
    B, L, J, G name companies, families, firms, trusts and governments, no person), four digits
    not all 0, a letter. The last letter is a check whose rule the Income Tax Department does not
    publish, so the label before it carries the weight."""
    code = value.upper()
    return (len(code) == 10 and code.isascii() and code[:5].isalpha() and code[3] == "P"
            and code[5:9].isdigit() and code[5:9] != "0000" and code[9].isalpha())


def tr_tckn(value: str) -> bool:
    """A Turkish identity number (T.C. Kimlik No): 11 digits, not 0 first; the tenth is (7 x the
    sum of the odd-placed first nine - the sum of the even-placed) mod 10, the eleventh the sum of
    the first ten mod 10. Nine equal digits first (`11111111110`, the usual dummy, passes both
    checks) refused."""
    digits = _id_digits(value)
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()) or digits[0] == "0":
        return False
    if len(set(digits[:9])) == 1:
        return False
    d = [int(c) for c in digits]
    if (7 * sum(d[0:9:2]) - sum(d[1:8:2])) % 10 != d[9]:
        return False
    return sum(d[:10]) % 10 == d[10]


#: Month names (and their usual abbreviations, without the dot) of the languages whose
#: date-of-birth labels date_of_birth_v1 reads: English, German, French, Spanish, Italian,
#: Portuguese, Dutch. Lower case; the value is the month number.
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
        "january jan januar jänner janvier enero gennaio janeiro januari",
        "february feb febr februar février fevrier febrero febbraio fevereiro februari",
        "march mar märz maerz mars marzo março marco maart mrt",
        "april apr avril abril aprile",
        "may mai mayo maggio maio mei",
        "june jun juni juin junio giugno junho",
        "july jul juli juillet julio luglio julho",
        "august aug août aout agosto augustus",
        "september sep sept septembre septiembre setiembre settembre setembro",
        "october oct oktober octobre octubre ottobre outubro okt",
        "november nov novembre noviembre novembro",
        "december dec dezember décembre decembre diciembre dicembre dezembro dez",
), start=1):
    for _name in _names.split():
        _MONTHS[_name] = _number
#: Years a date of birth may have: a living person's, or a recent historical one.
_DOB_YEARS = range(1870, 2100)
_DATE_PARTS = re.compile(r"(\d+)(?:st|nd|rd|th)?|([^\W\d_]+)")


def date_of_birth(value: str) -> bool:
    """A calendar date with a day, a month and a year (date_of_birth_v1 found it after its label).

    Numeric dates are read day-month-year or month-day-year (either reading will do: the label
    says it is a date, the layout does not say which), year-month-day, or as 8 digits YYYYMMDD
    (HL7's layout); two-digit years are 19xx or 20xx. A month in words must be a month's name.
    """
    if value.isdigit():
        return len(value) == 8 and _dob_date(int(value[:4]), int(value[4:6]), int(value[6:]))
    numbers: list[str] = []
    month = 0
    for number, word in _DATE_PARTS.findall(value):
        if number:
            numbers.append(number)
        elif word.lower() in _MONTHS:
            if month:
                return False
            month = _MONTHS[word.lower()]
        elif word.lower() not in ("of", "de"):
            return False
    if month:
        if len(numbers) != 2 or len(numbers[1]) != 4:
            return False
        return _dob_date(int(numbers[1]), month, int(numbers[0]))
    if len(numbers) != 3 or len({ch for ch in value if not ch.isdigit()}) != 1:
        return False  # three numbers joined by one kind of separator (not 14.03-1962)
    a, b, c = numbers
    if len(a) == 4:
        return _dob_date(int(a), int(b), int(c))
    years = [int(c)] if len(c) == 4 else [1900 + int(c), 2000 + int(c)]
    return any(_dob_date(y, m, d) for y in years for d, m in ((int(a), int(b)), (int(b), int(a))))


def _dob_date(year: int, month: int, day: int) -> bool:
    return year in _DOB_YEARS and _valid_date(year, month, day)


#: A record or account number that is an ISO date (``2024-03-02``) is a date written after the label.
_ISO_DATE = re.compile(r"(\d{4})[-.](\d{2})[-.](\d{2})")


def _labelled_number(value: str, fewest: int, most: int) -> bool:
    """A number after its label: ``fewest``-``most`` digits, not one digit repeated (``0000000``:
    a placeholder), not an ISO date (a date written after the label)."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if not fewest <= len(digits) <= most or len(set(digits)) == 1:
        return False
    date = _ISO_DATE.fullmatch(value)
    return not (date and _valid_date(int(date[1]), int(date[2]), int(date[3])))


def medical_record_number(value: str) -> bool:
    """6-12 digits (after up to three prefix letters), not one digit repeated, not an ISO date."""
    return _labelled_number(value, 6, 12)


def bank_account(value: str) -> bool:
    """A bank account number after its label (bank_account_v1): 6-17 digits, not one digit
    repeated, not an ISO date."""
    return _labelled_number(value, 6, 17)


def passport_number(value: str) -> bool:
    """A passport number after its label (passport_v1): its digits not one digit repeated."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return len(set(digits)) > 1


#: The characters of base64 text (what a PEM body is made of).
_BASE64_CHARS = re.compile(r"[A-Za-z0-9+/=]")


def pem_private_key(value: str) -> bool:
    """A PEM private key (private_key_v1): the block itself, or the block in base64 on one line
    (``LS0tLS1CRUdJTi...``, a kubeconfig's ``client-key-data``) whose decoded first line says
    PRIVATE KEY. A certificate or public key encoded the same way is public: kept.

    A whole block whose body is elided (``...`` or ``…``) with fewer than 64 base64 characters
    left is documentation's example of the layout (dotenv's README: ``-----BEGIN RSA PRIVATE
    KEY-----``, ``...``, ``Kh9NV...``, ``...``, ``-----END RSA PRIVATE KEY-----``): the smallest
    real key's body holds about 160. A block cut off without its END line is still a key."""
    if not value.startswith("LS0tLS1CRUdJTi"):
        body, end, _ = value.partition("-----END")
        if end and ("..." in body or "\u2026" in body):
            return len(_BASE64_CHARS.findall(body.split("-----", 2)[-1])) >= 64
        return True  # the BEGIN line itself is in the pattern
    head = value[:64]
    try:
        first_line = base64.b64decode(head[: len(head) // 4 * 4]).split(b"\n", 1)[0]
    except (binascii.Error, ValueError):
        return False
    return b"PRIVATE KEY" in first_line


def driver_license(value: str) -> bool:
    """A driver's licence number after its label (driver_license_v1): 6-17 digits, not one digit
    repeated (`DL# 000000000` is a form's placeholder), not an ISO date."""
    return _labelled_number(value, 6, 17)


def account_id(value: str) -> bool:
    """A person's record or account number after its label (account_id_v1: `Member ID`, `policy
    number`, `Employee ID`, ...): 6-17 digits, not one digit repeated (`Customer number: 0000000`
    is a form's placeholder), not an ISO date."""
    return _labelled_number(value, 6, 17)


#: A VIN as ISO 3779 writes it: 17 characters without I, O, Q, the last four digits.
_VIN = re.compile(r"[A-HJ-NPR-Z0-9]{13}[0-9]{4}")
#: Each character's value in the North American check digit (letters by their transliteration).
_VIN_VALUES = {**{str(d): d for d in range(10)},
               **dict(zip("ABCDEFGH", range(1, 9), strict=True)), **dict(zip("JKLMN", range(1, 6), strict=True)),
               "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10), strict=True))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_shape(value: str) -> bool:
    """A VIN after its label (vin_v1): ISO 3779's shape, a letter among its characters (17 digits
    are some other number), not one character repeated. No check digit: only North America has
    one, and a European or Japanese VIN after `VIN:` is as personal."""
    return _VIN.fullmatch(value) is not None and not value.isdigit() and len(set(value)) > 1


def vin(value: str) -> bool:
    """A VIN without its label (vin_checked_v1): ISO 3779's shape and the North American check
    digit (position 9: the weighted sum of the values modulo 11, 10 written ``X``), which a random
    token of the shape passes one time in eleven."""
    if not vin_shape(value):
        return False
    remainder = sum(_VIN_VALUES[ch] * w for ch, w in zip(value, _VIN_WEIGHTS, strict=True)) % 11
    return value[8] == ("X" if remainder == 10 else str(remainder))


def warm_up() -> None:
    """Load what validators load lazily (the public-suffix trie, phonenumbers' region metadata).

    Called from the stage's ``setup`` so the one-off cost (~0.1 s) is not paid inside the first
    batch, where it would distort per-batch timings.
    """
    _offline_tld_extractor()("example.co.uk")
    for region in ("US", *TRUNK_ZERO_REGIONS):
        with contextlib.suppress(phonenumbers.NumberParseException):
            phonenumbers.is_valid_number(phonenumbers.parse("0201234567", region))


#: The one explicit name → function map the YAML rules refer to: validators that read no word list
#: (for those that do, :data:`LIST_VALIDATORS`).
VALIDATORS: dict[str, Validator] = {
    "credit_card": credit_card,
    "card_any_issuer": card_any_issuer,
    "iban": iban,
    "us_ssn": us_ssn,
    "us_itin": us_itin,
    "ip_address": ip_address,
    "ipv6_address": ipv6_address,
    "email_domain": email_domain,
    "phone_number": phone_number,
    "phone_shape": phone_shape,
    "phone_local": phone_local,
    "jwt": jwt,
    "mixed_secret": mixed_secret,
    "api_token": api_token,
    "telegram_bot_token": telegram_bot_token,
    "age_secret_key": age_secret_key,
    "key_id_unmasked": key_id_unmasked,
    "discord_token": discord_token,
    "crypto_wallet": crypto_wallet,
    "email_obfuscated": email_obfuscated,
    "email_soft_break": email_soft_break,
    "non_word_account": non_word_account,
    "secret_value": secret_value,
    "auth_credentials": auth_credentials,
    "phone_e164": phone_e164,
    "phone_international": phone_international,
    "url_credentials": url_credentials,
    "pesel": pesel,
    "es_dni": es_dni,
    "nl_bsn": nl_bsn,
    "se_personnummer": se_personnummer,
    "br_cpf": br_cpf,
    "ca_sin": ca_sin,
    "in_aadhaar": in_aadhaar,
    "it_codice_fiscale": it_codice_fiscale,
    "login_name": login_name,
    "uk_nino": uk_nino,
    "uk_nhs": uk_nhs,
    "sg_nric": sg_nric,
    "za_id": za_id,
    "au_tfn": au_tfn,
    "de_steuer_id": de_steuer_id,
    "nz_ird": nz_ird,
    "fr_nir": fr_nir,
    "mx_curp": mx_curp,
    "mx_rfc": mx_rfc,
    "dk_cpr": dk_cpr,
    "fi_hetu": fi_hetu,
    "no_fnr": no_fnr,
    "in_pan": in_pan,
    "tr_tckn": tr_tckn,
    "cn_resident_id": cn_resident_id,
    "kr_rrn": kr_rrn,
    "jp_my_number": jp_my_number,
    "bank_account": bank_account,
    "date_of_birth": date_of_birth,
    "medical_record_number": medical_record_number,
    "passport_number": passport_number,
    "driver_license": driver_license,
    "account_id": account_id,
    "vin_shape": vin_shape,
    "vin": vin,
    "pem_private_key": pem_private_key,
}


#: Validators that read word lists of the rules: name → function of (words, value).
LIST_VALIDATORS: dict[str, Callable[[ValidatorWords, str], ValidatorResult]] = {
    "email_spelled": email_spelled,
    "email_at_word": email_at_word,
    "letter_password": letter_password,
    "literal_secret": literal_secret,
    "said_password": said_password,
    "markup_secret": markup_secret,
    "k8s_secret_value": k8s_secret_value,
    "netrc_password": netrc_password,
    "basic_auth_pair": basic_auth_pair,
    "assigned_secret": assigned_secret,
    "field_login": field_login,
    "chat_nick": chat_nick,
    "non_word_nick": non_word_nick,
}


def validators_for(words: ValidatorWords) -> dict[str, Validator]:
    """Every validator by name, those of :data:`LIST_VALIDATORS` bound to ``words``: what the
    recognizers of one engine call (built once per engine, never per document or per call)."""
    return {**VALIDATORS, **{name: partial(fn, words) for name, fn in LIST_VALIDATORS.items()}}

"""Surrogate generators, one per *kind* of value, each a pure function of (key, value).

A surrogate keeps what a model needs to read the text naturally (an e-mail stays an e-mail, a card
keeps its length and passes Luhn) and nothing that identifies the original. Every generator draws
its randomness from :class:`KeyedRandom` seeded with the kind and the *normalised* value, so
"John@Example.com" and "john@example.com" get the same surrogate, and the same value gets the same
surrogate in every document, worker and run that uses the same key.

Entity types are mapped to kinds in ``rules/transform/operators.yaml`` (``pseudonymizers:``); an
unknown type uses ``shape`` (same length, same character classes), which never fails.

The generators are written directly rather than with Faker so that output cannot change when a
worker has another Faker version installed, and so that checksums and reserved ranges are exact.
"""

from __future__ import annotations

import ipaddress
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import phonenumbers

from scrubber.checksums import iban_check_digits, luhn_check_digit
from scrubber.email_text import plain_address, respell
from scrubber.transform.keyed_random import KeyedRandom
from scrubber.transform.names import first_names, last_names, match_case, word_surrogate

#: Bump when a generator or :func:`normalize` changes its output for the same input: surrogates are a
#: compatibility surface. v2: a phone number is known by its national number (``+1 312 555 0187``,
#: ``312.555.0187`` and ``1-312-555-0187`` are one number), and an 11-digit NANP number keeps its ``1``.
PSEUDONYM_VERSION = "pseudonym/v2"

HEX_LOWER = frozenset("0123456789abcdef")
HEX_UPPER = frozenset("0123456789ABCDEF")
#: URL scheme at the start of a credential URL ("https://user:pass@host"): kept so the text still
#: reads as a URL.
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
#: PEM armour lines (-----BEGIN RSA PRIVATE KEY-----) are structure, not secret; kept verbatim.
PEM_ARMOUR = re.compile(r"-----[A-Z0-9 ]+-----")


@dataclass(frozen=True, slots=True)
class PseudonymSettings:
    """The parts of the rules that shape surrogates, and the pseudonym key the name words of an
    e-mail address are drawn with (``names_key``: the address agrees with the name's surrogate; kept
    out of ``repr`` so that no log or error message can print it)."""

    email_domains: tuple[str, ...] = ("example.com", "example.org", "example.net")
    secret_prefixes: tuple[str, ...] = ()
    names_key: bytes | None = field(default=None, repr=False)
    #: ``address.keep_words`` of the rules: street types, directions, units and particles, kept.
    address_keep: frozenset[str] = frozenset()
    #: ``address.regions`` (every group): state and province codes, kept in capitals.
    address_regions: frozenset[str] = frozenset()
    #: ``address.glued_types``: street types glued to the name, kept (`Hauptstraße`).
    address_glued_types: tuple[str, ...] = ()


# -- normalisation: what counts as "the same value" ------------------------------------------------
def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _country_code_length(value: str, digits: str) -> int | None:
    """How many leading digits of an international number (``+``/``00``) are its country code
    (with the ``00``), ``None`` for a national number; a ``+`` number phonenumbers cannot parse
    keeps one digit."""
    stripped = value.lstrip()
    if not stripped.startswith(("+", "00")):
        return None
    try:
        number = "+" + digits.removeprefix("00") if stripped.startswith("00") else stripped
        return len(str(phonenumbers.parse(number, None).country_code)) + (2 if stripped.startswith("00") else 0)
    except phonenumbers.NumberParseException:
        return min(1, len(digits))


def _nanp_trunk(value: str, digits: str) -> bool:
    """A North American number written with its leading ``1`` and no ``+`` (``1-312-555-0187``)."""
    return len(digits) == 11 and digits[0] == "1" and value.lstrip().startswith("1")


def national_digits(value: str) -> str:
    """A phone number's national digits: without its country code (``+44``, ``0044``), a NANP ``1``
    or trunk zeros (``020 ...``).

    Why: one number is written many ways in one corpus, often in one document (``+1 (312) 555-0187``
    in a signature, ``312.555.0187`` in the text; ``+44 20 7946 0958`` and ``020 7946 0958``), and
    compared by all their digits they got different surrogates and hash tokens. Two countries'
    numbers with the same national digits now share one: a surrogate or token says which number
    was seen, never which country."""
    digits = digits_only(value)
    keep = _country_code_length(value, digits)
    if keep is None:
        keep = 1 if _nanp_trunk(value, digits) else 0
    return digits[keep:].lstrip("0")


def normalize(kind: str, value: str) -> str:
    """The canonical form whose surrogate (and hash) a value gets."""
    if kind == "email":
        return plain_address(value.strip()).casefold()
    if kind == "phone":
        return national_digits(value) or value
    if kind in ("card", "ssn"):
        return digits_only(value) or value
    if kind == "iban":
        return "".join(ch for ch in value if ch.isalnum()).upper()
    if kind == "ip":
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            return value.strip().lower()
    if kind in ("person", "address", "username"):
        return " ".join(value.casefold().split())
    return value


# -- the generic fallback ------------------------------------------------------------------------
def _alphabet(ch: str, hex_mode: str | None) -> str | None:
    """The alphabet a character is redrawn from, or None to keep it (separators, punctuation, space)."""
    if hex_mode == "lower" and ch in HEX_LOWER:
        return "0123456789abcdef"
    if hex_mode == "upper" and ch in HEX_UPPER:
        return "0123456789ABCDEF"
    if ch.isdigit():
        return string.digits
    if ch.isalpha():
        return string.ascii_uppercase if ch.isupper() else string.ascii_lowercase
    return None


def shape(value: str, rng: KeyedRandom, hex_ok: bool = True) -> str:
    """Same length; every digit/letter replaced by a random one of its class; everything else kept.

    A body that is entirely hexadecimal stays hexadecimal (a hex token keeps reading as hex).
    """
    hex_mode = None
    if hex_ok:
        alnum = [ch for ch in value if ch.isalnum()]
        has_letter = any(ch.isalpha() for ch in alnum)  # all digits is a number, not hex
        if has_letter and all(ch in HEX_LOWER for ch in alnum):
            hex_mode = "lower"
        elif has_letter and all(ch in HEX_UPPER for ch in alnum):
            hex_mode = "upper"
    alphabets = [_alphabet(ch, hex_mode) for ch in value]
    drawn = iter(rng.string([a for a in alphabets if a is not None]))
    return "".join(ch if a is None else next(drawn) for ch, a in zip(value, alphabets, strict=True))


def _differs(make: Callable[[KeyedRandom], str], value: str, rng: KeyedRandom) -> str:
    """Draw until the surrogate differs from the value (a few draws at most for any real input)."""
    for _ in range(8):
        out = make(rng)
        if out != value:
            return out
    return out


# -- one generator per kind -------------------------------------------------------------------------
#: A local part that is two words of letters joined by one separator (``priya.raman``, ``d.volkov``:
#: an initial keeps its surname's surrogate): a name.
_NAME_PAIR = re.compile(r"([^\W\d_]{1,40})[._\-]([^\W\d_]{2,40})")


def email(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """first.last@<reserved domain>: the separator and trailing digits of the local part are kept.
    An address whose ``@`` is written otherwise (``grace%40gmail.com`` in a link, ``jane&#64;gmail.com``
    in HTML, ``jane [at] gmail [dot] com``) gets the plain address's surrogate, written the same way.

    With ``settings.names_key`` (the pseudonymize key), a local part of two words (``priya.raman``,
    ``priya_raman42``) takes the surrogates those words get as a first name and a surname
    (:func:`scrubber.transform.names.word_surrogate`), so ``Priya Raman <priya.raman@acme.io>`` becomes
    ``Kara Hanson <kara.hanson@example.com>``: a pure function of the address still, the same in
    every document, and it agrees with the name wherever the name is written."""
    if "@" not in value:
        plain = plain_address(value)
        if "@" in plain:
            return respell(email(plain, rng, settings), value)
    if "=\n" in value or "=\r\n" in value:
        # cut by quoted-printable soft breaks (`grace.hop=⏎per@gmail.com`): the decoded address's
        # surrogate, written plainly (the break was the encoder's, not the address's)
        value = plain_address(value)
    local, at, _domain = value.rpartition("@")
    local = local.strip()  # `jane.doe @ gmail.com`: the mailbox of the plain address
    if not at or not local:
        return shape(value, rng)
    sep = next((ch for ch in local if ch in "._-+"), "")
    sep = "." if sep == "+" else sep
    first = rng.choice(first_names()).lower()
    last = rng.choice(last_names()).lower()
    trailing = len(local) - len(local.rstrip(string.digits))
    names_key = settings.names_key
    words = _NAME_PAIR.fullmatch(local[: len(local) - trailing]) if names_key is not None else None
    if words is not None:
        first = word_surrogate(names_key, "first", words.group(1)).lower()  # type: ignore[arg-type]
        last = word_surrogate(names_key, "last", words.group(2)).lower()  # type: ignore[arg-type]
    new_local = f"{first}{sep}{last}" if sep else f"{first[0]}{last}"
    new_local += rng.digits(trailing)
    out = f"{new_local}@{rng.choice(settings.email_domains)}"
    return out.upper() if value.isupper() else out


def phone(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """Same format and country code (a NANP number's leading ``1`` too); national digits random,
    leading trunk zeros kept. Drawn from the national digits (:func:`normalize`), so one number
    written with and without its country code or trunk gets the same national digits."""
    digits = digits_only(value)
    keep = _country_code_length(value, digits)
    if keep is None:
        keep = 1 if _nanp_trunk(value, digits) else 0
    while keep < len(digits) and digits[keep] == "0":  # trunk prefix (UK 020..., FR 01...)
        keep += 1

    def make(r: KeyedRandom) -> str:
        body = (str(r.between(2, 9)) + r.digits(max(0, len(digits) - keep - 1)))[: len(digits) - keep]
        return _fill_digits(value, digits[:keep] + body)

    return _differs(make, value, rng)


def _fill_digits(template: str, digits: str) -> str:
    """Put ``digits`` into the digit positions of ``template``, keeping every other character."""
    it = iter(digits)
    return "".join(next(it, ch) if ch.isdigit() else ch for ch in template)


def card(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """Same length, separators and first digit (card network); a valid Luhn check digit."""
    digits = digits_only(value)
    if len(digits) < 4:
        return shape(value, rng)

    def make(r: KeyedRandom) -> str:
        payload = digits[0] + r.digits(len(digits) - 2)
        return _fill_digits(value, payload + luhn_check_digit(payload))

    return _differs(make, value, rng)


def iban(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """Same country, length, spacing and letter/digit layout; valid mod-97 check digits."""
    compact = [ch for ch in value if ch.isalnum()]
    if len(compact) < 5 or not "".join(compact[:2]).isalpha():
        return shape(value, rng)
    country = "".join(compact[:2]).upper()

    def make(r: KeyedRandom) -> str:
        bban = shape("".join(compact[4:]).upper(), r, hex_ok=False)
        new = country + iban_check_digits(country, bban) + bban
        it = iter(new)
        return "".join(next(it) if ch.isalnum() else ch for ch in value)

    return _differs(make, value, rng)


def ssn(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """A never-issued SSN: area 900-999 (never assigned as SSNs), group 01-49 (outside ITIN groups)."""
    if len(digits_only(value)) != 9:
        return shape(value, rng)
    area, group, serial = rng.between(900, 999), rng.between(1, 49), rng.between(1, 9999)
    return _fill_digits(value, f"{area:03d}{group:02d}{serial:04d}")


#: Where IPv4 surrogates come from: private and loopback addresses stay in their block (so a log
#: still reads as internal traffic); every other address goes to 198.18.0.0/15, reserved for
#: benchmarking (RFC 2544) and never routed on the internet.
_IPV4_KEEP_BLOCKS = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8")
)
_IPV4_PUBLIC = ipaddress.ip_network("198.18.0.0/15")
#: IPv6: link-local stays link-local; everything else goes to the documentation prefix (RFC 3849).
_IPV6_LINK_LOCAL = ipaddress.ip_network("fe80::/64")
_IPV6_DOC = ipaddress.ip_network("2001:db8::/32")


def _random_host(network: ipaddress.IPv4Network | ipaddress.IPv6Network, r: KeyedRandom) -> str:
    size = network.num_addresses
    offset = r.between(1, size - 2) if size > 2 else 0  # avoid network and broadcast addresses
    return str(network.network_address + offset)


def ip(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """Same family (IPv4/IPv6); private/loopback/link-local stay in their block; a /prefix is kept."""
    text = value.strip()
    address, slash, prefix = text.partition("/")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return shape(value, rng)
    if parsed.version == 4:
        network = next((n for n in _IPV4_KEEP_BLOCKS if parsed in n), _IPV4_PUBLIC)
    else:
        network = _IPV6_LINK_LOCAL if parsed.is_link_local else _IPV6_DOC

    def make(r: KeyedRandom) -> str:
        out = _random_host(network, r)
        if parsed.version == 6 and any(ch.isupper() for ch in address):
            out = out.upper()
        return value.replace(text, out + (slash + prefix if slash else ""), 1)

    return _differs(make, value, rng)


def secret(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """Same length and known prefix (``ghp_``, ``AKIA``, ``sk_live_``, a URL scheme, PEM armour lines)."""
    prefix = ""
    for candidate in settings.secret_prefixes:  # sorted longest first by the rules loader
        if value.startswith(candidate):
            prefix = candidate
            break
    else:
        scheme = URL_SCHEME.match(value)
        if scheme:
            prefix = scheme.group()
    body = value[len(prefix):]
    if "-----" in body:  # PEM: keep armour lines, replace the base64 between them
        pieces, pos = [], 0
        for match in PEM_ARMOUR.finditer(body):
            pieces.append(shape(body[pos:match.start()], rng))
            pieces.append(match.group())
            pos = match.end()
        pieces.append(shape(body[pos:], rng))
        return prefix + "".join(pieces)
    return _differs(lambda r: prefix + shape(body, r), value, rng)


#: Japanese address units kept in a surrogate (prefecture, city, ward, town, block, number); the
#: other characters of a Japanese or Chinese address word are drawn from :data:`PLACE_KANJI`.
ADDRESS_KANJI_KEEP = frozenset("都道府県市区町村郡丁目番地号省")
#: Characters common in Japanese and Chinese place names: a surrogate's place words are drawn from
#: them, so `東京都渋谷区渋谷2-21-1` becomes `森岡都川島区中野5-16-6`, not a Latin surname.
PLACE_KANJI = "山川田中野北南東西大小本新島原井村松橋谷沢岡宮森林石浜平高安長和吉福"
ADDRESS_TOKEN = re.compile(r"[^\W\d_]+|\d+")
UPPER_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _glued_to_digit(value: str, match: re.Match) -> bool:
    """The token ``match`` touches a digit (`NR4`, `7JU`): part of a postcode, not a word."""
    return ((match.start() > 0 and value[match.start() - 1].isdigit())
            or (match.end() < len(value) and value[match.end()].isdigit()))


def _ordinal_suffix(n: int) -> str:
    """The English ordinal ending of ``n`` (1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st)."""
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def address(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """House numbers become random numbers of the same length, street and town names become
    surnames ("42 Main Street" -> "87 Figueroa Street"); street types (also glued to the name:
    ``Hauptstraße`` -> ``Lozanostraße``), directions, units and state codes are kept (the lists of
    ``address:`` in rules/transform/operators.yaml, in ``settings``), and the
    letters of a postcode become random letters (``NR4 7JU`` -> ``KT9 2BX``: a surname there read
    ``FORD8 4LIN``)."""
    names = last_names()

    def make(r: KeyedRandom) -> str:
        out, pos = [], 0
        number, number_end = "", -1  # the last number written, and where its original ended
        for match in ADDRESS_TOKEN.finditer(value):
            token = match.group()
            out.append(value[pos:match.start()])
            folded = token.lower()  # (not casefold: `ß` would become `ss` and the type's length change)
            if token.isdigit():
                number, number_end = str(r.between(1, 9)) + r.digits(len(token) - 1), match.end()
                out.append(number)
            elif folded in ("st", "nd", "rd", "th") and match.start() == number_end:
                suffix = _ordinal_suffix(int(number))  # `2nd Cross` -> `8th Cross`, not `8nd`
                out.append(suffix.upper() if token.isupper() else suffix)
            elif folded in settings.address_keep or token in settings.address_regions:
                out.append(token)
            elif token.isupper() and (len(token) <= 2 or (len(token) == 3 and _glued_to_digit(value, match))):
                # a postcode's letters (`NR4 7JU`, `1016 GV`): random letters; a word (`42 ELM ST`) is a name
                out.append(r.string([UPPER_LETTERS] * len(token)))
            elif any("\u3040" <= ch <= "\u9fff" for ch in token):  # kana or CJK ideographs
                out.append("".join(ch if ch in ADDRESS_KANJI_KEEP else r.choice(PLACE_KANJI) for ch in token))
            else:
                glued = next((t for t in settings.address_glued_types
                              if folded.endswith(t) and len(folded) > len(t) + 2), "")
                stem = token[:len(token) - len(glued)] if glued else token
                name = r.choice(names)
                name = (name.upper() if stem.isupper() and len(stem) > 1 else
                        name.lower() if stem.islower() else name)
                out.append(name + token[len(stem):])
            pos = match.end()
        out.append(value[pos:])
        return "".join(out)

    return _differs(make, value, rng)


@cache
def _name_sets() -> tuple[frozenset[str], frozenset[str]]:
    """The bundled first and last names, case-folded (to tell ``priya`` and ``jsmith`` apart)."""
    return frozenset(n.casefold() for n in first_names()), frozenset(n.casefold() for n in last_names())


def _login_word(word: str, role: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """A first or last name for one word of a login name: the surrogate that word gets as a name
    (with the pseudonym key: ``rebecca.lindqvist`` agrees with ``Rebecca Lindqvist``), else drawn."""
    if settings.names_key is not None:
        return word_surrogate(settings.names_key, role, word)
    return match_case(rng.choice(first_names() if role == "first" else last_names()), word)


def username(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """A login name of the same layout, so a path still reads as one (``/home/kphillips/...``).

    Why not ``shape``: ``/home/xqmzbtw/`` reads as noise, and login names follow a few layouts that
    say nothing about their owner: ``first.last`` (``rebecca.lindqvist`` → ``katrina.phillips``, the
    separator kept), a Windows profile's ``First Last``, a first name alone (``priya`` → ``kara``),
    and an initial and a surname (``jsmith`` → ``kphillips``). Name words take the surrogates they
    get as a name (:func:`_login_word`), so a path and the person's name agree; capitalisation and
    the count of trailing digits are kept (their values redrawn)."""
    trailing = len(value) - len(value.rstrip(string.digits))
    stem = value[: len(value) - trailing]
    if not stem:
        return generic(value, rng, settings)

    def make(r: KeyedRandom) -> str:
        firsts, lasts = _name_sets()
        words = stem.split(" ")
        pair = _NAME_PAIR.fullmatch(stem)
        if len(words) > 1 and all(w.isalpha() for w in words):  # `John Smith`
            out = " ".join(_login_word(w, "first" if i < len(words) - 1 else "last", r, settings)
                           for i, w in enumerate(words))
        elif pair is not None:  # `rebecca.lindqvist`, `j.smith`, `john_smith`
            out = (_login_word(pair.group(1), "first", r, settings) + stem[pair.end(1)]
                   + _login_word(pair.group(2), "last", r, settings))
        elif stem.isalpha() and stem.casefold() in firsts:  # `priya`
            out = _login_word(stem, "first", r, settings)
        else:  # `jsmith` (its surname's surrogate), or any other login: an initial and a surname
            if stem.isalpha() and len(stem) > 2 and stem[1:].casefold() in lasts:
                initial = r.choice("abcdefghijklmnoprstw".replace(stem[0].casefold(), ""))
                out = initial + _login_word(stem[1:], "last", r, settings).casefold()
            else:
                out = (r.choice(first_names())[0] + r.choice(last_names())).casefold()
            if stem.isupper():
                out = out.upper()
            elif stem[0].isupper():
                out = out[0].upper() + out[1:]
        return out + r.digits(trailing)

    return _differs(make, value, rng)


#: Month names a date surrogate writes, one list of twelve per language and form: the surrogate's
#: month is written in the list the original's month word is in (`14 March 1962` -> `3 July 1948`,
#: `14-Mar-1962` -> `03-Jul-1948`, `14 de marzo` -> `3 de julio`).
_MONTH_NAMES: tuple[tuple[str, ...], ...] = tuple(tuple(names.split()) for names in (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "januari februari maart april mei juni juli augustus september oktober november december",
))
#: Other spellings, read as the list they belong to (`Sept.` is English, abbreviated).
_MONTH_ALIASES = {"sept": 1, "jänner": 2, "maerz": 2, "fevrier": 3, "aout": 3, "decembre": 3, "setiembre": 4,
                  "marco": 6}
_DATE_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_ORDINALS = frozenset({"st", "nd", "rd", "th"})


def _month_list(word: str) -> tuple[str, ...] | None:
    """The list of month names ``word`` is in (the first that has it), or ``None``."""
    lower = word.lower()
    for names in _MONTH_NAMES:
        if lower in names:
            return names
    index = _MONTH_ALIASES.get(lower)
    return None if index is None else _MONTH_NAMES[index]


def _same_case(word: str, like: str) -> str:
    return word.upper() if like.isupper() and len(like) > 1 else word.capitalize() if like[:1].isupper() else word


def _ordinal(day: int) -> str:
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def date(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """Another date in the same layout: separators, field order, widths (zero padding, two-digit
    years), an ordinal suffix and the month word's language, form and case are kept; the day is
    1-28 and the year 1930-2005, so every surrogate is a calendar date of a living adult's birth.

    A numeric date whose order the value does not show (`03/04/1962`: day or month first) gets a
    day of 1-12, a date in either reading. A layout not read as a date falls back to :func:`shape`.
    """
    tokens = [(m.start(), m.end(), m.group()) for m in _DATE_TOKEN.finditer(value)]
    numbers = [i for i, (_, _, t) in enumerate(tokens) if t.isdigit()]
    month_words = [i for i, (_, _, t) in enumerate(tokens) if not t.isdigit() and _month_list(t)]
    # Which number is the day, the month and the year (index into tokens), or None.
    day_i = month_i = year_i = None
    ambiguous = False
    if len(numbers) == 1 and len(tokens[numbers[0]][2]) == 8 and not month_words:
        pass  # YYYYMMDD, handled below
    elif len(numbers) == 3 and not month_words:
        a, b = (tokens[i][2] for i in numbers[:2])
        if len(a) == 4:
            year_i, month_i, day_i = numbers
        else:
            year_i = numbers[2]
            if int(a) > 12:
                day_i, month_i = numbers[0], numbers[1]
            else:
                month_i, day_i = numbers[0], numbers[1]
                ambiguous = int(b) <= 12
    elif len(numbers) == 2 and len(month_words) == 1:
        year_i = next((i for i in numbers if len(tokens[i][2]) == 4), None)
        day_i = next((i for i in numbers if i != year_i), None)
    if (year_i is None or day_i is None) and not (len(numbers) == 1 and len(tokens[numbers[0]][2]) == 8):
        return generic(value, rng, settings)

    # Days and months are zero-padded when the value pads one of them (`03/14/1962` -> `12/02/1958`).
    padded = any(tokens[i][2].startswith("0") for i in (day_i, month_i) if i is not None)

    def make(r: KeyedRandom) -> str:
        year, month = r.between(1930, 2005), r.between(1, 12)
        day = r.between(1, 12 if ambiguous else 28)
        if year_i is None:  # YYYYMMDD
            start, end, _ = tokens[numbers[0]]
            return value[:start] + f"{year:04d}{month:02d}{day:02d}" + value[end:]
        new: dict[int, str] = {}
        for i, number in ((year_i, year), (month_i, month), (day_i, day)):
            if i is None:
                continue
            old = tokens[i][2]
            width = len(old) if i == year_i else 2 if padded else 1
            new[i] = str(number % 100 if i == year_i and len(old) == 2 else number).zfill(width)
        for i in month_words:
            old = tokens[i][2]
            new[i] = _same_case(_month_list(old)[month - 1], old)  # type: ignore[index]
        if day_i is not None and day_i + 1 < len(tokens) and tokens[day_i + 1][2].lower() in _ORDINALS \
                and tokens[day_i + 1][0] == tokens[day_i][1]:
            old = tokens[day_i + 1][2]
            new[day_i + 1] = _ordinal(day).upper() if old.isupper() else _ordinal(day)
        out, pos = [], 0
        for i, (start, end, _) in enumerate(tokens):
            if i in new:
                out.append(value[pos:start])
                out.append(new[i])
                pos = end
        out.append(value[pos:])
        return "".join(out)

    return _differs(make, value, rng)


def generic(value: str, rng: KeyedRandom, settings: PseudonymSettings) -> str:
    """The fallback for any type without a dedicated generator: :func:`shape`."""
    return _differs(lambda r: shape(value, r), value, rng)


#: Kind name (as written in rules) -> generator. "person" is handled by scrubber.transform.names
#: because it needs the document's other names.
GENERATORS: dict[str, Callable[[str, KeyedRandom, PseudonymSettings], str]] = {
    "email": email,
    "phone": phone,
    "card": card,
    "iban": iban,
    "ssn": ssn,
    "ip": ip,
    "secret": secret,
    "address": address,
    "username": username,
    "date": date,
    "shape": generic,
}
KINDS = (*GENERATORS, "person")

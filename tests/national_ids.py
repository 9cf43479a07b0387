"""Made-up national ID numbers with valid check digits, computed here from the published rules
(never a real person's number): the detect tests need numbers that pass, and ones that fail by
one digit."""

from __future__ import annotations

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"

# Verhoeff's tables: multiplication in the dihedral group D5, the position permutation, inverses.
_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]]
for _ in range(6):
    _P.append([_P[1][x] for x in _P[-1]])  # each position's permutation is the first one applied again
_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def luhn_digit(payload: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str(-total % 10)


def pesel(birth: str, serial: str) -> str:
    """``birth`` YYMMDD with the century already in the month (+20 for the 2000s)."""
    body = birth + serial
    total = sum(int(d) * w for d, w in zip(body, [1, 3, 7, 9] * 3, strict=False))
    return body + str(-total % 10)


def dni(number: int) -> str:
    return f"{number:08d}{DNI_LETTERS[number % 23]}"


def nie(prefix: str, number: int) -> str:
    return f"{prefix}{number:07d}{DNI_LETTERS[('XYZ'.index(prefix) * 10_000_000 + number) % 23]}"


def bsn(payload: str) -> str:
    """8 digits + the digit that makes the 11-proof hold (``payload`` must not need a 10)."""
    rest = sum(int(d) * w for d, w in zip(payload, range(9, 1, -1), strict=True)) % 11
    assert rest < 10, "pick another payload"
    return payload + str(rest)


def personnummer(birth: str, serial: str, sep: str = "-") -> str:
    """``birth`` YYMMDD, ``serial`` three digits: the fourth is Luhn over the ten."""
    return birth + sep + serial + luhn_digit(birth + serial)


def cpf(payload: str) -> str:
    digits = [int(d) for d in payload]
    for n in (9, 10):
        digits.append(sum(d * w for d, w in zip(digits, range(n + 1, 1, -1), strict=False)) * 10 % 11 % 10)
    s = "".join(map(str, digits))
    return f"{s[:3]}.{s[3:6]}.{s[6:9]}-{s[9:]}"


def sin(payload: str) -> str:
    s = payload + luhn_digit(payload)
    return f"{s[:3]} {s[3:6]} {s[6:]}"


def aadhaar(payload: str) -> str:
    c = 0
    for i, ch in enumerate(reversed(payload)):
        c = _D[c][_P[(i + 1) % 8][int(ch)]]
    s = payload + str(_INV[c])
    return f"{s[:4]} {s[4:8]} {s[8:]}"


def wrong_last(number: str) -> str:
    """``number`` with its last digit changed: the check fails."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   [1, 0, 5, 7, 9, 13, 15, 17, 19, 21] * 2
                   + [2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23],
                   strict=True))


def codice_fiscale(first15: str) -> str:
    """The 15 characters + the check letter (odd positions by the table, even ones by value)."""
    total = sum(_CF_ODD[ch] if i % 2 == 0 else int(ch, 36) - (0 if ch.isdigit() else 10)
                for i, ch in enumerate(first15))
    return first15 + chr(65 + total % 26)


def nhs(payload: str) -> str:
    """An NHS number from nine digits: modulus 11, weights 10 down to 2 (a check of 10 is never
    issued: pick another payload)."""
    check = 11 - sum(int(d) * w for d, w in zip(payload, range(10, 1, -1), strict=True)) % 11
    assert check != 10, "no NHS number has this payload"
    return payload + str(check % 11)


_NRIC_TABLES = {"S": (0, "JZIHGFEDCBA"), "T": (4, "JZIHGFEDCBA"), "F": (0, "XWUTRQPNMLK"),
                "G": (4, "XWUTRQPNMLK"), "M": (3, "KLJNPQRTUWX")}


def nric(prefix: str, digits: str) -> str:
    """A Singapore NRIC/FIN: weights 2,7,6,5,4,3,2 plus the series' offset, modulo 11, in the
    series' letter table (the M series' table, as ICA publishes it, is indexed by 10 - remainder)."""
    offset, letters = _NRIC_TABLES[prefix]
    rest = (offset + sum(int(d) * w for d, w in zip(digits, (2, 7, 6, 5, 4, 3, 2), strict=True))) % 11
    return prefix + digits + letters[10 - rest if prefix == "M" else rest]


def za_id(birth: str, serial: str, citizen: str = "0", race: str = "8") -> str:
    """A South African ID number: YYMMDD, four serial digits, citizenship, the old race digit, Luhn."""
    body = birth + serial + citizen + race
    return body + luhn_digit(body)


def tfn(payload: str) -> str:
    """An Australian TFN from eight digits: the ninth (weight 10) makes the weighted sum a multiple
    of 11 (``payload`` must not need a 10: pick another)."""
    total = sum(int(d) * w for d, w in zip(payload, (1, 4, 3, 7, 5, 8, 6, 9), strict=True))
    last = next(d for d in range(11) if (total + 10 * d) % 11 == 0)
    assert last < 10, "pick another payload"
    return f"{payload[:3]} {payload[3:6]} {payload[6:]}{last}"


def steuer_id(body: str) -> str:
    """A German Steuer-ID from ten digits (one repeated, as issued): the ISO 7064 MOD 11,10 digit."""
    product = 10
    for d in body:
        product = ((int(d) + product) % 10 or 10) * 2 % 11
    return body + str((11 - product) % 10)


def ird(base: str) -> str:
    """A New Zealand IRD number from eight digits (leading 0 for 8-digit numbers): the mod-11 check
    with the primary weights, or the secondary ones when the primary give 10 (a second 10: no
    number has this base, pick another)."""
    check = 10
    for weights in ((3, 2, 7, 6, 5, 4, 3, 2), (7, 4, 3, 2, 5, 2, 7, 6)):
        rest = sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
        check = 0 if rest == 0 else 11 - rest
        if check != 10:
            break
    assert check != 10, "pick another base"
    s = (base + str(check)).lstrip("0")
    return f"{s[:-6]}-{s[-6:-3]}-{s[-3:]}"


def nir(body: str) -> str:
    """A French NIR from its 13 characters (2A/2B allowed): the key 97 - number mod 97, spaced as
    printed on a carte Vitale."""
    number = int(body[:5] + {"2A": "19", "2B": "18"}.get(body[5:7], body[5:7]) + body[7:])
    s = body + f"{97 - number % 97:02d}"
    return f"{s[0]} {s[1:3]} {s[3:5]} {s[5:7]} {s[7:10]} {s[10:13]} {s[13:]}"


def cn_resident_id(first17: str) -> str:
    """A Chinese resident ID: ISO 7064 MOD 11-2 over the 17 digits (weights 2**(17 - i) mod 11)."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


def kr_rrn(birth: str, rest: str) -> str:
    """A Korean RRN (pre-2020 layout): YYMMDD, six digits (sex/century first), the check digit."""
    body = birth + rest
    total = sum(int(d) * w for d, w in zip(body, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    return f"{birth}-{rest}{(11 - total % 11) % 10}"


def my_number(first11: str) -> str:
    """A Japanese My Number: weights 2-7, 2-6 from the right, 11 - remainder (0 for 0 and 1)."""
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(first11), start=1))
    rest = total % 11
    return first11 + str(0 if rest <= 1 else 11 - rest)


def curp(first17: str) -> str:
    """A Mexican CURP: RENAPO's character values weighted 18 down to 2, (10 - sum mod 10) mod 10."""
    values = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
    total = sum(values.index(c) * (18 - i) for i, c in enumerate(first17))
    return first17 + str((10 - total % 10) % 10)


def rfc(first12: str) -> str:
    """A Mexican RFC of a person: the SAT's values weighted 13 down to 2, 11 - sum mod 11 (10 is A)."""
    values = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
    total = sum(values.index(c) * (13 - i) for i, c in enumerate(first12))
    return first12 + "0123456789A"[(11 - total % 11) % 11]


def hetu(birth: str, sign: str, individual: str) -> str:
    """A Finnish henkilötunnus: DDMMYY, the century sign, three digits, the nine digits mod 31."""
    return birth + sign + individual + "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(birth + individual) % 31]


def fnr(first9: str) -> str:
    """A Norwegian fødselsnummer from DDMMYY + the individual number: the two mod-11 check digits
    (a check of 10 is never issued: pick another)."""
    d = [int(c) for c in first9]
    k1 = (11 - sum(x * w for x, w in zip(d, (3, 7, 6, 1, 8, 9, 4, 5, 2), strict=True)) % 11) % 11
    k2 = (11 - sum(x * w for x, w in zip([*d, k1], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11) % 11
    assert k1 < 10 and k2 < 10, "pick another number"
    return f"{first9}{k1}{k2}"


def tckn(first9: str) -> str:
    """A Turkish T.C. Kimlik No: the tenth digit (7 x odd-placed - even-placed) mod 10, the eleventh
    the sum of the ten mod 10."""
    d = [int(c) for c in first9]
    tenth = (7 * sum(d[0:9:2]) - sum(d[1:8:2])) % 10
    return f"{first9}{tenth}{(sum(d) + tenth) % 10}"

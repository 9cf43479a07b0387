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

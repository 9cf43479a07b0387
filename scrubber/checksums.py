"""Check-digit arithmetic (Luhn, IBAN mod-97), shared by detection and pseudonymization.

One implementation, tested alone: detection uses it to tell card numbers and IBANs from random
digits; the pseudonymizers use it so a surrogate card or IBAN stays valid of its kind (one that fails
the check reads as a typo to a model and as "not PII" to a later detector).
"""

from __future__ import annotations


def luhn_check_digit(payload: str) -> str:
    """The digit to append to ``payload`` (digits only) so the whole number passes Luhn (ISO/IEC 7812)."""
    total = 0
    # Walking right to left over the payload, every first digit is the one doubled once the check
    # digit is appended after it.
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    """True if the digits of ``number`` (separators ignored) pass the Luhn check."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return len(digits) >= 2 and luhn_check_digit(digits[:-1]) == digits[-1]


def _iban_to_int(text: str) -> int:
    # ISO 13616: letters count as two-digit numbers A=10 ... Z=35.
    return int("".join(str(int(ch, 36)) for ch in text.upper()))


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits for ``country`` (2 letters) and ``bban`` (alphanumeric, no spaces)."""
    remainder = _iban_to_int(bban + country + "00") % 97
    return f"{98 - remainder:02d}"


def iban_valid(iban: str) -> bool:
    """True if ``iban`` (spaces ignored) passes the ISO 7064 mod-97-10 check."""
    compact = "".join(ch for ch in iban if not ch.isspace())
    if len(compact) < 5 or not (compact.isascii() and compact.isalnum()):
        return False
    if not (compact[:2].isalpha() and compact[2:4].isdigit()):
        return False
    return _iban_to_int(compact[4:] + compact[:4]) % 97 == 1

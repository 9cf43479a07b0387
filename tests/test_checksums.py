"""Luhn and IBAN mod-97 helpers that detection and the pseudonymizers (and the test-data generators) share."""

from __future__ import annotations

import pytest

from scrubber.checksums import iban_check_digits, iban_valid, luhn_check_digit, luhn_valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111 1111 1111 1111", True),  # Visa test number
        ("5500-0000-0000-0004", True),  # Mastercard test number
        ("378282246310005", True),  # Amex test number (15 digits)
        ("4111 1111 1111 1112", False),
        ("79927398713", True),  # the classic Luhn example
        ("79927398710", False),
        ("6011-1111-1111-1117", True),  # Discover test number
        ("5555555555554443", False),
    ],
)
def test_checksums_luhn(number: str, valid: bool) -> None:
    assert luhn_valid(number) is valid


@pytest.mark.parametrize("payload", ["7992739871", "411111111111111", "37828224631000"])
def test_checksums_luhn_check_digit_completes_a_valid_number(payload: str) -> None:
    assert luhn_valid(payload + luhn_check_digit(payload))


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("DE89 3704 0044 0532 0130 00", True),
        ("GB82 WEST 1234 5698 7654 32", True),
        ("FR14 2004 1010 0505 0001 3M02 606", True),
        ("DE89 3704 0044 0532 0130 01", False),
        ("GB82 WEST 1234 5698 7654 33", False),
        ("DE8９ 3704", False),  # non-ASCII digit
        ("NL91ABNA0417164300", True),
    ],
)
def test_checksums_iban(iban: str, valid: bool) -> None:
    assert iban_valid(iban) is valid


@pytest.mark.parametrize(("country", "bban", "check"), [("DE", "370400440532013000", "89"),
                                                        ("GB", "WEST12345698765432", "82")])
def test_checksums_iban_check_digits(country: str, bban: str, check: str) -> None:
    assert iban_check_digits(country, bban) == check

"""Luhn and IBAN mod-97 helpers that detection and the pseudonymizers (and the test-data generators) share."""

from __future__ import annotations

import pytest

from scrubber.checksums import (
    base58check_payload,
    eip55_valid,
    iban_check_digits,
    iban_valid,
    keccak256,
    luhn_check_digit,
    luhn_valid,
    segwit_address_valid,
)


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


def test_checksums_keccak256_is_ethereums_not_sha3() -> None:
    """Keccak-256 with the original padding: published digests of "" and "abc" (SHA3-256 differs)."""
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert keccak256(b"abc").hex() == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    assert keccak256(b"x" * 300).hex() != keccak256(b"x" * 301).hex()  # several blocks of 136 bytes


@pytest.mark.parametrize(
    ("address", "valid"),
    [  # EIP-55's own examples, then one letter's case flipped
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", True),
        ("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", True),
        ("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", True),
        ("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb", True),
        ("0x5aAeb6053f3E94C9b9A09f33669435E7Ef1BeAed", False),
        ("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9adb", False),
    ],
)
def test_checksums_eip55(address: str, valid: bool) -> None:
    assert eip55_valid(address) is valid


@pytest.mark.parametrize(
    ("address", "payload_hex"),
    [("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18"),  # genesis block
     ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "05b472a266d0bd89c13706a4132ccfb16f7c3b9fcb"),  # BIP-13
     ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", None),  # last character changed
     ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", None)],  # 0 is no base58 character
)
def test_checksums_base58check(address: str, payload_hex: str | None) -> None:
    payload = base58check_payload(address)
    assert (payload.hex() if payload is not None else None) == payload_hex


@pytest.mark.parametrize(
    ("address", "valid"),
    [  # BIP-173 and BIP-350 test vectors (mainnet `bc`)
        ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", True),
        ("bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", True),  # P2WSH, 32 bytes
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", True),
        ("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", True),
        ("BC1SW50QGDZ25J", True),
        ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", True),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", False),  # bech32 for v1
        ("BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", False),  # bech32 for v16
        ("bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", False),  # bech32 for v2
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", False),
        ("bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", False),  # mixed case
        ("bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90", False),  # 41 bytes
        ("bc1q9zpgru", False),  # no program
    ],
)
def test_checksums_segwit_address(address: str, valid: bool) -> None:
    assert segwit_address_valid(address, "bc") is valid

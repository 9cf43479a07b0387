"""Check-digit arithmetic (Luhn, IBAN mod-97), shared by detection and pseudonymization.

One implementation, tested alone: detection uses it to tell card numbers and IBANs from random
digits; the pseudonymizers use it so a surrogate card or IBAN stays valid of its kind (one that fails
the check reads as a typo to a model and as "not PII" to a later detector).
"""

from __future__ import annotations

import hashlib


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


# Verhoeff's dihedral-group tables (multiplication and position permutation).
_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_valid(digits: str) -> bool:
    """Whether ``digits`` (ASCII digits only) ends in its Verhoeff check digit."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _VERHOEFF_D[c][_VERHOEFF_P[i % 8][int(ch)]]
    return c == 0

# -- cryptocurrency addresses ------------------------------------------------------------------------
# Bitcoin's base58 alphabet: digits and letters without 0, O, I and l (no two characters alike).
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {ch: i for i, ch in enumerate(_BASE58)}


def base58_decode(text: str) -> bytes | None:
    """The bytes ``text`` encodes in Bitcoin's base58 (each leading ``1`` a zero byte), or ``None``
    when it holds a character outside the alphabet."""
    number = 0
    for ch in text:
        digit = _BASE58_INDEX.get(ch)
        if digit is None:
            return None
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\x00" * zeros + body


def base58check_payload(text: str) -> bytes | None:
    """The payload of a base58check string (version byte and data), or ``None`` when its last four
    bytes are not the first four of the double SHA-256 of the rest (Bitcoin's legacy and P2SH
    addresses, WIF keys): a random or mistyped string passes one time in 2^32."""
    raw = base58_decode(text)
    if raw is None or len(raw) < 5:
        return None
    payload, check = raw[:-4], raw[-4:]
    return payload if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == check else None


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {ch: i for i, ch in enumerate(_BECH32)}
_BECH32_CONST = 1  # BIP-173 (witness version 0)
_BECH32M_CONST = 0x2BC830A3  # BIP-350 (witness versions 1-16: Taproot)


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            if (top >> i) & 1:
                chk ^= generator[i]
    return chk


def bech32_valid(text: str, hrp: str) -> bool:
    """Whether ``text`` is a bech32 string (BIP-173 checksum, any payload) with the human-readable part
    ``hrp``, in one case throughout: what age (file encryption) writes its identities in
    (``AGE-SECRET-KEY-1...``, hrp ``age-secret-key-``). Longer than BIP-173's 90 characters is allowed,
    as age's own keys are not held to it."""
    if text.lower() != text and text.upper() != text:
        return False
    text = text.lower()
    sep = text.rfind("1")
    if text[:sep] != hrp:
        return False
    data = [_BECH32_INDEX.get(ch, -1) for ch in text[sep + 1:]]
    if len(data) < 7 or -1 in data:
        return False
    expanded = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]
    return _bech32_polymod(expanded + data) == _BECH32_CONST


def segwit_address_valid(address: str, hrp: str) -> bool:
    """Whether ``address`` is a valid segwit address for the human-readable part ``hrp`` (``bc``:
    Bitcoin): one case throughout, bech32 checksum for witness version 0 (BIP-173) and bech32m for
    1-16 (BIP-350), a program of 2-40 bytes (20 or 32 for version 0) with no leftover bits."""
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    sep = address.rfind("1")
    if address[:sep] != hrp or not 8 <= len(address) <= 90:
        return False
    data = [_BECH32_INDEX.get(ch, -1) for ch in address[sep + 1:]]
    if len(data) < 7 or -1 in data:
        return False
    expanded = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]
    version = data[0]
    const = _bech32_polymod(expanded + data)
    if version > 16 or const != (_BECH32_CONST if version == 0 else _BECH32M_CONST):
        return False
    # The program: 5-bit groups after the version, without the 6 checksum characters, as bytes.
    acc = bits = 0
    program = []
    for value in data[1:-6]:
        acc = acc << 5 | value
        bits += 5
        if bits >= 8:
            bits -= 8
            program.append(acc >> bits & 0xFF)
    if bits >= 5 or acc & ((1 << bits) - 1):
        return False
    return 2 <= len(program) <= 40 and (version != 0 or len(program) in (20, 32))


# Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not SHA3-256's 0x06: hashlib's
# sha3_256 gives other digests). Pure Python: no library on the default install offers it (hashlib
# knows it only from OpenSSL 3.2 on; pycryptodome and eth-hash are dependencies of their own), and
# it runs only on the few mixed-case `0x` + 40 hex candidates (~0.1 ms each), to check EIP-55.
_KECCAK_RC = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
    0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
    0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
    0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)
# Rotation offsets of lane (x, y), indexed x + 5 * y.
_KECCAK_ROT = (0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14)
_MASK64 = (1 << 64) - 1


def _keccak_f(state: list[int]) -> None:
    """The Keccak-f[1600] permutation on 25 lanes of 64 bits (index x + 5 * y), in place."""
    for rc in _KECCAK_RC:
        c = [state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ ((c[(x + 1) % 5] << 1 | c[(x + 1) % 5] >> 63) & _MASK64) for x in range(5)]
        b = [0] * 25
        for x in range(5):
            for y in range(5):
                lane = state[x + 5 * y] ^ d[x]
                rot = _KECCAK_ROT[x + 5 * y]
                # rho and pi: lane (x, y) moves to (y, 2x + 3y)
                b[y + 5 * ((2 * x + 3 * y) % 5)] = (lane << rot | lane >> (64 - rot)) & _MASK64 if rot else lane
        for y in range(0, 25, 5):
            row = b[y:y + 5]
            for x in range(5):
                state[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5])
        state[0] ^= rc


def keccak256(data: bytes) -> bytes:
    """Keccak-256 of ``data`` (rate 136 bytes, padding 0x01 ... 0x80), as Ethereum computes it."""
    rate = 136
    padded = bytearray(data)
    padded.append(0x01)
    padded.extend(b"\x00" * (-len(padded) % rate))
    padded[-1] |= 0x80
    state = [0] * 25
    for block in range(0, len(padded), rate):
        for i in range(rate // 8):
            state[i] ^= int.from_bytes(padded[block + 8 * i:block + 8 * i + 8], "little")
        _keccak_f(state)
    return b"".join(state[i].to_bytes(8, "little") for i in range(4))


def eip55_valid(address: str) -> bool:
    """Whether the 40 hex digits of ``0x...`` carry a valid EIP-55 checksum: a letter is upper case
    exactly where the nibble of keccak256(lower-case hex) at its place is 8 or more. A random
    mixed-case hex string passes about one time in 2^15 (per letter, one chance in two)."""
    body = address[2:]
    digest = keccak256(body.lower().encode("ascii")).hex()
    for ch, nibble in zip(body, digest, strict=False):
        if ch.isalpha() and ch.isupper() != (int(nibble, 16) >= 8):
            return False
    return True

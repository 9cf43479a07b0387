"""Validators on their own: checksums and sanity checks that accept or reject a regex candidate."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from scrubber.config import load_config
from scrubber.detect import validators as v
from scrubber.detect.rules import load_rules
from scrubber.detect.stage import DetectStage
from scrubber.errors import ConfigError
from scrubber.records import Batch
from tests import national_ids as ids
from tests.detect_helpers import edited_rules, shipped_words, stage


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4111 1111 1111 1111", True),  # Visa test number, Luhn ok
        ("5500-0000-0000-0004", True),  # Mastercard
        ("378282246310005", True),  # Amex
        ("4111 1111 1111 1112", False),  # Luhn fails
        ("1700000000000", False),  # ms timestamp: no issuer prefix
        ("0000000000000000", False),  # one repeated digit
        ("411111111111", False),  # 12 digits: too short
        ("180092617964050", True),  # JCB legacy 15-digit range 1800
        ("213128569146303", True),  # JCB legacy 15-digit range 2131
        ("1800926179640507", False),  # the legacy ranges have exactly 15 digits
        ("180092617964051", False),  # Luhn fails
    ],
)
def test_validators_credit_card(value: str, expected: bool) -> None:
    assert v.credit_card(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("587662702899", True),  # 12-digit Maestro, Luhn ok
        ("5018 0307 5628", True),  # grouped
        ("060417590258", True),  # any prefix: only Luhn is checked
        ("587662702898", False),  # Luhn fails
        ("58766270289", False),  # 11 digits
        ("000000000000", False),  # one repeated digit
        ("41111111111111111111", False),  # 20 digits
    ],
)
def test_validators_card_any_issuer(value: str, expected: bool) -> None:
    assert v.card_any_issuer(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DE89 3704 0044 0532 0130 00", 27),
        ("DE89370400440532013000", 22),
        ("GB82 WEST 1234 5698 7654 32", 27),
        ("DE89 3704 0044 0532 0130 00 IS", 27),  # trailing word is cut by the country length
        ("DE89 3704 0044 0532 0130 01", 0),  # mod-97 fails
        ("ZZ89370400440532013000", 0),  # unknown country
        ("DE8937040044053201300", 0),  # one character short
    ],
)
def test_validators_iban_length_or_zero(value: str, expected: int) -> None:
    assert v.iban(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("536-22-1234", True),
        ("536221234", True),
        ("000-12-3456", False),
        ("666-12-3456", False),
        ("912-12-3456", False),
        ("536-00-1234", False),
        ("536-22-0000", False),
        ("123-45-6789", False),  # the famous sample
        ("111-11-1111", False),
    ],
)
def test_validators_us_ssn(value: str, expected: bool) -> None:
    assert v.us_ssn(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("(415) 555-2671", True),  # US layout
        ("415.555.2671", True),
        ("(415)555-2671", True),
        ("1-415-555-2671", True),  # trunk 1 and ten digits
        ("+1-780-563-6083", True),
        ("001-459-329-2244", True),  # 00 international prefix
        ("+44 20 7946 0958", True),
        ("020 7946 0958", True),  # GB national
        ("030 12345678", True),  # DE national
        ("01 23 45 67 89", True),  # FR national
        ("(02) 9876 5432", True),  # AU national
        ("+91 98765 43210", True),
        ("010-1234-5678", True),  # KR mobile, written 3-4-4
        ("010 9876 5432", True),
        ("01012345678", True),  # one run: a mobile to phone_compact, which needs a phone word
        ("01000000000", False),
        ("010-0000-0000", False),  # one repeated digit after 010: no valid mobile
        # Korean numbers in the Korean layout, valid for KR and in no region asked before
        ("02-790-5885", True),  # Seoul, 2-3-4
        ("031-6162-7096", True),  # Gyeonggi, 8-digit local number
        ("011-9361-6283", True),  # pre-010 mobile
        ("050-0053-9502", True),  # personal number
        ("010-2024-0001", False),  # series-year-sequence: a document number (valid KR mobile by digits)
        ("02-2019-0007", False),  # (valid in DE by its digits)
        ("010-2024-1234", True),  # a year-like middle group alone is no document number
        # Belarusian (and old Ukrainian) numbers with the trunk 8 before the code's 0
        ("8 029 123-45-67", True),
        ("8 (017) 123-45-67", True),
        ("8-044-765-43-21", True),
        ("8 029 1234567", True),
        ("8 (067) 123-45-67", True),  # Ukrainian mobile, 8 as written before the trunk became 0
        ("8 000 123-45-67", False),  # no such code
        ("80291234567", False),  # one run: the 8 does not stand alone
        ("8 0291 234 567", False),  # grouped in thousands, not the layout
        ("072 940 24 02", True),  # Ukrainian mobile, valid in no region asked before
        ("192.168.1.1", False),  # dotted quad
        ("536-22-1234", False),  # SSN layout
        ("1234567", False),  # local-only, no layout
        ("2019-2020", False),
        ("1111111111", False),
        ("2024-03-15 09", False),  # a date and the hour of its time (valid as a US number by digits)
        ("2024-03-15T09", False),
        ("15/03/2024 09", False),
    ],
)
def test_validators_phone_number(value: str, expected: bool) -> None:
    assert v.phone_number(value) is expected


def _random_number(rng) -> str:
    """Digits as the phone patterns hand them over: 1-16 digits in groups, leading 1s and 3s often."""
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 16)))
    digits = rng.choice(["", "1", "11", "111", "3", "13", "113"]) + rng.choice("123456789") + digits
    groups, i = [], 0
    while i < len(digits):
        size = rng.randint(1, 5)
        groups.append(digits[i:i + size])
        i += size
    return rng.choice([" ", "-", ".", "/", ""]).join(groups)


@pytest.mark.parametrize("value", [
    "3107784", "13107784", "113107784", "1113107784",  # Canada's 7-digit 310 numbers, leading 1s stripped
    "2125550123", "12125550123", "112125550123", "1112125550123", "11112125550123",
    "10002056", "102963196", "31077845", "8765432109", "1022 5267 71", "(310) 8252",
])
def test_validators_phone_number_skips_parsing_only_numbers_phonenumbers_rejects(value: str) -> None:
    """Without a country code, phone_number answers "no" before parsing with region US for the
    numbers _could_be_nanp rules out; phonenumbers itself must reject every one of them."""
    import phonenumbers

    digits = "".join(ch for ch in value if ch.isdigit())
    if not v._could_be_nanp(digits):
        assert not phonenumbers.is_valid_number(phonenumbers.parse(value, "US"))


def test_validators_phone_number_nanp_shortcut_agrees_with_phonenumbers_on_random_numbers() -> None:
    import random

    import phonenumbers

    rng = random.Random(20261128)
    ruled_out = 0
    for _ in range(5000):
        value = _random_number(rng)
        digits = "".join(ch for ch in value if ch.isdigit())
        if not v._could_be_nanp(digits):
            ruled_out += 1
            try:
                valid = phonenumbers.is_valid_number(phonenumbers.parse(value, "US"))
            except phonenumbers.NumberParseException:
                valid = False
            assert not valid, value
    assert ruled_out > 2500  # the shortcut is taken for most of them, so the check means something


@pytest.mark.parametrize(
    ("value", "expected"),
    [("06-82237745", True), ("96 466712", True), ("2023-10-05", False), ("05/10/2023", False), ("1234567", False)],
)
def test_validators_phone_shape(value: str, expected: bool) -> None:
    assert v.phone_shape(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("439 4166", True),
        ("87 47 98", True),
        ("(78) 309-926", True),
        ("21 244 898 8093", True),
        ("6038505064", True),
        ("12 345", False),  # 5 digits
        ("111 1111", False),  # one repeated digit
        ("12 04 2023", False),  # a date written with spaces
        ("2023 10 05", False),
        ("05.10.2023", False),
        ("12 345.67", False),  # a decimal
        ("10.1.2.3", False),  # a dotted quad
        ("123-45-6789", False),  # the SSN layout
        ("1234567890123456", False),  # 16 digits
    ],
)
def test_validators_phone_local(value: str, expected: bool) -> None:
    assert v.phone_local(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("bob@gmail.com", True), ("a@b.co.uk", True), ("x@foo.notatld", False), ("x@localhost", False),
     ("bob%40gmail.com", True), ("x%40foo.notatld", False)],  # `@` URL-encoded in a link
)
def test_validators_email_domain_offline(value: str, expected: bool) -> None:
    assert v.email_domain(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("jane&#64;gmail.com", True), ("jane&#x40;gmail&#46;com", True), ("jane&commat;gmail&period;com", True),
     ("&#106;&#97;&#110;&#101;&#64;&#103;&#109;&#97;&#105;&#108;&#46;&#99;&#111;&#109;", True),
     ("jane [at] gmail [dot] com", True), ("j.doe(AT)cs.ox.ac.uk", True),
     ("jane&#64;foo.notatld", False), ("jane [at] localhost", False),
     ("jane&#64;&#64;gmail.com", False),  # two `@`: no address
     ("&#58;jane&#64;gmail.com", False)],  # decoded `:jane@...`: not an address
)
def test_validators_email_obfuscated(value: str, expected: bool) -> None:
    assert v.email_obfuscated(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("jane at gmail dot com", True), ("jane.doe at yahoo dot co dot uk", True),
     ("john dot smith AT gmail DOT com", True), ("jane at gmail dot notatld", False),
     ("works at yahoo dot com", False), ("us at gmail dot com", False),  # prose words, not mailboxes
     ("jane at at gmail dot com", False)],
)
def test_validators_email_spelled(value: str, expected: bool) -> None:
    assert v.email_spelled(shipped_words(), value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("jane at gmail.com", True), ("j.doe at uni-heidelberg.de", True), ("john dot smith at gmail.com", True),
     ("works at yahoo.com", False),  # a prose word, as for email_spelled
     ("support at support.microsoft.com", False), ("users at hotmail.com", False),  # a site's part or audience
     ("jane at gmail.notatld", False)],
)
def test_validators_email_at_word(value: str, expected: bool) -> None:
    assert v.email_at_word(shipped_words(), value) is expected


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [(_b64("Xk9-pl2q!"), True), (f'"{_b64("appuser")}"', True), ("s3cr3t", True), ("'correct horse'", True),
     (_b64("-----BEGIN PRIVATE KEY-----\nMIIE\n"), True), (_b64('{"auths":{}}'), True),
     (_b64("admin"), False), (_b64("changeme"), False), ("changeme", False), ('""', False), ("${DB_PASSWORD}", False),
     ("{{ .Values.password | b64enc }}", False), ("<your-token>", False),
     (_b64("-----BEGIN CERTIFICATE-----\nMIIC\n"), False), ("-----BEGIN CERTIFICATE-----", False),
     # JSON (and YAML double-quoted) escapes are read before judging
     ('"WGs5LXBsMnE\\/"', True), ('"user = \\"svc\\"\\npass = Zq81kLm0"', True), ('"YWRtaW4\\u003d"', False),
     ('"\\u003cyour-token\\u003e"', False), ('"-----BEGIN CERTIFICATE-----\\nMIIC\\n"', False),
     ('"a\\qb9x"', True)],
)
def test_validators_k8s_secret_value(value: str, expected: bool) -> None:
    assert v.k8s_secret_value(shipped_words(), value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(_b64("Xk9-pl2q!"), True), (f'"{_b64("s3cr3t")}"', True), ("hunter22", True), ('"hunterlily"', True),
     (_b64('{"user":"svc","pass":"Zq81kLm0"}'), True), (_b64("-----BEGIN PRIVATE KEY-----\nMIIE\n"), True),
     (_b64("changeme"), False), (f'"{_b64("admin")}"', False), (_b64("${DB_PASSWORD}"), False),
     (_b64("password"), False), (_b64("/run/secrets/db"), False), ("changeme", False), ("hunter", False)],
)
def test_validators_assigned_secret(value: str, expected: bool) -> None:
    """secret_value, and a base64 value is judged decoded: base64 of a placeholder is one."""
    assert v.assigned_secret(shipped_words(), value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(_b64("deploy:Xk9pl2qZ81"), True), (_b64("bot:hunterlily"), True),
     (_b64("username:password"), False), (_b64("user:<token>"), False), (_b64("deploy:"), False),
     (_b64(":Xk9pl2qZ81"), False), (_b64("hello world"), False), ("bearer", False), ("%%%%", False)],
)
def test_validators_basic_auth_pair(value: str, expected: bool) -> None:
    assert v.basic_auth_pair(shipped_words(), value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("s3cr3tPa55", True), ("p@ssw0rd", True), ("jane@localhost", True), ("jane.doe@gmail.com", False),
     ("anonymous@ftp.gnu.org", False), ("PASSWORD", False), ("$TOKEN", False)],
)
def test_validators_netrc_password(value: str, expected: bool) -> None:
    """literal_secret, except a whole e-mail address with a real domain (anonymous FTP's password)."""
    assert v.netrc_password(shipped_words(), value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("hunter2x", True), ("correct horse", True), ("correct horse battery staple", True),
     ("Enter your password", False), ("Password is required.", False), ("not set", False),
     ("see the vault entry", False), ("What is it?", False), ("a" * 30 + " " + "b" * 40, False),  # too long
     ("${PW}", False), ("changeme", False)],
)
def test_validators_markup_secret(value: str, expected: bool) -> None:
    assert v.markup_secret(shipped_words(), value) is expected


@pytest.mark.parametrize(
    ("value", "parts"),
    [("Bob@Gmail.com", ("bob", "gmail.com")), ("bob%40gmail.com", ("bob", "gmail.com")),
     ("noreply&#64;GitHub&#46;com", ("noreply", "github.com")), ("git [AT] github (dot) com", ("git", "github.com")),
     ("John dot Smith at Gmail dot co dot uk", ("john.smith", "gmail.co.uk")),
     ("tom&jerry@x.io", ("tom&jerry", "x.io")),  # a plain address: `&` is its own character
     ("jane.d=\noe@exam=\r\nple.org", ("jane.doe", "example.org"))],  # quoted-printable soft breaks
)
def test_validators_email_parts_decode_every_spelling(value: str, parts: tuple[str, str]) -> None:
    assert v.email_parts(value) == parts


@pytest.mark.parametrize(
    ("value", "expected"),
    [("sk-" + "Ab3dE6gH9jK2mN5pQ8rS1tU4vW7xY0zA" + "bC3dE6fG9hJ2kL5m", True),
     ("hf_" + "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi", True),  # letters only
     ("dop_v1_" + "3f9a1c7e5b2d8046" * 4, True),  # lower-case hex
     ("sk-" + "x" * 48, False), ("hf_" + "X" * 34, False), ("whsec_" + "0" * 32, False),  # placeholders
     ("whsec_" + "abcd1234" * 4, False),  # 8 distinct characters
     ("npm_" + "abcdefghijklmnopqrstuvwxyz0123456789", False),  # the alphabet in order
     ("sk-proj-" + "my-awesome-project-name-for-the-platform-team-demo-2024-v2-final-rc1-staging-x", False),
     ("hf_" + "requiredcharacteristictypesfordisp", False),  # one class only
     ("sbp_" + "".join(f"{i:02d}" for i in range(1, 21)), False),  # Supabase's sample: hex, no letter
     ("shpat_" + "d41d8cd98f00b204e9800998ecf8427e", True),  # hex with letters and digits
     ("sq0atp-" + "1a2B3c4D5e6F7g8H9i0J1k", True),  # the prefix holds a digit; the body is judged
     ("ATATT3" + "xFfGF0" * 31, False)],  # a repeated chunk: 5 distinct characters
)
def test_validators_api_token(value: str, expected: bool) -> None:
    assert v.api_token(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("918273645:AAHx8kLq2mZp4vT7nW3cR9yB5fJ1dG6sQ0e", True),
     ("123456789:AAHx8kLq2mZp4vT7nW3cR9yB5fJ1dG6sQ0e", False),  # a typed id
     ("7777777777:AAHx8kLq2mZp4vT7nW3cR9yB5fJ1dG6sQ0e", False),
     ("918273645:AA" + "x" * 33, False),  # a placeholder secret
     ("918273645:AAabcdefGhJkLmNpQrStUvWxYz0123456", False)],  # a typed run of the alphabet
)
def test_validators_telegram_bot_token(value: str, expected: bool) -> None:
    assert v.telegram_bot_token(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("MTA5ODI3NDY1ODExMjgzOTc0MA.GaBcDe.Hx8kLq2mZp4vT7nW3cR9yB5fJ1dG6sQ0eUa", True),  # 19-digit id
     ("Mjk4Mzc0NjUxMDI5Mzg0NzU2.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs", True),  # 18 digits, 27-char HMAC
     ("MTIgbW9ua2V5cyBhbmQgbW9yZQ.Zm9vYm.YmFzZTY0IGlzIG5vdCBhIHRva2VuIGF0IGFsbA", False),  # base64 of text
     ("MDk4Mjc0NjU4MTEyODM5NzQw.GaBcDe.Hx8kLq2mZp4vT7nW3cR9yB5fJ1dG6sQ0eUa", False),  # a leading zero
     ("MTIzNDU2Nzg5MDEy.GaBcDe.Hx8kLq2mZp4vT7nW3cR9yB5fJ1dG6sQ0eUa", False),  # 12 digits: no Discord id
     ("NotificationServiceManager.Config.read_settings_from_environment", False),
     ("MTA5ODI3NDY1ODExMjgzOTc0MA.GaBcDe." + "x" * 38, False),  # a placeholder HMAC
     ("MTA5ODI3NDY1ODExMjgzOTc0MA.GaBcDe", False)],
)
def test_validators_discord_token(value: str, expected: bool) -> None:
    assert v.discord_token(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig", True),
        ("eyJub3QganNvbg.eyJzdWIiOiIxIn0.sig", False),  # header is not JSON
        ("eyJhbGciOiJIUzI1NiJ9", False),  # one segment
    ],
)
def test_validators_jwt(value: str, expected: bool) -> None:
    assert v.jwt(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"hunter2!"', True),
        ("abc123def456", True),
        ('"changeme"', False),
        ("${DB_PASSWORD}", False),
        ('"<your-password>"', False),
        ("os.environ.get", False),
        ("get_password()", False),
        ("str", False),
        ('"****"', False),
        ("user_password", False),  # identifier, no digit, short
    ],
)
def test_validators_secret_value(value: str, expected: bool) -> None:
    assert v.secret_value(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("correcthorse", True),
        ("hunter", True),
        ("Sunflowermeadow", True),
        ("hunter!", True),
        ("abc", False),  # too short
        ("changeme", False),  # placeholder
        ("null", False),
        ("None", False),
        ("string", False),  # a type (`password: string`)
        ("Buffer", False),
        ("incorrect", False),  # a state shown in a form or log
        ("getpass", False),  # code
        ("files", False),  # nsswitch.conf source (`passwd: files`)
        ("postgres", False),  # published default of sample configs
        ("admin", False),
        ("String!", False),  # GraphQL non-null type
        ("password", False),
    ],
)
def test_validators_letter_password(value: str, expected: bool) -> None:
    assert v.letter_password(shipped_words(), value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hunter2x", True),
        ("hunter", True),  # letter-only: a literal where it stands (flag, XML element)
        ("'s3cr3t!'", True),  # quoted: judged without its quotes
        ('"correct horse"', True),
        ("Pa$$w0rd", True),  # `$` inside a literal is no expansion
        ("$DB_PASS", False),
        ("${PASSWORD}", False),
        ('"$PW"', False),
        ("pre${X}post", False),
        ("$(cat /run/secrets/db)", False),
        ("`cat pw.txt`", False),
        ("<password>", False),
        ("***", False),
        ("*****", False),
        ("PASSWORD", False),  # a metavariable in capitals
        ("DB_PASS", False),
        ("MY-TOKEN", False),
        ("@db.password@", False),  # Maven resource filtering
        ("#{secrets.db}", False),  # Spring expression
        ("/run/secrets/db_password", False),  # a path
        ("~/.pgpass", False),
        ("./pw.txt", False),
        ("C:\\keys\\pw", False),
        ("env:DB_PASS", False),  # openssl sources
        ("file:/tmp/pw", False),
        ("stdin", False),
        ("id_rsa.pem", False),  # a key file
        ("secrets.json", False),
        ('" + pw + "', False),  # string concatenation in code
        ("true", False),
        ("changeme", False),
        ("postgres", False),
        ("abc", False),  # too short
    ],
)
def test_validators_literal_secret(value: str, expected: bool) -> None:
    assert v.literal_secret(shipped_words(), value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", True),
        ("3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c", False),  # a SHA-1
        ("abcdefghijabcdefghijabcdefghijabcdefghij", False),  # one case, no digits
    ],
)
def test_validators_mixed_secret(value: str, expected: bool) -> None:
    assert v.mixed_secret(value) is expected


@pytest.mark.parametrize(("value", "expected"), [("52.14.22.101", True), ("2001:db8::1", True), ("999.1.1.1", False)])
def test_validators_ip_address(value: str, expected: bool) -> None:
    assert v.ip_address(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"), [("2a00:1450:4001:81c::200e", True), ("a::b", False), ("12:30:45", False)]
)
def test_validators_ipv6_address(value: str, expected: bool) -> None:
    assert v.ipv6_address(value) is expected


def test_validators_credit_card_uses_luhn_on_known_numbers() -> None:
    assert v.credit_card("4111 1111 1111 1111")
    assert not v.credit_card("4111 1111 1111 1112")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("dXNlcjpQYTU1dzByZCE=", True),  # base64 of user:password
        ("YWxhZGRpbjpvcGVuc2VzYW1l", True),  # mixed case, no digit
        ("0123456789abcdef0123", True),
        ("YOUR_ACCESS_TOKEN", False),  # placeholders
        ("ACCESS_TOKEN_HERE", False),  # one case, no digit
        ("token", False),
        ("abc1", False),  # too short
        ("aaaaaaaaaaaa", False),
    ],
)
def test_validators_auth_credentials(value: str, expected: bool) -> None:
    assert v.auth_credentials(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+33142685300", True),  # Paris landline
        ("+447911123456", True),  # UK mobile
        ("+20240101", False),  # possible length for +20, but no valid number
        ("+15555550100", False),  # NANP fictional range: possible, not valid
        ("+1700000000123", False),
        ("+4444444444", False),  # one repeated digit
        ("33142685300", False),  # no country code
    ],
)
def test_validators_phone_e164_needs_a_valid_number(value: str, expected: bool) -> None:
    assert v.phone_e164(value) is expected


def test_validators_phone_number_trunk_zero_order_changes_no_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    """phone_number tries the trunk-0 regions in an order that depends on the layout; its verdict
    must be what trying them in the fixed order of TRUNK_ZERO_REGIONS gives (no region raises where
    another parses, for the numbers that are reordered)."""
    import random

    rng = random.Random(7)
    layouts = [(2, 2, 2, 2, 2), (4, 3, 3), (3, 4, 4), (5, 6), (4, 3, 4), (3, 9), (4, 8), (5, 7), (3, 7), (9,)]
    values = ["(02) 9876 5432", "01 23 45 67 89", "0412 345 678", "030 12345678", "07911 123456",
              "(00) 1234 5678", "(0011) 4420 7946"]
    for _ in range(1500):
        digits = "0" + "".join(rng.choice("0123456789") for _ in range(20))
        groups, i = [], 0
        for size in rng.choice(layouts):
            groups.append(digits[i:i + size])
            i += size
        text = rng.choice([" ", "-", "."]).join(groups)
        values.append(f"({groups[0]}) " + text[len(groups[0]) + 1:] if rng.random() < 0.2 else text)
    reordered = [v.phone_number.__wrapped__(value) for value in values]
    monkeypatch.setattr(v, "_trunk_zero_order", lambda text, digits: v.TRUNK_ZERO_REGIONS)
    assert reordered == [v.phone_number.__wrapped__(value) for value in values]
    assert sum(reordered) > 300  # valid numbers of every region among them: the order was exercised


def test_validators_ip_address_dotted_quad_without_parsing_only_where_ipaddress_agrees() -> None:
    """ip_address accepts a plain dotted quad without asking ipaddress; it must accept exactly
    those: every octet 0-255 as written, and no leading zero, sign, space or non-ASCII digit."""
    import ipaddress

    octets = [str(n) for n in range(256)] + ["00", "01", "010", "256", "300", "1000", " 1", "+1", "\u0661", "0x1", ""]
    for octet in octets:
        for value in (f"{octet}.0.0.1", f"10.{octet}.1.1", f"1.2.3.{octet}"):
            try:
                ipaddress.IPv4Address(value)
                valid = True
            except ValueError:
                valid = False
            assert bool(v._DOTTED_QUAD.fullmatch(value)) is valid, value
            assert v.ip_address(value) is valid, value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("33142685300", True),  # the + left out, as wa.me links do
        ("+33142685300", True),
        ("447911123456", True),
        ("15555550100", False),  # NANP fictional range
        ("4444444444", False),
    ],
)
def test_validators_phone_international_reads_the_country_code_first(value: str, expected: bool) -> None:
    assert v.phone_international(value) is expected


@pytest.mark.parametrize(
    ("validator", "good"),
    [
        (v.pesel, ids.pesel("440514", "0135")),  # born 1944-05-14
        (v.pesel, ids.pesel("022908", "0362")),  # born 2002-09-08: the century is in the month (+20)
        (v.es_dni, ids.dni(48213570)),
        (v.es_dni, ids.dni(1234567)),  # leading zeros kept: 01234567
        (v.es_dni, ids.nie("Y", 2345671)),
        (v.es_dni, "48.213.570-" + ids.dni(48213570)[-1]),
        (v.nl_bsn, ids.bsn("12345678")),
        (v.se_personnummer, ids.personnummer("850709", "238")),
        (v.se_personnummer, "19" + ids.personnummer("850709", "238")),  # 12 digits
        (v.se_personnummer, ids.personnummer("850769", "238")),  # samordningsnummer: day + 60
        (v.br_cpf, ids.cpf("529982247")),
        (v.ca_sin, ids.sin("13069254")),
        (v.in_aadhaar, ids.aadhaar("49817264053")),
        (v.it_codice_fiscale, ids.codice_fiscale("VRDGPP80A41H501")),  # a woman: day 01 + 40
        (v.it_codice_fiscale, ids.codice_fiscale("VRDGPP80A41H5MR")),  # omocodia: letters for digits
        (v.sg_nric, ids.nric("S", "7654321")),  # each series has its offset and letter table
        (v.sg_nric, ids.nric("T", "0312345")),
        (v.sg_nric, ids.nric("F", "1234567")),
        (v.sg_nric, ids.nric("G", "2345678")),
        (v.sg_nric, ids.nric("M", "1234567")),
        (v.sg_nric, ids.nric("S", "7654321").lower()),  # typed in lower case
        (v.za_id, ids.za_id("850709", "5123")),
        (v.za_id, ids.za_id("000229", "0456", "1")),  # 2000-02-29, a permanent resident
        (v.au_tfn, ids.tfn("87654321")),
        (v.de_steuer_id, ids.steuer_id("4792305814")),  # 4 twice
        (v.de_steuer_id, ids.steuer_id("4742304816")),  # 4 three times, never three in a row
        (v.nz_ird, ids.ird("04909185")),  # 8 digits
        (v.nz_ird, ids.ird("11234567")),  # 9 digits
        (v.nz_ird, ids.ird("13641013")),  # the primary weights give 10: the secondary ones decide
        (v.fr_nir, ids.nir("2850578006084")),
        (v.fr_nir, ids.nir("185052A006084")),  # Corsica: 2A read as 19
        (v.fr_nir, ids.nir("185052B006084")),  # ... 2B as 18
        (v.cn_resident_id, ids.cn_resident_id("44030419880512731")),
        (v.kr_rrn, ids.kr_rrn("850709", "123456")),
        (v.kr_rrn, ids.kr_rrn("040229", "423456")),  # 2004-02-29: 3 and 4 are the 2000s
        (v.jp_my_number, ids.my_number("12345678901")),
        (v.mx_curp, ids.curp("GOAM850412HDFRRR0")),  # a digit before the check: born in the 1900s
        (v.mx_curp, ids.curp("LOPE010203MJCPRNA")),  # a letter: born in the 2000s
        (v.mx_rfc, ids.rfc("GOAM850412KJ")),
        (v.mx_rfc, ids.rfc("GODE561231GR")),
        (v.fi_hetu, ids.hetu("131052", "-", "308")),
        (v.fi_hetu, ids.hetu("010512", "A", "123")),  # A: the 2000s
        (v.fi_hetu, ids.hetu("010505", "B", "123")),  # 2023 reform: B-F for the 2000s
        (v.fi_hetu, ids.hetu("010585", "Y", "123")),  # ... Y, X, W, V, U for the 1900s
        (v.no_fnr, ids.fnr("011299551")),
        (v.no_fnr, ids.fnr("550785123")),  # a D-number: day + 40
        (v.no_fnr, ids.fnr("010190987")),  # individual number 900-999 with YY 40-99: the 1900s
        (v.tr_tckn, ids.tckn("123456789")),
        (v.tr_tckn, ids.tckn("384729165")),
    ],
)
def test_validators_national_ids_accept_and_refuse_one_wrong_digit(validator, good: str) -> None:
    assert validator(good) is True
    if good[-1].isdigit():
        assert validator(ids.wrong_last(good)) is False
    else:  # a DNI/NIE or codice fiscale: the control letter is wrong
        other = chr((ord(good[-1]) - 64) % 26 + 65)  # the next letter (Z: A)
        assert validator(good[:-1] + other) is False


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (v.pesel, ids.pesel("441314", "0135")),  # month 13 is no month of any century
        (v.pesel, ids.pesel("230229", "0135")),  # 1923-02-29 never was
        (v.pesel, "00000000000"),  # one repeated digit
        (v.se_personnummer, ids.personnummer("851309", "238")),  # month 13
        (v.se_personnummer, ids.personnummer("850732", "238")),  # July 32
        (v.br_cpf, "111.111.111-11"),  # passes the arithmetic, never issued
        (v.ca_sin, ids.sin("04645428")),  # 0 first: never issued to a person
        (v.ca_sin, ids.sin("83069254")),  # 8 first: a business number
        (v.in_aadhaar, ids.aadhaar("19817264053")),  # 0 and 1 first are never issued
        (v.nl_bsn, "000000000"),
        (v.es_dni, "00000000T"),
        (v.it_codice_fiscale, ids.codice_fiscale("VRDGPP80Z01H501")),  # Z is no month letter
        (v.it_codice_fiscale, ids.codice_fiscale("VRDGPP80A32H501")),  # January 32
        (v.sg_nric, "A7654321F"),  # A is no series
        (v.sg_nric, "S0000000J"),  # passes the arithmetic: a form's placeholder
        (v.za_id, ids.za_id("851309", "5123")),  # month 13
        (v.za_id, ids.za_id("850709", "5123", "3")),  # citizenship is 0, 1 or 2
        (v.za_id, "0000000000000"),
        (v.au_tfn, "000000000"),  # passes the arithmetic
        (v.de_steuer_id, ids.steuer_id("1234567890")),  # ten different digits: never issued
        (v.de_steuer_id, ids.steuer_id("1112345678")),  # one digit three times in a row
        (v.de_steuer_id, ids.steuer_id("1122345678")),  # two digits repeated
        (v.de_steuer_id, ids.steuer_id("0792305814")),  # 0 first
        (v.nz_ird, ids.ird("16000000")),  # above 150,000,000: not issued
        (v.fr_nir, ids.nir("5850578006084")),  # 5 is no sex digit
        (v.fr_nir, ids.nir("2851378006084")),  # month 13
        (v.cn_resident_id, ids.cn_resident_id("44030418880512731")),  # born 1888: before 1900
        (v.cn_resident_id, ids.cn_resident_id("04030419880512731")),  # no region starts with 0
        (v.kr_rrn, ids.kr_rrn("850709", "523456")),  # 5: a foreigner's number, another check
        (v.kr_rrn, ids.kr_rrn("050229", "323456")),  # 2005-02-29 never was
        (v.jp_my_number, "000000000000"),  # passes the arithmetic
        (v.mx_curp, ids.curp("GOAM851312HDFRRR0")),  # month 13
        (v.mx_curp, ids.curp("GOAM850412ZDFRRR0")),  # Z is no sex
        (v.mx_curp, ids.curp("GOAM850412HZZRRR0")),  # ZZ is no state
        (v.mx_curp, ids.curp("GOAM000229HDFRRR0")),  # a digit: 1900, and 1900-02-29 never was
        (v.mx_rfc, ids.rfc("GOAM851312KJ")),  # month 13
        (v.mx_rfc, ids.rfc("GOAM8504120J")),  # the homoclave never starts with 0
        (v.mx_rfc, ids.rfc("XAXX010101000"[:12])),  # the SAT's generic RFC for the public
        (v.mx_rfc, ids.rfc("GOA850412KJ")),  # a company's (12 characters): no person
        (v.fi_hetu, ids.hetu("131052", "-", "001")),  # individual numbers start at 002
        (v.fi_hetu, ids.hetu("131052", "-", "900")),  # 900-999: temporary and test numbers
        (v.fi_hetu, ids.hetu("290201", "A", "308")),  # 2001-02-29 never was
        (v.fi_hetu, ids.hetu("131052", "G", "308")),  # G is no century sign
        (v.no_fnr, ids.fnr("019099551")),  # month + 80: a synthetic test number (Tenor)
        (v.no_fnr, ids.fnr("015099551")),  # month + 40: a help number (H-number), no one's for life
        (v.no_fnr, ids.fnr("320199551")),  # day 32
        (v.no_fnr, ids.fnr("010150789")),  # individual 750-899 with YY 40-99: no century
        (v.no_fnr, "00000000000"),
        (v.tr_tckn, ids.tckn("023456789")),  # 0 first
        (v.tr_tckn, "11111111110"),  # passes both checks: the usual dummy number
    ],
)
def test_validators_national_ids_refuse_impossible_numbers(validator, value: str) -> None:
    assert validator(value) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", True),  # genesis block, P2PKH
     ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", True),  # BIP-13, P2SH
     ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", False),  # checksum
     ("3A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", False),  # a P2PKH payload behind a P2SH `3`
     ("1111111111111111111114oLvT2", False),  # the all-zero hash: a burn address, typed
     ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", True),
     ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", False),
     ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", True),  # EIP-55
     ("0x5aAeb6053f3E94C9b9A09f33669435E7Ef1BeAed", False),
     ("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", True),  # one case: the context decides
     ("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", True),
     ("0x0000000000000000000000000000000000000000", False),
     ("0x1234567890123456789012345678901234567890", False),  # digits only, typed
     ("0x000000000000000000000000000000000000dEaD", False),  # burn address (a valid EIP-55 one)
     ("0xdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef", False)],  # fewer than 10 distinct characters
)
def test_validators_crypto_wallet(value: str, expected: bool) -> None:
    assert v.crypto_wallet(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("AB123456C", True), ("ab 12 34 56 c", True), ("JG 10 37 59 A", True), ("AB-12-34-56-D", True),
     ("QQ123456C", False),  # HMRC's documentation example: Q is never a first letter
     ("DA123456A", False), ("FA123456A", False), ("IA123456A", False), ("UA123456A", False),
     ("VA123456A", False),  # D, F, I, Q, U, V never first
     ("AD123456A", False), ("AO123456A", False), ("AQ123456A", False),  # ... nor D, F, I, O, Q, U, V second
     ("BG123456A", False), ("GB123456A", False), ("KN123456A", False), ("NK123456A", False),
     ("NT123456A", False), ("TN123456A", False), ("ZZ123456A", False),  # prefixes never allocated
     ("AB123456E", False), ("AB12345C", False), ("AB1234567C", False)],  # suffix A-D; six digits
)
def test_validators_uk_nino_applies_hmrc_prefix_rules(value: str, expected: bool) -> None:
    assert v.uk_nino(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("03/14/1962", True), ("14/03/1962", True),  # month-day or day-month: either reading will do
     ("14.03.1962", True), ("1962-03-14", True), ("03-14-62", True), ("19620314", True),
     ("14 March 1962", True), ("March 14, 1962", True), ("14th of March, 1962", True),
     ("14-Mar-1962", True), ("14. März 1962", True), ("14 de marzo de 1962", True),
     ("Sept. 3 1970", True), ("29/02/1960", True),  # 1960 was a leap year
     ("31/02/1962", False), ("02/31/1962", False),  # no reading is a date
     ("29/02/1962", False), ("13/13/1962", False), ("00/00/0000", False),
     ("14.03-1962", False),  # two kinds of separator
     ("14 Marsh 1962", False), ("14 March, 62", False),  # a month's name and a four-digit year
     ("1700-01-01", False), ("2150-01-01", False), ("17000101", False)],  # years 1870-2099
)
def test_validators_date_of_birth(value: str, expected: bool) -> None:
    assert v.date_of_birth(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("004512789", True), ("12345678", True), ("A1234567", True), ("99-123-456", True),
     ("MR-123456", True), ("123 456 789", True),
     ("12345", False), ("1234567890123", False),  # 6-12 digits
     ("0000000", False), ("A1111111", False),  # one digit repeated: a placeholder
     ("2024-03-02", False)],  # an ISO date written after the label
)
def test_validators_medical_record_number(value: str, expected: bool) -> None:
    assert v.medical_record_number(value) is expected


@pytest.mark.parametrize(("value", "expected"), [("533380006", True), ("A12345678", True),
                                                 ("000000000", False), ("X11111111", False)])
def test_validators_passport_number(value: str, expected: bool) -> None:
    assert v.passport_number(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120385-1457", True),
        ("1203851457", True),  # the modulus-11 rule is gone since 2007: no check digit to fail
        ("120385-1458", True),
        ("290200-4123", True),  # 4 with YY 00-36: 2000, a leap year
        ("290200-2123", False),  # 2 gives 1900: no February 29
        ("310485-1457", False),  # April 31
        ("121385-1457", False),  # month 13
        ("000000-0000", False),
    ],
)
def test_validators_dk_cpr_reads_the_date_with_its_century(value: str, expected: bool) -> None:
    assert v.dk_cpr(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ABCPK1234L", True),
        ("AAACR5055K", False),  # C: a company's PAN names no person
        ("ABCHK1234L", False),  # H: a Hindu undivided family
        ("ABCPK0000L", False),
        ("ABCPK1234", False),
        ("ABCP11234L", False),
    ],
)
def test_validators_in_pan_reads_a_persons_layout(value: str, expected: bool) -> None:
    assert v.in_pan(value) is expected


# -- the validators' word lists are rules (`validators:` of recognizers.yaml) ----------------------
# A user tunes them without touching code: an edit must change what is detected, change the run's
# fingerprint (a cached output under the old lists must not be reused), and a list missing or
# malformed must stop the run naming the file and the list, never read as empty.

def _detected(rules: Path | None, text: str) -> list[tuple[str, str]]:
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=rules) if rules is not None else stage()
    (spans,) = st.run(Batch({"text": [text]})).spans()
    return [(s.entity_type, text[s.start:s.end]) for s in spans]


@pytest.mark.parametrize(
    ("old", "new", "text", "shipped", "edited"),
    [
        # a word added to letter_password's list is no password, also for markup_secret (which applies it)
        ("    not_passwords: [\n", "    not_passwords: [correcthorse,\n", "DB_PASSWORD=correcthorse\n",
         [("PASSWORD", "correcthorse")], []),
        ("    not_passwords: [\n", "    not_passwords: [correcthorse,\n", "<password>correcthorse</password>\n",
         [("PASSWORD", "correcthorse")], []),
        # a published default taken out of the list is a password again
        ("root, postgres, mysql", "root, mysql", "password: postgres\n", [], [("PASSWORD", "postgres")]),
        # a bot of the user's chat logs
        ("    not_nicks: [", "    not_nicks: [kbond, ", "<kbond> hello\n", [("USERNAME", "kbond")], []),
        # a word the user's prose puts before "at"
        ("    not_mailboxes: [i, ", "    not_mailboxes: [jane, i, ", "write to jane at gmail dot com",
         [("EMAIL_ADDRESS", "jane at gmail dot com")], []),
    ],
)
def test_validators_word_list_edit_changes_detection(tmp_path: Path, old: str, new: str, text: str,
                                                    shipped: list[tuple[str, str]],
                                                    edited: list[tuple[str, str]]) -> None:
    assert _detected(None, text) == shipped
    assert _detected(edited_rules(tmp_path, "recognizers.yaml", old, new), text) == edited


def test_validators_word_list_edit_changes_the_run_fingerprint(tmp_path: Path) -> None:
    """A run's fingerprint covers the lists as it covers every rule: outputs scrubbed under the
    old lists are not taken for this run's (resume, ``datasets`` cache)."""
    rules = edited_rules(tmp_path, "recognizers.yaml", "    not_passwords: [\n", "    not_passwords: [\n")
    before = load_config(None, {"rules": str(rules)}).fingerprint()
    path = rules / "detect" / "recognizers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    not_passwords: [\n",
                                                             "    not_passwords: [correcthorse,\n", 1),
                    encoding="utf-8")
    assert load_config(None, {"rules": str(rules)}).fingerprint() != before


def _without_list(text: str, key: str) -> str:
    """``text`` without the flow list ``key: [...]`` (the first one), as a copied file lacks it."""
    start = text.index(f"    {key}: [")
    return text[:start] + text[text.index("]\n", start) + 2:]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("\nvalidators:\n", "\nvalidators_old:\n", 1), r"unknown key 'validators_old'"),
        (lambda t: _without_list(t, "not_passwords"),
         r"validators\.letter_password: missing 'not_passwords' \(a list of words, \[\] for none; "
         r"rules/detect/recognizers\.yaml of this version lists the shipped words"),
        (lambda t: t[:t.index("\n  literal_secret:\n")] + t[t.index("\n  markup_secret:\n"):],
         r"validators: missing 'literal_secret' \(its lists: file_suffixes; rules/detect/recognizers\.yaml"),
        (lambda t: t.replace("\n  chat_nick:\n", "\n  chat_nicks:\n", 1),
         r"validators: 'chat_nicks' reads no word list; validators with lists: chat_nick, "),
        (lambda t: t.replace("    not_logins: [", "    not_login: [", 1),
         r"validators\.field_login: unknown key 'not_login'; allowed: not_logins"),
        (lambda t: t.replace("label_openers: [not, 'no',", "label_openers: [not, no,", 1),
         r"validators\.markup_secret\.label_openers: expected words as strings, got False \(quote it"),
        (lambda t: t.replace("    not_passwords: [\n", "    not_passwords: [Hunter,\n", 1),
         r"validators\.letter_password\.not_passwords: 'Hunter' is not one word in lower case"),
        (lambda t: t.replace("    not_passwords: [\n", "    not_passwords: [hunter two,\n", 1),
         r"validators\.letter_password\.not_passwords: 'hunter two' is not one word in lower case"),
        (lambda t: t.replace("root, postgres,", "root, postgres, root,", 1),
         r"validators\.letter_password\.not_passwords: 'root' is listed twice"),
        (lambda t: t.replace("file_suffixes: [.pem,", "file_suffixes: [pem,", 1),
         r"validators\.literal_secret\.file_suffixes: 'pem' is not a file name's ending"),
        (lambda t: t.replace("label_openers: [not, 'no', none, see, use, type, insert, same, set, change, please, "
                             "ask, leave]", "label_openers: leave", 1),
         r"validators\.markup_secret\.label_openers: expected a list of words, \[\] for none"),
    ],
)
def test_validators_word_list_missing_or_malformed_is_config_error(tmp_path: Path, edit, message: str) -> None:
    """Each mistake stops the run before any record is read, naming recognizers.yaml and the list:
    a list read as empty would redact placeholders and bots without a word."""
    rules = edited_rules(tmp_path, "recognizers.yaml", "version: 1\n", "version: 1\n")
    path = rules / "detect" / "recognizers.yaml"
    text = path.read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"recognizers\.yaml: " + message):
        DetectStage.from_config({"mode": "fast"}, rules_dir=rules).ensure_setup()


def test_validators_word_lists_section_left_out_is_config_error(tmp_path: Path) -> None:
    """A recognizers.yaml copied before the lists moved out of the code lacks the whole section: the
    error says what to copy, and from where."""
    rules = edited_rules(tmp_path, "recognizers.yaml", "version: 1\n", "version: 1\n")
    path = rules / "detect" / "recognizers.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\nvalidators:\n")
    path.write_text(text[:start + 1] + text[text.index("\ntriggers:\n") + 1:], encoding="utf-8")
    with pytest.raises(ConfigError, match=r"recognizers\.yaml: missing 'validators' \(the word lists of the "
                                          r"validators; rules/detect/recognizers\.yaml of this version has the "
                                          r"section: copy it from there\)"):
        load_rules(rules / "detect")

"""Each default entity is found where a user expects it, with the exact span; look-alikes are not."""

from __future__ import annotations

import pytest

from tests.detect_helpers import found

FOUND = [
    # (text, entity, the exact covered text)
    ("Mail me at jane.doe+news@gmail.com today", "EMAIL_ADDRESS", "jane.doe+news@gmail.com"),
    ("Call (415) 555-2671 now", "PHONE_NUMBER", "(415) 555-2671"),
    ("US +1-780-563-6083x7783", "PHONE_NUMBER", "+1-780-563-6083x7783"),
    ("CA 604-555-0188 office", "PHONE_NUMBER", "604-555-0188"),
    ("UK +44 20 7946 0958", "PHONE_NUMBER", "+44 20 7946 0958"),
    ("UK mobile 07911 123456", "PHONE_NUMBER", "07911 123456"),
    ("DE Tel. +49 30 12345678", "PHONE_NUMBER", "+49 30 12345678"),
    ("DE 030 12345678 Büro", "PHONE_NUMBER", "030 12345678"),
    ("FR 01 23 45 67 89 ou", "PHONE_NUMBER", "01 23 45 67 89"),
    ("IN +91 98765 43210", "PHONE_NUMBER", "+91 98765 43210"),
    ("AU (02) 9876 5432", "PHONE_NUMBER", "(02) 9876 5432"),
    ("Other countries with a phone word: call me on 06-82237745?", "PHONE_NUMBER", "06-82237745"),
    ("card 4111 1111 1111 1111 exp", "CREDIT_CARD", "4111 1111 1111 1111"),
    ("amex 378282246310005.", "CREDIT_CARD", "378282246310005"),
    ("IBAN DE89 3704 0044 0532 0130 00 for rent", "IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
    ("pay GB82WEST12345698765432", "IBAN_CODE", "GB82WEST12345698765432"),
    ("SSN 536-22-1234", "US_SSN", "536-22-1234"),
    ("my ssn is 536221234", "US_SSN", "536221234"),
    ("login from 52.14.22.101 failed", "IP_ADDRESS", "52.14.22.101"),
    ("client 2a00:1450:4001:81c::200e connected", "IP_ADDRESS", "2a00:1450:4001:81c::200e"),
    ("He lives at 1600 Pennsylvania Avenue NW, Washington", "STREET_ADDRESS", "1600 Pennsylvania Avenue NW"),
    ("ship to 42 Oak St. Apt 5 please", "STREET_ADDRESS", "42 Oak St. Apt 5"),
    ("id AKIAIOSFODNN7EXAMPL3 here", "AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPL3"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1", "AWS_SECRET_KEY",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1"),
    ("aws secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1", "AWS_SECRET_KEY",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1"),
    # the context word after the key: found through the aws/secret word trigger
    ("key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1 (aws)", "AWS_SECRET_KEY",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1"),
    ("GH ghp_abcdefghijklmnopqrstuvwxyz0123456789 x", "GITHUB_TOKEN", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
    ("GL glpat-abcdefghij1234567890 x", "GITLAB_TOKEN", "glpat-abcdefghij1234567890"),
    ("slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "SLACK_TOKEN",
     "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
    ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "STRIPE_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("key=AIzaSyA-1234567890abcdefghijklmnopqrstu", "GOOGLE_API_KEY", "AIzaSyA-1234567890abcdefghijklmnopqrstu"),
    ("Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlF",
     "JWT", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlF"),
    ('db_password = "hunter2!"', "PASSWORD", "hunter2!"),  # quotes stay: redacted code still parses
    ('password = "correcthorse"', "PASSWORD", "correcthorse"),  # quoted: no digit needed
    ("API_KEY=abc123def456", "PASSWORD", "abc123def456"),
    ('"client_secret": "s3cr3t-value"', "PASSWORD", "s3cr3t-value"),
    ("passwd\t:  Tr0ub4dor&3x", "PASSWORD", "Tr0ub4dor&3x"),
    ("export GITHUB_ACCESS_TOKEN_FOR_CI_RUNNER_ON_PROD='ab12cd34ef56'", "PASSWORD", "ab12cd34ef56"),
    ("DSN https://bob:s3cret@db.acme-corp.com/app", "URL_CREDENTIALS", "bob:s3cret"),
]


@pytest.mark.parametrize(("text", "entity", "covered"), FOUND)
def test_recognizers_find_default_entities(text: str, entity: str, covered: str) -> None:
    assert (entity, covered) in found(text)


PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\n"
    "aNPVZ7bGPC9vLRZx\n-----END RSA PRIVATE KEY-----"
)


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        (f"key:\n{PEM}\nafter", PEM),
        # truncated file: no END line, everything that looks like key material is covered
        ("x\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nabc+/=\n",
         "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nabc+/="),
    ],
)
def test_recognizers_private_key_whole_block(text: str, covered: str) -> None:
    assert ("PRIVATE_KEY", covered) in found(text)


NOT_FOUND = [
    # placeholders and references in assignments
    'password = "changeme"',
    "password: ${DB_PASSWORD}",
    "token = os.environ.get('TOKEN')",
    "def f(token: str) -> None:",
    "secret_key = settings.SECRET_KEY",
    # cards, phones and SSNs that fail their checks
    "card 4111 1111 1111 1112",
    "ssn 123-45-6789",
    "ssn 666-12-3456",
    # a 40-char hex digest next to 'secret' is not an AWS secret key
    "secret sha1 3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c",
    # code, not IPv6
    "std::vector<int> a::b",
    # 1.2.3.4.5 is not an IP
    "see section 1.2.3.4.5",
    # a URL without a password
    "https://user@host.example.org/x",
]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_recognizers_reject_lookalikes(text: str) -> None:
    assert found(text) == []


OFF_BY_DEFAULT = [
    ("my driver's license is D12345678", "US_DRIVER_LICENSE", "D12345678"),
    ("bank account 123456789012", "US_BANK_NUMBER", "123456789012"),
    ("passport C12345678", "US_PASSPORT", "C12345678"),
]


@pytest.mark.parametrize(("text", "entity", "covered"), OFF_BY_DEFAULT)
def test_recognizers_off_by_default_need_opt_in_and_context(text: str, entity: str, covered: str) -> None:
    from scrubber.detect.stage import DetectStage
    from scrubber.records import Batch

    assert found(text) == []  # not in the default entities
    st = DetectStage.from_config({"mode": "fast", "entities": [entity]})
    spans = st.run(Batch({"text": [text, "order " + covered + " shipped"]})).spans()
    assert [(s.entity_type, text[s.start:s.end]) for s in spans[0]] == [(entity, covered)]
    assert spans[1] == []  # no context word, no detection


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("The key to the pass was a secret token of their credentials.", 0),  # prose: no window
        ("password = hunter2hunter2", 1),
        ('{"api_key": "x"}', 1),
        ("SECRET_TOKEN=abc", 2),  # both words are followed by the assignment
    ],
)
def test_recognizers_secret_keyword_trigger_needs_an_assignment(text: str, hits: int) -> None:
    from scrubber.detect.stage import DetectStage
    from scrubber.records import Batch

    st = DetectStage.from_config({"mode": "fast"})
    st.run(Batch({"text": [text]}))
    assert st.take_counters().get("trigger_hits_secret_keyword", 0) == hits

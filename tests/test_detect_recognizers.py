"""Each default entity is found where a user expects it, with the exact span; look-alikes are not."""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import random
import shutil
import string
from pathlib import Path

import pytest
import regex

from benchmarks.accuracy import canary
from scrubber.api import load_pipeline
from scrubber.checksums import keccak256
from scrubber.detect.rules import load_rules
from scrubber.detect.stage import DetectStage
from scrubber.records import Batch
from scrubber.stages.base import default_rules_dir
from tests import national_ids as ids
from tests.detect_helpers import found, stage

RULES = Path(__file__).resolve().parent.parent / "rules" / "detect"

#: Synthetic provider tokens: the documented prefix and length, a seeded random body (never a real key).
_RNG = random.Random(20261128)
_ALNUM = string.ascii_letters + string.digits
_B64URL = _ALNUM + "-_"


def _synthetic(prefix: str, size: int, alphabet: str = _ALNUM, suffix: str = "") -> str:
    return prefix + "".join(_RNG.choice(alphabet) for _ in range(size)) + suffix


OPENAI_LEGACY = _synthetic("sk-", 48)
GITHUB_TOKEN = _synthetic("ghp_", 36)
GITLAB_TOKEN = _synthetic("glpat-", 20, _ALNUM + "-_")
SLACK_TOKEN = _synthetic("xoxb-", 12, string.digits, "-") + _synthetic("", 13, string.digits, "-") + _synthetic("", 24)
GOOGLE_KEY = _synthetic("AIzaSy", 33, _B64URL)
OPENAI_PROJECT = _synthetic("sk-proj-", 74, _B64URL, "T3BlbkFJ") + _synthetic("", 74, _B64URL)
OPENAI_SVCACCT = _synthetic("sk-svcacct-", 58, _B64URL, "T3BlbkFJ") + _synthetic("", 58, _B64URL)
OPENAI_ADMIN = _synthetic("sk-admin-", 58, _B64URL, "T3BlbkFJ") + _synthetic("", 58, _B64URL)
ANTHROPIC_KEY = _synthetic("sk-ant-api03-", 93, _B64URL, "AA")
ANTHROPIC_ADMIN = _synthetic("sk-ant-admin01-", 93, _B64URL, "AA")
HF_TOKEN = _synthetic("hf_", 34, string.ascii_letters)
NPM_TOKEN = _synthetic("npm_", 36)
SENDGRID_KEY = _synthetic("SG.", 22, _B64URL, ".") + _synthetic("", 43, _B64URL)
STRIPE_WHSEC = _synthetic("whsec_", 32)
STRIPE_WHSEC_CLI = _synthetic("whsec_", 64, "0123456789abcdef")
PYPI_TOKEN = _synthetic("pypi-AgEIcHlwaS5vcmc", 150, _B64URL)
DO_TOKEN = _synthetic("dop_v1_", 64, "0123456789abcdef")
_HEX = "0123456789abcdef"
_B64 = _ALNUM + "+/"
MAILGUN_KEY = _synthetic("key-", 32, string.ascii_lowercase + string.digits)
MAILGUN_KEY_HEX = _synthetic("key-", 32, _HEX)
SQUARE_TOKEN = _synthetic("sq0atp-", 22, _B64URL)
SQUARE_SECRET = _synthetic("sq0csp-", 43, _B64URL)
POSTMAN_KEY = _synthetic("PMAK-", 24, _HEX, "-") + _synthetic("", 34, _HEX)
NEW_RELIC_KEY = _synthetic("NRAK-", 27, string.ascii_uppercase + string.digits)
ATLASSIAN_TOKEN = _synthetic("ATATT3", 177, _B64URL, "=") + _synthetic("", 8, "0123456789ABCDEF")
SHOPIFY_TOKEN = _synthetic("shpat_", 32, _HEX)
SHOPIFY_SECRET = _synthetic("shpss_", 32, _HEX)
GRAFANA_CLOUD = _synthetic("glc_eyJ", 150, _B64, "==")
GRAFANA_SA = _synthetic("glsa_", 32, _ALNUM, "_") + _synthetic("", 8, _HEX)
LINEAR_KEY = _synthetic("lin_api_", 40)
SENTRY_ORG = _synthetic("sntrys_eyJpYXQiO", 160, _B64, "=_") + _synthetic("", 43, _B64)
SENTRY_USER = _synthetic("sntryu_", 64, _HEX)
PSCALE_TOKEN = _synthetic("pscale_tkn_", 43, _B64URL)
PSCALE_PASSWORD = _synthetic("pscale_pw_", 43, _B64URL)
SUPABASE_TOKEN = _synthetic("sbp_", 40, _HEX)
FLY_TOKEN = _synthetic("fo1_", 43, _B64URL)
FLY_MACAROON = _synthetic("fm2_", 400, _B64, "=")
FLY_MACAROON_2 = _synthetic("fm2_", 180, _B64)
TELEGRAM_TOKEN = _synthetic("5123987640:AA", 33, _B64URL)
TELEGRAM_TOKEN_OLD = _synthetic("110201543:AA", 33, _B64URL)
#: Discord: base64 of the account id (no padding), a 6-character timestamp, the HMAC (27 or 38).
DISCORD_TOKEN = _synthetic(base64.b64encode(b"1098274658112839740").decode().rstrip("=") + ".", 6, _B64URL, ".") \
    + _synthetic("", 38, _B64URL)
DISCORD_TOKEN_OLD = _synthetic(base64.b64encode(b"298374651029384756").decode() + ".", 6, _B64URL, ".") \
    + _synthetic("", 27, _B64URL)

FOUND = [
    # (text, entity, the exact covered text)
    ("Mail me at jane.doe+news@gmail.com today", "EMAIL_ADDRESS", "jane.doe+news@gmail.com"),
    # URL-encoded in a link's query string (unsubscribe and tracking links): `@` written `%40`
    ("https://news.shop.io/unsubscribe?email=grace.hopper%40gmail.com&id=7", "EMAIL_ADDRESS",
     "grace.hopper%40gmail.com"),
    ("/login?user=jane%2Bnews%40gmail.com", "EMAIL_ADDRESS", "jane%2Bnews%40gmail.com"),
    # `@` as an HTML character reference (raw scraped pages), alone or with other characters encoded
    ('<a href="mailto:jane&#64;gmail.com">jane&#64;gmail.com</a>', "EMAIL_ADDRESS", "jane&#64;gmail.com"),
    ("Contact:&nbsp;j.doe&#x40;uni-heidelberg.de.", "EMAIL_ADDRESS", "j.doe&#x40;uni-heidelberg.de"),
    ("write to jane&commat;gmail&period;com", "EMAIL_ADDRESS", "jane&commat;gmail&period;com"),
    ("mail: &#106;&#97;&#110;&#101;&#64;&#103;&#109;&#97;&#105;&#108;&#46;&#99;&#111;&#109; or",
     "EMAIL_ADDRESS", "&#106;&#97;&#110;&#101;&#64;&#103;&#109;&#97;&#105;&#108;&#46;&#99;&#111;&#109;"),
    # `@` (and dots) spelled out against address harvesters
    ("Questions: jane.doe [at] gmail [dot] com", "EMAIL_ADDRESS", "jane.doe [at] gmail [dot] com"),
    ("email jane (at) gmail (dot) com today", "EMAIL_ADDRESS", "jane (at) gmail (dot) com"),
    ("j.smith(AT)cs.ox.ac.uk", "EMAIL_ADDRESS", "j.smith(AT)cs.ox.ac.uk"),
    ("grace[at]gmail.com,", "EMAIL_ADDRESS", "grace[at]gmail.com"),
    # spelled out with words: a mail provider's domain, or any domain right after an e-mail word
    ("reach jane at gmail dot com", "EMAIL_ADDRESS", "jane at gmail dot com"),
    ("Write to jane.doe at yahoo dot co dot uk.", "EMAIL_ADDRESS", "jane.doe at yahoo dot co dot uk"),
    ("john dot smith at gmail dot com", "EMAIL_ADDRESS", "john dot smith at gmail dot com"),
    ("JANE AT GMAIL DOT COM", "EMAIL_ADDRESS", "JANE AT GMAIL DOT COM"),
    ("ping bob99 at protonmail dot com", "EMAIL_ADDRESS", "bob99 at protonmail dot com"),
    ("ivan at mail dot ru", "EMAIL_ADDRESS", "ivan at mail dot ru"),
    ("email: jane at mycompany dot com", "EMAIL_ADDRESS", "jane at mycompany dot com"),
    ("my e-mail is j.doe at uni-heidelberg dot de", "EMAIL_ADDRESS", "j.doe at uni-heidelberg dot de"),
    ("contact us at sales at acme-corp dot com", "EMAIL_ADDRESS", "sales at acme-corp dot com"),
    ("mail me at kim at acme dot io", "EMAIL_ADDRESS", "kim at acme dot io"),
    ("Call (415) 555-2671 now", "PHONE_NUMBER", "(415) 555-2671"),
    # the country code 1 before a bracketed area code, without `+`: the whole number, area code too
    ("Call 1 (312) 555-1234 now", "PHONE_NUMBER", "1 (312) 555-1234"),
    ("call us: 1 (212) 555-0187.", "PHONE_NUMBER", "1 (212) 555-0187"),
    ("Tel 1(415)555-0199", "PHONE_NUMBER", "1(415)555-0199"),
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
    # E.164 (+CC and digits, no separators) with no phone word on the line: CSV rows, JSON dumps
    ("Lopez,Maria,+33142685300,Paris", "PHONE_NUMBER", "+33142685300"),
    ("{'id': 7, 'msisdn': '+447911123456'}", "PHONE_NUMBER", "+447911123456"),
    ("card 4539 1488 0343 6467 exp", "CREDIT_CARD", "4539 1488 0343 6467"),
    ("amex 378282246310013.", "CREDIT_CARD", "378282246310013"),
    ("IBAN DE89 3704 0044 0532 0130 00 for rent", "IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
    ("pay GB82WEST12345698765432", "IBAN_CODE", "GB82WEST12345698765432"),
    # typed in lower case (forms, chats): needs a bank word; the compact DE form is all hex
    ("iban: de89 3704 0044 0532 0130 00", "IBAN_CODE", "de89 3704 0044 0532 0130 00"),
    ("my iban de89370400440532013000 thanks", "IBAN_CODE", "de89370400440532013000"),
    ("bank account gb82west12345698765432", "IBAN_CODE", "gb82west12345698765432"),
    ("SSN 536-22-1234", "US_SSN", "536-22-1234"),
    ("my ssn is 536221234", "US_SSN", "536221234"),
    ("login from 52.14.22.101 failed", "IP_ADDRESS", "52.14.22.101"),
    ("the v8 bench server is at 52.14.22.101", "IP_ADDRESS", "52.14.22.101"),  # a host word still tells
    ("client 2a00:1450:4001:81c::200e connected", "IP_ADDRESS", "2a00:1450:4001:81c::200e"),
    # the town after a comma is part of the address (street_address_v2)
    ("He lives at 1600 Pennsylvania Avenue NW, Washington", "STREET_ADDRESS",
     "1600 Pennsylvania Avenue NW, Washington"),
    ("ship to 42 Oak St. Apt 5 please", "STREET_ADDRESS", "42 Oak St. Apt 5"),
    ("id AKIAIOSFODNN7EXAMPL3 here", "AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPL3"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1", "AWS_SECRET_KEY",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1"),
    ("aws secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1", "AWS_SECRET_KEY",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1"),
    # the context word after the key: found through the aws/secret word trigger
    ("key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1 (aws)", "AWS_SECRET_KEY",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1"),
    (f"GH {GITHUB_TOKEN} x", "GITHUB_TOKEN", GITHUB_TOKEN),
    (f"GL {GITLAB_TOKEN} x", "GITLAB_TOKEN", GITLAB_TOKEN),
    (f"slack {SLACK_TOKEN}", "SLACK_TOKEN", SLACK_TOKEN),
    ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "STRIPE_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    (f"key={GOOGLE_KEY}", "GOOGLE_API_KEY", GOOGLE_KEY),
    # provider tokens with documented prefixes (synthetic bodies, see _synthetic)
    (f"openai.api_key = '{OPENAI_LEGACY}'", "OPENAI_API_KEY", OPENAI_LEGACY),
    (f"OPENAI_API_KEY={OPENAI_PROJECT}", "OPENAI_API_KEY", OPENAI_PROJECT),
    (f"client = OpenAI(api_key=\"{OPENAI_SVCACCT}\")", "OPENAI_API_KEY", OPENAI_SVCACCT),
    (f"-H 'Authorization: Bearer {OPENAI_ADMIN}'", "OPENAI_API_KEY", OPENAI_ADMIN),
    (f"export ANTHROPIC_API_KEY={ANTHROPIC_KEY}", "ANTHROPIC_API_KEY", ANTHROPIC_KEY),
    (f"x-api-key: {ANTHROPIC_ADMIN}", "ANTHROPIC_API_KEY", ANTHROPIC_ADMIN),
    (f"huggingface-cli login --token {HF_TOKEN}", "HUGGINGFACE_TOKEN", HF_TOKEN),
    (f"//registry.npmjs.org/:_authToken={NPM_TOKEN}", "NPM_TOKEN", NPM_TOKEN),
    (f"sg = SendGridAPIClient('{SENDGRID_KEY}')", "SENDGRID_API_KEY", SENDGRID_KEY),
    (f"endpoint_secret = '{STRIPE_WHSEC}'", "STRIPE_KEY", STRIPE_WHSEC),
    (f"Ready! Your webhook signing secret is {STRIPE_WHSEC_CLI} (^C to quit)", "STRIPE_KEY", STRIPE_WHSEC_CLI),
    (f"[pypi]\n  username = __token__\n  password = {PYPI_TOKEN}\n", "PYPI_TOKEN", PYPI_TOKEN),
    (f"doctl auth init -t {DO_TOKEN}", "DIGITALOCEAN_TOKEN", DO_TOKEN),
    (f"curl -s --user 'api:{MAILGUN_KEY}' https://api.mailgun.net/v3", "MAILGUN_API_KEY", MAILGUN_KEY),
    ("mailgun key-3ax6xnjp29jd6fds4gc373sgvjxteol0", "MAILGUN_API_KEY", "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"),
    (f"MAILGUN_API_KEY={MAILGUN_KEY_HEX}", "MAILGUN_API_KEY", MAILGUN_KEY_HEX),  # hex: `mailgun` is near
    ("token sq0atp-1a2B3c4D5e6F7g8H9i0J1k", "SQUARE_TOKEN", "sq0atp-1a2B3c4D5e6F7g8H9i0J1k"),
    (f"Bearer {SQUARE_TOKEN}", "SQUARE_TOKEN", SQUARE_TOKEN),
    (f"client_secret {SQUARE_SECRET}", "SQUARE_TOKEN", SQUARE_SECRET),
    (f"-H 'X-Api-Key: {POSTMAN_KEY}'", "POSTMAN_API_KEY", POSTMAN_KEY),
    (f"-H 'API-Key: {NEW_RELIC_KEY}'", "NEW_RELIC_API_KEY", NEW_RELIC_KEY),
    (f"curl -u jane@corp.io:{ATLASSIAN_TOKEN} https://corp.atlassian.net", "ATLASSIAN_API_TOKEN", ATLASSIAN_TOKEN),
    (f"X-Shopify-Access-Token: {SHOPIFY_TOKEN}", "SHOPIFY_TOKEN", SHOPIFY_TOKEN),
    (f"api_secret: {SHOPIFY_SECRET}", "SHOPIFY_TOKEN", SHOPIFY_SECRET),
    (f"loki_key: {GRAFANA_CLOUD}", "GRAFANA_TOKEN", GRAFANA_CLOUD),
    (f"'Authorization': 'Bearer {GRAFANA_SA}'", "GRAFANA_TOKEN", GRAFANA_SA),
    (f"new LinearClient({{ apiKey: '{LINEAR_KEY}' }})", "LINEAR_API_KEY", LINEAR_KEY),
    (f"sentry-cli --auth-token {SENTRY_ORG} releases", "SENTRY_TOKEN", SENTRY_ORG),
    (f"token {SENTRY_USER}", "SENTRY_TOKEN", SENTRY_USER),
    (f"pscale auth login --service-token {PSCALE_TOKEN}", "PLANETSCALE_TOKEN", PSCALE_TOKEN),
    (f"DATABASE_PASSWORD={PSCALE_PASSWORD}", "PLANETSCALE_TOKEN", PSCALE_PASSWORD),
    (f"supabase login --token {SUPABASE_TOKEN}", "SUPABASE_TOKEN", SUPABASE_TOKEN),
    (f"Fly access token: {FLY_TOKEN}", "FLYIO_TOKEN", FLY_TOKEN),
    (f'FLY_API_TOKEN="FlyV1 {FLY_MACAROON},{FLY_MACAROON_2}"', "FLYIO_TOKEN", FLY_MACAROON),
    (f'FLY_API_TOKEN="FlyV1 {FLY_MACAROON},{FLY_MACAROON_2}"', "FLYIO_TOKEN", FLY_MACAROON_2),
    # Telegram bot tokens wherever they are; Discord tokens where bot code and requests put them
    (f'TELEGRAM_TOKEN = "{TELEGRAM_TOKEN}"', "TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN),
    (f"bot = telebot.TeleBot('{TELEGRAM_TOKEN_OLD}')", "TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN_OLD),
    (f"curl https://api.telegram.org/bot{TELEGRAM_TOKEN}/getUpdates", "TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN),
    (f"My bot's token is {TELEGRAM_TOKEN}.", "TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN),
    (f"client.run('{DISCORD_TOKEN}')", "DISCORD_TOKEN", DISCORD_TOKEN),
    (f'client.login("{DISCORD_TOKEN_OLD}");', "DISCORD_TOKEN", DISCORD_TOKEN_OLD),
    (f"curl -H 'Authorization: Bot {DISCORD_TOKEN}' https://discord.com/api/v10/users/me", "DISCORD_TOKEN",
     DISCORD_TOKEN),
    (f'headers = {{"authorization": "{DISCORD_TOKEN}"}}', "DISCORD_TOKEN", DISCORD_TOKEN),  # a user token
    (f"DISCORD_BOT_TOKEN={DISCORD_TOKEN_OLD}", "DISCORD_TOKEN", DISCORD_TOKEN_OLD),
    (f'{{"prefix": "!", "token": "{DISCORD_TOKEN}"}}', "DISCORD_TOKEN", DISCORD_TOKEN),
    ("Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlF",
     "JWT", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlF"),
    ('db_password = "hunter2!"', "PASSWORD", "hunter2!"),  # quotes stay: redacted code still parses
    ('password = "correcthorse"', "PASSWORD", "correcthorse"),  # quoted: no digit needed
    ("API_KEY=abc123def456", "PASSWORD", "abc123def456"),
    ('"client_secret": "s3cr3t-value"', "PASSWORD", "s3cr3t-value"),
    ("passwd\t:  Tr0ub4dor&3x", "PASSWORD", "Tr0ub4dor&3x"),
    ("export GITHUB_ACCESS_TOKEN_FOR_CI_RUNNER_ON_PROD='ab12cd34ef56'", "PASSWORD", "ab12cd34ef56"),
    # Azure storage connection string: the account key, up to the next `;`
    ("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + "Zm9vYmFy" * 11 + "==;EndpointSuffix=x",
     "PASSWORD", "Zm9vYmFy" * 11 + "=="),
    ("storage_account_key: 'Zm9vYmFyMTIzNDU2Nzg5MA=='", "PASSWORD", "Zm9vYmFyMTIzNDU2Nzg5MA=="),
    # PHP/Ruby/Perl hash entries: the separator is `=>`, not `=` followed by a value starting `>`
    ("'password' => 'Pa55w0rd!',", "PASSWORD", "Pa55w0rd!"),
    (":api_key => s3cr3tV4lue99,", "PASSWORD", "s3cr3tV4lue99"),
    # keys ending in `pass` (.env files, nodemailer's `auth: {user, pass}`)
    ("DB_PASS=Pa55w0rd", "PASSWORD", "Pa55w0rd"),
    ("export SMTP_PASS='correct horse'", "PASSWORD", "correct horse"),
    ("auth: { user: 'me@corp.io', pass: 'app-pw-x' }", "PASSWORD", "app-pw-x"),
    ('const smtpPass = "Tr0ub4dor";', "PASSWORD", "Tr0ub4dor"),
    # HTTP Authorization headers in curl examples, logs and client code: the credentials
    ('"Authorization": "Basic dXNlcjpQYTU1dzByZCE="', "PASSWORD", "dXNlcjpQYTU1dzByZCE="),
    ("curl -H 'Authorization: Bearer 8f2Kq9ZxLw3mN7vB' https://api.io", "PASSWORD", "8f2Kq9ZxLw3mN7vB"),
    ("Authorization: token 0123456789abcdef0123456789abcdef01234567", "PASSWORD",
     "0123456789abcdef0123456789abcdef01234567"),
    ("proxy-authorization: basic YWxhZGRpbjpvcGVuc2VzYW1l", "PASSWORD", "YWxhZGRpbjpvcGVuc2VzYW1l"),
    ("DSN https://bob:s3cret@db.acme-corp.com/app", "URL_CREDENTIALS", "bob:s3cret"),
    # password-only userinfo (Redis, AMQP): the host may be one the e-mail and IP keep rules keep
    ("REDIS_URL=redis://:Xk9pwLongPass@localhost:6379/0", "URL_CREDENTIALS", ":Xk9pwLongPass"),
    ("redis://:Xk9pwLongPass@10.0.0.5:6379", "URL_CREDENTIALS", ":Xk9pwLongPass"),
    ("amqp://:s3cretPass@rabbit:5672", "URL_CREDENTIALS", ":s3cretPass"),
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


def test_recognizers_private_key_elided_examples_stay_and_elided_keys_go() -> None:
    """dotenv's README shows the layout of a key in a .env file with its body elided: no key. A
    real key with a line elided (`...`) still holds its material and is found whole."""
    example = ('PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\n...\nKh9NV...\n...\n-----END RSA PRIVATE KEY-----"\n'
               'PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\\nKh9NV...\\n-----END RSA PRIVATE KEY-----\\n"')
    assert [e for e, _ in found(example)] == []
    elided = PEM.replace("\naNPVZ7bGPC9vLRZx\n", "\n...\n")
    assert found(f"key:\n{elided}\nafter") == [("PRIVATE_KEY", elided)]


NOT_FOUND = [
    # a numbered item before a bracket is no country code
    "see chapter 1 (2019) 555 pages",
    "table 1 (2020) 2021-2022",
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
    # `pass` as a count or inside another word, not a password key
    "Tests: pass: 1520, fail: 3",
    "pass=1520 fail=3 skip=0",
    "bypass = 12345",
    "pass_rate = 0.95",
    "compass=270deg",
    # Authorization headers holding placeholders and variables, not credentials
    "Authorization: Bearer YOUR_ACCESS_TOKEN",
    "Authorization: Bearer ACCESS_TOKEN_HERE",
    "-H 'Authorization: Bearer $TOKEN'",
    "Authorization: Bearer <token>",
    "headers = {'Authorization': f'Bearer {token}'}",
    "Authorization: Basic <base64 of user:password>",
    # `+` and digits that are no valid number: a diff's added line, a millisecond timestamp
    "+20240101",
    "+1700000000123",
    # a URL without a password
    "https://user@host.example.org/x",
    # a lower-case IBAN shape (valid checksum) with no bank word: an id, not an account
    "object de89370400440532013000 loaded",
    # prose and code around token prefixes: options, identifiers, abbreviations, placeholders
    "pip install scikit-learn; use the sk-learn estimators for task-based risk-free runs",
    "pass --sk-compat, see sk-proj-my-awesome-project-name-for-the-platform-team-demo-2024-v2-final-rc1",
    "client = OpenAI(api_key=sk-...)  # sk-" + "x" * 48,
    "from huggingface_hub import hf_hub_download; hf_hub_download(repo_id='gpt2')",
    "- (id)hf_requiredCharacteristicTypesForDisplayMetadata;",
    "replace hf_" + "x" * 34 + " with your token",
    "echo $npm_config_registry $npm_package_version $npm_lifecycle_event",
    "npm_config_cache_lock_stale_timeout_in_seconds_for_ci=1",
    "As SG. Smith wrote (SG. 2019, p. 4), SG.abc.def is no key",
    "the signing secret (whsec_..., or whsec_" + "X" * 32 + " in the docs)",
    "the docs show whsec_abcd1234abcd1234abcd1234abcd1234 as a sample",
    # typed and masked samples of the big providers' formats (validators api_token, key_id_unmasked)
    "GH ghp_abcdefghijklmnopqrstuvwxyz0123456789 x",
    "export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "GL glpat-abcdefghij1234567890 x",
    "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "SLACK_BOT_TOKEN=xoxb-xxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx",
    "key=AIzaSyA-1234567890abcdefghijklmnopqrstu",
    "aws_access_key_id = AKIAXXXXXXXXXXXXXXXX",
    "pypi-AgEIcHlwaS5vcmc is how every PyPI token starts",
    "dop_v1_ tokens are 64 hex characters",
    # Mailgun's `key-`: compounds, words, a digest without the word mailgun, the public key, placeholders
    "a key-value store; the hotkey-binding and monkey-patching docs; api-key-rotation-policy-for-teams",
    "key-managementservicesforenterprises and key-abcdefghijklmnopqrstuvwxyz123456",
    "cache key-d41d8cd98f00b204e9800998ecf8427e restored",
    "pubkey-0123abcd4567ef890123abcd4567ef89 is the public validation key",
    "key-" + "x" * 32,
    # the other prefixes before placeholders, words, identifiers, UUIDs, digests
    "sq0atp-XXXXXXXXXXXXXXXXXXXXXX and sq0atp-your-access-token-here",
    "PMAK-" + "x" * 24 + "-" + "x" * 34,
    "NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX in the New Relic docs",
    "ATATT3xFfGF0 is how Atlassian tokens start",
    "shpat_" + "x" * 32 + " and shpat_ tokens are 32 hex",
    "the task_id and risk_score; user_id=550e8400-e29b-41d4-a716-446655440000",
    "static void glc_create_lightmap_texture_array(void); glsa_reader_options",
    "lin_api_key_for_the_linear_integration_module_in_the_app_settings",
    "sntryu_ tokens and sntrys_eyJ... in the Sentry docs",
    "pscale_tkn_your_service_token_goes_here_and_here",
    "sbp_0102030405060708091011121314151617181920",  # Supabase's documented sample
    "sbp_3f2a1b4c5d6e7f8091a2b3c4d5e6f708 is 32 hex, a digest, not 40",
    "fo1_" + "x" * 43,
    "sha256:3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c3f2a1b4c5d6e7f8091a2b3c4",
    # Telegram's documented placeholder, typed samples, ratios and times, a digest after a date
    "https://api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/getMe",
    "bot = telebot.TeleBot('123456789:AA" + "x" * 33 + "')",
    "bot = telebot.TeleBot('123456789:AA" + "Hx8kLq2mZp4vT7nW3cR9yB5fJ1dG6sQ0e" + "')",
    "a 16:9 screen, 1234:ABC in the ratio column, at 12:30:45",
    "build 20240115:aa3f2b1c5d6e7f8091a2b3c4d5e6f7081 (sha)",
    # Discord-shaped dotted names in calls: a code path, base64 of text, a placeholder HMAC, versions
    'importlib.import_module("NotificationServiceManager.Config.read_settings_from_environment")',
    'load("MTIgbW9ua2V5cyBhbmQgbW9yZQ.Zm9vYm.YmFzZTY0IGlzIG5vdCBhIHRva2VuIGF0IGFsbA")',  # "12 monkeys and more"
    "client.run('MTA5ODI3NDY1ODExMjgzOTc0MA.GaBcDe." + "x" * 38 + "')",
    'pkg_version("1.2.3"); semver("10.20.30-rc.1")',
    # V8's and Chromium's four-part release numbers (meeting minutes, release notes)
    "* deps: update v8 to 4.5.103.30 [#2632]",
    "Chromium 88.0.124.7 shipped",
    # `@` / [at] that are not part of an address
    "<p>Follow @&#64;jane and &#64;team on Twitter</p>",
    "&#64;Override public void run() {}",
    "/** &#64;param x the value &#64;return y */",
    "Tom &amp; Jerry &commat; home",
    "Meet me [at] noon. The cat (at) home.",
    "Bob [at] the office (dot) com",
    "prices (at) retail level [AT] 5pm.",
    "alice&#64;example.com and noreply [at] gmail [dot] com",  # documentation domain, role mailbox
    # "at ... dot" in prose: no mail provider, no e-mail word right before, or a prose word as mailbox
    "He worked at Amazon dot com for years",
    "meet at home dot com",
    "look at example dot com",
    "the best deals at amazon dot com",
    "She works at Yahoo dot com now",
    "find us at gmail dot com",
    "I'm at gmail dot com",
    "email me at home dot com",  # `me` is no mailbox
    "Contact: I worked at Amazon dot com",  # the e-mail word is not right before
    "email alice at example dot com, noreply at gmail dot com",  # documentation domain, role mailbox
    "jane at gmail dot notatld",
    # a CVS root's access method after an empty user is no password
    "and:\n\n  cvs://:pserver:anoncvs@sources.redhat.com:/cvs/src",
    # a network (a dotted quad with its prefix length) is no phone number, nor a decimal below one
    "use --set-advertisement-ranges=192.168.10.0/24. To store",
    "set the route for 192.168.10.5/32 now",
    "number: 172.16.10.0/24",
    "and it is 0.939000 for all archives in the old format",
    # a manual's metavariables and resource names after a secret flag are no secrets
    "         --authorizer-token-secret-version=AUTHORIZER_TOKEN_SECRET_VERSION",
    "gcloud beta run services proxy [--region=REGION] [--tag=TAG] [--token=TOKEN]",
    "  --webhook-secret-secret-version=projects/myproj/secrets/whsecret/versions/1",
]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_recognizers_reject_lookalikes(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(("text", "covered"), [
    # what the metavariable and resource-path rules must not take away
    ("password=Zm9v/YmFy/cXV4cXV4abc", "Zm9v/YmFy/cXV4cXV4abc"),  # base64 holding slashes
    ("DB_PASSWORD=Hunter2Secret", "Hunter2Secret"),
    ("--token=ghx7Kq2LmP0zR", "ghx7Kq2LmP0zR"),
])
def test_recognizers_secrets_beside_the_metavariable_rules_are_found(text: str, covered: str) -> None:
    assert ("PASSWORD", covered) in found(text)


def test_recognizers_jwt_assigned_to_a_token_is_a_jwt_not_a_discord_token() -> None:
    """A JWT has three dotted base64url parts as a Discord token has, and `token = ...` opens a
    window for discord_token_v1: it is found once, as a JWT (no part of it is read as a Discord token)."""
    jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlF"
    assert found(f"token = '{jwt}'") == [("JWT", jwt)]
    assert found(f"client.run('{jwt}')") == [("JWT", jwt)]


OFF_BY_DEFAULT = [
    # `driver's license is D12345678` is found by default now, by driver_license_v1 (the label
    # before the number); us_driver_license_v1 also reads a context word after it, and stays opt-in
    ("D12345678 is my driver's license", "US_DRIVER_LICENSE", "D12345678"),
    # `bank account 123456789012` is found by default now, by bank_account_v1 (the label before the
    # number); us_bank_number_v1 also reads a context word after the number, and stays opt-in
    ("123456789012 is my bank account", "US_BANK_NUMBER", "123456789012"),
    # `passport C12345678` is found by default now, by passport_v1 (the label before the number);
    # us_passport_v1 also reads a context word after the number, and stays opt-in
    ("C12345678 is my passport", "US_PASSPORT", "C12345678"),
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


# -- issue #3: local phone numbers, cards of any issuer after a card word, letter-only passwords ----------
LOCAL_PHONES_FOUND = [
    # phone_local_v1 / phone_labelled: a phone label on the same line or alone on the line before
    ("Personal Info:\nPhone:\n439 4166\n\nE-mail:", "439 4166"),
    ("Phone:\r\n516 466 638\r\n", "516 466 638"),
    ("Mobile: 794 1672\nDesk: +41 (0)27 240 04 91", "794 1672"),
    ("Tel.: 12 34 56", "12 34 56"),
    ("phone no. 25 637025", "25 637025"),
    ("Desk: 6038505064", "6038505064"),  # phone_context_v1: `desk` is a phone word
    # phone_local_v1 / phone_local: a phone word on the line, before or after
    ("Can someone call me on 617 4281? I have some questions", "617 4281"),
    ("I would like to stop receiving messages to 469 2020", "469 2020"),
    ("89 37 13 office\n259-222-2064 fax", "89 37 13"),
    ("They're not answering at 476 1626", "476 1626"),
    ("text me at (78) 309-926 tonight", "(78) 309-926"),
    # phone words of other languages, inflected as the sentence needs them
    ("Mój numer telefonu to 601 234 567.", "601 234 567"),
    ("O meu telemóvel é 912 345 678.", "912 345 678"),
    ("Meine Handynummer ist 0151 23456789.", "0151 23456789"),
    # ... and "call me"/"contact me" and abbreviations: these numbers have no trunk 0, so no region's
    # rules vouch for them, and the verb is their only phone word
    ("Puedes contactarme en el 612 345 678 cuando quieras.", "612 345 678"),
    ("Llámame al 612345678 esta tarde.", "612345678"),
    ("Llama al 612 345 678 y pregunta por Ana.", "612 345 678"),
    ("Para más información, tlf. 912 345 678.", "912 345 678"),
    ("Contattatemi al 347 1234567.", "347 1234567"),
    ("Liga-me para o 912 345 678 amanhã.", "912 345 678"),
    ("Zadzwoń pod 512 345 678 po 18.", "512 345 678"),
    ("Para consultas sobre su pedido, llámenos al 912 345 678.", "912 345 678"),
    # "my number" of other languages: the possessive phrase is the phone word (Spanish, Portuguese
    # and Polish mobiles have no trunk 0, so no region's rules vouch for them)
    ("mi número es 612 345 678, escríbeme", "612 345 678"),
    ("te paso mi numero 612345678", "612345678"),
    ("meu número é 912 345 678", "912 345 678"),
    ("mój numer to 512 345 678", "512 345 678"),
    ("moj numer: 512-345-678", "512-345-678"),
    ("ecco il mio numero 347 1234567", "347 1234567"),
    ("Llámame sobre tu pedido, mi número es 612 345 678", "612 345 678"),  # the verb outweighs `pedido`
    ("mi número de casa es 912 345 678", "912 345 678"),  # "my home number": no deny word between
    # `phone number` ends in a number noun too, but `phone` alone outweighs the order further back
    ("Questions about my order? My phone number is (312) 555-0148", "(312) 555-0148"),
]


@pytest.mark.parametrize(("text", "covered"), LOCAL_PHONES_FOUND)
def test_recognizers_local_phone_with_label_or_phone_word(text: str, covered: str) -> None:
    assert ("PHONE_NUMBER", covered) in found(text)


LOCAL_PHONES_NOT_FOUND = [
    "room 439 4166 on the second floor",  # no phone word
    "call 911",  # too short
    "see page 12 of 40, call us",
    "call the lab about room 439 4166",  # deny word right before
    "Phone:\n2023-10-05",  # a date under the label
    "call me on 12 04 2023",  # a date written with spaces
    "please call: total 12 345.67 EUR",  # a decimal
    "the order number 123 4567 will call",  # deny word
    "Phone: 111 1111",  # one repeated digit
    "Mobile version 4.12.3 released",
    "El pedido 612 345 678 llegó ayer.",  # no phone word: a Spanish order number laid out the same
    "Llámenos sobre el pedido 612 345 678.",  # the order's number: its noun labels it
    "Zadzwoń w sprawie zamówienia 512 345 678.",  # the order's number, in Polish
    "La Liga 2023 2024 season",  # `liga` alone is a league, not "call"
    "Llama 2 70B used 1 720 320 GPU hours",  # the model, not "call"
    # the bare number noun opens order, serial and reference numbers: no phone word
    "número de pedido 612345678",
    "el número 612 345 678 ganó la lotería",
    "numero di serie 345 123 4567",  # a serial number (valid in the North American plan)
    # "my number" is no phone word where a deny word labels the number it introduces
    "mi número de pedido es 612345678",
    "meu número de encomenda é 912345678",
    "mój numer zamówienia to 512345678",
    "mi número de la suerte es el 7",
]


@pytest.mark.parametrize("text", LOCAL_PHONES_NOT_FOUND)
def test_recognizers_local_phone_needs_label_or_word(text: str) -> None:
    assert [e for e, _ in found(text) if e == "PHONE_NUMBER"] == []


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        # package versions: glued to `~` before or to a `+`/`~`/`-` and letters after (Debian's
        # `0~20171227-0.3+deb12u1`, a patch file's `02-687535-fix-missing-ldflags.patch`)
        ("Upload argon2 0~20171227-0.3+deb12u1 to bookworm.", []),
        ("abseil 20220623.1-1+deb12u2 fixes the build", []),
        ("      + 02-687535-fix-missing-ldflags.patch: Ditto.", []),
        # numbers written so are still phones
        ("Call 202-206-2311 now", ["202-206-2311"]),
        ("call +49 151 2345678/9 today", ["+49 151 2345678/9"]),
        ("Tel: +49 89 1234-0 (Zentrale)", ["+49 89 1234-0"]),
        ("phone 555-201-3344, fax 555-201-3345", ["555-201-3344", "555-201-3345"]),
    ],
)
def test_recognizers_phone_glued_to_a_version_or_file_name_is_none(text: str, phones: list[str]) -> None:
    assert [v for e, v in found(text) if e == "PHONE_NUMBER"] == phones


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        # a deny word further back in the sentence, a phone word near the number: a phone
        ("Call me about your order at (312) 555-0148", ["(312) 555-0148"]),
        ("Questions about my order? My cell: +1 312 555 0148", ["+1 312 555 0148"]),
        ("Questions about the total? Call (312) 555-0148", ["(312) 555-0148"]),
        ("Order #0123-4567-89, call 0123-4567-89", ["0123-4567-89"]),  # the second: after "call"
        # a deny word labelling the number cancels it, a phone word near or not
        ("order number 0123-4567-89, call us", []),
        ("part no. 0123-4567-89", []),
        ("SKU 0123-4567-89", []),
        ("call the lab about room 439 4166", []),
    ],
)
def test_recognizers_deny_word_cancels_only_the_number_it_labels(text: str, phones: list[str]) -> None:
    assert [v for e, v in found(text) if e == "PHONE_NUMBER"] == phones


@pytest.mark.parametrize(
    ("text", "cards"),
    [
        ("Re: my order - my card 4539 1488 0343 6467 was charged twice", ["4539 1488 0343 6467"]),
        ("invoice paid with visa 4539148803436467", ["4539148803436467"]),
        ("order 4539 1488 0343 6467 shipped", []),  # the order's number
    ],
)
def test_recognizers_deny_word_further_back_leaves_a_card_near_its_word(text: str, cards: list[str]) -> None:
    assert [v for e, v in found(text) if e == "CREDIT_CARD"] == cards


CARDS_AFTER_WORD_FOUND = [
    ("What's your credit card? 587662702899", "587662702899"),  # 12-digit Maestro
    ("Please block card no 503838061748", "503838061748"),
    ("send me the last billed amount for cc 675956263684 on my e-mail", "675956263684"),
    ("I want to increase limit on my card # 639064421212 for certain", "639064421212"),
    ("my debit card is 5018 0307 5628", "5018 0307 5628"),
    ("card number 180033950047970 is lost", "180033950047970"),  # JCB 1800: found without the word too
    ("ref 213128569146303", "213128569146303"),  # JCB 2131, 15 digits, no card word needed
]


@pytest.mark.parametrize(("text", "covered"), CARDS_AFTER_WORD_FOUND)
def test_recognizers_card_any_issuer_after_card_word(text: str, covered: str) -> None:
    assert ("CREDIT_CARD", covered) in found(text)


CARDS_NOT_FOUND = [
    "order 587662702899 shipped",  # Luhn ok, but no card word
    "1776688684475 ERROR payment-svc: card declined",  # the card word comes after a timestamp
    "credit card 587662702898",  # Luhn fails
    "SIM card ICCID 89441000300000000005",  # a SIM card number
    "card_id = 501803075628",  # an id of a card record
    "card 2 of 3: 501803075628",  # a digit between word and number
]


@pytest.mark.parametrize("text", CARDS_NOT_FOUND)
def test_recognizers_card_any_issuer_needs_word_before(text: str) -> None:
    assert [e for e, _ in found(text) if e == "CREDIT_CARD"] == []


LETTER_PASSWORDS_FOUND = [
    ("DB_PASSWORD=correcthorse", "correcthorse"),
    ("export MYSQL_ROOT_PASSWORD=Sunflowermeadow", "Sunflowermeadow"),
    ("ENV DB_PASSWORD=CorrectHorseBattery", "CorrectHorseBattery"),  # camelCase is fine after =
    ("[smtp]\npassword = hunter\n", "hunter"),
    ("spring.datasource.password=tigerlily", "tigerlily"),
    ("database:\n  password: hunter # local only\n", "hunter"),
    ("Username: bob\nPassword: hunter!\n", "hunter!"),
    ("dbPassword: hunter", "hunter"),
    ("mail:\n  password: CopperSaffron\n", "CopperSaffron"),  # PascalCase is not an identifier here
    ("client_secret: quietriver", "quietriver"),
    ("\"password\": wildorchid", "wildorchid"),
    ("services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=tigerlily\n", "tigerlily"),  # compose list
]


@pytest.mark.parametrize(("text", "covered"), LETTER_PASSWORDS_FOUND)
def test_recognizers_letter_only_password_in_config_line(text: str, covered: str) -> None:
    assert ("PASSWORD", covered) in found(text)


LETTER_PASSWORDS_NOT_FOUND = [
    "password = getpass()",
    "password=${DB_PASS}",
    'password = os.environ["DB_PASSWORD"]',
    "password = os.environ.get('DB_PASSWORD')",
    'password = request.form["password"]',
    "password: null",
    "password = None",
    "password: true",
    "password: <password>",
    "password: ********",
    "password: changeme",
    "password = get_password()",
    "const opts = {\n  user: name,\n  password: hashedPassword\n};",  # a JS identifier
    "    password=db_pass,",  # a Python keyword argument
    "connect(host, password=dbpass)",  # not a config line
    "  password: string",  # a type
    "class Login(BaseModel):\n    password: SecretStr",  # pydantic
    "type User {\n  password: String!\n}",  # GraphQL
    "passwd:     files systemd",  # nsswitch.conf
    "passwd:     compat",
    "compass: north",  # `pass` inside a word
    "secretName: mycert",  # the key does not end in the secret word
    "password_encryption = scram",
    "Password: incorrect",
    "password: postgres",  # a published default
    "The password: hunter was leaked",  # prose, not a config line
    "TOKEN=abcdefgh",  # letter-only tokens are not real tokens
    "password: hunter and more words",
]


@pytest.mark.parametrize("text", LETTER_PASSWORDS_NOT_FOUND)
def test_recognizers_letter_only_password_not_code(text: str) -> None:
    assert [e for e, _ in found(text) if e == "PASSWORD"] == []


# -- secrets on a command line (password_cli_v1, password_env_prefix_v1) ---------------------------
CLI_PASSWORDS_FOUND = [
    ("mysql -u root --password=hunter2x", "hunter2x"),
    ("mysql -u root --password=hunter", "hunter"),  # after `=` the value is the option's: letters too
    ("mysql -u root --password 'hunter' app", "hunter"),  # quoted after a space: the option's value
    ("mysql -u root --password hunter2x mydb", "hunter2x"),
    ("mysqldump --db-password 's3cr3t!' db > dump.sql", "s3cr3t!"),  # quotes stay out of the span
    ('deploy --db-password "correct horse 9"', "correct horse 9"),
    ("curl --api-key=sk_abc123def456ghi https://api.example.org", "sk_abc123def456ghi"),
    ("cli --token abc123def456", "abc123def456"),
    ("heroku login --auth-token 7f3a9c21-55b0-4d1e", "7f3a9c21-55b0-4d1e"),
    ("twine upload --password 'Xk9q!w' dist/*", "Xk9q!w"),
    ("Run `app --client-secret Zq81kLm0Pw` once", "Zq81kLm0Pw"),  # markdown inline code
    ("keytool -importkeystore -srcstorepass Chang3it! -deststorepass hunter2x", "Chang3it!"),
    ("keytool -importkeystore -srcstorepass Chang3it! -deststorepass hunter2x", "hunter2x"),
    ("openssl rsa -in k.pem -passin pass:hunter2x -out k2.pem", "hunter2x"),
    ("mysql -u root -phunter2x db", "hunter2x"),  # mysql's attached -p
    ("mysqladmin -h db -P 3306 -u root -pChangeMe123 status", "ChangeMe123"),
    ("mysql -uroot -p'my pass 1' app", "my pass 1"),
    ("sshpass -p 'hunter2x' ssh bob@host", "hunter2x"),
    ("sshpass -p hunter ssh bob@host", "hunter"),
    # an environment variable set for one command
    ("PGPASSWORD=x7Yz9pq psql -h db", "x7Yz9pq"),
    ("PGPASSWORD=hunter psql -h db -U app", "hunter"),
    ("sudo PGPASSWORD=hunter pg_dump db > x.sql", "hunter"),
    ("MYSQL_PWD='tiger lily' mysqldump app", "tiger lily"),
    # curl's user:password (password_curl_user_v1): the password
    ("curl -u alice:Wint3rIsC0ming! https://api.example.io/v2/items", "Wint3rIsC0ming!"),
    ('curl -s -u "bob:s3cr3t pw" https://api.example.io', "s3cr3t pw"),
    ("curl --user=bob:hunter2x https://api.example.io", "hunter2x"),
    ("curl -x proxy:3128 --proxy-user carol:Pr0xyPw https://api.example.io", "Pr0xyPw"),
    ("curl.exe -u dave:Tr0ub4dor https://api.example.io", "Tr0ub4dor"),
]


@pytest.mark.parametrize(("text", "covered"), CLI_PASSWORDS_FOUND)
def test_recognizers_password_on_command_line(text: str, covered: str) -> None:
    assert ("PASSWORD", covered) in found(text)


CLI_PASSWORDS_NOT_FOUND = [
    "mysql --password=$DB_PASS",
    "mysql --password ${PASSWORD}",
    'mysql --password "$PW" -h db',
    "mysql --password <password>",
    "mysql --password=***",
    "mysql --password PASSWORD",  # a metavariable in capitals
    "mysql --password-file /path/to/pw",
    "psql --no-password -h db",
    "mysql --password --host db",  # followed by another option
    "mysql -u root --password",
    "psql -U postgres --password mydb",  # psql's --password is a switch (it prompts)
    "mysql --password hunter",  # the same: a plain word after a space may be the next argument
    "echo $PW | docker login -u me --password-stdin",
    "ansible-playbook --ask-pass site2.yml",
    "keepassxc-cli open --prompt-password db2.kdbx",
    "ssh-add --private-key ~/.ssh/id_rsa",  # a path
    "terraform apply --secret-file secrets.json",
    "openssl rsa -passin env:KEYPW -in k.pem",
    "openssl enc -pass file:./pw.txt",
    "--api-key=$(cat key)",
    "aws s3api list-objects-v2 --bucket b --starting-token eyJNZXh0VG9rZW4iOiAxMjN9",  # pagination
    "Pass `--token <token>` to log in.",
    "Use the --password option to set it.",
    'cmd = "mysql --password " + pw + " -h " + host',
    "mysql -u root -p",  # -p alone prompts
    "mysql -u root -p mydb",
    "mysql -h db -P3306 -u root",  # -P is the port
    "mysqladmin -u root -p$MYSQL_ROOT_PASSWORD status",
    "find . -path ./x9 -prune -print",  # -p... of another program
    "tar -xpf a1.tar",
    "PGPASSWORD=$PW psql -h db",
    "PWD=src make all",  # the working directory, not a password
    "The self-proclaimed well-known re-key happened--again.",
    "curl -u alice https://api.example.io",  # no colon: curl prompts
    "curl -u $USER:$PASS https://api.example.io",
    "curl -u ${API_USER}:${API_TOKEN} https://api.example.io",
    "curl -u user:password https://api.example.io",
    'curl -u "<user>:<token>" https://api.example.io',
    "curl -u admin:admin http://localhost:8080",  # a published default
    "git push -u origin:main",  # -u of other programs
    "docker run -u 1000:1000 img",
]


@pytest.mark.parametrize("text", CLI_PASSWORDS_NOT_FOUND)
def test_recognizers_password_on_command_line_not_placeholders(text: str) -> None:
    assert [e for e, _ in found(text) if e == "PASSWORD"] == []


# -- passwords said in prose (password_said_v1) ------------------------------------------------------
SAID_PASSWORDS_FOUND = [
    ("The password is hunter2, don't tell anyone.", "hunter2"),
    ("my wifi password is Tr0ub4dor&3", "Tr0ub4dor&3"),
    ("The password for the admin account is Xk9!mQ2z.", "Xk9!mQ2z"),  # the sentence's full stop stays
    ("password is 'swordfish'", "swordfish"),  # quoted: letters only count
    ("Her password was qwerty123.", "qwerty123"),
    ("The new password is: Blue-Horse-42", "Blue-Horse-42"),
    ("the password is now S3cure!Pass", "S3cure!Pass"),
    ("If the password is 123456, change it.", "123456"),
    ("<p>The password is Xk9!mQ2z</p>", "Xk9!mQ2z"),  # markup ends the word
]


@pytest.mark.parametrize(("text", "covered"), SAID_PASSWORDS_FOUND)
def test_recognizers_password_said_in_prose(text: str, covered: str) -> None:
    assert ("PASSWORD", covered) in found(text)


SAID_PASSWORDS_NOT_FOUND = [
    "Your password is too weak.",
    "The password is incorrect.",
    "The password is case-sensitive.",
    "The default password is admin.",  # a published default
    "the password is 8-16 characters long",
    "The password is at least 12 characters.",
    "The password is SHA256-hashed before storage.",
    "the password is `$DB_PASSWORD`",
    "The password is: ********",
    "Password is required.",
    "the password is 2FA-protected",
    "The Wi-Fi password is on the back of the router.",
    "The password is UTF-8 encoded.",
    "The password is 128-bit.",
    "The password is AES-256 encrypted.",
    "The password is <your-password>.",
    "The password is PASSWORD.",
    "the passcode is 4921",  # four digits: a PIN or a count, too short to tell
]


@pytest.mark.parametrize("text", SAID_PASSWORDS_NOT_FOUND)
def test_recognizers_password_said_in_prose_not_descriptions(text: str) -> None:
    assert [e for e, _ in found(text) if e == "PASSWORD"] == []


# -- secrets in XML/HTML markup (password_markup_v2) -------------------------------------------------
MARKUP_PASSWORDS_FOUND = [
    ("<password>hunter2x</password>", "hunter2x"),
    ("<Password>hunter</Password>", "hunter"),  # letter-only: the element's text is a literal
    ("<db>\n  <password>\n    s3cr3t99\n  </password>\n</db>", "s3cr3t99"),
    ('<wsse:Password Type="http://docs.oasis-open.org/x#PasswordText">s3cr3tPw</wsse:Password>', "s3cr3tPw"),
    ("<ClientSecret><![CDATA[Xk9-pl2q]]></ClientSecret>", "Xk9-pl2q"),
    ("<apiKey>Zq81kLm0Pw</apiKey>", "Zq81kLm0Pw"),
    ("<accessToken>abc123def456</accessToken>", "abc123def456"),
    ('<add key="DbPassword" value="s3cr3t99"/>', "s3cr3t99"),  # .NET appSettings
    ('<add key="ConnectionStrings:DbPassword" value="tigerlily" />', "tigerlily"),
    ('<property name="hibernate.connection.password" value="tigerlily"/>', "tigerlily"),  # Spring, Hibernate
    ('<param name="password" value="s3cr3t99">', "s3cr3t99"),
    ('<entry key="db.password">s3cr3t</entry>', "s3cr3t"),  # Java properties XML
    ('<setting name="Password" serializeAs="String">\n  <value>s3cr3t</value>\n</setting>', "s3cr3t"),  # .NET
    # element text with spaces: a passphrase of up to five words on one line, no markup inside
    ("<password>correct horse</password>", "correct horse"),
    ("<password>correct horse battery staple</password>", "correct horse battery staple"),
    ("<Password>\n    Tr0ub4dor &amp;3 x\n</Password>", "Tr0ub4dor &amp;3 x"),
    ("<ClientSecret><![CDATA[blue fox 42]]></ClientSecret>", "blue fox 42"),
    # attributes are assignments: password_assignment_v3 finds them
    ('<user name="bob" password="s3cr3t99"/>', "s3cr3t99"),
    ("<datasource password='hunter'>", "hunter"),
]


@pytest.mark.parametrize(("text", "covered"), MARKUP_PASSWORDS_FOUND)
def test_recognizers_password_in_markup(text: str, covered: str) -> None:
    assert ("PASSWORD", covered) in found(text)


MARKUP_PASSWORDS_NOT_FOUND = [
    "<password></password>",
    "<password/>",
    '<password xsi:nil="true"/>',
    "<password>${PW}</password>",
    "<password>*****</password>",
    "<password>@db.password@</password>",  # Maven resource filtering
    "<password>{{ db_password }}</password>",
    "<password>true</password>",
    "<password>PASSWORD</password>",
    '<input type="password" name="password">',
    '<input type="password" name="password" value="">',
    '<label for="password">Password</label> <input id="password">',
    '<property name="password" value="${db.password}"/>',
    '<property name="passwordEncoder" ref="encoder"/>',  # the name does not end in the secret word
    "<passwordPolicy>strict</passwordPolicy>",
    "<PrimaryKey>orderId</PrimaryKey>",
    "<token>house</token>",  # tokenized XML corpora: a bare token element holds a word
    "<NextToken>abc123def456</NextToken>",  # a pagination token
    '<input type="hidden" name="csrf_token" value="a8f5f167f44f4964e6c998dee827110c">',
    "<p>Your password is stored <b>encrypted</b></p>",
    # element text with spaces that is a label, an instruction or a sentence, not a passphrase
    "<password>Enter your password</password>",
    "<Password>Password is required.</Password>",
    "<password>not set</password>",
    "<secret>see the vault entry</secret>",
    "<password>one two three four five six</password>",  # more than five words: prose
    "<password>correct <b>horse</b></password>",  # markup inside
    "<password>correct\nhorse</password>",  # more than one line
    # key/value pairs still take one word: UI strings name their keys after a password
    '<string name="error_password">Too short</string>',
]


@pytest.mark.parametrize("text", MARKUP_PASSWORDS_NOT_FOUND)
def test_recognizers_password_in_markup_not_placeholders(text: str) -> None:
    assert [e for e, _ in found(text) if e == "PASSWORD"] == []


@pytest.mark.parametrize(
    ("first", "second", "joiner"),
    [
        ("Personal Info:\nPhone:", "439 4166 is my lucky number", "\n"),  # the label on the line before
        ("Date of birth:", "03/06/1958", "\n"),  # read by the engine's label-line lookup too
        ("PESEL", ids.pesel("440514", "0145"), "\n"),
        ("What's your credit card?", "587662702899", " "),  # the card word on the same line
    ],
)
def test_recognizers_label_or_card_word_never_reaches_the_next_document(first: str, second: str,
                                                                         joiner: str) -> None:
    """The lookbehinds see before the window, but documents of a batch are joined with a separator
    that no label or card-word lookbehind can cross: a word ending one document says nothing about
    the number opening the next."""
    from scrubber.records import Batch
    from tests.detect_helpers import stage

    spans = stage("fast").run(Batch({"text": [first, second, first + joiner + second]})).spans()
    assert spans[0] == [] and spans[1] == []
    assert len(spans[2]) == 1  # the same text in one document is found


def test_recognizers_find_windows_equals_find_per_window_and_isolates_a_failed_window() -> None:
    """One call over many windows gives what one call per window gives; a window whose pattern
    times out yields nothing (not even an earlier pattern's match) and is reported by index."""
    from scrubber.detect.recognizers import RecognizerTimeout, WindowPatternRecognizer
    from scrubber.detect.rules import PatternRule, RecognizerRule

    rule = RecognizerRule(
        name="demo", entity="DEMO",
        patterns=(PatternRule("digits", r"\d{3}", 0.9), PatternRule("slow", r"(?:a|aa)+b", 0.9)),
    )
    rec = WindowPatternRecognizer(rule, timeout=0.05)
    text = "x 123 y 456 " + "a" * 40 + " 789 z"
    windows = [(0, 6), (6, 12), (6, 12 + 40), (12 + 40, len(text))]
    found, failed = rec.find_windows(text, windows, None)
    assert sorted(failed) == [2] and isinstance(failed[2], RecognizerTimeout)
    per_window = []
    for pos, endpos in windows:
        with contextlib.suppress(RecognizerTimeout):
            per_window.extend(rec.find(text, pos, endpos))
    assert sorted(found, key=lambda c: c.start) == sorted(per_window, key=lambda c: c.start)
    assert [text[c.start:c.end] for c in sorted(found, key=lambda c: c.start)] == ["123", "456", "789"]


@pytest.mark.parametrize(("text", "secret", "recognizer"), [
    ("DB_PASSCODE=correcthorse\n", "correcthorse", "password_config_v1"),
    ("db_passcode: CopperSaffron\n", "CopperSaffron", "password_config_v1"),
    ("<passcode>hunter2x</passcode>", "hunter2x", "password_markup_v2"),
    ('<add key="DbPasscode" value="s3cr3t99"/>', "s3cr3t99", "password_markup_v2"),
    ("<key>Passcode</key>\n<string>hunter2x</string>", "hunter2x", "password_markup_v2"),
])
def test_recognizers_secret_word_added_once_is_read_by_config_and_markup(
    tmp_path: Path, text: str, secret: str, recognizer: str
) -> None:
    """A word added to `lists.secret_words` names a secret in config lines and in markup alike (the
    words were written out in six regexes of the two recognizers). `passcode` is found by the
    secret_keyword trigger's `pass`; a word it does not scan for needs the trigger too."""
    assert found(text) == []
    shutil.copytree(RULES, tmp_path / "rules" / "detect")
    path = tmp_path / "rules" / "detect" / "recognizers.yaml"
    rules = path.read_text(encoding="utf-8")
    assert rules.count("secret_words: [password,") == 1
    path.write_text(rules.replace("secret_words: [password,", "secret_words: [passcode, password,"), encoding="utf-8")
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=tmp_path / "rules")
    spans = st.run(Batch({"text": [text]})).spans()[0]
    assert [(s.entity_type, text[s.start:s.end], s.recognizer) for s in spans] == [("PASSWORD", secret, recognizer)]


# -- AWS secret access keys: the shapes aws_secret_key_v1 must find, whatever its trigger ----------------
#: A synthetic 40-character secret (mixed case, digits, `/`): never a real key.
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1"
AWS_SECRETS_FOUND = [
    # assignments: `=` (ini, env file, shell), `:` (YAML), quoted or not
    f"aws_secret_access_key = {AWS_SECRET}",
    f"aws_secret_access_key={AWS_SECRET}",
    f"[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPL3\naws_secret_access_key = {AWS_SECRET}\n",
    f"AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n",
    f'export AWS_SECRET_ACCESS_KEY="{AWS_SECRET}"',
    f"aws_secret_access_key: {AWS_SECRET}",
    f"  aws_secret_access_key: '{AWS_SECRET}'\n",
    f'{{"aws_secret_access_key": "{AWS_SECRET}"}}',
    f"AWS Secret Access Key [None]: {AWS_SECRET}",  # `aws configure` prompt
    # no `=` or `:` between word and key: command lines, prose, tables, CSV
    f"aws configure set aws_secret_access_key {AWS_SECRET}",
    f"The AWS secret key is {AWS_SECRET} for the test account.",
    f"aws secret {AWS_SECRET}",
    f"| aws secret | {AWS_SECRET} |",
    f"aws_secret,{AWS_SECRET}",
    # the context word after the key, or on a label line above it
    f"{AWS_SECRET} is the aws key",
    f"AWS secret access key:\n{AWS_SECRET}",
]


@pytest.mark.parametrize("text", AWS_SECRETS_FOUND)
def test_recognizers_aws_secret_key_shapes(text: str) -> None:
    """Every layout a leaked AWS secret key has in code, config and prose is found, with or without
    an assignment: a cheaper trigger for aws_secret_key_v1 must still open a window on each."""
    assert ("AWS_SECRET_KEY", AWS_SECRET) in found(text)


@pytest.mark.parametrize("text", [
    f"checksum {AWS_SECRET}",  # no context word
    f"secretive {AWS_SECRET}",  # `secret` inside a longer word
    f"see awsome.example {AWS_SECRET}",
])
def test_recognizers_aws_secret_key_needs_its_word_near(text: str) -> None:
    assert "AWS_SECRET_KEY" not in [e for e, _ in found(text)]


# -- e-mail addresses with "at" spelled and plain dots (email_at_word_v1) ------------------------------
AT_WORD_EMAILS_FOUND = [
    # at a mail provider's domain: "at" is spelled, the dots are not
    ("jane at gmail.com", "jane at gmail.com"),
    ("Write to jane.doe at yahoo.co.uk.", "jane.doe at yahoo.co.uk"),
    ("JANE AT GMAIL.COM", "JANE AT GMAIL.COM"),
    ("ping bob99 at protonmail.com today", "bob99 at protonmail.com"),
    ("john dot smith at gmail.com", "john dot smith at gmail.com"),
    ("ivan at mail.ru", "ivan at mail.ru"),
    # any domain right after an e-mail word
    ("my email is j.doe at uni-heidelberg.de", "j.doe at uni-heidelberg.de"),
    ("Contact: kim at acme.io", "kim at acme.io"),
    ("e-mail: a.ngata at waikato.ac.nz", "a.ngata at waikato.ac.nz"),
    # any domain right after a mail header opening its line (mailing-list archives' text files)
    ("From: ueno at gnu.org (Daiki Ueno)\nDate: Mon, 3 Feb", "ueno at gnu.org"),
    ("Subject: patch\r\nCc: a.b at lists.uni-x.edu\r\n", "a.b at lists.uni-x.edu"),
    # any domain inside angle brackets after a name (AUTHORS and THANKS files, mail headers)
    ("Daiki Ueno <ueno at gnu.org>", "ueno at gnu.org"),
    ("Andreas Metzler < ametzler at debian.org >", "ametzler at debian.org"),
    # any domain as the whole text of a mailto: link (mailing-list archives hide senders so)
    ('<A HREF="mailto:python-list%40python.org?Subject=Re%3A%20x&In-Reply-To=%3C1%40b.org%3E"\n   TITLE="x">'
     "jane.doe at acme.org\n       </A>", "jane.doe at acme.org"),
    ('&#60;<A\nHREF="mailto:faure at kde.org"\n>faure at kde.org</A\n>&#62;', "faure at kde.org"),  # as the target too
    # brackets were already found at any domain (email_obfuscated_v2), with plain or spelled dots
    ("jane (at) acme.org", "jane (at) acme.org"),
    ("jane[at]acme[dot]org", "jane[at]acme[dot]org"),
]


@pytest.mark.parametrize(("text", "covered"), AT_WORD_EMAILS_FOUND)
def test_recognizers_email_with_at_spelled_and_plain_dots(text: str, covered: str) -> None:
    assert ("EMAIL_ADDRESS", covered) in found(text)


AT_WORD_EMAILS_NOT_FOUND = [
    # prose: a site named after "at", no mail provider and no e-mail word right before
    "look at github.com",
    "meet me at home.com",
    "I work at google.com",
    "the best deals at amazon.com this week",
    "Released at pypi.org yesterday",
    # a mail provider's site, but the word before "at" is prose, not a mailbox
    "She works at Yahoo.com now",
    "Sign in at outlook.com",
    "I'm at gmail.com",
    "Millions of users at hotmail.com lost mail",
    "email me at home.com",
    # after an e-mail word, a help desk's web site is no mailbox
    "Contact support at support.microsoft.com",
    "contact us at github.com",
    "Contact: I worked at amazon.com",  # the e-mail word is not right before
    # a header word inside a line is no mail header; prose words stay prose after one
    "I came from: jane at acme.org",
    "Sent from: my phone at home.com",
    "From: look at github.com",
    "From: support at support.microsoft.com",
    # documentation domains and role mailboxes are kept, whichever way `@` is written
    "jane at example.org",
    "jane (at) example.org",
    "jane[at]example[dot]org",
    "noreply at gmail.com",
    "jane at gmail.notatld",
    "version 2 at v1.2 of the api",
    "<look at github.com>",  # brackets, but a prose word before "at"
    '<a href="https://github.com/x">Careers at acme.org</a>',  # a link, but no mailto:
    '<a href="mailto:?subject=Hi">look at github.com</a>',  # mailto:, but a prose word before "at"
    "see <docs at readthedocs.io/latest>",  # no address: the brackets do not close after the domain
]


@pytest.mark.parametrize("text", AT_WORD_EMAILS_NOT_FOUND)
def test_recognizers_email_with_at_spelled_not_prose(text: str) -> None:
    assert [e for e, _ in found(text) if e == "EMAIL_ADDRESS"] == []


#: An address inside a URL, a log line's key=value or a quoted value in code: the span is the
#: address alone. email_v1 took the text before it into the local part (atext allows `/ ? & = '`):
#: `https://x.org/unsub?email=jane@gmail.com` came out as `https:<EMAIL>`, and keys and opening
#: quotes were lost from logs and code.
EMAILS_IN_SURROUNDINGS = [
    ("ERROR client=10.0.0.1 user=nakamura.k@quillmarkhealth.org status=500", "nakamura.k@quillmarkhealth.org"),
    ("https://shop.io/unsubscribe?email=jane.doe@gmail.com&list=7", "jane.doe@gmail.com"),
    ("https://shop.io/unsubscribe?list=7&email=jane.doe@gmail.com", "jane.doe@gmail.com"),
    ("git log --author=jane@gmail.com", "jane@gmail.com"),
    ("setup(author_email='jane@gmail.com')", "jane@gmail.com"),
    ('AUTHOR_EMAIL = "jane@gmail.com"', "jane@gmail.com"),
    ("GIT_COMMITTER_EMAIL=jane@gmail.com git commit", "jane@gmail.com"),
    ("x-original-to=jane@gmail.com", "jane@gmail.com"),
    ("`jane@gmail.com`", "jane@gmail.com"),
    # Markdown emphasis around an address (nodemailer's SECURITY.md): the stars stay outside
    ("2. **Email:** **andris@reinman.eu**, as listed", "andris@reinman.eu"),
    ("write to *jane.doe@gmail.com* today", "jane.doe@gmail.com"),
    ("mail *jane.doe @ gmail.com* today", "jane.doe @ gmail.com"),
    # ... and underscore emphasis, which hid the address (its opening `_` stays in the span: a
    # mailbox may start with one)
    ("write to _jane.doe@gmail.com_ today", "_jane.doe@gmail.com"),
    ("see __bob.smith@gmail.com__.", "__bob.smith@gmail.com"),
    # what stays part of an address: `=` inside it (bounce addresses carrying a recipient), `'`
    # inside it, `+` tags
    ("Return-Path: <list-bounces+jane=gmail.com@lists.python.org>", "list-bounces+jane=gmail.com@lists.python.org"),
    ("mail patrick.o'brien@gmail.com", "patrick.o'brien@gmail.com"),
    ("mail jane+news@gmail.com", "jane+news@gmail.com"),
    # a forwarder's SRS address: its hash and time stamp read as keys, the sender's domain and
    # mailbox (what is personal) stay in the span
    ("SRS0=HHH=TT=gmail.com=jane@srs.fwd.net", "gmail.com=jane@srs.fwd.net"),
    # mail's Authentication-Results properties (RFC 8601) are keys, not part of the mailbox; a
    # bounce address with a dotted recipient stays whole
    ("Authentication-Results: mx.google.com; spf=pass smtp.mailfrom=jane.doe@gmail.com;", "jane.doe@gmail.com"),
    ("dkim=pass header.From=jane.doe@gmail.com; dmarc=pass", "jane.doe@gmail.com"),
    ("Return-Path: <bounce-jane.doe=gmail.com@lists.python.org>", "bounce-jane.doe=gmail.com@lists.python.org"),
    # two dots between a mailbox's atoms, as the Enron mails write their people's addresses
    ("To: s..palmer@enron.com", "s..palmer@enron.com"),
]


@pytest.mark.parametrize(("text", "address"), EMAILS_IN_SURROUNDINGS)
def test_recognizers_email_span_is_the_address_not_its_surroundings(text: str, address: str) -> None:
    assert [covered for entity, covered in found(text) if entity == "EMAIL_ADDRESS"] == [address]


def test_recognizers_email_signing_domain_of_authentication_results_is_no_address() -> None:
    """`header.i=@gmail.com` names the domain that signed a message (DKIM), no mailbox: it was read
    as the address `header.i=@gmail.com`."""
    assert found("Authentication-Results: mx.google.com; dkim=pass header.i=@gmail.com header.s=20161025") == []


#: Addresses of quoted-printable bodies cut by a soft line break (`=` ending the line), anywhere in
#: the mailbox or the domain: email_v2 saw the part after the break (`oe@gmail.com`) or nothing.
SOFT_BREAK_EMAILS = [
    ("Write to jane.d=\noe@gmail.com please", "jane.d=\noe@gmail.com"),
    ("Write to jane.doe@exam=\nple-corp.com please", "jane.doe@exam=\nple-corp.com"),
    ("mail jane.doe=\r\n@gmail.com", "jane.doe=\r\n@gmail.com"),
    ("mail jane.doe@=\ngmail.com", "jane.doe@=\ngmail.com"),
    ("mail jane.doe@gmail.=\ncom", "jane.doe@gmail.=\ncom"),
    ("<a href=3D\"mailto:priya.raman@acme-=\nlabs.io\">", "priya.raman@acme-=\nlabs.io"),
]


@pytest.mark.parametrize(("text", "address"), SOFT_BREAK_EMAILS)
def test_recognizers_email_cut_by_a_soft_line_break_is_found_whole(text: str, address: str) -> None:
    assert found(text) == [("EMAIL_ADDRESS", address)]


@pytest.mark.parametrize(("text", "expected"), [
    # decoded, a documentation address: kept as the plain one is
    ("write to qa@exam=\nple.com", []),
    # a soft break after a whole address is the next word's: the address alone
    ("mail bob@gmail.com=\n, thanks", [("EMAIL_ADDRESS", "bob@gmail.com")]),
    # no domain with a public suffix once decoded, or no `@` in the run
    ("x=\ny and foo@bar=\nbaz", []),
    ("total=\n42 and a=\nb", []),
])
def test_recognizers_email_soft_break_keeps_what_is_no_address(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", ["backup to jane@acme.io_old/ then", "id jane@acme.io__v2 stored"])
def test_recognizers_email_glued_to_a_longer_word_is_no_address(text: str) -> None:
    assert [e for e, _ in found(text) if e == "EMAIL_ADDRESS"] == []


@pytest.mark.parametrize("text", [
    "fetch('https://deploy:lXTjiwe6jLcwWy@registry.acme-internal.net/v2/')",
    "fetch('https://deploy:Granite137!lkyQ@registry.acme-internal.net/v2/')",  # atext in the password
    "git clone https://chloe:ghp_xVuRGWA3WhF9Zu17CoH8QbpNkyIsZFvdn27X@github.com/chloe/infra.git",
])
def test_recognizers_url_password_is_no_email_and_the_host_stays(text: str) -> None:
    """The user info of a URL is url_credentials_v2's; read as an address (`pass@host`) it also took
    the host, once a partly overlapping detection was no longer dropped from the output."""
    spans = found(text)
    assert not [covered for entity, covered in spans if entity == "EMAIL_ADDRESS"]
    user_info = text[text.index("://") + 3:text.index("@")]
    assert all(covered in user_info for _, covered in spans)


@pytest.mark.parametrize(("text", "number"), [
    ("https://wa.me/14155552671", "14155552671"),
    ('<a href="https://wa.me/5511912345678?text=Oi">WhatsApp</a>', "5511912345678"),
    ("https://api.whatsapp.com/send/?phone=%2B4930901820&text=Hallo", "4930901820"),
    ("https://web.whatsapp.com/send?phone=447911123456", "447911123456"),
])
def test_recognizers_whatsapp_link_number_is_a_phone(text: str, number: str) -> None:
    """Click-to-chat links write the number internationally without `+`: valid for no region as a
    national number, so it leaked; phone_link_v1 validates it with its country code."""
    assert ("PHONE_NUMBER", number) in found(text)


@pytest.mark.parametrize("text", [
    "https://wa.me/123456789",          # no country's valid number
    "https://wa.me/message/ABCDEF123",  # a short link, no number
    "https://notwhatsapp.com/send?phone=447911123456x",
    "mywa.me/447911123456abc",
])
def test_recognizers_whatsapp_link_look_alikes(text: str) -> None:
    assert [e for e, _ in found(text) if e == "PHONE_NUMBER"] == []


@pytest.mark.parametrize(("text", "slug"), [
    ("Connect: https://www.linkedin.com/in/priya-raman-4b2a1b23/", "priya-raman-4b2a1b23"),
    ("https://uk.linkedin.com/in/jo%C3%A3o-pereira", "jo%C3%A3o-pereira"),
    ("https://www.facebook.com/harriet.calloway.77", "harriet.calloway.77"),
    ("https://m.facebook.com/profile.php?id=100004123456789", "100004123456789"),
    # without the scheme, as résumés and bios write them
    ("LinkedIn: linkedin.com/in/kbondarenko", "kbondarenko"),
    ("see www.LinkedIn.com/in/priya-raman-4b2a1b23 for more", "priya-raman-4b2a1b23"),
    ("fb: facebook.com/harriet.calloway.77", "harriet.calloway.77"),
])
def test_recognizers_social_profile_slug_is_found(text: str, slug: str) -> None:
    """A LinkedIn member's slug is the member's name; a dotted Facebook slug or a profile id names
    a person: the slug is reported, the site stays."""
    assert ("SOCIAL_PROFILE", slug) in found(text)


@pytest.mark.parametrize("text", [
    "https://www.linkedin.com/company/acme-corp/",
    "https://www.facebook.com/groups/python.dev",
    "https://facebook.com/Starbucks",  # a page: no dot
    "https://www.facebook.com/sharer.php?u=https://x.org",
    "https://www.facebook.com/events/123456789/",
    "notlinkedin.com/in/jane-doe-1 and mirror.linkedin.com.example/in/x",  # another host
    "linkedin.com/company/acme and facebook.com/Starbucks",
])
def test_recognizers_social_profile_look_alikes(text: str) -> None:
    assert [e for e, _ in found(text) if e == "SOCIAL_PROFILE"] == []


@pytest.mark.parametrize(("text", "number"), [
    ("https://example.org/signup?first_name=Ann&phone=%2B13125550147&email=x", "13125550147"),
    ("POST /form phone=%2b442071838750&ok=1", "442071838750"),  # lower-case escape, once kept as a hex digest
])
def test_recognizers_url_encoded_plus_phone_is_a_phone(text: str, number: str) -> None:
    """A `+` written `%2B` in a query string glued a `B` to the digits: no recognizer saw a number."""
    assert ("PHONE_NUMBER", number) in found(text)


@pytest.mark.parametrize("text", [
    "discount 50%2B12345678 wait",  # not a valid number
    "a=%2B11111111111",
    "digest %2b8c1f0a9d3e7b6c5a4f3e2d1c0b9a8f7e6d5c4b",  # hex after an escape, no number
])
def test_recognizers_url_encoded_plus_look_alikes(text: str) -> None:
    assert [e for e, _ in found(text) if e == "PHONE_NUMBER"] == []


@pytest.mark.parametrize(("text", "address"), [
    # spaces around the `@` (email_spaced_at_v1): a mailbox-shaped local part, or a provider's domain
    ("email: jane.doe @ gmail.com", "jane.doe @ gmail.com"),
    ("mail jane.doe@ gmail.com today", "jane.doe@ gmail.com"),
    ("jdoe92 @ acme-corp.com.", "jdoe92 @ acme-corp.com"),
    ("write to jane @ gmail.com", "jane @ gmail.com"),
    # bracketed `@` with bracketed dots in the mailbox too (email_obfuscated_v2; v1 left `jane(dot)`)
    ("jane(dot)doe(at)gmail(dot)com", "jane(dot)doe(at)gmail(dot)com"),
    ("jane [dot] doe [at] gmail [dot] com", "jane [dot] doe [at] gmail [dot] com"),
    ("user=jane[at]gmail.com", "jane[at]gmail.com"),  # the key stays, as in email_v2
])
def test_recognizers_email_obfuscated_whole_address(text: str, address: str) -> None:
    assert [covered for entity, covered in found(text) if entity == "EMAIL_ADDRESS"] == [address]


@pytest.mark.parametrize("text", [
    "meet @ starbucks.com",              # a prose word, no provider
    "2 @ 5.99 each",
    "Follow us @ twitter.com",
    "support @ support.microsoft.com",   # a site's part before a provider-like site
    "users @ hotmail.com",
    "see v1.2 @ github.com/org/repo",    # a release on a site
    "Posted by j.smith @ 10:30",
    "jane.doe @ example.com",            # documentation domain, as for plain addresses
])
def test_recognizers_spaced_at_look_alikes(text: str) -> None:
    assert [e for e, _ in found(text) if e == "EMAIL_ADDRESS"] == []


# -- the mail providers, listed once (`lists:` of recognizers.yaml) ------------------------------------
#: The three provider patterns as they were written out before the providers became the lists
#: `mail_providers` and `mail_provider_domains` (each regex held its own copy, and an edit reached one
#: or two of them). The test below holds the lists to them: same matches. Drop it when one of these
#: recognizers changes its matches (and its version): it guards the move to the lists, not the rules.
WRITTEN_OUT_PROVIDER_PATTERNS = {
    "email_spaced_at_v1/spaced_at_provider": (
        r"(?<![\w.+\-])(?!-{0,2}[A-Za-z_][\w\-]{0,63}=|['`])[\w!#$%'*+=^`{|}~\-]{1,64}+(?:\.[\w!#$%'*+"
        r"=^`{|}~\-]{1,64}+){0,8}[ \t]{0,2}(?: @|\t@|@ |@\t)[ \t]{0,2}(?=(?i:gmail|googlemail|yahoo|ym"
        r"ail|rocketmail|hotmail|outlook|msn|icloud|protonmail|proton|aol|gmx|yandex|zoho|fastmail|tut"
        r"anota|tuta|hushmail|posteo|mailbox|qq|163|126|naver|hanmail|daum|rediffmail|comcast|verizon|"
        r"sbcglobal|bellsouth|btinternet|laposte|wanadoo|libero|seznam|interia|bigpond|t-online|freene"
        r"t)\.|(?i:mail\.ru|web\.de|orange\.fr|att\.net)(?![\w\-]|\.[^\W_]))(?:[^\W_](?:[\w\-]{0,61}[^"
        r"\W_])?\.){1,8}[^\W\d_]{2,63}(?![\w\-/]|\.[^\W_])"
    ),
    "email_spelled_v1/email_spelled_provider": (
        r"(?<![\w.+\-'’])[\w+\-]{1,64}+(?:\.[\w+\-]{1,64}+){0,8}(?:[ \t]{1,3}(?i:dot)[ \t]{1,3}[\w+\-]"
        r"{1,64}+(?:\.[\w+\-]{1,64}+){0,8}){0,3}[ \t]{1,3}(?i:at)[ \t]{1,3}(?=(?i:gmail|googlemail|yah"
        r"oo|ymail|rocketmail|hotmail|outlook|msn|icloud|protonmail|proton|aol|gmx|yandex|zoho|fastmai"
        r"l|tutanota|tuta|hushmail|posteo|mailbox|qq|163|126|naver|hanmail|daum|rediffmail|comcast|ver"
        r"izon|sbcglobal|bellsouth|btinternet|laposte|wanadoo|libero|seznam|interia|bigpond|t-online|f"
        r"reenet)[ \t]{1,3}(?i:dot)[ \t]{1,3}|(?i:mail)[ \t]{1,3}(?i:dot)[ \t]{1,3}(?i:ru)(?![\w\-])|("
        r"?i:web)[ \t]{1,3}(?i:dot)[ \t]{1,3}(?i:de)(?![\w\-])|(?i:orange)[ \t]{1,3}(?i:dot)[ \t]{1,3}"
        r"(?i:fr)(?![\w\-])|(?i:att)[ \t]{1,3}(?i:dot)[ \t]{1,3}(?i:net)(?![\w\-]))[^\W_](?:[\w\-]{0,6"
        r"1}[^\W_])?(?:[ \t]{1,3}(?i:dot)[ \t]{1,3}[^\W_](?:[\w\-]{0,61}[^\W_])?){0,2}[ \t]{1,3}(?i:do"
        r"t)[ \t]{1,3}[^\W\d_]{2,63}(?![\w\-]|\.[^\W_])"
    ),
    "email_at_word_v1/email_at_provider": (
        r"(?<![\w.+\-'’])[\w+\-]{1,64}+(?:\.[\w+\-]{1,64}+){0,8}(?:[ \t]{1,3}(?i:dot)[ \t]{1,3}[\w+\-]"
        r"{1,64}+(?:\.[\w+\-]{1,64}+){0,8}){0,3}[ \t]{1,3}(?i:at)[ \t]{1,3}(?=(?i:gmail|googlemail|yah"
        r"oo|ymail|rocketmail|hotmail|outlook|msn|icloud|protonmail|proton|aol|gmx|yandex|zoho|fastmai"
        r"l|tutanota|tuta|hushmail|posteo|mailbox|qq|163|126|naver|hanmail|daum|rediffmail|comcast|ver"
        r"izon|sbcglobal|bellsouth|btinternet|laposte|wanadoo|libero|seznam|interia|bigpond|t-online|f"
        r"reenet)\.|(?i:mail\.ru|web\.de|orange\.fr|att\.net)(?![\w\-]|\.[^\W_]))(?:[^\W_](?:[\w\-]{0,"
        r"61}[^\W_])?\.){1,8}[^\W\d_]{2,63}(?![\w\-]|\.[^\W_])"
    ),
}


def _provider_addresses() -> str:
    """Every listed provider and near misses, written every way the three patterns read: `at` or
    spaced `@`, plain or spelled dots, any case, more spaces, a country, a word or `-` right after."""
    words = ["gmail", "googlemail", "yahoo", "ymail", "rocketmail", "hotmail", "outlook", "msn", "icloud",
             "protonmail", "proton", "aol", "gmx", "yandex", "zoho", "fastmail", "tutanota", "tuta", "hushmail",
             "posteo", "mailbox", "qq", "163", "126", "naver", "hanmail", "daum", "rediffmail", "comcast",
             "verizon", "sbcglobal", "bellsouth", "btinternet", "laposte", "wanadoo", "libero", "seznam",
             "interia", "bigpond", "t-online", "freenet", "mail.ru", "web.de", "orange.fr", "att.net",
             # near misses: a provider's start, a word, a domain that only starts like a listed one
             "gmai", "protonmai", "t-onlinex", "mail", "web", "live", "mail.rux", "web.de-x", "att.network",
             "orange.fr.x", "web.de.com"]
    lines = []
    for word in words:
        for at, dot in ((" at ", "."), (" at ", " dot "), ("  AT\t", "   DOT  "), (" @ ", "."), ("@ ", " dot ")):
            for case in (str.lower, str.upper, str.title):
                domain = case(word).replace(".", dot)
                for tail in ("", dot + "com", dot + "co" + dot + "uk", "-x", dot + "c", "/x", dot + "ru"):
                    lines.append(f"jane.doe{at}{domain}{tail} ok")
    return "\n".join(lines)


def test_recognizers_mail_provider_lists_match_as_the_written_out_patterns() -> None:
    shipped = {f"{r.name}/{p.name}": p.regex for r in load_rules(RULES).recognizers for p in r.patterns}
    texts = [_provider_addresses(), *(doc.text for doc in canary.generate(5, 400))]
    for name, written_out in WRITTEN_OUT_PROVIDER_PATTERNS.items():
        before, now = regex.compile(written_out), regex.compile(shipped[name])
        matched = 0
        for text in texts:
            expected = [(m.span(), m.group()) for m in before.finditer(text)]
            assert [(m.span(), m.group()) for m in now.finditer(text)] == expected, name
            matched += len(expected)
        assert matched > 300, name  # the texts do hold such addresses


@pytest.mark.parametrize(("text", "address", "recognizer"), [
    ("reach jane at mailfence dot com", "jane at mailfence dot com", "email_spelled_v1"),
    ("reach jane at mailfence.com", "jane at mailfence.com", "email_at_word_v1"),
    ("reach jane @ mailfence.com", "jane @ mailfence.com", "email_spaced_at_v1"),
    ("reach jane at free dot fr", "jane at free dot fr", "email_spelled_v1"),
    ("reach jane at free.fr", "jane at free.fr", "email_at_word_v1"),
    ("reach jane @ free.fr", "jane @ free.fr", "email_spaced_at_v1"),
])
def test_recognizers_mail_provider_added_once_is_read_by_all_three(
    tmp_path: Path, text: str, address: str, recognizer: str
) -> None:
    """A provider added to `lists.mail_providers` (or a domain to `mail_provider_domains`) is one
    for the spelled, the `at`-spelled and the spaced-`@` address alike: one edit, not three."""
    assert found(text) == []  # not listed: no address without an e-mail word before it
    shutil.copytree(RULES, tmp_path / "rules" / "detect")
    path = tmp_path / "rules" / "detect" / "recognizers.yaml"
    rules = path.read_text(encoding="utf-8")
    for listed, added in (("mail_providers: [gmail,", "mail_providers: [mailfence, gmail,"),
                          ("mail_provider_domains: [mail.ru,", "mail_provider_domains: [free.fr, mail.ru,")):
        assert rules.count(listed) == 1
        rules = rules.replace(listed, added)
    path.write_text(rules, encoding="utf-8")
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=tmp_path / "rules")
    spans = st.run(Batch({"text": [text]})).spans()[0]
    assert [(s.entity_type, text[s.start:s.end], s.recognizer) for s in spans] == [
        ("EMAIL_ADDRESS", address, recognizer)]


@pytest.mark.parametrize(("text", "found_number"), [
    ("담당자 010-1234-5678 입니다", "010-1234-5678"),  # no phone word next to it
    ("call 010 9876 5432 after six", "010 9876 5432"),
    ("ID 01012345678", None),  # one digit run: any id
    ("회원번호 01012345678", None),
    ("전화 01012345678", "01012345678"),  # next to a phone word, a mobile
    ("휴대폰: 01098765432", "01098765432"),
    ("order 010-1234-5678", None),  # an order number laid out alike
    # other Korean numbers, no phone word: landlines, older mobiles, personal numbers (phone_v2)
    ("서울 본사: 강남구 테헤란로 123, 02-790-5885", "02-790-5885"),
    ("경기지사 031-6162-7096 (평일 9시~18시)", "031-6162-7096"),
    ("김민수 과장 011-9361-6283", "011-9361-6283"),
    ("평생번호 050-0053-9502", "050-0053-9502"),
    ("본점 (02) 1234-5678", "(02) 1234-5678"),
    ("+82 10-1234-5678로 문자 주세요", "+82 10-1234-5678"),  # international forms, found before too
    ("Seoul office +82-2-790-5885", "+82-2-790-5885"),
    # series-year-sequence document numbers laid out alike: kept without a phone word
    ("문서번호 010-2024-0001 참조", None),
    ("결재 02-2019-0007 완료", None),
    ("전화 010-2024-0001", "010-2024-0001"),  # with one, a phone
    # service numbers (1588-1234) are 8 digits: a phone only next to a phone word
    ("고객센터 1588-1234", None),
    ("전화 1588-1234", "1588-1234"),
    # dates and times of Korean text are no phones
    ("2024-05-06 14:30 회의, 2024.05.06 기준", None),
])
def test_recognizers_korean_numbers_alone(text: str, found_number: str | None) -> None:
    phones = [covered for entity, covered in found(text) if entity == "PHONE_NUMBER"]
    assert phones == ([found_number] if found_number else [])


_PESEL = ids.pesel("440514", "0135")
_DNI = ids.dni(48213570)
_NIE = ids.nie("Y", 2345671)
_BSN = ids.bsn("12345678")
_PNR = ids.personnummer("850709", "238")
_CPF = ids.cpf("529982247")
_SIN = ids.sin("13069254")
_AADHAAR = ids.aadhaar("49817264053")
_CF = ids.codice_fiscale("VRDGPP80A41H501")

NATIONAL_IDS_FOUND = [
    (f"Pacjent: Jan Kowalski, PESEL: {_PESEL}, ur. 14.05.1944", _PESEL),
    (f"Numer PESEL pacjenta {_PESEL}", _PESEL),
    (f"Nombre: Lucía Pérez, DNI {_DNI}", _DNI),
    (f"NIF: {_DNI[:2]}.{_DNI[2:5]}.{_DNI[5:8]}-{_DNI[8]}", f"{_DNI[:2]}.{_DNI[2:5]}.{_DNI[5:8]}-{_DNI[8]}"),
    (f"Permiso de residencia, NIE {_NIE}", _NIE),
    (f"NIE: {_NIE[0]}-{_NIE[1:8]}-{_NIE[8]}", f"{_NIE[0]}-{_NIE[1:8]}-{_NIE[8]}"),
    (f"Uw BSN: {_BSN}", _BSN),
    (f"burgerservicenummer {_BSN[:4]}.{_BSN[4:6]}.{_BSN[6:]}", f"{_BSN[:4]}.{_BSN[4:6]}.{_BSN[6:]}"),
    (f"Ange ditt personnummer {_PNR} vid inloggning", _PNR),  # was a PHONE_NUMBER
    (f"personnummer: 19{_PNR}", f"19{_PNR}"),
    (f"Nome: João Silva, CPF {_CPF}", _CPF),  # was a PHONE_NUMBER
    (f"CPF nº {_CPF.replace('.', '').replace('-', '')}", _CPF.replace(".", "").replace("-", "")),
    (f"Employee SIN: {_SIN}", _SIN),
    (f"Social Insurance Number {_SIN.replace(' ', '-')}", _SIN.replace(" ", "-")),
    (f"Votre numéro d'assurance sociale : {_SIN}", _SIN),
    (f"Mitt personnumret är {_PNR}.", _PNR),
    (f"My Aadhaar number is {_AADHAAR}.", _AADHAAR),
    (f"aadhar no: {_AADHAAR.replace(' ', '')}", _AADHAAR.replace(" ", "")),
]


@pytest.mark.parametrize(("text", "covered"), NATIONAL_IDS_FOUND)
def test_recognizers_national_id_after_its_name(text: str, covered: str) -> None:
    assert ("NATIONAL_ID", covered) in found(text)
    assert [e for e, c in found(text) if c == covered] == ["NATIONAL_ID"]  # one span, not also a phone


NATIONAL_IDS_NOT_FOUND = [
    f"order {_PESEL} shipped",  # checksum ok, but no name before it
    f"invoice {_CPF}",
    f"PESEL: {ids.wrong_last(_PESEL)}",  # the check digit fails
    f"CPF {ids.wrong_last(_CPF)}",
    f"Aadhaar {ids.wrong_last(_AADHAAR)}",
    f"BSN {ids.wrong_last(_BSN)}",
    f"DNI {_DNI[:8]}A",  # wrong control letter
    f"PESEL, page 2: {_PESEL}",  # a digit between the name and the number
    f"sin {_SIN} hijos",  # Spanish `sin` ("without"), not the SIN
    f"nie {_NIE}",  # Polish `nie` ("no")
    f"{_PESEL} PESEL",  # the name after the number
]


@pytest.mark.parametrize("text", NATIONAL_IDS_NOT_FOUND)
def test_recognizers_national_id_needs_name_and_checksum(text: str) -> None:
    assert [c for e, c in found(text) if e == "NATIONAL_ID"] == []


_NRIC = ids.nric("S", "7654321")
_FIN = ids.nric("G", "2345678")
_ZA = ids.za_id("850709", "5123")
_TFN = ids.tfn("87654321")
_STEUER = ids.steuer_id("4792305814")
_IRD = ids.ird("04909185")
_NIR = ids.nir("2850578006084")
_NIR_CORSICA = ids.nir("185052A006084")
_CN = ids.cn_resident_id("44030419880512731")
_CN_X = next(n for n in (ids.cn_resident_id(f"4403041988051273{i}") for i in range(10)) if n.endswith("X"))
_RRN = ids.kr_rrn("850709", "123456")
_MYNUM = ids.my_number("12345678901")

# Singapore NRIC/FIN, South African ID, Australian TFN, German Steuer-ID, New Zealand IRD, French
# NIR: the same rule as above (the name before the number on its line, and the check).
MORE_NATIONAL_IDS_FOUND = [
    (f"NRIC: {_NRIC}", _NRIC),
    (f"Name: Tan Wei Ling, NRIC No. {_NRIC.lower()}", _NRIC.lower()),
    (f"FIN No: {_FIN}", _FIN),
    (f"I/C no: {_NRIC}, DOB 1985", _NRIC),
    (f"ID number {_ZA}", _ZA),
    (f"South African ID: {_ZA[:6]} {_ZA[6:10]} {_ZA[10:]}", f"{_ZA[:6]} {_ZA[6:10]} {_ZA[10:]}"),
    (f"SA ID no. {_ZA}", _ZA),
    (f"TFN: {_TFN}", _TFN),
    (f"Your tax file number is {_TFN.replace(' ', '')}.", _TFN.replace(" ", "")),
    (f"Steuer-ID {_STEUER[:2]} {_STEUER[2:5]} {_STEUER[5:8]} {_STEUER[8:]}",
     f"{_STEUER[:2]} {_STEUER[2:5]} {_STEUER[5:8]} {_STEUER[8:]}"),
    (f"IdNr. {_STEUER}", _STEUER),
    (f"Ihre steuerliche Identifikationsnummer: {_STEUER}", _STEUER),
    (f"IRD number {_IRD}", _IRD),
    (f"ird no: {_IRD.replace('-', '')}", _IRD.replace("-", "")),
    (f"n° de sécurité sociale : {_NIR}", _NIR),
    (f"Numéro de sécu {_NIR.replace(' ', '')}", _NIR.replace(" ", "")),
    (f"numero de secu: {_NIR}", _NIR),  # typed without accents
    (f"NIR {_NIR_CORSICA}", _NIR_CORSICA),  # Corsica: 2A
    (f"NIR: {_NIR_CORSICA.replace(' ', '')}", _NIR_CORSICA.replace(" ", "")),
    (f"身份证号码：{_CN}", _CN),
    (f"身份证号{_CN_X}，请核对", _CN_X),  # glued to the label and to the text after it; check X
    (f"ID card no. {_CN}", _CN),
    (f"주민등록번호: {_RRN}", _RRN),
    (f"RRN {_RRN.replace('-', '')}", _RRN.replace("-", "")),
    (f"マイナンバー：{_MYNUM[:4]} {_MYNUM[4:8]} {_MYNUM[8:]}", f"{_MYNUM[:4]} {_MYNUM[4:8]} {_MYNUM[8:]}"),
    (f"個人番号 {_MYNUM}です", _MYNUM),
]


@pytest.mark.parametrize(("text", "covered"), MORE_NATIONAL_IDS_FOUND)
def test_recognizers_more_national_ids_after_their_name(text: str, covered: str) -> None:
    assert [(e, c) for e, c in found(text) if covered in c or c in covered] == [("NATIONAL_ID", covered)]


MORE_NATIONAL_IDS_NOT_FOUND = [
    # the check fails
    f"NRIC: {_NRIC[:-1]}{'A' if _NRIC[-1] != 'A' else 'B'}",
    f"ID number {ids.wrong_last(_ZA)}",
    f"TFN: {ids.wrong_last(_TFN)}",
    f"Steuer-ID {ids.wrong_last(_STEUER)}",
    f"IRD number {ids.wrong_last(_IRD)}",
    f"NIR {ids.wrong_last(_NIR)}",
    f"身份证号{ids.wrong_last(_CN)}",
    f"주민등록번호: {ids.wrong_last(_RRN)}",
    f"マイナンバー：{ids.wrong_last(_MYNUM)}",
    # no name before the number
    f"ticket {_NRIC} closed",
    f"order {_ZA} shipped",
    f"ref {_TFN}",
    f"Rechnung {_STEUER}",
    f"invoice {_IRD}",
    f"dossier {_NIR}",
    f"订单{_CN}",
    f"주문번호 {_RRN}",
    f"my number is {_MYNUM}",  # English `my number` introduces phone numbers: no label
    # names that are no label: `ID:` alone, `fin`/`FIN` without no/number/#/:, `ird` in a word
    f"ID: {_ZA}",
    f"la fin {_NRIC}",
    f"third: {_IRD}",
    f"Social Security: {_NIR}",  # `secu` without its accent only as `de secu`, `n° secu`, `secu:`
    # the name after the number (alone on the line above it, it labels it: LABEL_ABOVE_FOUND)
    f"{_TFN} (TFN)",
    f"{_MYNUM}（マイナンバー）",
    # placeholders that pass the arithmetic
    "NRIC: S0000000J",
    "TFN: 000 000 000",
    "ID number 0000000000000",
    f"Steuer-ID {ids.steuer_id('1234567890')}",  # check digit right, ten different digits: never issued
    f"身份证号{ids.cn_resident_id('11010119901340001')}",  # check right, month 13
    "マイナンバー：000000000000",
]


@pytest.mark.parametrize("text", MORE_NATIONAL_IDS_NOT_FOUND)
def test_recognizers_more_national_ids_need_name_and_check(text: str) -> None:
    assert [c for e, c in found(text) if e == "NATIONAL_ID"] == []


_CURP = ids.curp("GOAM850412HDFRRR0")
_CURP_2000 = ids.curp("LOPE010203MJCPRNA")  # born 2001: a letter before the check digit
_RFC = ids.rfc("GOAM850412KJ")
_RFC_DIGIT = ids.rfc("GODE5612311R")  # the homoclave starts with a digit: a run of seven
_CPR = "120385-1457"
_HETU = ids.hetu("131052", "-", "308")
_HETU_A = ids.hetu("010512", "A", "123")  # born 2012: the century letter ends the digit run
_FNR = ids.fnr("011299551")
_DNR = ids.fnr("550785123")  # a D-number: day + 40
_PAN = "ABCPK1234L"
_TCKN = ids.tckn("384729165")

# Mexican CURP and RFC, Danish CPR, Finnish henkilötunnus, Norwegian fødselsnummer, Indian PAN,
# Turkish T.C. Kimlik No: the name before the number on its line, and the check (the CPR: a date;
# the PAN: a person's layout).
SIX_NATIONAL_IDS_FOUND = [
    (f"CURP: {_CURP}", _CURP),
    (f"Clave CURP del alumno {_CURP_2000}.", _CURP_2000),
    (f"RFC {_RFC}", _RFC),
    (f"R.F.C.: {_RFC[:4]}-{_RFC[4:10]}-{_RFC[10:]}", f"{_RFC[:4]}-{_RFC[4:10]}-{_RFC[10:]}"),
    (f"Registro Federal de Contribuyentes: {_RFC_DIGIT}", _RFC_DIGIT),
    (f"RFC: {_RFC[:4]} {_RFC[4:10]} {_RFC[10:]}", f"{_RFC[:4]} {_RFC[4:10]} {_RFC[10:]}"),
    (f"Personal identity code: {_HETU}", _HETU),
    (f"CPR-nr. {_CPR}", _CPR),
    (f"CPR {_CPR}", _CPR),
    (f"CPR-nummer: {_CPR.replace('-', '')}", _CPR.replace("-", "")),
    (f"Personnummer: {_CPR}", _CPR),
    (f"henkilötunnus {_HETU}", _HETU),
    (f"Henkilötunnukseni on {_HETU_A}.", _HETU_A),
    (f"HETU: {_HETU}", _HETU),
    (f"fødselsnummer {_FNR}", _FNR),
    (f"Fødselsnummer: {_FNR[:6]} {_FNR[6:]}", f"{_FNR[:6]} {_FNR[6:]}"),
    (f"D-nummer {_DNR}", _DNR),
    (f"PAN {_PAN}", _PAN),
    (f"PAN card no: {_PAN}", _PAN),
    (f"Permanent Account Number (PAN): {_PAN}", _PAN),
    (f"T.C. Kimlik No: {_TCKN}", _TCKN),
    (f"TCKN {_TCKN}", _TCKN),
    (f"kimlik numarası {_TCKN}", _TCKN),
    (f"KİMLİK NO: {_TCKN}", _TCKN),  # Turkish capitals
]


@pytest.mark.parametrize(("text", "covered"), SIX_NATIONAL_IDS_FOUND)
def test_recognizers_six_national_ids_after_their_name(text: str, covered: str) -> None:
    assert [(e, c) for e, c in found(text) if covered in c or c in covered] == [("NATIONAL_ID", covered)]


SIX_NATIONAL_IDS_NOT_FOUND = [
    # the check fails (the first three as written in the probe that asked for these recognizers)
    "CURP GOAM850412HDFRRR04",
    "RFC GOAM850412KJ9",
    "fødselsnummer 01129955131",
    f"CURP {ids.wrong_last(_CURP)}",
    f"RFC {ids.wrong_last(_RFC)}",
    f"henkilötunnus {_HETU[:-1]}{'U' if _HETU[-1] != 'U' else 'V'}",
    f"fødselsnummer {ids.wrong_last(_FNR)}",
    f"TC Kimlik No: {ids.wrong_last(_TCKN)}",
    "CPR-nr. 320385-1457",  # day 32
    "PAN AAACR5055K",  # C: a company's PAN
    # no name before the number
    f"order {_CURP}",
    f"ref {_RFC}",
    f"ticket {_CPR}",
    f"Rechnung {_HETU}",
    f"invoice {_FNR}",
    f"SKU {_PAN}",
    f"sipariş {_TCKN}",
    # the name after the number, or further up than the line above (LABEL_ABOVE_FOUND)
    f"CURP\nsee the scan below\n{_CURP}",
    f"TCKN:\n\n\n{_TCKN}",
    f"{_PAN} (PAN)",
    # look-alikes after the name in other prose: dates, phone numbers, standards, card numbers
    "CPR class on 12.03.2024 at 10:00",
    "Learn CPR: call 2012345678 today",  # ten digits after `CPR` alone: a phone number
    "CPR certification 2023-2024",
    "see RFC 2616 section 14.9 and RFC 7231",
    "PAN 2024-01-15",
    "pan-fry for 12 minutes at 180 degrees",
    "PAN: 4111 1111 1111 1111",  # a card's primary account number: a card, not an ID
    "kimlik kartı için arayın: 05321234567",  # a Turkish mobile number starts with 0
    "fødselsnummer, f.eks. dato 01.12.1999",
    "HETU 12.05.2023",
    # placeholders
    "TC Kimlik No: 11111111110",
    "RFC XAXX010101000",
    # lower case and the 1800s' `+`: not read (docs/detection.md, "Limitations")
    f"curp {_CURP.lower()}",
]


@pytest.mark.parametrize("text", SIX_NATIONAL_IDS_NOT_FOUND)
def test_recognizers_six_national_ids_need_name_and_check(text: str) -> None:
    assert [c for e, c in found(text) if e == "NATIONAL_ID"] == []


def _codice_fiscale_found(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    """(entity, covered) with it_codice_fiscale_v1 switched on in a copy of the shipped rules."""
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    path = rules / "detect" / "recognizers.yaml"
    text_rules = path.read_text(encoding="utf-8")
    off = "  - name: it_codice_fiscale_v1\n    entity: NATIONAL_ID\n    priority: 3\n"
    assert off in text_rules and "    enabled: false\n    triggers: [codice_fiscale_word]" in text_rules
    path.write_text(text_rules.replace("    enabled: false\n    triggers: [codice_fiscale_word]",
                                       "    triggers: [codice_fiscale_word]"), encoding="utf-8")
    stage = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    return [(s.entity_type, text[s.start:s.end]) for s in stage.run(Batch({"text": [text]})).spans()[0]]


def test_recognizers_codice_fiscale_is_off_by_default() -> None:
    assert [e for e, _ in found(f"Codice fiscale: {_CF}") if e == "NATIONAL_ID"] == []


@pytest.mark.parametrize(("text", "covered"), [
    (f"Codice fiscale: {_CF}", _CF),
    (f"Cod. Fiscale del paziente {_CF}, nata a Roma", _CF),
    (_CF, None),  # no name before it
    (f"codice fiscale {_CF[:-1]}{'A' if _CF[-1] != 'A' else 'B'}", None),  # wrong check letter
    ("Partita IVA e codice fiscale: 01234567890", None),  # a company's: 11 digits
])
def test_recognizers_codice_fiscale_switched_on(tmp_path: Path, text: str, covered: str | None) -> None:
    ids_found = [c for e, c in _codice_fiscale_found(tmp_path, text) if e == "NATIONAL_ID"]
    assert ids_found == ([covered] if covered else [])


def test_recognizers_national_id_leaves_phones_and_dates_to_their_recognizers() -> None:
    text = f"SIN {_SIN}, phone (415) 555-2671, born 1985-07-09, personnummer {_PNR}"
    assert found(text) == [("NATIONAL_ID", _SIN), ("PHONE_NUMBER", "(415) 555-2671"),
                           ("DATE_OF_BIRTH", "1985-07-09"), ("NATIONAL_ID", _PNR)]

# -- labelled identifiers: dates of birth, medical record numbers, UK National Insurance numbers,
# passport numbers (date_of_birth_v1, medical_record_number_v1, uk_nino_v1, passport_v1): each found
# only right after its label on its line, the value only.
_NHS = ids.nhs("943476591")

LABELLED_FOUND = [
    # dates of birth: numeric, ISO, HL7's 8 digits, months in words, JSON keys, other languages
    ("Patient: Eleanor Whitcombe  DOB: 03/14/1962  MRN: 004512789",
     [("DATE_OF_BIRTH", "03/14/1962"), ("MEDICAL_RECORD_NUMBER", "004512789")]),
    ("Date of birth: 14 March 1962", [("DATE_OF_BIRTH", "14 March 1962")]),
    ("Date of birth: March 14, 1962", [("DATE_OF_BIRTH", "March 14, 1962")]),  # a window of its own
    # `bday`: a vCard's BDAY property (compact, as vCard 3 writes it) and chat
    ("BEGIN:VCARD\nFN:Chidi Okafor\nBDAY:19870412\nEND:VCARD", [("DATE_OF_BIRTH", "19870412")]),
    ("my bday is 3/14/1990 lol", [("DATE_OF_BIRTH", "3/14/1990")]),
    ("B-day: March 14, 1990", [("DATE_OF_BIRTH", "March 14, 1990")]),
    ("He was born on 1985-07-22 in Leeds.", [("DATE_OF_BIRTH", "1985-07-22")]),
    ("Jane (born 14 March 1962) is a writer", [("DATE_OF_BIRTH", "14 March 1962")]),
    ("born in Leeds on 3 May 1970", [("DATE_OF_BIRTH", "3 May 1970")]),
    ("D.O.B. 1962-03-14", [("DATE_OF_BIRTH", "1962-03-14")]),
    ("DOB:14-Mar-1962", [("DATE_OF_BIRTH", "14-Mar-1962")]),
    ("Date of birth (dd/mm/yyyy): 14/03/62", [("DATE_OF_BIRTH", "14/03/62")]),
    ("Geburtsdatum: 14.03.1962", [("DATE_OF_BIRTH", "14.03.1962")]),
    ("geb. 14.03.1962 in Köln", [("DATE_OF_BIRTH", "14.03.1962")]),
    ("date de naissance : 14/03/1962", [("DATE_OF_BIRTH", "14/03/1962")]),
    ("fecha de nacimiento: 14/03/1962", [("DATE_OF_BIRTH", "14/03/1962")]),
    ("fecha de nacimiento: 14 de marzo de 1962", [("DATE_OF_BIRTH", "14 de marzo de 1962")]),
    ('{"name": "Jane Roe", "dob": "1985-07-22", "date_of_birth": "1985-07-22"}',
     [("PERSON", "Jane Roe"), ("DATE_OF_BIRTH", "1985-07-22"), ("DATE_OF_BIRTH", "1985-07-22")]),
    ('"birthDate": "1985-07-22T00:00:00Z"', [("DATE_OF_BIRTH", "1985-07-22")]),  # the time stays
    ("PID|1||004512789||ROE^JANE DateOfBirth=19850722", [("DATE_OF_BIRTH", "19850722")]),
    ("birthdate=1985-07-22", [("DATE_OF_BIRTH", "1985-07-22")]),
    # an ordinal day (the trigger opened no window there): before or after the month
    ("Date of Birth: June 3rd, 1958", [("DATE_OF_BIRTH", "June 3rd, 1958")]),
    ("DOB: 3rd June 1958", [("DATE_OF_BIRTH", "3rd June 1958")]),
    ("She was born on the 14th of March, 1962 in Leeds.", [("DATE_OF_BIRTH", "14th of March, 1962")]),
    # medical record numbers
    ("MRN 12345678", [("MEDICAL_RECORD_NUMBER", "12345678")]),  # was a PHONE_NUMBER next to "number"
    ("Medical Record Number: A1234567", [("MEDICAL_RECORD_NUMBER", "A1234567")]),
    ("patient ID: 99-123-456", [("MEDICAL_RECORD_NUMBER", "99-123-456")]),
    ("MRN-00123456", [("MEDICAL_RECORD_NUMBER", "00123456")]),
    ('{"mrn": "004512789"}', [("MEDICAL_RECORD_NUMBER", "004512789")]),
    # UK National Insurance numbers: spaced, compact (its own branch of the digits trigger), lower case
    ("NI number: AB 12 34 56 C", [("NATIONAL_ID", "AB 12 34 56 C")]),
    ("National Insurance number: AB123456C", [("NATIONAL_ID", "AB123456C")]),
    ("NINO: ab 12 34 56 c", [("NATIONAL_ID", "ab 12 34 56 c")]),
    ("N.I. No. JG103759A, tax code 1257L", [("NATIONAL_ID", "JG103759A")]),
    # NHS numbers (modulus 11): were a US phone number in NANP layout
    (f"Her NHS number is {_NHS[:3]} {_NHS[3:6]} {_NHS[6:]}.", [("NATIONAL_ID", f"{_NHS[:3]} {_NHS[3:6]} {_NHS[6:]}")]),
    (f"NHS No: {_NHS}", [("NATIONAL_ID", _NHS)]),
    (f"nhs#{_NHS[:3]}-{_NHS[3:6]}-{_NHS[6:]}", [("NATIONAL_ID", f"{_NHS[:3]}-{_NHS[3:6]}-{_NHS[6:]}")]),
    # bank account numbers (were left, or a PHONE_NUMBER after "number"); a routing number stays
    ("Sort code: 20-00-00 Account no: 12345678", [("BANK_ACCOUNT", "12345678")]),
    ("routing number 021000021 account number 1234567890", [("BANK_ACCOUNT", "1234567890")]),
    ("Kontonummer: 1234 5678 90, BLZ 370 400 44", [("BANK_ACCOUNT", "1234 5678 90")]),
    ("acct #000123456789", [("BANK_ACCOUNT", "000123456789")]),
    # a passport number after its label, no longer a PHONE_NUMBER ("number" is a phone word)
    ("My NI number is QQ 12 34 56 C and my passport number is 533380006.", [("PASSPORT_NUMBER", "533380006")]),
    ("Passport No: A12345678, Reisepass-Nr.: 123456789",
     [("PASSPORT_NUMBER", "A12345678"), ("PASSPORT_NUMBER", "123456789")]),
    # US ITINs (us_ssn_v1 refuses every 9xx area): dashed, spaced, compact
    ("EIN: 12-3456789. ITIN 912-70-1234.", [("US_ITIN", "912-70-1234")]),
    ("taxpayer identification number 950 88 1234", [("US_ITIN", "950 88 1234")]),
    ('{"itin": "912701234"}', [("US_ITIN", "912701234")]),
    # ... and laid out as an SSN without the label, as an SSN is found (both shapes are theirs alone)
    ("Taxpayer 912-78-1234 filed late.", [("US_ITIN", "912-78-1234")]),
    ("W-7 approved: 950 88 1234", [("US_ITIN", "950 88 1234")]),
    # driver's licences: a state's layout, a letter and 7 digits, groups, a state in brackets
    ("Driver's License No. D123-4567-8901-23 (IL).", [("DRIVER_LICENSE", "D123-4567-8901-23")]),
    ("DL# D1234567", [("DRIVER_LICENSE", "D1234567")]),
    ("My driver's license number is w983996634", [("DRIVER_LICENSE", "w983996634")]),
    ("Driver License (CA): D1234567", [("DRIVER_LICENSE", "D1234567")]),
    ("drivers licence: 123 456 789", [("DRIVER_LICENSE", "123 456 789")]),
    ("driving licence number 5012345678", [("DRIVER_LICENSE", "5012345678")]),
]


@pytest.mark.parametrize(("text", "expected"), LABELLED_FOUND)
def test_recognizers_labelled_identifier_after_its_label(text: str, expected: list[tuple[str, str]]) -> None:
    got = found(text, "full") if any(e == "PERSON" for e, _ in expected) else found(text)
    assert got == expected


LABELLED_KEPT = [
    # dates that are no date of birth: scrubber keeps dates
    "seen on 2024-03-02",
    "released on 14 March 1962",
    "Released on March 14, 2024, and patched on 2024-04-01.",
    "Python was born in 1991.",
    "She was born in 1962.",  # a year alone: HIPAA's Safe Harbor keeps years
    "the project was born on 2020-01-01",  # a thing's birth
    "It was born on 2020-01-01 as a side project.",
    "birthday party on 14 March",  # no year: no full date
    "bday party on March 14, 2024",  # words between the label and the date
    "Today is Monday, March 14, 2024",
    "On the 3rd June 1958 we met; released June 3rd, 1958; the 19th century, 1850 onwards",  # no label
    "DOB: 03/1962",  # a month and a year
    "DOB: 31/02/1962",  # no such day
    "date of birth: 1700-01-01",
    "03/14/1962 DOB",  # the label after the date
    "In 1962 the DOB format changed; see page 14.03.1962",  # words between label and date
    # `DOB` and other labels in prose, without a value
    "The DOB field is required. Enter your DOB as shown on your passport.",
    "The MRN field holds 8 digits; HbA1c 7.2%, glucose 5.4 mmol/L",
    # lab values and look-alike identifiers
    "HbA1c 7.2 on 2024-03-02",
    "MRN: 0000000",  # a placeholder
    "MRN 12345",  # too short (and opens no window)
    "patient ID: 2024-03-02",  # a date after the label
    # National Insurance look-alikes: the documentation example, prefixes never allocated, suffix E
    "NI number: QQ 12 34 56 C",
    "nino: GB123456A",
    "NI number: AB 12 34 56 E",
    "NI number DA123456A",
    "Order AB123456C shipped",  # no label
    "ni AB123456C",  # `ni` in lower case is a word (Spanish, French)
    # passports
    "passport photo 1200x1600",
    "passport 000000000",
    "passport expires 2030-01-01",
    "533380006 is my passport",  # the label after the number
    "NHS number 0000000000",  # one digit repeated
    # bank accounts: no label, a label without a number, a placeholder, a date
    "the account number field holds 8 digits; ticket 12345678",
    "account no 2024-03-02",
    "account number 00000000",
    "ABA 021000021",
    # ITIN look-alikes: nine digits in one run without the label, a middle pair outside the IRS's
    # ranges, an EIN, a placeholder, an order's number laid out as one
    "Batch 912701234 shipped",
    "ITIN 912-89-1234",
    "EIN 12-3456789",
    "ITIN: 999-99-9999",
    "order 912-78-1234",
    # driver's licences: words between the label and a number, a placeholder, too many digits
    "The driver license renewal costs 1234567 dollars",
    "DL no. 000000000",
    "DL: 2030-01-01",  # a date written where the number goes
    "DL: 123456789012345678901234567890",
    "device driver 4.19.0-17-amd64, build 1234567",
]


@pytest.mark.parametrize("text", LABELLED_KEPT)
def test_recognizers_labelled_identifier_keeps_look_alikes(text: str) -> None:
    assert found(text) == []


def test_recognizers_labelled_identifier_number_after_ni_is_no_nino() -> None:
    """Digits after `NI number` that are no NINO stay what they were (a phone reading here)."""
    assert [e for e, _ in found("NI number 12345678")] == ["PHONE_NUMBER"]


def test_recognizers_labelled_identifier_nhs_number_needs_its_check_digit() -> None:
    """Ten digits after `NHS number` that fail the modulus-11 check are no NHS number: they stay
    what they were before (a phone reading, next to the phone word `number`)."""
    wrong = f"{_NHS[:9]}{(int(_NHS[9]) + 1) % 10}"
    assert [e for e, _ in found(f"NHS number {wrong}")] == ["PHONE_NUMBER"]
    assert [e for e, _ in found(f"NHS number {_NHS}")] == ["NATIONAL_ID"]


def test_recognizers_word_date_opens_a_window_only_after_a_birth_label() -> None:
    """The digits trigger's word-date branch: a labelled date with its month in words is one hit
    (so its window reaches the year); the same date elsewhere opens none (or the house-number hit)."""
    st = DetectStage.from_config({"mode": "fast"})
    st.run(Batch({"text": ["Released on March 14, 2024.", "Date of birth: March 14, 1962"]}))
    counters = st.take_counters()
    assert counters["trigger_hits_digits"] == 1
    assert counters["spans_DATE_OF_BIRTH"] == 1


def test_recognizers_labelled_identifiers_are_redacted_with_their_labels() -> None:
    pipe = load_pipeline(mode="fast")
    out = pipe({"text": ["DOB: 03/14/1962  MRN: 004512789  NINO: AB123456C  passport no 533380006"]})
    assert out["text"][0] == "DOB: <DOB>  MRN: <MRN>  NINO: <NATIONAL_ID>  passport no <PASSPORT>"


# -- a value under its label: the label alone on the line above (forms exported from PDFs, key/value
# dumps). The value starts its line; one blank line, trailing spaces, `\r\n` and indentation may stand
# between; the label line ends with the label (punctuation, up to two words, a number's noun, a hint
# in brackets after its word).
LABEL_ABOVE_FOUND = [
    ("Date of birth:\nJune 3rd, 1958", [("DATE_OF_BIRTH", "June 3rd, 1958")]),  # the word-date hit too
    ("DOB\n03/06/1958", [("DATE_OF_BIRTH", "03/06/1958")]),
    ("Date of Birth:\n\n03/06/1958", [("DATE_OF_BIRTH", "03/06/1958")]),  # a blank line between
    ("DOB:   \r\n   03/06/1958\r\n", [("DATE_OF_BIRTH", "03/06/1958")]),  # trailing spaces, indented
    ("Date of Birth (MM/DD/YYYY):\n03/06/1958", [("DATE_OF_BIRTH", "03/06/1958")]),
    ("Born\n14 March 1962", [("DATE_OF_BIRTH", "14 March 1962")]),
    ("Passport No.\nK1234567", [("PASSPORT_NUMBER", "K1234567")]),
    ("Driver's License\nD1234567", [("DRIVER_LICENSE", "D1234567")]),
    ("ITIN\n912-78-1234", [("US_ITIN", "912-78-1234")]),
    ("Account number:\n12345678", [("BANK_ACCOUNT", "12345678")]),  # was a PHONE_NUMBER ("number")
    ("MRN\n12345678", [("MEDICAL_RECORD_NUMBER", "12345678")]),
    ("SSN:\n536228145", [("US_SSN", "536228145")]),  # nine bare digits need the label
    ("Card no.\n501803075628", [("CREDIT_CARD", "501803075628")]),  # a Maestro number: Luhn only
    (f"PESEL\n{_PESEL}", [("NATIONAL_ID", _PESEL)]),
    (f"NRIC\n{_NRIC}", [("NATIONAL_ID", _NRIC)]),
    (f"TFN\n{_TFN}", [("NATIONAL_ID", _TFN)]),
    (f"Steuer-ID:\n{_STEUER}", [("NATIONAL_ID", _STEUER)]),
    (f"身份证号\n{_CN}", [("NATIONAL_ID", _CN)]),
    (f"CURP\n{_CURP}", [("NATIONAL_ID", _CURP)]),
    (f"TCKN:\n{_TCKN}", [("NATIONAL_ID", _TCKN)]),
    # a form's fields one under the other: each value has its own label
    ("Patient record\nMRN:\n004512789\nDate of birth:\n14/03/1962\nPhone:\n(312) 555-0148\n",
     [("MEDICAL_RECORD_NUMBER", "004512789"), ("DATE_OF_BIRTH", "14/03/1962"),
      ("PHONE_NUMBER", "(312) 555-0148")]),
]


@pytest.mark.parametrize(("text", "expected"), LABEL_ABOVE_FOUND)
def test_recognizers_value_under_its_label_on_the_line_above(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_recognizers_label_above_counts_as_much_as_a_label_before() -> None:
    """An SSN under `SSN` scores as one after it (a label, not the unlabelled 0.7)."""
    (above,), (before,) = stage().run(Batch({"text": ["SSN\n536-22-8145", "SSN 536-22-8145"]})).spans()
    assert (above.entity_type, above.score) == (before.entity_type, before.score) == ("US_SSN", 1.0)


LABEL_ABOVE_KEPT = [
    # the value under the label is not what the label says
    "Date of birth:\n(see attached)",
    "Date of birth:\n(see attached) 1958",
    "Phone:\nN/A",
    "SSN:\n[redacted]",
    "Driver's License\nexpired",
    "Account number:\n2024-01-15",  # a date where the number goes
    "Passport No.\n000000000",  # a placeholder
    "DOB\n12 March",  # no year
    f"PESEL\n{ids.wrong_last(_PESEL)}",  # the check digit fails
    # headings and table headers with numbers under them that are no one's
    "Chapter 12\n1958 was a year of change.",
    "Year\n1958",
    "Version\n3.2.1",
    "Birth\n1958",  # a year alone
    # a line above that is a sentence, not a label: too many words after the word, or too long
    "Passport photos are needed\n123456789",
    "I have my passport with me and my account number is the one below\n12345678",
    "Call me about it tomorrow\n3125550148",
    # the value does not start its line, or the label is further up
    "DOB\nsee 03/14/1962",
    "Date of birth:\n\n\n03/06/1958",  # two blank lines
    "MRN\nsee the chart\n12345678",
    # a deny word labelling the value from the line above, as it does before it on its line
    "Order number\n0123-4567-89",
    "Invoice total\n12345678",
]


@pytest.mark.parametrize("text", LABEL_ABOVE_KEPT)
def test_recognizers_value_under_a_label_keeps_look_alikes(text: str) -> None:
    assert found(text) == []


# -- cryptocurrency addresses (bitcoin_address_v1, ethereum_address_v1) ------------------------------
# Addresses built here from seeded random payloads with each format's own encoding (base58check,
# bech32/bech32m as in the BIPs' reference code, EIP-55), and well-known public ones: the genesis
# block's address, BIP-13's P2SH example, BIP-173/350 test vectors, EIP-55's examples.
_WALLET_RNG = random.Random(20261128)
_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _base58check(version: int, data: bytes) -> str:
    payload = bytes([version]) + data
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(raw, "big")
    out = ""
    while number:
        number, digit = divmod(number, 58)
        out = _B58_ALPHABET[digit] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\x00"))) + out


def _bech32_polymod(values: list[int]) -> int:
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk


def _segwit(version: int, program: bytes, hrp: str = "bc") -> str:
    acc = bits = 0
    data = [version]
    for byte in program:
        acc = acc << 8 | byte
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append(acc >> bits & 31)
    if bits:
        data.append(acc << (5 - bits) & 31)
    const = 1 if version == 0 else 0x2BC830A3
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = _bech32_polymod([*expanded, *data, 0, 0, 0, 0, 0, 0]) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32_CHARSET[d] for d in data + checksum)


def _eip55(body: bytes) -> str:
    hexed = body.hex()
    digest = keccak256(hexed.encode()).hex()
    return "0x" + "".join(c.upper() if int(h, 16) >= 8 else c for c, h in zip(hexed, digest, strict=False))


BTC_P2PKH = _base58check(0x00, _WALLET_RNG.randbytes(20))
BTC_P2SH = _base58check(0x05, _WALLET_RNG.randbytes(20))
BTC_SEGWIT = _segwit(0, _WALLET_RNG.randbytes(20))
BTC_SEGWIT_SCRIPT = _segwit(0, _WALLET_RNG.randbytes(32))
BTC_TAPROOT = _segwit(1, _WALLET_RNG.randbytes(32))
ETH_CHECKSUMMED = _eip55(_WALLET_RNG.randbytes(20))
ETH_LOWER = "0x" + _WALLET_RNG.randbytes(20).hex()
GENESIS = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"

def wallets_found(text: str) -> list[tuple[str, str]]:
    """``found`` with CRYPTO_WALLET enabled next to the default entities (it is off by default)."""
    stage = _wallet_stage()
    return [(s.entity_type, text[s.start:s.end]) for s in stage.run(Batch({"text": [text]})).spans()[0]]


@functools.lru_cache(maxsize=1)
def _wallet_stage() -> DetectStage:
    entities = [*load_rules(default_rules_dir() / "detect").default_entities, "CRYPTO_WALLET"]
    return DetectStage.from_config({"mode": "fast", "entities": entities})


WALLETS_FOUND = [
    # (text, the exact covered text)
    (f"If this saved you time, BTC: {GENESIS}", GENESIS),
    (f"Donations welcome: {BTC_P2PKH} (Bitcoin)", BTC_P2PKH),
    (f"multisig {BTC_P2SH}.", BTC_P2SH),
    ("BIP-13 P2SH: 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    (f"* Bitcoin: `{BTC_SEGWIT}`", BTC_SEGWIT),
    (f"tips -> {BTC_SEGWIT_SCRIPT}", BTC_SEGWIT_SCRIPT),
    (f"<td>{BTC_TAPROOT}</td>", BTC_TAPROOT),
    (f"QR: bitcoin:{BTC_SEGWIT.upper()}?amount=0.01", BTC_SEGWIT.upper()),  # upper case, as QR codes write it
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),  # BIP-173
    ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
     "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"),  # BIP-350
    # Ethereum: EIP-55 mixed case anywhere, one case only next to a context word
    (f"{ETH_CHECKSUMMED}", ETH_CHECKSUMMED),
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed is EIP-55's example", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
    (f'  "payee": "{ETH_CHECKSUMMED}",', ETH_CHECKSUMMED),
    (f"send ETH to {ETH_LOWER} thanks!", ETH_LOWER),
    (f"My wallet: {ETH_LOWER.upper().replace('0X', '0x')}", ETH_LOWER.upper().replace("0X", "0x")),
    (f"donate (erc20 / usdt): {ETH_LOWER}", ETH_LOWER),
]


@pytest.mark.parametrize(("text", "covered"), WALLETS_FOUND)
def test_recognizers_crypto_wallet_found(text: str, covered: str) -> None:
    assert ("CRYPTO_WALLET", covered) in wallets_found(text)


WALLETS_NOT_FOUND = [
    # a checksum off by one character, base58 and bech32 runs failing theirs
    f"BTC: {GENESIS[:-1]}b",
    f"BTC: {BTC_SEGWIT[:-1]}{'q' if BTC_SEGWIT[-1] != 'q' else 'p'}",
    "BTC: 1BoatSLRHtKNngkdXEeobR76b53LETtpyT1",  # 35 characters of a random run, no checksum
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
    # bech32 (not bech32m) checksum on a Taproot address (BIP-350's invalid vector), mixed case
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    "bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    # an EIP-55 address with one letter's case flipped
    "0x5aAeb6053f3E94C9b9A09f33669435E7Ef1BeAed",
    # one-case hex without a context word: a bytes20 constant, a digest
    f"commit {ETH_LOWER}",
    # git SHAs and digests without 0x, transaction hashes (64 hex), short constants
    f"git checkout {ETH_LOWER[2:]}",
    f"send ETH, wallet tx 0x{_WALLET_RNG.randbytes(32).hex()}",
    "mask = 0xFFFFFFFF; flags |= 0x80000000",
    "sha256 3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c3f2a1b4c5d6e7f8091a2b3c4",
    # typed placeholders and burn addresses
    "send ETH to 0x0000000000000000000000000000000000000000",
    "wallet address 0x1234567890abcdef1234567890abcdef12345678",
    "burn address 0x000000000000000000000000000000000000dEaD",
    "1111111111111111111114oLvT2 (the all-zero hash)",
]


@pytest.mark.parametrize("text", WALLETS_NOT_FOUND)
def test_recognizers_crypto_wallet_kept(text: str) -> None:
    assert [c for e, c in wallets_found(text) if e == "CRYPTO_WALLET"] == []


def test_recognizers_crypto_wallet_in_solidity_is_taken() -> None:
    """Solidity requires checksummed address literals: a contract's constant is an address too."""
    code = (f"address constant OWNER = {ETH_CHECKSUMMED};\n"
            "IERC20 usdt = IERC20(0xdAC17F958D2ee523a2206206994597C13D831ec7);")
    assert [c for e, c in wallets_found(code) if e == "CRYPTO_WALLET"] == [
        ETH_CHECKSUMMED, "0xdAC17F958D2ee523a2206206994597C13D831ec7"]


def test_recognizers_crypto_wallet_redacted_as_wallet(tmp_path: Path) -> None:
    """What a user reads after enabling CRYPTO_WALLET: both addresses replaced by the WALLET token,
    the git SHA in the same line left as it was."""
    config = tmp_path / "wallets.yaml"
    entities = ", ".join([*load_rules(default_rules_dir() / "detect").default_entities, "CRYPTO_WALLET"])
    config.write_text(f"pipeline:\n  - detect: {{mode: fast, entities: [{entities}]}}\n  - transform\n",
                      encoding="utf-8")
    text = f"Tips: BTC {BTC_SEGWIT}, ETH {ETH_CHECKSUMMED} (fix in {ETH_LOWER[2:]})"
    out = load_pipeline(config)({"text": [text]})["text"][0]
    assert out == f"Tips: BTC <WALLET>, ETH <WALLET> (fix in {ETH_LOWER[2:]})"


def test_recognizers_crypto_wallet_off_by_default() -> None:
    """Off by default (its scans cost ~3% of fast-mode detection): the default stage keeps them."""
    text = f"Tips: BTC {BTC_SEGWIT}, ETH {ETH_CHECKSUMMED}, {GENESIS}"
    assert [e for e, _ in found(text) if e == "CRYPTO_WALLET"] == []

"""Provider keys measured missing against the secret scanners' labelled examples (gitleaks,
detect-secrets, trufflehog; benchmarks/RESULTS-detection.md) are found with their exact span, and
what only looks like them — masked and typed samples, digests, code around a secret word's key,
counts named with a secret word — is kept.

Every token here is made up: a documented prefix and shape with a seeded random body, or (age) built
by the test with its checksum; none is a live credential.
"""

from __future__ import annotations

import random
import string

import pytest

from scrubber.checksums import bech32_valid
from scrubber.detect.validators import age_secret_key, key_id_unmasked
from tests.detect_helpers import found

_RNG = random.Random(20261129)
_ALNUM = string.ascii_letters + string.digits
_B64URL = _ALNUM + "-_"
_B64 = _ALNUM + "+/"
_HEX = "0123456789abcdef"


def _rand(size: int, alphabet: str = _ALNUM) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(size))


# -- age identities: bech32 with the hrp `age-secret-key-` (BIP-173), built here ----------------------
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values: list[int]) -> int:
    """BIP-173's checksum, written here on purpose rather than imported from scrubber.checksums: a
    key built by the code under test would pass its check however that code were wrong."""
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def _age_key(seed: int) -> str:
    """An age identity for 32 made-up bytes: 52 five-bit groups and a valid 6-group checksum."""
    raw = random.Random(seed).randbytes(32)
    bits = int.from_bytes(raw, "big") << 4  # 256 bits padded to 260 = 52 groups
    data = [(bits >> (5 * (51 - i))) & 31 for i in range(52)]
    hrp = "age-secret-key-"
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    pm = _polymod(expanded + data + [0] * 6) ^ 1
    check = [(pm >> (5 * (5 - i))) & 31 for i in range(6)]
    return (hrp + "1" + "".join(_BECH32[d] for d in data + check)).upper()


AGE_KEY = _age_key(7)
HEROKU_KEY = "HRKU-AA" + _rand(58, _B64URL)
PULUMI_TOKEN = "pul-" + _rand(40, _HEX)
MAILCHIMP_KEY = _rand(32, _HEX) + "-us21"
NOTION_TOKEN = "ntn_" + _rand(11, string.digits) + _rand(35)
SOURCEGRAPH_TOKEN = "sgp_" + _rand(40, _HEX)
SOURCEGRAPH_INSTANCE = "sgp_" + _rand(16, _HEX) + "_" + _rand(40, _HEX + "ABCDEF")
SOURCEGRAPH_LOCAL = "sgp_local_" + _rand(40, _HEX)
ONEPASSWORD_TOKEN = "ops_eyJ" + _rand(600, _B64) + "=="
AZURE_SECRET = _rand(3) + "8Q~" + _rand(34, _ALNUM + "_~.-")
OPENSHIFT_TOKEN = "sha256~" + _rand(43, _B64URL)
HF_ORG_TOKEN = "api_org_" + _rand(34, string.ascii_letters)
OPENAI_PROJECT_SHORT = "sk-proj-" + _rand(20) + "T3BlbkFJ" + _rand(20)
GITLAB_SCIM = "glsoat-" + _rand(20, _B64URL)
GITLAB_JOB = "glcbt-" + _rand(5, _HEX) + "_" + _rand(20, _B64URL)
GITLAB_ROUTABLE = "glpat-" + _rand(27, _B64URL) + "." + _rand(9, string.ascii_lowercase + string.digits)
GITLAB_AGENT = "glagent-" + _rand(50, _B64URL)
SLACK_APP = "xapp-1-A0" + _rand(9, string.ascii_uppercase + string.digits) + "-" + _rand(13, string.digits) + "-" \
    + _rand(64, _HEX)
SLACK_CONFIG = "xoxe.xoxp-1-" + _rand(150)
ALIBABA_ID = "LTAI" + _rand(20)
ALIBABA_ID_SHORT = "LTAI" + _rand(12)
TEAMS_WEBHOOK = ("https://contoso.webhook.office.com/webhookb2/" + _rand(8, _HEX) + "-" + _rand(4, _HEX) + "-"
                 + _rand(4, _HEX) + "-" + _rand(4, _HEX) + "-" + _rand(12, _HEX) + "@" + _rand(8, _HEX) + "-"
                 + _rand(4, _HEX) + "-" + _rand(4, _HEX) + "-" + _rand(4, _HEX) + "-" + _rand(12, _HEX)
                 + "/IncomingWebhook/" + _rand(32, _HEX) + "/" + _rand(8, _HEX) + "-" + _rand(4, _HEX) + "-"
                 + _rand(4, _HEX) + "-" + _rand(4, _HEX) + "-" + _rand(12, _HEX))
SLACK_WORKFLOW = "https://hooks.slack.com/workflows/T0" + _rand(8, string.ascii_uppercase + string.digits) + "/A0" \
    + _rand(8, string.ascii_uppercase + string.digits) + "/" + _rand(18, string.digits) + "/" + _rand(24)

FOUND = [
    # (text, entity, the exact covered text)
    (f"HEROKU_API_KEY={HEROKU_KEY}", "GENERIC_SECRET", HEROKU_KEY),
    (f"heroku config: {HEROKU_KEY}", "GENERIC_SECRET", HEROKU_KEY),
    (f"# created: 2024-05-01\n# public key: age1qz...\n{AGE_KEY}\n", "GENERIC_SECRET", AGE_KEY),
    (f"SOPS_AGE_KEY={AGE_KEY}", "GENERIC_SECRET", AGE_KEY),
    (f"pulumi login with {PULUMI_TOKEN} today", "GENERIC_SECRET", PULUMI_TOKEN),
    (f"mailchimp.setConfig({{apiKey: '{MAILCHIMP_KEY}', server: 'us21'}})", "GENERIC_SECRET", MAILCHIMP_KEY),
    (f"MC key {MAILCHIMP_KEY}.", "GENERIC_SECRET", MAILCHIMP_KEY),
    (f"const notion = new Client({{ auth: '{NOTION_TOKEN}' }})", "GENERIC_SECRET", NOTION_TOKEN),
    (f"src login with {SOURCEGRAPH_TOKEN}", "GENERIC_SECRET", SOURCEGRAPH_TOKEN),
    (f"SRC_ACCESS_TOKEN={SOURCEGRAPH_INSTANCE}", "GENERIC_SECRET", SOURCEGRAPH_INSTANCE),
    (f"token {SOURCEGRAPH_LOCAL} for dev", "GENERIC_SECRET", SOURCEGRAPH_LOCAL),
    (f"export OP_SERVICE_ACCOUNT_TOKEN={ONEPASSWORD_TOKEN}", "GENERIC_SECRET", ONEPASSWORD_TOKEN),
    # Azure AD client secrets: the `Q~` marker, in markup, PowerShell, JSON and prose
    (f'<value xsi:type="xsd:string">{AZURE_SECRET}</value>', "GENERIC_SECRET", AZURE_SECRET),
    (f"Connect-AzAccount -ServicePrincipal -ClientSecret '{AZURE_SECRET}' -Tenant t", "GENERIC_SECRET",
     AZURE_SECRET),
    (f'{{"the_value": "{AZURE_SECRET}"}}', "GENERIC_SECRET", AZURE_SECRET),
    (f"the app secret is {AZURE_SECRET} (expires in June)", "GENERIC_SECRET", AZURE_SECRET),
    (f'alibabaKey := "{ALIBABA_ID}"', "GENERIC_SECRET", ALIBABA_ID),
    (f"ALIBABA_CLOUD_ACCESS_KEY_ID={ALIBABA_ID_SHORT}", "GENERIC_SECRET", ALIBABA_ID_SHORT),
    (f"curl -H 'Content-Type: application/json' -d @msg.json {TEAMS_WEBHOOK}", "GENERIC_SECRET", TEAMS_WEBHOOK),
    (f"oc login --token={OPENSHIFT_TOKEN} --server=https://api.c1.example.org:6443", "GENERIC_SECRET",
     OPENSHIFT_TOKEN),
    # new forms of providers already read
    (f"os.environ['HF_TOKEN'] = '{HF_ORG_TOKEN}'", "HUGGINGFACE_TOKEN", HF_ORG_TOKEN),
    (f"key {HF_ORG_TOKEN}", "HUGGINGFACE_TOKEN", HF_ORG_TOKEN),
    (f"client = OpenAI(api_key='{OPENAI_PROJECT_SHORT}')", "OPENAI_API_KEY", OPENAI_PROJECT_SHORT),
    (f"scim {GITLAB_SCIM} x", "GITLAB_TOKEN", GITLAB_SCIM),
    (f"CI_JOB_TOKEN {GITLAB_JOB}", "GITLAB_TOKEN", GITLAB_JOB),
    (f"use {GITLAB_ROUTABLE} now", "GITLAB_TOKEN", GITLAB_ROUTABLE),
    (f"agent token: {GITLAB_AGENT}", "GITLAB_TOKEN", GITLAB_AGENT),
    (f"SLACK_APP_TOKEN={SLACK_APP}", "SLACK_TOKEN", SLACK_APP),
    (f"config token {SLACK_CONFIG}", "SLACK_TOKEN", SLACK_CONFIG),
    (f"curl -X POST {SLACK_WORKFLOW} -d '{{}}'", "SLACK_TOKEN", SLACK_WORKFLOW),
    # redis.conf: `requirepass` / `masterauth` and a value separated by spaces; redis-cli's CONFIG SET
    ("bind 127.0.0.1\nrequirepass Tr0ub4dor-redis\nmaxmemory 2gb\n", "PASSWORD", "Tr0ub4dor-redis"),
    ("requirepass s3cr3tRedis99\nmasterauth s3cr3tRedis99\n", "PASSWORD", "s3cr3tRedis99"),
    ('  requirepass "hunter2 but longer"  # set 2024-05', "PASSWORD", "hunter2 but longer"),
    ("# requirepass correcthorse\n", "PASSWORD", "correcthorse"),
    ("redis-cli CONFIG SET requirepass tr0ub4dor", "PASSWORD", "tr0ub4dor"),
]


@pytest.mark.parametrize(("text", "entity", "covered"), FOUND)
def test_provider_secrets_are_found(text: str, entity: str, covered: str) -> None:
    assert (entity, covered) in found(text)


def test_provider_secrets_masterauth_beside_requirepass_is_found_too() -> None:
    spans = found("requirepass s3cr3tRedis99\nmasterauth replicaPw-42\n")
    assert ("PASSWORD", "replicaPw-42") in spans and ("PASSWORD", "s3cr3tRedis99") in spans


KEPT = [
    # age: made-up keys fail the bech32 checksum
    "AGE-SECRET-KEY-1" + "Q" * 58,
    AGE_KEY[:-1] + ("Q" if AGE_KEY[-1] != "Q" else "P"),
    # masked and typed samples of the providers' formats
    "HRKU-AA" + "x" * 58,
    "pul-" + "0" * 40,
    "sgp_" + "x" * 40,
    "api_org_" + "X" * 34,
    "sha256~" + "X" * 43,
    "ntn_" + "1" * 11 + "x" * 35,
    # Mailchimp's shape needs 32 hex and `-us` with its number
    _rand(32, _HEX) + "-usa",
    _rand(31, _HEX) + "-us1",
    "sha1 " + _rand(32, _HEX) + "-user",
    # `Q~` and `sha256~` not in their formats: home paths, digests, regexes, prose
    "cd ~/Q~backup && ls",
    "see 8Q~ here",
    "image@sha256:" + _rand(64, _HEX),
    r"regex = '[\w~.]{3}\dQ~[\w~.-]{31,34}'",
    "sha256~short",
    # `LTAI`: a word, a masked id, a wrong length
    "ALTAIR and LTAIxxxxxxxxxxxxxxxxxxxx",
    "LTAI" + _rand(16),
    # a Teams webhook's layout with its ids elided
    "https://contoso.webhook.office.com/webhookb2/<group-id>@<tenant-id>/IncomingWebhook/<id>/<uuid>",
    # `pul-`: a word, not 40 hex
    "git pul-request-template",
    # redis: its own sample, placeholders, metavariables, variables, prose
    "# requirepass foobared",
    "requirepass PASSWORD",
    "requirepass $REDIS_PASSWORD",
    "requirepass ${REDIS_PASSWORD}",
    "requirepass <password>",
    "You can set requirepass in redis.conf to protect the instance.",
    "the requirepass directive sets the password",
]


@pytest.mark.parametrize("text", KEPT)
def test_provider_secrets_look_alikes_are_kept(text: str) -> None:
    assert [(e, c) for e, c in found(text) if e not in ("PERSON", "USERNAME")] == []


# -- what a secret word's key says about the secret, and code after it, is no secret ----------------
CODE_KEPT = [
    "resp = client.chat.completions.create(model=m, messages=msgs, max_tokens=1024)",
    '{"usage": {"prompt_tokens": 53, "completion_tokens": 1200, "total_tokens": 1253}}',
    "const maxSecretSize = 5000",
    "token_ttl: 3600",
    "    secret_type = 'GitHub Token'",
    '{"access_token_type": "bearer", "token_type": "Bearer"}',
    "permissions:\n  contents: read\n  id-token: \"write\"\n",
    "\t\t\tSessionToken:  *s3ScanSessionToken,",
    "\t\tconnection.Credential = &sourcespb.GCS_Adc{}",
    "\ttoken := textinputs.InputConfig{",
    'req, _ := http.NewRequest("GET", "https://api.example.org/v1/acts?token="+key+"&limit=1", nil)',
    'payload := strings.NewReader(`{"client_secret":"` + secret + `"}`)',
    "string_to_sign = 'Credential=' + access_key + '/' + scope",
    "entry_points={'console_scripts': ['detect-secrets = detect_secrets.main:main']}",
    'command = append(command, "--token="+inputs["token"])',
    'b.WriteString("&oauth_token=" + url.QueryEscape(params["oauth_token"]))',
    # labels naming the secret: letters-only words, one of them a secret word
    '\tAPIKey   = "API-Key"',
    'tokenInfo = "Unknown Token Type"',
    'TokensBasic: "tokens.basic",',
    "valid_secrets = {'PrivateKeyDetector': 'BEGIN PRIVATE KEY'}",
    'SECRET_KEY = "my-secret-key"',
]


@pytest.mark.parametrize("text", CODE_KEPT)
def test_provider_secrets_keys_about_a_secret_and_code_are_kept(text: str) -> None:
    assert [(e, c) for e, c in found(text) if e == "PASSWORD"] == []


@pytest.mark.parametrize(("text", "covered"), [
    ("secret_key = 12345678", "12345678"),          # a number under a key ending in its secret word
    ("DB_PASSWORD=20241130", "20241130"),
    ("password = *hunter2x", "*hunter2x"),          # a `*` before no code name
    ("password=Passw0rd{", "Passw0rd{"),            # `{` after no type's name
    ('API_TOKENS="xK9pL2mQ8vR4"', "xK9pL2mQ8vR4"),   # quoted: a literal, whatever the key
    ('password: "MyPassword"', "MyPassword"),        # a secret word inside a word is no label
    ('PASSWORD="Summer Breeze"', "Summer Breeze"),   # words, none a secret word
])
def test_provider_secrets_near_misses_of_the_code_rules_are_still_found(text: str, covered: str) -> None:
    assert ("PASSWORD", covered) in found(text)


# -- validators -------------------------------------------------------------------------------------
def test_provider_secrets_age_checksum() -> None:
    assert age_secret_key(AGE_KEY) and bech32_valid(AGE_KEY, "age-secret-key-")
    assert bech32_valid(AGE_KEY.lower(), "age-secret-key-")
    assert not age_secret_key("AGE-SECRET-KEY-1" + "Q" * 58)
    assert not bech32_valid(AGE_KEY, "age-public-key-")            # another hrp
    assert not bech32_valid(AGE_KEY[:20] + AGE_KEY[20:].lower(), "age-secret-key-")  # mixed case


@pytest.mark.parametrize(("value", "ok"), [
    ("AKIA" + "XXXXXXXXXXXXXXXX", False),   # masked
    ("AKIA" + "ABCDEFGHIJKLMNOP", False),   # typed in order
    ("AKIAIOSFODNN7EXAMPL3", True),
    ("AKIA" + "QWERTZUIOPLKJHGF", True),    # no digit: one random id in 28 has none
])
def test_provider_secrets_aws_key_id_unmasked(value: str, ok: bool) -> None:
    assert key_id_unmasked(value) is ok

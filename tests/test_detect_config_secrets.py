"""Secrets in the credential files of common tools — Kubernetes Secret manifests, ``.netrc``, Docker's
``config.json``, Apple property lists — are found; their placeholders and look-alikes stay."""

from __future__ import annotations

import base64

import pytest

from tests.detect_helpers import found


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _passwords(text: str) -> list[str]:
    return [covered for entity, covered in found(text) if entity == "PASSWORD"]


# -- Kubernetes Secret manifests ------------------------------------------------------------------
SECRET_KIND_FIRST = f"""apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: prod
type: Opaque
data:
  username: {_b64("appuser")}
  password: {_b64("Xk9-pl2q!")}
  tls.key: {_b64("-----BEGIN PRIVATE KEY-----")}
stringData:
  DB_PASSWORD: "s3cr3t"
  smtp-login: mailer
  webhook: 'correct horse'
"""

#: `kubectl get secret -o yaml` writes the keys in alphabetical order: `data` before `kind`.
SECRET_KUBECTL_ORDER = f"""apiVersion: v1
data:
  .dockerconfigjson: {_b64('{"auths":{"registry.acme.io":{"auth":"' + _b64("bot:Zq81kLm0Pw") + '"}}}')}
  api-token: {_b64("tok_8f2Kq9ZxLw3m")}
immutable: true
kind: Secret
metadata:
  creationTimestamp: "2024-01-05T10:00:00Z"
  name: regcred
type: kubernetes.io/dockerconfigjson
"""


@pytest.mark.parametrize(
    ("manifest", "values"),
    [
        (SECRET_KIND_FIRST, [_b64("appuser"), _b64("Xk9-pl2q!"), _b64("-----BEGIN PRIVATE KEY-----"),
                             "s3cr3t", "mailer", "correct horse"]),
        (SECRET_KUBECTL_ORDER, [
            _b64('{"auths":{"registry.acme.io":{"auth":"' + _b64("bot:Zq81kLm0Pw") + '"}}}'),
            _b64("tok_8f2Kq9ZxLw3m")]),
    ],
    ids=["kind-first", "kubectl-order"],
)
def test_config_secrets_every_value_of_a_kubernetes_secret(manifest: str, values: list[str]) -> None:
    """A Secret's `data` (base64) and `stringData` (plain) values are secrets whatever their keys
    are called; metadata, type and the keys themselves stay."""
    found_values = _passwords(manifest)
    assert sorted(found_values) == sorted(values)


SECRET_PLACEHOLDERS = f"""apiVersion: v1
kind: Secret
metadata:
  name: app
data:
  default-user: {_b64("admin")}
  bootstrap: {_b64("changeme")}
  empty: ""
  tls.crt: {_b64("-----BEGIN CERTIFICATE-----")}
  ca.crt: {_b64("-----BEGIN CERTIFICATE-----")}
stringData:
  DB_PASSWORD: ${{DB_PASSWORD}}
  API_TOKEN: "<your-token>"
  helm: {{{{ .Values.password | b64enc | quote }}}}
"""


def test_config_secrets_kubernetes_placeholders_and_certificates_stay() -> None:
    """Placeholders (decoded from base64 too: `admin`, `changeme`), template expressions and
    certificates (public by design) are not secrets."""
    assert _passwords(SECRET_PLACEHOLDERS) == []


CONFIG_MAP_NEXT_TO_SECRET = f"""apiVersion: v1
kind: Secret
metadata:
  name: app
data:
  password: {_b64("Xk9-pl2q!")}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  LOG_LEVEL: debug
  APP_MODE: production
  FEATURE_FLAGS: search,export
"""


def test_config_secrets_a_config_map_is_no_secret() -> None:
    """`data:` of a ConfigMap (another document of the same file, or alone) is configuration."""
    assert _passwords(CONFIG_MAP_NEXT_TO_SECRET) == [_b64("Xk9-pl2q!")]
    config_map = CONFIG_MAP_NEXT_TO_SECRET.split("---\n")[1]
    assert _passwords(config_map) == []
    # the ConfigMap first, then the Secret: still only the Secret's value
    swapped = config_map + "---\n" + CONFIG_MAP_NEXT_TO_SECRET.split("---\n")[0]
    assert _passwords(swapped) == [_b64("Xk9-pl2q!")]


def test_config_secrets_kubernetes_secret_never_reaches_the_next_document() -> None:
    """A `kind: Secret` line ending one document of a batch says nothing about the `data:` block
    opening the next (documents are joined with a separator no pattern crosses)."""
    from scrubber.records import Batch
    from tests.detect_helpers import stage

    first = "apiVersion: v1\nkind: Secret\n"
    second = "data:\n  LOG_LEVEL: debugging\n"
    spans = stage("fast").run(Batch({"text": [first, second, first + second]})).spans()
    assert spans[0] == [] and spans[1] == []
    assert len(spans[2]) == 1  # the same text in one document is one Secret


# -- .netrc ----------------------------------------------------------------------------------------
NETRC_FOUND = [
    ("machine api.heroku.com login me@corp.io password 8f2Kq9ZxLw3m\n", "8f2Kq9ZxLw3m"),
    ("machine github.com login octocat password hunterlily", "hunterlily"),
    ("machine ftp.acme-corp.com\n  login anonymous\n  password s3cr3tpw\n", "s3cr3tpw"),
    ("machine 10.0.4.17 login deploy account ops password Tr0ub4dor", "Tr0ub4dor"),
]


@pytest.mark.parametrize(("text", "covered"), NETRC_FOUND)
def test_config_secrets_netrc_password(text: str, covered: str) -> None:
    assert ("PASSWORD", covered) in found(text)


NETRC_NOT_FOUND = [
    "machine example.com login USERNAME password PASSWORD",  # metavariables of a manual
    "machine api.github.com login <user> password <token>",
    "machine api.acme.io login me password $GITHUB_TOKEN",
    "The machine is password protected",  # prose: no host, no login
    "the machine learning login password reset flow",
    "machine github.com login octocat password",  # no value
]


@pytest.mark.parametrize("text", NETRC_NOT_FOUND)
def test_config_secrets_netrc_placeholders_and_prose_stay(text: str) -> None:
    assert _passwords(text) == []


# -- Docker config.json ----------------------------------------------------------------------------
DOCKER_AUTH = _b64("deploy:Xk9pl2qZ81")
DOCKER_FOUND = [
    f'{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{DOCKER_AUTH}"}}}}}}',
    f'{{\n  "auths": {{\n    "ghcr.io": {{\n      "auth": "{DOCKER_AUTH}",\n      "email": "x"\n    }}\n  }}\n}}',
]


@pytest.mark.parametrize("text", DOCKER_FOUND)
def test_config_secrets_docker_auth(text: str) -> None:
    assert ("PASSWORD", DOCKER_AUTH) in found(text)


DOCKER_NOT_FOUND = [
    '{"auths": {"ghcr.io": {"auth": ""}}}',  # a credential helper holds it
    f'{{"auths": {{"ghcr.io": {{"auth": "{_b64("username:password")}"}}}}}}',  # the documented placeholder
    f'{{"auth": "{_b64("hello world")}"}}',  # base64, but no user:password
    '{"auth": "bearer"}',
    '{"auth": "required", "mode": "strict"}',
]


@pytest.mark.parametrize("text", DOCKER_NOT_FOUND)
def test_config_secrets_docker_auth_placeholders_stay(text: str) -> None:
    assert _passwords(text) == []


# -- Apple property lists --------------------------------------------------------------------------
PLIST_FOUND = [
    ("<key>Password</key>\n<string>hunter2x</string>", "hunter2x"),
    ("<dict>\n\t<key>Password</key>\n\t<string>correct horse</string>\n</dict>", "correct horse"),
    ("<key>APIToken</key><string>8f2Kq9ZxLw3m</string>", "8f2Kq9ZxLw3m"),
    ("<key>apiKey</key>\n  <string>Zq81kLm0Pw</string>", "Zq81kLm0Pw"),
]


@pytest.mark.parametrize(("text", "covered"), PLIST_FOUND)
def test_config_secrets_plist_pair(text: str, covered: str) -> None:
    assert ("PASSWORD", covered) in found(text)


PLIST_NOT_FOUND = [
    "<key>PasswordRequired</key>\n<true/>",
    "<key>Password</key>\n<string></string>",
    "<key>Password</key>\n<string>${PASSWORD}</string>",
    "<key>PasswordHint</key>\n<string>my dog</string>",  # the key does not end in the secret word
    "<key>Password</key>\n<string>Enter your password</string>",
    "<key>Password</key>\n<integer>12</integer>",
]


@pytest.mark.parametrize("text", PLIST_NOT_FOUND)
def test_config_secrets_plist_placeholders_stay(text: str) -> None:
    assert _passwords(text) == []


# -- JSON Secrets and Secrets in a List ------------------------------------------------------------
#: `kubectl get secret -o json`: keys sorted, `data` before `kind`, four-space indentation.
SECRET_JSON_KUBECTL = f"""{{
    "apiVersion": "v1",
    "data": {{
        "password": "{_b64("Xk9-pl2q!")}",
        "username": "{_b64("appuser")}"
    }},
    "kind": "Secret",
    "metadata": {{
        "name": "db-credentials",
        "namespace": "prod"
    }},
    "type": "Opaque"
}}
"""
#: Written by hand (or by a client library): `kind` first, metadata between it and `data`.
SECRET_JSON_KIND_FIRST = (
    '{"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "api", "labels": {"app": "web"}},'
    ' "type": "Opaque", "stringData": {"api-token": "tok_8f2Kq9ZxLw3m", "smtp": "correct horse"}}'
)
#: `kubectl get secrets -o yaml`: a `kind: List` whose items are Secrets (indented two spaces).
SECRET_LIST_YAML = f"""apiVersion: v1
items:
- apiVersion: v1
  data:
    password: {_b64("Xk9-pl2q!")}
    username: {_b64("appuser")}
  kind: Secret
  metadata:
    name: db
  type: Opaque
- apiVersion: v1
  data:
    LOG_LEVEL: {_b64("debugging")}
  kind: ConfigMap
  metadata:
    name: app-config
kind: List
metadata:
  resourceVersion: ""
"""
#: `kubectl get secrets -o json`: the same List as JSON.
SECRET_LIST_JSON = (
    '{"apiVersion": "v1", "items": [{"apiVersion": "v1", "data": {"password": "'
    + _b64("Xk9-pl2q!") + '", "username": "' + _b64("appuser") + '"},'
    ' "kind": "Secret", "metadata": {"name": "db"}, "type": "Opaque"},'
    ' {"apiVersion": "v1", "data": {"LOG_LEVEL": "debugging"}, "kind": "ConfigMap",'
    ' "metadata": {"name": "app-config"}}], "kind": "List", "metadata": {"resourceVersion": ""}}'
)


@pytest.mark.parametrize(
    ("manifest", "values"),
    [
        (SECRET_JSON_KUBECTL, [_b64("Xk9-pl2q!"), _b64("appuser")]),
        (SECRET_JSON_KIND_FIRST, ["tok_8f2Kq9ZxLw3m", "correct horse"]),
        (SECRET_LIST_YAML, [_b64("Xk9-pl2q!"), _b64("appuser")]),
        (SECRET_LIST_JSON, [_b64("Xk9-pl2q!"), _b64("appuser")]),
    ],
    ids=["json-kubectl", "json-kind-first", "list-yaml", "list-json"],
)
def test_config_secrets_kubernetes_secret_as_json_and_in_a_list(manifest: str, values: list[str]) -> None:
    """`kubectl get secret -o json` and Lists of Secrets (`kubectl get secrets -o yaml`) hold the same
    values as a YAML manifest; a ConfigMap item of the same List stays."""
    assert sorted(_passwords(manifest)) == sorted(values)


SECRET_JSON_PLACEHOLDERS = (
    '{"apiVersion": "v1", "data": {"user": "' + _b64("admin") + '", "bootstrap": "' + _b64("changeme")
    + '", "tls.crt": "' + _b64("-----BEGIN CERTIFICATE-----") + '", "empty": ""}, "kind": "Secret"}'
)
CONFIG_MAP_JSON = (
    '{"apiVersion": "v1", "data": {"LOG_LEVEL": "debugging", "APP_MODE": "production"},'
    ' "kind": "ConfigMap", "metadata": {"name": "app-config"}}'
)


#: An event naming a Secret: its `"kind": "Secret"` is inside `involvedObject`, the `data` is not.
EVENT_ABOUT_A_SECRET = (
    '{"involvedObject": {"kind": "Secret", "name": "db"}, "reason": "Synced",'
    ' "data": {"checksum": "' + _b64("Xk9-pl2q!") + '"}}'
)


@pytest.mark.parametrize("text", [SECRET_JSON_PLACEHOLDERS, CONFIG_MAP_JSON, EVENT_ABOUT_A_SECRET],
                         ids=["json-placeholders", "json-config-map", "json-event"])
def test_config_secrets_kubernetes_json_placeholders_and_config_maps_stay(text: str) -> None:
    assert _passwords(text) == []


# -- JSON Secrets whose strings hold `\` escapes (k8s_secret_v3; v2 stopped at the `\`) -------------
#: base64 holding `/`, written `\/` (PHP's json_encode, some Java serializers escape every `/`).
_SLASHED = _b64("Xk9-pl2q?").replace("/", "\\/")
assert "\\/" in _SLASHED
SECRET_JSON_ESCAPED_DATA = (
    '{"apiVersion": "v1", "data": {"tls.key": "' + _SLASHED + '", "api-token": "' + _b64("tok_8f2Kq9ZxLw3m")
    + '"}, "kind": "Secret", "metadata": {"name": "db"}}'
)
#: stringData values holding `\"` and `\n` (a config file), kind first, an annotation holding
#: escaped JSON in metadata between `kind` and `stringData` (kubectl's last-applied-configuration).
SECRET_JSON_ESCAPED_STRING_DATA = (
    '{"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "app", "annotations": {'
    '"kubectl.kubernetes.io/last-applied-configuration": "{\\"apiVersion\\":\\"v1\\"}\\n"}},'
    ' "stringData": {"app.ini": "[db]\\nuser = \\"svc\\"\\npass = Zq81kLm0", "webhook": "C:\\\\",'
    ' "smtp": "correct \\"horse\\" staple"}}'
)
#: A YAML double-quoted value with escapes is read whole too.
SECRET_YAML_ESCAPED = 'apiVersion: v1\nkind: Secret\nstringData:\n  app.ini: "user = \\"svc\\"\\npass = Zq81kLm0"\n'


@pytest.mark.parametrize(
    ("manifest", "values"),
    [
        (SECRET_JSON_ESCAPED_DATA, [_SLASHED, _b64("tok_8f2Kq9ZxLw3m")]),
        (SECRET_JSON_ESCAPED_STRING_DATA, ['[db]\\nuser = \\"svc\\"\\npass = Zq81kLm0',
                                           'correct \\"horse\\" staple']),
        (SECRET_YAML_ESCAPED, ['user = \\"svc\\"\\npass = Zq81kLm0']),
    ],
    ids=["json-escaped-slash", "json-escaped-string-data", "yaml-escaped"],
)
def test_config_secrets_kubernetes_values_with_escapes(manifest: str, values: list[str]) -> None:
    """Every value is covered whole, escapes included, and so are the entries after it; `C:\\\\`
    (an escaped backslash ending a value) is a path, kept, and does not end the object early."""
    assert sorted(_passwords(manifest)) == sorted(values)


ESCAPED_LOOKALIKES = [
    # a ConfigMap's escaped values are configuration
    '{"apiVersion": "v1", "data": {"LOG": "a\\/b", "MOTD": "say \\"hi\\"\\n"}, "kind": "ConfigMap"}',
    # an event naming a Secret: its data is not the Secret's
    '{"involvedObject": {"kind": "Secret", "name": "db"}, "reason": "Synced",'
    ' "data": {"note": "rotated \\"db\\" at 10:00"}}',
]


@pytest.mark.parametrize("text", ESCAPED_LOOKALIKES, ids=["config-map", "event"])
def test_config_secrets_kubernetes_escaped_lookalikes_stay(text: str) -> None:
    assert _passwords(text) == []


def test_config_secrets_kubernetes_escaped_placeholders_stay() -> None:
    """Placeholders are judged unescaped: Go's encoder writes `<your-token>` as `\\u003cyour-token\\u003e`,
    and `YWRtaW4\\u003d` is base64 of `admin`; the secret after them in the object is found."""
    text = ('{"data": {"a": "YWRtaW4\\u003d", "b": "\\u003cyour-token\\u003e", "c": "' + _b64("Xk9-pl2q!")
            + '"}, "kind": "Secret"}')
    assert _passwords(text) == [_b64("Xk9-pl2q!")]


def test_config_secrets_kubernetes_list_config_map_item_stays_either_order() -> None:
    """A ConfigMap item is configuration before the Secret item as after it."""
    items = SECRET_LIST_YAML.split("- apiVersion: v1\n")
    assert len(items) == 3
    swapped = items[0] + "- apiVersion: v1\n" + items[2].replace("kind: List", "") + "- apiVersion: v1\n" + items[1]
    assert "LOG_LEVEL" in swapped.split("kind: Secret")[0]
    assert sorted(_passwords(swapped)) == sorted([_b64("Xk9-pl2q!"), _b64("appuser")])


# -- .netrc: password before login, the default entry ----------------------------------------------
NETRC_MORE_FOUND = [
    ("machine api.acme.io password Tr0ub4dor login deploy\n", "Tr0ub4dor"),
    ("machine ftp.acme-corp.com\n  password s3cr3tpw\n  login backup\n", "s3cr3tpw"),
    ("machine git.acme.io login ci password Zq81kLm0Pw\ndefault password Tr0ub4dor login deploy\n", "Tr0ub4dor"),
    ("machine a.example.net login x password Zq81kLm0Pw\ndefault\n  login ops\n  password hunterlily\n",
     "hunterlily"),
]


@pytest.mark.parametrize(("text", "covered"), NETRC_MORE_FOUND)
def test_config_secrets_netrc_password_first_and_default_entry(text: str, covered: str) -> None:
    """netrc reads its tokens in any order; the `default` entry comes after the machine entries."""
    assert ("PASSWORD", covered) in found(text)


def test_config_secrets_netrc_anonymous_ftp_password_is_an_email_address() -> None:
    """Anonymous FTP asks for the user's e-mail address as password: it is found, as an e-mail."""
    assert found("default login anonymous password jane.doe@gmail.com\n") == [
        ("EMAIL_ADDRESS", "jane.doe@gmail.com")]


#: A .netrc holding only its `default` entry (no machine entry before it: v2 read none of these).
NETRC_DEFAULT_ALONE_FOUND = [
    ("default login jane password s3cr3tPa55", "s3cr3tPa55"),
    ("default login jane password s3cr3tPa55\n", "s3cr3tPa55"),
    ("default\n  login jane\n  password s3cr3tPa55\n", "s3cr3tPa55"),
    ("default password s3cr3tPa55 login jane\r\n", "s3cr3tPa55"),
    ("default login jane account ops password s3cr3tPa55\n", "s3cr3tPa55"),
    ("# ~/.netrc\ndefault  login  jane  password  s3cr3tPa55\n", "s3cr3tPa55"),
    ("default login jane password p@ssw0rd\n", "p@ssw0rd"),  # an `@` alone makes no e-mail address
]


@pytest.mark.parametrize(("text", "covered"), NETRC_DEFAULT_ALONE_FOUND)
def test_config_secrets_netrc_default_entry_alone(text: str, covered: str) -> None:
    """A file holding only `default ...` is a .netrc as much as one with machine entries first."""
    assert ("PASSWORD", covered) in found(text)


#: A `default` entry that is indented or shares its line with a machine entry whose host has no dot
#: (no netrc_machine window): v3 wanted `default` first on its line and read none of these.
NETRC_DEFAULT_PLACED_FOUND = [
    ("  default login jane password s3cr3tPa55\n", "s3cr3tPa55"),
    ("\tdefault\n\t\tlogin jane\n\t\tpassword s3cr3tPa55\n", "s3cr3tPa55"),
    ("machine backup login ops password c0rr3ctPw default login jane password s3cr3tPa55\n", "s3cr3tPa55"),
    ("machine nas login ops password c0rr3ctPw default password s3cr3tPa55 login jane\n", "s3cr3tPa55"),
    ("machine nas\n  login ops\n  password c0rr3ctPw\n  default login jane password s3cr3tPa55\n", "s3cr3tPa55"),
    ("# old entry:\n# default login jane password s3cr3tPa55\n", "s3cr3tPa55"),  # commented out: still real
]


@pytest.mark.parametrize(("text", "covered"), NETRC_DEFAULT_PLACED_FOUND)
def test_config_secrets_netrc_default_entry_indented_or_sharing_its_line(text: str, covered: str) -> None:
    """netrc reads whitespace-separated tokens: indentation and line breaks mean nothing to it."""
    assert ("PASSWORD", covered) in found(text)


#: `default` after a word of a sentence, indented or after a machine entry: no netrc token's value
#: before it on its line, so not an entry (v3 read the second after a machine entry).
NETRC_DEFAULT_IN_SENTENCES = [
    ("  by default login with password hunter2x\n", []),
    ("  - we use a default login ops password Tr0ub4dor\n", []),
    ("   --default login x password hunter2x\n", []),
    ("machine a.example.net login x password Zq81kLm0Pw\nby default login with password hunter2x\n",
     ["Zq81kLm0Pw"]),
]


@pytest.mark.parametrize(("text", "passwords"), NETRC_DEFAULT_IN_SENTENCES)
def test_config_secrets_netrc_default_in_a_sentence_stays(text: str, passwords: list[str]) -> None:
    assert _passwords(text) == passwords


#: `default`, `login` and `password` in prose, code and docs: no entry opening and ending its line.
NETRC_DEFAULT_LOOKALIKES = [
    "By default, login with your password.",
    "by default login with password hunter2x\n",  # `default` follows a word, not a netrc token's value
    "default login with password reset flow\n",  # the sentence goes on after the second value
    "Default login jane password s3cr3tPa55\n",  # netrc keywords are lower case: a sentence
    "switch (mode) {\ndefault: login(user, password);\n}\n",
    "  - default login page, password field\n",
    "default login anonymous password guest@example.com\n",  # a documentation address (e-mail rules)
]


@pytest.mark.parametrize("text", NETRC_DEFAULT_LOOKALIKES)
def test_config_secrets_netrc_default_lookalikes_stay(text: str) -> None:
    assert found(text) == []


def test_config_secrets_netrc_email_password_is_an_email_address_after_a_machine_entry_too() -> None:
    """The anonymous-FTP address is typed as an e-mail in a machine entry as in the default one."""
    assert found("machine ftp.gnu.org login anonymous password jane.doe@gmail.com\n") == [
        ("EMAIL_ADDRESS", "jane.doe@gmail.com")]


NETRC_MORE_NOT_FOUND = [
    "default login USERNAME password PASSWORD",
    "By default, login with your password.",  # prose: `default` and the words, no entry
    "the default login password is admin",  # a published default, and prose
    "default login anonymous password",  # no value
]


@pytest.mark.parametrize("text", NETRC_MORE_NOT_FOUND)
def test_config_secrets_netrc_default_placeholders_and_prose_stay(text: str) -> None:
    assert _passwords(text) == []


# -- Docker config.json: spaced colon, identity and registry tokens --------------------------------
DOCKER_MORE_FOUND = [
    (f'{{"auths": {{"ghcr.io": {{"auth" : "{DOCKER_AUTH}"}}}}}}', DOCKER_AUTH),
    (f'{{"auths": {{"ghcr.io": {{"auth"  :  "{DOCKER_AUTH}"}}}}}}', DOCKER_AUTH),
    ('{"auths": {"acr.azurecr.io": {"auth": "", "identitytoken": "Zq81kLm0Pw-8f2Kq9ZxLw3m"}}}',
     "Zq81kLm0Pw-8f2Kq9ZxLw3m"),
    ('{"auths": {"reg.io": {"registrytoken" : "8f2Kq9ZxLw3mAbc7"}}}', "8f2Kq9ZxLw3mAbc7"),
]


@pytest.mark.parametrize(("text", "covered"), DOCKER_MORE_FOUND)
def test_config_secrets_docker_spaced_colon_and_tokens(text: str, covered: str) -> None:
    assert ("PASSWORD", covered) in found(text)


@pytest.mark.parametrize("text", [
    f'{{"auths": {{"ghcr.io": {{"auth" : "{_b64("username:password")}"}}}}}}',
    '{"auth" : "required"}',
    '{"identitytoken": "<token>", "registrytoken": "${REGISTRY_TOKEN}"}',
])
def test_config_secrets_docker_spaced_placeholders_stay(text: str) -> None:
    assert _passwords(text) == []


# -- base64 placeholders under password keys --------------------------------------------------------
@pytest.mark.parametrize("text", [
    f"password: {_b64('changeme')}\n",
    f'DB_PASSWORD="{_b64("admin")}"\n',
    f"  secret: {_b64('${DB_SECRET}')}\n",
    f'{{"password": "{_b64("password")}"}}',
])
def test_config_secrets_base64_placeholder_under_a_password_key_stays(text: str) -> None:
    """`password: Y2hhbmdlbWU=` is `changeme` in base64: as much a placeholder as written plainly."""
    assert _passwords(text) == []


CREDENTIALS_JSON_B64 = _b64('{"user":"svc","pass":"Zq81kLm0"}')


@pytest.mark.parametrize(("text", "covered"), [
    (f"password: {_b64('Xk9-pl2q!')}\n", _b64("Xk9-pl2q!")),
    (f'credentials = "{CREDENTIALS_JSON_B64}"\n', CREDENTIALS_JSON_B64),  # structured: a secret whole
    ("password = 'hunter22'\n", "hunter22"),
])
def test_config_secrets_base64_secret_under_a_password_key_is_found(text: str, covered: str) -> None:
    assert ("PASSWORD", covered) in found(text)


# -- assignments inside a JSON string (escaped quotes) ---------------------------------------------
@pytest.mark.parametrize(("text", "covered"), [
    # a tool call's arguments in chat data: JSON inside a JSON string
    ('{"name": "login", "arguments": "{\\"username\\": \\"jdoe\\", \\"password\\": \\"Tr0ub4dor&3x\\"}"}',
     "Tr0ub4dor&3x"),
    ('{\\"password\\":\\"correcthorse\\"}', "correcthorse"),  # quoted: no digit needed, as unescaped
    # a notebook's source lines
    ('"source": ["db_password = \\"N0tS0Secret!2024\\"\\n"]', "N0tS0Secret!2024"),
    ('{\\"api_key\\": \\"a8f5f167f44f4964e6c998dee827110c\\"}', "a8f5f167f44f4964e6c998dee827110c"),
])
def test_config_secrets_assignment_with_escaped_quotes(text: str, covered: str) -> None:
    """Only the value is covered: the escaped quotes stay, so the string still parses."""
    assert _passwords(text) == [covered]


@pytest.mark.parametrize("text", [
    '{\\"password\\":\\"changeme\\"}',
    '{\\"password\\": \\"\\"}',
    '{\\"token\\": \\"${API_TOKEN}\\"}',
    'body = "{\\"password\\": \\"" + pw + "\\"}"',  # code building the JSON: no literal value
])
def test_config_secrets_escaped_placeholders_and_code_stay(text: str) -> None:
    assert _passwords(text) == []


# -- a user and a password passed to code as two strings (password_call_v1) ---------------------
@pytest.mark.parametrize(("text", "covered"), [
    ('r = requests.get("https://api.acme.io/users/42", auth=("mbrennan", "hunter2!Qx"))', "hunter2!Qx"),
    ("session.auth = ('jsmith', 'S3cr3t-Pa55')", "S3cr3t-Pa55"),
    ('auth = HTTPBasicAuth("jsmith", "Tr0ub4dor&3")', "Tr0ub4dor&3"),
    ('async with aiohttp.ClientSession(auth=aiohttp.BasicAuth("jsmith", "Tr0ub4dor&3")) as s:', "Tr0ub4dor&3"),
    ('server.login("me@gmail.com", "abcd efgh ijkl mnop")', "abcd efgh ijkl mnop"),  # smtplib
    ('ftp.login(user, "P@ssw0rd2024")', "P@ssw0rd2024"),  # the user as a variable
    # a notebook's source line: the quotes escaped inside a JSON string
    ('"    r = requests.get(url, auth=(\\"mbrennan\\", \\"hunter2!Qx\\"))\\n",', "hunter2!Qx"),
])
def test_config_secrets_password_passed_to_code(text: str, covered: str) -> None:
    """The password's span is the password alone: the code around it stays (the user before it is
    a USERNAME of its own, tested below)."""
    assert _passwords(text) == [covered]


@pytest.mark.parametrize("text", [
    "requests.get(url, auth=(user, password))",  # variables: no literal
    'auth=("user", "password")',  # placeholders
    'auth=("jsmith", "<password>")',
    "server.login(EMAIL, PASSWORD)",
    'client.login("jsmith", "xxxxxxxx")',
    "The author (Smith, 2020) said auth is hard.",  # prose
    'page.login("jsmith")',  # one argument: no password
])
def test_config_secrets_code_credentials_placeholders_and_variables_stay(text: str) -> None:
    assert _passwords(text) == []


# -- PHP constants (wp-config.php), base64 PEM keys, registry logins ------------------------------
@pytest.mark.parametrize(("text", "covered"), [
    ("define('DB_PASSWORD', 'xK9#mQ2$vL7pW4');", "xK9#mQ2$vL7pW4"),
    ("define( 'AUTH_KEY', 'p8#Lq!2zR@9vXw$5nT&7yU*3mK^6jH%1' );", "p8#Lq!2zR@9vXw$5nT&7yU*3mK^6jH%1"),
    ("define( 'SECURE_AUTH_SALT', 'Zq8!rT#4mK' );", "Zq8!rT#4mK"),
    ('define("API_TOKEN", "tok_9f8e7d6c5b4a");', "tok_9f8e7d6c5b4a"),
    ("docker login -u jsmith -p Dock3rP@ss registry.acme.io", "Dock3rP@ss"),
    ("helm registry login ghcr.io -u jsmith -p 'S3cr3t!x'", "S3cr3t!x"),
])
def test_config_secrets_php_constants_and_registry_logins(text: str, covered: str) -> None:
    assert _passwords(text) == [covered]


@pytest.mark.parametrize("text", [
    "define( 'DB_PASSWORD', 'password_here' );",  # wp-config-sample.php's placeholders
    "define( 'AUTH_KEY',         'put your unique phrase here' );",
    "define('DB_NAME', 'wordpress'); define('DB_USER', 'wp_admin'); define('WP_DEBUG', false);",
    "define('MY_KEY', $key);",  # no literal
    "docker login -u jsmith -p $DOCKER_PASS",
    "docker run -p 8080:80 nginx",  # -p of another command: a port
])
def test_config_secrets_php_constants_and_registry_lookalikes_stay(text: str) -> None:
    assert _passwords(text) == []


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


_KEY_PEM = ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA2bsgqfGKabcdefghijklmnopqrstuvwxyz0123456789ABCD\n"
            "-----END RSA PRIVATE KEY-----\n")
_CERT_PEM = ("-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n"
             "-----END CERTIFICATE-----\n")


def test_config_secrets_private_key_in_base64_is_found_whole_and_certificates_stay() -> None:
    """A kubeconfig's `client-key-data` holds the PEM block base64-encoded on one line: the whole
    value is the key. The certificate beside it is public."""
    kubeconfig = (f"users:\n- name: admin\n  user:\n    client-certificate-data: {_b64(_CERT_PEM)}\n"
                  f"    client-key-data: {_b64(_KEY_PEM)}\n")
    assert found(kubeconfig) == [("PRIVATE_KEY", _b64(_KEY_PEM))]
    assert found(f"TLS_CERT={_b64(_CERT_PEM)}") == []


@pytest.mark.parametrize(("text", "user"), [
    ('r = requests.get(url, auth=("mbrennan", "hunter2!Qx"))', "mbrennan"),
    ('auth = HTTPBasicAuth("jsmith", "Tr0ub4dor&3")', "jsmith"),
    ('"r = requests.get(url, auth=(\\"mbrennan\\", \\"hunter2!Qx\\"))"', "mbrennan"),
    ('auth=("admin", "S3cr3t!x9")', None),  # a service account
    ('server.login("me@gmail.com", "abcd efgh ijkl mnop")', None),  # an e-mail address: email_v2's
    ('auth=("mbrennan", password)', None),  # no literal password after it
])
def test_config_secrets_user_of_a_credential_pair_is_a_login(text: str, user: str | None) -> None:
    logins = [covered for entity, covered in found(text) if entity == "USERNAME"]
    assert logins == ([user] if user else [])


# -- names and code after a secret word's key ------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        # keys that hold a secret word take names and code as values in ML and SDK code
        "def f(state_credentials: StateCredentials, x):\n    call(state_credentials=state_credentials)",
        '"tokenizer_config_file": "tokenizer_config.json",',  # a file's name
        "old_num_tokens = self.final_logits_bias.shape[-1]",  # a subscript
        "tokens_per_expert_sum = tokens_per_expert_sum + torch.histc(x)",
        "iou_token_out = point_embedding[:, :, 0, :]",
        'tok = re.findall("token=([a-z0-9]+)", url)[0]',  # a regex's group after `token=`
        '{"input_token": "next_token", "output_token": "NextToken", "audio_token_id": "audio_token_index"}',
        "token = my_token_variable_name",
        "    password = hashedPassword\n",  # unquoted camel case inside code: a variable
        # minified JavaScript of npm packages (axios, chevrotain, socket.io) and TypeScript types
        "void 0!==s.withCredentials&&(w.withCredentials=!!s.withCredentials),m&&(w.responseType=m)",
        "function uo(t,e){return t.tokenTypeIdx===e.tokenTypeIdx}",
        "N.tokenIdxToClass[N.tokenShortNameIdx]=e,e.tokenTypeIdx=N.tokenShortNameIdx++,Nr(e)",
        'fetch(u,{headers:e,credentials:this.opts.withCredentials?"include":"omit"})',
        "this.tokenMatcher=a?Rt.tokenStructuredMatcherNoCategories:Rt.tokenStructuredMatcher,Rt.x(q)",
        'Object.defineProperty(H,"__esModule",{value:!0});H.tokenMatcher=H.tokenName=H.tokenLabel=void 0;',
        "declare function inject<T>(token: ProviderToken<T>): T;",
        # a package.json's dependencies named with a secret word: their versions and ranges
        '"dependencies": {"jsonwebtoken": "^9.0.0", "pbkdf2-password": "1.2.1", "csrf-tokens": "~3.0.1"}',
        '"devDependencies": {"passport-secret": ">=1.1.21 <2", "keytar-token": "1.x || 2.x"}',
        '"secret-handshake": "2.0.0-beta.1",',
    ],
)
def test_config_secrets_names_and_code_after_a_secret_key_stay(text: str) -> None:
    assert _passwords(text) == []


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        ('password = "hunter2"', "hunter2"),
        ('db_password: "MyPassword"', "MyPassword"),  # quoted words are what people choose
        ('secret = "SuperSecret"', "SuperSecret"),
        ('password = "correct_horse_battery_staple"', "correct_horse_battery_staple"),
        ('auth_token = "s3cr3t-t0ken-value"', "s3cr3t-t0ken-value"),
        ("PASSWORD=CorrectHorseBattery42", "CorrectHorseBattery42"),
        # punctuation a password may hold is no code without a dotted name or a type's brackets
        ("PASSWORD=!Granite137", "!Granite137"),
        ("password=hunter2++", "hunter2++"),
        ("DB_PASSWORD=s3cr3t.value=1x", "s3cr3t.value=1x"),
        # numbers with one dot or none are no version range: PIN-like passwords stay found
        ('{"password": "1234.5678"}', "1234.5678"),
        ('pin_password = "v12345"', "v12345"),
    ],
)
def test_config_secrets_quoted_words_and_mixed_values_are_still_secrets(text: str, covered: str) -> None:
    assert _passwords(text) == [covered]

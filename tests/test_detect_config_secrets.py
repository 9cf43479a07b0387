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

"""Login names written as the value of a user field (USERNAME, user_field_v1): API data, chat
exports, configs and code hold `"login": "octocat"`, `username: jsmith`, `DB_USERNAME=pkumar`.
Only the value is reported; placeholders, service accounts, literals, translation labels, ids and
code are kept (docs/detection.md, "User fields")."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrubber.api import load_pipeline
from scrubber.detect.stage import DetectStage
from scrubber.records import Batch
from tests.detect_helpers import edited_rules, found, logins


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # JSON of APIs and exports: Slack, GitHub, Twitter, camelCase keys, nicknames
        ('{"user_name": "tamara.okonkwo", "id": "U024BE7LH"}', ["tamara.okonkwo"]),
        ('  "username": "jsmith88",', ["jsmith88"]),
        ('{"login": "octocat", "id": 1, "type": "User"}', ["octocat"]),
        ('{"screen_name": "jen_ny88", "followers_count": 12}', ["jen_ny88"]),
        ('{"userName": "mkowalski"}', ["mkowalski"]),
        ('{"nickname": "jen_ny88"}', ["jen_ny88"]),
        ('{"user_login": "mkowalski"}', ["mkowalski"]),  # WordPress
        ('{"login": "JakeWharton"}', ["JakeWharton"]),  # GitHub keeps the case a user chose
        ("{'username': 'jsmith', 'loginName': 'pkumar'}", ["jsmith", "pkumar"]),
        # escaped inside a JSON string: a tool call's arguments
        ('{"arguments": "{\\"username\\": \\"jsmith\\"}"}', ["jsmith"]),
        # YAML, INI, .env, properties, Python and PHP
        ("db:\n  username: jsmith\n  host: db01", ["jsmith"]),
        ("- username: jsmith  # the deploy user", ["jsmith"]),
        ('user_name = "mkowalski"', ["mkowalski"]),
        ("DB_USERNAME=pkumar", ["pkumar"]),
        ("export DB_USERNAME=pkumar", ["pkumar"]),
        ("spring.datasource.username=jsmith\nspring.datasource.password=${DB_PASS}", ["jsmith"]),
        ("conn = connect(host=h, login_name='rbianchi')", ["rbianchi"]),
        ("$config = ['username' => 'pkumar'];", ["pkumar"]),
        # XML, query strings, a form pasted as text
        ("<username>jsmith</username>", ["jsmith"]),
        ('<add key="x" userName="mkowalski" />', ["mkowalski"]),  # an attribute
        ("POST https://x.org/login?username=jsmith&password=abc", ["jsmith"]),
        ("Username: jsmith\nPassword: hunter2x", ["jsmith"]),
    ],
)
def test_userfield_login_is_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


@pytest.mark.parametrize(
    "text",
    [
        # the fixed user names of token logins: the token is the secret
        '{"http-basic": {"repo.packagist.com": {"username": "token", "password": "a1b2c3d4e5"}}}',
        "username: x-access-token",
        # service accounts and placeholders by name (lists.home_generic_users)
        '{"username": "admin", "user_name": "root", "login": "postgres"}',
        '{"username": "user123", "login": "testuser1", "nickname": "johndoe", "screen_name": "jdoe"}',
        # placeholders by shape (validator login_name) or written with symbols
        "username: your_username",
        "username: xxx",
        "username: $USER",
        "DB_USERNAME=${DB_USER}",
        "username: <username>",
        'username: "{{ user }}"',
        "username=%USERNAME%",
        'username = os.environ["USER"]',
        "username: USERNAME",
        # literals, numbers and ids
        '{"login": true, "username": null, "nickname": "none"}',
        "login: false",
        'login=True\nusername=None',
        '{"login": 12345, "username": "12345"}',
        '{"login": "5f3a2b9c01d4e8", "username": "a1b2c3d4"}',
        # labels of translation files and forms
        '{"username": "Username", "login": "Log in", "user_name": "User name"}',
        '{"username": "Benutzername", "login": "Anmelden", "nickname": "Spitzname"}',
        '{"username": "Nom d\'utilisateur", "login": "Connexion"}',
        '{"username": "用户名"}',
        "Login: Thursday",
        # examples' made-up accounts and defaults (seen in API examples of installed packages)
        '{"MasterUsername": "mymasteruser"}',
        '<connector userName="commonUser" uri="x"/>',
        'username = "current"',
        '{"username": "sub"}',
        # the key itself, and schemas' types
        '{"username": "username", "login": "login", "screen_name": "screen_name"}',
        "username: string\npassword: string",
        "username: str",
        "username: Optional[str]",
        # code: variables, attributes, calls
        "username=args.username",
        "username = default_user",
        "login = LoginManager(app)",
        "const payload = { username: username, password };",
        "  username: userName",
        'username = request.form["username"]',
        # a bare `user` key is not read: Slack ids, chat turns, uids
        '{"user": "U024BE7LH", "text": "hi"}',
        "User: hello there\nAssistant: hi",
        "user: 1000:1000",
        # other keys ending in the same letters, and prose
        "filename: report.txt\nhostname: db01\nname: build",
        '{"user_id": "jsmith", "autologin": "yes", "last_login": "2024-01-01"}',
        "the user name is shown in the username field: see the login page",
        'git config user.name "jsmith"',
    ],
)
def test_userfield_placeholders_literals_labels_and_code_are_kept(text: str) -> None:
    assert logins(text) == []


def test_userfield_email_value_is_one_email_span() -> None:
    """An address as the value is email_v2's: one EMAIL_ADDRESS span, no USERNAME inside it."""
    assert found('{"username": "jane.doe@gmail.com"}') == [("EMAIL_ADDRESS", "jane.doe@gmail.com")]


def test_userfield_only_the_value_is_redacted() -> None:
    """Keys and quotes stay, so the JSON or config stays valid; the password beside is a PASSWORD."""
    pipeline = load_pipeline(mode="fast")
    texts = [
        '{"login": "octocat", "id": 1}',
        '{\\"username\\": \\"jsmith\\", \\"password\\": \\"hunter2x\\"}',
        "DB_USERNAME=pkumar",
    ]
    assert pipeline({"text": texts})["text"] == [
        '{"login": "<USER>", "id": 1}',
        '{\\"username\\": \\"<USER>\\", \\"password\\": \\"<SECRET>\\"}',
        "DB_USERNAME=<USER>",
    ]


def test_userfield_full_mode_login_over_person() -> None:
    """In full mode a login made of a name is one USERNAME span (priority 2, above PERSON)."""
    assert found('{"user_name": "Rebecca_Lindqvist"}', "full") == [("USERNAME", "Rebecca_Lindqvist")]


def test_userfield_keep_list_is_the_users_to_edit(tmp_path: Path) -> None:
    """A login added to `lists.home_generic_users` is kept in user fields too."""
    rules = edited_rules(tmp_path, "recognizers.yaml", "home_generic_users: [root,",
                         "home_generic_users: [buildsvc, root,")
    stage = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    docs = ['{"username": "BuildSvc"}', "DB_USERNAME=buildsvc", '{"username": "jsmith"}']
    spans = stage.run(Batch({"text": docs})).spans()
    assert [[d[s.start:s.end] for s in sp] for d, sp in zip(docs, spans, strict=True)] == [[], [], ["jsmith"]]


def test_userfield_in_a_kubernetes_secret_stays_a_password() -> None:
    """Every value of a Secret's data is k8s_secret_v3's PASSWORD (priority 3 over USERNAME's 2)."""
    text = "kind: Secret\nstringData:\n  username: jsmith\n  password: hunter2x\n"
    assert found(text) == [("PASSWORD", "jsmith"), ("PASSWORD", "hunter2x")]

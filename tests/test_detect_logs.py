"""Login names in logs and command output (USERNAME): the user field of web server access logs
(access_log_user_v1), the owner in `ls -l` lines (ls_owner_user_v1) and the names of `id` output
(id_output_user_v1). Only the login is reported; the `-` placeholder, system and service accounts,
e-mail addresses and look-alike text are kept (docs/detection.md, "Logs and command output")."""

from __future__ import annotations

import pytest

from scrubber.api import load_pipeline
from tests.detect_helpers import found, logins, stage, users

# -- access logs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # Common and Combined Log Format: IPv4, IPv6 and host-name clients
        ('73.162.14.201 - frank [10/Oct/2023:13:55:36 -0700] "GET /admin HTTP/1.1" 401 512', ["frank"]),
        ('2001:db8:85a3::8a2e:370:7334 - jsmith [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 5',
         ["jsmith"]),
        ('client-42.isp.example.net - mkowalski [10/Oct/2023:13:55:36 +0000] "GET /x HTTP/1.1" 200 5',
         ["mkowalski"]),
        ('::1 - pkumar [01/Jan/2024:00:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.4.0"', ["pkumar"]),
        # an identd field before the user (the Apache manual's example), a syslog prefix, a virtual
        # host and port before the client, a log line inside a JSON string
        ('127.0.0.1 user-identifier frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
         ["frank"]),
        ("Oct 10 13:55:36 web1 nginx: 198.51.7.20 - rbianchi [10/Oct/2023:13:55:36 +0200] \"GET / HTTP/2.0\" 200 9",
         ["rbianchi"]),
        ('shop.example.org:443 81.2.69.160 - a.nowak [10/Oct/2023:13:55:36 +0100] "GET / HTTP/1.1" 200 9',
         ["a.nowak"]),
        ('{"log": "81.2.69.160 - tamara_o [10/Oct/2023:13:55:36 +0000] \\"GET / HTTP/1.1\\" 200 9"}',
         ["tamara_o"]),
    ],
)
def test_access_log_user_is_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


@pytest.mark.parametrize(
    "text",
    [
        # no login: the `-` placeholder (most lines), Python's http.server (`- -`, no colon)
        '73.162.14.201 - - [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 5120',
        '127.0.0.1 - - [10/Oct/2023 13:55:36] "GET / HTTP/1.1" 200 -',
        # service accounts, placeholders and the fixed user names of token logins
        '10.1.2.3 - admin [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 5',
        '10.1.2.3 - root [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 5',
        '10.1.2.3 - guest [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 5',
        '10.1.2.3 - anonymous [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 5',
        '10.1.2.3 - x-access-token [10/Oct/2023:13:55:36 -0700] "GET /r.git/info/refs HTTP/1.1" 200 5',
        '10.1.2.3 - username [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 5',
        # the same time in brackets without a log's fields before it
        "See the entry at [10/Oct/2023:13:55:36 -0700] for details.",
        "deployed by frank [10/Oct/2023:13:55:36 -0700]",
        # a bracketed time elsewhere in code and other logs
        'log.info("[%s] done", "10/Oct/2023:13:55:36")',
        "[2023-10-10 13:55:36] production.ERROR: frank failed",
    ],
)
def test_access_log_without_a_login_is_kept(text: str) -> None:
    assert logins(text) == []


def test_access_log_email_user_is_one_email_span() -> None:
    """An address in the user field is email_v2's: one EMAIL_ADDRESS span, no USERNAME in it."""
    text = '10.1.2.3 - jane.doe@gmail.com [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 5'
    assert found(text) == [("EMAIL_ADDRESS", "jane.doe@gmail.com")]


def test_access_log_only_the_user_is_redacted() -> None:
    """The line keeps its layout; the client's public address is an IP_ADDRESS as before."""
    pipeline = load_pipeline(mode="fast")
    text = '73.162.14.201 - frank [10/Oct/2023:13:55:36 -0700] "GET /admin HTTP/1.1" 401 512'
    assert pipeline({"text": [text]})["text"] == [
        '<IP_ADDRESS> - <USER> [10/Oct/2023:13:55:36 -0700] "GET /admin HTTP/1.1" 401 512']


def test_access_log_user_is_spread_to_its_other_mentions() -> None:
    """username_coref_v1 takes the login's other mentions: a sudo log's line beside the access log
    (an SSH server's line is auth_log_user_v1's own: test_auth_log_user_is_found)."""
    text = ('81.2.69.160 - mkowalski [10/Oct/2023:13:55:36 +0000] "GET /private HTTP/1.1" 200 9\n'
            "Oct 10 13:56:01 web1 sudo:  mkowalski : TTY=pts/0 ; PWD=/srv ; USER=root ; COMMAND=/bin/ls\n")
    assert users(text) == [("mkowalski", "access_log_user_v1"), ("mkowalski", "username_coref_v1")]


# -- id output -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("uid=1001(rkapoor) gid=1001(rkapoor) groups=1001(rkapoor),27(sudo),999(docker)",
         [("rkapoor", "id_output_user_v1")] * 3),
        # a login that is an English word is not spread by username_coref_v1: the patterns take
        # the gid's and the groups' entry of the same name themselves
        ("$ id\nuid=1001(frank) gid=1001(frank) groups=1001(frank),27(sudo)",
         [("frank", "id_output_user_v1")] * 3),
        # macOS: the primary group is staff, which names no one
        ("uid=501(jsmith) gid=20(staff) groups=20(staff),12(everyone),80(admin)",
         [("jsmith", "id_output_user_v1")]),
        # German `id` translates `groups`: the uid and gid are still read
        ("uid=1001(pkumar) gid=1001(pkumar) Gruppen=1001(pkumar),27(sudo)",
         [("pkumar", "id_output_user_v1"), ("pkumar", "id_output_user_v1"), ("pkumar", "username_coref_v1")]),
    ],
)
def test_id_output_login_is_found(text: str, names: list[tuple[str, str]]) -> None:
    assert users(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "uid=0(root) gid=0(root) groups=0(root)",
        "uid=33(www-data) gid=33(www-data) groups=33(www-data)",
        "uid=1000(ubuntu) gid=1000(ubuntu) groups=1000(ubuntu),4(adm),27(sudo)",
        "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)",
        "uid=1(daemon) gid=1(daemon) groups=1(daemon)",
        "uid=101(systemd-network) gid=103(systemd-network) groups=103(systemd-network)",
        "uid=70(_postgres) gid=70(_postgres) groups=70(_postgres)",  # macOS's service accounts
        "uid=1001 gid=1001 groups=1001",                           # `id -n` not given: numbers only
        "uid=1001(rkapoor)",                                       # no gid after it: not id's layout
        "x = f(1(rkapoor) gid=2)",
    ],
)
def test_id_output_system_accounts_and_other_text_are_kept(text: str) -> None:
    assert logins(text) == []


def test_id_output_only_the_names_are_redacted() -> None:
    pipeline = load_pipeline(mode="fast")
    text = "uid=1001(rkapoor) gid=1001(rkapoor) groups=1001(rkapoor),27(sudo)"
    assert pipeline({"text": [text]})["text"] == ["uid=1001(<USER>) gid=1001(<USER>) groups=1001(<USER>),27(sudo)"]


# -- ls -l -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("-rw-r--r-- 1 jsmith staff 4096 Mar  3 10:22 notes.txt", ["jsmith"]),
        # macOS's `@` (extended attributes), a year in place of the time, a directory, a symlink
        ("drwxr-xr-x@ 5 mkowalski  staff   160 Mar  3  2022 src", ["mkowalski"]),
        ("lrwxrwxrwx 1 pkumar developers 11 Jan 12 09:01 latest -> v2.1/", ["pkumar"]),
        # `ls -lh` sizes, an ACL `+`, indented in Markdown, inside a JSON string
        ("-rw-r--r--+ 1 rbianchi wheel 1.2K Dec 24 23:59 a.txt", ["rbianchi"]),
        ("    -rwxr-x--- 1 tamara_o dev 12M Jul  4 08:00 run.sh", ["tamara_o"]),
        ('{"output": "total 8\\n-rw------- 1 a.nowak a.nowak 220 Feb 25  2020 .bashrc\\n"}',
         ["a.nowak", "a.nowak"]),
    ],
)
def test_ls_owner_is_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


def test_ls_group_of_the_owners_name_is_another_mention() -> None:
    """A user's private group is the login again: username_coref_v1 takes it."""
    text = "-rw-r--r-- 1 jsmith jsmith 4096 Mar  3 10:22 notes.txt"
    assert users(text) == [("jsmith", "ls_owner_user_v1"), ("jsmith", "username_coref_v1")]


@pytest.mark.parametrize(
    "text",
    [
        # system and service accounts: listed, systemd's and macOS's by shape, numeric owners
        "-rw-r--r-- 1 root root 220 Feb 25  2020 .bashrc",
        "lrwxrwxrwx 1 root root 7 Mar  3 10:22 bin -> usr/bin",
        "-rw-r----- 1 syslog adm 12345 Mar  3 10:22 syslog",
        "drwxr-xr-x 2 www-data www-data 4096 Mar  3 10:22 html",
        "drwxr-xr-x 2 daemon daemon 4096 Mar  3 10:22 x",
        "drwxr-xr-x 2 systemd-network systemd-network 60 Mar  3 10:22 netif",
        "drwxr-xr-x 2 _www _www 64 Mar  3 10:22 htdocs",
        "-rw-r--r-- 1 1001 1001 0 Mar  3 10:22 y",
        "drwxr-xr-x 3 ubuntu ubuntu 4096 Mar  3 10:22 app",
        # the same words without an ls line's permissions, or with no date after the size
        "1 jsmith staff 4096 Mar  3 10:22 notes.txt",
        "Chapter 1 jsmith staff 4096 Mar 3 10:22",
        "-rw-r--r-- 1 jsmith staff 4096 notes.txt",
    ],
)
def test_ls_system_accounts_and_look_alikes_are_kept(text: str) -> None:
    assert logins(text) == []


def test_ls_owner_rides_the_street_windows() -> None:
    """ls_owner_user_v1 names street_address_v2's `hits` filter and window: the engine groups them,
    so the owner costs no pass of its own over the `digits` hits (docs/detection.md)."""
    digits = next(t for t in stage()._engine.triggers if t.name == "digits")
    names = [[stage()._engine.recognizers[i].name for i in users_] for (_, _, hits), users_ in digits.groups.items()
             if hits is not None]
    assert ["street_address_v2", "ls_owner_user_v1", "auth_log_user_v1"] in names
    assert sum("ls_owner_user_v1" in group for group in names) == 1
    assert sum("auth_log_user_v1" in group for group in names) == 1


# -- SSH server logs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Feb 25 14:34:10 belka sshd[31607]: Failed password for jsmith from 81.2.69.160 port 22 ssh2",
         ["jsmith"]),
        ("sshd[2]: Invalid user mkowalski from 81.2.69.160", ["mkowalski"]),
        ("sshd[2]: Illegal user mkowalski from 81.2.69.160", ["mkowalski"]),
        ("sshd[2]: Failed publickey for invalid user pkumar from 81.2.69.160 port 37955 ssh2: RSA SHA256:x",
         ["pkumar"]),
        ("sshd[3]: Failed keyboard-interactive/pam for invalid user jamedds from 205.186.180.77 port 33723 ssh2",
         ["jamedds"]),
        ("sshd[4]: Accepted publickey for rbianchi from 81.2.69.160 port 50022 ssh2", ["rbianchi"]),
        # the client's address may be private: the login is the user's all the same
        ("sshd[8]: Accepted password for rda from 192.168.1.20 port 52100 ssh2", ["rda"]),
    ],
)
def test_auth_log_user_is_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


def test_auth_log_user_is_spread_to_its_other_mentions() -> None:
    """The session and disconnection lines are read as other mentions of the login found."""
    text = ("sshd[1556]: Accepted password for rda from 192.0.2.113 port 52100 ssh2\n"
            "sshd[1556]: pam_unix(sshd:session): session opened for user rda by (uid=0)\n"
            "sshd[1556]: Disconnected from user rda 192.0.2.113 port 52100")
    assert users(text) == [("rda", "auth_log_user_v1"), ("rda", "username_coref_v1"), ("rda", "username_coref_v1")]


@pytest.mark.parametrize(
    "text",
    [
        # the accounts scanning bots try, in any case, and placeholders
        "sshd[6]: Invalid user admin from 81.2.69.160 port 22",
        "sshd[7]: Failed password for root from 81.2.69.160 port 22 ssh2",
        "sshd[8]: Failed password for invalid user ROOT from 81.2.69.160 port 22 ssh2",
        "sshd[9]: Failed password for invalid user oracle from 81.2.69.160",
        "sshd[9]: Failed password for invalid user test from 81.2.69.160",
        "sshd[12947]: Failed password for user from 81.2.69.160 port 20000 ssh1",
        # an e-mail address as the login is email_v2's (kept here: a documentation domain)
        "Failed login for admin@example.com from 1.2.3.4 in session 4z506z6r",
        # an injection attempt's user@host, prose with `for … from`
        "sshd[2737]: Failed password for username ssh 'from 10.10.1.1'@localhost from 127.0.0.1 port 58266",
        "We failed checks for several weeks from 2019 to 2020.",
        "Thanks for everything from 2019 on; invalid user input from 2020 forms",
        # a user and an address without the log's phrase
        "the user jsmith 81.2.69.160 port 22 is open",
    ],
)
def test_auth_log_bots_guesses_and_look_alikes_are_kept(text: str) -> None:
    assert logins(text) == []


def test_auth_log_only_the_login_is_redacted() -> None:
    out = load_pipeline(mode="fast")({"text": [
        "Feb 25 14:34:10 belka sshd[31607]: Failed password for jsmith from 81.2.69.160 port 22 ssh2"]})
    assert out["text"][0] == ("Feb 25 14:34:10 belka sshd[31607]: Failed password for <USER> from <IP_ADDRESS>"
                              " port 22 ssh2")

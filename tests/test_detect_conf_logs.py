"""Configuration files and server logs (/etc, Debian packages' example configs, fail2ban's sample
logs, dpkg and apt logs): what is personal there is still found (public client addresses, secrets,
logins) and what only looks like it is kept (certificate fingerprints, networks, package versions,
log timestamps, paths to key files, syslog priorities). Found reading the default pipeline's output
on such a corpus (benchmarks/RESULTS-detection.md, "Configuration files and logs")."""

from __future__ import annotations

import pytest

from tests.detect_helpers import found, logins


def _of(entity: str, text: str) -> list[str]:
    return [value for kind, value in found(text) if kind == entity]


# -- IP addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ips"),
    [
        # a client in Apache's error log, whose time has microseconds before the year
        ("[Sat Jul 20 21:44:06.867985 2013] [error] [client 81.2.69.160] File does not exist: /var/www",
         ["81.2.69.160"]),
        # an IPv4-mapped IPv6 address is the IPv4 address it carries (proftpd, courier)
        ("proftpd[17424] host (::ffff:81.2.69.160[::ffff:81.2.69.160]): USER god: no such user",
         ["::ffff:81.2.69.160", "::ffff:81.2.69.160"]),
        # a global IPv6 address, alone or as a host's /128
        ("Accepted publickey from 2a02:1205:5054:1234::1 port 50022", ["2a02:1205:5054:1234::1"]),
        ("ip6 saddr 2a02:1205:5054:1234::1/128 accept", ["2a02:1205:5054:1234::1"]),
        # a range of two addresses is two addresses; a host's /32
        ("iptables -m iprange --src-range 81.2.69.10-81.2.69.20 -j DROP", ["81.2.69.10", "81.2.69.20"]),
        ("allow 81.2.69.160/32", ["81.2.69.160"]),
        # squid's elapsed time before the client no longer hides it in a phone number
        ("1386543500.000      5 175.44.0.184 NONE/405 3364 CONNECT error:method-not-allowed",
         ["175.44.0.184"]),
        # a Kerio log's time (day, month's name, year, then a blank)
        ("[17/May/2017 22:14:57] Message from IP address 81.2.69.160, sender", ["81.2.69.160"]),
    ],
)
def test_public_addresses_in_logs_and_configs_are_found(text: str, ips: list[str]) -> None:
    assert _of("IP_ADDRESS", text) == ips


@pytest.mark.parametrize(
    "text",
    [
        # colon-separated bytes of a certificate's fingerprint or serial (`openssl x509 -text`)
        "         31:b2:4b:d3:69:7b:91:b4\n-----BEGIN CERTIFICATE-----",
        "serial 0a:1b:2c:3d:4e:5f:60:71 and fingerprint\n    9b:ae:6f:c4:6a:b1:7c:d0\n",
        # the 6bone's returned test prefix (ISC DHCP's example)
        "#\tfixed-address6 3ffe:501:ffff:100::1234;",
        # networks, not hosts: gai.conf's prefixes, sudoers' Host_Alias networks
        "#precedence  2002::/16     30",
        "Host_Alias\tCSNETS = 128.138.204.0/24, 128.138.0.0/255.255.0.0",
        # a Debian version with its revision: apt's history, dpkg.log
        "Unpacking alsa-topology-conf (1.2.5.1-2) ...",
        "2025-06-24 14:39:36 status installed alsa-topology-conf:all 1.2.5.1-2",
        "Upgrade: foo:amd64 (1.2.5.1-2ubuntu1, 1.2.5.1-2+deb12u1)",
    ],
)
def test_ip_look_alikes_in_configs_and_logs_are_kept(text: str) -> None:
    assert _of("IP_ADDRESS", text) == []


# -- phone look-alikes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # an address and its port, an address with a port after a slash, a short network
        "#\tfwd localhost tcp from 192.168.0.40 80 to any in recv em0",
        'RemoteAddress="IPV4/TLS/192.0.2.2/30245",Challenge="1569024763"',
        "! deny 192.168.100/24",
        # Apache 2.4's error log time, with microseconds before the year
        "[Sun Mar 28 16:53:00.472693 2021] [php7:notice] [pid 11328] [client 10.1.1.1:39876]",
        # an Erlang process id (ejabberd, RabbitMQ)
        "2014-01-07 18:09:08.512 [info] <0.22741.1>@ejabberd_c2s:wait_for_feature_request:492",
    ],
)
def test_log_and_config_numbers_are_no_phone_numbers(text: str) -> None:
    assert _of("PHONE_NUMBER", text) == []


def test_phone_numbers_with_dots_are_still_found() -> None:
    assert _of("PHONE_NUMBER", "Tél : 06.12.34.56.78") == ["06.12.34.56.78"]
    assert _of("PHONE_NUMBER", "call me at 312.555.0148") == ["312.555.0148"]


def test_ssh_algorithm_names_are_no_email_but_developers_are() -> None:
    assert _of("EMAIL_ADDRESS", "MACs umac-64-etm@openssh.com,hmac-sha2-512@openssh.com") == []
    assert _of("EMAIL_ADDRESS", "# Author: Damien Miller <djm@openssh.com>") == ["djm@openssh.com"]


def test_http_status_is_no_street() -> None:
    assert _of("STREET_ADDRESS", "<html><body><h1>502 Bad Gateway</h1>") == []
    assert _of("STREET_ADDRESS", "Ship to 502 Bad Gateway Road, Springfield, IL 62704") != []


# -- secrets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # where the secret is kept, not the secret
        "rsa_private_key_file=/etc/ssl/private/ssl-cert-snakeoil.key",
        "# VARNISH_SECRET_FILE=/etc/varnish/secret",
        "    ssh_private_key: ~/ray-bootstrap-key.pem",
        "#    ssh_private_key: /path/to/your/key.pem",
        "MAIN_TLS_PRIVATEKEY = CONFDIR/exim.key",
        "#     dnscrypt-secret-key: /path/unbound-conf/keys1/1.key",
        "# default: password_file = /etc/bind2nsd/passwd",
        # sudoers' tag before a command
        "nagios ALL=(ALL) NOPASSWD: /<path-to>/check_fail2ban",
        "deploy ALL=(ALL) NOPASSWD: /usr/bin/systemctl restart app",
        # a setting about the password, systemd's credential names
        "#password_encryption = scram-sha-256\t# scram-sha-256 or md5",
        "LoadCredential=passwd.hashed-password.root",
        "ImportCredential=firstboot.locale-messages",
        # tokenizers: every Hugging Face model's config, spaCy's
        '"tokenizer_class": "BertTokenizer",',
        '[nlp.tokenizer]\n@tokenizers = "spacy.Tokenizer.v1"',
    ],
)
def test_config_settings_about_secrets_are_kept(text: str) -> None:
    assert _of("PASSWORD", text) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('password = "s3cr3t/pa55"', "s3cr3t/pa55"),
        # base64 may start with a slash (a JPEG's `/9j/`): mixed case between its slashes
        ("api_token: /9j/4AAQSkZJRgABAQAAAQABAAD", "/9j/4AAQSkZJRgABAQAAAQABAAD"),
        # systemd's SetCredential= holds the value itself
        ("SetCredential=db.password:Hunter2xyz", "db.password:Hunter2xyz"),
        # a key that names the encryption's key, not the setting
        ('password_encryption_key = "Zq8rT2kLm9Xw"', "Zq8rT2kLm9Xw"),
        ('token = "a8Fk29dLq0Zx7Pw3"', "a8Fk29dLq0Zx7Pw3"),
    ],
)
def test_config_secrets_are_found(text: str, secret: str) -> None:
    assert _of("PASSWORD", text) == [secret]


# -- logins ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # BSD syslog with the facility and priority shown
        "Mar 19 23:48:18 <auth.info> pancake sshd[55517]: Connection closed by 183.60.159.20",
        "Jun 21 16:55:01 <kern.warn> machine kernel: [  970.699396] @ IN=eth0",
        # an XML element alone on its line (Cacti's templates)
        "<cacti>\t\n\t<hash_02001346a4e9f7498a81>\n",
        # base64 lines of a certificate bundle that start with `u/`
        "Ab3y\nu/blyKaX/oram1jBzwucqkIXFx/KF6ErMkHBQi\n",
        # a host where a log's user@host puts the user, and that host elsewhere in the log
        "Nov 11 08:04:50 redbamboo sshd[2737]: Failed password for username ssh 'from 10.10.1.1'@localhost"
        " from 127.0.0.1 port 58266 ssh2\nJul 20 14:42:11 localhost sshd[22708]: Connection closed",
        # Tomcat's account in an access log
        '2.5.2.5 - tomcat [12/Dec/2014:22:59:02 +0100] "GET /manager/html HTTP/1.1" 401 2474',
    ],
)
def test_log_fields_that_name_no_one_are_kept(text: str) -> None:
    assert logins(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("<jsmith> anyone seen the build break?", ["jsmith"]),
        ("[12:04] <marta_k> yes, after the merge", ["marta_k"]),
        ("see u/jenna_k for the original post", ["jenna_k"]),
        ("https://www.reddit.com/user/jenna_k/comments/abc", ["jenna_k"]),
        ('73.162.14.201 - frank [10/Oct/2023:13:55:36 -0700] "GET /admin HTTP/1.1" 401 512', ["frank"]),
    ],
)
def test_chat_and_access_log_logins_are_still_found(text: str, names: list[str]) -> None:
    assert logins(text) == names

"""What is not personal data stays untouched: one case (at least) per rule in rules/detect/keep.yaml.

The shipped rules are data; ``test_keep_every_rule_is_tested`` fails when a keep pattern is added
to the YAML without a case here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scrubber.detect.stage import DetectStage
from scrubber.errors import ConfigError
from scrubber.records import Batch
from tests.detect_helpers import edited_rules, found

ROOT = Path(__file__).resolve().parent.parent

KEEP = [
    # (keep rule it exercises, text that must produce no span)
    ("email.allow_domains", "write to alice@example.com or bob@mail.example.org"),
    ("email.allow_domains", "test user qa@shop.test and x@corp.internal"),
    ("email.allow_domains", "https://app.io/invite?to=alice%40example.com&from=noreply%40github.com"),
    ("email.allow_domains", "Message-ID: <CAF1x9Qz=8mJ2kp@mail.gmail.com>\nIn-Reply-To: <CAHk-wg7@mail.gmail.com>"),
    ("email.allow_local_parts", "git clone git@github.com:org/repo.git; mail noreply@github.com"),
    # the same rules for addresses written with HTML character references or [at]/(dot)
    ("email.allow_domains", "alice&#64;example.com, bob&#x40;mail.example&#46;org, qa [at] shop [dot] test"),
    ("email.allow_local_parts", "noreply&commat;github.com or git (at) github (dot) com"),
    ("email.allow_domains", "email alice at example dot com; e-mail: bob at mail dot example dot org"),
    ("email.allow_local_parts", "noreply at gmail dot com"),
    ("ip.keep_non_global", "bind 10.0.0.12, 192.168.1.1, 172.16.5.4, 127.0.0.1 and ::1"),
    ("ip.keep_non_global", "docs use 192.0.2.10, 198.51.100.7, 203.0.113.9 and 2001:db8::1"),
    ("ip.keep_non_global", "link-local fe80::1ff:fe23:4567:890a on eth0"),
    ("ip.allow_networks", "dns: [8.8.8.8, 1.1.1.1, 9.9.9.9, 208.67.222.222]"),
    ("ip.allow_networks", "resolver 2606:4700:4700::1111"),
    ("ip.allow_networks", "#\trange6 3ffe:501:ffff:100::10 3ffe:501:ffff:100::11;"),
    # an IPv4-mapped address is judged as the IPv4 address it carries
    ("ip.keep_non_global", "relay=::ffff:10.0.0.7, client ::ffff:192.168.1.20"),
    ("keep_patterns.ip_network", "#label 2002::/16     2\nroute 2a02:1234::/32 via eth0"),
    ("keep_patterns.ip_network", "Host_Alias CSNETS = 128.138.204.0/24, 128.138.0.0/255.255.0.0"),
    ("keep_patterns.month_date", "[Sat Jul 20 21:44:06.867985 2013] [auth_digest:error] [pid 17540]"),
    ("keep_patterns.month_date", "[17/May/2017 22:14:57] Message from IP address 10.0.0.1"),
    ("keep_patterns.ssh_algorithm", "#   MACs hmac-md5,hmac-sha1,umac-64@openssh.com,hmac-sha2-256-etm@openssh.com"),
    ("keep_patterns.ssh_algorithm", "KexAlgorithms curve25519-sha256@libssh.org\nCiphers aes256-gcm@openssh.com"),
    ("keep_patterns.erlang_pid", "[info] <0.22741.1>@ejabberd_c2s:wait_for_feature_request:492"),
    ("keep_patterns.http_status", "<html><body><h1>502 Bad Gateway</h1>"),
    # payment providers' published test cards, in any layout
    ("credit_card.allow_numbers", "stripe: 4242 4242 4242 4242, 4000-0566-5566-5556 and 378282246310005"),
    ("credit_card.allow_numbers", 'card_number: "4111111111111111"  # Braintree sandbox'),
    ("keep_patterns.uuid", "request 123e4567-e89b-12d3-a456-426614174000 done"),
    ("keep_patterns.hex_digest", "commit 3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c and 1234567890abcdef1234"),
    ("keep_patterns.hex_digest", "MD5 9E107D9D372BB6826BD81D3542A419D6"),
    ("keep_patterns.cve_id", "fixes CVE-2021-44228 and CVE-2014-0160"),
    ("keep_patterns.isbn", "ISBN 978-3-16-148410-0, ISBN-10: 0-306-40615-2"),
    # a standard's number is no local phone number, even after "number" or a phone word
    ("keep_patterns.standard_number", "Convert text from the ISO 8859-15 character encoding to UTF-8"),
    ("keep_patterns.standard_number", "phone support for ISO 3166-1 and IEC 61131-3; call about ISO/IEC 14496-10"),
    ("keep_patterns.bug_number", "see bug 1234567, issue #12345678 and ticket: 9876543"),
    ("keep_patterns.bug_number", "tracked as PROJ-1234567"),
    ("keep_patterns.iso_datetime", "at 2023-10-05T14:30:00Z and 2023/10/05 14:30:00.123+02:00"),
    ("keep_patterns.dmy_date", "on 05/10/2023 14:30 and 5.10.2023"),
    ("keep_patterns.clock_time", "between 12:30:45 and 13:05:00.250"),
    ("keep_patterns.unix_timestamp", 'created_at: 1700000000 and "ts": 1700000000123'),
    ("keep_patterns.version", "upgrade to v1.2.3.4 or version 10.0.19041.1 (release 2.4.1.0)"),
    ("keep_patterns.prerelease_version", "git checkout 1.2.3.4-rc1; pin 2.0.0.1-beta.2 and 5.1.2.0-SNAPSHOT"),
    # a Debian changelog entry's first line: dotted quads and date-stamped snapshots are versions
    ("keep_patterns.changelog_version", "alsa-lib (1.2.7.2-1) unstable; urgency=medium"),
    ("keep_patterns.changelog_version", "abseil (20220623.1-1) unstable experimental; urgency=low"),
    # the Free Software Foundation's address in a GPL notice, over its line breaks and comment marks
    ("keep_patterns.licence_address",
     " * Foundation, Inc., 51 Franklin Street, Fifth Floor, Boston, MA 02110-1301 USA."),
    ("keep_patterns.licence_address", "# Foundation, Inc.,\n# 59 Temple Place, Suite 330, Boston, MA  02111-1307  USA"),
    ("keep_patterns.licence_address", " 51 Franklin St, Fifth Floor, Boston, MA\n * 02110-1301, USA."),
    # Creative Commons' and CWI's addresses in CC and Python licences
    ("keep_patterns.licence_address",
     "send a letter to Creative Commons, 171 Second Street, Suite 300, San Francisco,\nCalifornia, 94105, USA."),
    ("keep_patterns.licence_address", "Creative Commons, PO Box 1866, Mountain View, CA 94042, USA."),
    ("keep_patterns.licence_address", "Stichting Mathematisch Centrum (CWI), P.O. Box 94079, 1090 GB Amsterdam,"),
    ("keep_patterns.toll_free_phone", "Call 1-800-273-8255, (888) 555-0123, 877.555.0199 or 0800 123 4567."),
    ("keep_patterns.grouped_count", "1 234 567 downloads and 12 345 678 users"),
    # style sheets and code of npm packages: grid percentages (a phone word from the class name
    # beside them), colour functions' arguments, decimal lists, fractions with their lone 0
    ("keep_patterns.month_date", "//   Mon Jul 10 1989 00:00:00,\n//   Sun Jul  02 1995 00:00:00"),
    ("keep_patterns.month_date", "Released Mar 14, 2024 10:42 to the mirrors"),
    # the day first, as mail writes its dates (a bounce's and a reply's lines)
    ("keep_patterns.month_date", "The original message was received at Fri, 6 Apr 2001 09:23:03 -0800"),
    # a message's identifiers in its headers are no mailbox: `Message-ID:`, a reply's `In-Reply-To:`
    # and `References:` over its folded lines, a MIME part's `Content-ID:`, also quoted in a reply
    ("keep_patterns.message_id",
     "Message-ID: <4A294538.10002@spamassassin.org>\nIn-Reply-To: <20200301101402.GA1234@laptop.jdoe.net>\n"
     "References: <1007628628.465.0.camel@belphegore.hughes-family.org>\n\t<E16Jl13-0007Q1-00@arborlon.ucam.org>"
     " <87h7k3@gnus.org>"),
    ("keep_patterns.message_id",
     "Content-ID: <19981222151406.I-D@ietf.org>\n> Message-Id: <200104061723.JAB03225@zinfandel.lacita.com>"),
    # a bounce's SMTP reply and enhanced status codes, mail programs' versions in headers and HTML
    ("keep_patterns.smtp_status", "Diagnostic-Code: smtp; 550 5.7.1 Message content rejected"),
    ("keep_patterns.smtp_status", "Diagnostic-Code: smtp; 452-4.2.2 mailbox full, message not delivered"),
    ("keep_patterns.mail_software_version",
     "Received: from acme.org (8.12.11/8.12.10) with ESMTP id j93N7Svo012345"),
    ("keep_patterns.mail_software_version", '<META content=3D"MSHTML 6.00.2737.800" name=3DGENERATOR>'),
    ("allow_values", "if(!Number.isSafeInteger(t)||t<0||t>4294967295)return null; // mobile"),
    ("allow_values", "let Q=Number(g&BigInt(4294967295)); call(2147483647)"),
    ("keep_patterns.percentage", ".col-5{flex:0 0 auto;width:41.66666667%}.col-7{width:58.33333333%}"),
    ("keep_patterns.percentage", ".columns.is-mobile>.column.is-10{flex:none;width:83.3333333333%}"),
    ("keep_patterns.css_colour", "--color-red-500: oklch(63.7% 0.237 25.331);"),
    ("keep_patterns.css_colour", '500:"oklch(63.7% 0.237 25.331)",600:"oklch(57.7% 0.245 27.325)"'),
    ("keep_patterns.decimal_list", "--bulma-text-rgb:63.597,70.1539,84.303; /* mobile */"),
    ("keep_patterns.decimal_list", "y = xyz2lab((0.2225045 * r + 0.7168786 * g + 0.0606169 * b) / Yn);"),
    ("keep_patterns.section_number", "see section 4.2.1.3 of RFC 7231, Section 3.2.1.4 and § 4.2.1.1"),
    ("keep_patterns.section_number", "as in Figure 1.5.10.8, clause 8.4.2.1 and Appendix 2.3.1.4"),
    # a street name in lower case is no address (street_address_v2 needs a capitalised name), and
    # the house numbers are no phone number either
    ("keep_patterns.house_number", "I'd like to call a taxi to 0662 3441 rue saint-antoine"),
    ("keep_patterns.house_number", "call the office, 1200 3400 calle mayor"),
    ("deny_context", "version 4.2.18.66 fixed it; bump openssl to 11.10.12.157"),
    ("deny_context", "isbn 4539 1488 0343 6467"),
    ("deny_context", "rows=6219284134 exported"),
    ("dates", "The meeting is on 2019-2020 schedules and 12/05/2023."),
    ("counts", "It has 4,294,967,296 addresses and 1234567 downloads."),
]


@pytest.mark.parametrize(("rule", "text"), KEEP)
def test_keep_rule_leaves_text_untouched(rule: str, text: str) -> None:
    assert found(text) == [], rule


@pytest.mark.parametrize(("text", "address"), [
    ("I'd like to call a taxi to 0662 3441 rue Saint-Antoine", "0662 3441 rue Saint-Antoine"),
    ("call the office, 1200 3400 calle Mayor, Madrid", "1200 3400 calle Mayor, Madrid"),
])
def test_keep_house_numbers_before_a_street_type_are_the_address_not_a_phone(text: str, address: str) -> None:
    assert found(text) == [("STREET_ADDRESS", address)]


def test_keep_every_rule_is_tested() -> None:
    doc = yaml.safe_load((ROOT / "rules" / "detect" / "keep.yaml").read_text(encoding="utf-8"))
    rules = {f"keep_patterns.{p['name']}" for p in doc["keep_patterns"]}
    rules |= {"email.allow_domains", "email.allow_local_parts", "ip.keep_non_global", "ip.allow_networks",
              "credit_card.allow_numbers"}
    tested = {rule for rule, _ in KEEP}
    assert rules - tested == set()


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        # the same values outside a keep context are still found: the rules are not blanket passes
        ("mail alice@gmail.com", "EMAIL_ADDRESS"),
        ("from 52.14.22.101", "IP_ADDRESS"),
        ("section 3: login from 52.14.22.101", "IP_ADDRESS"),  # a section word not right before it
        ("card 4539 1488 0343 6467", "CREDIT_CARD"),
        ("blocked 52.14.22.101-beta.example.net", "IP_ADDRESS"),  # a host name is no pre-release label
        # an address in brackets outside a changelog's first line is still one
        ("host (52.14.22.101) unreachable; retry later", "IP_ADDRESS"),
        ("alsa-lib (52.14.22.101) answered", "IP_ADDRESS"),
        # the same street elsewhere is someone's address
        ("I live at 51 Franklin Street, Springfield, IL 62701", "STREET_ADDRESS"),
        # a standard body's name must be in capitals and right before the number
        ("call iso 8859 1520 now", "PHONE_NUMBER"),
        # numbers written with dots throughout, or next to a percentage, are still phones
        ("Tel: 06.12.34.56.78 (50% off)", "PHONE_NUMBER"),
        ("call me on 333.1234567", "PHONE_NUMBER"),
        ("Tel. 02.12345678", "PHONE_NUMBER"),
        ("phone: 020 7946 0958, 4.5% of calls", "PHONE_NUMBER"),
        # a phone after a date, and a number a few below an integer limit
        ("on Mar 14 2024 call 020 7946 0958", "PHONE_NUMBER"),
        ("mobile: 4294967290", "PHONE_NUMBER"),
        # a phone after a date written day first
        ("on 6 Apr 2001 call 020 7946 0958", "PHONE_NUMBER"),
        # a message id without a digit before its `@` may be a mailbox, as is one that embeds an
        # address or one outside the id headers; an id at an IP keeps the IP personal
        ("Message-ID: <jane.doe@gmail.com>", "EMAIL_ADDRESS"),
        ("Message-Id: <LISTMANAGER-123546--jane@gmail.com@mail.lists.com>", "EMAIL_ADDRESS"),
        ("Subject: mail 20200301.jane@gmail.com now", "EMAIL_ADDRESS"),
        ("References: <20200301101402.GA1234@acme.org>\n<bob.smith2@gmail.com>", "EMAIL_ADDRESS"),
        ("Message-Id: <a05001902b7f1c33773e9@[134.84.183.138]>", "IP_ADDRESS"),
        ("Message-Id: <200210192141953.SM01220@217.125.101.38>", "IP_ADDRESS"),
        # a status-like number with no mail class digit, versions' shape without the slash pair
        ("call 650 555.0147 now", "PHONE_NUMBER"),
    ],
)
def test_keep_does_not_hide_real_values(text: str, entity: str) -> None:
    assert [e for e, _ in found(text)] == [entity]


@pytest.mark.parametrize(("text", "addresses"), [
    # addresses are parted by commas: an id-shaped address after another is no References id
    ("To: <jane@acme.org>, <carl3@acme.org>", ["jane@acme.org", "carl3@acme.org"]),
    # a quoted line under an address is no folded line of ids
    ("Cc: <jane@acme.org>\n> <jane1990@gmail.com> wrote:", ["jane@acme.org", "jane1990@gmail.com"]),
])
def test_keep_message_ids_do_not_hide_address_lists(text: str, addresses: list[str]) -> None:
    assert found(text) == [("EMAIL_ADDRESS", a) for a in addresses]


def test_keep_allow_networks_of_any_size(tmp_path: Path) -> None:
    """A user's kept network is a range, not only one address: inside it an address is kept, just
    outside it is personal data again (IPv4 and IPv6)."""
    rules = edited_rules(tmp_path, "keep.yaml", "  allow_networks:\n",
                         "  allow_networks:\n    - 93.184.216.0/24\n    - 2606:2800:220::/48\n")
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    docs = ["from 93.184.216.34", "from 93.184.216.255", "from 93.184.217.34", "from 93.184.215.255",
            "via 2606:2800:220:1:248:1893:25c8:1946", "via 2606:2800:221::1"]
    out = st.run(Batch({"text": docs}))
    assert [[s.entity_type for s in spans] for spans in out.spans()] == [
        [], [], ["IP_ADDRESS"], ["IP_ADDRESS"], [], ["IP_ADDRESS"]]


def test_keep_card_numbers_must_be_card_numbers(tmp_path: Path) -> None:
    """A mistyped entry (spaces, letters, too short) is an error naming it, not a silent miss."""
    rules = edited_rules(tmp_path, "keep.yaml", "  allow_numbers:\n", '  allow_numbers:\n    - "4242 4242 4242 4242"\n')
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    with pytest.raises(ConfigError, match=r"credit_card\.allow_numbers: '4242 4242 4242 4242' is not a card number"):
        st.ensure_setup()


def test_keep_deny_number_nouns_are_the_users(tmp_path: Path) -> None:
    """A noun added to ``deny_number_nouns`` makes a deny word label the value across it: `order
    code (312) ...` is then an order's code, not a phone number (shipped rules: a phone, since
    `Call` is near and `code` names no number)."""
    text = "Call me about your order code (312) 555-0148"
    assert found(text) == [("PHONE_NUMBER", "(312) 555-0148")]
    rules = edited_rules(tmp_path, "keep.yaml", "deny_number_nouns: [number,", "deny_number_nouns: [code, number,")
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    assert st.run(Batch({"text": [text]})).spans() == [[]]


def test_keep_deny_label_nouns_are_the_users(tmp_path: Path) -> None:
    """``deny_label_nouns`` are context words that do not outweigh a deny word further back: taken
    out of the list, `office` near the number says phone again."""
    text = "my order? office: +1 312 555 0148"
    assert found(text) == []
    rules = edited_rules(tmp_path, "keep.yaml", "deny_label_nouns: [contact, office,", "deny_label_nouns: [contact,")
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    (spans,) = st.run(Batch({"text": [text]})).spans()
    assert [text[s.start:s.end] for s in spans] == ["+1 312 555 0148"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("deny_number_nouns: [number, num, nr, no, id]", r"deny_number_nouns: expected words as strings, got False"),
        ("deny_number_nouns: [number, serial no, id]", r"deny_number_nouns: 'serial no' is not one word"),
        ("deny_number_nouns: [number, Number, id]", r"deny_number_nouns: 'number' is listed twice"),
        ("deny_label_nouns: contact", r"deny_label_nouns: expected a list of words"),
    ],
)
def test_keep_malformed_noun_list_is_config_error(tmp_path: Path, edit: str, message: str) -> None:
    """A bare `no` (YAML's false), a phrase, a repeat or a string instead of a list is an error
    naming keep.yaml and the key, never a list that silently matches nothing."""
    key = edit.split(":")[0]
    text = (ROOT / "rules" / "detect" / "keep.yaml").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith(key + ":"))
    rules = edited_rules(tmp_path, "keep.yaml", line, edit)
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    with pytest.raises(ConfigError, match=r"keep\.yaml: " + message):
        st.ensure_setup()


@pytest.mark.parametrize("key", ["deny_number_nouns", "deny_label_nouns"])
def test_keep_noun_list_left_out_is_config_error(tmp_path: Path, key: str) -> None:
    """A keep.yaml without a list that used to be code (one copied before it moved) is an error naming
    the key, not an empty list that quietly changes which values deny words cancel."""
    text = (ROOT / "rules" / "detect" / "keep.yaml").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith(key + ":"))
    rules = edited_rules(tmp_path, "keep.yaml", line + "\n", "")
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    with pytest.raises(ConfigError, match=rf"keep\.yaml: missing '{key}' \(a list of words, \[\] for none"):
        st.ensure_setup()


def test_keep_patterns_with_a_rare_character_still_keep_where_it_is() -> None:
    """Keep areas without a `<` or a `%` are passed over (engine.RARE_NEAR_CANDIDATES): in one
    document a message id's number, an Erlang pid and a percentage are still kept next to a phone
    number whose area holds neither, which is still found."""
    text = ("Call me at +1 312 555 0148 about the build.\n" + "Nothing else here. " * 5 + "\n"
            "Message-ID: <4A294538.10002@spamassassin.org>\n"
            "[info] <0.22741.1>@ejabberd_c2s:wait_for_feature_request:492\n"
            ".col-5{flex:0 0 auto;width:41.66666667%} /* mobile */")
    assert found(text) == [("PHONE_NUMBER", "+1 312 555 0148")]

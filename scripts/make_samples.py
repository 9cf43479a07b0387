"""Write the small, fake-PII sample shards under ``data/samples/`` — deterministically.

Why this exists: every stage needs the same realistic input to be tested and demonstrated on
(``scrubber run data/samples``), in every container format the reader supports, with the things the
pipeline must find (PII of every type, secrets, duplicates, boilerplate, broken lines) and the things
it must leave alone (private/documentation IPs, versions, hashes, UUIDs, CVEs, ISBNs, dates, counts,
example.com addresses). Committing generated data is only honest if anyone can regenerate it and get
the same bytes, so:

* every random choice comes from ``random.Random`` seeded with a string (stable across runs and
  Python versions; not affected by ``PYTHONHASHSEED``);
* the word, name and place lists live in this file, so the output does not change when a library
  such as Faker changes its locale data;
* container settings that would otherwise vary are pinned: gzip ``mtime=0`` and no file name, a fixed
  zstd level, a fixed Parquet row-group size and compression, one HF shard.

ALL PERSONAL DATA HERE IS FAKE. Names are random first/last pairs; card numbers and IBANs are random
digits with a valid check digit (so validators accept them); SSNs are random digits in the format
the US used, drawn outside the ranges the SSA never issues (so SSN recognizers that reject 000/666/9xx
still see them) — they are not anybody's number on purpose, but like any random 9 digits they cannot
be guaranteed never to have been issued. Secrets are random strings in the vendors' formats; none
works anywhere. The PEM block is random base64, not a key.

Run: ``.venv/bin/python scripts/make_samples.py [--out DIR]`` (default: ``data/samples`` in the repo).
Needs: stdlib, pyarrow, datasets, zstandard.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import hmac
import io
import json
import random
import string
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from scrubber.checksums import iban_check_digits, luhn_check_digit

#: Bump to change every generated value at once; tests compare against the committed files.
SEED = "scrubber-samples-v1"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "samples"

#: zstd level for configs.jsonl.zst; part of the byte-for-byte contract.
ZSTD_LEVEL = 10
#: gzip level for mail.jsonl.gz; part of the byte-for-byte contract.
GZIP_LEVEL = 9
#: Parquet row-group size: small enough that news.parquet has several groups (readers must iterate).
PARQUET_ROW_GROUP_SIZE = 16

#: 1-based line numbers of web/broken.jsonl that a reader must quarantine, and why. The test reads this.
BROKEN_LINES: dict[int, str] = {
    4: "malformed JSON (unterminated string)",
    9: "invalid UTF-8 bytes inside the text",
    15: "text is null",
    21: "text is a number (42)",
    27: "no text field",
}
BROKEN_TOTAL_LINES = 32

#: Paths of the samples relative to the output folder (also the file part of _manifest.json references).
FORUM = "web/forum.jsonl"
MAIL = "web/mail.jsonl.gz"
BROKEN = "web/broken.jsonl"
CONFIGS = "code/configs.jsonl.zst"
NEWS = "articles/news.parquet"
CHAT = "hf/chat"
#: Planted duplicates, boilerplate and bad lines. The leading underscore marks it as not-a-shard (as in
#: Hadoop/Spark `_SUCCESS`), so a reader globbing data/samples for inputs should skip it.
MANIFEST = "_manifest.json"

# ---------------------------------------------------------------------------------------------------
# Word lists (ours, so the data does not depend on any library's locale files)
# ---------------------------------------------------------------------------------------------------

FIRST_NAMES = [
    "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Priya", "Arjun",
    "Chloé", "Mateo", "Zoë", "Lukas", "Hannah", "Jonas", "Aisha", "Omar", "Mei", "Hiroshi",
    "Fatima", "Diego", "Ingrid", "Sean", "Margaret", "Kwame", "Anika", "José", "Siobhán", "Ravi",
    "Claire", "Thomas", "Rebecca", "Daniel", "Yusuf", "Elena", "Marcus", "Grace", "Tobias", "Leila",
]
LAST_NAMES = [
    "Hartley", "Okafor", "Lindqvist", "Moreau", "Castellanos", "Brennan", "Nakamura", "Patel",
    "Schröder", "Whitfield", "Delacroix", "Iyer", "Kowalski", "Fitzgerald", "Haddad", "Bergström",
    "Ramirez", "O'Connell", "Achterberg", "Sullivan", "Mensah", "Dubois", "Krishnan", "Thornbury",
    "Vasquez", "McAllister", "Yamada", "Eriksen", "Abernathy", "Gallagher", "Novak", "Lefebvre",
]
#: Fake companies with real-looking domains (must be redacted) — none of them is meant to exist.
COMPANIES = [
    ("Brightlake Systems", "brightlake.io"),
    ("Northwind Analytics", "northwind-analytics.com"),
    ("Kestrel Freight", "kestrelfreight.co.uk"),
    ("Halvorsen & Price LLP", "halvorsenprice.com"),
    ("Quillmark Health", "quillmarkhealth.org"),
    ("Tannery Row Bakery", "tanneryrow.de"),
    ("Orbital Ledger", "orbitalledger.fr"),
]
FREE_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "hotmail.co.uk", "web.de"]
#: Documentation addresses (RFC 2606 domains): a scrubber should keep these.
DOC_EMAILS = ["user@example.com", "admin@example.org", "noreply@example.net", "jane.doe@example.com"]
STREETS = [
    "Maple Avenue", "Oak Street", "Harbor View Drive", "Elm Court", "Sycamore Lane", "Pine Ridge Road",
    "Willow Bend Way", "Cedar Boulevard", "Lakeshore Drive", "Chestnut Street", "Beacon Hill Road",
]
#: (city, state, first three ZIP digits) — real cities, random street numbers and ZIP tails.
US_CITIES = [
    ("Springfield", "IL", "627"), ("Portland", "OR", "972"), ("Austin", "TX", "787"),
    ("Columbus", "OH", "432"), ("Madison", "WI", "537"), ("Raleigh", "NC", "276"),
    ("Boise", "ID", "837"), ("Tucson", "AZ", "857"), ("Burlington", "VT", "054"),
]
PRODUCTS = ["LedgerSync", "Brightlake Console", "the mobile app", "the CSV importer", "Quillmark Portal",
            "the billing dashboard", "the nightly export job", "FreightTrack", "the REST API"]
BOARDS = ["billing", "installation", "api", "mobile", "general", "security"]
TOPICS = ["supply chain", "municipal budget", "hospital staffing", "data breach", "rail strike",
          "housing market", "solar subsidies", "school funding", "port expansion", "AI regulation"]
NEWS_TAGS = ["business", "local", "technology", "health", "politics", "security", "energy", "education"]

# ---------------------------------------------------------------------------------------------------
# Validators used to make values that real validators accept
# ---------------------------------------------------------------------------------------------------


def french_rib_key(bank: str, branch: str, account: str) -> str:
    """Return the French RIB key so the FR BBAN is internally valid too (account here is digits only)."""
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def isbn13_check_digit(first12: str) -> str:
    """Return the ISBN-13 check digit (weights 1,3,1,3...)."""
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


# ---------------------------------------------------------------------------------------------------
# Fake values
# ---------------------------------------------------------------------------------------------------


class Fake:
    """All random values for one file, drawn from one seeded generator so the file is reproducible."""

    def __init__(self, label: str) -> None:
        self.rng = random.Random(f"{SEED}/{label}")

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    def token(self, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    # -- people -------------------------------------------------------------------------------------
    def person(self) -> tuple[str, str]:
        return self.pick(FIRST_NAMES), self.pick(LAST_NAMES)

    def name(self) -> str:
        return " ".join(self.person())

    def company(self) -> tuple[str, str]:
        return self.pick(COMPANIES)

    def email(self, first: str | None = None, last: str | None = None, domain: str | None = None) -> str:
        if first is None or last is None:
            first, last = self.person()
        ascii_first = _ascii(first).lower()
        ascii_last = _ascii(last).lower().replace("'", "")
        domain = domain or (self.pick(FREE_MAIL) if self.rng.random() < 0.5 else self.company()[1])
        local = self.pick([f"{ascii_first}.{ascii_last}", f"{ascii_first[0]}{ascii_last}",
                           f"{ascii_first}{self.rng.randint(1, 99)}", f"{ascii_last}.{ascii_first[0]}"])
        return f"{local}@{domain}"

    def phone(self, country: str | None = None) -> str:
        """A phone number in one of the national or international formats people actually type."""
        country = country or self.pick(["US", "US", "CA", "UK", "DE", "FR", "IN", "AU"])
        r = self.rng
        if country in ("US", "CA"):
            area = self.pick(["212", "415", "617", "312", "503", "512"] if country == "US"
                             else ["416", "604", "514", "403", "613"])
            exch = f"{r.randint(2, 9)}{self.digits(2)}"
            line = self.digits(4)
            return self.pick([f"({area}) {exch}-{line}", f"+1 {area}-{exch}-{line}", f"{area}.{exch}.{line}",
                              f"+1 ({area}) {exch} {line}"])
        if country == "UK":
            return self.pick([f"+44 20 7{self.digits(3)} {self.digits(4)}",
                              f"07{self.pick('4579')}{self.digits(2)} {self.digits(6)}",
                              f"+44 161 {r.randint(200, 999)} {self.digits(4)}"])
        if country == "DE":
            return self.pick([f"+49 30 {r.randint(2, 9)}{self.digits(7)}",
                              f"089 {r.randint(2, 9)}{self.digits(6)}",
                              f"+49 151 {self.digits(8)}"])
        if country == "FR":
            return self.pick([f"+33 1 {r.randint(40, 79)} {self.digits(2)} {self.digits(2)} {self.digits(2)}",
                              f"06 {r.randint(10, 89)} {self.digits(2)} {self.digits(2)} {self.digits(2)}"])
        if country == "IN":
            return self.pick([f"+91 {r.randint(70, 99)}{self.digits(3)} {self.digits(5)}",
                              f"0{r.randint(70, 99)}{self.digits(3)} {self.digits(5)}"])
        if country == "AU":
            return self.pick([f"+61 2 9{self.digits(3)} {self.digits(4)}",
                              f"04{self.pick(['00', '12', '22', '38'])} {self.digits(3)} {self.digits(3)}"])
        raise ValueError(f"unknown phone country {country!r}")

    def card(self) -> str:
        """A card number with a valid Luhn digit, in the brand's length and usual grouping."""
        brand = self.pick(["visa", "visa", "mastercard", "amex", "discover"])
        if brand == "amex":
            partial = self.pick(["34", "37"]) + self.digits(12)
            num = partial + luhn_check_digit(partial)
            groups = [num[:4], num[4:10], num[10:]]
        else:
            prefix = {"visa": "4", "mastercard": str(self.rng.randint(51, 55)), "discover": "6011"}[brand]
            partial = prefix + self.digits(15 - len(prefix))
            num = partial + luhn_check_digit(partial)
            groups = [num[i:i + 4] for i in range(0, 16, 4)]
        sep = self.pick([" ", "-", ""])
        return sep.join(groups)

    def iban(self, country: str | None = None) -> str:
        """An IBAN whose mod-97 check passes, printed compact or in groups of four."""
        country = country or self.pick(["DE", "GB", "FR"])
        if country == "DE":
            bban = self.digits(8) + self.digits(10)
        elif country == "GB":
            bban = self.pick(["NWBK", "BARC", "LOYD", "MIDL"]) + self.digits(6) + self.digits(8)
        elif country == "FR":
            bank, branch, account = self.digits(5), self.digits(5), self.digits(11)
            bban = bank + branch + account + french_rib_key(bank, branch, account)
        else:
            raise ValueError(f"unknown IBAN country {country!r}")
        compact = country + iban_check_digits(country, bban) + bban
        if self.rng.random() < 0.5:
            return compact
        return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))

    def ssn(self) -> str:
        """A US SSN-shaped number outside the never-issued ranges (area 000/666/9xx, group 00, serial 0000)."""
        area = self.rng.randint(1, 665)
        return f"{area:03d}-{self.rng.randint(1, 99):02d}-{self.rng.randint(1, 9999):04d}"

    def address(self) -> str:
        city, state, zip3 = self.pick(US_CITIES)
        unit = self.pick(["", "", f", Apt {self.rng.randint(1, 40)}{self.pick('ABCD')}",
                          f", Suite {self.digits(3)}"])
        number = self.rng.randint(10, 9899)
        return f"{number} {self.pick(STREETS)}{unit}, {city}, {state} {zip3}{self.digits(2)}"

    def ipv4_public(self) -> str:
        """A global unicast IPv4 address (first octet chosen from ranges that are public)."""
        first = self.pick([23, 45, 51, 66, 78, 91, 104, 142, 151, 185, 212])
        return f"{first}.{self.rng.randint(0, 255)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"

    def ipv6_public(self) -> str:
        head = self.pick(["2a02", "2a03", "2600", "2604", "2a01"])
        groups = [f"{self.rng.randint(0, 0xFFFF):x}" for _ in range(5)]
        return f"{head}:{groups[0]}:{groups[1]}:{groups[2]}::{groups[3]}:{groups[4]}"

    # -- things that look like PII but must be kept -------------------------------------------------
    def ipv4_keep(self) -> str:
        r = self.rng
        return self.pick([f"192.168.{r.randint(0, 20)}.{r.randint(2, 254)}",
                          f"10.{r.randint(0, 40)}.{r.randint(0, 255)}.{r.randint(2, 254)}",
                          "127.0.0.1", "8.8.8.8", "1.1.1.1", f"203.0.113.{self.rng.randint(1, 254)}",
                          f"198.51.100.{self.rng.randint(1, 254)}"])

    def version(self) -> str:
        return self.pick([f"{self.rng.randint(1, 9)}.{self.rng.randint(0, 20)}.{self.rng.randint(0, 9)}",
                          f"{self.rng.randint(1, 4)}.{self.rng.randint(0, 9)}.{self.rng.randint(0, 9)}."
                          f"{self.rng.randint(0, 99)}"])

    def git_sha(self, n: int = 40) -> str:
        return self.token(n, "0123456789abcdef")

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def cve(self) -> str:
        return f"CVE-{self.rng.randint(2019, 2025)}-{self.rng.randint(1000, 49999)}"

    def isbn(self) -> str:
        first12 = "978" + self.pick(["0", "1", "3"]) + self.digits(8)
        full = first12 + isbn13_check_digit(first12)
        return f"{full[:3]}-{full[3]}-{full[4:8]}-{full[8:12]}-{full[12]}"

    def bug(self) -> str:
        return f"#{self.rng.randint(1000, 99999)}"

    def count(self) -> str:
        return f"{self.rng.randint(1000, 9_999_999):,}"

    def when(self) -> datetime:
        start = datetime(2023, 1, 1, tzinfo=timezone.utc)
        return start + timedelta(seconds=self.rng.randint(0, 2 * 365 * 86400))

    def date_text(self) -> str:
        d = self.when()
        return self.pick([d.strftime("%B %d, %Y").replace(" 0", " "), d.strftime("%Y-%m-%d"),
                          d.strftime("%d/%m/%Y"), d.strftime("%A")])

    def iso_ts(self) -> str:
        return self.when().strftime("%Y-%m-%dT%H:%M:%SZ")

    # -- secrets (vendor formats; random, non-working) ---------------------------------------------
    def aws_key(self) -> str:
        return "AKIA" + self.token(16, string.ascii_uppercase + "234567")

    def aws_secret(self) -> str:
        return self.token(40, string.ascii_letters + string.digits + "+/")

    def github_token(self) -> str:
        return "ghp_" + self.token(36)

    def slack_token(self) -> str:
        return f"xoxb-{self.digits(12)}-{self.digits(13)}-{self.token(24)}"

    def stripe_key(self) -> str:
        return self.pick(["sk_live_", "sk_test_"]) + self.token(24)

    def google_key(self) -> str:
        return "AIza" + self.token(35, string.ascii_letters + string.digits + "_-")

    def jwt(self) -> str:
        def b64(raw: bytes) -> str:
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        first, last = self.person()
        claims = {"sub": self.digits(10), "name": f"{first} {last}",
                  "iat": 1700000000 + self.rng.randint(0, 10**7)}
        payload = b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
        mac = hmac.new(self.token(32).encode(), f"{header}.{payload}".encode(), hashlib.sha256)
        signature = b64(mac.digest())
        return f"{header}.{payload}.{signature}"

    def pem_block(self) -> str:
        body = base64.b64encode(self.rng.getrandbits(8 * 600).to_bytes(600, "big")).decode()
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        return "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----"

    def password(self) -> str:
        return self.pick(["Summer2024!", "hunter2-prod", "Tr0ub4dor&3", "P@ssw0rd-" + self.digits(3),
                          self.token(14, string.ascii_letters + string.digits + "!#%&*")])


def _ascii(text: str) -> str:
    """Strip accents for the local part of email addresses (as people do)."""
    table = str.maketrans("éëöüóáñšçè", "eeouoansce")
    return text.translate(table)


# ---------------------------------------------------------------------------------------------------
# Shared boilerplate (≥ 60 words, repeated verbatim so the repeated-sequence stage has work)
# ---------------------------------------------------------------------------------------------------

MAIL_DISCLAIMER = (
    "CONFIDENTIALITY NOTICE: This e-mail message, including any attachments, is for the sole use of the "
    "intended recipient(s) and may contain confidential and privileged information. Any unauthorized "
    "review, use, disclosure or distribution is prohibited. If you are not the intended recipient, please "
    "contact the sender by reply e-mail and destroy all copies of the original message. Nothing in this "
    "message constitutes a binding offer or acceptance unless expressly stated by an authorised signatory. "
    "Please consider the environment before printing this e-mail."
)
FORUM_FOOTER = (
    "Community guidelines reminder: please do not post passwords, API keys, full card numbers or other "
    "personal information in public threads. Moderators may edit posts that contain such data without "
    "notice. If you need help with an account-specific problem, open a private support ticket from the "
    "help centre instead, and a member of staff will reply within two business days. Posts are provided "
    "as is, without warranty of any kind, and do not represent the official position of the company."
)
NEWS_BOILERPLATE = (
    "About the Valley Courier: The Valley Courier is an independent, reader-supported newsroom covering "
    "local government, business, health and technology across the region since 1987. Our reporting is "
    "free to read and republish under our syndication policy, provided that articles are credited, links "
    "are preserved and no changes are made to quotes or facts. To report a correction, contact the "
    "standards desk; corrections are reviewed within one working day and published at the foot of the "
    "original story."
)

# ---------------------------------------------------------------------------------------------------
# Text builders
# ---------------------------------------------------------------------------------------------------


def forum_post(f: Fake, n: int) -> str:
    """A support-forum post: a problem, log lines with keep-worthy and PII numbers, a signature."""
    first, last = f.person()
    company, domain = f.company()
    product = f.pick(PRODUCTS)
    version = f.version()
    opener = f.pick([
        f"Hi all, since upgrading {product} to {version} on {f.date_text()} our team keeps hitting the "
        "same problem.",
        f"Hello, I've searched the forum and bug {f.bug()} looks related, but the workaround there "
        "didn't help.",
        f"Quick question for anyone running {product} behind a proxy: has anyone seen this after {version}?",
        f"Posting on behalf of our IT lead, {f.name()}, who can't log in to the forum right now.",
        f"Long-time user, first post. {product} worked fine for about {f.rng.randint(2, 9)} months and "
        "then stopped.",
    ])
    problem = f.pick([
        f"The job fails with error E{f.digits(4)} after processing roughly {f.count()} rows, always at "
        "the same point.",
        f"Requests from our office ({f.ipv4_public()}) are rejected with HTTP 403, while the same call from "
        f"{f.ipv4_keep()} on the internal network works.",
        "The export finishes, but every customer record in the CSV has the phone column shifted by "
        "one field.",
        f"Our card on file ending in {f.digits(4)} was charged twice on {f.date_text()} and the invoice "
        "shows only one seat.",
        "The login page loops back to itself; clearing cookies and trying another browser made no "
        "difference.",
        f"Sync stalls at {f.rng.randint(10, 99)}% and the log says the upstream ({f.ipv6_public()}) "
        "closed the connection.",
    ])
    log = "\n".join([
        f"[{f.iso_ts()}] INFO  worker-{f.rng.randint(1, 8)} build {f.git_sha(12)} request_id={f.uuid()}",
        f"[{f.iso_ts()}] WARN  retry {f.rng.randint(1, 5)}/5 host={f.ipv4_keep()} "
        f"latency_ms={f.rng.randint(20, 4000)}",
        f"[{f.iso_ts()}] ERROR client={f.ipv4_public()} user={f.email(first, last, domain)} status=500",
    ])
    detail = f.pick([
        f"If it helps, you can reach me at {f.phone()} during business hours, or by email at "
        f"{f.email(first, last, domain)}.",
        "Our billing contact is {} {} ({}); the account is registered to {}.".format(
            *(contact := f.person()), f.email(*contact, domain), f.address()),
        f"I have already checked the advisory for {f.cve()} and we are on the patched build {version}.",
        f"Someone on our team pasted the full card number {f.card()} in a ticket by mistake — can a "
        "moderator please remove it?",
        f"The docs say to send logs to {f.pick(DOC_EMAILS)}, but that address bounces; who should I contact?",
        f"Payment went out from our account {f.iban()} on {f.date_text()}, reference INV-{f.digits(6)}.",
    ])
    closing = f.pick(["Thanks in advance!", "Any pointers appreciated.", "Cheers,", "Thanks for reading,",
                      "Much obliged 🙏"])
    signature = f"{first} {last}\n{company} | {f.phone()}"
    parts = [opener, problem, "Relevant log lines:\n" + log, detail, closing, signature]
    if n % 3 == 0:
        parts.append(FORUM_FOOTER)
    return "\n\n".join(parts)


def mail_message(f: Fake) -> str:
    """A business email with a signature block and (usually) a long legal disclaimer."""
    to_first, to_last = f.person()
    first, last = f.person()
    company, domain = f.company()
    topic = f.pick(["invoice", "payroll", "meeting", "onboarding", "wire", "security"])
    body = {
        "invoice": [
            f"Please find attached invoice INV-{f.digits(6)} for {f.rng.randint(2, 40)} seats of "
            f"{f.pick(PRODUCTS)}.",
            f"Payment is due within 30 days to {f.iban()}, quoting the invoice number as reference.",
            f"If you prefer to pay by card, our accounts team can take the details by phone on {f.phone()}.",
        ],
        "payroll": [
            f"HR needs to correct the tax form for {f.name()} before the next payroll run on "
            f"{f.date_text()}.",
            f"The SSN on file is {f.ssn()} but the W-4 they returned shows {f.ssn()}; could you confirm "
            "which one is right?",
            f"Their mailing address is now {f.address()}.",
        ],
        "meeting": [
            f"Thanks for the call on {f.date_text()}. As agreed, we'll meet at our office at {f.address()}.",
            f"{f.name()} will join remotely; their mobile is {f.phone()} in case the dial-in fails.",
            f"The agenda is the Q{f.rng.randint(1, 4)} roadmap and the migration to version {f.version()}.",
        ],
        "onboarding": [
            f"Welcome aboard! Your laptop has been assigned asset tag {f.uuid()[:8].upper()}.",
            f"Your temporary VPN endpoint is {f.ipv4_public()}; the internal wiki lives at {f.ipv4_keep()}.",
            f"Please set up direct deposit: we have {f.iban('GB')} on file, reply if that's wrong.",
        ],
        "wire": [
            f"We received the wire of ${f.count()}.00 from {f.name()} this morning.",
            f"The corporate card {f.card()} was used for the deposit fee; please reconcile it against "
            f"statement {f.digits(8)}.",
            f"Any questions, ping me or {f.email()}.",
        ],
        "security": [
            f"We saw {f.count()} failed logins from {f.ipv4_public()} and {f.ipv6_public()} overnight.",
            f"The accounts affected include {f.email()} and {f.email(domain=domain)}; both have been reset.",
            f"The vendor says this is unrelated to {f.cve()}; their ticket number is {f.bug()}.",
        ],
    }[topic]
    f.rng.shuffle(body)
    greeting = f.pick([f"Hi {to_first},", f"Dear {to_first} {to_last},", f"Hello {to_first},", "Hi team,"])
    sign_off = f.pick(["Best regards,", "Kind regards,", "Thanks,", "Cheers,"])
    title = f.pick(["Accounts Manager", "Head of People", "Operations Lead", "Customer Success",
                    "IT Administrator"])
    signature = (
        f"{first} {last}\n{title}, {company}\n{f.address()}\n"
        f"Tel: {f.phone()} | Mobile: {f.phone()}\n{f.email(first, last, domain)} | www.{domain}"
    )
    parts = [greeting, " ".join(body), sign_off, signature]
    if f.rng.random() < 0.8:
        parts.append(MAIL_DISCLAIMER)
    return "\n\n".join(parts)


def config_snippet(f: Fake, lang: str) -> str:
    """A config or code file with secrets embedded the way people actually leak them."""
    user = _ascii(f.pick(FIRST_NAMES)).lower()
    db_host = f.pick(["db.internal", "10.0.3.17", "postgres.prod.kestrelfreight.co.uk", "localhost"])
    if lang == "env":
        return "\n".join([
            "# production settings — do not commit",
            f"AWS_ACCESS_KEY_ID={f.aws_key()}",
            f"AWS_SECRET_ACCESS_KEY={f.aws_secret()}",
            f"STRIPE_SECRET_KEY={f.stripe_key()}",
            f"SLACK_BOT_TOKEN={f.slack_token()}",
            f"DATABASE_URL=postgres://{user}:{f.password()}@{db_host}:5432/app",
            f"APP_VERSION={f.version()}",
            f"BUILD_SHA={f.git_sha()}",
        ])
    if lang == "python":
        return "\n".join([
            "import os",
            "",
            "import requests",
            "",
            f'GITHUB_TOKEN = "{f.github_token()}"  # TODO move to vault',
            f'GOOGLE_MAPS_KEY = "{f.google_key()}"',
            f'password = "{f.password()}"',
            f'ADMIN_EMAIL = "{f.email()}"',
            f'SUPPORT_EMAIL = "{f.pick(DOC_EMAILS)}"',
            "",
            "",
            "def fetch_report(report_id: str) -> dict:",
            f'    """Fetch a report; see bug {f.bug()} for the retry logic."""',
            f'    url = f"https://{user}:{f.password()}@reports.{f.company()[1]}/v2/{{report_id}}"',
            f'    headers = {{"Authorization": "Bearer {f.jwt()}"}}',
            '    timeout = float(os.environ.get("TIMEOUT", "5"))',
            "    return requests.get(url, headers=headers, timeout=timeout).json()",
        ])
    if lang == "yaml":
        return "\n".join([
            "service:",
            f"  name: billing-{f.rng.randint(1, 9)}",
            f"  image: registry.example.com/billing@sha256:{f.git_sha(64)}",
            f"  version: {f.version()}",
            f"  trace_id: {f.uuid()}",
            "  upstream:",
            f"    - {f.ipv4_public()}",
            f"    - {f.ipv4_keep()}",
            "database:",
            f"  user: {user}",
            f'  password: "{f.password()}"',
            "stripe:",
            f"  api_key: {f.stripe_key()}",
            "alerts:",
            f"  slack_webhook_token: {f.slack_token()}",
            f"  oncall_phone: \"{f.phone('US')}\"",
        ])
    if lang == "pem":
        return "\n".join([
            f"# deploy key for {f.pick(['staging', 'prod', 'ci'])} — generated {f.date_text()}",
            f.pem_block(),
        ])
    if lang == "shell":
        return "\n".join([
            "#!/usr/bin/env bash",
            "set -euo pipefail",
            f"export AWS_ACCESS_KEY_ID={f.aws_key()}",
            f"export GH_TOKEN={f.github_token()}",
            f"git clone https://{user}:{f.github_token()}@github.com/{user}/infra.git",
            f"curl -s -H 'Authorization: Bearer {f.jwt()}' https://api.{f.company()[1]}/v1/health",
            f"ssh deploy@{f.ipv4_public()} 'systemctl restart app'  # fallback {f.ipv4_keep()}",
            f"echo 'deployed {f.git_sha(7)} ({f.version()})'",
        ])
    if lang == "json":
        return json.dumps({
            "client_id": f.uuid(),
            "api_key": f.google_key(),
            "webhook": f"https://hooks.example.com/{f.token(12)}",
            "owner": {"name": f.name(), "email": f.email(), "phone": f.phone()},
            "aws": {"access_key_id": f.aws_key(), "region": "eu-west-1"},
            "version": f.version(),
        }, indent=2, ensure_ascii=False)
    raise ValueError(f"unknown snippet language {lang!r}")


def article(f: Fake, n: int) -> tuple[str, str]:
    """A news article of several KB: title and body with quotes, contacts and keep-worthy numbers."""
    topic = f.pick(TOPICS)
    city, state, _ = f.pick(US_CITIES)
    action = f.pick(["weighs", "braces for", "debates", "reports progress on", "pauses"])
    title = f"{city} {action} {topic} plan"
    reporter = f.name()
    paragraphs = [f"By {reporter} | {city}, {state} | {f.date_text()}"]
    for _ in range(f.rng.randint(9, 14)):
        sentences = [article_sentence(f, topic, city) for _ in range(f.rng.randint(3, 6))]
        paragraphs.append(" ".join(sentences))
    paragraphs.append(f"Reporter {reporter} can be reached at {f.email(domain='valleycourier.com')} or "
                      f"{f.phone('US')}. Tips can also be sent to {f.pick(DOC_EMAILS)}.")
    if n % 2 == 0:
        paragraphs.append(NEWS_BOILERPLATE)
    return title, "\n\n".join(paragraphs)


def article_sentence(f: Fake, topic: str, city: str) -> str:
    """One sentence assembled from independent parts, so unrelated articles share few long substrings."""
    who = f.pick([f"council member {f.name()}", f"{f.name()}, a spokesperson for {f.company()[0]},",
                  f"resident {f.name()}", f"analyst {f.name()}", "the mayor's office", f"Dr. {f.name()}",
                  "a state auditor", f"{f.name()}, who has lived on {f.pick(STREETS)} for two decades,"])
    verb = f.pick(["said", "told the Courier", "argued", "warned", "wrote in a statement", "noted",
                   "acknowledged", "insisted"])
    claim = f.pick([
        f"that the {topic} plan would cost about ${f.count()} over {f.rng.randint(2, 12)} years",
        f"that {f.count()} households could be affected before {f.date_text()}",
        "that the figures presented last week were incomplete",
        f"that the vote, scheduled for {f.date_text()}, should be postponed",
        f"that a report from {f.rng.randint(2015, 2023)} had already flagged the risk",
        "that nobody on the committee had seen the final draft",
        f"that the county's servers at {f.ipv4_keep()} were never exposed, despite rumours about {f.cve()}",
        f"that a new guide (ISBN {f.isbn()}) would be handed out at libraries",
        f"that residents could call the hotline on {f.phone()} with questions",
        f"that complaints should be mailed to {f.address()}",
        f"that the software in question, version {f.version()}, had been patched",
    ])
    tail = f.pick(["", "", f", according to minutes published on {f.date_text()}",
                   f", in an interview at the {city} public library", ", though several colleagues disagreed",
                   f", citing a survey of {f.count()} respondents",
                   ", adding that more hearings were needed"])
    leak = f.pick([""] * 25 + [
        f" A leaked memo listed the treasurer's card as {f.card()}.",
        f" Court filings show the defendant's Social Security number as {f.ssn()}.",
        f" Donations were routed through the account {f.iban()}.",
        f" The complaint was traced to {f.ipv4_public()}.",
        f" Contact: {f.email()}.",
    ])
    return f"{who[0].upper()}{who[1:]} {verb} {claim}{tail}.{leak}"


def chat_turns(f: Fake) -> str:
    """A short user/assistant exchange in which the user volunteers personal data."""
    first, last = f.person()
    asks = [
        f"My name is {first} {last} and I need to update the email on my account to {f.email(first, last)}.",
        f"Can you check why my card {f.card()} was declined? My billing ZIP is {f.digits(5)}.",
        f"I moved to {f.address()} — do I need to change anything for shipping?",
        f"My phone number changed to {f.phone()}, please update it.",
        f"What's the difference between version {f.version()} and the one released on {f.date_text()}?",
        f"Is my IP {f.ipv4_public()} blocked? Ping to {f.ipv4_keep()} works fine.",
        f"For the refund, my IBAN is {f.iban()} and the account holder is {f.name()}.",
        f"The tax form asks for my SSN, {f.ssn()}. Is it safe to type it here?",
        f"Can you summarise the book with ISBN {f.isbn()} in three sentences?",
    ]
    answers = [
        "Sure — I've noted that. For security, please avoid sharing full account numbers in chat.",
        "I can help with that. Could you confirm the last four digits only?",
        "Thanks! The change will take effect within 24 hours.",
        f"Version {f.version()} mainly fixes the import bug tracked as {f.bug()}.",
        "Please don't share that here; use the secure form in your account settings instead.",
    ]
    turns = []
    for _ in range(f.rng.randint(1, 3)):
        turns.append(f"User: {f.pick(asks)}")
        turns.append(f"Assistant: {f.pick(answers)}")
    return "\n".join(turns)


def near_duplicate(f: Fake, text: str, edits: int = 3) -> str:
    """Return ``text`` with a few words swapped for others: close enough for MinHash, not identical."""
    words = text.split(" ")
    replacements = ["really", "still", "also", "now", "again", "today", "just", "basically"]
    candidates = [i for i, w in enumerate(words) if w.isalpha() and len(w) > 3]
    for i in sorted(f.rng.sample(candidates, min(edits, len(candidates)))):
        words[i] = f.pick(replacements)
    return " ".join(words)


# ---------------------------------------------------------------------------------------------------
# Datasets (rows) — each function returns the rows and records planted duplicates in ``plan``
# ---------------------------------------------------------------------------------------------------


def forum_rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    f = Fake("forum")
    rows = []
    for n in range(160):
        rows.append({
            "id": f"forum-{n:04d}",
            "text": forum_post(f, n),
            "url": f"https://community.brightlake.io/t/{f.token(8, string.ascii_lowercase)}/{10000 + n}",
            "timestamp": f.iso_ts(),
            "lang": "en",
            "meta": {"board": f.pick(BOARDS), "votes": f.rng.randint(0, 40), "solved": f.rng.random() < 0.4},
        })
    # Exact reposts (same text, new id/url/time) and edited reposts (near-duplicates).
    for src in (5, 17, 42, 88):
        rows.append(dict(rows[src], id=f"forum-{len(rows):04d}", timestamp=f.iso_ts()))
        plan["exact_duplicates"].append([_ref(FORUM, rows[src]["id"]), _ref(FORUM, rows[-1]["id"])])
    for src in (3, 29, 61, 120, 150):
        rows.append(dict(rows[src], id=f"forum-{len(rows):04d}", text=near_duplicate(f, rows[src]["text"], edits=2)))
        plan["near_duplicates"].append([_ref(FORUM, rows[src]["id"]), _ref(FORUM, rows[-1]["id"])])
    order = list(range(len(rows)))
    f.rng.shuffle(order)  # reposts are not all at the end, as in a real crawl
    rows = [rows[i] for i in order]
    plan["boilerplate"]["FORUM_FOOTER"] += [_ref(FORUM, r["id"]) for r in rows if FORUM_FOOTER in r["text"]]
    return rows


def mail_rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    f = Fake("mail")
    rows = []
    for n in range(140):
        rows.append({
            "id": f"mail-{n:04d}",
            "text": mail_message(f),
            "timestamp": f.iso_ts(),
            "meta": {"folder": f.pick(["inbox", "sent", "archive"]), "thread": f.rng.randint(1, 60),
                     "attachments": f.rng.randint(0, 3)},
        })
    for src in (11, 64, 99):  # the same message stored in two folders
        archived = dict(rows[src]["meta"], folder="archive")
        rows.append(dict(rows[src], id=f"mail-{len(rows):04d}", meta=archived))
        plan["exact_duplicates"].append([_ref(MAIL, rows[src]["id"]), _ref(MAIL, rows[-1]["id"])])
    plan["boilerplate"]["MAIL_DISCLAIMER"] += [_ref(MAIL, r["id"]) for r in rows if MAIL_DISCLAIMER in r["text"]]
    return rows


def config_rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    f = Fake("configs")
    langs = ["env", "python", "yaml", "pem", "shell", "json"]
    paths = {"env": ".env", "python": "app/settings.py", "yaml": "deploy/values.yaml",
             "pem": "keys/deploy.pem", "shell": "scripts/deploy.sh", "json": "config/client.json"}
    rows = []
    for n in range(90):
        lang = langs[n % len(langs)]
        rows.append({
            "id": f"cfg-{n:04d}",
            "text": config_snippet(f, lang),
            "path": paths[lang],
            "lang": lang,
            "meta": {"repo": f"{f.pick(['acme', 'kestrel', 'bl-ops'])}/{f.pick(['infra', 'api', 'web'])}",
                     "stars": f.rng.randint(0, 500), "commit": f.git_sha()},
        })
    for src in (7, 30):  # vendored copies of the same file in another repo
        vendored = dict(rows[src]["meta"], repo="mirror/vendor")
        rows.append(dict(rows[src], id=f"cfg-{len(rows):04d}", meta=vendored))
        plan["exact_duplicates"].append([_ref(CONFIGS, rows[src]["id"]), _ref(CONFIGS, rows[-1]["id"])])
    return rows


def news_rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    f = Fake("news")
    rows = []
    for n in range(60):
        title, text = article(f, n)
        rows.append({
            "id": 1000 + n,
            "url": f"https://www.valleycourier.com/{f.when():%Y/%m}/{title.lower().replace(' ', '-')}",
            "title": title,
            "score": round(f.rng.uniform(0.0, 1.0), 4),
            "tags": sorted(f.rng.sample(NEWS_TAGS, f.rng.randint(1, 3))),
            "published": f.when().replace(microsecond=0),
            "text": text,
        })
    for src in (4, 23, 47):  # syndicated copies with a few words changed by the partner's editor
        rows.append(dict(rows[src], id=1000 + len(rows),
                         url=rows[src]["url"].replace("www.valleycourier.com", "partner.example.net"),
                         text=near_duplicate(f, rows[src]["text"], edits=12)))
        plan["near_duplicates"].append([_ref(NEWS, rows[src]["id"]), _ref(NEWS, rows[-1]["id"])])
    plan["boilerplate"]["NEWS_BOILERPLATE"] += [_ref(NEWS, r["id"]) for r in rows if NEWS_BOILERPLATE in r["text"]]
    return rows


def chat_rows(plan: dict[str, Any], forum: list[dict[str, Any]]) -> list[dict[str, Any]]:
    f = Fake("chat")
    rows = [{"text": chat_turns(f), "id": f"chat-{n:04d}", "source": "assistant-logs"} for n in range(120)]
    # Forum posts that were also scraped into the chat corpus: exact duplicates across files.
    for post in forum[:4]:
        rows.append({"text": post["text"], "id": f"chat-{len(rows):04d}", "source": "forum-mirror"})
        plan["exact_duplicates"].append([_ref(FORUM, post["id"]), _ref(CHAT, rows[-1]["id"])])
    return rows


def broken_lines(plan: dict[str, Any], forum: list[dict[str, Any]]) -> list[bytes]:
    """Good JSON lines with the bad ones of BROKEN_LINES at their fixed positions."""
    f = Fake("broken")
    bad: dict[int, Callable[[int], bytes]] = {
        4: lambda i: b'{"id": "broken-%04d", "text": "Order shipped to ' % i + f.address().encode() + b"\n",
        9: lambda i: b'{"id": "broken-%04d", "text": "Caf\xe9 receipt for ' % i
        + f.name().encode() + b' \xff\xfe total 12.50"}\n',
        15: lambda i: _jsonl({"id": f"broken-{i:04d}", "text": None, "lang": "en"}),
        21: lambda i: _jsonl({"id": f"broken-{i:04d}", "text": 42, "lang": "en"}),
        27: lambda i: _jsonl({"id": f"broken-{i:04d}", "body": forum_post(f, 1), "lang": "en"}),
    }
    assert set(bad) == set(BROKEN_LINES), "BROKEN_LINES and the generators must agree"
    lines = []
    for line_no in range(1, BROKEN_TOTAL_LINES + 1):
        if line_no in bad:
            lines.append(bad[line_no](line_no))
        elif line_no == 2:  # a forum post copied verbatim: the good lines still take part in dedup
            row = {"id": f"broken-{line_no:04d}", "text": forum[10]["text"], "lang": "en"}
            plan["exact_duplicates"].append([_ref(FORUM, forum[10]["id"]), _ref(BROKEN, row["id"])])
            lines.append(_jsonl(row))
        else:
            row = {"id": f"broken-{line_no:04d}", "text": forum_post(f, line_no + 1), "lang": "en"}
            lines.append(_jsonl(row))
    plan["broken_lines"] = {str(k): v for k, v in BROKEN_LINES.items()}
    return lines


# ---------------------------------------------------------------------------------------------------
# Writers (each pins whatever would otherwise make the bytes vary)
# ---------------------------------------------------------------------------------------------------


def _ref(path: str, doc_id: object) -> str:
    """Name a document in _manifest.json as ``<file under data/samples>:<id column>``."""
    return f"{path}:{doc_id}"


def _jsonl(row: dict[str, Any]) -> bytes:
    return (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(_jsonl(r) for r in rows))


def write_jsonl_gz(path: Path, rows: list[dict[str, Any]]) -> None:
    """gzip with mtime=0 and an empty file name: the header then carries nothing run-dependent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=GZIP_LEVEL, mtime=0) as gz:
        gz.write(b"".join(_jsonl(r) for r in rows))
    path.write_bytes(buf.getvalue())


def write_jsonl_zst(path: Path, rows: list[dict[str, Any]]) -> None:
    """One zstd frame at a fixed level with the content size and a checksum (readers can verify)."""
    import zstandard

    path.parent.mkdir(parents=True, exist_ok=True)
    compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True, write_content_size=True)
    path.write_bytes(compressor.compress(b"".join(_jsonl(r) for r in rows)))


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    """Parquet with an explicit schema, compression and row-group size (no timestamps are written)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        ("id", pa.int64()), ("url", pa.string()), ("title", pa.string()), ("score", pa.float64()),
        ("tags", pa.list_(pa.string())), ("published", pa.timestamp("ms", tz="UTC")), ("text", pa.string()),
    ])
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=PARQUET_ROW_GROUP_SIZE, compression="zstd",
                   compression_level=3)


def write_hf(path: Path, rows: list[dict[str, Any]]) -> None:
    """``save_to_disk`` in one shard; its fingerprint hashes the content, so the folder is reproducible."""
    import datasets

    datasets.disable_progress_bars()
    features = datasets.Features({"text": datasets.Value("string"), "id": datasets.Value("string"),
                                  "source": datasets.Value("string")})
    columns = {name: [r[name] for r in rows] for name in features}
    datasets.Dataset.from_dict(columns, features=features).save_to_disk(str(path), num_shards=1)


def generate(out: Path) -> dict[str, Any]:
    """Write every sample under ``out`` and return the plan of planted duplicates and bad lines."""
    plan: dict[str, Any] = {
        "seed": SEED,
        "exact_duplicates": [],
        "near_duplicates": [],
        "boilerplate": {"FORUM_FOOTER": [], "MAIL_DISCLAIMER": [], "NEWS_BOILERPLATE": []},
    }
    forum = forum_rows(plan)
    write_jsonl(out / FORUM, forum)
    write_jsonl_gz(out / MAIL, mail_rows(plan))
    write_jsonl_zst(out / CONFIGS, config_rows(plan))
    write_parquet(out / NEWS, news_rows(plan))
    write_hf(out / CHAT, chat_rows(plan, forum))
    (out / BROKEN).write_bytes(b"".join(broken_lines(plan, forum)))
    (out / MANIFEST).write_text(json.dumps(plan, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return plan


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/samples)")
    args = parser.parse_args(argv)
    plan = generate(args.out)
    total = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {args.out} ({total / 1024:.0f} KiB); {len(plan['exact_duplicates'])} exact-duplicate "
          f"pairs, {len(plan['near_duplicates'])} near-duplicate pairs, {len(plan['broken_lines'])} bad lines")


if __name__ == "__main__":
    main()

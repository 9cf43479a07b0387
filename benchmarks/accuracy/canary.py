"""The canary set: real-world-looking documents with planted PII and planted look-alikes.

Generated sentences (presidio-evaluator) are short and clean; training corpora are not. These
documents imitate what a scrubber meets in a web or code crawl — forum posts, emails with signatures,
server logs, config files and code with secrets, CSV dumps, changelogs, support tickets — and plant
every PII type in the shapes users write it, next to the look-alikes a scrubber must keep (reserved
domains, private IPs, versions, digests, UUIDs, CVE ids, ISBNs, dates, counts). Every planted value
is recorded with its offsets, so both span scores and leak/damage rates can be measured.

Everything is generated from one seed by code (no data files): ``generate(seed, n_docs)`` returns the
same documents on every machine.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.accuracy.values import KEEP, Value, ValueFactory, value


@dataclass(frozen=True, slots=True)
class Planted:
    """A planted value at ``text[start:end]`` (``entity_type`` is ``KEEP`` for a look-alike)."""

    start: int
    end: int
    entity_type: str
    kind: str
    text: str
    probes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CanaryDoc:
    doc_kind: str
    text: str
    planted: tuple[Planted, ...]

    @property
    def gold(self) -> list[Planted]:
        return [p for p in self.planted if p.entity_type != KEEP]

    @property
    def keep(self) -> list[Planted]:
        return [p for p in self.planted if p.entity_type == KEEP]


class DocBuilder:
    """Concatenates literal text and planted values, recording each value's offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self._planted: list[Planted] = []

    def add(self, *parts: str | Value) -> DocBuilder:
        for part in parts:
            if isinstance(part, Value):
                start = self._pos
                self._append(part.text)
                self._planted.append(Planted(start, self._pos, part.entity_type, part.kind, part.text, part.probes))
            else:
                self._append(part)
        return self

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._pos += len(text)

    def build(self, doc_kind: str) -> CanaryDoc:
        return CanaryDoc(doc_kind, "".join(self._parts), tuple(self._planted))


# -- document kinds ----------------------------------------------------------------------------------
def forum_post(f: ValueFactory, b: DocBuilder) -> None:
    r = f.rng
    first, last = f.person_parts()
    subject = r.choice(("Router keeps dropping connection", "Build fails after upgrade", "Anyone else seeing this?"))
    b.add(f"Re: {subject}\n\n")
    b.add("Quote from ", f.person(), " on ", f.keep("date"), ":\n> tried everything, even set DNS to ",
          f.keep("resolver_ip"), " and rebooted\n\n")
    b.add("Same here. My box sits at ", f.keep("private_ip"), " behind the modem and the logs show the "
          "upstream as ", f.public_ip(), ". Running firmware ", f.keep("version"), " since ",
          f.keep("date"), ".\n")
    b.add("The vendor ticket is ", f.keep("bug_number"), " and it links ", f.keep("cve"),
          " which was fixed in ", f.keep("version"), ".\n\n")
    b.add("If anyone wants the full dump, mail me at ", f.email(first, last), " or text ", f.phone(),
          ". Please don't use the address on the vendor page (", f.keep("doc_email"), "), nobody reads it.\n")
    b.add("-- ", f.person(first, last), "\n")


def email_with_signature(f: ValueFactory, b: DocBuilder) -> None:
    r = f.rng
    sender_first, sender_last = f.person_parts()
    to_first, to_last = f.person_parts()
    b.add("From: ", f.person(sender_first, sender_last), " <", f.email(sender_first, sender_last), ">\n")
    b.add("To: ", f.person(to_first, to_last), " <", f.email(to_first, to_last), ">\n")
    b.add("Date: ", f.keep("timestamp"), "\nSubject: ",
          r.choice(("Invoice and payment details", "Re: onboarding paperwork", "Wire transfer for the deposit")),
          "\n\nHi ", value("PERSON", "first_name", to_first), ",\n\n")
    b.add("As discussed, please use the account ", f.iban(), " for the transfer. For the card on file "
          "(", f.credit_card(), ") the charge of $1,240.00 will show up within 2 business days.\n")
    b.add("The signed form has my SSN ", f.ssn(), " on page 2; please shred the printout after scanning.\n")
    b.add("Our reference for this is ", f.keep("uuid"), ", and the courier delivers to:\n\n", f.street_address(True),
          "\n\n")
    b.add("Best regards,\n", f.person(sender_first, sender_last), "\n",
          r.choice(("Senior Accountant", "Office Manager", "Head of Operations")), "\n",
          "Mobile: ", f.phone(), "\nOffice: ", f.phone(), "\n")
    b.add("This message was scanned by our gateway (policy ", f.keep("version"), ", report to ",
          f.keep("doc_email"), ").\n")


def server_log(f: ValueFactory, b: DocBuilder) -> None:
    r = f.rng
    for _ in range(r.randint(4, 7)):
        choice = r.random()
        b.add(f.keep("timestamp"), " ")
        if choice < 0.3:
            b.add("INFO  [http-nio-8080-exec-", str(r.randint(1, 40)), "] ", f.public_ip(),
                  " - - \"GET /api/v2/orders/", f.keep("uuid"), " HTTP/1.1\" 200 ", f.keep("large_count"), "\n")
        elif choice < 0.5:
            b.add("WARN  auth: failed login for ", f.email(), " from ", f.public_ip(), " (attempt 3, upstream ",
                  f.keep("private_ip"), ")\n")
        elif choice < 0.65:
            b.add("DEBUG resolver ", f.keep("resolver_ip"), " answered in 12ms; peer ", f.keep("local_ipv6"),
                  " build ", f.keep("git_sha"), "\n")
        elif choice < 0.8:
            b.add("ERROR payment-svc: card ", f.credit_card(), " declined for customer ", f.person(),
                  " request_id=", f.keep("hex_digest"), "\n")
        else:
            b.add("INFO  deploy: version ", f.keep("version"), " started at ", f.keep("time"),
                  " by ci-runner on ", f.keep("private_ip"), "\n")
    b.add("ERROR db: connection refused url=postgresql://app_rw:", f.secret("url_credentials"),
          "@db-primary.internal:5432/orders\n")


def config_file(f: ValueFactory, b: DocBuilder) -> None:
    r = f.rng
    style = r.choice(("yaml", "env", "ini"))
    if style == "yaml":
        b.add("# deploy config, generated ", f.keep("date"), "\n", "service:\n  name: billing-api\n  version: ",
              f.keep("version"), "\n  bind: ", f.keep("private_ip"), "\n  dns: [", f.keep("resolver_ip"), "]\n")
        b.add("database:\n  host: db.internal\n  user: billing\n  password: \"", f.secret("password_assignment"),
              "\"\n")
        b.add("aws:\n  access_key_id: ", f.secret("aws_access_key_id"), "\n  secret_access_key: ",
              f.secret("aws_secret_access_key"), "\n  region: eu-west-1\n")
        b.add("integrations:\n  slack_token: ", f.secret("slack_token"), "\n  stripe_secret: ",
              f.secret("stripe_key"), "\n  maps_api_key: ", f.secret("google_api_key"), "\n")
        b.add("admin_contact: ", f.keep("doc_email"), "\n")
    elif style == "env":
        b.add("# .env for staging (do not commit!)\nAPP_ENV=staging\nAPP_BUILD=", f.keep("git_sha"), "\n")
        b.add("DATABASE_URL=mysql://root:", f.secret("url_credentials"), "@", f.keep("private_ip"), ":3306/shop\n")
        b.add("GITHUB_TOKEN=", f.secret("github_token"), "\nGITLAB_TOKEN=", f.secret("gitlab_token"), "\n")
        b.add("JWT_SECRET=", f.secret("password_assignment"), "\nSESSION_TOKEN=", f.secret("jwt"), "\n")
        b.add("AWS_ACCESS_KEY_ID=", f.secret("aws_access_key_id"), "\nAWS_SECRET_ACCESS_KEY=",
              f.secret("aws_secret_access_key"), "\n")
        b.add("SUPPORT_EMAIL=", f.keep("doc_email"), "\nMAX_UPLOAD_BYTES=", f.keep("large_count"), "\n")
    else:
        b.add("[server]\nlisten = ", f.keep("private_ip"), ":8443\nupstream_dns = ", f.keep("resolver_ip"),
              "\nrelease = ", f.keep("version"), "\n\n")
        b.add("[smtp]\nhost = smtp.mailgun.org\nuser = postmaster\npassword = ", f.secret("password_assignment"),
              "\n\n[api]\ngoogle_key = ", f.secret("google_api_key"), "\nstripe_key = ", f.secret("stripe_key"),
              "\ninstance_id = ", f.keep("uuid"), "\n")
        b.add("\n[tls]\nkey = ", f.secret("pem_private_key"), "\n")


def source_code(f: ValueFactory, b: DocBuilder) -> None:
    r = f.rng
    first, last = f.person_parts()
    if r.random() < 0.5:
        b.add("# Copyright ", f.keep("date"), " ", f.person(first, last), " <", f.email(first, last), ">\n")
        b.add("\"\"\"Sync invoices to the ledger. See ", f.keep("bug_number"), ".\"\"\"\nimport os\n\n")
        b.add("API_URL = \"https://api.ledger.example.com/v1\"\nAPI_TOKEN = \"", f.secret("github_token"), "\"\n")
        b.add("SLACK_WEBHOOK_TOKEN = \"", f.secret("slack_token"), "\"\n")
        b.add("db_password = \"", f.secret("password_assignment"), "\"  # TODO move to vault\n\n")
        b.add("def client():\n    # pinned to ", f.keep("version"), ", commit ", f.keep("git_sha"), "\n")
        b.add("    return Client(key=\"", f.secret("aws_access_key_id"), "\", secret=\"",
              f.secret("aws_secret_access_key"), "\")\n\n")
        b.add("PRIVATE_KEY = \"\"\"", f.secret("pem_private_key"), "\"\"\"\n")
    else:
        b.add("// author: ", f.person(first, last), " (", f.email(first, last), ")\n")
        b.add("const stripe = require('stripe')('", f.secret("stripe_key"), "');\n")
        b.add("const GOOGLE_MAPS_KEY = '", f.secret("google_api_key"), "';\n")
        b.add("const gitlab = new Gitlab({ token: '", f.secret("gitlab_token"), "' });\n")
        b.add("fetch('https://deploy:", f.secret("url_credentials"), "@registry.acme-internal.net/v2/')\n")
        b.add("headers['Authorization'] = 'Bearer ", f.secret("jwt"), "';\n")
        b.add("// fallback resolver ", f.keep("resolver_ip"), ", local ", f.keep("local_ipv6"),
              ", fixtures use ", f.keep("doc_ip"), " and ", f.keep("doc_email"), "\n")
        b.add("const BUILD_ID = '", f.keep("uuid"), "'; // sha256 ", f.keep("hex_digest"), "\n")


def csv_dump(f: ValueFactory, b: DocBuilder) -> None:
    r = f.rng
    b.add("id,created_at,name,email,phone,address,last_ip,card\n")
    for i in range(r.randint(3, 6)):
        first, last = f.person_parts()
        b.add(str(1000 + i * 7), ",", f.keep("timestamp"), ",", f.person(first, last), ",", f.email(first, last),
              ",", f.phone(), ",\"", f.street_address(), "\",", f.public_ip(), ",", f.credit_card(), "\n")
    b.add("# exported ", f.keep("date"), " rows=", f.keep("large_count"), " checksum md5=", f.keep("hex_digest"),
          "\n")


def changelog(f: ValueFactory, b: DocBuilder) -> None:
    r = f.rng
    first, last = f.person_parts()
    b.add("## ", f.keep("version"), " (", f.keep("date"), ")\n\n")
    b.add("### Security\n- Fix ", f.keep("cve"), " (", f.keep("bug_number"), "); thanks to ", f.person(first, last),
          " for the report.\n- Bump openssl to ", f.keep("version"), ", see commit ", f.keep("git_sha"), ".\n\n")
    b.add("### Fixed\n- Do not log the client address in debug mode (", f.keep("bug_number"), ").\n")
    b.add("- Default upstream is now ", f.keep("resolver_ip"), " instead of ", f.keep("doc_ip"), ".\n")
    b.add("- Migration ", f.keep("uuid"), " ran in 3.2 s on ", f.keep("large_count"), " rows.\n")
    b.add("- Docs: the reference book (ISBN ", f.keep("isbn"), ") is cited correctly.\n")
    b.add("- Release tarball sha256: ", f.keep("hex_digest"), "\n")
    b.add("- Test fixtures use ", f.keep("doc_email"), " and ", f.keep("private_ip"), ".\n\n")
    b.add("Signed-off-by: ", f.person(first, last), " <", f.email(first, last), ">\n")
    b.add("Released ", f.keep("timestamp"), " at ", f.keep("time"), r.choice((" UTC", "")), "\n")


def support_ticket(f: ValueFactory, b: DocBuilder) -> None:
    r = f.rng
    first, last = f.person_parts()
    agent_first, agent_last = f.person_parts()
    b.add("Ticket ", f.keep("bug_number"), " | opened ", f.keep("timestamp"), " | priority: high\n")
    b.add("Customer: ", f.person(first, last), "\nEmail: ", f.email(first, last), "\nPhone: ", f.phone(),
          "\nBilling address: ", f.street_address(), "\n\n")
    b.add("Message:\nHello, my name is ", f.person(first, last), r.choice((" and I ", ". I ")),
          "was charged twice on my card ending in the full number ", f.credit_card(),
          " (sorry, I know I shouldn't paste it). My SSN is ", f.ssn(),
          " if you need to verify me. I also paid by bank transfer from ", f.iban(), ".\n")
    b.add("You can reach me at ", f.phone(), " after ", f.keep("time"), ". My home IP is ", f.public_ip(),
          " if that helps with the fraud check.\n\n")
    b.add("Agent note (", f.person(agent_first, agent_last), "): verified via callback, order ", f.keep("uuid"),
          ", refund ref ", f.keep("large_count"), ". Internal wiki: ", f.keep("doc_email"), "\n")


def contact_sheet(f: ValueFactory, b: DocBuilder) -> None:
    """Local numbers under labels and after phone words, cards after card words, and the numbers
    next to those words that are not phones or cards."""
    r = f.rng
    first, last = f.person_parts()
    b.add("Staff directory (updated ", f.keep("date"), ")\n\n", "Name: ", f.person(first, last), "\n")
    b.add("Phone:\n", f.local_phone(), "\n\nMobile: ", f.local_phone(), "\n")
    b.add("E-mail: ", f.email(first, last), "\n\n")
    b.add("Hi ", value("PERSON", "first_name", first), r.choice((", can you call me on ", ", please text me at ")),
          f.local_phone(), "? I'm at the front desk until ", f.keep("time"), ".\n")
    b.add("In an emergency ", f.keep("short_number"), " first, then security.\n")
    b.add("Order ", f.keep("order_number"), " shipped on ", f.keep("date"), "; it was paid with the ",
          r.choice(("debit card ", "card no ", "credit card: ")), f.maestro_card(), ".\n")
    b.add("Build ", f.keep("version"), ", ", f.keep("large_count"), " rows synced, see ", f.keep("bug_number"), ".\n")


#: How code writes each ``code_password`` look-alike (a value that is a variable, call or lookup).
CODE_PASSWORD_LINES = {
    "get_password()": ("DB_PASSWORD = ", "\n"),
    "getpass()": ("password = ", "\n"),
    'os.environ["DB_PASSWORD"]': ("DB_PASSWORD = ", "\n"),
    "os.getenv('SMTP_PASSWORD')": ("SMTP_PASSWORD = ", "\n"),
    'request.form["password"]': ("    password = ", "\n"),
    "${DB_PASSWORD}": ("REDIS_PASSWORD=", "\n"),
    "settings.DB_PASSWORD": ("password = ", "\n"),
    "hashedPassword": ("const user = {\n  name: login,\n  password: ", "\n};\n"),
    'vault.read("db/creds")': ("secret = ", "\n"),
    "<password>": ("password: ", "\n"),
    "secrets.token_urlsafe(16)": ("SECRET = ", "\n"),
}


def dotenv_and_settings(f: ValueFactory, b: DocBuilder) -> None:
    """Letter-only passwords written unquoted in .env and YAML, next to code whose unquoted
    password value is a variable, call or reference (must stay)."""
    r = f.rng
    b.add("# .env.", r.choice(("local", "staging", "dev")), "\nAPP_NAME=shop\nDB_USER=shop\nDB_PASSWORD=",
          f.secret("password_letters"), "\nDB_HOST=", f.keep("private_ip"), "\n\n")
    b.add("# settings.yaml\nmail:\n  user: alerts\n  password: ", f.secret("password_letters"), "\n  port: 587\n\n")
    b.add("# settings (", f.keep("git_sha"), ")\n")
    for _ in range(2):
        v = f.keep("code_password")
        before, after = CODE_PASSWORD_LINES[v.text]
        b.add(before, v, after)
    b.add("PASSWORD_MIN_LENGTH = 12\nTIMEOUT = ", f.keep("large_count"), "\n")


DOC_KINDS: dict[str, Callable[[ValueFactory, DocBuilder], None]] = {
    "forum_post": forum_post,
    "email_with_signature": email_with_signature,
    "server_log": server_log,
    "config_file": config_file,
    "source_code": source_code,
    "csv_dump": csv_dump,
    "changelog": changelog,
    "support_ticket": support_ticket,
    "contact_sheet": contact_sheet,
    "dotenv_and_settings": dotenv_and_settings,
}


def generate(seed: int = 20261127, n_docs: int = 400) -> list[CanaryDoc]:
    """``n_docs`` documents, kinds in rotation, all values drawn from ``random.Random(seed)``."""
    factory = ValueFactory(random.Random(seed))
    kinds = list(DOC_KINDS)
    docs = []
    for i in range(n_docs):
        kind = kinds[i % len(kinds)]
        builder = DocBuilder()
        DOC_KINDS[kind](factory, builder)
        docs.append(builder.build(kind))
    return docs


def ambiguous_probes(doc: CanaryDoc) -> set[str]:
    """Probes that also occur in ``doc`` outside any planted value with that probe.

    A verbatim leak or damage check on such a probe could be fooled by the other occurrence, so the
    scorer skips them (the test checks there are next to none).
    """
    out = set()
    for p in doc.planted:
        for probe in p.probes:
            start = doc.text.find(probe)
            while start != -1:
                inside = any(
                    q.start <= start and start + len(probe) <= q.end and probe in q.probes for q in doc.planted
                )
                if not inside:
                    out.add(probe)
                    break
                start = doc.text.find(probe, start + 1)
    return out

"""Seeded generators of fake PII values and of the look-alikes scrubber must keep.

Every value here is made up from a ``random.Random`` the caller seeds, so the canary set is the same on
every machine and no real person's data is ever stored. Structured values are *valid* (Luhn, IBAN
mod-97, phone numbers accepted by ``phonenumbers``, public IP addresses) because a detector that
validates must still find them; look-alikes are the things real corpora are full of (reserved
domains, private and documentation IP ranges, versions, digests, ids, dates, counts) that a scrubber
must leave alone. Checksums are separate functions so the tests can check them on known values.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import random
import string
import uuid
from dataclasses import dataclass
from typing import ClassVar

import phonenumbers

from scrubber.checksums import iban_check_digits, luhn_check_digit

#: Entity types scored on the canary set. All secret kinds are scored together as ``SECRET`` because
#: the detector may name them differently (``AWS_ACCESS_KEY``, ``GITHUB_TOKEN``, ...); the per-kind
#: recall in the report still says which secret kind leaks.
PII_TYPES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "PERSON",
    "STREET_ADDRESS",
    "SECRET",
)
#: Entity type of planted look-alikes (never a detector output; damage is measured on them).
KEEP = "KEEP"

PHONE_REGIONS = ("US", "CA", "GB", "DE", "FR", "IN", "AU")
SECRET_KINDS = (
    "aws_access_key_id",
    "aws_secret_access_key",
    "github_token",
    "gitlab_token",
    "slack_token",
    "stripe_key",
    "google_api_key",
    "jwt",
    "pem_private_key",
    "password_assignment",
    "password_letters",
    "url_credentials",
)
KEEP_KINDS = (
    "doc_email",
    "private_ip",
    "doc_ip",
    "resolver_ip",
    "local_ipv6",
    "version",
    "git_sha",
    "hex_digest",
    "uuid",
    "cve",
    "bug_number",
    "isbn",
    "date",
    "time",
    "timestamp",
    "large_count",
    "code_password",
    "order_number",
    "short_number",
)


@dataclass(frozen=True, slots=True)
class Value:
    """A planted value: its text, what it is, and the substrings whose survival means a leak.

    ``probes`` are what must not survive redaction: the whole value for most types, but only the street
    line of an address, the body lines of a PEM block, or the payload and signature of a JWT (its
    header is the same in every token and is not secret).
    """

    entity_type: str
    kind: str
    text: str
    probes: tuple[str, ...]


def value(entity_type: str, kind: str, text: str, probes: tuple[str, ...] | None = None) -> Value:
    return Value(entity_type, kind, text, probes if probes is not None else (text,))


# -- checksums (separately tested) -----------------------------------------------------------------
def isbn13_check_digit(payload: str) -> str:
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(payload))
    return str((10 - total % 10) % 10)


# -- name and place lists (invented combinations; no real person is meant) -------------------------
FIRST_NAMES = (
    "Maria", "Jonas", "Priya", "Daniel", "Aisha", "Tomasz", "Elena", "Kwame", "Sofia", "Hiroshi",
    "Fatima", "Lucas", "Ingrid", "Mateo", "Chloe", "Rahul", "Olga", "Samuel", "Yasmin", "Patrick",
    "Leila", "Henrik", "Amara", "Diego", "Naomi", "Viktor", "Ananya", "Gregory", "Sinead", "Tobias",
    "Camila", "Dmitri", "Helena", "Omar", "Beatriz", "Nikolai", "Zanele", "Felix", "Margaret", "Arjun",
)
LAST_NAMES = (
    "Keller", "Okafor", "Ramachandran", "Lindqvist", "Novak", "Fitzgerald", "Moreau", "Castellano",
    "Takahashi", "Abernathy", "Kowalczyk", "Haddad", "Brennan", "Vasquez", "Oyelaran", "Schreiber",
    "Delacroix", "Petrovic", "Whitfield", "Nakamura", "Gallagher", "Mbeki", "Sorensen", "Barbosa",
    "Iyer", "Lockhart", "Zielinski", "Marchetti", "Thornbury", "Adeyemi", "Holloway", "Bergstrom",
)
STREETS = (
    "Maple", "Cedar Ridge", "Lakeview", "Washington", "Hawthorne", "Willow Creek", "Jefferson", "Elm",
    "Sycamore", "Birchwood", "Franklin", "Magnolia", "Chestnut Hill", "Riverside", "Pinecrest", "Madison",
)
STREET_SUFFIXES = ("St", "Street", "Ave", "Avenue", "Blvd", "Rd", "Road", "Drive", "Dr", "Ln", "Way", "Ct")
CITIES = (
    ("Springfield", "IL"), ("Austin", "TX"), ("Portland", "OR"), ("Columbus", "OH"), ("Raleigh", "NC"),
    ("Madison", "WI"), ("Tucson", "AZ"), ("Boise", "ID"), ("Albany", "NY"), ("Savannah", "GA"),
    ("Fresno", "CA"), ("Omaha", "NE"), ("Richmond", "VA"), ("Tacoma", "WA"), ("Dayton", "OH"),
)
MAIL_DOMAINS = (
    "gmail.com", "outlook.com", "yahoo.com", "protonmail.com", "fastmail.fm", "northwind-logistics.com",
    "bluepeak.io", "kestrel-labs.de", "mailbox.org", "orchard-health.co.uk", "web.de", "icloud.com",
)
#: Popular public resolvers: real corpora quote them in configs and docs, and they identify nobody.
RESOLVERS = ("8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "208.67.222.222")

_ALNUM = string.ascii_letters + string.digits
_B64 = string.ascii_letters + string.digits + "+/"
_B64URL = string.ascii_letters + string.digits + "-_"


def _pick(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _hex(rng: random.Random, n: int) -> str:
    return _pick(rng, "0123456789abcdef", n)


class ValueFactory:
    """Makes PII values and look-alikes from one seeded generator.

    Kinds that come in variants (phone regions, secret kinds, IP versions) rotate in a fixed order so
    every variant is planted about equally often, whatever mix of documents is drawn.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._turn: dict[str, int] = {}

    def _next(self, name: str, options: tuple[str, ...]) -> str:
        i = self._turn.get(name, 0)
        self._turn[name] = i + 1
        return options[i % len(options)]

    # -- people ------------------------------------------------------------------------------------
    def person_parts(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def person(self, first: str | None = None, last: str | None = None) -> Value:
        f, la = self.person_parts()
        return value("PERSON", "full_name", f"{first or f} {last or la}")

    def email(self, first: str | None = None, last: str | None = None) -> Value:
        f, la = (first, last) if first and last else self.person_parts()
        local = self.rng.choice(
            (f"{f}.{la}", f"{f[0]}{la}", f"{f}_{la}{self.rng.randint(1, 99)}", f"{la}.{f[0]}")
        ).lower()
        return value("EMAIL_ADDRESS", "email", f"{local}@{self.rng.choice(MAIL_DOMAINS)}")

    def phone(self, region: str | None = None) -> Value:
        region = region or self._next("phone", PHONE_REGIONS)
        number = self._valid_phone(region)
        style = self.rng.choice(
            (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        )
        text = phonenumbers.format_number(number, style)
        if region in ("US", "CA") and self.rng.random() < 0.3:
            nsn = str(number.national_number)
            text = f"{nsn[:3]}.{nsn[3:6]}.{nsn[6:]}"  # dotted style common in US signatures
        return value("PHONE_NUMBER", f"phone_{region.lower()}", text)

    def local_phone(self) -> Value:
        """A number without country or area code, as people write it under a label ("439 4166")."""
        rng = self.rng
        while True:
            digits = str(rng.randint(2, 9)) + _pick(rng, string.digits, 8)
            if len(set(digits)) > 2:
                break
        layout = rng.choice(((3, 4), (2, 2, 2), (3, 3, 3), (4, 4), (2, 6)))
        parts, i = [], 0
        for g in layout:
            parts.append(digits[i : i + g])
            i += g
        # 12-34-56 is also how dates are written; such numbers are written with spaces.
        sep = rng.choice((" ", " ", "-")) if layout != (2, 2, 2) else " "
        return value("PHONE_NUMBER", "phone_local", sep.join(parts))

    #: National-number prefixes per region (area or mobile codes) and the national number length.
    _PHONE_PLANS: ClassVar[dict[str, tuple[tuple[str, ...], int]]] = {
        "US": (("201", "212", "305", "415", "512", "617", "702", "818"), 10),
        "CA": (("416", "604", "514", "403", "613", "902"), 10),
        "GB": (("7700", "7911", "7480", "207", "161", "113"), 10),
        "DE": (("1512", "1701", "1603", "30", "40", "89"), 11),
        "FR": (("6", "7", "1", "4"), 9),
        "IN": (("98", "97", "90", "80", "70"), 10),
        "AU": (("41", "42", "43", "2", "3"), 9),
    }

    def _valid_phone(self, region: str) -> phonenumbers.PhoneNumber:
        prefixes, length = self._PHONE_PLANS[region]
        code = phonenumbers.country_code_for_region(region)
        while True:
            prefix = self.rng.choice(prefixes)
            nsn = prefix + _pick(self.rng, string.digits, length - len(prefix))
            # 555-01xx is the fictional range; keep planted numbers looking like real subscribers.
            if region in ("US", "CA") and nsn[3:6] == "555":
                continue
            number = phonenumbers.parse(f"+{code}{nsn}")
            if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region:
                return number

    # -- finance and government ids ------------------------------------------------------------------
    def credit_card(self) -> Value:
        brand = self._next("card", ("visa", "mastercard", "amex", "discover"))
        prefix, length = {
            "visa": ("4", 16),
            "mastercard": (str(self.rng.randint(51, 55)), 16),
            "amex": (self.rng.choice(("34", "37")), 15),
            "discover": ("6011", 16),
        }[brand]
        payload = prefix + _pick(self.rng, string.digits, length - len(prefix) - 1)
        digits = payload + luhn_check_digit(payload)
        sep = self.rng.choice((" ", "-", ""))
        groups = (4, 6, 5) if length == 15 else (4, 4, 4, 4)
        parts, i = [], 0
        for g in groups:
            parts.append(digits[i : i + g])
            i += g
        return value("CREDIT_CARD", f"card_{brand}", sep.join(parts))

    def maestro_card(self) -> Value:
        """A 12-digit Maestro number (Luhn-valid): only found next to a card word."""
        payload = self.rng.choice(("5018", "5020", "5038", "6304", "6759", "6761")) + _pick(self.rng, string.digits, 7)
        return value("CREDIT_CARD", "card_maestro12", payload + luhn_check_digit(payload))

    #: BBAN layouts (letters, digits) for a few countries; only the mod-97 check is validated by anyone.
    _IBAN_LAYOUTS: ClassVar[dict[str, tuple[int, int]]] = {
        "DE": (0, 18), "GB": (4, 14), "NL": (4, 10), "FR": (0, 23), "ES": (0, 20), "IT": (1, 22),
    }

    def iban(self) -> Value:
        country = self._next("iban", tuple(self._IBAN_LAYOUTS))
        letters, digits = self._IBAN_LAYOUTS[country]
        bban = _pick(self.rng, string.ascii_uppercase, letters) + _pick(self.rng, string.digits, digits)
        compact = country + iban_check_digits(country, bban) + bban
        if self.rng.random() < 0.5:
            compact = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
        return value("IBAN_CODE", f"iban_{country.lower()}", compact)

    def ssn(self) -> Value:
        while True:
            area = self.rng.randint(1, 899)
            if area != 666:  # never issued; 9xx are ITINs
                break
        text = f"{area:03d}-{self.rng.randint(1, 99):02d}-{self.rng.randint(1, 9999):04d}"
        return value("US_SSN", "ssn", text)

    # -- network -----------------------------------------------------------------------------------
    def public_ip(self) -> Value:
        if self._next("ip", ("v4", "v4", "v6")) == "v4":
            while True:
                addr = ipaddress.IPv4Address(self.rng.getrandbits(32))
                if addr.is_global and not addr.is_multicast and str(addr) not in RESOLVERS:
                    return value("IP_ADDRESS", "ipv4", str(addr))
        while True:
            # Global unicast 2000::/3 as handed out by RIRs; documentation 2001:db8::/32 is excluded.
            high = self.rng.randint(0x2400, 0x2C0F)
            raw = (high << 112) | self.rng.getrandbits(112)
            if self.rng.random() < 0.5:
                raw = (raw >> 64 << 64) | self.rng.getrandbits(16)  # typical ::xxxx host part
            addr = ipaddress.IPv6Address(raw)
            if addr.is_global and addr not in ipaddress.ip_network("2001:db8::/32"):
                return value("IP_ADDRESS", "ipv6", addr.compressed)

    # -- places -------------------------------------------------------------------------------------
    def street_address(self, multiline: bool = False) -> Value:
        street = (
            f"{self.rng.randint(1, 9899)} {self.rng.choice(STREETS)} {self.rng.choice(STREET_SUFFIXES)}"
        )
        if self.rng.random() < 0.35:
            street += self.rng.choice((", Apt ", ", Suite ", " Unit ", " #")) + str(self.rng.randint(2, 480))
        city, state = self.rng.choice(CITIES)
        zipcode = f"{self.rng.randint(10000, 99899):05d}"
        sep = "\n" if multiline else ", "
        return value("STREET_ADDRESS", "us_address", f"{street}{sep}{city}, {state} {zipcode}", (street,))

    # -- secrets -----------------------------------------------------------------------------------
    def secret(self, kind: str | None = None) -> Value:
        kind = kind or self._next("secret", SECRET_KINDS)
        rng = self.rng
        if kind == "aws_access_key_id":
            text = "AKIA" + _pick(rng, string.ascii_uppercase + "234567", 16)
        elif kind == "aws_secret_access_key":
            text = _pick(rng, _B64, 40)
        elif kind == "github_token":
            if rng.random() < 0.7:
                text = rng.choice(("ghp_", "gho_", "ghs_")) + _pick(rng, _ALNUM, 36)
            else:
                text = "github_pat_" + _pick(rng, _ALNUM, 22) + "_" + _pick(rng, _ALNUM, 59)
        elif kind == "gitlab_token":
            text = "glpat-" + _pick(rng, _ALNUM + "_-", 20)
        elif kind == "slack_token":
            text = (
                rng.choice(("xoxb-", "xoxp-"))
                + f"{rng.randint(10**10, 10**12)}-{rng.randint(10**10, 10**12)}-"
                + _pick(rng, _ALNUM, 24)
            )
        elif kind == "stripe_key":
            text = rng.choice(("sk_live_", "rk_live_")) + _pick(rng, _ALNUM, 24)
        elif kind == "google_api_key":
            text = "AIza" + _pick(rng, _B64URL, 35)
        elif kind == "jwt":
            return self._jwt()
        elif kind == "pem_private_key":
            return self._pem()
        elif kind in ("password_assignment", "url_credentials"):
            text = self.password()
        elif kind == "password_letters":
            text = self.letter_password()
        else:
            raise ValueError(f"unknown secret kind {kind!r}")
        return value("SECRET", kind, text)

    def password(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return _pick(rng, _ALNUM, rng.randint(14, 24))
        word = rng.choice(("Sunflower", "Granite", "Velvet", "Harbor", "Quartz", "Tundra"))
        return f"{word}{rng.randint(10, 9999)}{rng.choice('!#%*')}{_pick(rng, _ALNUM, 4)}"

    #: Words people join into passwords without digits (``velvetharbor``, ``Quietorchid``).
    _PASSWORD_WORDS = (
        "velvet", "harbor", "quiet", "orchid", "granite", "tundra", "copper", "meadow", "falcon", "lantern",
        "saffron", "willow", "ember", "glacier", "thistle", "marble", "juniper", "cobalt", "maple", "raven",
    )

    def letter_password(self) -> str:
        """A letter-only password, as written unquoted in .env and YAML files."""
        rng = self.rng
        a, b = rng.sample(self._PASSWORD_WORDS, 2)
        style = rng.random()
        if style < 0.4:
            return a + b
        if style < 0.7:
            return a.capitalize() + b
        return a.capitalize() + b.capitalize()

    def _jwt(self) -> Value:
        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        iat = self.rng.randint(1_600_000_000, 1_750_000_000)
        claims = {"sub": f"usr_{_hex(self.rng, 12)}", "iat": iat, "exp": iat + 3600, "scope": "read write"}
        payload = b64(json.dumps(claims, separators=(",", ":")).encode())
        signature = b64(self.rng.randbytes(32))
        return value("SECRET", "jwt", f"{header}.{payload}.{signature}", (payload, signature))

    def _pem(self) -> Value:
        label = self.rng.choice(("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"))
        body = base64.b64encode(self.rng.randbytes(48 * self.rng.randint(5, 12))).decode()
        lines = [body[i : i + 64] for i in range(0, len(body), 64)]
        text = f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"
        return value("SECRET", "pem_private_key", text, tuple(lines))

    # -- look-alikes to keep -----------------------------------------------------------------------
    def keep(self, kind: str) -> Value:
        rng = self.rng
        if kind == "doc_email":
            local = rng.choice(("jane.doe", "admin", "noreply", "user", "support", "john.smith", "alice"))
            domain = rng.choice(
                ("example.com", "example.org", "example.net", "mail.example.com", "corp.example",
                 "app.test", "host.invalid", "localhost")
            )
            text = f"{local}@{domain}"
        elif kind == "private_ip":
            text = rng.choice(
                (
                    f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    f"127.0.0.{rng.randint(1, 9)}",
                    f"169.254.{rng.randint(1, 254)}.{rng.randint(1, 254)}",
                    f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    "0.0.0.0",
                    "255.255.255.0",
                )
            )
        elif kind == "doc_ip":
            text = rng.choice(("192.0.2", "198.51.100", "203.0.113")) + f".{rng.randint(1, 254)}"
        elif kind == "resolver_ip":
            text = rng.choice(RESOLVERS)
        elif kind == "local_ipv6":
            text = rng.choice(
                ("::1", f"fe80::{_hex(rng, 4)}:{_hex(rng, 4)}", f"fd{_hex(rng, 2)}:{_hex(rng, 4)}::{_hex(rng, 3)}",
                 f"2001:db8::{_hex(rng, 4)}")
            )
        elif kind == "version":
            # Four-part versions are the classic IP false positive (every part <= 255).
            text = rng.choice(
                (
                    f"{rng.randint(1, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}.{rng.randint(0, 200)}",
                    f"{rng.randint(0, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 30)}",
                )
            )
        elif kind == "git_sha":
            text = _hex(rng, rng.choice((40, 7, 10, 12)))
        elif kind == "hex_digest":
            text = _hex(rng, rng.choice((32, 64, 40)))
        elif kind == "uuid":
            text = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        elif kind == "cve":
            text = f"CVE-{rng.randint(2015, 2025)}-{rng.randint(1000, 49999)}"
        elif kind == "bug_number":
            text = rng.choice(
                (f"#{rng.randint(100, 99999)}", f"BUG-{rng.randint(1000, 99999)}", f"OPS-{rng.randint(10, 9999)}")
            )
        elif kind == "isbn":
            payload = "978" + _pick(rng, string.digits, 9)
            d = payload + isbn13_check_digit(payload)
            text = f"{d[:3]}-{d[3]}-{d[4:8]}-{d[8:12]}-{d[12]}"
        elif kind == "date":
            y, m, dd = rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)
            months = ("January", "February", "March", "April", "May", "June", "July", "August",
                      "September", "October", "November", "December")
            text = rng.choice(
                (f"{y}-{m:02d}-{dd:02d}", f"{m:02d}/{dd:02d}/{y}", f"{dd:02d}.{m:02d}.{y}",
                 f"{months[m - 1]} {dd}, {y}")
            )
        elif kind == "time":
            text = rng.choice(
                (f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
                 f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(('AM', 'PM'))}")
            )
        elif kind == "timestamp":
            y, m, dd = rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28)
            hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
            text = rng.choice(
                (
                    f"{y}-{m:02d}-{dd:02d}T{hh:02d}:{mm:02d}:{ss:02d}Z",
                    f"{y}-{m:02d}-{dd:02d} {hh:02d}:{mm:02d}:{ss:02d},{rng.randint(0, 999):03d}",
                    str(rng.randint(1_500_000_000, 1_790_000_000)),  # Unix seconds: ten digits, phone-like
                    str(rng.randint(1_500_000_000_000, 1_790_000_000_000)),  # Unix milliseconds
                )
            )
        elif kind == "code_password":
            # What an unquoted password value is in code: a call, a lookup, a reference, a variable.
            text = rng.choice(
                ("get_password()", "getpass()", 'os.environ["DB_PASSWORD"]', "os.getenv('SMTP_PASSWORD')",
                 'request.form["password"]', "${DB_PASSWORD}", "settings.DB_PASSWORD", "hashedPassword",
                 "vault.read(\"db/creds\")", "<password>", "secrets.token_urlsafe(16)")
            )
        elif kind == "order_number":
            # Luhn-valid like one in ten of any digit run, but written after "order", not a card word.
            payload = str(rng.randint(1, 9)) + _pick(rng, string.digits, 10)
            text = payload + luhn_check_digit(payload)
        elif kind == "short_number":
            # Numbers next to phone words that are not phone numbers: emergency lines, short codes.
            text = f"{rng.choice(('call', 'dial'))} {rng.choice(('911', '112', '999', '311', '411'))}"
        elif kind == "large_count":
            n = rng.randint(1_000_000, 9_999_999_999)
            text = rng.choice((f"{n:,}", str(n)))
        else:
            raise ValueError(f"unknown look-alike kind {kind!r}")
        return value(KEEP, kind, text)

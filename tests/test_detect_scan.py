"""Trigger scan shortcuts give exactly the hits of a plain ``finditer`` with the shipped patterns.

The engine finds literal-led triggers with ``str.find`` and scans ``\\d`` triggers as ``[0-9]`` on
batches without non-ASCII digits (docs/detection.md, "How it works"); both are speed-ups only, so a
document must get the same spans whichever path its batch takes.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import regex

from scrubber.detect.rules import load_rules
from scrubber.detect.scan import (
    _ANCHOR_SPACING,
    _FIND_SPACING,
    Anchor,
    BatchText,
    TriggerScanner,
    anchor_marks,
    anchor_of,
    ascii_digits,
    has_non_ascii_digit,
    literal_prefix,
    scan,
    scan_anchored,
    scan_plan,
    self_overlaps,
)
from scrubber.records import Batch
from tests.detect_helpers import stage

RULES = Path(__file__).resolve().parents[1] / "rules" / "detect"
TRIGGER_REGEXES = [(t.name, rx, t.engine) for t in load_rules(RULES).triggers for rx in t.regexes]


def _texts() -> list[str]:
    rnd = random.Random(7)
    alphabet = "aAkKsS_IzJ:-/@xo .eypwdtcrn=:'\"\n\tghl0123456789٣"
    texts = ["".join(rnd.choice(alphabet) for _ in range(3000)) for _ in range(20)]
    texts += ["password = 'x1'; api_key: 9; token=\"t\" aws secret", "xoxb-1-2 ghp_" + "a" * 40, "@@@@ :::: ://://",
              "aaaa", "secretsecret=", "PRIVATE KEYPRIVATE KEY", "eyJeyJeyJ",
              # the provider prefixes of the `-` and `_` scans, glued and before token-like bodies
              "key-" + "a1" * 16 + " monkey-" + "a1" * 16 + " sq0atp-sq0csp-PMAK-NRAK-ATATT3ATATT",
              "shpat_glc_glsa_lin_api_lin_x sntrys_sntryu_pscale_tkn_pscale_x_ sbp_fo1_fm2_fm1a_fm1r_do_v1_"]
    return texts


@pytest.mark.parametrize(("name", "rx", "engine"), TRIGGER_REGEXES)
def test_scan_same_hits_as_finditer_for_shipped_triggers(name: str, rx: str, engine: str) -> None:
    compiled = (re if engine == "re" else regex).compile(rx)
    prefix = literal_prefix(compiled)
    for text in _texts():
        for variant in (text, text.lower()):
            assert scan(compiled, prefix, variant) == [m.span() for m in compiled.finditer(variant)], name


@pytest.mark.parametrize(("name", "rx", "engine"), TRIGGER_REGEXES)
def test_scan_plan_same_hits_as_finditer_for_shipped_triggers(name: str, rx: str, engine: str) -> None:
    """The engine's plan (a rare character at a fixed offset, else the literal prefix) is exact."""
    compiled = (re if engine == "re" else regex).compile(rx)
    needle, offset = scan_plan(compiled)
    for text in _texts():
        for variant in (text, text.lower()):
            assert scan(compiled, needle, variant, offset) == [m.span() for m in compiled.finditer(variant)], name


@pytest.mark.parametrize(("rx", "plan"), [
    # the rarest non-common character at a fixed offset from the start (symbols before upper case)
    ("gh[pousr]_", ("_", 3)), ("eyJ", ("J", 2)), ("://", (":", 0)), ("PRIVATE KEY", ("V", 3)),
    ("k_(?:live|test)_", ("_", 1)), ("A(?:KIA|SIA)", ("A", 0)),
    # only common characters before the first variable-width part: the literal-prefix rule
    ("token(?=[=:])", ("token", 0)), ("xox[ab]-", ("", 0)), ("ab?_", ("a", 0)), ("(?i)gh_", ("", 0)),
])
def test_scan_plan_anchors_on_a_rare_character_at_a_fixed_offset(rx: str, plan: tuple[str, int]) -> None:
    assert scan_plan(re.compile(rx)) == plan


@pytest.mark.parametrize(("rx", "text"), [
    ("gh[pousr]_", "ghp_ghp_xghs__ gh_ ghu_"), ("eyJ", "eyJeyJ yJ eJ eyJ"), ("://", ":// ::// :/ ://://"),
    ("_(?<=x_)ab", "x_ab _ab x_abx_ab"),  # a lookbehind still sees the text before the match
])
def test_scan_with_offset_same_hits_as_finditer(rx: str, text: str) -> None:
    compiled = re.compile(rx)
    needle, offset = scan_plan(compiled)
    assert needle
    assert scan(compiled, needle, text, offset) == [m.span() for m in compiled.finditer(text)]


@pytest.mark.parametrize("rx", [rx for _, rx, engine in TRIGGER_REGEXES if engine == "re"] + ["_(?<=x_)ab"])
def test_scan_dense_needle_hands_over_to_finditer_with_the_same_hits(rx: str) -> None:
    """A needle denser than one per _DENSE_SPACING characters (`_` in Python code) switches to
    finditer part-way through: the hits stay those of finditer over the whole text."""
    compiled = re.compile(rx)
    needle, offset = scan_plan(compiled)
    rnd = random.Random(3)
    units = ["snake_case_name ", "x_ab ", "hf_", "npm_", "sk-", "glpat-", "xoxb-", "a-b ", "&#64;", "[at] ", "(at)",
             "SG.", "G", "A", "(", "_", "-", "&", "[", "AKIA", "eyJ", "PRIVATE KEY", "://", "%40", "@",
             "key-", "a1" * 16, "sq0atp-", "PMAK-", "ATATT3", "shpat_", "lin_", "api_", "pscale_", "tkn_", "fm1a_"]
    text = "".join(rnd.choice(units) for _ in range(20_000))
    assert scan(compiled, needle, text, offset) == [m.span() for m in compiled.finditer(text)]


@pytest.mark.parametrize(("rx", "prefix"), [
    # used only for one character or 5+ (where str.find beats the regex engine's own search)
    ("@", "@"), ("github_pat_", "github_pat_"), ("token(?=[=:])", "token"), ("ab?c", "a"),
    ("a(?:b|c)", "a"), ("ab|cd", ""), ("(?i)token", ""), ("://", ""), ("\\d{7}", ""),
])
def test_literal_prefix_only_when_every_match_starts_with_it(rx: str, prefix: str) -> None:
    assert literal_prefix(re.compile(rx)) == prefix


@pytest.mark.parametrize(("rx", "ascii_rx"), [
    (r"\d(?:[\d \-.()/]{6,}|\d{0,5}[A-Za-z]? [A-Z])", r"[0-9](?:[0-9 \-.()/]{6,}|[0-9]{0,5}[A-Za-z]? [A-Z])"),
    (r"[^\d]\d", r"[^0-9][0-9]"),
    (r"[]\d]", r"[]0-9]"),
    (r"\\d", None),  # an escaped backslash followed by d
    (r"\D\d", None),
    (r"abc", None),
])
def test_scan_ascii_digits_rewrite(rx: str, ascii_rx: str | None) -> None:
    assert ascii_digits(rx) == ascii_rx


@pytest.mark.parametrize(("text", "expected"), [
    ("plain 123", False), ("“quoted” 123 é", False), ("Arabic-Indic ٣", True), ("full-width １", True),
    ("Devanagari १", True),
])
def test_scan_non_ascii_digit_check(text: str, expected: bool) -> None:
    assert has_non_ascii_digit(text) is expected


NUMBERS = ["Call (415) 555-2671 today", "tel ٠٢٠ ٧٩٤٦ ٠٩٥٨ please", "card 4539 1488 0343 6467",
           "ssn 123-45-6789", "server 93.184.216.34", "12 Main Street", "Phone: +44 20 7946 0958"]


@pytest.mark.parametrize("doc", NUMBERS)
def test_scan_same_spans_whether_batch_has_nonascii_digits_or_not(doc: str) -> None:
    st = stage("fast")
    alone = st.run(Batch({"text": [doc]})).spans()[0]
    with_arabic = st.run(Batch({"text": [doc, "رقم ٣٤٥٦٧٨٩٠١٢"]})).spans()[0]
    with_ascii = st.run(Batch({"text": [doc, "nothing here"]})).spans()[0]
    assert alone == with_arabic == with_ascii


def _assignment_texts() -> list[str]:
    """Prose with a few assignments (anchors sparse) and config-like text (anchors dense)."""
    rnd = random.Random(11)
    words = ["the", "pass", "password", "key", "keys", "token", "secret", "pwd", "credentials", "of", "api_key",
             "=", ":", ">", "<", "/", "value", "serializeas=", "'", '"', "\n", "\t", " ", "x" * 70, "passpass",
             "keykey", "username", "user_name", "login", "nickname", "name", "screen_name", "\\"]
    texts = [" ".join(rnd.choice(words) for _ in range(2000)) for _ in range(10)]
    texts += ["word " * 500 + "password = 'x'" + " word" * 500, "key" + " " * 80 + "=", "key" + " " * 3 + "=",
              '<password>x</password> name="db.password" value="y" name="pwd" serializeas="string">',
              "<" * 100 + "token>" + ">" * 100,
              "secret" + "a" * 60 + "'" + " " * 5 + ":", "secret" + "a" * 61 + ":", "=" * 50 + "token=" + ":" * 50]
    return texts


ANCHORED = [(name, rx) for name, rx, engine in TRIGGER_REGEXES if engine == "re" and anchor_of(re.compile(rx))]


@pytest.mark.parametrize(("name", "rx"), ANCHORED)
def test_scan_anchored_same_hits_as_finditer_for_shipped_triggers(name: str, rx: str) -> None:
    """Where a shipped trigger regex has an anchor, scanning near its characters only is exact,
    however sparse or dense they are."""
    compiled = re.compile(rx)
    anchor = anchor_of(compiled)
    assert anchor is not None
    for text in _assignment_texts() + _texts():
        marks = sorted(i for i, ch in enumerate(text) if ch in anchor.chars)
        assert scan_anchored(compiled, anchor, text, marks) == [m.span() for m in compiled.finditer(text)], name


def test_scan_shipped_assignment_keywords_are_anchored() -> None:
    """The speed-up applies to the assignment keywords (else prose pays six full scans)."""
    (trigger,) = [t for t in load_rules(RULES).triggers if t.name == "secret_keyword"]
    assert all(TriggerScanner(trigger.regexes, trigger.engine, trigger.on_lower).anchors)


def test_scan_user_field_is_anchored_on_the_secret_keyword_positions() -> None:
    """The user-field keys (`name`, `login`) are looked for only near `=`, `:`, `>`, and on the
    positions secret_keyword already collects (same characters, same lower-cased copy): prose
    pays no scan of its own for them (docs/detection.md, "User fields")."""
    triggers = {t.name: t for t in load_rules(RULES).triggers}
    scanners = {name: TriggerScanner(triggers[name].regexes, triggers[name].engine, triggers[name].on_lower)
                for name in ("secret_keyword", "user_field")}
    assert all(scanners["user_field"].anchors)
    assert scanners["user_field"].on_lower == scanners["secret_keyword"].on_lower
    assert {a.chars for a in scanners["user_field"].anchors} == {a.chars for a in scanners["secret_keyword"].anchors}


@pytest.mark.parametrize(("rx", "anchor"), [
    ("pass(?=[a-z]{0,60}[ \t]{0,5}[=:])", Anchor("pass", ":=", 70)),
    ("key(?=:)", Anchor("key", ":", 4)),
    ("key(?=[a-z]{0,9}(?:value)?[=:>])", Anchor("key", ":=>", 18)),  # markup: `<apikey>`, `key" value=`
    ("key(?=[=:])x", Anchor("key", ":=", 4)),
    ("key(?=[a-z]*[=:])", None),        # unbounded before the anchor
    ("key(?=[a-z]{0,9}[=;])", None),     # ';' is no anchor character
    ("key(?=[a-z]{0,9}[=:]?)", None),    # an optional anchor is none
    ("(key)(?=[=:])", None),             # no plain literal first
    ("(?i)key(?=[=:])", None),
    ("key[=:]", None),                   # not in a lookahead
])
def test_scan_anchor_of_shapes(rx: str, anchor: Anchor | None) -> None:
    assert anchor_of(re.compile(rx)) == anchor


@pytest.mark.parametrize(("literal", "expected"), [("pass", False), ("key", False), ("aa", True), ("abab", True),
                                                   ("aba", True), ("credential", False)])
def test_scan_self_overlaps(literal: str, expected: bool) -> None:
    assert self_overlaps(literal) is expected


def test_scan_anchor_marks_give_up_on_dense_anchors() -> None:
    assert anchor_marks("a: b = c" + " word" * 100, ":=") == [1, 5]
    assert anchor_marks("a: b\n" * 100, ":=") is None


@pytest.mark.parametrize("size", [10, 1000, 64 * 1025, 64 * 3000])
def test_scan_anchor_marks_same_verdict_as_counting_first(size: int) -> None:
    """Found first and counted only when many: the same marks, and ``None`` exactly when the
    characters are denser than one per _ANCHOR_SPACING, on both sides of the count threshold."""
    rnd = random.Random(size)
    for density in (0.001, 1 / 80, 1 / 64, 1 / 50, 0.2):
        text = "".join(rnd.choice("=:>") if rnd.random() < density else "x" for _ in range(size))
        for chars in (":=", ":=>"):
            dense = sum(text.count(ch) for ch in chars) * 64 > len(text)
            expected = None if dense else sorted(i for i, ch in enumerate(text) if ch in chars)
            assert anchor_marks(text, chars) == expected


@pytest.mark.parametrize(("name", "regexes", "engine", "on_lower"),
                         [(t.name, t.regexes, t.engine, t.on_lower) for t in load_rules(RULES).triggers])
def test_trigger_scanner_same_hits_as_finditer(name: str, regexes: tuple[str, ...], engine: str,
                                               on_lower: bool) -> None:
    """Whatever path a batch takes (anchored, lower-cased, ASCII digits, length-changing lower
    case), the hits are those of every regex's finditer, regex by regex."""
    scanner = TriggerScanner(regexes, engine, on_lower)
    mod = re if engine == "re" else regex
    for text in _assignment_texts() + _texts() + ["\u0130 Password = 1 KEY: 2 ٣٤٥٦٧٨٩٠١"]:
        if on_lower and len(text.lower()) != len(text):
            expected = [m.span() for rx in regexes for m in mod.finditer(rx, text, mod.IGNORECASE)]
        else:
            scanned = text.lower() if on_lower else text
            expected = [m.span() for rx in regexes for m in mod.finditer(rx, scanned)]
        assert scanner.hits(BatchText(text)) == expected, name


def _colon_log() -> str:
    """A log with a `:` every ~100 characters (times, labels) and the credential files' keys."""
    rnd = random.Random(5)
    lines = [f"2024-01-{rnd.randrange(1, 29):02d} 12:{rnd.randrange(60):02d} GET /api/items?page={rnd.randrange(99)} "
             "took 12ms for client in the west region of the cluster, cache warm" for _ in range(300)]
    lines[100] += ' {"auths": {"registry.io": {"auth": "ZGVwbG95Omh******"}}}'
    lines[200] += ' "kind": "Secret", "data": {}'
    return "\n".join(lines)


def test_trigger_scanner_finds_its_literal_where_anchor_marks_are_dense() -> None:
    """Where `:` is dense (PII-dense logs), `auth"` and `kind"` are found from their literal, not
    from every `:` (cheaper there); the hits are finditer's either way."""
    text = _colon_log()
    assert len(text) / _FIND_SPACING < text.count(":") < len(text) / _ANCHOR_SPACING
    checked = 0
    for t in load_rules(RULES).triggers:
        if t.name in ("docker_auth", "k8s_secret_kind"):
            mod = re if t.engine == "re" else regex
            expected = [m.span() for rx in t.regexes for m in mod.finditer(rx, text)]
            assert expected and TriggerScanner(t.regexes, t.engine, t.on_lower).hits(BatchText(text)) == expected
            checked += 1
    assert checked == 2

"""The accuracy benchmark measures what it claims: scoring rules, checksums, and seeded generators.

A benchmark whose scorer is wrong reports fiction, so the scoring functions are checked on small
hand-made tables, and the canary generator on what its numbers depend on: determinism, coverage of
every planted type, offsets that point at the planted value, and values that validators accept.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

import phonenumbers
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import canary, values  # noqa: E402
from benchmarks.accuracy.evaluate import evaluate_canary  # noqa: E402
from benchmarks.accuracy.scoring import (  # noqa: E402
    covered,
    damaged_verbatim,
    leaked_verbatim,
    score_corpus,
    score_document,
    touched,
)
from benchmarks.accuracy.systems import SystemResult, scrubber_type  # noqa: E402
from scrubber.checksums import iban_valid, luhn_valid  # noqa: E402
from scrubber.records import Span  # noqa: E402

# -- checksums ------------------------------------------------------------------------------------------
# Luhn and IBAN arithmetic is shared with the package: tested in tests/test_checksums.py.


@pytest.mark.parametrize(("payload", "digit"), [("978316148410", "0"), ("978030640615", "7")])
def test_bench_accuracy_isbn13_check_digit(payload: str, digit: str) -> None:
    assert values.isbn13_check_digit(payload) == digit


# -- span scoring ------------------------------------------------------------------------------------------
P, E = "PERSON", "EMAIL_ADDRESS"


@pytest.mark.parametrize(
    ("gold", "pred", "type_", "expected"),
    [
        # (gold, found, predicted, correct) under the overlap rule
        ([(0, 5, P)], [(0, 5, P)], P, (1, 1, 1, 1)),  # exact
        ([(0, 5, P)], [(3, 8, P)], P, (1, 1, 1, 1)),  # partial overlap counts
        ([(0, 5, P)], [(5, 9, P)], P, (1, 0, 1, 0)),  # touching ends do not overlap
        ([(0, 5, P)], [(0, 5, E)], P, (1, 0, 0, 0)),  # wrong type finds nothing ...
        ([(0, 5, P)], [(0, 5, E)], E, (0, 0, 1, 0)),  # ... and is a false positive of its own type
        ([(0, 4, P), (5, 9, P)], [(0, 9, P)], P, (2, 2, 1, 1)),  # one span covering two gold pieces
        ([(0, 4, P)], [(0, 2, P), (2, 4, P)], P, (1, 1, 2, 2)),  # split prediction
        ([], [(0, 4, P)], P, (0, 0, 1, 0)),
    ],
)
def test_bench_accuracy_span_match_rule(gold, pred, type_, expected) -> None:
    s = score_document(gold, pred)[type_]
    assert (s.gold, s.found, s.predicted, s.correct) == expected


def test_bench_accuracy_corpus_precision_recall_f1() -> None:
    gold = [[(0, 5, P), (10, 20, E)], [(0, 4, P)], [(3, 6, P)]]
    pred = [[(0, 5, P), (10, 20, E), (30, 35, P)], [], [(4, 5, P)]]
    scores = score_corpus(gold, pred)
    person = scores[P]
    assert (person.gold, person.found, person.predicted, person.correct) == (3, 2, 3, 2)
    assert person.precision == pytest.approx(2 / 3)
    assert person.recall == pytest.approx(2 / 3)
    assert person.f1 == pytest.approx(2 / 3)
    # characters: gold 5+4+3 = 12, predicted 5+5+1 = 11, both 5+1 = 6
    assert person.char_recall == pytest.approx(6 / 12)
    assert person.char_precision == pytest.approx(6 / 11)
    assert scores[E].precision == scores[E].recall == 1.0
    assert scores["ALL"].gold == 4 and scores["ALL"].found == 3


def test_bench_accuracy_undefined_scores_are_none() -> None:
    s = score_document([(0, 3, P)], [])[P]
    assert s.precision is None and s.recall == 0.0 and s.f1 is None


def test_bench_accuracy_misaligned_corpus_is_an_error() -> None:
    with pytest.raises(ValueError):
        score_corpus([[]], [])


@pytest.mark.parametrize(
    ("start", "end", "pred", "is_covered", "is_touched"),
    [
        (2, 6, [(0, 10, P)], True, True),
        (2, 6, [(2, 4, P), (4, 6, E)], True, True),  # any types, pieced together
        (2, 6, [(2, 5, P)], False, True),
        (2, 6, [(6, 9, P)], False, False),
    ],
)
def test_bench_accuracy_covered_and_touched(start, end, pred, is_covered, is_touched) -> None:
    assert covered(start, end, pred) is is_covered
    assert touched(start, end, pred) is is_touched


def test_bench_accuracy_verbatim_leak_and_damage() -> None:
    assert leaked_verbatim("mail <EMAIL> key abc123", ("abc123",))
    assert not leaked_verbatim("mail <EMAIL>", ("a@b.de",))
    assert damaged_verbatim("v 1.2.3.4 and 1.2.3.4", "v 1.2.3.4 and <IP>", "1.2.3.4")
    assert not damaged_verbatim("v 1.2.3.4", "v 1.2.3.4", "1.2.3.4")


# -- canary generator ------------------------------------------------------------------------------------
DOCS = canary.generate(seed=7, n_docs=len(canary.DOC_KINDS) * 3)


def test_bench_accuracy_canary_is_deterministic() -> None:
    assert canary.generate(seed=7, n_docs=len(DOCS)) == DOCS
    assert canary.generate(seed=8, n_docs=len(DOCS)) != DOCS


def test_bench_accuracy_canary_plants_every_type_and_kind() -> None:
    planted = {(p.entity_type, p.kind) for d in DOCS for p in d.planted}
    assert {t for t, _ in planted} == {*values.PII_TYPES, values.KEEP}
    kinds = {k for _, k in planted}
    assert {f"phone_{r.lower()}" for r in values.PHONE_REGIONS} <= kinds
    assert set(values.SECRET_KINDS) <= kinds
    assert set(values.KEEP_KINDS) <= kinds
    assert {"ipv4", "ipv6"} <= kinds
    assert {d.doc_kind for d in DOCS} == set(canary.DOC_KINDS)


def test_bench_accuracy_canary_offsets_point_at_values() -> None:
    for d in DOCS:
        for p in d.planted:
            assert d.text[p.start : p.end] == p.text
            assert all(probe in p.text for probe in p.probes)


def test_bench_accuracy_canary_values_are_valid() -> None:
    """Structured values must pass the validators a careful detector applies, or recall is unfair."""
    for p in (p for d in DOCS for p in d.planted):
        if p.entity_type == "CREDIT_CARD":
            assert luhn_valid(p.text), p.kind
        elif p.entity_type == "IBAN_CODE":
            assert iban_valid(p.text), p.kind
        elif p.kind == "phone_local":  # no region: only the layout can be checked
            digits = p.text.replace(" ", "").replace("-", "")
            assert digits.isdigit() and 6 <= len(digits) <= 9 and digits[0] != "0", p.text
        elif p.entity_type == "PHONE_NUMBER":
            region = p.kind.removeprefix("phone_").upper()
            assert phonenumbers.is_valid_number(phonenumbers.parse(p.text, region)), p.text
        elif p.entity_type == "IP_ADDRESS":
            addr = ipaddress.ip_address(p.text)
            assert addr.is_global and p.text not in values.RESOLVERS
        elif p.kind in ("private_ip", "doc_ip", "local_ipv6"):
            assert not ipaddress.ip_address(p.text).is_global


def test_bench_accuracy_canary_probes_are_unambiguous() -> None:
    """Verbatim leak checks only work when a probe occurs nowhere but in its planted value.

    Bare first names (greetings) also occur inside the full name and are the one expected exception.
    """
    for d in DOCS:
        first_names = {p.text for p in d.planted if p.kind == "first_name"}
        assert canary.ambiguous_probes(d) <= first_names


# -- evaluation path with stand-in systems -----------------------------------------------------------------
class _Oracle:
    """Detects exactly the planted PII (or nothing) and redacts it like the transform stage would."""

    name = "oracle"
    targets = frozenset({*values.PII_TYPES})

    def __init__(self, docs, perfect: bool) -> None:
        self.by_text = {d.text: d for d in docs}
        self.perfect = perfect

    @staticmethod
    def score_type(entity_type: str) -> str | None:
        return scrubber_type(entity_type)

    def run(self, texts) -> SystemResult:
        spans, outputs = [], []
        for text in texts:
            gold = self.by_text[text].gold if self.perfect else []
            row = [Span(p.start, p.end, "AWS_KEY" if p.entity_type == "SECRET" else p.entity_type) for p in gold]
            out = text
            for s in sorted(row, reverse=True):
                out = out[: s.start] + f"<{s.entity_type}>" + out[s.end :]
            spans.append(row)
            outputs.append(out)
        return SystemResult(spans, outputs)


def test_bench_accuracy_evaluation_of_a_perfect_system() -> None:
    result = evaluate_canary(_Oracle(DOCS, perfect=True), DOCS)
    for t in values.PII_TYPES:
        assert result.scores[t].precision == result.scores[t].recall == 1.0, t
    assert result.leaks.total_rate() == 0.0
    assert result.partial.total_rate() == 0.0
    assert result.damage.total_rate() == 0.0
    assert result.damage_span.total_rate() == 0.0


def test_bench_accuracy_evaluation_of_a_blind_system() -> None:
    result = evaluate_canary(_Oracle(DOCS, perfect=False), DOCS)
    assert result.scores["ALL"].recall == 0.0
    assert result.leaks.total_rate() == 1.0
    assert result.damage.total_rate() == 0.0


# -- presidio-evaluator sentences --------------------------------------------------------------------------
def test_bench_accuracy_synthetic_set_is_offline_and_seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("presidio_evaluator")
    from benchmarks.accuracy import synthetic

    def refuse(*args, **kwargs):
        raise AssertionError("sentence generation tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    first = synthetic.generate(seed=3, n=60)
    assert first == synthetic.generate(seed=3, n=60)
    assert len(first) == 60
    for s in first:
        for start, end, label in (*s.gold, *s.other):
            assert 0 <= start < end <= len(s.text), label
    assert {label for s in first for *_, label in s.gold} <= set(synthetic.SCORED)


@pytest.mark.parametrize(
    ("text", "spans", "expected_text", "expected_values"),
    [
        ("Ann Lee\\n\\n12 Elm St", [(0, 7, "P"), (11, 20, "A")], "Ann Lee\n\n12 Elm St", ["Ann Lee", "12 Elm St"]),
        ("no escapes", [(3, 10, "X")], "no escapes", ["escapes"]),
    ],
)
def test_bench_accuracy_synthetic_newline_unescape_moves_spans(text, spans, expected_text, expected_values) -> None:
    from benchmarks.accuracy.synthetic import unescape_newlines

    new_text, new_spans = unescape_newlines(text, spans)
    assert new_text == expected_text
    assert [new_text[s:e] for s, e, _ in new_spans] == expected_values

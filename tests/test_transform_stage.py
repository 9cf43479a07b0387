"""The transform stage: operators, config errors, skipping dropped rows, audit, Unicode offsets."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from scrubber.errors import ConfigError
from scrubber.records import DROP_COLUMN, SPANS_COLUMN, Batch, Span
from scrubber.stages.registry import stage_class
from scrubber.transform.stage import TransformStage

KEY = b"test-key-0123456789abcdef"
TEXT = "Mail john.smith@corp.com or call +1 415-555-2671."
EMAIL = Span(5, 24, "EMAIL_ADDRESS", 0.9, "email_regex")
PHONE = Span(33, 48, "PHONE_NUMBER", 0.7, "phone_lib")


def run(options: dict, texts: list[str], spans: list[list[Span]], key: bytes | None = KEY, **meta) -> Batch:
    stage = TransformStage.from_config(options, key=key)
    batch = Batch({"text": list(texts)}, source="shard-0.jsonl", first_row=meta.get("first_row", 0))
    batch.set_spans(spans)
    return stage.run(batch)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, "Mail <EMAIL> or call <PHONE>."),
        ({"operator": "redact", "token_format": "[{type}]"}, "Mail [EMAIL] or call [PHONE]."),
        ({"operator": "mask"}, "Mail ****.*****@****.*** or call +* ***-***-****."),
        ({"operator": "mask", "mask_char": "#", "mask_keep_last": 4},
         "Mail ####.#####@###p.com or call +# ###-###-2671."),
        ({"operators": {"PHONE_NUMBER": "keep"}}, "Mail <EMAIL> or call +1 415-555-2671."),
    ],
)
def test_transform_stage_operators_without_key(options: dict, expected: str) -> None:
    assert run(options, [TEXT], [[EMAIL, PHONE]], key=None).texts == [expected]


def test_transform_stage_hash_is_keyed_typed_and_consistent() -> None:
    out = run({"operator": "hash"}, [TEXT, TEXT], [[EMAIL, PHONE], [EMAIL, PHONE]]).texts
    assert out[0] == out[1]
    tokens = re.findall(r"<(\w+?)_([0-9a-f]{12})>", out[0])
    assert [t for t, _ in tokens] == ["EMAIL", "PHONE"]
    other = run({"operator": "hash"}, [TEXT], [[EMAIL, PHONE]], key=b"another-key-0123456789").texts[0]
    assert other != out[0]


@pytest.mark.parametrize("entity_type", ["BRAND_NEW_TYPE", "weird type/ü", ""])
def test_transform_stage_unknown_type_gets_default_operator(entity_type: str) -> None:
    for op in ("redact", "mask", "hash", "pseudonymize"):
        out = run({"operator": op}, [TEXT], [[Span(5, 24, entity_type)]]).texts[0]
        assert "john.smith@corp.com" not in out
    assert run({}, [TEXT], [[Span(5, 24, "BRAND_NEW_TYPE")]], key=None).texts[0] == (
        "Mail <BRAND_NEW_TYPE> or call +1 415-555-2671."
    )


@pytest.mark.parametrize("options", [{"operator": "hash"}, {"operator": "pseudonymize"},
                                     {"operators": {"PERSON": "pseudonymize"}}, {"default_operator": "hash"},
                                     {"audit": True}])
def test_transform_stage_keyed_feature_without_key_fails_before_data(options: dict) -> None:
    with pytest.raises(ConfigError, match=r"SCRUBBER_KEY.*--key-file"):
        TransformStage.from_config(options, key=None)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"operator": "scramble"}, "unknown operator 'scramble'"),
        ({"operators": {"PERSON": "erase"}}, "unknown operator 'erase'"),
        ({"token_format": "<{kind}>"}, "unknown field"),
        ({"mask_char": "**"}, "one character"),
        ({"hash_length": 4}, "hash_length"),
        ({"rules_file": "missing.yaml"}, "not found"),
        ({"operatr": "redact"}, "unknown key 'operatr'"),
    ],
)
def test_transform_stage_config_errors(options: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        TransformStage.from_config(options, key=KEY)


def test_transform_stage_rules_file_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "transform").mkdir()
    (tmp_path / "transform" / "operators.yaml").write_text("operators:\n  EMAIL_ADDRESS: nuke\n")
    with pytest.raises(ConfigError, match=r"operators\.yaml.*unknown operator 'nuke'"):
        TransformStage.from_config({}, rules_dir=tmp_path)


def test_transform_stage_skips_dropped_rows_and_removes_spans_column() -> None:
    stage = TransformStage.from_config({}, key=None)
    batch = Batch({"text": [TEXT, TEXT]})
    batch.set_spans([[EMAIL], [EMAIL]])
    batch.mark_dropped(1, "pii_count")
    out = stage.run(batch)
    assert out.texts == ["Mail <EMAIL> or call +1 415-555-2671.", TEXT]
    assert SPANS_COLUMN not in out.columns and out.columns[DROP_COLUMN] == [None, "pii_count"]
    assert stage.take_counters()["docs_skipped_dropped"] == 1


def test_transform_stage_keep_spans_option() -> None:
    stage = TransformStage.from_config({"keep_spans": True})
    batch = Batch({"text": [TEXT]})
    batch.set_spans([[EMAIL]])
    assert SPANS_COLUMN in stage.run(batch).columns


def test_transform_stage_rows_without_spans_or_text_untouched() -> None:
    stage = TransformStage.from_config({})
    batch = Batch({"text": [TEXT, None, TEXT]})
    batch.columns[SPANS_COLUMN] = [[], [EMAIL.to_dict()], None]
    assert stage.run(batch).texts == [TEXT, None, TEXT]


def test_transform_stage_audit_offsets_point_into_output() -> None:
    texts = ["x", TEXT]
    batch = run({"operator": "pseudonymize", "audit": True}, texts, [[], [PHONE, EMAIL]], first_row=10)
    out = batch.texts[1]
    records = batch.meta["audit"]
    assert [r["entity_type"] for r in records] == ["EMAIL_ADDRESS", "PHONE_NUMBER"]
    assert {r["row"] for r in records} == {11} and {r["source"] for r in records} == {"shard-0.jsonl"}
    assert records[0]["recognizer"] == "email_regex" and records[0]["score"] == 0.9
    assert "@example." in out[records[0]["start"]:records[0]["end"]]
    assert out[records[1]["start"]:records[1]["end"]].startswith("+1 ")
    assert all(re.fullmatch(r"[0-9a-f]{16}", r["fingerprint"]) for r in records)


UNICODE_CASES = [
    "😀😀 mail josé@corp.com 👍🏽 ok",  # astral emoji before and after
    "東京の田中太郎さん、メール tanaka@corp.jp まで",  # CJK around
    "Jose\u0301 Garci\u0301a wrote to zoe\u0308@corp.com",  # combining marks
    "bytes \udcff\udcfe then a@b.example end",  # surrogate-escaped undecodable bytes
]


@pytest.mark.parametrize("text", UNICODE_CASES)
@pytest.mark.parametrize("operator", ["redact", "mask", "hash", "pseudonymize"])
def test_transform_stage_unicode_offsets(text: str, operator: str) -> None:
    match = re.search(r"\S+@\S+\.\w+", text)
    assert match
    span = Span(match.start(), match.end(), "EMAIL_ADDRESS")
    batch = run({"operator": operator, "audit": True}, [text], [[span]])
    out = batch.texts[0]
    (record,) = batch.meta["audit"]
    assert out[: record["start"]] == text[: span.start]  # prefix untouched, emoji intact
    assert out[record["end"]:] == text[span.end:]  # suffix untouched
    assert match.group() not in out


def test_transform_stage_combining_mark_is_not_orphaned() -> None:
    text = "by Jose\u0301 today"
    out = run({}, [text], [[Span(3, 7, "PERSON")]]).texts[0]  # detector stopped before the accent
    assert out == "by <PERSON> today"


def test_transform_stage_pickles_without_operators_and_rebuilds() -> None:
    stage = TransformStage.from_config({"operator": "pseudonymize"}, key=KEY)
    before = run({"operator": "pseudonymize"}, [TEXT], [[EMAIL]]).texts
    stage.ensure_setup()
    clone = pickle.loads(pickle.dumps(stage))
    batch = Batch({"text": [TEXT]})
    batch.set_spans([[EMAIL]])
    assert clone.run(batch).texts == before


def test_transform_stage_callable_on_plain_columns_and_registered() -> None:
    assert stage_class("transform") is TransformStage
    stage = TransformStage.from_config({})
    columns = stage({"text": [TEXT], "id": [7], SPANS_COLUMN: [[EMAIL.to_dict()]]})
    assert columns["text"] == ["Mail <EMAIL> or call +1 415-555-2671."] and columns["id"] == [7]

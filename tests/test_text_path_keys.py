"""Text inside objects (``meta["text"]``): many sets keep their text in an object column (a JSON
object, a Parquet struct, a nested Hugging Face feature). A quoted key step reaches it; ``meta.text``
stays the column named ``meta.text``, as it always was. Everything a path into lists does
(``messages[].content``) must hold for such a path: each string scrubbed and put back in place with
every other key untouched, a record that does not fit quarantined, the schema kept, dedup, audit."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import read_rows, tree, write_config, write_hf, write_jsonl, write_parquet

from scrubber.api import load_pipeline
from scrubber.cli import main
from scrubber.errors import BatchError

PATH = 'meta["text"]'
ROWS = [
    {"id": 1, "meta": {"lang": "en", "text": "Write to bob@corp.com or call +1 415 555 0100.", "n": 3}},
    {"id": 2, "meta": {"text": "Nothing personal here.", "lang": "en"}},
    {"id": 3, "meta": {"text": None, "lang": "de"}},
]


def run(tmp_path: Path, src: Path, name: str, *flags: str, pipeline: str = "detect, transform",
        code: int = 0) -> Path:
    """``scrubber run`` in fast mode (the detectors these tests need); asserts the exit code."""
    out = tmp_path / name
    config = write_config(tmp_path / f"{name}.yaml", f"mode: fast\npipeline: [{pipeline}]\n")
    assert main(["run", str(src), "-o", str(out), "--config", str(config), "--no-progress", *flags]) == code
    return out


def test_key_of_an_object_column_is_scrubbed_in_place(tmp_path: Path) -> None:
    """The string at the key is scrubbed as it is as a column of its own; the object's other keys,
    their order and the record's other columns stay; a record left unchanged is written as read."""
    src = write_jsonl(tmp_path / "in" / "s.jsonl", ROWS)
    out = run(tmp_path, src, "out", "--text-field", PATH)
    got = read_rows(out / "s.jsonl")
    alone = run(tmp_path, write_jsonl(tmp_path / "alone" / "s.jsonl", [{"text": ROWS[0]["meta"]["text"]}]), "a")
    assert got[0] == {"id": 1, "meta": {"lang": "en", "text": read_rows(alone / "s.jsonl")[0]["text"], "n": 3}}
    assert got[0]["meta"]["text"] == "Write to <EMAIL> or call <PHONE>."
    assert list(got[0]["meta"]) == ["lang", "text", "n"]
    assert (out / "s.jsonl").read_bytes().splitlines()[1:] == src.read_bytes().splitlines()[1:]


def test_dotted_name_is_still_a_column(tmp_path: Path) -> None:
    """A name without [ is a column, dots and all: a set whose column is named ``meta.text`` keeps
    working, and an object column ``meta`` next to it is not read."""
    rows = [{"meta.text": "mail bob@corp.com", "meta": {"text": "mail eve@corp.com"}}]
    out = run(tmp_path, write_jsonl(tmp_path / "in" / "s.jsonl", rows), "out", "--text-field", "meta.text")
    assert read_rows(out / "s.jsonl") == [{"meta.text": "mail <EMAIL>", "meta": {"text": "mail eve@corp.com"}}]


@pytest.mark.parametrize(("field", "row", "expected"), [
    ('meta["a.b"]', {"meta": {"a.b": "mail bob@corp.com", "a": {"b": "x@y.com"}}},
     {"meta": {"a.b": "mail <EMAIL>", "a": {"b": "x@y.com"}}}),
    ("meta['a[]']", {"meta": {"a[]": "mail bob@corp.com"}}, {"meta": {"a[]": "mail <EMAIL>"}}),
    ('meta["say \\"hi\\""]', {"meta": {'say "hi"': "mail bob@corp.com"}}, {"meta": {'say "hi"': "mail <EMAIL>"}}),
    ('meta["a\\\\b"]', {"meta": {"a\\b": "mail bob@corp.com", "a\\\\b": "x@y.com"}},
     {"meta": {"a\\b": "mail <EMAIL>", "a\\\\b": "x@y.com"}}),
    ('meta[""]', {"meta": {"": "mail bob@corp.com"}}, {"meta": {"": "mail <EMAIL>"}}),
    ('meta.inner["t"]', {"meta": {"inner": {"t": "mail bob@corp.com"}}}, {"meta": {"inner": {"t": "mail <EMAIL>"}}}),
    ('doc["pages"][]["body"]', {"doc": {"pages": [{"body": "mail bob@corp.com", "no": 1}, {"body": None}]}},
     {"doc": {"pages": [{"body": "mail <EMAIL>", "no": 1}, {"body": None}]}}),
])
def test_quoted_keys_with_dots_brackets_quotes_and_escapes(tmp_path: Path, field: str, row: dict,
                                                           expected: dict) -> None:
    """A quoted key is read exactly as written, a backslash escaping a quote or a backslash: only
    that key is scrubbed, a neighbour the name could be confused with is left alone."""
    out = run(tmp_path, write_jsonl(tmp_path / "in" / "s.jsonl", [row]), "out", "--text-field", field)
    assert read_rows(out / "s.jsonl") == [expected]
    assert not (out / "_rejects").exists()


@pytest.mark.parametrize(("line", "reason"), [
    (b'{"id": 1}', "missing text field 'meta[\"text\"]'"),
    (b'{"meta": null}', "text field 'meta[\"text\"]' is null"),
    (b'{"meta": "mail bob@corp.com"}', "text path: meta is str, expected an object"),
    (b'{"meta": ["mail bob@corp.com"]}', "text path: meta is list, expected an object"),
    (b'{"meta": {"lang": "en"}}', "text path: meta has no key 'text'"),
    (b'{"meta": {"text": ["bob@corp.com"]}}', "text path: meta[\"text\"] is list, expected a string"),
    (b'{"meta": {"text": 7}}', "text path: meta[\"text\"] is int, expected a string"),
    (b'{"meta": {"text": "ok", "text": "bob@corp.com"}}', "text path: meta gives key 'text' twice (duplicate key)"),
    (b'{"meta": {"text": "ok", "t\\u0065xt": "bob@corp.com"}}',
     "text path: meta gives key 'text' twice (duplicate key)"),
    (b'{"meta": {"text": "ok"}, "meta": {"text": "bob@corp.com"}}',
     "text path: the record gives key 'meta' twice (duplicate key)"),
])
def test_record_that_does_not_fit_is_quarantined(tmp_path: Path, line: bytes, reason: str) -> None:
    """As with a path into lists: the record goes to _rejects with its line and a reason naming the
    path and the type, never the text; the file's other records go on."""
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [line + b"\n", b'{"meta": {"text": "fine"}}\n'])
    out = run(tmp_path, src, "out", "--text-field", PATH)
    assert read_rows(out / "s.jsonl") == [{"meta": {"text": "fine"}}]
    rejects = read_rows(out / "_rejects" / "s.jsonl.jsonl")
    assert [(r["line"], r["reason"]) for r in rejects] == [(1, reason)]
    assert "bob@corp.com" not in reason


def test_null_object_or_text_in_also_scrub_passes(tmp_path: Path) -> None:
    """An also_scrub field with no text (null object, null string) has nothing to scrub, as for a
    path into lists; the main text is still scrubbed."""
    rows = [{"text": "mail bob@corp.com", "meta": None}, {"text": "hi", "meta": {"text": None}},
            {"text": "hi", "meta": {"text": "call +1 415 555 0100"}}]
    out = run(tmp_path, write_jsonl(tmp_path / "in" / "s.jsonl", rows), "out", "--also-scrub", PATH)
    assert read_rows(out / "s.jsonl") == [{"text": "mail <EMAIL>", "meta": None}, rows[1],
                                          {"text": "hi", "meta": {"text": "call <PHONE>"}}]


def test_parquet_struct_column_keeps_its_schema(tmp_path: Path) -> None:
    """A Parquet struct column (and a nested feature of a Hugging Face folder) is an object: the
    string at the key is scrubbed, the struct's other fields and the file's exact schema kept; a
    null struct of the main text is quarantined."""
    meta = pa.struct([("lang", pa.string()), ("text", pa.large_string()), ("n", pa.int16())])
    columns = {"id": pa.array([1, 2, 3], pa.int8()),
               "meta": pa.array([{"lang": "en", "text": "mail bob@corp.com", "n": 1},
                                 {"lang": "de", "text": None, "n": None}, None], meta)}
    src = write_parquet(tmp_path / "in" / "c.parquet", columns)
    out = run(tmp_path, src, "out", "--text-field", PATH)
    table = pq.read_table(out / "c.parquet")
    assert table.schema == pq.read_table(src).schema
    assert table.column("meta").to_pylist() == [{"lang": "en", "text": "mail <EMAIL>", "n": 1},
                                                {"lang": "de", "text": None, "n": None}]
    assert [(r["row"], r["reason"]) for r in read_rows(out / "_rejects" / "c.parquet.jsonl")] == [
        (2, f"text field {PATH!r} is null")]

    hf = write_hf(tmp_path / "hf", {"meta": [{"text": "call +1 415 555 0100", "lang": "en"}]})
    out = run(tmp_path, hf, "out-hf", "--text-field", PATH)
    (data,) = list(out.rglob("*.arrow"))
    with pa.memory_map(str(data)) as source:
        assert pa.ipc.open_stream(source).read_all().column("meta").to_pylist() == [
            {"text": "call <PHONE>", "lang": "en"}]


@pytest.mark.parametrize(("field", "meta", "message"), [
    (PATH, pa.array([{"lang": "en"}]), "column 'meta[\"text\"]': meta is struct<lang: string>, "
                                        "expected a struct with field 'text'"),
    (PATH, pa.array(["mail bob@corp.com"]), "column 'meta[\"text\"]': meta is string, expected a struct"),
    (PATH, pa.array([{"text": 5}]), "column 'meta[\"text\"]': meta[\"text\"] is int64, expected strings"),
    ("meta.text", pa.array([{"text": "x"}]), "no column 'meta.text' (a name without [ is a column; column 'meta' "
                                             "holds objects: to read a key inside it, write meta[\"text\"])"),
])
def test_parquet_column_that_cannot_hold_the_path_fails_the_file(tmp_path: Path, field: str, meta: pa.Array,
                                                                 message: str) -> None:
    """Whether a Parquet file fits a path is known from its schema: the file fails with the reason
    (and, for a dotted name that means a key of a struct column, the path to write)."""
    src = write_parquet(tmp_path / "in" / "c.parquet", {"meta": meta})
    out = run(tmp_path, src, "out", "--text-field", field, code=1)
    report = json.loads((out / "_scrubber" / "report.json").read_text())
    assert message in json.dumps(report, ensure_ascii=False).replace('\\"', '"')
    assert not (out / "c.parquet").exists()


@pytest.mark.parametrize(("field", "rows", "hint"), [
    ("meta.text", [{"meta": {"text": "mail bob@corp.com"}}], 'write meta["text"]'),
    ("meta.a.b", [{"meta": {"a.b": "mail bob@corp.com"}}], 'write meta["a.b"]'),
    ("meta.a.b", [{"meta": {"a": {"b": "mail bob@corp.com"}}}], 'write meta["a"].b'),
    ("meta.a.b", [{"meta": {"c": "mail bob@corp.com"}}], 'write meta["a"].b'),  # no match: one step a dot
])
def test_dotted_name_that_means_a_key_says_how_to_write_it(tmp_path: Path, field: str, rows: list,
                                                           hint: str) -> None:
    """``meta.text`` is a column; when a record has none but an object ``meta``, the reason says
    which path reads inside it, matched to the record's keys where they can be."""
    out = run(tmp_path, write_jsonl(tmp_path / "in" / "s.jsonl", rows), "out", "--text-field", field)
    (reject,) = read_rows(out / "_rejects" / "s.jsonl.jsonl")
    assert reject["reason"].startswith(f"missing text field {field!r} (a name without [ is a column; column 'meta'")
    assert reject["reason"].endswith(hint + ")")


def test_dotted_name_next_to_no_object_gets_no_hint(tmp_path: Path) -> None:
    rows = [{"meta": "a string"}, {"other": {"text": "x"}}]
    out = run(tmp_path, write_jsonl(tmp_path / "in" / "s.jsonl", rows), "out", "--text-field", "meta.text")
    assert [r["reason"] for r in read_rows(out / "_rejects" / "s.jsonl.jsonl")] == [
        "missing text field 'meta.text'"] * 2


def test_audit_names_the_string_by_a_path_that_reads_back(tmp_path: Path) -> None:
    """The audit's field is the concrete path of each string, one a user can pass back as a text
    field: ``meta["text"]`` (not ``meta.text``, a column), ``doc["pages"][1].body``."""
    rows = [{"meta": {"text": "mail bob@corp.com"},
             "doc": {"pages": [{"body": "hi"}, {"body": "call +1 415 555 0100"}]}}]
    src = write_jsonl(tmp_path / "in" / "s.jsonl", rows)
    out = run(tmp_path, src, "out", "--text-field", PATH, "--also-scrub", 'doc["pages"][]["body"]', "--audit",
              "--key-file", str(write_config(tmp_path / "key", "k" * 32)))
    audit = read_rows(out / "_scrubber" / "audit" / "s.jsonl.jsonl")
    assert sorted((r["field"], r["entity_type"]) for r in audit) == [
        ('doc["pages"][1].body', "PHONE_NUMBER"), ('meta["text"]', "EMAIL_ADDRESS")]
    assert read_rows(out / "s.jsonl") == [{"meta": {"text": "mail <EMAIL>"},
                                           "doc": {"pages": [{"body": "hi"}, {"body": "call <PHONE>"}]}}]


def test_dedup_exact_and_near_compare_the_text_at_the_key(tmp_path: Path) -> None:
    """With ``meta["text"]`` as the main text, a copy of it in another shard is dropped whatever the
    object's other keys hold; different texts are kept."""
    text = "Please summarise chapter one of the long quarterly report for the board, thanks a lot."
    write_jsonl(tmp_path / "in" / "a.jsonl", [{"id": 1, "meta": {"text": text, "src": "x"}},
                                              {"id": 2, "meta": {"text": "Another text entirely, about birds."}}])
    write_jsonl(tmp_path / "in" / "b.jsonl", [{"id": 3, "meta": {"text": text, "src": "y"}}])
    out = run(tmp_path, tmp_path / "in", "out", "--text-field", PATH, pipeline="dedup_exact, dedup_near, detect")
    assert [r["id"] for r in read_rows(out / "a.jsonl")] == [1, 2]
    assert read_rows(out / "b.jsonl") == []
    assert read_rows(out / "_scrubber" / "dropped" / "b.jsonl.jsonl") == [{"row": 0, "reason": "dedup_exact"}]


def test_dedup_repeats_cuts_the_string_at_the_key_as_a_column_is_cut(tmp_path: Path) -> None:
    """A repeated passage is cut from the text at the key exactly as from a column of the same
    texts; the object's other keys stay."""
    boiler = "You are the support assistant of Example Corp. Answer briefly, link the help centre and stay polite."
    texts = [f"{boiler} Order {i} is late, write to buyer{i}@mailbox.org" for i in range(3)]
    pipeline = "dedup_repeats: {min_tokens: 12, min_doc_chars: 0}, detect, transform"
    keyed = run(tmp_path, write_jsonl(tmp_path / "k" / "s.jsonl", [{"meta": {"text": t, "i": i}}
                                                                   for i, t in enumerate(texts)]),
                "keyed", "--text-field", PATH, pipeline=pipeline)
    plain = run(tmp_path, write_jsonl(tmp_path / "p" / "s.jsonl", [{"text": t} for t in texts]), "plain",
                pipeline=pipeline)
    expected = [r["text"] for r in read_rows(plain / "s.jsonl")]
    assert expected[0].startswith(boiler) and boiler not in expected[1] + expected[2]  # the cut happened
    assert read_rows(keyed / "s.jsonl") == [{"meta": {"text": t, "i": i}} for i, t in enumerate(expected)]


def test_two_spellings_of_one_path_give_the_same_output(tmp_path: Path) -> None:
    """``messages[]["content"]`` is ``messages[].content``: same bytes out, dedup_repeats included."""
    system = "You are the support assistant of Example Corp. Answer briefly, link the help centre and stay polite."
    rows = [{"messages": [{"role": "system", "content": system},
                          {"role": "user", "content": f"order {i} late, mail buyer{i}@mailbox.org"}]} for i in range(3)]
    src = write_jsonl(tmp_path / "in" / "s.jsonl", rows)
    pipeline = "dedup_exact, dedup_repeats: {min_tokens: 12, min_doc_chars: 0}, detect, transform"
    dotted = run(tmp_path, src, "dotted", "--text-field", "messages[].content", pipeline=pipeline)
    quoted = run(tmp_path, src, "quoted", "--text-field", "messages[]['content']", pipeline=pipeline)
    assert (dotted / "s.jsonl").read_bytes() == (quoted / "s.jsonl").read_bytes()
    assert [m["content"] for m in read_rows(quoted / "s.jsonl")[1]["messages"]] == ["", "order 1 late, mail <EMAIL>"]
    assert {k: v for k, v in tree(dotted).items() if "report" not in k and "state" not in k}.keys() == {
        k for k in tree(quoted) if "report" not in k and "state" not in k}


def test_one_path_named_twice_in_two_spellings_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Scrubbed twice, a field's replacements would be scrubbed again; the config is refused."""
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [{"messages": [{"content": "x"}]}])
    run(tmp_path, src, "out", "--text-field", "messages[].content", "--also-scrub", 'messages[]["content"]', code=2)
    assert "is named twice" in capsys.readouterr().err


def test_malformed_path_is_a_config_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [{"meta": {"text": "x"}}])
    run(tmp_path, src, "out", "--text-field", "meta[text]", code=2)
    err = capsys.readouterr().err
    assert "'meta[text]' is not a text path" in err and 'meta["text"]' in err
    assert not (tmp_path / "out" / "s.jsonl").exists()


def test_library_pipeline_reads_the_key_of_dicts_and_arrow_structs() -> None:
    """``load_pipeline(text_field='meta["text"]')`` on a dict batch and a pyarrow Table (Ray's
    pyarrow format) with a struct column; the caller's objects are not edited."""
    batch = {"id": [1, 2], "meta": [{"text": "mail bob@corp.com", "k": 1}, None]}
    scrub = load_pipeline(mode="fast", text_field=PATH)
    out = scrub(batch)
    assert out["meta"] == [{"text": "mail <EMAIL>", "k": 1}, None]
    assert batch["meta"][0]["text"] == "mail bob@corp.com"
    table = pa.table({"meta": pa.array([{"text": "call +1 415 555 0100", "k": 2}])})
    assert scrub(table)["meta"] == [{"text": "call <PHONE>", "k": 2}]


@pytest.mark.parametrize(("batch", "message"), [
    ({"meta": [{"text": "x"}, {"text": 5}]}, 'row 1 of the batch: text path: meta["text"] is int, expected a string'),
    ({"meta": ["mail bob@corp.com"]}, "row 0 of the batch: text path: meta is str, expected an object"),
    ({"m": [{"text": "x"}]}, "the batch has no column 'meta' (columns: 'm')"),
])
def test_library_batch_that_does_not_fit_raises(batch: dict, message: str) -> None:
    with pytest.raises(BatchError, match=re.escape(message)) as exc:
        load_pipeline(mode="fast", text_field=PATH)(batch)
    assert "bob@corp.com" not in str(exc.value)


def test_library_dotted_name_says_how_to_write_the_path() -> None:
    with pytest.raises(BatchError, match=re.escape(
            "the batch has no column 'meta.text' (a name without [ is a column; column 'meta' holds objects: "
            'to read a key inside it, write meta["text"]) (columns: \'meta\')')):
        load_pipeline(mode="fast", text_field="meta.text")({"meta": [None, {"text": "x"}]})

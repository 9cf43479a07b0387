"""Text inside lists (``messages[].content``): chat and instruction sets keep their text in lists of
messages, so a text field may be a path. Every string at the path is scrubbed as a text of its own,
put back in place, and a record whose value does not fit the path is quarantined, never passed on."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import read_rows, scrub_with, write_config, write_hf, write_jsonl, write_parquet

from scrubber import textpath
from scrubber.api import load_pipeline
from scrubber.cli import main

CHATS = [
    {"id": 1, "messages": [{"role": "user", "content": "Hi, I am John Smith, mail john.smith@gmail.com"},
                           {"role": "assistant", "content": "Hello John, card 4539 1488 0343 6467 is noted."}]},
    {"id": 2, "messages": [{"role": "user", "content": "Nothing personal here."},
                           {"role": "assistant", "content": None}]},
    {"id": 3, "messages": []},
]
PATH = "messages[].content"



EACH = textpath.EACH


@pytest.mark.parametrize(("name", "expected"), [
    ("messages[].content", ("messages", EACH, "content")),
    ("turns[].parts[]", ("turns", EACH, "parts", EACH)),
    ("a[][].b.c", ("a", EACH, EACH, "b", "c")),
    ("meta.text", ("meta.text",)),  # no [: a column whose name has a dot
    ('meta["text"]', ("meta", "text")),
    ("meta['text']", ("meta", "text")),
    ('messages[]["content"]', ("messages", EACH, "content")),
    ('doc["pages"][]["body"]', ("doc", "pages", EACH, "body")),
    ('meta["a.b"]', ("meta", "a.b")),
    ('meta["x[]"]["[]"]', ("meta", "x[]", "[]")),  # a key "[]" is a key, not the [] step
    ('meta["say \\"hi\\""]', ("meta", 'say "hi"')),
    ("meta['it\\'s']", ("meta", "it's")),
    ('meta["it\'s"]', ("meta", "it's")),
    ('meta["back\\\\slash"]', ("meta", "back\\slash")),
    ('meta[""]', ("meta", "")),  # JSON allows an empty key: reachable, like any other
])
def test_text_path_steps(name: str, expected: tuple[object, ...]) -> None:
    assert textpath.steps(name) == expected


@pytest.mark.parametrize(("name", "why"), [
    ("[].content", "at character 1, it must start with the column's name"),
    ('["meta"]["text"]', "at character 1, it must start with the column's name"),
    ("messages[]content", "at character 11, 'c' cannot follow a step"),
    ("messages[].", "at character 11, a dot must be followed by a key"),
    ("messages[]..x", "at character 11, a dot must be followed by a key"),
    ("m[x][]", "at character 2, a bracket holds [] or a quoted key (write [\"key\"], not [key])"),
    ("meta[text]", "at character 5, a bracket holds [] or a quoted key"),
    ('meta["text', "at character 6, the quoted key has no closing quote"),
    ('meta["text\']', "at character 6, the quoted key has no closing quote"),  # \' is no closing quote
    ('meta["text"', "at character 12, a quoted key must be followed by ]"),
    ('meta["te"xt"]', "at character 10, a quoted key must be followed by ]"),
    ('meta["a\\n"]', "at character 8, a backslash in a quoted key escapes only a quote or a backslash"),
])
def test_text_path_that_does_not_read_as_one_is_refused(name: str, why: str) -> None:
    """The error says where the name stops reading as a path and how to write one."""
    with pytest.raises(ValueError, match="is not a text path") as exc:
        textpath.steps(name)
    assert why in str(exc.value)
    assert 'meta["text"]' in str(exc.value) and "\\\" for a quote" in str(exc.value)


@pytest.mark.parametrize("name", ['meta["text"]', 'messages[2].content', 'doc["pages"][2].body', 'meta["a.b"]',
                                  'meta["x"]["y.z"].w', 'meta[""]', 'meta["q\\"x\\\\"]', 'meta["[]"]'])
def test_text_path_spelled_in_errors_and_audit_reads_back_as_the_same_path(name: str) -> None:
    """Audit records and errors name a string by its concrete path; it must read back as the path
    it names: a first key after the column is quoted (meta.text would read as a column), a key with
    a dot or bracket too. An index stands where the user wrote []."""
    path = textpath.steps(name.replace("[2]", "[]"))
    trail = [2 if s is EACH else s for s in path]
    assert textpath.spell(trail) == name
    assert textpath.steps(textpath.spell(path)) == path


def test_text_path_scrubs_every_string_as_a_text_of_its_own(tmp_path: Path) -> None:
    """Each message comes out as it does when it is the whole text of a record of its own."""
    src = write_jsonl(tmp_path / "in" / "chat.jsonl", CHATS)
    chat = read_rows(scrub_with(tmp_path, src, "chat", "--text-field", PATH) / "chat.jsonl")
    alone_src = write_jsonl(tmp_path / "in-alone" / "a.jsonl", [
        {"text": m["content"]} for r in CHATS for m in r["messages"] if m["content"] is not None])
    alone = [r["text"] for r in read_rows(scrub_with(tmp_path, alone_src, "alone") / "a.jsonl")]
    assert [m["content"] for r in chat for m in r["messages"] if m["content"] is not None] == alone
    assert chat[0]["messages"] == [
        {"role": "user", "content": "Hi, I am <PERSON>, mail <EMAIL>"},
        {"role": "assistant", "content": "Hello <PERSON>, card <CREDIT_CARD> is noted."},
    ]
    assert chat[1:] == CHATS[1:]  # a null message and an empty list pass as they were


def test_text_path_untouched_records_are_written_as_read(tmp_path: Path) -> None:
    untouched = b'{"messages": [ {"role": "user",  "content": "say hi"} ]}'
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [untouched + b"\n",
                                                     b'{"messages": [{"content": "mail bob@corp.com"}]}\n'])
    lines = (scrub_with(tmp_path, src, "out", "--text-field", PATH) / "s.jsonl").read_bytes().splitlines()
    assert lines == [untouched, b'{"messages":[{"content":"mail <EMAIL>"}]}']


@pytest.mark.parametrize(("line", "reason"), [
    (b'{"id": 1}', "missing text field 'messages[].content'"),
    (b'{"messages": null}', "text field 'messages[].content' is null"),
    (b'{"messages": "hi bob@corp.com"}', "text path: messages is str, expected a list"),
    (b'{"messages": [{"role": "user"}]}', "text path: messages[0] has no key 'content'"),
    (b'{"messages": [{"content": "ok"}, "bob@corp.com"]}', "text path: messages[1] is str, expected an object"),
    (b'{"messages": [{"content": ["bob@corp.com"]}]}', "text path: messages[0].content is list, expected a string"),
    (b'{"messages": [{"content": "ok", "content": "bob@corp.com"}]}',
     "text path: messages[0] gives key 'content' twice (duplicate key)"),
    (b'{"messages": [{"content": "ok", "c\\u006fntent": "bob@corp.com"}]}',
     "text path: messages[0] gives key 'content' twice (duplicate key)"),
    (b'{"messages": [], "messages": [{"content": "bob@corp.com"}]}',
     "text path: the record gives key 'messages' twice (duplicate key)"),
])
def test_text_path_record_that_does_not_fit_is_quarantined(tmp_path: Path, line: bytes, reason: str) -> None:
    """Scrubbing part of such a record would pass the rest on: a message that is no object, a
    content that is no string, a key given twice (parsers keep the last, the line keeps both)."""
    src = write_jsonl(tmp_path / "in" / "s.jsonl", [line + b"\n", b'{"messages": [{"content": "fine"}]}\n'])
    out = scrub_with(tmp_path, src, "out", "--text-field", PATH)
    assert read_rows(out / "s.jsonl") == [{"messages": [{"content": "fine"}]}]
    assert [(r["line"], r["reason"]) for r in read_rows(out / "_rejects" / "s.jsonl.jsonl")] == [(1, reason)]


def test_text_path_in_parquet_and_hf_folders_keeps_the_schema(tmp_path: Path) -> None:
    message = pa.struct([("role", pa.string()), ("content", pa.large_string())])
    columns = {
        "id": pa.array([1, 2, 3], pa.int8()),
        "messages": pa.array([[{"role": "user", "content": "mail bob@corp.com"},
                               {"role": "assistant", "content": None}], [], None], pa.list_(message)),
    }
    src = write_parquet(tmp_path / "in" / "c.parquet", columns)
    out = scrub_with(tmp_path, src, "out", "--text-field", PATH)
    table = pq.read_table(out / "c.parquet")
    assert table.schema == pq.read_table(src).schema
    assert table.column("messages").to_pylist() == [
        [{"role": "user", "content": "mail <EMAIL>"}, {"role": "assistant", "content": None}], []]
    assert [r["reason"] for r in read_rows(out / "_rejects" / "c.parquet.jsonl")] == [f"text field {PATH!r} is null"]

    hf = write_hf(tmp_path / "hf", {"messages": [[{"role": "user", "content": "call +1 415 555 0100"}]]})
    out = scrub_with(tmp_path, hf, "out-hf", "--text-field", PATH)
    (data,) = [p for p in out.rglob("*.arrow")]
    with pa.memory_map(str(data)) as source:
        assert pa.ipc.open_stream(source).read_all().column("messages").to_pylist() == [
            [{"role": "user", "content": "call <PHONE>"}]]


def test_text_path_that_the_columns_cannot_hold_fails_the_file(tmp_path: Path) -> None:
    src = write_parquet(tmp_path / "in" / "c.parquet", {"messages": [["plain strings"]]})
    out = tmp_path / "out"
    config = write_config(tmp_path / "c.yaml", "pipeline: [detect, transform]\n")
    assert main(["run", str(src), "-o", str(out), "--config", str(config), "--no-progress",
                 "--text-field", PATH]) == 1
    report = (out / "_scrubber" / "report.json").read_text()
    assert "column 'messages[].content': messages[] is string, expected a struct with field 'content'" in report


def test_text_path_as_main_text_dedups_whole_conversations(tmp_path: Path) -> None:
    """Exact and near dedup compare a record's strings at the path, joined: a conversation repeated
    in another shard is dropped whatever its other columns, a conversation that differs is kept."""
    chat = [{"role": "user", "content": f"Please summarise chapter {i} of the long report for me, thanks."}
            for i in range(1, 4)]
    write_jsonl(tmp_path / "in" / "a.jsonl", [{"id": 1, "messages": chat}, {"id": 2, "messages": chat[:1]}])
    write_jsonl(tmp_path / "in" / "b.jsonl", [{"id": 3, "messages": chat}])
    out = scrub_with(tmp_path, tmp_path / "in", "out", "--text-field", PATH,
                 pipeline="dedup_exact, dedup_near, detect, transform")
    assert [r["id"] for r in read_rows(out / "a.jsonl")] == [1, 2]
    assert read_rows(out / "b.jsonl") == []
    assert read_rows(out / "_scrubber" / "dropped" / "b.jsonl.jsonl") == [{"row": 0, "reason": "dedup_exact"}]


def test_text_path_in_also_scrub_next_to_a_main_column_with_dedup(tmp_path: Path) -> None:
    rows = [{"title": "Same title", "messages": [{"content": f"mail bob{i}@corp.com"}]} for i in range(2)]
    src = write_jsonl(tmp_path / "in" / "s.jsonl", rows)
    out = scrub_with(tmp_path, src, "out", "--text-field", "title", "--also-scrub", PATH,
                 pipeline="detect, dedup_exact, transform")
    assert read_rows(out / "s.jsonl") == [{"title": "Same title", "messages": [{"content": "mail <EMAIL>"}]}]


def test_text_path_audit_names_each_message(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in" / "chat.jsonl", CHATS)
    out = scrub_with(tmp_path, src, "out", "--text-field", PATH, "--audit",
                 "--key-file", str(write_config(tmp_path / "key", "k" * 32)))
    scrubbed = read_rows(out / "chat.jsonl")
    audit = read_rows(out / "_scrubber" / "audit" / "chat.jsonl.jsonl")
    assert [(r["row"], r["field"], r["entity_type"]) for r in audit] == [
        (0, "messages[0].content", "PERSON"), (0, "messages[0].content", "EMAIL_ADDRESS"),
        (0, "messages[1].content", "PERSON"), (0, "messages[1].content", "CREDIT_CARD")]
    for record in audit:
        index = int(record["field"].split("[")[1].split("]")[0])
        text = scrubbed[record["row"]]["messages"][index]["content"]
        assert text[record["start"]:record["end"]].startswith("<")


def test_text_path_library_pipeline_leaves_its_input_alone(tmp_path: Path) -> None:
    """The stages are functions of a batch: the caller's message objects are not edited in place."""
    scrub = load_pipeline(mode="full", text_field=PATH)
    batch = {"id": [r["id"] for r in CHATS], "messages": [r["messages"] for r in CHATS]}
    before = copy.deepcopy(batch)
    out = scrub(batch)
    assert batch == before
    src = write_jsonl(tmp_path / "in" / "chat.jsonl", CHATS)
    cli = read_rows(scrub_with(tmp_path, src, "cli", "--text-field", PATH) / "chat.jsonl")
    assert out["messages"] == [r["messages"] for r in cli]


def test_text_path_key_word_used_as_a_value_or_elsewhere_is_no_duplicate(tmp_path: Path) -> None:
    """The duplicate check counts the path's keys in the line; the same word as a value, as a key
    off the path, or in the text costs a second parse, never a quarantine."""
    rows = [{"messages": [{"role": "content", "content": "plain"}], "meta": {"content": 1}},
            {"messages": [{"content": 'quote "content": x and "messages"'}]}]
    src = write_jsonl(tmp_path / "in" / "s.jsonl", rows)
    out = scrub_with(tmp_path, src, "out", "--text-field", PATH)
    assert read_rows(out / "s.jsonl") == rows
    assert not (out / "_rejects" / "s.jsonl.jsonl").exists()


def test_text_path_library_reads_ray_numpy_batches() -> None:
    """Ray's numpy batches hold a list of messages as an object array of arrays; read as they were,
    no message would be found at the path and every one would pass unscrubbed."""
    import numpy as np

    messages = np.empty(2, dtype=object)
    messages[0] = np.array([{"role": "user", "content": "mail bob@corp.com"}], dtype=object)
    messages[1] = np.array([], dtype=object)
    out = load_pipeline(mode="fast", text_field=PATH)({"id": np.array([1, 2]), "messages": messages})
    assert out["messages"] == [[{"role": "user", "content": "mail <EMAIL>"}], []]


def test_text_path_library_missing_value_passes_as_it_came() -> None:
    """A pandas batch marks a record without messages with NaN: nothing to scrub, as with None."""
    out = load_pipeline(mode="fast", also_scrub=[PATH])(
        {"text": ["a", "b"], "messages": [float("nan"), [{"content": "mail bob@corp.com"}]]})
    assert out["messages"][0] != out["messages"][0]  # NaN, returned as it came
    assert out["messages"][1] == [{"content": "mail <EMAIL>"}]


@pytest.mark.parametrize(("batch", "message"), [
    ({"messages": [[{"content": "x"}], "mail bob@corp.com"]},
     "row 1 of the batch: text path: messages is str, expected a list"),
    ({"msgs": [[{"content": "x"}]]}, "the batch has no column 'messages' (columns: 'msgs')"),
])
def test_text_path_library_batch_that_does_not_fit_raises(batch: dict, message: str) -> None:
    """No reader quarantines a library batch: a value off the path must stop the call (naming the
    row and the shape, never the text), not pass through unscrubbed."""
    with pytest.raises(ValueError, match=re.escape(message)) as exc:
        load_pipeline(mode="fast", text_field=PATH)(batch)
    assert "bob@corp.com" not in str(exc.value)


def test_text_path_into_a_list_of_strings(tmp_path: Path) -> None:
    """``turns[].parts[]``: each string of a list inside each element is a text of its own."""
    rows = [{"turns": [{"parts": ["mail bob@corp.com", None, "hi"]}, {"parts": []}]}]
    src = write_jsonl(tmp_path / "in" / "s.jsonl", rows)
    out = scrub_with(tmp_path, src, "out", "--text-field", "turns[].parts[]")
    assert read_rows(out / "s.jsonl") == [{"turns": [{"parts": ["mail <EMAIL>", None, "hi"]}, {"parts": []}]}]

"""dedup_repeats with a text path as the main text (``messages[].content``): chat sets carry the most
repeated boilerplate (system prompts, canned replies). Each message is cut as a text of its own, in
corpus order (record, then message), and put back in its place; a message cut to nothing stays as
``""`` so the roles stay aligned."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import read_rows, tree, write_config, write_jsonl, write_parquet

from scrubber.cli import main
from scrubber.dedup.repeats import RepeatedSequenceStage
from scrubber.errors import ShardError
from scrubber.records import Batch

PATH = "messages[].content"
#: 20 and 18 tokens: above the min_tokens of these tests (12), so every copy after the first is cut.
SYSTEM = "You are the support assistant of Example Corp. Answer briefly, link the help centre and stay polite."
CANNED = "Thank you for contacting Example Corp support, a colleague will follow up within two business days."


def run(tmp_path: Path, src: Path, name: str, pipeline: str, *flags: str) -> Path:
    out = tmp_path / name
    config = write_config(tmp_path / f"{name}.yaml", f"mode: fast\npipeline: [{pipeline}]\n")
    assert main(["run", str(src), "-o", str(out), "--config", str(config), "--no-progress",
                 "--text-field", PATH, *flags]) == 0
    return out


def chat(i: int, system: str | None = SYSTEM) -> dict:
    return {"id": i, "messages": [
        {"role": "system", "content": system},
        {"role": "user", "content": f"My order {i} is late, write to buyer{i}@mailbox.org"},
        {"role": "assistant", "content": CANNED},
    ]}


def stage_counters(out: Path, label: str = "dedup_repeats") -> dict:
    report = json.loads((out / "_scrubber" / "report.json").read_text(encoding="utf-8"))
    return {k: v for k, v in report["stages"][label].items() if not k.endswith("seconds")}


def test_chat_boilerplate_is_cut_from_every_copy_but_the_first_message_by_message(tmp_path: Path) -> None:
    rows = [chat(i) for i in range(3)]
    rows.append({"id": 3, "messages": [{"role": "user", "content": None}]})
    # Half of the system prompt ends one message and the other half starts the next: no 12-token
    # window lies inside one message, so nothing is cut (a window never spans two messages).
    half = SYSTEM.split(". ", 1)
    rows += [{"id": i, "messages": [{"role": "user", "content": half[0] + "."},
                                    {"role": "assistant", "content": half[1]}]} for i in (4, 5)]
    src = write_jsonl(tmp_path / "in" / "chat.jsonl", rows)
    out = run(tmp_path, src, "out", "dedup_repeats: {min_tokens: 12, min_doc_chars: 0}, detect, transform")

    got = read_rows(out / "chat.jsonl")
    assert [r["id"] for r in got] == [0, 1, 2, 3, 4, 5]
    assert got[0]["messages"] == [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "My order 0 is late, write to <EMAIL>"},
        {"role": "assistant", "content": CANNED}]
    for i in (1, 2):  # the roles stay where they were; the repeated messages are left empty
        assert got[i]["messages"] == [
            {"role": "system", "content": ""},
            {"role": "user", "content": f"My order {i} is late, write to <EMAIL>"},
            {"role": "assistant", "content": ""}]
    assert got[3:] == rows[3:]
    lines = (out / "chat.jsonl").read_bytes().splitlines()
    assert lines[3:] == src.read_bytes().splitlines()[3:]  # records not cut are written as read
    assert stage_counters(out) == {
        "docs_changed": 2, "texts_changed": 4, "texts_emptied": 4, "spans_removed": 4,
        "span_bytes_removed": 2 * len(SYSTEM) + 2 * len(CANNED),
        "bytes_removed": 2 * len(SYSTEM) + 2 * len(CANNED)}
    written = b"".join(p.read_bytes() for p in (out / "_scrubber").rglob("*") if p.is_file())
    assert b"mailbox.org" not in written and b"support assistant" not in written


def test_chat_partly_repeated_message_keeps_its_own_text(tmp_path: Path) -> None:
    rows = [{"messages": [{"content": SYSTEM}]},
            {"messages": [{"content": f"Hi, I am Ann, card 4539 1488 0343 6467.\n\n{SYSTEM}\n\nThanks!"}]}]
    out = run(tmp_path, write_jsonl(tmp_path / "in" / "c.jsonl", rows), "out",
              "dedup_repeats: {min_tokens: 12, min_doc_chars: 0}, detect, transform")
    assert [r["messages"][0]["content"] for r in read_rows(out / "c.jsonl")] == [
        SYSTEM, "Hi, I am Ann, card <CREDIT_CARD>.\n\nThanks!"]


def test_chat_in_parquet_keeps_its_schema_and_every_message(tmp_path: Path) -> None:
    message = pa.struct([("role", pa.string()), ("content", pa.large_string())])
    values = [chat(i)["messages"] for i in range(3)] + [[], None]
    values[2][2]["content"] = None
    src = write_parquet(tmp_path / "in" / "c.parquet",
                        {"id": pa.array(list(range(5)), pa.int32()), "messages": pa.array(values, pa.list_(message))})
    out = run(tmp_path, src, "out", "dedup_repeats: {min_tokens: 12, min_doc_chars: 0}, detect, transform")
    table = pq.read_table(out / "c.parquet")
    assert table.schema == pq.read_table(src).schema
    assert table.column("messages").to_pylist() == [
        [{"role": "system", "content": SYSTEM},
         {"role": "user", "content": "My order 0 is late, write to <EMAIL>"},
         {"role": "assistant", "content": CANNED}],
        [{"role": "system", "content": ""},
         {"role": "user", "content": "My order 1 is late, write to <EMAIL>"},
         {"role": "assistant", "content": ""}],
        [{"role": "system", "content": ""},
         {"role": "user", "content": "My order 2 is late, write to <EMAIL>"},
         {"role": "assistant", "content": None}],
        []]
    assert [r["reason"] for r in read_rows(out / "_rejects" / "c.parquet.jsonl")] == [f"text field {PATH!r} is null"]


def test_chat_too_short_counts_every_message_of_the_record(tmp_path: Path) -> None:
    """``min_doc_chars`` is about the record: the characters left in all its messages together."""
    rows = [chat(0), chat(1), {"id": 2, "messages": [{"content": SYSTEM}, {"content": CANNED}]}]
    out = run(tmp_path, write_jsonl(tmp_path / "in" / "c.jsonl", rows), "out",
              "dedup_repeats: {min_tokens: 12, min_doc_chars: 20}")
    # Record 1 keeps its user message (46 characters: kept); record 2 has nothing left.
    assert [r["id"] for r in read_rows(out / "c.jsonl")] == [0, 1]
    assert read_rows(out / "_scrubber" / "dropped" / "c.jsonl.jsonl") == [
        {"row": 2, "reason": "dedup_repeats_too_short"}]
    assert stage_counters(out)["docs_removed"] == 1


def chat_corpus(seed: int) -> list[list[dict]]:
    """Three shards of chats whose messages mix a few repeated passages and random words."""
    rng = random.Random(seed)
    vocab = ["the", "order", "is", "late", ",", ".", "café", "東", "京", "😀", "refund", "(", ")", "über"]
    passages = [[rng.choice(vocab) for _ in range(rng.randint(3, 9))] for _ in range(4)]
    shards = []
    for _ in range(3):
        records = []
        for _ in range(rng.randint(1, 6)):
            messages = []
            for _ in range(rng.randint(0, 4)):
                parts = [rng.choice(passages) if rng.random() < 0.6 else [rng.choice(vocab) for _ in range(4)]
                         for _ in range(rng.randint(1, 3))]
                text = rng.choice([" ", "\n"]).join(" ".join(p) for p in parts)
                messages.append({"role": rng.choice(["user", "assistant"]),
                                 "content": None if rng.random() < 0.1 else text})
            records.append({"messages": messages})
        shards.append(records)
    return shards


@pytest.mark.parametrize("seed", range(3))
def test_chat_each_message_is_cut_as_if_it_were_a_record_of_its_own(tmp_path: Path, seed: int) -> None:
    """Same cuts as for a corpus with one record per message in the same order (that corpus is
    checked against a brute force in test_dedup_repeats.py), with 1 or 2 workers."""
    shards = chat_corpus(seed)
    for s, records in enumerate(shards):
        write_jsonl(tmp_path / "chat" / f"s{s}.jsonl", records)
        write_jsonl(tmp_path / "flat" / f"s{s}.jsonl", [
            {"text": m["content"]} for r in records for m in r["messages"] if m["content"] is not None])
    pipeline = "dedup_repeats: {min_tokens: 4, min_doc_chars: 0, partitions: 3}"
    one = run(tmp_path, tmp_path / "chat", "chat1", pipeline)
    two = run(tmp_path, tmp_path / "chat", "chat2", pipeline, "--workers", "2")
    config = write_config(tmp_path / "flat.yaml", f"pipeline: [{pipeline}]\n")
    assert main(["run", str(tmp_path / "flat"), "-o", str(tmp_path / "flat-out"), "--config", str(config),
                 "--no-progress"]) == 0
    assert tree(one) == tree(two)
    for s, records in enumerate(shards):
        got = read_rows(one / f"s{s}.jsonl")
        assert [[(m["role"], m["content"] is None) for m in r["messages"]] for r in got] == [
            [(m["role"], m["content"] is None) for m in r["messages"]] for r in records]
        assert [m["content"] for r in got for m in r["messages"] if m["content"] is not None] == [
            r["text"] for r in read_rows(tmp_path / "flat-out" / f"s{s}.jsonl")]
    counters = stage_counters(one)
    assert counters["texts_changed"] > 0 and counters["texts_emptied"] > 0  # the corpus does exercise cuts


def test_chat_default_pipeline_takes_a_path_as_main_text(tmp_path: Path) -> None:
    """The default pipeline (dedup_repeats with 50 tokens, full detection) runs on chats as it is."""
    prompt = " ".join([SYSTEM] * 3)  # 72 tokens
    rows = [{"messages": [{"content": prompt}, {"content": f"Ticket {i}: Dr. Alice Novak asked whether invoice {i} "
                                                          "was paid last week."}]} for i in range(2)]
    out = tmp_path / "out"
    assert main(["run", str(write_jsonl(tmp_path / "in" / "c.jsonl", rows)), "-o", str(out), "--no-progress",
                 "--text-field", PATH]) == 0
    asked = [f"Ticket {i}: Dr. <PERSON> asked whether invoice {i} was paid last week." for i in range(2)]
    assert [[m["content"] for m in r["messages"]] for r in read_rows(out / "c.jsonl")] == [
        [prompt, asked[0]], ["", asked[1]]]


def test_chat_refuses_to_cut_when_a_line_moved_between_messages(tmp_path: Path) -> None:
    """The cuts are token positions in the record's messages; the same text split differently
    between two messages would put them in the wrong places, so it is refused like a changed text."""
    lines = [" ".join(f"w{i}" for i in range(start, start + 20)) for start in (0, 20, 40)]
    stage = RepeatedSequenceStage.from_config({"min_tokens": 5}, text_field=PATH, state_dir=tmp_path / "state")
    stage.begin_shard(0)
    record = [{"content": f"{lines[0]}\n{lines[1]}"}, {"content": lines[2]}]
    stage.index(Batch({"messages": [record, record]}, PATH))
    stage.end_shard()
    stage.resolve()
    moved = [{"content": lines[0]}, {"content": f"{lines[1]}\n{lines[2]}"}]  # the same lines, joined the same
    with pytest.raises(ShardError, match="different text than when it was indexed") as info:
        stage.run(Batch({"messages": [record, moved]}, PATH))
    assert "w1" not in str(info.value)
    cut = stage.run(Batch({"messages": [record, record]}, PATH))
    assert cut.columns["messages"] == [record, [{"content": ""}, {"content": ""}]]
    assert record == [{"content": f"{lines[0]}\n{lines[1]}"}, {"content": lines[2]}]  # not edited in place

"""The record serialiser (orjson, with json's exact text) and the record writer."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ringkas.io.jsonl import dumps, numbered_lines
from ringkas.io.sources import read_inputs
from ringkas.io.writer import RecordWriter
from ringkas.run.pipeline import Options, Pipeline
from ringkas.run.record import load_schema

ROOT = Path(__file__).resolve().parents[1]


def json_dumps(record: object) -> str:
    """What ringkas wrote before orjson, and must still write byte for byte."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def test_sample_records_are_what_json_dumps_writes() -> None:
    records = list(Pipeline(Options(translate=False)).run(read_inputs([str(ROOT / "samples")])))
    assert len(records) >= 10 and all(r["error"] is None for r in records)
    assert [dumps(r) for r in records] == [json_dumps(r) for r in records]


EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


@pytest.mark.parametrize("record", [
    {"text": EVERY_CHARACTER},  # control characters, quotes, backslash, U+2028, non-BMP (emoji)
    {EVERY_CHARACTER[:2000]: None},  # the same escaping in keys
    {"quotes": [], "people": [{"mentions": [{"start": 0, "end": 2**63}]}], "error": None, "ok": True},
    {"spans": (1, 2), "nested": [[[]], {}]},  # tuples are arrays
    {"big": 2**64},  # over 64 bits: orjson refuses, json writes it
    {1: "a", None: "b"},  # keys that are not strings: json's text
    {"emoji": "Bupati 😀 hadir 🇮🇩", "nbsp": "a\u00a0b", "sep": "a\u2028b\u2029c"},
])
def test_dumps_is_json_dumps(record: dict) -> None:
    assert dumps(record) == json_dumps(record)


@pytest.mark.parametrize("text, escaped", [
    ("a\ud800b", '"a\\ud800b"'),  # a lone surrogate (a "\ud800" escape in a JSONL input)
    ("\udfff", '"\\udfff"'),
    ("\ud83d\ude00", '"\\ud83d\\ude00"'),  # two code points that json.loads reads back as one emoji
])
def test_a_lone_surrogate_is_escaped_so_the_line_is_utf8(text: str, escaped: str) -> None:
    line = dumps({"title": text})
    assert line == '{"title":' + escaped + "}"
    line.encode("utf-8")  # strict: no surrogate left
    assert json.loads(line)["title"] == json.loads(escaped)


def _types(schema: object) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["type"]} if isinstance(schema.get("type"), str) else set(schema.get("type") or ())
        return found.union(*(_types(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_types(v) for v in schema))
    return set()


def test_records_hold_no_floats() -> None:
    """orjson writes some floats otherwise than json (1e-05 as 0.00001): a float field needs json."""
    types = _types(load_schema())
    assert "integer" in types and "string" in types
    assert "number" not in types


@pytest.mark.parametrize("lines, numbered", [
    ([b'{"a":1}\n', b"\n", b" \t\r\n", b'{"b":2}'], [(1, b'{"a":1}\n'), (4, b'{"b":2}')]),
    ([b"\n", b"\n"], []),
    ([], []),
    ([b"x"], [(1, b"x")]),
])
def test_numbered_lines_skip_blank_lines_but_count_them(lines: list[bytes], numbered: list) -> None:
    assert list(numbered_lines(lines)) == numbered


def test_writer_writes_one_line_per_record_to_a_stream() -> None:
    stream = io.StringIO()
    with RecordWriter(None, stream) as out:
        out.write({"id": "a", "text": "Café", "error": None})
        out.write({"id": "b", "title": "x\ud800", "error": {"type": "empty", "message": "input is empty"}})
    assert stream.getvalue() == '{"id":"a","text":"Café","error":null}\n' \
                                '{"id":"b","title":"x\\ud800","error":{"type":"empty","message":"input is empty"}}\n'
    assert out.failed == 1


def test_writer_replaces_a_file_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("old\n")
    with pytest.raises(KeyboardInterrupt), RecordWriter(str(path), io.StringIO()) as out:
        out.write({"id": "a"})
        raise KeyboardInterrupt
    assert path.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
    with RecordWriter(str(path), io.StringIO()) as out:
        out.write({"id": "a", "title": "Bupati \ud800"})
    assert path.read_bytes() == b'{"id":"a","title":"Bupati \\ud800"}\n'

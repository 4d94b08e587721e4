"""JSON Lines: the objects of an input read line by line (jsonlines), and a record written as one line.

A bad line never stops the reading: it comes out as a ``JsonlLine`` with ``error`` set, naming its
line number, and the lines after it go on. Lines are numbered as the file numbers them (blank
lines count), because a batch unit is one line read on its own and must keep its number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from ringkas.errors import InputError
from ringkas.io.decode import decode_bytes
from ringkas.types import ErrorInfo

_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
               bool: "true or false", type(None): "null"}
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(record: dict) -> str:
    """One record as one compact JSON line, characters kept as they are (not ASCII-escaped).

    The text is what ``json.dumps(record, ensure_ascii=False, separators=(",", ":"))`` writes,
    made by orjson (3.5-7 times faster on ringkas's records: `python benchmarks/bench_jsonl.py`).
    orjson refuses what json accepts (lone surrogates, integers over 64 bits, keys that are not
    strings), and such a record goes through json. Floats would differ (orjson writes 1e-05 as
    0.00001), and records hold none: the record schema has no "number" field, which a test checks.
    """
    try:
        return orjson.dumps(record).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        # A lone surrogate (from a "\ud800" escape in a JSONL input) cannot be written as UTF-8: it
        # is escaped, which reads back as the same string.
        return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def numbered_lines(lines: Iterable[bytes], first_line: int = 1) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines with their numbers; blank lines are skipped but counted."""
    for number, raw in enumerate(lines, start=first_line):
        if raw.strip():
            yield number, raw


@dataclass(frozen=True)
class JsonlLine:
    """One non-blank line of a JSONL input: the object it holds, or why it holds none."""

    number: int
    value: dict[str, Any] | None = None
    error: ErrorInfo | None = None


class _Texts:
    """The non-blank lines as text, decoded as any input is; ``number`` is that of the line last given.

    A line too large or not text raises InputError out of ``jsonlines.Reader.read``, which reads
    one line per call and may be called again. ringkas numbers the lines itself: jsonlines numbers
    only the lines it rejects, counting from 1, and cannot start at a batch unit's line number.
    """

    def __init__(self, lines: Iterable[bytes], first_line: int, max_bytes: int):
        self._lines = numbered_lines(lines, first_line)
        self._max_bytes = max_bytes
        self.number = first_line - 1

    def __iter__(self) -> _Texts:
        return self

    def __next__(self) -> str:
        self.number, raw = next(self._lines)
        if len(raw) > self._max_bytes:
            raise InputError("too_large",
                             f"line {self.number} is {len(raw):,} bytes, over the limit of {self._max_bytes:,}")
        # Legacy-encoded lines are decoded too; their "decoded as" warning is not kept.
        return decode_bytes(raw)[0]


def read_objects(lines: Iterable[bytes], *, max_bytes: int, first_line: int = 1) -> Iterator[JsonlLine]:
    """The objects of a JSONL input, one ``JsonlLine`` per non-blank line; a bad line carries its error."""
    import jsonlines  # 12-16 ms (attrs): only a run that reads JSONL pays for it

    texts = _Texts(lines, first_line, max_bytes)
    # json, not orjson, parses: orjson refuses "\ud800" escapes, NaN and integers over 64 bits
    reader = jsonlines.Reader(texts, loads=json.loads)
    while True:
        try:
            value = reader.read(allow_none=True)
        except EOFError:
            return
        except InputError as exc:
            yield JsonlLine(texts.number, error=ErrorInfo(exc.kind, str(exc)))
        except jsonlines.InvalidLineError as exc:
            yield JsonlLine(texts.number, error=ErrorInfo("bad_jsonl", _malformed(texts.number, exc.__cause__)))
        except RecursionError:  # json's parser recurses once per level of nesting
            yield JsonlLine(texts.number, error=ErrorInfo(
                "bad_jsonl", f"line {texts.number}: malformed JSON (nested too deeply)"))
        else:
            if isinstance(value, dict):
                yield JsonlLine(texts.number, value)
            else:
                yield JsonlLine(texts.number, error=ErrorInfo(
                    "bad_jsonl", f"line {texts.number} is not a JSON object (it is {json_type(value)})"))


def json_type(value: object) -> str:
    """The JSON name of a parsed value's kind, as a message says it: "an array", "a number", "null"."""
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _malformed(number: int, cause: BaseException | None) -> str:
    if isinstance(cause, json.JSONDecodeError):
        # json's own wording of one error ends in "at" ("Invalid control character at")
        return f"line {number}: malformed JSON ({cause.msg.removesuffix(' at')} at column {cause.colno})"
    return f"line {number}: malformed JSON ({cause})"  # e.g. an integer of more than 4,300 digits

"""Reading inputs: files, folders, JSONL archives and stdin, decoded into ``Source`` objects.

Nothing here raises for a bad document: an unreadable, empty, binary or oversized input becomes
a ``Source`` with ``error`` set, so that a batch never loses track of an input.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from ringkas.errors import InputError
from ringkas.types import ErrorInfo, Hints, Source

DEFAULT_MAX_BYTES = 2_000_000
TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
# A share of control characters above this in decoded text means it was not text to begin with.
_MAX_CONTROL_SHARE = 0.02
NO_HINTS = Hints()
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


# Byte-order marks of the UTF encodings whose text holds NUL bytes (Notepad's "Unicode"),
# longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_UTF_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
             (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_bytes(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode ``data`` as UTF-8 (BOM or not), UTF-16/32 with a BOM, else as charset-normalizer detects."""
    for bom, encoding in _UTF_BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            if _control_share(text) > _MAX_CONTROL_SHARE:
                break
            return text, (f"input decoded as {encoding} (byte-order mark), not UTF-8",)
    if b"\x00" in data[:8192]:
        raise InputError("binary", "input looks binary (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only legacy-encoded input pays for the import

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise InputError("undecodable", "input is not text in any encoding that could be detected")
    # Short texts are ambiguous between single-byte code pages (charset-normalizer ranks cp1250
    # first for "Café déjà"); Indonesian is Latin script and its legacy files are Windows-1252 or
    # Latin-1, so a Western code page that decodes as cleanly wins, and where it decodes to the
    # same text it is the name reported.
    for match in results:
        if match.encoding in _WESTERN and match.chaos <= best.chaos + 0.01:
            best = match
            break
    text = str(best)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise InputError("binary", "input looks binary (control characters), not text")
    western = [e for e in (best.encoding, *best.could_be_from_charset) if e in _WESTERN]
    return text, (f"input decoded as {western[0] if western else best.encoding}, not UTF-8",)


def _control_share(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    controls = sum(1 for c in sample if c < " " and c not in "\n\r\t\f")
    return controls / len(sample)


def source_from_bytes(
    data: bytes, origin: str, *, kind: str = "text", hints: Hints = NO_HINTS, doc_id: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Source:
    """A ``Source`` from raw bytes of a .txt or .html document (error set when unusable)."""
    try:
        if len(data) > max_bytes:
            raise InputError("too_large", f"input is {len(data):,} bytes, over the limit of {max_bytes:,}")
        text, warnings = decode_bytes(data)
        return source_from_text(text, origin, kind=kind, hints=hints, doc_id=doc_id, warnings=warnings)
    except InputError as exc:
        return Source(id=doc_id, text=None, origin=origin, kind=kind, hints=hints,
                      error=ErrorInfo(exc.kind, str(exc)))


def source_from_text(
    text: str, origin: str, *, kind: str = "text", hints: Hints = NO_HINTS, doc_id: str | None = None,
    warnings: tuple[str, ...] = (), max_bytes: int = DEFAULT_MAX_BYTES,
) -> Source:
    """A ``Source`` from already-decoded text; HTML is reduced to its main text here."""
    try:
        if len(text) > max_bytes:
            raise InputError("too_large", f"input is {len(text):,} characters, over the limit of {max_bytes:,}")
        if _control_share(text) > _MAX_CONTROL_SHARE or "\x00" in text[:8192]:
            raise InputError("binary", "input looks binary (control characters), not text")
        if kind == "html":
            text, hints, more = _html_main_text(text, hints)
            warnings = warnings + more
        if not text.strip():
            raise InputError("empty", "input is empty" if kind != "html" else "no main text found in the HTML page")
        return Source(id=doc_id, text=text, origin=origin, kind=kind, hints=hints, warnings=warnings)
    except InputError as exc:
        return Source(id=doc_id, text=None, origin=origin, kind=kind, hints=hints, warnings=warnings,
                      error=ErrorInfo(exc.kind, str(exc)))


def _html_main_text(html: str, hints: Hints) -> tuple[str, Hints, tuple[str, ...]]:
    """Main text, title and date of an HTML page through trafilatura."""
    import trafilatura  # heavy (lxml, dateparser): imported only when an HTML page comes in

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    if doc is None or not (doc.text or "").strip():
        return "", hints, ()
    title = hints.title or (doc.title or None)
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    # trafilatura keeps the <h1> as the first line; the title is a field of its own.
    if title and lines and lines[0].strip().rstrip(".") == title.strip().rstrip("."):
        lines = lines[1:]
    date = hints.date or (doc.date if isinstance(doc.date, str) and len(doc.date) >= 10 else None)
    url = hints.url or (doc.url or None)
    return "\n\n".join(lines), Hints(title=title, date=date[:10] if date else None, url=url), ()


def kind_of(path: str) -> str:
    """The reader for a path by its suffix: "html", "jsonl" or "text"."""
    lower = path.lower()
    if lower.endswith(HTML_SUFFIXES):
        return "html"
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return "text"


def read_path(path: str, *, hints: Hints = NO_HINTS, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Source]:
    """Sources of one file: one for .txt/.html, one per line for .jsonl."""
    kind = kind_of(path)
    try:
        if kind == "jsonl":
            with open(path, "rb") as fh:
                yield from read_jsonl(fh, path, hints=hints, max_bytes=max_bytes)
            return
        size = os.path.getsize(path)
        if size > max_bytes:
            yield Source(id=None, text=None, origin=path, kind=kind, hints=hints, error=ErrorInfo(
                "too_large", f"input is {size:,} bytes, over the limit of {max_bytes:,}"))
            return
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        yield Source(id=None, text=None, origin=path, kind=kind, hints=hints,
                     error=ErrorInfo("unreadable", f"cannot read {path}: {exc.strerror or exc}"))
        return
    yield source_from_bytes(data, path, kind=kind, hints=hints, max_bytes=max_bytes)


def read_jsonl(
    lines: Iterable[bytes], origin: str, *, hints: Hints = NO_HINTS, max_bytes: int = DEFAULT_MAX_BYTES,
    first_line: int = 1,
) -> Iterator[Source]:
    """One Source per non-blank JSONL line; a malformed line becomes an error naming its number."""
    for number, raw in enumerate(lines, start=first_line):
        if not raw.strip():
            continue
        where = f"{origin}:{number}"
        try:
            if len(raw) > max_bytes:
                raise InputError("too_large", f"line {number} is {len(raw):,} bytes, over the limit of {max_bytes:,}")
            line, _ = decode_bytes(raw) if isinstance(raw, bytes) else (raw, ())
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise InputError("bad_jsonl", f"line {number}: expected a JSON object, got {type(obj).__name__}")
            text = obj.get("text")
            if not isinstance(text, str):
                raise InputError("bad_jsonl", f"line {number}: field 'text' (a string) is required")
            doc_id = obj.get("id")
            doc_hints = Hints(
                title=_str_or_none(obj.get("title")) or hints.title,
                date=(_str_or_none(obj.get("date")) or hints.date or "")[:10] or None,
                url=_str_or_none(obj.get("url")) or hints.url,
            )
            kind = "html" if obj.get("format") == "html" else "jsonl"
            yield source_from_text(text, where, kind=kind, hints=doc_hints,
                                   doc_id=str(doc_id) if doc_id is not None else None, max_bytes=max_bytes)
        except json.JSONDecodeError as exc:
            yield Source(id=None, text=None, origin=where, kind="jsonl", hints=hints,
                         error=ErrorInfo("bad_jsonl", f"line {number}: malformed JSON ({exc.msg} at column {exc.colno})"))
        except InputError as exc:
            yield Source(id=None, text=None, origin=where, kind="jsonl", hints=hints,
                         error=ErrorInfo(exc.kind, str(exc)))


def _str_or_none(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def read_stdin(stream: BinaryIO, *, hints: Hints = NO_HINTS, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Source]:
    """Sources from stdin: JSONL when the first non-blank character is ``{``, an HTML page, else one text."""
    head = b""
    while True:
        line = stream.readline()
        if not line:
            break
        head += line
        if line.strip():
            break
    if head.lstrip().startswith(b"{"):
        first_number = head.count(b"\n") if head.endswith(b"\n") else head.count(b"\n") + 1
        yield from read_jsonl(_chain([head.splitlines()[-1]], stream), "-", hints=hints,
                              max_bytes=max_bytes, first_line=first_number)
        return
    data = head + stream.read(max_bytes + 1 - len(head)) if len(head) <= max_bytes else head
    # A page piped in (curl ... | ringkas summarize) is HTML, whatever the lack of a file name says.
    kind = "html" if data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")) else "text"
    yield source_from_bytes(data, "-", kind=kind, hints=hints, max_bytes=max_bytes)


def _chain(first: list[bytes], rest: Iterable[bytes]) -> Iterator[bytes]:
    yield from first
    yield from rest


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """Paths of the inputs: folders walked recursively (sorted) for known suffixes; globs expanded."""
    import glob

    for item in inputs:
        if item == "-":
            yield item
        elif os.path.isdir(item):
            found = []
            for root, dirs, files in os.walk(item):
                dirs.sort()
                found.extend(os.path.join(root, f) for f in files if f.lower().endswith(SUFFIXES))
            yield from sorted(found)
        elif not os.path.exists(item) and glob.has_magic(item):
            yield from sorted(glob.glob(item, recursive=True))
        else:
            yield item


def read_inputs(
    inputs: Iterable[str], *, stdin: BinaryIO | None = None, hints: Hints = NO_HINTS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Source]:
    """Every Source of the given inputs, in order; ``-`` reads ``stdin``."""
    for path in expand_inputs(inputs):
        if path == "-":
            if stdin is None:
                raise ValueError("'-' given but no stdin stream")
            yield from read_stdin(stdin, hints=hints, max_bytes=max_bytes)
        else:
            # os.path, not pathlib: importing pathlib costs a one-document run 7 ms of start-up.
            yield from read_path(os.path.normpath(path), hints=hints, max_bytes=max_bytes)

"""Reading inputs: files, folders, JSONL archives and stdin, decoded into ``Source`` objects.

Nothing here raises for a bad document: an unreadable, empty, binary or oversized input becomes
a ``Source`` with ``error`` set, so that a batch never loses track of an input.
"""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from ringkas.errors import InputError, UsageError
from ringkas.io.decode import decode_bytes, looks_binary
from ringkas.io.jsonl import json_type, read_objects
from ringkas.types import ErrorInfo, Hints, Source

DEFAULT_MAX_BYTES = 2_000_000
TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
NO_HINTS = Hints()
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def source_from_bytes(
    data: bytes, origin: str, *, kind: str = "text", hints: Hints = NO_HINTS, doc_id: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Source:
    """A ``Source`` from raw bytes of a .txt or .html document (error set when unusable)."""
    try:
        if len(data) > max_bytes:
            raise InputError("too_large", f"input is {len(data):,} bytes, over the limit of {max_bytes:,}")
        text, warnings = decode_bytes(data)
        # None: the bytes were measured; decoded text may take more UTF-8 bytes (cp1252 quotes take 3)
        return source_from_text(text, origin, kind=kind, hints=hints, doc_id=doc_id, warnings=warnings,
                                max_bytes=None)
    except InputError as exc:
        return Source(id=doc_id, text=None, origin=origin, kind=kind, hints=hints,
                      error=ErrorInfo(exc.kind, str(exc)))


def source_from_text(
    text: str, origin: str, *, kind: str = "text", hints: Hints = NO_HINTS, doc_id: str | None = None,
    warnings: tuple[str, ...] = (), max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Source:
    """A ``Source`` from already-decoded text (``max_bytes`` its UTF-8 size; None: measured as bytes
    already); HTML is reduced to its main text here."""
    try:
        if max_bytes is not None and (size := _utf8_size(text, max_bytes)) > max_bytes:
            raise InputError("too_large", f"input is {size:,} bytes (UTF-8), over the limit of {max_bytes:,}")
        if looks_binary(text) or "\x00" in text[:8192]:
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


def _utf8_size(text: str, limit: int) -> int:
    """The UTF-8 size of ``text``; encoded only when its length may put it over ``limit`` (else a lower bound)."""
    if len(text) * 4 <= limit:  # a character takes at most 4 bytes: it fits, whatever its characters
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def _html_main_text(html: str, hints: Hints) -> tuple[str, Hints, tuple[str, ...]]:
    """Main text, title and date of an HTML page through trafilatura."""
    import trafilatura  # heavy (lxml, dateparser): imported only when an HTML page comes in
    from trafilatura.settings import Document

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    # a Document unless as_dict=True is asked for; the check tells the type checker so
    if not isinstance(doc, Document) or not doc.text or not doc.text.strip():
        return "", hints, ()
    title = hints.title or (doc.title or None)
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    # trafilatura keeps the <h1> as the first line; the title is a field of its own.
    if title and lines and lines[0].strip().rstrip(".") == title.strip().rstrip("."):
        lines = lines[1:]
    date = hints.date or _page_date(html, doc.date)
    url = hints.url or (doc.url or None)
    return "\n\n".join(lines), Hints(title=title, date=date[:10] if date else None, url=url), ()


def _page_date(html: str, found: object) -> str | None:
    """The page's date as trafilatura found it (YYYY-MM-DD), unless it is only a year.

    Given no better date, htmldate falls back to the year of a copyright notice ("Copyright
    2024") or a lone year in the text, as YYYY-01-01: that is the site's footer, not the day of
    the release, and as a hint it would give a year-less date the wrong year. A 1 January date is
    kept only when htmldate finds it without searching the text (in the page's metadata).
    """
    if not isinstance(found, str) or len(found) < 10:
        return None
    if found[4:10] == "-01-01":
        from htmldate import find_date  # trafilatura's own date extractor, already imported by it

        if find_date(html, extensive_search=False, original_date=True) != found[:10]:
            return None
    return found[:10]


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
    """One Source per non-blank JSONL line; a bad line becomes an error naming its number."""
    for line in read_objects(lines, max_bytes=max_bytes, first_line=first_line):
        where = f"{origin}:{line.number}"
        obj = line.value
        error = line.error
        if obj is not None and not isinstance(obj.get("text"), str):
            error = ErrorInfo("bad_jsonl", f"line {line.number}: field 'text' (a string) is required")
        if obj is None or error is not None:
            yield Source(id=None, text=None, origin=where, kind="jsonl", hints=hints, error=error)
            continue
        doc_hints, warnings = _jsonl_hints(obj, hints)
        doc_id = obj.get("id")
        kind = "html" if obj.get("format") == "html" else "jsonl"
        yield source_from_text(obj["text"], where, kind=kind, hints=doc_hints, warnings=warnings,
                               doc_id=str(doc_id) if doc_id is not None else None, max_bytes=max_bytes)


def _jsonl_hints(obj: dict, base: Hints) -> tuple[Hints, tuple[str, ...]]:
    """The title, date and url a JSONL object gives, over ``base``; a field of the wrong kind is a warning."""
    warnings: list[str] = []
    title, url, date = (_text_field(obj, name, warnings) for name in ("title", "url", "date"))
    if date is not None and not _is_iso_date(date[:10]):
        warnings.append(f"JSONL field 'date' is not a date (YYYY-MM-DD): {date!r} ignored")
        date = None
    hints = Hints(title=title or base.title, date=date[:10] if date else base.date, url=url or base.url)
    return hints, tuple(warnings)


def _text_field(obj: dict, name: str, warnings: list[str]) -> str | None:
    """A string field, stripped; None when absent, null or blank, and (with a warning) when not a string."""
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        warnings.append(f"JSONL field {name!r} is not a string ({json_type(value)}): ignored")
        return None
    return value.strip() or None


def _is_iso_date(text: str) -> bool:
    if not _ISO_DATE.fullmatch(text):
        return False
    import datetime as dt  # only JSONL dates pay for the import

    try:
        dt.date.fromisoformat(text)
    except ValueError:  # 2024-02-30
        return False
    return True


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
        # the blank lines before the first object are read again, so that the line numbers count them
        yield from read_jsonl(itertools.chain(io.BytesIO(head), stream), "-", hints=hints, max_bytes=max_bytes)
        return
    data = head + stream.read(max_bytes + 1 - len(head)) if len(head) <= max_bytes else head
    # A page piped in (curl ... | ringkas summarize) is HTML, whatever the lack of a file name says.
    kind = "html" if data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")) else "text"
    yield source_from_bytes(data, "-", kind=kind, hints=hints, max_bytes=max_bytes)


def expand_inputs(inputs: Iterable[str], *, exclude: frozenset[tuple[int, int]] = frozenset()) -> Iterator[str]:
    """Paths of the inputs: folders walked recursively (sorted) for known suffixes; globs expanded.

    ``exclude`` holds the (device, inode) of files that are never inputs: the run's own output,
    which may lie in an input folder (a resumed batch would read its records back as documents).
    """
    import glob

    for item in inputs:
        if item == "-":
            yield item
            continue
        if os.path.isdir(item):
            found: list[str] = []
            for root, dirs, files in os.walk(item):
                dirs.sort()
                found.extend(os.path.join(root, f) for f in files if f.lower().endswith(SUFFIXES))
            paths = sorted(found)
        elif not os.path.exists(item) and glob.has_magic(item):
            paths = sorted(glob.glob(item, recursive=True))
        else:
            if exclude and file_identity(item) in exclude:
                raise UsageError(f"{item} is this run's output; it cannot be one of its inputs too")
            yield item
            continue
        yield from (p for p in paths if not exclude or file_identity(p) not in exclude)


def file_identity(path: str) -> tuple[int, int] | None:
    """The (device, inode) of the file at ``path`` (symlinks followed); None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def read_inputs(
    inputs: Iterable[str], *, stdin: BinaryIO | None = None, hints: Hints = NO_HINTS,
    max_bytes: int = DEFAULT_MAX_BYTES, exclude: frozenset[tuple[int, int]] = frozenset(),
) -> Iterator[Source]:
    """Every Source of the given inputs, in order; ``-`` reads ``stdin``; ``exclude`` as in ``expand_inputs``."""
    for path in expand_inputs(inputs, exclude=exclude):
        if path == "-":
            if stdin is None:
                raise ValueError("'-' given but no stdin stream")
            yield from read_stdin(stdin, hints=hints, max_bytes=max_bytes)
        else:
            # os.path, not pathlib: importing pathlib costs a one-document run 7 ms of start-up.
            yield from read_path(os.path.normpath(path), hints=hints, max_bytes=max_bytes)

"""The review page: records read from JSONL and rendered as one self-contained HTML file for editors.

Every value from a record is treated as untrusted: the Jinja2 template escapes it (autoescape on)
and nothing here builds markup itself. ``ringkas.review.page`` turns each record into a plain,
validated view that the template lays out; this module reads records and renders the page.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2

from ringkas.errors import UsageError
from ringkas.io.destination import OutputFile, OutputTarget, output_target
from ringkas.review.duplicates import group_views, link_duplicates
from ringkas.review.page import TEXT_COLOUR, UNRESOLVED_COLOUR, record_view
from ringkas.run.record import SCHEMA


def render_records(records: Iterable[Any], *, group: bool = False) -> str:
    """Render records (dicts from the JSONL) as one self-contained HTML review page; with ``group``,
    syndicated copies follow the first record of their group."""
    records = list(records)
    views = [record_view(record, number) for number, record in enumerate(records, start=1)]
    link_duplicates(views, records)
    if group:
        views = group_views(views)
    max_keys = max((len(view["legend"]) for view in views), default=0)
    return _template().render(
        records=views,
        n_errors=sum(1 for view in views if view["error"]),
        n_quotes=sum(view["n_quotes"] for view in views),
        key_range=range(max_keys),
        text_colour=TEXT_COLOUR,
        unresolved=UNRESOLVED_COLOUR,
    )


def render_file(records_path: Path, out_path: Path) -> int:
    """Render a JSONL file of records to out_path (atomically); return the number of records shown."""
    records = read_records(Path(records_path))
    write_page(Path(out_path), render_records(records))
    return len(records)


def read_records(path: Path) -> list[dict]:
    """Read a JSONL file of records; a malformed line becomes an error record, never an exception."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read records file {path}: {exc.strerror or exc}") from exc
    return parse_records(raw, str(path))


def parse_records(raw: bytes | str, where: str) -> list[dict]:
    """Records from JSONL text; each malformed line becomes an error record naming where:LINE."""
    if isinstance(raw, bytes):
        # A file that is not valid UTF-8 still renders: bad bytes show as U+FFFD in the text.
        raw = raw.decode("utf-8-sig", errors="replace")
    records: list[dict] = []
    # Split on newlines only: str.splitlines would also cut at U+2028 or U+0085, which JSON written
    # with ensure_ascii=False carries raw inside strings.
    for lineno, line in enumerate(raw.lstrip("\ufeff").split("\n"), start=1):
        if not line.strip():
            continue
        origin = f"{where}:{lineno}"
        try:
            value = json.loads(line)
        except ValueError as exc:
            records.append(_line_error(origin, "MalformedLine", f"line {lineno} is not valid JSON: {exc}"))
            continue
        if not isinstance(value, dict):
            kind = type(value).__name__
            records.append(_line_error(origin, "NotARecord", f"line {lineno} is JSON {kind}, not an object"))
            continue
        records.append(value)
    return records


def _line_error(where: str, kind: str, message: str) -> dict:
    """An error record standing in for a line of the JSONL that is not a record."""
    return {
        "schema": SCHEMA,
        "id": None,
        "source": where,
        "warnings": [],
        "error": {"type": kind, "message": message},
    }


def write_page(out_path: Path | OutputTarget, text: str) -> None:
    """Write the page to ``-o``: a file is replaced whole (readers never see half a page), keeping its
    mode; a FIFO or device is written straight through (``ringkas.io.writer``)."""
    target = out_path if isinstance(out_path, OutputTarget) else output_target(str(out_path))
    with OutputFile(target) as handle:
        handle.write(text)


@functools.lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    """The page template, loaded once; autoescape is on for every value."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ringkas.review", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("review.html.j2")


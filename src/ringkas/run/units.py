"""Units of work of `ringkas batch`, shared by the local and the Ray engines.

A unit is a whole file, or one line of a JSONL archive. The parent cuts the inputs into units
(cheaply: JSONL lines are split, not parsed); a worker decodes each unit exactly as `ringkas
summarize` reads the same input, skips those already written, and serialises each record where it
was made, so that the parent, which writes for every worker, only copies lines.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ringkas import tuning
from ringkas.errors import UsageError
from ringkas.io.jsonl import dumps, numbered_lines
from ringkas.io.sources import expand_inputs, kind_of, read_jsonl, read_path, source_from_bytes
from ringkas.run.record import stable_id
from ringkas.types import Hints, Source

if TYPE_CHECKING:
    from ringkas.run.pipeline import Options, Pipeline

# Counting the lines of JSONL archives for the progress total is cheap up to about this size.
COUNT_LINES_LIMIT = 2_000_000_000

T = TypeVar("T")


@dataclass(frozen=True)
class Unit:
    """One document to process: a whole file, or one line of a JSONL archive."""

    path: str
    line: int | None = None  # JSONL line number (1-based), None for a whole file
    data: bytes | None = None  # the raw bytes when the parent already read them; None: read ``path``


@dataclass(frozen=True)
class Skipped:
    """A unit whose id was already in the output when the run started."""

    id: str
    unit: Unit


@dataclass(frozen=True)
class Line:
    """A record serialised where it was made (a worker), with what the parent reports of it."""

    text: str  # the record as one JSON line, without the newline
    where: str  # its source (or id)
    error: str | None = None  # the error message, when the record carries one
    warnings: tuple[str, ...] = ()
    id: str = ""  # the record's id
    signature: bytes | None = None  # MinHash of its text, for the parent's duplicate index (ringkas.run.duplicates)

    @classmethod
    def of(cls, record: dict, *, sketch: bool = False) -> Line:
        """The line of one record; with ``sketch``, the MinHash signature of its text too."""
        error = record.get("error")
        sig = None
        if sketch:
            from ringkas.run.duplicates import record_text, signature

            sig = signature(record_text(record))
        return cls(dumps(record), str(record.get("source") or record.get("id")),
                   error["message"] if error else None, tuple(record.get("warnings") or ()), str(record["id"]), sig)


def iter_units(inputs: Iterable[str], *, read_files: bool = False, max_bytes: int | None = None,
               exclude: frozenset[tuple[int, int]] = frozenset()) -> Iterator[Unit]:
    """Work units of the inputs, in input order; JSONL archives are read here, one unit a line.

    ``read_files`` makes the parent read whole files too (Ray workers may run on machines
    that do not see the files); files over ``max_bytes`` are left for the worker to reject.
    ``exclude`` holds the (device, inode) of files that are never inputs (the run's own output).
    """
    for item in expand_inputs(inputs, exclude=exclude):
        if item == "-":
            raise UsageError("batch reads files and folders, not stdin; use `ringkas summarize -` for stdin")
        path = str(Path(item))  # not normpath as summarize does: "a/../b" would change the records' sources
        if kind_of(path) == "jsonl":
            yield from _jsonl_units(path)
        elif read_files:
            yield Unit(path, None, _read_small(path, max_bytes))
        else:
            yield Unit(path)


def _jsonl_units(path: str) -> Iterator[Unit]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 -- only the open may fail into an "unreadable" record
    except OSError:
        yield Unit(path)  # the worker's read_path turns it into an "unreadable" record
        return
    with fh:  # a read error midway (a failing disk) stops the run: the lines before it are kept
        # split, not parsed: parsing is the workers' part; read_jsonl numbers and skips lines alike
        for number, raw in numbered_lines(fh):
            yield Unit(path, number, raw)


def _read_small(path: str, max_bytes: int | None) -> bytes | None:
    try:
        if max_bytes is not None and os.path.getsize(path) > max_bytes:
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def count_units(inputs: Iterable[str], *, exclude: frozenset[tuple[int, int]] = frozenset()) -> int | None:
    """How many units the inputs hold, when that is cheap to know (files, and lines of JSONL)."""
    total = 0
    jsonl_bytes = 0
    for path in expand_inputs(inputs, exclude=exclude):
        if path == "-":
            return None
        if kind_of(path) != "jsonl":
            total += 1
            continue
        try:
            jsonl_bytes += os.path.getsize(path)
            if jsonl_bytes > COUNT_LINES_LIMIT:
                return None
            total += _count_lines(path)
        except OSError:
            total += 1
    return total


def _count_lines(path: str) -> int:
    """Lines, counted in blocks (fast, never a whole archive in memory); blank ones count too."""
    lines = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def unit_source(unit: Unit, options: Options) -> Source:
    """Decode one unit into its Source, exactly as `ringkas summarize` reads the same input."""
    hints = Hints(date=options.date)
    if unit.line is not None:
        return next(read_jsonl([unit.data or b""], unit.path, hints=hints, max_bytes=options.max_bytes,
                               first_line=unit.line))
    if unit.data is not None:
        return source_from_bytes(unit.data, unit.path, kind=kind_of(unit.path), hints=hints,
                                 max_bytes=options.max_bytes)
    return next(read_path(unit.path, hints=hints, max_bytes=options.max_bytes))


def process_units(pipeline: Pipeline, units: list[Unit], done: frozenset[str]) -> list[Line | Skipped]:
    """One result per unit: its record's Line, or Skipped when its id is in ``done`` (decoded, not processed)."""
    sources = [unit_source(u, pipeline.options) for u in units]
    skipped: dict[int, Skipped] = {}
    for i, source in enumerate(sources):
        sid = stable_id(source)
        if sid in done:
            skipped[i] = Skipped(sid, units[i])
    todo = [s for i, s in enumerate(sources) if i not in skipped]
    # serialised (and sketched) here, in the worker: the parent, which writes for every worker, only
    # copies bytes and looks signatures up
    sketch = bool(pipeline.options.duplicate_threshold)
    lines = iter([Line.of(record, sketch=sketch) for record in pipeline.run_chunk(todo)] if todo else [])
    return [skipped[i] if i in skipped else next(lines) for i in range(len(units))]


def process_unit(pipeline: Pipeline, unit: Unit) -> Line:
    """The Line of one unit, processed whatever the output already holds."""
    return Line.of(pipeline.run_chunk([unit_source(unit, pipeline.options)])[0],
                   sketch=bool(pipeline.options.duplicate_threshold))


def chunk_size(options: Options) -> int:
    """Units per chunk sent to a worker: the model batch size, smaller when no model runs."""
    return options.chunk_docs if options.uses_models() else min(options.chunk_docs, tuning.BATCH_MODEL_FREE_CHUNK)


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk

"""`ringkas batch`: a whole archive into one JSONL file, resumable and parallel on one machine.

The parent process walks the inputs and cuts them into work units (a file, or one line of a JSONL
archive); workers decode, skip the documents already written, and run the pipeline; the parent
writes the records in input order, each as one whole line appended and flushed, so that a crash or
``kill -9`` leaves only whole lines behind (and at most one torn last line, cut away on resume).
"""

from __future__ import annotations

import io
import json
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, TextIO

from ringkas.errors import RingkasError, UsageError
from ringkas.run.record import dumps, stable_id
from ringkas.io.sources import kind_of, read_jsonl, read_path, source_from_bytes
from ringkas.types import Hints, Source

if TYPE_CHECKING:
    from ringkas.run.pipeline import Options

ENGINES = ("local", "ray")
# Chunks of model-free work sent to a worker: big enough that pickling costs little, small enough
# that the workers stay balanced on small archives.
MODEL_FREE_CHUNK = 16
# Chunks per worker in flight: enough to keep every worker busy while the parent writes, and a
# bound, so that memory stays flat however large the archive is.
IN_FLIGHT_PER_WORKER = 2
# Counting the lines of JSONL archives for the progress total is cheap up to about this size.
COUNT_LINES_LIMIT = 2_000_000_000


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

    @classmethod
    def of(cls, record: dict) -> Line:
        """The line of one record."""
        error = record.get("error")
        return cls(dumps(record), str(record.get("source") or record.get("id")),
                   error["message"] if error else None, tuple(record.get("warnings") or ()))


@dataclass(frozen=True)
class BatchConfig:
    """What one `ringkas batch` run is told."""

    inputs: tuple[str, ...]
    output: str
    options: Options | None = None  # None: the defaults
    resume: bool = False
    workers: int | None = None  # None: os.cpu_count()
    engine: str = "local"
    progress: bool | None = None  # None: only when stderr is a terminal
    quiet: bool = False


@dataclass
class BatchStats:
    """Counts of a run; ``failed_before`` counts error records already in the output on resume."""

    done: int = 0
    failed: int = 0
    skipped: int = 0
    failed_before: int = 0
    seconds: float = 0.0
    warnings_seen: set[str] = field(default_factory=set)

    @property
    def rate(self) -> float:
        """Documents processed per second."""
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def summary_line(self) -> str:
        """The final line on stderr."""
        return (f"ringkas: done {self.done}, failed {self.failed}, skipped {self.skipped} "
                f"in {self.seconds:.1f} s ({self.rate:.1f} docs/s)")


# -- the output file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputState:
    """What an existing output already holds: how often each id occurs, and how many are errors."""

    ids: Counter
    failed: int = 0
    truncated: int = 0  # bytes of a torn last line cut away


def repair_output(path: str) -> OutputState:
    """Cut a torn last line off ``path`` and count the ids it holds; a bad line elsewhere is an error."""
    ids: Counter = Counter()
    failed = 0
    with open(path, "r+b") as fh:
        offset = 0
        torn_at: int | None = None
        torn_number = 0
        for number, raw in enumerate(fh, start=1):
            record = _parse_line(raw)
            if torn_at is not None:  # a bad line with more after it is no crash: refuse to touch it
                raise UsageError(f"{path}:{torn_number} is not a JSON record; it does not look like "
                                 "ringkas batch output, so nothing will be appended to it")
            if record is None:
                torn_at, torn_number = offset, number
            else:
                ids[record["id"]] += 1
                failed += record.get("error") is not None
            offset += len(raw)
        truncated = 0
        if torn_at is not None:  # only the last line may be torn: a crash in the middle of its write()
            truncated = offset - torn_at
            fh.truncate(torn_at)
    return OutputState(ids, failed, truncated)


def _parse_line(raw: bytes) -> dict | None:
    """The record of one output line, or None when the line is not a whole record."""
    if not raw.endswith(b"\n"):
        return None
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return None
    return record


class LineAppender:
    """Appends records to a file, each as one ``write()`` of a whole line, flushed to the OS at once."""

    def __init__(self, path: str):
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            _lock(self._fd)
        except OSError:
            os.close(self._fd)
            raise UsageError(f"{path} is being written by another ringkas batch; wait for it, "
                             "or write to another file") from None

    def write(self, line: str) -> None:
        """Write one JSON line (without its newline) as a single system call, newline included."""
        data = (line + "\n").encode("utf-8", "surrogatepass")
        view = memoryview(data)
        while view:  # write(2) to a regular file takes it all; the loop is for the rare short write
            view = view[os.write(self._fd, view):]

    def close(self) -> None:
        """Sync the file to disk and close it."""
        try:
            os.fsync(self._fd)
        finally:
            os.close(self._fd)


def _lock(fd: int) -> None:
    """An exclusive, non-blocking lock on the output, so two runs never interleave their lines."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock; the user is trusted not to run two at once
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def check_output(path: str, resume: bool) -> bool:
    """Whether ``path`` exists; a usage error when it may not be written (exists without ``resume``)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"folder of the output does not exist: {folder}")
    if os.path.isdir(path):
        raise UsageError(f"output is a folder, not a file: {path}")
    if not os.path.exists(path):
        return False
    if not resume:
        raise UsageError(f"{path} already exists: pass --resume to continue it, "
                         "or choose another output name (or delete it to start over)")
    return True


def prepare_output(path: str, resume: bool) -> OutputState:
    """Check that ``path`` may be written: repaired and counted on resume, absent otherwise."""
    return repair_output(path) if check_output(path, resume) else OutputState(Counter())


# -- units of work ------------------------------------------------------------------------------


def iter_units(inputs: Iterable[str], *, read_files: bool = False, max_bytes: int | None = None) -> Iterator[Unit]:
    """Work units of the inputs, in input order; JSONL archives are read here, one unit a line.

    ``read_files`` makes the parent read whole files too (Ray workers may run on machines
    that do not see the files); files over ``max_bytes`` are left for the worker to reject.
    """
    from pathlib import Path

    from ringkas.io.sources import expand_inputs

    for item in expand_inputs(inputs):
        if item == "-":
            raise UsageError("batch reads files and folders, not stdin; use `ringkas summarize -` for stdin")
        path = str(Path(item))
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
        for number, raw in enumerate(fh, start=1):
            if raw.strip():  # read_jsonl skips blank lines too: same line numbers, same records
                yield Unit(path, number, raw)


def _read_small(path: str, max_bytes: int | None) -> bytes | None:
    try:
        if max_bytes is not None and os.path.getsize(path) > max_bytes:
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def count_units(inputs: Iterable[str]) -> int | None:
    """How many units the inputs hold, when that is cheap to know (files, and lines of JSONL)."""
    from ringkas.io.sources import expand_inputs

    total = 0
    jsonl_bytes = 0
    for path in expand_inputs(inputs):
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


def unit_source(unit: Unit, options) -> Source:
    """Decode one unit into its Source, exactly as `ringkas summarize` reads the same input."""
    hints = Hints(date=options.date)
    if unit.line is not None:
        return next(read_jsonl([unit.data or b""], unit.path, hints=hints, max_bytes=options.max_bytes,
                               first_line=unit.line))
    if unit.data is not None:
        return source_from_bytes(unit.data, unit.path, kind=kind_of(unit.path), hints=hints,
                                 max_bytes=options.max_bytes)
    return next(read_path(unit.path, hints=hints, max_bytes=options.max_bytes))


def process_units(pipeline, units: list[Unit], done: frozenset[str] | set[str]) -> list[Line | Skipped]:
    """One result per unit: its record's Line, or Skipped when its id is in ``done`` (decoded, not processed)."""
    sources = [unit_source(u, pipeline.options) for u in units]
    results: list[Line | Skipped | None] = [None] * len(units)
    todo: list[int] = []
    for i, source in enumerate(sources):
        sid = stable_id(source)
        if sid in done:
            results[i] = Skipped(sid, units[i])
        else:
            todo.append(i)
    if todo:
        for i, record in zip(todo, pipeline.run_chunk([sources[i] for i in todo])):
            # serialised here, in the worker: the parent, which writes for every worker, only copies bytes
            results[i] = Line.of(record)
    return results  # type: ignore[return-value]


# -- the local engine ---------------------------------------------------------------------------

_WORKER: dict = {}


def _init_worker(options, done: frozenset[str], threads: int) -> None:
    """Pool initializer: one Pipeline (so one set of models) per worker process, its share of the cores."""
    from ringkas.run.pipeline import Pipeline

    # N workers each using every core oversubscribe the CPU: 2 translating workers on 2 cores took
    # 157 s with 2 threads each and 63 s with 1 each (12 releases, opus-mt shapes).
    if not (os.environ.get("RINGKAS_THREADS") or os.environ.get("OMP_NUM_THREADS")):
        os.environ["RINGKAS_THREADS"] = str(threads)

    _WORKER["pipeline"] = Pipeline(options)
    _WORKER["done"] = done


def _work(units: list[Unit]) -> list[Line | Skipped]:
    return process_units(_WORKER["pipeline"], units, _WORKER["done"])


def _chunks(units: Iterable[Unit], size: int) -> Iterator[list[Unit]]:
    it = iter(units)
    while chunk := list(islice(it, size)):
        yield chunk


def run_local(units: Iterable[Unit], options, done: frozenset[str], workers: int,
              chunk: int) -> Iterator[Line | Skipped]:
    """Results of ``units`` in input order: in-process for one worker, else a bounded process pool."""
    if workers <= 1:
        from ringkas.run.pipeline import Pipeline

        pipeline = Pipeline(options)
        for part in _chunks(units, chunk):
            yield from process_units(pipeline, part, done)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork is unsafe once torch (or any threaded library) is loaded; forkserver forks a clean server.
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    limit = workers * IN_FLIGHT_PER_WORKER
    with ProcessPoolExecutor(workers, mp_context=mp.get_context(method), initializer=_init_worker,
                             initargs=(options, done, max(1, default_workers() // workers))) as pool:
        pending: deque = deque()
        try:
            for part in _chunks(units, chunk):
                pending.append(pool.submit(_work, part))
                if len(pending) >= limit:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool:
            raise RingkasError("a worker process died (out of memory?); the records written so far are "
                               "whole: rerun with --resume to go on") from None
        finally:
            for future in pending:
                future.cancel()


# -- the run ------------------------------------------------------------------------------------


def _progress_bar(show: bool, total: int | None, stream: TextIO):
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=stream, disable=not show, dynamic_ncols=True,
                smoothing=0.1, mininterval=0.5)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return False


def default_workers() -> int:
    """The cores this process may use (its CPU affinity, which containers and taskset narrow)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def run_batch(config: BatchConfig, stderr: TextIO) -> int:
    """Run a batch to ``config.output``; returns the exit status (0 all good, 1 some records failed)."""
    from ringkas.run.pipeline import Options

    options = config.options or Options()
    if config.engine not in ENGINES:
        raise UsageError(f"unknown engine {config.engine!r}; choose one of {', '.join(ENGINES)}")
    workers = config.workers or default_workers()
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    engine_run: Callable[..., Iterator[Line | Skipped]]
    if config.engine == "ray":
        from ringkas.run.ray_engine import require_ray, run_ray

        require_ray()
        engine_run = run_ray
    else:
        engine_run = run_local
    exists = check_output(config.output, config.resume)
    with closing(LineAppender(config.output)) as out:  # locked before the repair: no other run appends
        state = repair_output(config.output) if exists else OutputState(Counter())
        return _run(config, options, workers, engine_run, state, out, stderr)


def _run(config: BatchConfig, options, workers: int, engine_run: Callable[..., Iterator[Line | Skipped]],
         state: OutputState, out: LineAppender, stderr: TextIO) -> int:
    from ringkas.errors import ExitStatus

    if state.truncated and not config.quiet:
        print(f"ringkas: {config.output}: cut a torn last line ({state.truncated} bytes) before resuming",
              file=stderr)
    show = config.progress if config.progress is not None else _is_tty(stderr)
    total = count_units(config.inputs) if show else None
    chunk = options.chunk_docs if _may_use_models(options) else min(options.chunk_docs, MODEL_FREE_CHUNK)
    done = frozenset(state.ids)
    remaining = Counter(state.ids)
    stats = BatchStats(failed_before=state.failed)
    started = time.monotonic()
    bar = _progress_bar(show, total, stderr)
    try:
        units = iter_units(config.inputs, read_files=config.engine == "ray", max_bytes=options.max_bytes)
        fallback = None  # an in-process pipeline, only for a duplicate beyond what the output holds
        for result in engine_run(units, options, done, workers, chunk):
            if isinstance(result, Skipped):
                if remaining[result.id] > 0:
                    # the output holds this id as often as the input did up to the crash
                    remaining[result.id] -= 1
                    stats.skipped += 1
                    _tick(bar, stats)
                    continue
                if fallback is None:
                    from ringkas.run.pipeline import Pipeline

                    fallback = Pipeline(options)
                result = process_units(fallback, [result.unit], frozenset())[0]
            out.write(result.text)
            stats.done += 1
            stats.failed += result.error is not None
            _report(result, stats, config.quiet, stderr)
            _tick(bar, stats)
    finally:
        bar.close()
        stats.seconds = time.monotonic() - started
        print(stats.summary_line(), file=stderr)
    return ExitStatus.SOME_FAILED if stats.failed or stats.failed_before else ExitStatus.OK


# Distinct warnings shown on stderr before the rest are left to the records.
MAX_WARNINGS_SHOWN = 20


def _tick(bar, stats: BatchStats) -> None:
    bar.update(1)
    if not bar.disable:
        bar.set_postfix(failed=stats.failed, skipped=stats.skipped, refresh=False)


def _report(line: Line, stats: BatchStats, quiet: bool, stream: TextIO) -> None:
    """Errors on stderr, one a line; each distinct warning only once (a batch repeats them)."""
    from tqdm import tqdm

    where = line.where
    if line.error is not None:
        tqdm.write(f"ringkas: {where}: error: {line.error}", file=stream)
        return
    if quiet:
        return
    for warning in line.warnings:
        if warning in stats.warnings_seen or len(stats.warnings_seen) > MAX_WARNINGS_SHOWN:
            continue
        stats.warnings_seen.add(warning)
        if len(stats.warnings_seen) > MAX_WARNINGS_SHOWN:
            warning = "more warnings are in the records"
        tqdm.write(f"ringkas: {where}: {warning}", file=stream)


def _may_use_models(options) -> bool:
    """Whether a model stage may run, known without loading a model (so without torch)."""
    from ringkas.run.pipeline import EXTRACTIVE

    if options.summarizer != EXTRACTIVE:
        return True
    if not options.translate:
        return False
    if options.translator is not None:
        return True
    from ringkas.models.catalog import default_translator

    return default_translator() is not None


__all__ = ["BatchConfig", "BatchStats", "Line", "LineAppender", "OutputState", "Skipped", "Unit", "check_output",
           "count_units",
           "default_workers",
           "iter_units", "prepare_output", "process_units", "repair_output", "run_batch", "run_local",
           "unit_source"]

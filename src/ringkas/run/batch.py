"""`ringkas batch`: a whole archive into one JSONL file, resumable and parallel on one machine.

The parent process walks the inputs and cuts them into work units (``ringkas.run.units``); workers
decode, skip the documents already written, and run the pipeline; the parent writes the records in
input order, each as one whole line appended and flushed (``ringkas.run.output``), so that a crash
or ``kill -9`` leaves only whole lines behind (and at most one torn last line, cut away on resume).
"""

from __future__ import annotations

import io
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from ringkas import tuning
from ringkas.errors import ExitStatus, RunError, UsageError
from ringkas.run.output import LineAppender, OutputState, check_output, repair_output
from ringkas.run.units import (Line, Skipped, Unit, chunk_size, chunks, count_units, iter_units, process_unit,
                               process_units)

if TYPE_CHECKING:
    from ringkas.run.duplicates import DuplicateIndex
    from ringkas.run.pipeline import Options, Pipeline

ENGINES = ("local", "ray")
# Distinct warnings shown on stderr before the rest are left to the records.
MAX_WARNINGS_SHOWN = 20

# An engine: (units, options, ids already written, workers, chunk size) -> results in input order.
Engine = Callable[[Iterable[Unit], "Options", frozenset[str], int, int], Iterator[Line | Skipped]]


@dataclass(frozen=True)
class BatchConfig:
    """What one `ringkas batch` run is told."""

    inputs: tuple[str, ...]
    output: str
    options: Options | None = None  # None: the defaults
    resume: bool = False
    workers: int | None = None  # None: the cores this process may use
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


# -- the local engine ---------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(options: Options, done: frozenset[str], threads: int) -> None:
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


def run_local(units: Iterable[Unit], options: Options, done: frozenset[str], workers: int,
              chunk: int) -> Iterator[Line | Skipped]:
    """Results of ``units`` in input order: in-process for one worker, else a bounded process pool."""
    if workers <= 1:
        from ringkas.run.pipeline import Pipeline

        pipeline = Pipeline(options)
        for part in chunks(units, chunk):
            yield from process_units(pipeline, part, done)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork is unsafe once torch (or any threaded library) is loaded; forkserver forks a clean server.
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    limit = workers * tuning.BATCH_IN_FLIGHT_PER_WORKER
    with ProcessPoolExecutor(workers, mp_context=mp.get_context(method), initializer=_init_worker,
                             initargs=(options, done, max(1, default_workers() // workers))) as pool:
        pending: deque[Future[list[Line | Skipped]]] = deque()
        try:
            for part in chunks(units, chunk):
                pending.append(pool.submit(_work, part))
                if len(pending) >= limit:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool:
            raise RunError("a worker process died (out of memory?); the records written so far are "
                               "whole: rerun with --resume to go on") from None
        finally:
            for future in pending:
                future.cancel()


def default_workers() -> int:
    """The cores this process may use (its CPU affinity, which containers and taskset narrow)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


# -- the run ------------------------------------------------------------------------------------


def run_batch(config: BatchConfig, stderr: TextIO) -> int:
    """Run a batch to ``config.output``; returns the exit status (0 all good, 1 some records failed)."""
    from ringkas.run.pipeline import Options

    options = config.options or Options()
    if config.engine not in ENGINES:
        raise UsageError(f"unknown engine {config.engine!r}; choose one of {', '.join(ENGINES)}")
    workers = config.workers or default_workers()
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    engine: Engine
    if config.engine == "ray":
        from ringkas.run.ray_engine import require_ray, run_ray

        require_ray()
        engine = run_ray
    else:
        engine = run_local
    exists = check_output(config.output, config.resume)
    from ringkas.run.pipeline import Pipeline

    Pipeline(options).check_models()  # a bad --translator fails here, before OUT is made (no torch)
    index = _duplicate_index(options)
    with closing(LineAppender(config.output)) as out:  # locked before the repair: no other run appends
        try:
            state = repair_output(config.output, _rebuild(index) if index is not None else None) if exists else OutputState()
            return _run(config, options, workers, engine, state, out, stderr, index)
        except BaseException:
            out.discard_if_empty()  # a run that failed before its first record leaves no OUT to --resume
            raise


def _duplicate_index(options: Options) -> DuplicateIndex | None:
    """The parent's index of syndicated copies: records are marked in input order, whoever made them."""
    if not options.duplicate_threshold:
        return None
    from ringkas.run.duplicates import DuplicateIndex

    return DuplicateIndex(options.duplicate_threshold)


def _rebuild(index: DuplicateIndex) -> Callable[[dict], None]:
    """What a resumed run does with each record the output holds: its group's first records go in again."""
    from ringkas.run.duplicates import record_text, signature

    def add(record: dict) -> None:
        if record.get("duplicate_of") is None:
            index.add(str(record["id"]), signature(record_text(record)))

    return add


def _run(config: BatchConfig, options: Options, workers: int, engine: Engine, state: OutputState,
         out: LineAppender, stderr: TextIO, index: DuplicateIndex | None = None) -> int:
    if state.truncated and not config.quiet:
        print(f"ringkas: {config.output}: cut a torn last line ({state.truncated} bytes) before resuming",
              file=stderr)
    show = config.progress if config.progress is not None else _is_tty(stderr)
    total = count_units(config.inputs, exclude=frozenset({out.identity})) if show else None
    remaining = Counter(state.ids)
    stats = BatchStats(failed_before=state.failed)
    started = time.monotonic()
    bar = _progress_bar(show, total, stderr)
    try:
        units = iter_units(config.inputs, read_files=config.engine == "ray", max_bytes=options.max_bytes,
                           exclude=frozenset({out.identity}))  # the run's own OUT is never an input
        fallback: Pipeline | None = None  # in-process, only for a duplicate beyond what the output holds
        for result in engine(units, options, frozenset(state.ids), workers, chunk_size(options)):
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
                result = process_unit(fallback, result.unit)
            if index is not None:
                from ringkas.run.duplicates import mark_line

                out.write(mark_line(result.text, index.add(result.id, result.signature)))
            else:
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


def _progress_bar(show: bool, total: int | None, stream: TextIO) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=stream, disable=not show, dynamic_ncols=True,
                smoothing=0.1, mininterval=0.5)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return False


def _tick(bar: Any, stats: BatchStats) -> None:
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


__all__ = ["BatchConfig", "BatchStats", "default_workers", "run_batch", "run_local"]

"""The Ray Data engine of `ringkas batch`: the same records as the local engine, on a Ray cluster.

The driver cuts the inputs into units (as the local engine does) and reads their bytes, so that
workers need not see the files; ``map_batches`` runs an actor class that holds one Pipeline (so one
set of models, on a GPU of its own where there are GPUs); the driver puts the results back in input
order and writes them. Ray is imported lazily: it is an optional extra (``ringkas[ray]``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ringkas import tuning
from ringkas.errors import UsageError
from ringkas.run.units import Line, Skipped, Unit, chunks, process_units

if TYPE_CHECKING:
    from ringkas.run.pipeline import Options

INSTALL_HINT = "--engine ray needs Ray Data; install it with: pip install 'ringkas[ray]'"


def require_ray() -> None:
    """Raise a usage error that says how to install Ray when it is not importable."""
    try:
        import ray.data  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None


class RecordActor:
    """A Ray Data callable class: one Pipeline per actor, turning a batch of units into results."""

    def __init__(self, options: Options, done: frozenset[str]):
        from ringkas.run.pipeline import Pipeline

        self.pipeline = Pipeline(options)
        self.done = done

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        """Results of one batch: per unit, its sequence number and its Line (or the id it skipped)."""
        units = [
            Unit(str(path), int(line) if line >= 0 else None, bytes(data) if has else None)
            for path, line, data, has in zip(batch["path"], batch["line"], batch["data"], batch["has_data"],
                                             strict=True)
        ]
        # strings only, no nested columns: records differ in shape (nulls, empty lists) across batches
        names = ("skip", "text", "where", "error", "warnings", "id", "signature")
        out: dict[str, list[Any]] = {"seq": list(batch["seq"]), **{name: [] for name in names}}
        for result in process_units(self.pipeline, units, self.done):
            row: tuple[Any, ...]
            if isinstance(result, Skipped):
                row = (result.id, "", "", "", "[]", "", b"")
            else:
                row = ("", result.text, result.where, result.error or "",
                       json.dumps(result.warnings, ensure_ascii=False), result.id, result.signature or b"")
            for name, value in zip(names, row, strict=True):
                out[name].append(value)
        return out


def _start(workers: int) -> bool:
    """Connect to ``RAY_ADDRESS`` or start a local instance; True when this call started Ray."""
    import ray

    # Ray's own INFO logs (start-up, execution plans) would bury ringkas's progress and summary.
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if ray.is_initialized():
        return False
    if os.environ.get("RAY_ADDRESS"):
        ray.init(log_to_driver=False, logging_level=logging.ERROR)
    else:
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    return True


def run_ray(units: Iterable[Unit], options: Options, done: frozenset[str], workers: int,
            chunk: int) -> Iterator[Line | Skipped]:
    """Results of ``units`` in input order, computed by actors on Ray Data."""
    require_ray()
    import ray
    from ray.data import DataContext

    started = _start(workers)
    try:
        context = DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False  # ringkas draws its own bar
        gpus = int(ray.cluster_resources().get("GPU", 0))
        use_gpu = gpus > 0 and options.device != "cpu" and options.uses_models()
        concurrency = max(1, min(workers, gpus)) if use_gpu else workers
        base = 0
        for window in chunks(units, tuning.RAY_WINDOW):
            yield from _run_window(window, base, options, done, chunk, concurrency, use_gpu)
            base += len(window)
    finally:
        if started:
            ray.shutdown()


def _run_window(window: list[Unit], base: int, options: Options, done: frozenset[str], chunk: int,
                concurrency: int, use_gpu: bool) -> Iterator[Line | Skipped]:
    import ray.data

    items = [{"seq": base + i, "path": u.path, "line": -1 if u.line is None else u.line,
              "data": u.data or b"", "has_data": u.data is not None} for i, u in enumerate(window)]
    results = ray.data.from_items(items).map_batches(
        RecordActor, fn_constructor_args=(options, done), batch_size=chunk, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=concurrency), num_gpus=1 if use_gpu else None)
    # preserve_order keeps the order; the buffer makes it certain, and holds only what came early
    waiting: dict[int, Line | Skipped] = {}
    expected = base
    for batch in results.iter_batches(batch_format="numpy", batch_size=None):
        columns = zip(batch["seq"], batch["skip"], batch["text"], batch["where"], batch["error"], batch["warnings"],
                      batch["id"], batch["signature"], strict=True)
        for seq, skip, text, where, error, warnings, rid, sig in columns:
            seq = int(seq)
            waiting[seq] = (Skipped(str(skip), window[seq - base]) if skip else
                            Line(str(text), str(where), str(error) or None, tuple(json.loads(warnings)), str(rid),
                                 bytes(sig) or None))
        while expected in waiting:
            yield waiting.pop(expected)
            expected += 1
    if expected != base + len(window):
        raise RuntimeError(f"Ray returned {expected - base} of {len(window)} results")


__all__ = ["INSTALL_HINT", "RecordActor", "require_ray", "run_ray"]

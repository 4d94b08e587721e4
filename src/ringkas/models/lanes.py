"""Lanes: ringkas's decoding loops run their independent pieces side by side on CPU threads.

At decoding sizes (a few dozen rows a decoder group) torch's intra-op threads split every small
op of a step (attention over a one-token query, layer norms, cache writes, 64-row products), and
most of those ops are too small to split well. The loops already cut their work into pieces that
do not depend on each other: decoder groups, vocabulary chunks of the output head, row blocks
of the beam head and each group's beam bookkeeping. A lane is one Python thread with one intra-op thread that
takes whole pieces; torch releases the GIL inside its kernels, so on two cores two lanes run two
pieces at once. Measured with opus-mt shapes on the project's 2-core machine: the greedy loop
697 tok/s on two lanes against 604 on one (`python benchmarks/bench_greedy.py --lanes`); two
64-row decoder groups side by side 39 ms a group's step, 48 ms one after the other with two
intra-op threads. The encoder stays off the lanes (its large products split well over intra-op
threads), so the loops run it before their lanes start.

A piece's arithmetic is the same whichever lane runs it, and results come back in the order of
the pieces, so outputs do not depend on the number of lanes beyond what one intra-op thread
against several does to float sums (tests compare with ``generate`` either way). One lane (a GPU,
one CPU thread, or tuning.CPU_LANES off) runs every piece in the calling thread, as before.
torch is imported inside functions only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Lanes:
    """``n`` lanes: ``map`` runs pieces on them, in order; ``active`` gives each one intra-op thread."""

    def __init__(self, n: int = 1):
        self.n = max(1, n)
        self._pool: ThreadPoolExecutor | None = None

    def __repr__(self) -> str:
        return f"Lanes({self.n})"

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``fn`` of each item, in order; on the lanes when there are several of each."""
        if self.n == 1 or len(items) < 2:
            return [fn(x) for x in items]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.n, thread_name_prefix="ringkas-lane")
        return list(self._pool.map(_inference(fn), items))

    def split(self, count: int) -> list[range]:
        """``count`` positions cut into at most ``n`` contiguous, near-equal parts (none empty)."""
        n = min(self.n, max(1, count))
        return [range(count * k // n, count * (k + 1) // n) for k in range(n)]

    @contextmanager
    def active(self) -> Iterator[None]:
        """While a decode runs on several lanes, torch uses one intra-op thread (a lane's); restored after."""
        if self.n == 1:
            yield
            return
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)

    def close(self) -> None:
        """Stop the lanes' threads (they are made again when needed)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def _inference(fn: Callable[[T], R]) -> Callable[[T], R]:
    """``fn`` under torch.inference_mode, which is per thread: a lane's thread must enter it itself."""

    def run(item: T) -> R:
        import torch

        with torch.inference_mode():
            return fn(item)

    return run


SINGLE = Lanes(1)


def lanes_for(device: str, threads: int, enabled: bool) -> Lanes:
    """The lanes of a model on ``device`` with ``threads`` CPU threads: one a thread on CPU when enabled."""
    return Lanes(threads) if enabled and device == "cpu" and threads > 1 else SINGLE

"""`ringkas batch` model-free: docs/s with 1 and 2 workers, and peak memory as the archive grows.

Each run is a whole `ringkas batch ARCHIVE.jsonl -o OUT --no-translate --workers N` process over a
synthetic JSONL archive (variants of the samples). Peak memory is sampled from /proc every 20 ms
as the sum of the RSS of the parent and all its children (the worker processes), and for the
parent alone. Expected: near-linear scaling from 1 to 2
workers on 2 free cores; the same peak memory at 1,000 and 10,000 releases (the run streams).

Run: .venv/bin/python benchmarks/bench_batch.py [--docs 1000 10000] [--workers 1 2]
"""

from __future__ import annotations

import contextlib

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_jsonl


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """The process and all its descendants, through /proc/PID/task/*/children."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children") if Path(f"/proc/{current}").exists() else ():
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in task.read_text().split())
    return found


def run(archive: Path, workers: int) -> dict:
    """One whole `ringkas batch` run: wall seconds, docs/s, peak RSS of the tree and of the parent (MiB)."""
    out = archive.with_suffix(f".w{workers}.out.jsonl")
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "ringkas", "-q", "batch", str(archive), "-o", str(out), "--no-translate",
           "--workers", str(workers)]
    env = {**os.environ, "RINGKAS_MODELS": "/nonexistent"}  # model-free, whatever is installed
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0, 0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], sum(_rss_kib(p) for p in _tree(proc.pid)))
            peak[1] = max(peak[1], _rss_kib(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    line = err.strip().splitlines()[-1]
    inner = float(re.search(r"\(([\d.]+) docs/s\)", line).group(1))
    docs = sum(1 for _ in out.open("rb"))
    out.unlink()
    return {"docs": docs, "workers": workers, "seconds": seconds, "docs_s": docs / seconds, "inner_docs_s": inner,
            "peak_tree_mib": peak[0] / 1024, "peak_parent_mib": peak[1] / 1024}


def main() -> None:
    """Generate the archives, run every (docs, workers) pair, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="ringkas-bench-batch-") as tmp:
        for n in args.docs:
            archive = write_jsonl(Path(tmp) / f"archive-{n}.jsonl", n)
            for workers in args.workers:
                rows.append(run(archive, workers))
                print(f"  done: {n} docs, {workers} worker(s)", file=sys.stderr)
    print(f"{'docs':>6} {'workers':>7} {'wall s':>7} {'docs/s':>7} {'docs/s*':>8} {'peak RSS MiB':>13} "
          f"{'parent MiB':>11}")
    for r in rows:
        print(f"{r['docs']:>6} {r['workers']:>7} {r['seconds']:>7.1f} {r['docs_s']:>7.0f} {r['inner_docs_s']:>8.0f} "
              f"{r['peak_tree_mib']:>13.0f} {r['peak_parent_mib']:>11.0f}")
    print("docs/s: whole process, start-up included; docs/s*: as ringkas reports it (from its start);\n"
          "peak RSS: parent + workers (+ forkserver), sampled every 20 ms; parent: the ringkas process alone")


if __name__ == "__main__":
    main()

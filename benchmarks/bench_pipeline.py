"""Speed of the model-free pipeline (issue 2 and 3 figures).

1. Whole-process `ringkas summarize --no-translate` on one sample, against `python -c "import click"`
   (median of N runs each); target: within 3x.
2. A JSONL stream of 1,000 releases through one process: steady-state releases/s in-process
   (`ringkas.process_many`) and whole-process wall time of `ringkas summarize`; target: >= 300/s.

Run: .venv/bin/python benchmarks/bench_pipeline.py [--runs 25] [--docs 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, releases, write_jsonl

BIN = Path(sys.executable).parent
SAMPLE = ROOT / "samples" / "kabupaten-tulungagung-posyandu.txt"


def walls(cmds: list[list[str]], runs: int) -> list[list[float]]:
    """Wall times of each command over ``runs`` rounds, the commands interleaved within a round so
    that drift in the machine's speed (it is shared) hits every command alike; one warm-up first."""
    env = {**os.environ, "RINGKAS_MODELS": "/nonexistent"}
    times: list[list[float]] = [[] for _ in cmds]
    for round_ in range(runs + 1):
        for cmd, out in zip(cmds, times):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env)
            if round_:
                out.append(time.perf_counter() - t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()

    clicks, ones = walls([[sys.executable, "-c", "import click"],
                          [str(BIN / "ringkas"), "summarize", "--no-translate", str(SAMPLE)]], args.runs)
    click, one = statistics.median(clicks), statistics.median(ones)
    ratio = statistics.median(o / c for o, c in zip(ones, clicks))
    print(f"python -c 'import click'                 {click * 1000:7.1f} ms (median of {args.runs}, interleaved)")
    print(f"ringkas summarize --no-translate SAMPLE   {one * 1000:7.1f} ms  = {ratio:.2f}x import click "
          f"(median of the paired ratios; target <= 3x)")

    import ringkas

    docs = list(releases(args.docs))
    list(ringkas.process_many(docs[:20], translate=False))  # warm caches (stemmer, langid model)
    t = time.perf_counter()
    records = list(ringkas.process_many(docs, translate=False))
    steady = time.perf_counter() - t
    assert len(records) == args.docs and not any(r["error"] for r in records)
    print(f"in-process stream of {args.docs} releases      {args.docs / steady:7.0f} releases/s "
          f"({steady * 1000 / args.docs:.2f} ms each, one core; target >= 300/s)")

    with tempfile.TemporaryDirectory() as tmp:
        archive = write_jsonl(Path(tmp) / "archive.jsonl", args.docs)
        t = time.perf_counter()
        subprocess.run([str(BIN / "ringkas"), "-q", "summarize", "--no-translate", str(archive), "-o",
                        str(Path(tmp) / "out.jsonl")], check=True, env={**os.environ, "RINGKAS_MODELS": "/nonexistent"})
        whole = time.perf_counter() - t
    print(f"ringkas summarize of a {args.docs}-line JSONL    {args.docs / whole:7.0f} releases/s whole process "
          f"({whole:.2f} s)")


if __name__ == "__main__":
    main()

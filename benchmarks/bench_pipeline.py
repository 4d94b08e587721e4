"""Speed of the model-free pipeline (issue 2, 3 and 11 figures).

1. Start-up: whole-process `ringkas summarize --no-translate` on one sample against
   `python -c "import click"`, interleaved in pairs; the figure is the median of the paired ratios
   (target: within 3x). `--imports N` also lists the N modules whose import takes longest
   (`python -X importtime`, median self time of 5 runs; `*` marks those `import click` lacks).
2. A JSONL stream of 1,000 releases through one process: steady-state releases/s in-process
   (`ringkas.process_many`) and whole-process wall time of `ringkas summarize`; target: >= 300/s.

Run: .venv/bin/python benchmarks/bench_pipeline.py [--runs 25] [--docs 1000] [--startup-only] [--imports 20]
"""

from __future__ import annotations

import argparse
import os
import re
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
ONE_DOC = [str(BIN / "ringkas"), "summarize", "--no-translate", str(SAMPLE)]
IMPORT_CLICK = [sys.executable, "-c", "import click"]
STARTUP_TARGET = 3.0
# An installed package has its bytecode cached (pip compiles it); a shell that forbids writing it
# would time the compiler instead, so the warm-up round writes it.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "RINGKAS_MODELS": "/nonexistent"}


def walls(cmds: list[list[str]], runs: int) -> list[list[float]]:
    """Wall times of each command over ``runs`` rounds, the commands interleaved within a round so
    that drift in the machine's speed (it is shared) hits every command alike; one warm-up first."""
    times: list[list[float]] = [[] for _ in cmds]
    for round_ in range(runs + 1):
        for cmd, out in zip(cmds, times, strict=True):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=ENV)
            if round_:
                out.append(time.perf_counter() - t)
    return times


def import_times(cmd: list[str], runs: int = 5) -> dict[str, float]:
    """Median self time (ms) of each module ``cmd`` imports, from ``python -X importtime``."""
    line = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)")
    seen: dict[str, list[int]] = {}
    for _ in range(runs):
        err = subprocess.run([sys.executable, "-X", "importtime", *cmd], capture_output=True, text=True,
                             check=True, env=ENV).stderr
        for self_us, name in line.findall(err):
            seen.setdefault(name, []).append(int(self_us))
    return {name: statistics.median(us) / 1000 for name, us in seen.items()}


def startup(runs: int, imports: int) -> float:
    """Print the start-up figure (and the slowest imports); returns the ratio."""
    clicks, ones = walls([IMPORT_CLICK, ONE_DOC], runs)
    click, one = statistics.median(clicks), statistics.median(ones)
    ratio = statistics.median(o / c for o, c in zip(ones, clicks, strict=True))
    verdict = "within" if ratio <= STARTUP_TARGET else "OVER"
    print(f"python -c 'import click'                 {click * 1000:7.1f} ms (median of {runs}, interleaved)")
    print(f"ringkas summarize --no-translate SAMPLE   {one * 1000:7.1f} ms  = {ratio:.2f}x import click "
          f"(median of the paired ratios; {verdict} the {STARTUP_TARGET:g}x target)")
    if imports:
        ours = import_times(["-m", "ringkas", *ONE_DOC[1:]])
        base = import_times(["-c", "import click"])
        extra = sum(ms for name, ms in ours.items() if name not in base)
        print(f"imports: {sum(ours.values()):.1f} ms in all, {extra:.1f} ms in modules `import click` lacks; "
              f"the slowest (self time, median of 5):")
        for name, ms in sorted(ours.items(), key=lambda item: -item[1])[:imports]:
            print(f"  {ms:6.2f} ms {'*' if name not in base else ' '} {name}")
    return ratio


def stream(docs: int) -> None:
    """Print the throughput figures of a stream of ``docs`` releases."""
    import ringkas

    corpus = list(releases(docs))
    list(ringkas.process_many(corpus[:20], translate=False))  # warm caches (stemmer, langid model)
    t = time.perf_counter()
    records = list(ringkas.process_many(corpus, translate=False))
    steady = time.perf_counter() - t
    assert len(records) == docs and not any(r["error"] for r in records)
    print(f"in-process stream of {docs} releases      {docs / steady:7.0f} releases/s "
          f"({steady * 1000 / docs:.2f} ms each, one core; target >= 300/s)")

    with tempfile.TemporaryDirectory() as tmp:
        archive = write_jsonl(Path(tmp) / "archive.jsonl", docs)
        t = time.perf_counter()
        subprocess.run([str(BIN / "ringkas"), "-q", "summarize", "--no-translate", str(archive), "-o",
                        str(Path(tmp) / "out.jsonl")], check=True, env=ENV)
        whole = time.perf_counter() - t
    print(f"ringkas summarize of a {docs}-line JSONL    {docs / whole:7.0f} releases/s whole process "
          f"({whole:.2f} s)")


def main() -> None:
    """Run the benchmarks the arguments ask for."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--startup-only", action="store_true", help="only the start-up figure")
    parser.add_argument("--imports", type=int, default=0, metavar="N", help="list the N slowest imports too")
    args = parser.parse_args()

    startup(args.runs, args.imports)
    if not args.startup_only:
        stream(args.docs)


if __name__ == "__main__":
    main()

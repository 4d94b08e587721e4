"""Throughput of ringkas.quotes.find_quotes, in releases per second on one core.

Usage: python benchmarks/bench_quotes.py [--seconds S] [--pfsa PATH]
Times find_quotes alone (articles are built once beforehand) over the project's samples, and,
with --pfsa, over the rebuilt articles of a PFSA-ID file (long Kompas news articles).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from ringkas.text.document import build_article
from ringkas.quotes.find import find_quotes
from ringkas.text.sentences import split_sentences
from ringkas.io.sources import read_path

ROOT = Path(__file__).resolve().parent.parent


def sample_inputs() -> list[tuple[str, tuple, tuple]]:
    """(text, sentences, paragraphs) of every sample release."""
    out = []
    for path in sorted((ROOT / "samples").iterdir()):
        if path.suffix not in (".txt", ".html", ".jsonl"):
            continue
        for source in read_path(str(path)):
            art = build_article(source)
            out.append((art.text, art.sentences, art.paragraphs))
    return out


def pfsa_inputs(path: str) -> list[tuple[str, list, tuple]]:
    """(text, sentences, paragraphs) of the rebuilt articles of a PFSA-ID file."""
    from ringkas.eval.pfsa import read_pfsa

    return [(a.text, split_sentences(a.text, list(a.paragraphs)), a.paragraphs) for a in read_pfsa(path)]


def throughput(inputs: list, seconds: float) -> tuple[float, float]:
    """Releases per CPU-second (median of rounds) and mean characters per release."""
    for args in inputs:  # warm up: compiled regexes, lexicons
        find_quotes(*args)
    rates = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(rates) < 3:
        # CPU time of this process: other work on a shared machine does not count against it.
        t0 = time.process_time()
        for args in inputs:
            find_quotes(*args)
        rates.append(len(inputs) / max(1e-9, time.process_time() - t0))
    return statistics.median(rates), sum(len(a[0]) for a in inputs) / len(inputs)


def main(argv: list[str] | None = None) -> int:
    """Print find_quotes throughput."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--pfsa", help="also time the articles of this PFSA-ID file")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    sets = [("samples", sample_inputs())]
    if args.pfsa:
        sets.append(("pfsa", pfsa_inputs(args.pfsa)))
    for name, inputs in sets:
        rate, chars = throughput(inputs, args.seconds)
        print(
            f"{name}: {len(inputs)} releases, {chars:.0f} chars on average: "
            f"{rate:.0f} releases/s ({1000 / rate:.2f} ms per release) on one core"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

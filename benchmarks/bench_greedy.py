"""The greedy loop's settings, compared in one process: decoder rows per group and batch limits.

Uses the cached random-weight opus-mt-shaped model of bench_translate.py (built on first use) and
the same 137 sentences with 32 generated tokens each. The settings take turns for ``--rounds``
rounds (this machine's speed drifts by 20-40% from minute to minute) and the median is reported.
GreedyDecoder.DECODER_ROWS comes from this.

Run: .venv/bin/python benchmarks/bench_greedy.py [--rows 64,96,128] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_translate as bt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="64,96,128", help="decoder rows per group to compare (64,96,128)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--new-tokens", type=int, default=32)
    args = parser.parse_args()

    from ringkas.models.greedy import GreedyDecoder
    from ringkas.models.seq2seq import load_model

    folder = bt.ensure_model("marian", lambda msg: print(f"[bench] {msg}", file=sys.stderr))
    model = load_model(folder, device="cpu", backend="transformers")
    texts = bt.requests_of(bt._items(bt.analyses(bt.INPUTS)[1:]), model.fits)
    fixed = bt.FixedLength(model, args.new_tokens)
    fixed.generate(texts[:8])  # warm-up
    settings = [("batches of <= 64 rows, padded budget (as before)", 64, 64, True)]
    settings += [(f"decoder groups of {r} rows", int(r), 256, False) for r in args.rows.split(",")]
    rates: dict[str, list[float]] = {label: [] for label, *_ in settings}
    outputs = {}
    default_rows = GreedyDecoder.DECODER_ROWS
    for _ in range(args.rounds):
        for label, rows, max_batch, padded in settings:
            GreedyDecoder.DECODER_ROWS = rows
            model.max_batch, model.pads_batches = max_batch, padded
            t = time.perf_counter()
            outputs[label] = fixed.generate(texts)
            rates[label].append(len(texts) * args.new_tokens / (time.perf_counter() - t))
    GreedyDecoder.DECODER_ROWS = default_rows
    print(f"{len(texts)} sentences, {args.new_tokens} tokens each; median of {args.rounds} rounds (min-max), "
          f"default DECODER_ROWS = {default_rows}")
    for label, values in rates.items():
        print(f"  {label:<56} {statistics.median(values):6.0f} tok/s  ({min(values):.0f}-{max(values):.0f})")
    print(f"same output in every setting: {len({tuple(v) for v in outputs.values()}) == 1}")


if __name__ == "__main__":
    main()

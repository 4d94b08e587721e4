"""The greedy loop's settings (ringkas.tuning), compared in one process.

Uses the cached random-weight opus-mt-shaped model of bench_translate.py (built on first use) and
the same 137 sentences with 32 generated tokens each. The settings take turns for ``--rounds``
rounds (this machine's speed drifts by 20-40% from minute to minute) and the median is reported.

  default          the previous batches (<= 64 rows, padded token budget) against decoder groups
                   of DECODER_ROWS_CPU = 64, 96, 128 rows: tuning.TOKEN_BUDGET, MAX_BATCH,
                   GENERATE_MAX_BATCH_CPU and DECODER_ROWS_CPU come from this;
  --sweep N=a,b,c  any other constant of ringkas.tuning the loop reads (ENCODER_ROWS,
                   ENCODER_MIN_FILL, HEAD_CHUNK_CPU, PRUNE_FINISHED_SHARE, DECODER_ROWS_CPU ...);
  --lanes [N]      one lane (torch's intra-op threads split each op) against 2..N lanes (the loop's
                   independent pieces side by side, one thread each): tuning.CPU_LANES;
  --attention      the decoder's attention with torch's SDPA against transformers' eager one:
                   tuning.CPU_DECODER_EAGER_ATTENTION;
  --matmul         no model: x @ W^T against W @ x^T at decoding row counts, the measurement behind
                   tuning.FAST_LINEAR_* (which rows run as W @ x^T on CPU);
  --beam-head      no model: a beam step's output head (log-probabilities and top candidates of
                   every row over the 54,796-entry vocabulary) reduced per vocabulary chunk, as the
                   greedy head does, against whole rows in one log_softmax (tuning.BEAM_LOGITS_ELEMENTS).

Run: .venv/bin/python benchmarks/bench_greedy.py [--sweep NAME=a,b,c] [--lanes [N]] [--attention] [--rounds 5]
     [--matmul] [--beam-head]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_translate as bt


def _value(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def settings_of(args: argparse.Namespace) -> list[tuple[str, dict]]:
    """(label, {tuning constant or model attribute: value}) of each setting to compare."""
    if args.sweep:
        name, _, values = args.sweep.partition("=")
        return [(f"{name} = {v}", {name: _value(v)}) for v in values.split(",")]
    if args.lanes:
        return [("one lane (torch's intra-op threads)", {"lanes": 1}),
                *((f"{n} lanes, one thread each", {"lanes": n}) for n in range(2, args.lanes + 1))]
    if args.attention:
        return [("decoder attention: SDPA", {"decoder_attention": "sdpa"}),
                ("decoder attention: eager", {"decoder_attention": "eager"})]
    out = [("batches of <= 64 rows, padded budget (as before)", {"max_batch": 64, "pads_batches": True})]
    out += [(f"decoder groups of {r} rows", {"DECODER_ROWS_CPU": int(r), "max_batch": 256, "pads_batches": False})
            for r in args.rows.split(",")]
    return out


def compare(args: argparse.Namespace) -> None:
    """Tokens/s of the greedy loop under each setting, in turns; medians printed."""
    from ringkas import tuning
    from ringkas.models.greedy import GreedyDecoder
    from ringkas.models.lanes import Lanes
    from ringkas.models.loader import load_model

    folder = bt.ensure_model("marian", lambda msg: print(f"[bench] {msg}", file=sys.stderr))
    model = load_model(folder, device="cpu", backend="transformers", beams=1)  # the folder says beam 4
    texts = bt.requests_of(bt._items(bt.analyses(bt.INPUTS)[1:]), model.fits)
    fixed = bt.FixedLength(model, args.new_tokens)
    fixed.generate(texts[:8])  # warm-up
    settings = settings_of(args)
    lanes, decoder_config = model.greedy.parts.lanes, model.model.get_decoder().config
    special = {"lanes": lambda n: setattr(model.greedy.parts, "lanes", Lanes(n)),
               "decoder_attention": lambda name: setattr(decoder_config, "_attn_implementation", name)}
    for _, values in settings:
        unknown = [k for k in values if not hasattr(tuning, k) and not hasattr(model, k) and k not in special]
        if unknown:
            raise SystemExit(f"not a constant of ringkas.tuning: {', '.join(unknown)}")
    defaults = {k: getattr(tuning, k) for _, values in settings for k in values if hasattr(tuning, k)}
    kept = {"max_batch": model.max_batch, "pads_batches": model.pads_batches}
    rates: dict[str, list[float]] = {label: [] for label, _ in settings}
    outputs = {}
    for _ in range(args.rounds):
        for label, values in settings:
            model.greedy.parts.lanes = lanes
            decoder_config._attn_implementation = "eager" if tuning.CPU_DECODER_EAGER_ATTENTION else "sdpa"
            for k, v in {**defaults, **kept, **values}.items():
                if k in special:
                    special[k](v)
                else:
                    setattr(tuning if k in defaults else model, k, v)
            if "HEAD_CHUNK_CPU" in values:  # read when the decoder is made
                current = model.greedy.parts.lanes
                model.greedy = GreedyDecoder.for_model(model.model, model.tokenizer, model.decoding)
                model.greedy.parts.lanes = current
            t = time.perf_counter()
            outputs[label] = fixed.generate(texts)
            rates[label].append(len(texts) * args.new_tokens / (time.perf_counter() - t))
    for k, v in defaults.items():
        setattr(tuning, k, v)
    print(f"{len(texts)} sentences, {args.new_tokens} tokens each; median of {args.rounds} rounds (min-max); "
          f"defaults: " + ", ".join(f"{k} = {v}" for k, v in defaults.items()))
    for label, values in rates.items():
        print(f"  {label:<56} {statistics.median(values):6.0f} tok/s  ({min(values):.0f}-{max(values):.0f})")
    print(f"same output in every setting: {len({tuple(v) for v in outputs.values()}) == 1}")


def matmul(args: argparse.Namespace) -> None:
    """GFLOP/s of x @ W^T (F.linear) and W @ x^T (as _fast_small_linears runs it) by row count."""
    import torch
    import torch.nn.functional as F

    from ringkas.models.transformers_backend import configure_threads

    def transposed(weight, x, copy: bool):
        out = torch.mm(weight, x.t()).t()
        return out.contiguous() if copy else out

    configure_threads()
    torch.manual_seed(0)
    # The vocabulary projection's result stays transposed (only added to and argmax-ed): no copy.
    shapes = [("512 -> 2048 (FFN)", 512, 2048, True), ("512 -> 54,796 (vocabulary)", 512, 54_796, False)]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; median of {args.rounds} rounds")
    for label, k, n, copy in shapes:
        weight = torch.randn(n, k)
        print(f"  {label}: rows, x @ W^T GFLOP/s, W @ x^T GFLOP/s")
        for rows in (16, 40, 48, 64, 72, 96, 128, 256, 512):
            x = torch.randn(rows, k)
            reps = max(3, int(2e9 / (2 * rows * k * n)))
            rates = {"x @ W^T": [], "W @ x^T": []}
            with torch.inference_mode():
                for _ in range(args.rounds):
                    for name, fn in (("x @ W^T", lambda x=x, w=weight: F.linear(x, w)),
                                     ("W @ x^T", lambda x=x, w=weight, c=copy: transposed(w, x, c))):
                        fn()
                        t = time.perf_counter()
                        for _ in range(reps):
                            fn()
                        rates[name].append(2 * rows * k * n * reps / (time.perf_counter() - t) / 1e9)
            print(f"    {rows:4d}  {statistics.median(rates['x @ W^T']):7.1f}  {statistics.median(rates['W @ x^T']):7.1f}")


def beam_head(args: argparse.Namespace) -> None:
    """Milliseconds of a beam step's head by rows: per-chunk reductions against whole-row log_softmax."""
    import torch

    from ringkas import tuning
    from ringkas.models.beam import top_log_probs
    from ringkas.models.greedy import OutputHead
    from ringkas.models.transformers_backend import configure_threads

    def chunked(head, x, k):
        lse = best_v = best_i = None
        for start, stop, _ in head.chunks([]):
            part = torch.addmm(head.bias[start:stop], x, head.weight[start:stop].t())
            part_lse = torch.logsumexp(part, dim=-1)
            lse = part_lse if lse is None else torch.logaddexp(lse, part_lse)
            v, i = torch.topk(part, k=k, dim=-1)
            best_v = v if best_v is None else torch.cat((best_v, v), dim=1)
            best_i = i + start if best_i is None else torch.cat((best_i, i + start), dim=1)
        v, pick = torch.topk(best_v, k=k, dim=1)
        return v - lse[:, None], best_i.gather(1, pick)

    configure_threads()
    torch.manual_seed(0)
    head = OutputHead(torch.randn(54_796, 512), torch.randn(54_796), 1.0, chunk=tuning.HEAD_CHUNK_CPU)
    print(f"{torch.get_num_threads()} threads; median ms of {args.rounds} rounds; 8 candidates a row (4 beams)")
    for rows in (48, 96, 192, 384):
        x = torch.randn(rows, 512)
        times: dict[str, list[float]] = {"chunked": [], "whole rows": []}
        with torch.inference_mode():
            for _ in range(args.rounds):
                for name, fn in (("chunked", lambda x=x: chunked(head, x, 8)),
                                 ("whole rows", lambda x=x: top_log_probs(head, x, None, 8))):
                    t = time.perf_counter()
                    fn()
                    times[name].append((time.perf_counter() - t) * 1e3)
        print(f"  {rows:4d} rows: " + ", ".join(f"{k} {statistics.median(v):7.1f}" for k, v in times.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="64,96,128", help="decoder rows per group to compare (64,96,128)")
    parser.add_argument("--sweep", help="NAME=a,b,c: compare values of one ringkas.tuning constant instead")
    parser.add_argument("--matmul", action="store_true", help="time the two matmul layouts instead (no model)")
    parser.add_argument("--beam-head", action="store_true", help="time a beam step's head two ways (no model)")
    parser.add_argument("--lanes", type=int, nargs="?", const=2, default=0,
                        help="compare one lane with 2..N lanes instead (tuning.CPU_LANES; N = 2)")
    parser.add_argument("--attention", action="store_true",
                        help="compare the decoder's SDPA and eager attention instead (tuning.CPU_DECODER_EAGER_ATTENTION)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--new-tokens", type=int, default=32)
    args = parser.parse_args()
    (beam_head if args.beam_head else matmul if args.matmul else compare)(args)


if __name__ == "__main__":
    main()

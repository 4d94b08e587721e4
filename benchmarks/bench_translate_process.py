"""Translation as users run it (issue 15): whole `ringkas translate` processes on real news articles.

The articles are IndoSum's development texts (``../shared/data/indosum/dev.jsonl``, or
$RINGKAS_INDOSUM; read from there, never copied into the repository): ``--docs`` of them, evenly
spaced through the file, written to a temporary JSONL file. The model is bench_translate.py's
random-weight opus-mt-id-en (the real shapes, built once into benchmarks/out) with the real
folder's generation settings (beam 4, <pad> banned, EOS forced at the cap) except the cap:
random weights never stop, so the folder's ``max_length`` is cut to ``--new-tokens`` + 1 and
both sides generate the same tokens per text (``--new-tokens`` less the forced EOS).

Contenders, each a whole process, with the same decoding settings (those of the model folder;
``--beams 1`` / ``num_beams=1`` for greedy):
  naive         a script that loads the model as its card says (AutoTokenizer,
                AutoModelForSeq2SeqLM) and calls ``model.generate`` once per text, for the texts
                ringkas asks its model for (sentences, the gaps between them, quotes and summary
                sentences no sentence covers, each once): the same work. One call per text costs
                the same whatever the others are, so it runs every ``--naive-share``-th text and
                its time is scaled to all of them;
  transformers  ``ringkas -v translate ARTICLES.jsonl --translator DIR --device cpu --no-cache``;
  ct2           the same with ``--backend ct2`` (the int8 conversion).
One-time costs (interpreter, imports, model load, the probe's one short document) are each
command run on a one-sentence probe; steady state = the full run less its probe; docs/s and
generated tokens/s (ids counted, EOS not: random weights emit odd pieces, so characters would
mislead) are steady-state figures, and "x naive" compares steady-state docs/s. ringkas's tokens
come from its -v log. Peak memory is each process's max RSS. The contenders take turns (in an
order that rotates) for ``--rounds`` rounds, as this machine's speed drifts from minute to minute;
medians are reported, with min-max. ``--threads N`` gives every contender N intra-op threads
(RINGKAS_THREADS, OMP_NUM_THREADS); by default each takes its own default (all cores).

The limit: float32 and int8 matmul rates of this CPU (torch; int8 through fbgemm's dynamic
quantized Linear, a stand-in for CTranslate2's int8 GEMM) against the FLOPs per generated token
of bench_translate.py's formula, the decoder's share times the beams (each beam is a decoder row;
the encoder and the cross-attention keys and values run once a source).

Run: .venv/bin/python benchmarks/bench_translate_process.py [--docs 20] [--new-tokens 24]
     [--decodings greedy,beam4] [--backends transformers,ct2] [--rounds 3] [--naive-share 10] [--threads N]
(about 5 minutes a decoding with the defaults on the project's 2-core machine)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_translate as bt  # noqa: E402

ROOT = HERE.parent
INDOSUM = Path(os.environ.get("RINGKAS_INDOSUM") or ROOT.parent / "shared" / "data" / "indosum" / "dev.jsonl")
PROBE = {"id": "probe", "text": "Bupati Blitar menghadiri rapat koordinasi daerah."}
TOKENS_LOGGED = re.compile(r": (\d+) texts, (\d+) tokens generated in ")
# Runs a command with its stderr to a file; prints its wall time and peak RSS (only that child's).
WRAP = ("import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "with open(sys.argv[1], 'w') as err:\n"
        "    code = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err).returncode\n"
        "print(json.dumps({'wall': time.perf_counter() - t, 'code': code,\n"
        "                  'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n")
NAIVE = '''\
import json, sys
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
model_dir, texts, beams = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8")), int(sys.argv[3])
tokenizer = AutoTokenizer.from_pretrained(model_dir)
model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
ends, tokens = {tokenizer.eos_token_id, tokenizer.pad_token_id}, 0
for text in texts:
    ids = model.generate(**tokenizer(text, return_tensors="pt"), num_beams=beams)[0, 1:].tolist()
    tokens += next((i for i, t in enumerate(ids) if t in ends), len(ids))
    print(tokenizer.decode(ids, skip_special_tokens=True))
print(json.dumps({"tokens": tokens, "texts": len(texts)}), file=sys.stderr)
'''


def articles(n: int) -> list[dict]:
    """``n`` distinct IndoSum dev articles ({id, text}), evenly spaced through the file."""
    if not INDOSUM.is_file():
        raise SystemExit(f"IndoSum dev set not found at {INDOSUM} (set RINGKAS_INDOSUM): this benchmark "
                         "measures real articles and has no stand-in for them")
    rows = [json.loads(line) for line in INDOSUM.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"id": rows[i]["id"], "text": rows[i]["text"]} for i in (k * len(rows) // n for k in range(n))]


def capped_model(new_tokens: int, log) -> Path:
    """The random opus-mt-id-en with its own generation settings but ``max_length`` = new_tokens + 1
    (weights, tokenizer and int8 conversion linked, not copied)."""
    source = bt.ensure_model("marian", log)
    folder = bt.OUT / f"{source.name}-cap{new_tokens}"
    folder.mkdir(exist_ok=True)
    for item in source.iterdir():
        link = folder / item.name
        if item.name != "generation_config.json" and not link.exists():
            link.symlink_to(item.resolve())
    config = json.loads((source / "generation_config.json").read_text())
    (folder / "generation_config.json").write_text(json.dumps({**config, "max_length": new_tokens + 1}, indent=2))
    return folder


def requests(docs: list[dict], folder: Path) -> list[str]:
    """The texts ringkas asks its model for on these documents, each once, in ringkas's order."""
    from ringkas.io.sources import source_from_text
    from ringkas.run.pipeline import Analysis, Options, analyze

    found = [analyze(source_from_text(d["text"], d["id"]), Options()) for d in docs]
    done = [a for a in found if isinstance(a, Analysis)]
    return bt.requests_of([(a.article, a.summary, a.quotes.quotes) for a in done], bt.tokenizer_fits(folder))


def measure(cmd: list[str], err: Path) -> dict:
    """Wall seconds, exit code and peak RSS (MB) of one command; its stderr left in ``err``."""
    done = subprocess.run([sys.executable, "-c", WRAP, str(err), *cmd], check=True, capture_output=True, text=True)
    result = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {result['code']}:\n{err.read_text()[-2000:]}")
    return result


def commands(kind: str, beams: int, folder: Path, tmp: Path, inputs: Path, job: Path) -> list[str]:
    """The command line of one contender on ``inputs`` (ringkas) or ``job`` (the naive script's texts)."""
    if kind == "naive":
        return [sys.executable, str(tmp / "naive.py"), str(folder), str(job), str(beams)]
    ringkas = str(Path(sys.executable).parent / "ringkas")
    return [ringkas, "-v", "translate", str(inputs), "--translator", str(folder), "--device", "cpu",
            "--backend", kind, "--no-cache", "-o", str(tmp / f"out-{kind}.jsonl"),
            *(["--beams", "1"] if beams == 1 else [])]  # beam 4 is the folder's own setting


def tokens_of(kind: str, err: Path) -> int:
    """Generated tokens a run reports on stderr (the naive script's JSON line, ringkas's -v log)."""
    text = err.read_text(encoding="utf-8", errors="replace")
    if kind == "naive":
        return int(json.loads(text.strip().splitlines()[-1])["tokens"])
    return sum(int(m.group(2)) for m in TOKENS_LOGGED.finditer(text))


def one_round(kinds: list[str], beams: int, folder: Path, tmp: Path, files: dict, shift: int) -> dict:
    """Each contender's probe run and full run, in an order rotated by ``shift``."""
    out = {}
    order = kinds[shift % len(kinds):] + kinds[: shift % len(kinds)]
    for kind in order:
        err = tmp / f"err-{kind}.txt"
        probe = measure(commands(kind, beams, folder, tmp, files["probe"], files["probe_job"]), err)
        load_start = os.getloadavg()[0]
        full = measure(commands(kind, beams, folder, tmp, files["docs"], files["job"]), err)
        out[kind] = {"once_s": probe["wall"], "steady_s": full["wall"] - probe["wall"], "tokens": tokens_of(kind, err),
                     "peak_mb": max(probe["peak_mb"], full["peak_mb"]), "load": (load_start, os.getloadavg()[0])}
    return out


def limits(beams: int, source_tokens: float, new_tokens: int) -> list[str]:
    """Tokens/s the float32 and int8 matmul rates of this CPU allow at these shapes."""
    rates = bt.run_worker(["--worker", "flops"])
    int8 = json.loads(subprocess.run([sys.executable, "-c", INT8_RATE], check=True, capture_output=True,
                                     text=True).stdout)
    shape = bt.SHAPES["marian"]
    d, f, le, ld = shape["d_model"], shape["ffn"], shape["encoder_layers"], shape["decoder_layers"]
    # The encoder and the cross-attention keys and values run once a source, the rest once a beam.
    shared = source_tokens * (le * (2 * (4 * d * d + 2 * d * f) + 4 * d * source_tokens) + ld * 4 * d * d) / new_tokens
    flops = beams * (bt.flops_per_token(shape, source_tokens, new_tokens) - shared) + shared
    lines = [f"FLOPs per generated token with {beams} beam(s): {flops / 1e6:.0f} M "
             f"(encoder and cross-attention keys/values {shared / 1e6:.0f} M of them)"]
    for label, rate in (("fp32 32x512x2048 (decoder step)", rates["step_ffn"]),
                        ("fp32 32x512x54796 (output projection)", rates["step_logits"]),
                        ("fp32 2048^3 (best case)", rates["big"]), ("int8 32x512x2048 (fbgemm)", int8["int8"])):
        lines.append(f"  {label:<40} {rate / 1e9:6.1f} GOP/s -> {rate / flops:7.1f} tok/s")
    return lines


INT8_RATE = '''\
import json, time, torch
torch.manual_seed(0)
linear = torch.ao.nn.quantized.dynamic.Linear(512, 2048)
linear.set_weight_bias(torch.quantize_per_tensor(torch.randn(2048, 512), 0.05, 0, torch.qint8), torch.zeros(2048))
x = torch.randn(32, 512)
with torch.inference_mode():
    for _ in range(20):
        linear(x)
    t = time.perf_counter()
    for _ in range(400):
        linear(x)
print(json.dumps({"int8": 2 * 32 * 512 * 2048 * 400 / (time.perf_counter() - t)}))
'''


def report(label: str, kinds: list[str], rounds: list[dict], docs: int, texts: int, share: int) -> None:
    """One table: each contender's medians over the rounds, and its steady-state ratio to naive."""
    naive_texts = len(range(0, texts, share))

    def docs_per_s(r: dict, kind: str) -> float:
        scale = texts / naive_texts if kind == "naive" else 1.0  # the naive run did every share-th text
        return docs / (r["steady_s"] * scale)

    print(f"\n== {label}: {docs} articles, {texts} texts ({naive_texts} for naive, scaled); "
          f"median of {len(rounds)} rounds (min-max) ==")
    print(f"{'contender':<24}{'once s':>8}{'steady s':>10}{'docs/s':>9}{'tok/s':>9}{'x naive':>9}{'(min-max)':>13}"
          f"{'peak MB':>9}  load")
    for kind in kinds:
        rows = [rd[kind] for rd in rounds]
        ratios = sorted(docs_per_s(rd[kind], kind) / docs_per_s(rd["naive"], "naive") for rd in rounds)
        med = sorted(rows, key=lambda r: docs_per_s(r, kind))[len(rows) // 2]
        name = {"naive": "naive (1 text/generate)", "transformers": "ringkas transformers",
                "ct2": "ringkas ct2 int8"}[kind]
        loads = "; ".join(f"{a:.1f}>{b:.1f}" for a, b in (r["load"] for r in rows))
        print(f"{name:<24}{statistics.median(r['once_s'] for r in rows):8.2f}{med['steady_s']:10.2f}"
              f"{docs_per_s(med, kind):9.3f}{med['tokens'] / med['steady_s']:9.1f}{statistics.median(ratios):9.1f}"
              f"{f'({ratios[0]:.1f}-{ratios[-1]:.1f})':>13}{max(r['peak_mb'] for r in rows):9.0f}  {loads}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20, help="IndoSum articles (20)")
    parser.add_argument("--new-tokens", type=int, default=24, help="cap of new tokens per text, EOS included (24)")
    parser.add_argument("--decodings", default="greedy,beam4", help="comma-separated: greedy, beam4 (both)")
    parser.add_argument("--backends", default="transformers,ct2", help="ringkas backends (transformers,ct2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of all contenders, taking turns (3)")
    parser.add_argument("--naive-share", type=int, default=10, help="the naive script runs every Nth text (10)")
    parser.add_argument("--threads", type=int, help="intra-op threads of every contender (default: their own)")
    args = parser.parse_args()
    if args.threads:  # the children inherit them: torch and CTranslate2 (through ringkas) read them
        os.environ["RINGKAS_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(args.threads)

    def log(msg: str) -> None:
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    docs = articles(args.docs)
    folder = capped_model(args.new_tokens, log)
    texts = requests(docs, folder)
    chars = sum(len(d["text"]) for d in docs)
    kinds = ["naive", *args.backends.split(",")]
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start; no GPU; "
          f"threads: {args.threads or 'each contender its default'}")
    print(f"{len(docs)} IndoSum dev articles ({chars} characters) -> {len(texts)} texts to translate; "
          f"model {folder.name}: opus-mt-id-en shapes, random weights, max_length {args.new_tokens + 1}")
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    source_tokens = statistics.mean(len(tok(t)["input_ids"]) for t in texts)
    with tempfile.TemporaryDirectory(prefix="ringkas-bench-") as name:
        tmp = Path(name)
        (tmp / "naive.py").write_text(NAIVE, encoding="utf-8")
        files = {"docs": tmp / "articles.jsonl", "probe": tmp / "probe.jsonl", "job": tmp / "job.json",
                 "probe_job": tmp / "probe-job.json"}
        files["docs"].write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
        files["probe"].write_text(json.dumps(PROBE) + "\n", encoding="utf-8")
        files["job"].write_text(json.dumps(texts[:: args.naive_share], ensure_ascii=False), encoding="utf-8")
        files["probe_job"].write_text(json.dumps([PROBE["text"]]), encoding="utf-8")
        for decoding in args.decodings.split(","):
            beams = 1 if decoding == "greedy" else int(decoding.removeprefix("beam"))
            rounds = []
            for n in range(args.rounds):
                log(f"{decoding}: round {n + 1} of {args.rounds}: {', '.join(kinds)} ...")
                t = time.perf_counter()
                rounds.append(one_round(kinds, beams, folder, tmp, files, n))
                log(f"  {time.perf_counter() - t:.0f} s")
            report(f"{decoding} (mean source {source_tokens:.1f} tokens)", kinds, rounds, len(docs), len(texts),
                   args.naive_share)
            print("\n".join(limits(beams, source_tokens, args.new_tokens - 1)))
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

"""Translation engine throughput IN ONE PROCESS (issue 7): naive transformers vs ringkas's engines.

These are the engines' figures, greedy, with a fixed number of tokens per sentence; what a user
gets from a whole `ringkas translate` process, greedy and beam 4, on real articles, is measured by
benchmarks/bench_translate_process.py.

Random-weight models with the REAL shapes are built locally (no download) and cached in
benchmarks/out/ (git-ignored), so reruns reuse them:
  marian  opus-mt-id-en: d_model 512, 6+6 layers, 8 heads, FFN 2048, vocabulary 54,796, tied
          embeddings, swish, scaled embeddings, 512 positions (as the real config);
  nllb    nllb-200-distilled-600M: d_model 1024, 12+12 layers, 16 heads, FFN 4096, vocabulary 256,206
          (optional, ``--models marian,nllb``: 2.4 GB of float32 and slow on 2 cores).
The tokenizer is a SentencePiece model trained on the samples (as tests/conftest.py does), its
vocabulary padded with filler pieces to the real size; the source sentences are the project's
samples, cut into documents and sentences by ringkas itself. Every sentence generates exactly
``--new-tokens`` tokens (min = max new tokens, greedy), so every contender does the same work.

Contenders, each in its own subprocess (so that import time, load time and peak RSS are its own):
  naive         one sentence per ``model.generate`` call, AutoModel/AutoTokenizer, default threads,
                no inference_mode: the way the model card's snippet is usually looped; it is slow, so
                it runs an evenly spaced subset of the same sentences (``--naive-sentences``, 16);
  batch32       the plain batched script: the same model.generate, 32 sentences per call in input
                order, padded, under inference_mode (the issue's "about 11x" reference point);
  transformers  ringkas: ``load_model(backend="transformers")`` + ``translate_articles`` over the
                articles (length-sorted batches under a token budget, inference_mode, threads set);
  ct2           ringkas: ``load_model(backend="ct2")`` on the int8 conversion made by
                ``ringkas.models.ct2.convert`` (CTranslate2's own converter).
Steady state: each contender translates a warm-up document first, then all documents, timed.
The contenders take turns for ``--rounds`` rounds (3): this machine's speed drifts by 20-40% from
minute to minute, so each figure is the median round, and "x naive" is the median of each round's
ratio to the naive run of the same round.
Each ringkas contender also checks that greedy output is the same batched and one at a time.
The machine is shared: each row shows the 1-minute load average when the contender started > ended.

The limit. FLOPs per generated token (one multiply-add = 2 FLOPs), for d = d_model, f = FFN
width, L_e / L_d encoder / decoder layers, V vocabulary, S mean source tokens, T generated tokens
per sentence, t the mean decoder position (T/2):
  decoder, per token:  L_d * 2 * (4 d^2   self-attention q, k, v, o
                                 + 2 d^2   cross-attention q, o
                                 + 2 d f)  feed-forward
                       + L_d * 4 d (t + S)  attention scores and weighted sums (self + cross)
                       + 2 d V              output projection (the largest single term for Marian)
  per sentence, shared by its T tokens:
                       S * L_e * (2 * (4 d^2 + 2 d f) + 4 d S)    encoder
                       + S * L_d * 2 * 2 d^2                      cross-attention keys and values
  FLOPs/token = decoder + (encoder + cross K/V) / T.
The machine's float32 rate is timed with torch matmuls: [32,512]x[512,2048] (a decoder step's
FFN at batch 32), [32,512]x[512,V] (the output projection) and a large [2048]^3; the limit in
tokens/s is the rate divided by FLOPs/token (realistic rate and best rate). int8 on CPU can go
past the float32 limit: CTranslate2 moves 4x fewer weight bytes and uses int8 dot products.

Run: .venv/bin/python benchmarks/bench_translate.py [--models marian,nllb] [--new-tokens 32]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
INPUTS = [*sorted(str(p) for p in (ROOT / "samples").glob("*.txt")), str(ROOT / "samples" / "pemprov-kalteng-banjir.html"),
          str(ROOT / "samples" / "archive.jsonl")]

SHAPES = {
    "marian": {"d_model": 512, "encoder_layers": 6, "decoder_layers": 6, "heads": 8, "ffn": 2048, "vocab": 54_796,
                   "positions": 512, "folder": "opus-mt-id-en-shape"},
    "nllb": {"d_model": 1024, "encoder_layers": 12, "decoder_layers": 12, "heads": 16, "ffn": 4096, "vocab": 256_206,
                 "positions": 1024, "folder": "nllb-200-distilled-600M-shape"},
}


# -- building the models ---------------------------------------------------------------------


def _corpus_lines() -> list[str]:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import _tiny_corpus  # the same text the test models' tokenizers learn from

    return _tiny_corpus()


def _sentencepiece(lines: list[str], **ids: int) -> bytes:
    """A unigram SentencePiece model as big as the text allows (the real vocabulary cannot be learnt)."""
    from conftest import _train_sentencepiece  # on sys.path since _corpus_lines()

    return _train_sentencepiece(lines, vocab_size=4000, **ids)


def build_marian(folder: Path) -> Path:
    """Random-weight MarianMT with opus-mt-id-en's shapes and config, and a MarianTokenizer padded to 54,796."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    s = SHAPES["marian"]
    proto = _sentencepiece(_corpus_lines(), eos_id=0, unk_id=1, pad_id=-1)
    from conftest import save_marian_tokenizer  # on sys.path since _corpus_lines()

    save_marian_tokenizer(folder, proto, model_max_length=512, vocab_size=s["vocab"])
    torch.manual_seed(0)
    pad = s["vocab"] - 1
    config = MarianConfig(
        vocab_size=s["vocab"], decoder_vocab_size=s["vocab"], d_model=s["d_model"],
        encoder_layers=s["encoder_layers"], decoder_layers=s["decoder_layers"],
        encoder_attention_heads=s["heads"], decoder_attention_heads=s["heads"],
        encoder_ffn_dim=s["ffn"], decoder_ffn_dim=s["ffn"], max_position_embeddings=s["positions"],
        activation_function="swish", scale_embedding=True, share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True, pad_token_id=pad, eos_token_id=0, decoder_start_token_id=pad,
        forced_eos_token_id=0,
    )
    model = MarianMTModel(config)
    # opus-mt's generation config: beam 4 and <pad> banned (every contender here asks for greedy).
    model.generation_config = GenerationConfig(
        num_beams=4, max_length=512, bad_words_ids=[[pad]], pad_token_id=pad, eos_token_id=0,
        decoder_start_token_id=pad, forced_eos_token_id=0,
    )
    model.save_pretrained(folder)
    return folder


def build_nllb(folder: Path) -> Path:
    """Random-weight M2M100 with nllb-200-distilled-600M's shapes; a BPE NllbTokenizer padded to 256,206."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    s = SHAPES["nllb"]
    folder.mkdir(parents=True, exist_ok=True)
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.Metaspace()
    bpe.train_from_iterator(_corpus_lines(), trainers.BpeTrainer(
        vocab_size=4000, special_tokens=["<s>", "<pad>", "</s>", "<unk>"], show_progress=False))
    learnt = json.loads(bpe.to_str())["model"]
    vocab = dict(learnt["vocab"])
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in learnt["merges"]]
    probe = NllbTokenizer(vocab=dict(vocab), merges=merges)
    extra = len(probe) - len(vocab)  # language codes and <mask>, added after the vocabulary
    for i in range(len(vocab), s["vocab"] - extra):
        vocab[f"<filler{i}>"] = i
    tokenizer = NllbTokenizer(vocab=vocab, merges=merges, model_max_length=1024)
    tokenizer.save_pretrained(folder)
    torch.manual_seed(0)
    config = M2M100Config(
        vocab_size=len(tokenizer), d_model=s["d_model"], encoder_layers=s["encoder_layers"],
        decoder_layers=s["decoder_layers"], encoder_attention_heads=s["heads"], decoder_attention_heads=s["heads"],
        encoder_ffn_dim=s["ffn"], decoder_ffn_dim=s["ffn"], max_position_embeddings=s["positions"],
        scale_embedding=True, pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
        activation_function="relu", tie_word_embeddings=True,
    )
    M2M100ForConditionalGeneration(config).save_pretrained(folder)
    return folder


def ensure_model(name: str, log) -> Path:
    """The cached real-shape model folder with its int8 CTranslate2 conversion, made on first use.

    The work runs in a child process: a process's peak RSS is inherited by the processes it starts,
    so building a model here would show up as every contender's peak memory.
    """
    log(f"{name}: model and int8 conversion (built once, in {OUT}) ...")
    subprocess.run([sys.executable, __file__, "--worker", "build", "--models", name], check=True)
    return OUT / SHAPES[name]["folder"]


def build_worker(name: str) -> None:
    """Build the random model (when absent) and its int8 conversion; logs to stderr."""
    folder = OUT / SHAPES[name]["folder"]
    if not ((folder / "config.json").is_file() and (folder / "model.safetensors").is_file()):
        t = time.perf_counter()
        (build_marian if name == "marian" else build_nllb)(folder)
        print(f"[bench]   built random {name} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    from ringkas.models.ct2 import convert

    convert(folder, quantization="int8")


# -- the work --------------------------------------------------------------------------------


def analyses(inputs: list[str]) -> list:
    """ringkas's model-free analysis (article, summary, quotes) of each input document."""
    from ringkas.run.pipeline import Analysis, Options, analyze
    from ringkas.io.sources import read_inputs

    out = [analyze(s, Options()) for s in read_inputs(inputs)]
    return [a for a in out if isinstance(a, Analysis)]


class Recorder:
    """A stand-in translator that records the texts ringkas asks a model for."""

    id = "recorder@0"

    def __init__(self, fits):
        self.fits, self.texts = fits, []

    def generate(self, texts):
        self.texts.extend(texts)
        return ["" for _ in texts]


class FixedLength:
    """A ringkas model that generates exactly ``n`` tokens per text (min = max new tokens)."""

    def __init__(self, model, n: int):
        self.model, self.n, self.id = model, n, model.id

    def fits(self, text: str) -> bool:
        return self.model.fits(text)

    def generate(self, texts):
        return self.model.generate(texts, max_new_tokens=self.n, min_new_tokens=self.n)


def requests_of(items: list, fits) -> list[str]:
    """The texts ringkas sends to a model whose input limit ``fits`` tells, for (article, summary, quotes) items."""
    from ringkas.models.translate import translate_articles

    recorder = Recorder(fits)
    translate_articles(items, recorder)
    return recorder.texts


def tokenizer_fits(model_dir: Path):
    """``fits`` by the folder's tokenizer (AutoTokenizer imports torch: not for the ct2 contender)."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    return lambda text: len(tok(text)["input_ids"]) <= 512


def _items(docs: list) -> list:
    return [(a.article, a.summary, a.quotes.quotes) for a in docs]


# -- contenders (each runs in its own process: `--worker NAME`) ------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(kind: str, model_dir: Path, new_tokens: int, limit: int | None, naive_sentences: int) -> dict:
    """Load one contender, warm it up, time it over the documents; a dict of figures."""
    load_start = os.getloadavg()[0]
    t0 = time.perf_counter()
    if kind == "ct2":
        import ctranslate2  # noqa: F401
        import transformers
    else:
        import torch
        import transformers  # noqa: F401
    import_s = time.perf_counter() - t0
    docs = analyses(INPUTS)
    warm, docs = docs[:1], docs[1:]
    model = None
    if kind in ("transformers", "ct2"):  # ringkas: the loaded model says what fits (and the ct2 process keeps torch out)
        from ringkas.models.loader import load_model

        t = time.perf_counter()
        model = load_model(model_dir, device="cpu", backend=kind, beams=1)  # greedy, as the naive side
        load_s = time.perf_counter() - t
    texts = requests_of(_items(docs), model.fits if model else tokenizer_fits(model_dir))
    if limit:
        texts = texts[:limit]
    total = len(texts)
    if kind == "naive" and 0 < naive_sentences < total:
        # One call per sentence costs the same for every sentence of a given length: an evenly
        # spaced subset of the same sentences measures its rate in a fraction of the time.
        texts = [texts[i * total // naive_sentences] for i in range(naive_sentences)]
    result = {"contender": kind, "import_s": import_s, "docs": len(docs), "sentences": len(texts),
              "total_sentences": total, "load_start": load_start}
    if kind in ("naive", "batch32"):
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        t = time.perf_counter()
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
        result["load_s"] = time.perf_counter() - t
        result["threads"] = torch.get_num_threads()
        src_lang = getattr(tokenizer, "src_lang", None)
        extra = {"forced_bos_token_id": tokenizer.convert_tokens_to_ids("eng_Latn")} if src_lang else {}
        per_call = 1 if kind == "naive" else 32

        def translate(sentences):
            out = []
            for i in range(0, len(sentences), per_call):
                inputs = tokenizer(sentences[i : i + per_call], return_tensors="pt", padding=True)
                with torch.inference_mode() if per_call > 1 else contextlib.nullcontext():
                    ids = model.generate(**inputs, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                                         num_beams=1, do_sample=False, **extra)
                out.extend(tokenizer.batch_decode(ids, skip_special_tokens=True))
            return out

        translate(requests_of(_items(warm), lambda _text: True)[:3])
        t = time.perf_counter()
        translate(texts)
        result["steady_s"] = time.perf_counter() - t
    else:
        from ringkas.models.translate import translate_articles

        result["load_s"] = load_s
        fixed = FixedLength(model, new_tokens)
        translate_articles(_items(warm), fixed)
        t = time.perf_counter()
        if limit:  # a subset: the same texts the naive run got, batched the ringkas way
            fixed.generate(texts)
        else:
            translate_articles(_items(docs), fixed)
        result["steady_s"] = time.perf_counter() - t
        probe = texts[:6]
        result["batched_equals_unbatched"] = fixed.generate(probe) == [fixed.generate([s])[0] for s in probe]
        result["token_budget"], result["max_batch"] = model.token_budget, model.max_batch
    result["tokens"] = len(texts) * new_tokens
    result["peak_rss_mb"] = _rss_mb()
    result["load_end"] = os.getloadavg()[0]
    result["torch_imported"] = "torch" in sys.modules
    return result


def flops_worker() -> dict:
    """Measured float32 matmul rates (FLOP/s) of torch on this machine, at three sizes."""
    import torch

    from ringkas.models.transformers_backend import configure_threads

    configure_threads()
    torch.manual_seed(0)
    rates = {}
    for label, (m, k, n), reps in (("step_ffn", (32, 512, 2048), 400), ("step_logits", (32, 512, 54_796), 20),
                                   ("big", (2048, 2048, 2048), 6)):
        a, b = torch.randn(m, k), torch.randn(k, n)
        with torch.inference_mode():
            for _ in range(3):
                a @ b
            t = time.perf_counter()
            for _ in range(reps):
                a @ b
            rates[label] = 2 * m * k * n * reps / (time.perf_counter() - t)
    rates["threads"] = torch.get_num_threads()
    return rates


def flops_per_token(shape: dict, src_tokens: float, new_tokens: int) -> float:
    """FLOPs per generated token, as the module docstring derives it."""
    d, f, le, ld, v = shape["d_model"], shape["ffn"], shape["encoder_layers"], shape["decoder_layers"], shape["vocab"]
    t_mean = new_tokens / 2
    decoder = ld * 2 * (4 * d * d + 2 * d * d + 2 * d * f) + ld * 4 * d * (t_mean + src_tokens) + 2 * d * v
    encoder = src_tokens * le * (2 * (4 * d * d + 2 * d * f) + 4 * d * src_tokens)
    cross_kv = src_tokens * ld * 2 * 2 * d * d
    return decoder + (encoder + cross_kv) / new_tokens


# -- the report ------------------------------------------------------------------------------


def run_worker(args: list[str]) -> dict:
    """Run ``--worker ...`` in a fresh interpreter and parse its JSON line."""
    done = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_model(name: str, args: argparse.Namespace, rates: dict, log) -> None:
    """Every contender on one model shape, side by side."""
    folder = ensure_model(name, log)
    limit = args.limit if args.limit is not None else (None if name == "marian" else 24)
    kinds = ("naive", "batch32", "transformers", "ct2")
    rounds = []  # this machine's speed drifts by 20-40% from minute to minute: contenders take turns
    for n in range(args.rounds):
        log(f"{name}: round {n + 1} of {args.rounds}: {', '.join(kinds)} ...")
        rounds.append({kind: run_worker(["--worker", kind, "--model-dir", str(folder), "--new-tokens",
                                         str(args.new_tokens), "--naive-sentences", str(args.naive_sentences),
                                         *(["--limit", str(limit)] if limit else [])]) for kind in kinds})
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    texts = requests_of(_items(analyses(INPUTS)[1:]), tokenizer_fits(folder))[: limit or None]
    src = statistics.mean(len(tok(t)["input_ids"]) for t in texts)
    fpt = flops_per_token(SHAPES[name], src, args.new_tokens)

    def tps(r: dict) -> float:
        return r["tokens"] / r["steady_s"]

    def speedup(kind: str) -> list[float]:
        """x naive in each round, against that round's naive run."""
        return sorted(tps(rd[kind]) / tps(rd["naive"]) for rd in rounds)

    naive = statistics.median(tps(rd["naive"]) for rd in rounds)
    first = rounds[0]["transformers"]
    print(f"\n== {name} (random weights, real shapes) - {first['sentences']} sentences of {first['docs']} "
          f"documents, {args.new_tokens} generated tokens each, mean source {src:.1f} tokens; "
          f"median of {args.rounds} rounds (min-max) ==")
    print(f"{'contender':<26}{'sent':>5}{'import s':>9}{'load s':>8}{'steady s':>9}{'tok/s':>9}{'(min-max)':>12}"
          f"{'docs/s':>8}{'x naive':>9}{'(min-max)':>12}{'peak MB':>9}  batched==unbatched")
    for kind in kinds:
        runs = sorted((rd[kind] for rd in rounds), key=tps)
        r = runs[len(runs) // 2]  # the median round's figures
        label = {"naive": "naive (1 sentence/call)", "batch32": "plain batch of 32", "transformers": "ringkas transformers",
                 "ct2": "ringkas ct2 int8"}[kind]
        same = {rd[kind].get("batched_equals_unbatched") for rd in rounds}
        sps = r["sentences"] / r["steady_s"]
        docs = f"{sps * r['docs'] / r['total_sentences']:8.3f}" if not limit else f"{'-':>8}"
        ups = speedup(kind)
        print(f"{label:<26}{r['sentences']:5d}{r['import_s']:9.2f}{r['load_s']:8.2f}{r['steady_s']:9.2f}{tps(r):9.1f}"
              f"{f'({tps(runs[0]):.0f}-{tps(runs[-1]):.0f})':>12}{docs}{statistics.median(ups):9.1f}"
              f"{f'({ups[0]:.1f}-{ups[-1]:.1f})':>12}{max(rd[kind]['peak_rss_mb'] for rd in rounds):9.0f}"
              f"  {'-' if same == {None} else all(same)}")
    print(f"FLOPs per generated token: {fpt / 1e6:.0f} M (formula in this file's docstring)")
    for label in ("step_ffn", "step_logits", "big"):
        lim = rates[label] / fpt
        print(f"  fp32 limit at the {label:<11} matmul rate {rates[label] / 1e9:6.1f} GFLOP/s: "
              f"{lim:7.1f} tok/s = {lim / naive:5.1f}x naive")
    t_peak = max(rd["transformers"]["peak_rss_mb"] for rd in rounds)
    c_peak = max(rd["ct2"]["peak_rss_mb"] for rd in rounds)
    print(f"targets: transformers >= 12x naive: {statistics.median(speedup('transformers')):.1f}x; "
          f"ct2 >= 30x naive: {statistics.median(speedup('ct2')):.1f}x; "
          f"ct2 peak <= half of transformers: {c_peak:.0f} / {t_peak:.0f} MB = {c_peak / t_peak:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="marian", help="comma-separated: marian, nllb (marian)")
    parser.add_argument("--new-tokens", type=int, default=32, help="generated tokens per sentence (32)")
    parser.add_argument("--limit", type=int, help="sentences per contender (default: all for marian, 24 for nllb)")
    parser.add_argument("--naive-sentences", type=int, default=16,
                        help="naive contender: an evenly spaced subset of this many of the sentences (16; 0: all)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of all contenders, taking turns; medians are reported (3)")
    parser.add_argument("--worker", choices=["naive", "batch32", "transformers", "ct2", "flops", "build"], help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "flops":
        print(json.dumps(flops_worker()))
        return
    if args.worker == "build":
        OUT.mkdir(parents=True, exist_ok=True)
        build_worker(args.models)
        return
    if args.worker:
        print(json.dumps(worker(args.worker, args.model_dir, args.new_tokens, args.limit, args.naive_sentences)))
        return

    def log(msg: str) -> None:
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start; "
          f"no GPU used")
    rates = run_worker(["--worker", "flops"])
    print(f"torch fp32 matmul ({rates['threads']} threads): " + ", ".join(
        f"{k} {v / 1e9:.1f} GFLOP/s" for k, v in rates.items() if k != "threads"))
    for name in args.models.split(","):
        bench_model(name.strip(), args, rates, log)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

"""The translation cache on an archive with syndicated copies: real opus-mt-id-en shapes, random weights.

An archive of 200 distinct releases (PFSA-ID's Kompas articles, first 3 paragraphs) and 100 copies
of them (another dateline and outlet, a paragraph changed, added or cut, or an exact copy), run as
whole `ringkas batch ARCHIVE.jsonl -o OUT --translator DIR --device cpu --workers 1 --beams 1`
processes:

- without the cache (--no-cache), and with an empty cache: expected speed-up = segments the model
  sees without the cache (repeats inside one chunk of 64 documents are translated once anyway)
  / distinct segments of the archive;
- the same archive again into a new output: every segment cached (target: >= 20x the first run);
- peak memory (max RSS) of each process;
- the cache's own time on an archive with no repeats at all (every lookup a miss), timed inside one
  process around every cache call (target: < 2% of the run).

The model is bench_translate.py's random opus-mt-id-en (built once into benchmarks/out); its
generation settings are cut to greedy without a length (random weights never stop, so ringkas's cap
of 1.5 x source + 10 tokens decides every output's length, as in bench_translate).

Run: .venv/bin/python benchmarks/bench_cache.py [--distinct 200 --copies 100 --no-repeats 100]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from syndication import archive, write_jsonl  # noqa: E402

ROOT = HERE.parent
OUT = HERE / "out"


def greedy_model() -> Path:
    """bench_translate's random opus-mt-id-en, with a generation config of greedy and no length."""
    source = OUT / "opus-mt-id-en-shape"
    if not (source / "model.safetensors").is_file():
        subprocess.run([sys.executable, str(HERE / "bench_translate.py"), "--worker", "build", "--models", "marian"],
                       check=True)
    folder = OUT / "opus-mt-id-en-shape-greedy"
    if not (folder / "model.safetensors").is_file():
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns("ct2-*"), dirs_exist_ok=True)
        config = json.loads((folder / "generation_config.json").read_text())
        for key in ("num_beams", "max_length"):
            config.pop(key, None)
        (folder / "generation_config.json").write_text(json.dumps(config, indent=2))
    return folder


def run(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) and stderr of one whole process, measured by a fresh wrapper."""
    wrapper = ("import resource, subprocess, sys, time\n"
               "t = time.perf_counter(); p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
               "w = time.perf_counter() - t\n"
               "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, p.returncode)\n"
               "sys.stderr.write(p.stderr)")
    done = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True)
    wall, rss, code = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(cmd)} exited {code}: {done.stderr[-2000:]}")
    return float(wall), float(rss), done.stderr


def model_segments(docs: list[dict], chunk: int = 64) -> tuple[int, int]:
    """(segments the model sees without the cache, distinct segments of the whole archive)."""
    from ringkas.io.sources import source_from_text
    from ringkas.models.translate import _plan_article, _Requests
    from ringkas.run.pipeline import Options, analyze

    options = Options(translate=False)
    done = [analyze(source_from_text(d["text"], d["id"], doc_id=d["id"]), options) for d in docs]
    per_chunk, everything = 0, _Requests([], {})
    for start in range(0, len(done), chunk):
        requests = _Requests([], {})
        for a in done[start:start + chunk]:
            _plan_article(a.article, a.summary, a.quotes.quotes, requests)
            _plan_article(a.article, a.summary, a.quotes.quotes, everything)
        per_chunk += len(requests.texts)
    return per_chunk, len(everything.texts)


def cache_share(model: Path, docs: list[dict]) -> dict:
    """Time inside every cache call against the whole run, in this process (every lookup a miss)."""
    from ringkas.io.sources import source_from_text
    from ringkas.models import cache
    from ringkas.run.pipeline import Options, Pipeline

    spent = [0.0]
    for name in ("lookup", "store", "recall", "remember", "model_row", "__init__"):
        original = getattr(cache.TranslationCache, name)

        def timed(*args, _original=original, **kwargs):
            t = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - t

        setattr(cache.TranslationCache, name, timed)
    path = Path(tempfile.mkdtemp()) / "c.sqlite3"
    started = time.perf_counter()
    pipeline = Pipeline(Options(translator=str(model), device="cpu", beams=1, cache_path=str(path)))
    records = list(pipeline.run(source_from_text(d["text"], d["id"], doc_id=d["id"]) for d in docs))
    total = time.perf_counter() - started
    return {"docs": len(records), "seconds": total, "cache_seconds": spent[0], "share": spent[0] / total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distinct", type=int, default=200)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--no-repeats", type=int, default=100)
    args = parser.parse_args()
    model = greedy_model()
    docs = archive(args.distinct, args.copies)
    work = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    path = write_jsonl(work / "archive.jsonl", docs)
    seen, distinct = model_segments(docs)
    print(f"archive: {len(docs)} documents ({args.distinct} releases + {args.copies} copies); segments the model "
          f"sees without the cache {seen}, distinct {distinct}: expected first-run speed-up {seen / distinct:.2f}x")
    base = [sys.executable, "-m", "ringkas", "-q", "batch", str(path), "--translator", str(model), "--device", "cpu",
            "--workers", "1", "--beams", "1"]
    env_cache = str(work / "cache.sqlite3")
    rows = {}
    rows["no cache"] = run([*base, "-o", str(work / "a.jsonl"), "--no-cache"])
    rows["first run, empty cache"] = run([*base, "-o", str(work / "b.jsonl"), "--cache", env_cache])
    rows["second run, new output"] = run([*base, "-o", str(work / "c.jsonl"), "--cache", env_cache])
    same = (work / "a.jsonl").read_bytes() == (work / "b.jsonl").read_bytes() == (work / "c.jsonl").read_bytes()
    for name, (wall, rss, _) in rows.items():
        print(f"  {name:24s} {wall:7.1f} s  peak RSS {rss:6.0f} MiB")
    t0, t1, t2 = (rows[k][0] for k in rows)
    print(f"first run with the cache: {t0 / t1:.2f}x faster than --no-cache (expected {seen / distinct:.2f}x); "
          f"second run: {t1 / t2:.1f}x faster than the first (target >= 20x); records identical: {same}")
    info = subprocess.run([sys.executable, "-m", "ringkas", "cache", "info", "--cache", env_cache], capture_output=True,
                          text=True, check=True).stdout
    print(info.rstrip())
    fresh = archive(args.no_repeats, 0, seed=1)
    fresh = [d for d in fresh]  # distinct releases only: every segment a miss
    share = cache_share(model, fresh)
    print(f"no repeats ({share['docs']} releases, in-process): run {share['seconds']:.1f} s, inside the cache "
          f"{share['cache_seconds'] * 1000:.0f} ms = {100 * share['share']:.2f}% (target < 2%)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("RINGKAS_THREADS", "2")
    main()

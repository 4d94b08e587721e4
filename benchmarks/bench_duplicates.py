"""Syndicated copies: how similar copies and other releases are (the default threshold), how much
memory the index takes per release at 10,000 and 100,000 releases, and a one-document start-up.

1. Similarity: the estimated Jaccard similarity (MinHash, 128 permutations, 5-word shingles) of
   tests/releases.py's copies and of its other releases of the same office, and on
   syndication.archive(): how many of its 100 copies are found, and how many of its 200 distinct
   releases are wrongly marked, at several thresholds.
2. Memory: ringkas.run.duplicates.DuplicateIndex over 10,000 and 100,000 distinct texts (sentences of
   PFSA-ID mixed), every text the first of its group (the worst case): bytes per release from
   tracemalloc, against datasketch's MinHashLSH with its in-memory storage.
3. Start-up: the modules a one-document `ringkas summarize --no-translate` imports (python -X
   importtime): none of datasketch, numpy, scipy, sqlite3, platformdirs, ringkas.run.duplicates.

Run: .venv/bin/python benchmarks/bench_duplicates.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
import syndication  # noqa: E402

PARAGRAPHS = 8  # a release's length in paragraphs: a portal's edit of one paragraph changes an eighth
HEAVY = ("datasketch", "numpy", "scipy", "sqlite3", "platformdirs", "ringkas.run.duplicates", "ringkas.models.cache")


def similarities() -> None:
    import numpy as np
    import releases

    import ringkas
    from ringkas.run.duplicates import NUM_PERM, shingles, signature

    def text(t: str) -> str:
        return ringkas.process(t, translate=False)["text"]

    base = text(releases.ORIGINAL)
    a = signature(base)
    print("tests/releases.py against the release (estimated / exact Jaccard of 5-word shingles):")
    for name, other in {**releases.COPIES, **releases.DIFFERENT}.items():
        b = signature(text(other))
        estimate = float((np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4")).sum()) / NUM_PERM
        s, t = shingles(base), shingles(text(other))
        print(f"  {name:50s} {estimate:5.2f} / {len(s & t) / len(s | t):5.2f}")
    docs = syndication.archive(paragraphs=PARAGRAPHS)
    texts = {d["id"]: d["text"] for d in docs}
    records = list(ringkas.process_many(docs, translate=False, duplicate_threshold=0.05))
    print(f"syndication.archive(paragraphs={PARAGRAPHS}): 200 releases, 100 copies")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        marked = list(ringkas.process_many(docs, translate=False, duplicate_threshold=threshold))
        copies = [r for r in marked if r["id"].startswith("salinan")]
        found = sum(r["duplicate_of"] == "rilis-" + r["id"].split("-of-")[1] for r in copies)
        wrong = [r for r in marked if r["id"].startswith("rilis") and r["duplicate_of"] is not None]
        same = sum(texts[r["id"]] == texts.get(r["duplicate_of"]) for r in wrong)
        print(f"  threshold {threshold:.1f}: copies found {found}/100, releases marked {len(wrong)}/200 "
              f"(of which the corpus holds twice, word for word: {same})")
    lowest = min((r["duplicate_similarity"] for r in records if r["id"].startswith("salinan")
                  and r["duplicate_of"]), default=None)
    highest = max((r["duplicate_similarity"] or 0 for r in records if r["id"].startswith("rilis")), default=0)
    print(f"  at 0.05: least similarity of a copy {lowest}%, most of a distinct release to an earlier one {highest}%")


def memory(sizes: list[int]) -> None:
    from ringkas.run.duplicates import DuplicateIndex, signature

    texts = syndication.sentence_mixes(max(sizes))
    started = time.perf_counter()
    sigs = [signature(t) for t in texts]
    per = (time.perf_counter() - started) / len(texts) * 1000
    print(f"signature: {per:.2f} ms a release ({len(texts)} texts of 12 sentences)")
    for n in sizes:
        tracemalloc.start()
        index = DuplicateIndex()
        started = time.perf_counter()
        marked = sum(index.add(f"id-{i:07d}", sigs[i]) is not None for i in range(n))
        seconds = time.perf_counter() - started
        size, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  {n:7d} releases: index {size / 2**20:6.1f} MiB = {size / n:5.0f} bytes a release "
              f"({marked} marked as copies), {seconds / n * 1e6:.0f} us a release")
    from datasketch import MinHash, MinHashLSH

    n = min(sizes)
    import numpy as np

    sketches = [MinHash(num_perm=128, hashvalues=np.frombuffer(s, "<u4"), scheme="affine32") for s in sigs[:n]]
    tracemalloc.start()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, m in enumerate(sketches):
        lsh.insert(i, m, check_duplication=False)
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  datasketch MinHashLSH (dict storage), {n} releases: {size / n:5.0f} bytes a release, "
          "signatures not counted")


def startup() -> None:
    sample = ROOT / "samples" / "kabupaten-tulungagung-posyandu.txt"
    cmd = [sys.executable, "-X", "importtime", "-m", "ringkas", "summarize", "--no-translate", str(sample)]
    err = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT,
                         env={"RINGKAS_MODELS": "/nonexistent", "PATH": "/usr/bin"}).stderr
    modules = [line.split("|")[2].strip() for line in err.splitlines() if line.startswith("import time:")][1:]
    heavy = sorted(set(HEAVY) & set(modules))
    print(f"one-document summarize --no-translate: {len(modules)} modules imported; of {', '.join(HEAVY)}: "
          f"{heavy or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    similarities()
    memory(args.sizes)
    startup()


if __name__ == "__main__":
    main()

"""Fit the extractive summary's sentence weights on IndoSum dev; write src/ringkas/data/summary_weights.txt.

Usage: python benchmarks/train_summary.py [DEV.jsonl] [--dry-run]
(needs numpy and the eval extra: pip install -e '.[eval]'; about three minutes on two cores)

1. Every article is read as ringkas reads a release (``build_article``) and each sentence gets
   the features the product computes (``ringkas.summary.extractive.sentence_features``).
2. The label of an article is its oracle: the three sentences whose summary scores the best
   ROUGE-1 F1 against the reference (exact search; benchmarks/indosum.py).
3. The weights are a listwise linear model: per article, a softmax over its candidate sentences
   is fitted to the oracle's share of them (L2-regularised, Adam, full batch, deterministic).
4. One article in five (a hash of its id) is held out. The weights are fitted on the other four
   for each setting of the grid (L2 strength; how often a first word must occur to get a weight),
   and the setting whose summaries, picked exactly as the product picks them, score the best mean
   ROUGE-1 F1 on the held-out articles is the one written. Nothing held out is fitted on.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from indosum import DEFAULT, Doc, oracle, read_docs
from rouge_score import rouge_scorer

from ringkas.summary.extractive import sentence_features, summarize_extractive

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "src" / "ringkas" / "data" / "summary_weights.txt"
L2_GRID = (1e-3, 1e-2)
FIRST_WORD_MIN_GRID = (15, 40)
STEPS, LEARNING_RATE = 400, 0.05
_PLAIN_WORD = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")  # a first word the weights file can hold as a name

HEADER = """\
# Sentence weights of ringkas's extractive summary (ringkas.summary.extractive): one "FEATURE WEIGHT"
# a line. Fitted on IndoSum dev (Kurniawan & Louvan 2018, development folds 2-5; CC BY-SA 4.0) by
# `python benchmarks/train_summary.py`, {n_fit} articles fitted, {n_held} held out;
# chosen setting: L2 {l2:g}, first words seen at least {min_count} times.
# Derived from CC BY-SA 4.0 data: these weights are shared under CC BY-SA 4.0.
"""


def feature_rows(docs: list[Doc]) -> list[tuple[list[dict[str, float]], np.ndarray]]:
    """Per article: the feature values of its candidate sentences, and the oracle's share of them."""
    rows = []
    for doc in docs:
        feats = sentence_features(doc.article)
        chosen = set(oracle(doc))
        keep = [i for i, f in enumerate(feats) if f.candidate]
        target = np.array([1.0 if i in chosen else 0.0 for i in keep])
        if target.sum() > 0:
            rows.append(([dict(feats[i].values) for i in keep], target / target.sum()))
    return rows


def first_words(rows: list[tuple[list[dict[str, float]], np.ndarray]], min_count: int) -> set[str]:
    """Feature names of the first words seen at least ``min_count`` times among the candidates."""
    counts = Counter(name for values, _ in rows for v in values for name in v if name.startswith("first_"))
    return {name for name, c in counts.items() if c >= min_count and _PLAIN_WORD.match(name[len("first_"):])}


def fit(rows: list[tuple[list[dict[str, float]], np.ndarray]], l2: float, min_count: int) -> dict[str, float]:
    """Listwise softmax weights over the features, with L2 regularisation; a name -> weight dict."""
    words = first_words(rows, min_count)
    names = sorted({n for values, _ in rows for v in values for n in v if not n.startswith("first_") or n in words})
    index = {n: j for j, n in enumerate(names)}
    sizes = np.array([len(values) for values, _ in rows])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    x = np.zeros((sizes.sum(), len(names)))
    row = 0
    for values, _ in rows:
        for v in values:
            for n, value in v.items():
                if n in index:
                    x[row, index[n]] = value
            row += 1
    target = np.concatenate([t for _, t in rows])
    doc_of_row = np.repeat(np.arange(len(rows)), sizes)
    w = np.zeros(len(names))
    m, s = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, STEPS + 1):
        z = x @ w
        z -= np.maximum.reduceat(z, starts)[doc_of_row]
        e = np.exp(z)
        p = e / np.add.reduceat(e, starts)[doc_of_row]
        grad = x.T @ (p - target) / len(rows) + l2 * w
        m = 0.9 * m + 0.1 * grad
        s = 0.999 * s + 0.001 * grad * grad
        w -= LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(s / (1 - 0.999**step)) + 1e-8)
    return {n: float(v) for n, v in zip(names, w, strict=True)}


def mean_rouge1(docs: list[Doc], weights: dict[str, float]) -> float:
    """Mean ROUGE-1 F1 of the product's summaries (default sentences) under ``weights``."""
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=False)
    scores = [scorer.score(d.reference, summarize_extractive(d.article, weights=weights).text)["rouge1"].fmeasure
              for d in docs]
    return 100 * float(np.mean(scores))


def write_weights(weights: dict[str, float], header: str) -> None:
    """The weights file: the header, then the features by name (those that round to zero left out)."""
    lines = [f"{n} {v:.4f}" for n, v in sorted(weights.items()) if round(v, 4) != 0]
    WEIGHTS_FILE.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    """Fit, choose the setting on the held-out articles, write the weights file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--dry-run", action="store_true", help="Report the grid; do not write the file.")
    args = parser.parse_args(argv)
    docs = read_docs(args.data)
    fitted = [d for d in docs if not d.held_out]
    held = [d for d in docs if d.held_out]
    print(f"{len(docs)} articles: {len(fitted)} to fit, {len(held)} held out", file=sys.stderr)
    rows = feature_rows(fitted)
    best: tuple[float, float, int, dict[str, float]] | None = None
    for l2 in L2_GRID:
        for min_count in FIRST_WORD_MIN_GRID:
            weights = fit(rows, l2, min_count)
            r1 = mean_rouge1(held, weights)
            print(f"L2 {l2:g}, first words >= {min_count}: held-out ROUGE-1 F1 {r1:.2f} ({len(weights)} weights)")
            if best is None or r1 > best[0]:
                best = (r1, l2, min_count, weights)
    assert best is not None
    r1, l2, min_count, weights = best
    print(f"chosen: L2 {l2:g}, first words >= {min_count} (held-out ROUGE-1 F1 {r1:.2f})")
    if not args.dry_run:
        write_weights(weights, HEADER.format(n_fit=len(fitted), n_held=len(held), l2=l2, min_count=min_count))
        print(f"wrote {WEIGHTS_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

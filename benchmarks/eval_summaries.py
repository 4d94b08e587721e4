"""ROUGE of lead-3, ringkas's extractive summary and the 3-sentence oracle on IndoSum dev, in one run.

Usage: python benchmarks/eval_summaries.py [DEV.jsonl] [--sentences N]
(needs numpy and the eval extra: pip install -e '.[eval]'; about half a minute on two cores)

All three pick sentences of the same cleaned article (``build_article``, as ``ringkas summarize``
reads a release): lead-N its first N, ringkas what ``summarize_extractive`` picks (the summary
`ringkas summarize` writes), the oracle the N whose text has the best ROUGE-1 F1 against the
reference (exact search). Scored as IndoNLG scores IndoSum: Google's rouge-score, default
tokenizer, no stemming, F1 averaged over articles. Reported on the held-out fifth of the articles
(benchmarks/indosum.py: a hash of the id; never fitted on by benchmarks/train_summary.py) and on all.
For any other data, and for model summaries, use `ringkas eval summaries DATA.jsonl`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from indosum import DEFAULT, oracle, read_docs, sentences_text
from rouge_score import rouge_scorer

from ringkas.summary.extractive import summarize_extractive

TYPES = ("rouge1", "rouge2", "rougeL")


def main(argv: list[str]) -> int:
    """Score the three systems and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--sentences", type=int, default=3)
    args = parser.parse_args(argv)
    k = args.sentences
    docs = read_docs(args.data)
    scorer = rouge_scorer.RougeScorer(list(TYPES), use_stemmer=False)
    systems = {
        f"lead-{k}": lambda d: sentences_text(d.article, list(range(min(k, len(d.article.sentences))))),
        "ringkas": lambda d: summarize_extractive(d.article, k).text,
        f"oracle-{k}": lambda d: sentences_text(d.article, oracle(d, k)),
    }
    scores: dict[str, np.ndarray] = {}
    for name, make in systems.items():
        scores[name] = np.array([[scorer.score(d.reference, make(d))[t].fmeasure for t in TYPES] for d in docs]) * 100
    held = np.array([d.held_out for d in docs])
    parts: list[tuple[str, np.ndarray]] = [(f"held-out ({held.sum()})", held), (f"all ({len(docs)})", np.ones_like(held))]
    print(f"{'articles':<16}{'system':<11}{'R-1':>7}{'R-2':>7}{'R-L':>7}")
    for label, mask in parts:
        for name, rows in scores.items():
            r1, r2, rl = rows[mask].mean(0)
            print(f"{label:<16}{name:<11}{r1:7.2f}{r2:7.2f}{rl:7.2f}")
    gain = scores["ringkas"] - scores[f"lead-{k}"]
    for label, mask in parts:
        print(f"ringkas - lead-{k}, {label}: " + ", ".join(f"{t} {g:+.2f}" for t, g in zip(TYPES, gain[mask].mean(0), strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Score ringkas's quote extractor on a PFSA-ID file: direct-quote P/R/F1 and speaker accuracy.

Usage: python benchmarks/eval_pfsa.py [PATH] [--errors N]
PATH defaults to ../shared/data/pfsa-id/dev.txt (relative to the project root). The articles are
rebuilt as readable text, split into sentences by ``ringkas.sentences`` (the splitter the
product uses) and given to ``ringkas.quotes.find_quotes``; the scoring rules are documented in
``ringkas/pfsa.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ringkas.pfsa import read_pfsa, score
from ringkas.quotes import find_quotes
from ringkas.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "pfsa-id" / "dev.txt"


def extract(text, paragraphs):
    """The product's path: sentences from the shared splitter, then find_quotes."""
    return find_quotes(text, split_sentences(text, list(paragraphs)), paragraphs)


def main(argv: list[str] | None = None) -> int:
    """Print the scores of one PFSA-ID file."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--errors", type=int, default=0, help="print up to N mistakes")
    args = ap.parse_args(argv)
    articles = read_pfsa(args.path)
    t0 = time.perf_counter()
    s = score(articles, extract, max_errors=args.errors)
    elapsed = time.perf_counter() - t0
    for line in s.errors:
        print(line)
    print(f"articles {len(articles)}  gold statements {s.gold}  predicted {s.predicted}  matched {s.matched}")
    print(f"direct quotes  P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}")
    print(f"speaker accuracy {s.speaker_accuracy:.3f}  ({s.speaker_right}/{s.speaker_checked})")
    print(f"time {elapsed:.2f} s ({elapsed / max(1, len(articles)) * 1000:.2f} ms/article incl. splitting)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Score ringkas's quote extractor on a PFSA-ID file: direct-quote P/R/F1 and speaker accuracy.

Usage: python benchmarks/eval_pfsa.py [PATH] [--errors N]   (the same as `ringkas eval pfsa PATH`)
PATH defaults to ../shared/data/pfsa-id/dev.txt (relative to the project root). The articles are
rebuilt as readable text, split into sentences by ``ringkas.text.sentences`` (the splitter the
product uses) and given to ``ringkas.quotes.find_quotes``; the scoring rules are documented in
``ringkas/pfsa.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ringkas.cli import main

# The team's copy of the corpus lives next to the checkout, never in the project.
DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "pfsa-id" / "dev.txt"

if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        args = [str(DEFAULT), *args]
    main(["eval", "pfsa", *args])

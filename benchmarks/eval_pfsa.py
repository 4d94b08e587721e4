"""Score ringkas's quote extractor on a PFSA-ID file: direct-quote P/R/F1 and speaker accuracy.

Usage: python benchmarks/eval_pfsa.py [PATH] [--errors N]   (the same as `ringkas eval pfsa`)
PATH defaults to ../shared/data/pfsa-id/dev.txt (relative to the project root). The articles are
rebuilt as readable text, split into sentences by ``ringkas.text.sentences`` (the splitter the
product uses) and given to ``ringkas.quotes.find_quotes``; the scoring rules are documented in
``ringkas/pfsa.py``.
"""

from __future__ import annotations

import sys

from ringkas.cli.main import main

if __name__ == "__main__":
    sys.exit(main(["eval", "pfsa", *sys.argv[1:]]))

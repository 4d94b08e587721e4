"""Language data (word lists and phrase lists) kept as text files apart from the logic.

Each file under ``ringkas/data/`` holds one entry a line; ``#`` starts a comment. Loading is
cached, so a module may call these at import time for its compiled constants.
"""

from __future__ import annotations

import functools
import os

# A plain path, not importlib.resources: its import (zipfile and friends) costs more start-up
# time than every list together, and the data files always sit beside this module.
_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


@functools.cache
def load_list(name: str) -> tuple[str, ...]:
    """Entries of ``data/NAME.txt`` in file order, comments and blank lines dropped."""
    with open(os.path.join(_DATA, f"{name}.txt"), encoding="utf-8") as fh:
        raw = fh.read()
    entries = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("\\#") else line.strip()[1:]
        if line:
            entries.append(line)
    return tuple(entries)


def load_set(name: str, *, lower: bool = False) -> frozenset[str]:
    """Entries of ``data/NAME.txt`` as a set (lower-cased when asked)."""
    items = load_list(name)
    return frozenset(i.lower() for i in items) if lower else frozenset(items)

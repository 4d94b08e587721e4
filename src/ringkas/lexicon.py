"""Language data (word lists and phrase lists) kept as text files apart from the logic.

Each file under ``ringkas/data/`` holds one entry a line; ``#`` starts a comment. Loading is
cached, so a module may call these at import time for its compiled constants.
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def load_list(name: str) -> tuple[str, ...]:
    """Entries of ``data/NAME.txt`` in file order, comments and blank lines dropped."""
    raw = resources.files("ringkas").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
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

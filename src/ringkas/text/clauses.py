"""Cutting a sentence that is too long for a model into pieces that fit, at clause boundaries.

Written by hand: sentence splitters stop at the sentence, and no library knows where an
Indonesian sentence may be cut into clauses. The cut prefers, in order, a semicolon or colon, a
comma, a clause-opening word (data/clause_split_words.txt), any space, and only for a single
"word" longer than the limit (a URL, a table row) any character. Nothing is ever dropped but the
whitespace at a cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ringkas.lexicon import load_list
from ringkas.types import Span

_CLAUSE_WORDS = "|".join(re.escape(w) for w in load_list("clause_split_words"))
# Each tier yields cut positions (a piece ends there, the next starts after the whitespace).
_TIERS = (
    re.compile(r"[;:](?=\s)"),  # cut after the mark
    re.compile(r",(?=\s)"),
    re.compile(rf"\s(?=(?:{_CLAUSE_WORDS})\b)", re.IGNORECASE),  # cut before the word
    re.compile(r"\s"),
)


def _cut_points(text: str, tier: re.Pattern[str]) -> list[int]:
    """Positions where a piece may end, for one tier of cut marks, inside the text."""
    points = []
    for m in tier.finditer(text):
        cut = m.end() if not m.group().isspace() else m.start()
        if 0 < cut < len(text.rstrip()):
            points.append(cut)
    return points


def _trim(text: str, start: int, end: int) -> Span | None:
    """The span with surrounding whitespace removed, or None when only whitespace remains."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_to_fit(text: str, fits: Callable[[str], bool]) -> list[Span]:
    """Spans of ``text`` in order, each passing ``fits``, cut at the strongest clause boundary."""
    whole = _trim(text, 0, len(text))
    if whole is None:
        return []
    return _split(text, whole, fits)


def _split(text: str, span: Span, fits: Callable[[str], bool]) -> list[Span]:
    start, end = span
    piece = text[start:end]
    if fits(piece) or end - start <= 1:
        return [span]
    middle = (end - start) / 2
    for tier in _TIERS:
        points = _cut_points(piece, tier)
        if points:
            # The cut nearest the middle keeps the recursion shallow and the pieces balanced.
            cut = min(points, key=lambda p: abs(p - middle))
            break
    else:
        cut = (end - start) // 2
    pieces = []
    for part in (_trim(text, start, start + cut), _trim(text, start + cut, end)):
        if part is not None:
            pieces.extend(_split(text, part, fits))
    return pieces

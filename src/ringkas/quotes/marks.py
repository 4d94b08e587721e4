"""Pairing the double quote marks of a release into quotes, as regional writers type them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ringkas.types import Span

MARKS = re.compile(r"[“”\"«»„‟]")
OPENERS = frozenset("“«„‟")


@dataclass(frozen=True)
class QuotePair:
    open: int  # offset of the opening mark
    close: int  # offset of the closing mark
    para_end: int  # end of the paragraph where the quote closes



def pair_marks(text: str, paragraphs: Sequence[Span]) -> tuple[list[QuotePair], list[str]]:
    """Pair double quote marks paragraph by paragraph; a quote may run over paragraphs."""
    pairs: list[QuotePair] = []
    unbalanced: list[int] = []
    open_at: int | None = None
    for pi, (p_start, p_end) in enumerate(paragraphs):
        marks = [m.start() for m in MARKS.finditer(text, p_start, p_end)]
        skip_first = open_at is not None  # a continued quote re-opens with a mark here
        for k, i in enumerate(marks):
            if skip_first and k == 0:
                continue
            ch = text[i]
            before = text[i - 1] if i > p_start else " "
            after = text[i + 1] if i + 1 < p_end else " "
            if open_at is None:
                looks_closing = (
                    not before.isspace() and before not in "([—-" and (after.isspace() or after in ",.;:)")
                )
                if ch == "»" or (ch not in OPENERS and looks_closing and i > p_start):
                    unbalanced.append(i)
                    continue
                open_at = i
            elif ch in OPENERS and not after.isspace() and before.isspace() and not _closes_anyway(text, i):
                unbalanced.append(open_at)
                open_at = i
            else:
                pairs.append(QuotePair(open_at, i, p_end))
                open_at = None
        if open_at is not None:
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            if nxt is None or not MARKS.match(text, nxt[0]):
                unbalanced.append(open_at)
                open_at = None
    return pairs, _unbalanced_warnings(unbalanced)


def _closes_anyway(text: str, i: int) -> bool:
    """An opening mark typed to close: "… secepatnya, “kata Bupati" (punctuation before, a lower-case
    cue after)."""
    before = text[:i].rstrip()[-1:]
    return before in (",", ".", "!", "?", "…") and text[i + 1 : i + 2].islower()


_MAX_MARK_WARNINGS = 5


def _unbalanced_warnings(offsets: list[int]) -> list[str]:
    """One warning per unbalanced mark, or one line for them all when there are many (a mangled file)."""
    if len(offsets) <= _MAX_MARK_WARNINGS:
        return [f"unbalanced quote mark at offset {i}: no quote extracted" for i in offsets]
    first = ", ".join(str(i) for i in offsets[:_MAX_MARK_WARNINGS])
    return [f"{len(offsets)} unbalanced quote marks (at offsets {first}, ...): no quote extracted there"]


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
    """Pair double quote marks paragraph by paragraph; a quote may run over paragraphs.

    An opening mark inside an open quote opens a nested one (a title or a name quoted inside the
    speech: “… RI “Bambang”, dan “Ronald” sebagai narasumber,” ujar Erwin). When the outer quote
    closes, the nested pairs are part of it; when it never closes, the outer mark was a typo and
    the nested pairs are quotes of their own.
    """
    pairs: list[QuotePair] = []
    unbalanced: list[int] = []
    stack: list[int] = []  # open marks, outermost first
    nested: list[QuotePair] = []  # pairs closed inside the outermost open quote
    for pi, (p_start, p_end) in enumerate(paragraphs):
        marks = [m.start() for m in MARKS.finditer(text, p_start, p_end)]
        skip_first = bool(stack)  # a continued quote re-opens with a mark here
        for k, i in enumerate(marks):
            if skip_first and k == 0:
                continue
            ch = text[i]
            before = text[i - 1] if i > p_start else " "
            after = text[i + 1] if i + 1 < p_end else " "
            if not stack:
                looks_closing = (
                    not before.isspace() and before not in "([—-" and (after.isspace() or after in ",.;:)")
                )
                if ch == "»" or (ch not in OPENERS and looks_closing and i > p_start):
                    unbalanced.append(i)
                    continue
                stack.append(i)
            elif ch in OPENERS and not after.isspace() and before.isspace() and not _closes_anyway(text, i):
                stack.append(i)
            elif len(stack) > 1:
                nested.append(QuotePair(stack.pop(), i, p_end))
            else:
                pairs.append(QuotePair(stack.pop(), i, p_end))
                nested = []
        if stack:
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            if len(stack) > 1 or nxt is None or not MARKS.match(text, nxt[0]):
                unbalanced.extend(stack)
                pairs.extend(nested)  # the outer mark was a typo: what closed inside it stands alone
                stack, nested = [], []
    pairs.sort(key=lambda p: p.open)
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


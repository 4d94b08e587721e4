"""An Indonesian sentence splitter that keeps character offsets.

Written by hand because the general splitters (pysbd, nltk punkt, spaCy's sentencizer) either
have no Indonesian model or split at the abbreviations Indonesian releases are full of
(H., Hj., Kab., Jl., Rp., S.H.) and detach a closing quote mark from the sentence it closes.
The abbreviations live in data/sentence_abbreviations.txt.
"""

from __future__ import annotations

import re

from ringkas.lexicon import load_set
from ringkas.types import Span

_ABBREVIATIONS = load_set("sentence_abbreviations")
_ABBREVIATIONS_LOWER = frozenset(a.lower() for a in _ABBREVIATIONS if a[:1].isupper())

# Terminal punctuation, then any closing marks glued to it, then the whitespace before the next
# sentence. A closing quote that follows the stop belongs to the sentence it closes.
_BOUNDARY = re.compile(r"(?:[.!?]+|…)[”\"’'»)\]]*(\s+)")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
# A token made of short dotted segments ("S.Sos.", "a.n.", "M.Kom.") is an abbreviation.
_DOTTED = re.compile(r"^(?:[A-Za-z]{1,4}\.)+[A-Za-z]{0,4}$")
_OPENERS = "“\"”‘'(["


def split_paragraphs(text: str) -> list[Span]:
    """Spans of the paragraphs of ``text`` (separated by blank lines), whitespace trimmed."""
    spans: list[Span] = []
    start = 0
    for m in _PARAGRAPH.finditer(text):
        _append_trimmed(text, start, m.start(), spans)
        start = m.end()
    _append_trimmed(text, start, len(text), spans)
    return spans


def split_sentences(text: str, paragraphs: list[Span] | None = None) -> list[Span]:
    """Spans of the sentences of ``text``; a sentence never crosses a paragraph break."""
    spans: list[Span] = []
    for p_start, p_end in paragraphs if paragraphs is not None else split_paragraphs(text):
        start = p_start
        for m in _BOUNDARY.finditer(text, p_start, p_end):
            if m.end() >= p_end:
                break
            if _ends_sentence(text, p_start, m):
                _append_trimmed(text, start, m.start(1), spans)
                start = m.end()
        _append_trimmed(text, start, p_end, spans)
    return spans


def _ends_sentence(text: str, p_start: int, m: re.Match[str]) -> bool:
    """Whether the punctuation matched by ``m`` closes a sentence."""
    nxt = text[m.end()]
    # Indonesian sentences start with a capital, a digit or an opening mark; a lower-case word
    # after the stop means the stop belonged to an abbreviation or an ellipsis mid-sentence.
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    punct = text[m.start() : m.start(1)]
    if not punct.startswith(".") or punct.startswith(".."):
        return True
    word_start = max(text.rfind(" ", p_start, m.start()), text.rfind("\n", p_start, m.start())) + 1
    word = text[word_start : m.start()].lstrip("(“\"”‘'[")
    if not word:
        return True
    token = word + "."
    if token in _ABBREVIATIONS or token.lower() in _ABBREVIATIONS_LOWER and not word.isupper():
        return False
    # An initial ("A. Baron", "Muhammad S. Ali") is a single capital letter.
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False
    return not _DOTTED.match(word)


def _append_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    """Append ``(start, end)`` with surrounding whitespace removed, unless it is empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))

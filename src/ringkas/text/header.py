"""The top of a copied page: the headline (often printed twice), kickers, a subtitle, a teaser
quote, all above the paragraph that opens the release, which is where the dateline stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ringkas.text.dateline import Dateline, find_dateline

_HEADLINE_MAX_WORDS = 25
# The dateline is looked for in the first paragraphs only, and not past the first long one:
# release prose comes before any later "Town –" shape.
_DATELINE_WITHIN = 8
_PROSE_WORDS = 30


@dataclass(frozen=True)
class Header:
    """The title, the dateline, and the paragraphs of the release from its first one on."""

    title: str | None
    dateline: Dateline | None
    paragraphs: tuple[str, ...]
    removed: int


def is_headline(paragraph: str) -> bool:
    """Short, one line, capitalised, and not closed like a sentence."""
    words = paragraph.split()
    if not 3 <= len(words) <= _HEADLINE_MAX_WORDS or "\n" in paragraph:
        return False
    if paragraph.rstrip().endswith((".", ",", ";", ":", "”", '"')):
        return False
    return paragraph[0].isupper() or paragraph[0].isdigit() or paragraph[0] in "“\"'‘"


def _is_kicker(paragraph: str) -> bool:
    return 1 <= len(paragraph.split()) <= 3 and not paragraph.rstrip().endswith((".", "!", "?", "”", '"', ","))


def split_header(paragraphs: Sequence[str], title: str | None = None) -> Header:
    """Find where the release begins; what is above it is page (the headline becomes the title)."""
    start, dateline = 0, None
    past_prose = False
    for k, paragraph in enumerate(paragraphs[:_DATELINE_WITHIN]):
        found = find_dateline(paragraph)
        # after a long paragraph (a caption, a summary, a pull quote) only a dateline that names its
        # outlet is trusted: "LOCUSONLINE, GARUT – ..." three paragraphs down
        if found is not None and (not past_prose or (found.outlet and paragraph[:1].isupper() and found.end > 8)):
            start, dateline = k, found
            break
        past_prose = past_prose or len(paragraph.split()) >= _PROSE_WORDS
    if dateline is None:
        # headlines, and kickers or category labels of a word or two ("Giat DLH")
        while start < min(len(paragraphs) - 1, 4) and (is_headline(paragraphs[start]) or _is_kicker(paragraphs[start])):
            start += 1
    header, body = list(paragraphs[:start]), list(paragraphs[start:])
    if dateline is not None and dateline.alone and len(body) > 1:
        body[:2] = [f"{body[0]} {body[1]}"]  # "NUNUKAN, Kaltaraku" + the text on the next line
    if title is None:
        candidates = [p for p in header if is_headline(p)]
        title = max(candidates, key=lambda p: len(p.split())) if candidates else None
    removed = len(header)
    if title is not None:
        key = title.casefold().strip()
        kept = [p for p in body if p.casefold().strip() != key]
        removed += len(body) - len(kept)
        body = kept
    return Header(title, dateline, tuple(body), removed)

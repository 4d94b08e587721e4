"""Page furniture: the lines a web page puts around a release, told apart from the release's own.

The rules are data (``data/furniture_*.txt``, ``data/caption_patterns.txt``); this module applies
them to the original lines, in order, with the little state a page needs: where the release has
begun, whether a list of links is running, which lines were seen already. Written by hand because
main-text extractors (trafilatura, readability) work on HTML structure, and releases reach ringkas
as text copied off the page, where only the shape of a line is left to go by.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ringkas.lexicon import load_list


def _whole_lines(name: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load_list(name)), re.IGNORECASE)


_LINES = _whole_lines("furniture_lines")
_TAILS = _whole_lines("furniture_tails")
_SECTIONS = _whole_lines("furniture_sections")
_IMAGES = _whole_lines("furniture_images")
_CAPTIONS = [re.compile(p) for p in load_list("caption_patterns")]

# A real sentence can start like a prompt ("Bagikan bantuan ..."); prompts are short.
_MAX_FURNITURE_WORDS = 25
_MAX_CAPTION_WORDS = 60
# A category crumb run together by the copy ("DaerahBeritaUTAMA", "NewsPolitik").
_CRUMB = re.compile(r"(?:[A-Z][a-z]+){2,}[A-Z]*|(?:[A-Z][a-z]+)+[A-Z]{2,}")
# A link to another article inside a paragraph: "... (Baca: Tim Motoris Siap Antar BBM) ..."
_INLINE_LINK = re.compile(r"\s*\((?:baca|simak|lihat)(?:\s+juga)?\s*:[^()]{3,160}\)", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_QUOTE_MARKS = re.compile(r"[“”\"«»„]")
# What a date-and-time strip is made of: "Senin, 01 Desember 2025 | 02:29", "23 - Mei - 2022 |
# 17:00 | kategori:Headline", "Admin dlh | 24 Februari 2020 | 261 kali". A set of words and one
# small pattern, not an alternation of words: a large case-insensitive pattern costs start-up.
_STRIP_WORDS = frozenset(
    [
        "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "jum’at", "sabtu", "minggu", "ahad", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "januari", "februari", "maret",
        "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember", "jan",
        "feb", "mar", "apr", "jun", "jul", "agu", "agt", "aug", "sep", "okt", "oct", "nov", "des", "dec",
        "january", "february", "march", "may", "june", "july", "august", "october", "december", "wib", "wita",
        "wit", "pukul", "kali", "view", "views", "dilihat", "dibaca", "admin", "oleh", "by", "update",
        "updated", "diperbarui", "published", "posted", "on", "at",
    ]
)
_STRIP_TOKEN = re.compile(r"(?:www\.)?[\w-]+(?:\.[A-Za-z]{2,6})+|kategori\s*:\s*\w+|[^\W\d_][\w'’]*", re.IGNORECASE)
_STRIP_NEEDS = re.compile(r"\d{1,2}:\d{2}|\b\d{4}\b")


@dataclass(frozen=True)
class Stripped:
    """The release's lines ("" between paragraphs), the captions taken out, and how many lines went.

    ``page_dates`` are the date strips above the release ("Admin | 24 Februari 2020 | 261 kali"):
    the page's own publication date, which the release may not state; strips further down belong
    to lists of other articles.
    """

    lines: tuple[str, ...]
    captions: tuple[str, ...]
    removed: int
    page_dates: tuple[str, ...] = ()


def _words(line: str) -> int:
    return len(line.split())


def is_sentence(line: str) -> bool:
    """Whether a line reads as release prose: eight words or more, closed as a sentence is."""
    return _words(line) >= 8 and bool(re.search(r"[.!?…”\"’)]\s*$", line))


def is_furniture(line: str) -> bool:
    """Whether one line, on its own, is page furniture (a prompt, a counter, a crumb, a strip)."""
    if not line:
        return False
    if not _LETTER.search(line):  # "×", "0", "330", "|"
        return True
    if _words(line) > _MAX_FURNITURE_WORDS:
        return False
    if _LINES.fullmatch(line) or _IMAGES.fullmatch(line):
        return True
    if " " not in line and _CRUMB.fullmatch(line):
        return True
    if _words(line) <= 6 and _GLUED_CRUMB.search(line) and not re.search(r"[.!?”\"]\s*$", line):
        return True
    return is_date_strip(line)


def is_date_strip(line: str) -> bool:
    """A line made only of dates, times, counters and their labels (the page's, not the release's)."""
    if _words(line) > 14 or not _STRIP_NEEDS.search(line):
        return False
    rest = [w for w in _STRIP_TOKEN.findall(line) if "." not in w and ":" not in w and w.lower() not in _STRIP_WORDS]
    return len(rest) <= 1


_TRAILING_PAREN = re.compile(r"\s*\([^()]{1,20}\)\s*$")
# A menu crumb glued by the copy: "WhatsappRecent KBR Prime Podcast".
_GLUED_CRUMB = re.compile(r"\b[A-Z][a-z]{2,}[A-Z][a-z]{2,}\w*\b")
_SMALL_WORDS = frozenset(
    ["di", "ke", "dari", "dan", "atau", "yang", "untuk", "dengan", "pada", "dalam", "oleh", "bagi", "ini", "itu", "tak", "tidak", "jadi"]
)


def is_title_line(line: str) -> bool:
    """A line in Title Case with no closing stop: a link to another article (or a subhead)."""
    line = _TRAILING_PAREN.sub("", line)  # "... Cuaca Ekstrem (Bag.4)"
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line)]
    if len(words) < 3 or re.search(r"[.!?…:;,”\"’)]\s*$", line) or _QUOTE_MARKS.search(line):
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for w in content if w[0].isupper())
    return bool(content) and capitalised / len(content) >= 0.85


def is_caption(line: str) -> bool:
    """Whether a line is a photo caption or a photo credit."""
    if not line or _words(line) > _MAX_CAPTION_WORDS or _QUOTE_MARKS.search(line):
        return False
    return any(p.search(line) for p in _CAPTIONS)


def strip_furniture(lines: Sequence[str]) -> Stripped:
    """The lines that belong to the release; captions set apart, furniture dropped."""
    short_counts = Counter(line for line in lines if line and _words(line) <= 8)
    kept: list[str] = []
    captions: list[str] = []
    page_dates: list[str] = []
    seen: set[str] = set()
    removed = 0
    began = in_list = after_image = False
    for i, line in enumerate(lines):
        line = _INLINE_LINK.sub("", line).strip() if "(" in line else line
        if not line:
            kept.append("")
            continue
        key = line.casefold()
        drop = False
        if began and _TAILS.fullmatch(line):
            removed += sum(1 for rest in lines[i:] if rest)
            break
        if _IMAGES.fullmatch(line):
            after_image, drop = True, True
        elif after_image and not is_sentence(line) and not _QUOTE_MARKS.search(line):
            captions.append(line)
            after_image, drop = False, True
        elif is_caption(line):
            captions.append(line)
            drop = True
        elif not began and is_date_strip(line):
            page_dates.append(line)
            drop = True
        elif short_counts[line] >= 3 or is_furniture(line):
            drop = True  # a line repeated three times is a hosting advert or a widget
        elif _words(line) <= _MAX_FURNITURE_WORDS and _SECTIONS.fullmatch(line):
            in_list, drop = True, True
        elif in_list and not is_sentence(line):
            drop = True  # a title in a list of links
        elif began and is_title_line(line):
            in_list, drop = True, True  # "Dinas PUPR Kudus Ancam Bongkar Proyek": a related article's title
        elif key in seen and _words(line) >= 3:
            drop = True  # a headline, caption or lead printed twice
        if not drop:
            after_image = False
            in_list = False
            seen.add(key)
            began = began or is_sentence(line)
            kept.append(line)
        else:
            removed += 1
    return Stripped(tuple(kept), tuple(captions), removed, tuple(page_dates))

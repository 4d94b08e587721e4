"""Release metadata found in the text: headline, dateline (city and outlet) and date.

Written by hand: dateparser and trafilatura's htmldate read dates from pages and URLs, not the
Indonesian in-text forms "Sabtu (24/12/22)" or "Kamis, (03/10)", and no library finds an
Indonesian dateline ("MUKOMUKO, JAPOS.CO –").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ringkas.lexicon import load_list

_MONTHS = {name: int(num) for name, num in (line.split() for line in load_list("months"))}
_DAYS = r"(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Jumat|Sabtu|Minggu|Ahad)"
_DAY_INDEX = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5,
              "minggu": 6, "ahad": 6}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

# "Sabtu (24/12/22)", "Selasa (8/3/2022)", "Kamis, (03/10)"
_DATE_DAY_PAREN = re.compile(
    rf"\b(?P<day>{_DAYS})\s*,?\s*\(\s*(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})(?:\s*/\s*(?P<y>\d{{4}}|\d{{2}}))?\s*\)",
    re.IGNORECASE,
)
# "6 Juni 2023", "Senin, 12 Desember 2022", "12 Des 2022", "Rabu (15 Februari)"
_DATE_WORDS = re.compile(
    rf"(?:\b(?P<day>{_DAYS})\s*,?\s*\(?\s*)?\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_NAMES})\.?(?:\s+(?P<y>\d{{4}}))?\b\)?",
    re.IGNORECASE,
)
# "24-12-2022", "24/12/2022", "24.12.2022" (a four-digit year keeps it from matching a ratio)
_DATE_NUMERIC = re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/.-])")
_DATE_ISO = re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")

# The dateline: one to four capitalised words (a city), an optional outlet after a comma or in
# parentheses, then a dash. "Blitar –", "MUKOMUKO, JAPOS.CO –", "Jakarta (ANTARA) -".
_CITY_WORD = r"[A-Z][A-Za-z'’.]*"
_DATELINE = re.compile(
    rf"^(?P<city>{_CITY_WORD}(?:[ -]{_CITY_WORD}){{0,3}})"
    r"(?:\s*,\s*(?P<outlet>[A-Z][A-Za-z0-9.]*(?:[ .][A-Z][A-Za-z0-9.]*){0,3})|\s*\((?P<outlet2>[A-Za-z][\w. ]{1,30})\))?"
    r"\s*(?:[–—]|-{1,2})\s*"
)
_HEADLINE_MAX_WORDS = 20


@dataclass(frozen=True)
class DateFound:
    """A date written in the text, and its ISO form when the year is known."""

    iso: str | None
    text: str
    warnings: tuple[str, ...] = ()


def find_dateline(first_paragraph: str) -> tuple[str | None, str | None]:
    """City (title case) and outlet of the dateline that opens the first paragraph, if any."""
    m = _DATELINE.match(first_paragraph)
    if not m:
        return None, None
    city = m.group("city").strip()
    outlet = (m.group("outlet") or m.group("outlet2") or "").strip() or None
    # A dateline city is a name, not the start of a sentence ("Bupati Blitar - ..." is not one);
    # more than one word must all be capitalised, which the regex ensures, and the dash must follow
    # right after, so a sentence that merely contains a dash does not match.
    if len(city) < 3:
        return None, None
    return _title_case(city), outlet


def _title_case(city: str) -> str:
    if city.isupper():
        return " ".join(w.capitalize() for w in re.split(r"\s+", city))
    return city


def find_date(text: str, *, hint: str | None = None) -> DateFound | None:
    """The first release date written in ``text``, in ISO form; the year of a year-less date comes from ``hint``."""
    candidates = []
    for pattern in (_DATE_DAY_PAREN, _DATE_WORDS, _DATE_NUMERIC, _DATE_ISO):
        m = pattern.search(text)
        if m:
            candidates.append(m)
    for m in sorted(candidates, key=lambda m: m.start()):
        found = _to_date(m, hint)
        if found is not None:
            return found
    return None


def _to_date(m: re.Match[str], hint: str | None) -> DateFound | None:
    groups = m.groupdict()
    raw = m.group(0).strip()
    day = int(groups["d"])
    month_text = groups["m"]
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower().rstrip("."), 0)
    year_text = groups.get("y")
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        warnings: tuple[str, ...] = ()
    else:
        year = _year_from_hint(day, month, hint)
        if year is None:
            return DateFound(None, raw, (f"date {raw!r} has no year and no date hint (--date): date left empty",))
        warnings = ()
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    weekday = groups.get("day")
    if weekday and _DAY_INDEX.get(weekday.lower()) not in (None, date.weekday()):
        warnings += (f"date {raw!r}: {date.isoformat()} is not a {weekday}",)
    return DateFound(date.isoformat(), raw, warnings)


def _year_from_hint(day: int, month: int, hint: str | None) -> int | None:
    """The year that puts day/month nearest the hint date (a release on 2 Jan may report 31/12)."""
    try:
        ref = dt.date.fromisoformat(hint) if hint else None
    except ValueError:
        return None
    if ref is None:
        return None
    best = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            gap = abs((dt.date(year, month, day) - ref).days)
        except ValueError:
            continue
        if best is None or gap < best[0]:
            best = (gap, year)
    return best[1] if best else None


def headline_of(paragraphs: list[str]) -> str | None:
    """The first paragraph when it is clearly a headline: short, one line, no final stop, no dateline."""
    if len(paragraphs) < 2:
        return None
    first = paragraphs[0]
    words = first.split()
    if not 3 <= len(words) <= _HEADLINE_MAX_WORDS or "\n" in first:
        return None
    if first.rstrip().endswith((".", ",", ";", ":", "”", '"')) or _DATELINE.match(first):
        return None
    # A headline capitalises its words or at least its first; a sentence fragment does not.
    return first if first[0].isupper() else None

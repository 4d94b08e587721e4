"""The release date as Indonesian text writes it: ``Sabtu (24/12/22)``, ``Kamis, (03/10)``,
``pada Senin, 3 Maret 2025``, ``Jum’at (4/4/2024)``, ``24-12-2022``.

Written by hand: dateparser and htmldate read page metadata and URLs, not these in-text forms;
month and weekday names are data (``data/months.txt``, ``data/weekdays.txt``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ringkas.lexicon import load_list

_MONTHS = {name: int(num) for name, num in (line.split() for line in load_list("months"))}
_WEEKDAYS = {name: int(num) for name, num in (line.split() for line in load_list("weekdays"))}
_DAYS = "(?:" + "|".join(re.escape(d) for d in sorted(_WEEKDAYS, key=len, reverse=True)) + ")"
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

# "Sabtu (24/12/22)", "Selasa (8/3/2022)", "Kamis, (03/10)"
_DATE_DAY_PAREN = re.compile(
    rf"\b(?P<day>{_DAYS})\s*,?\s*\(\s*(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})(?:\s*/\s*(?P<y>\d{{4}}|\d{{2}}))?\s*\)",
    re.IGNORECASE,
)
# "6 Juni 2023", "Senin, 12 Desember 2022", "12 Des 2022", "Rabu (15 Februari)", "23 - Mei - 2022"
_DATE_WORDS = re.compile(
    rf"(?:\b(?P<day>{_DAYS})\s*,?\s*\(?\s*)?\b(?P<d>\d{{1,2}})(?:\s+|\s*-\s*)(?P<m>{_MONTH_NAMES})\.?"
    rf"(?:(?:\s+|\s*-\s*)(?P<y>\d{{4}}))?\b\)?",
    re.IGNORECASE,
)
# "24-12-2022", "24/12/2022", "24.12.2022" (a four-digit year keeps it from matching a ratio)
_DATE_NUMERIC = re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/.-])")
_DATE_ISO = re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")
_PATTERNS = (_DATE_DAY_PAREN, _DATE_WORDS, _DATE_NUMERIC, _DATE_ISO)
# A date written right after a capitalised name word is part of the name: "Universitas 17
# Agustus 1945", "Jalan 10 November". After "pada", a comma or a weekday it is a date.
_WORD_BEFORE = re.compile(r"(?P<word>\S+)\s+$")
_NOT_NAMES = frozenset({"Pada", "Tanggal", "Sejak", "Hingga", "Sampai", "Per", "Mulai"})


@dataclass(frozen=True)
class DateFound:
    """A date written in the text, and its ISO form when the year is known."""

    iso: str | None
    text: str
    warnings: tuple[str, ...] = ()


def find_date(text: str, *, hint: str | None = None) -> DateFound | None:
    """The first release date written in ``text``, in ISO form; a year-less date takes its year from ``hint``."""
    candidates = sorted((m for p in _PATTERNS for m in p.finditer(text)), key=lambda m: (m.start(), -m.end()))
    for m in candidates:
        if not m.groupdict().get("day") and (_in_name(text, m.start()) or _not_the_release(text, m.start())):
            continue
        found = _to_date(m, hint)
        if found is not None:
            return found
    return None


# A date after these words is a deadline, a schedule or a past event, not the day of the
# release: "sejak 18 Oktober 2011", "berakhir pada 15 April 2020", "tanggal 3 Juni 2022", and the
# second day of a range, "19-20 Januari 2019".
_SCHEDULE = re.compile(
    r"(?i)(?:\b(?:sejak|hingga|sampai|berakhir|dimulai|mulai|batas|tanggal|tgl\.?|paling\s+lambat|akan)"
    r"(?:\s+(?:pada|dari|dengan|tanggal|hari))*|\d\s*[-–]|\d\s+(?:s\.?d\.?|sampai|hingga))\s*$"
)


def _not_the_release(text: str, start: int) -> bool:
    return bool(_SCHEDULE.search(text, max(0, start - 40), start))


def _in_name(text: str, start: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if not m:
        return False
    word = m.group("word")
    return word.isalpha() and word[0].isupper() and word not in _NOT_NAMES and word.lower() not in _WEEKDAYS


def _to_date(m: re.Match[str], hint: str | None) -> DateFound | None:
    groups = m.groupdict()
    raw = m.group(0).strip()
    day = int(groups["d"])
    month_text = groups["m"]
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower().rstrip("."), 0)
    year_text = groups.get("y")
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    warnings: tuple[str, ...] = ()
    weekday = groups.get("day")
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    else:
        wanted = _WEEKDAYS.get(weekday.lower()) if weekday else None
        found_year = _year_from_hint(day, month, hint, wanted)
        if found_year is None:
            if wanted is not None and _hint_date(hint) is not None:
                return DateFound(None, raw, (f"date {raw!r} has no year, and no year next to the date hint "
                                             f"{hint} puts it on a {weekday}: date left empty",))
            return DateFound(None, raw, (f"date {raw!r} has no year and no date hint (--date): date left empty",))
        year = found_year
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if weekday and _WEEKDAYS.get(weekday.lower()) not in (None, date.weekday()):
        warnings += (f"date {raw!r}: {date.isoformat()} is not a {weekday}",)
    return DateFound(date.isoformat(), raw, warnings)


def _hint_date(hint: str | None) -> dt.date | None:
    """The date hint as a date; None when there is none or it is not an ISO date."""
    try:
        return dt.date.fromisoformat(hint) if hint else None
    except ValueError:
        return None


def _year_from_hint(day: int, month: int, hint: str | None, weekday: int | None = None) -> int | None:
    """The year that puts day/month nearest the hint date (a release on 2 Jan may report 31/12),
    among the hint's year and the years either side; with the written ``weekday`` (0 Monday), only
    a year whose day/month falls on it, so that "Kamis, (03/10)" is a Thursday whatever the hint."""
    ref = _hint_date(hint)
    if ref is None:
        return None
    best = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if weekday is not None and date.weekday() != weekday:
            continue
        gap = abs((date - ref).days)
        if best is None or gap < best[0]:
            best = (gap, year)
    return best[1] if best else None

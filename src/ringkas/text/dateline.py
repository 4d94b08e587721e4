"""The dateline that opens a release: the town, and the outlet when the site prints one.

Regional sites write it in many shapes: ``TANJUNG SELOR, KALTARANEWS.CO –``, ``Sebatik,
WartaUtara.com –``, ``KALTARAPOS.COM, TARAKAN -`` (outlet first), ``Tarakan(tarakanpos.com) -``,
``Malinau – KP-`` (initials after the dash), ``NUNUKAN, Kaltaraku`` alone on its line, and
``Purworejo. Seputar Nusantara.``. Written by hand: no library reads Indonesian datelines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ringkas.lexicon import load_set

# A site name written as its domain: "JATIMNET.COM", "SAMIN-NEWS.com", "www.INDONESIATRAVEL.NEWS".
_SITE = r"(?:www\.)?[A-Za-z][\w-]*(?:\.[A-Za-z]{2,6})+"
_CITY = rf"(?:{_SITE}|[A-Z][A-Za-z'’]*\.?(?:[ -][A-Z][A-Za-z'’]*){{0,3}})"
_OUTLET = r"[A-Za-z][\w.]*(?:-[\w.]+)*(?:\s[A-Z][\w.]*(?:-[\w.]+)*){0,3}"
# A hyphen needs a space after it ("PALU- Kegiatan"), so "Diam-diam ..." is no dateline.
_DASH = r"\s*(?:[–—‒―]\s*|-{1,2}(?:\s+|$|(?=[A-Z][a-z])))"
# Page debris a copy glues before the dateline ("1 min readTOP-NEWS.id, NUMFOR –").
_LEAD_JUNK = re.compile(r"(?i)\d+\s*min(?:ute)?s?\s*read\s*")
_SHAPES = [
    # "NTB – Lotim – Komsos ...": the province, then the town
    re.compile(rf"(?P<province>[A-Z]{{2,4}}){_DASH}(?P<city>[A-Z][A-Za-z'’]*(?:\s[A-Z][A-Za-z'’]*){{0,2}}){_DASH}"),
    # "MUKOMUKO, JAPOS.CO –", "KALTARAPOS.COM, TARAKAN -", "Blitar –", "Malinau – KP-"
    re.compile(rf"(?P<city>{_CITY})(?:\s*[,|]\s*(?P<outlet>{_OUTLET}))?{_DASH}(?:(?P<initials>[A-Z]{{1,5}}){_DASH})?"),
    # "KABARUTARA.COM: (Klungkung) Keberadaan ...": the site, then the town in parentheses
    re.compile(rf"(?P<outlet>{_SITE}|[A-Z]{{3,}})\s*:?\s*\(\s*(?P<city>[A-Z][A-Za-z'’]*(?:\s[A-Z][A-Za-z'’]*){{0,2}})\s*\)\s+(?=[A-Z])"),
    # "MADIUN-Dinas Pendidikan ...": a town in capitals glued to the text by a hyphen
    re.compile(r"(?P<city>[A-Z]{3,}(?:\s[A-Z]{3,}){0,2})-(?=[A-Z][a-z])"),
    # "Barometer.co.id-Manado. Sejumlah ...": the site, a dash, the town
    re.compile(rf"(?P<outlet>{_SITE})\s*[-–—]\s*(?P<city>[A-Z][A-Za-z'’]*(?:\s[A-Z][A-Za-z'’]*){{0,2}})\s*[.,:–—-]\s+"),
    # "Tarakan, Jumat (7/3/2025) –", "JAKARTA, 12/3 (ANTARA) -", "Nunukan, 5 Maret 2025 –": a date after the town
    re.compile(
        rf"(?P<city>{_CITY})\s*,\s*(?P<date>(?:[A-Za-z'’]+,?\s*)?\(?\d{{1,2}}(?:[/.-]\d{{1,2}}(?:[/.-]\d{{2,4}})?|\s+[A-Za-z]+(?:\s+\d{{4}})?)\)?)"
        rf"(?:\s*\((?P<outlet>[^()]{{1,30}}?)\))?{_DASH}"
    ),
    # "Jakarta (ANTARA) -", "Tarakan(tarakanpos.com) -", "Kalitengah (26/2)- "
    re.compile(rf"(?P<city>{_CITY})\s*\(\s*(?:(?P<date>[\d/.\s-]{{3,12}})|(?P<outlet>[^()]{{1,30}}?))\s*\){_DASH}"),
    # "NUNUKAN, Kaltaraku" or "Malinau, SNP" as a line of its own: the text starts on the next one
    re.compile(rf"(?P<city>{_CITY})\s*,\s*(?P<outlet>{_SITE}|[A-Za-z][\w-]*)\s*(?:[–—]|-{{1,2}})?\s*(?P<alone>$)"),
    # "Purworejo. Seputar Nusantara. Sesuai dengan ..."
    re.compile(rf"(?P<city>{_CITY})\.\s+(?P<outlet>[A-Z][\w.]*(?:\s[A-Z][\w.]*){{0,2}})\.\s+(?=[A-Z])"),
]
_DOMAIN = re.compile(rf"^{_SITE}$")
# Words of outlet names ("ANTARAYA MEDIA", "TOPMEDIA", "KALTARAPOS"): such a part is the outlet.
_OUTLET_WORDS = re.compile(r"(?i)(?:media|news|pos|post|times|online|tv|pers|daily|today|berita|antara|informasi|info)$")
# Roots that outlet names are made of ("LIPUTANSBM", "KABARUTARA"), which tell the outlet of an
# "OUTLET, TOWN –" dateline from its town when neither is a domain.
_OUTLET_ROOTS = re.compile(
    r"(?i)media|news|pos|times|online|liputan|kabar|berita|warta|radar|tribun|antara|detik|harian|koran|portal|jurnal|info"
)
# A dateline town is never a role or a title ("Bupati Blitar –" opens a sentence, not a dateline).
_NOT_TOWNS = load_set("quote_roles", lower=True) | load_set("quote_titles", lower=True) | load_set(
    "dateline_not_towns", lower=True
)


@dataclass(frozen=True)
class Dateline:
    """The town (title case), the outlet, and where the release text starts after them."""

    town: str
    outlet: str | None
    end: int
    alone: bool  # the dateline is the whole paragraph; the text is in the next one


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline that opens ``paragraph``, if it has one."""
    junk = _LEAD_JUNK.match(paragraph)
    skip = junk.end() if junk else 0
    for shape in _SHAPES:
        m = shape.match(paragraph, skip)
        if not m:
            continue
        town, outlet = m.group("city").strip(), (m.groupdict().get("outlet") or "").strip() or None
        initials = m.groupdict().get("initials")
        if outlet and _outlet_first(town, outlet):
            town, outlet = outlet, town  # the outlet came first
        if _looks_like_outlet(town):
            continue  # "TOPMEDIA – ...", "Kab-jepara.kpu.go.id – ...": a site, no town
        if not _is_town(town) or (outlet and not _is_outlet(outlet)):
            continue
        if "initials" in m.groupdict() and not outlet and initials:
            outlet = initials
        rest = paragraph[m.end() :]
        if "initials" in m.groupdict() and not rest.strip():
            continue  # "Jakarta –" and nothing else is no dateline
        return Dateline(title_case(town.rstrip(".")), outlet, m.end(), alone=m.groupdict().get("alone") is not None)
    return None


_SYLLABLES = re.compile(r"(?:[^AEIOU][AEIOU])+[^AEIOU]?")


def _outlet_first(first: str, second: str) -> bool:
    """Whether "FIRST, SECOND" names the outlet first ("KALTARAPOS.COM, TARAKAN", "KBR, Kupang")."""
    if _looks_like_outlet(first) != _looks_like_outlet(second):
        return _looks_like_outlet(first)
    rooted = bool(_OUTLET_ROOTS.search(first)), bool(_OUTLET_ROOTS.search(second))
    if rooted[0] != rooted[1]:
        return rooted[0]
    # an agency's capitals before a town: "KBR, Kupang", "MPA, PADANG"
    # short, and not spoken as syllables the way "PALU" or "BIMA" is
    short_agency = first.isupper() and len(first) <= 4 and " " not in first and not _SYLLABLES.fullmatch(first)
    return short_agency and (not second.isupper() or len(second) >= 5)


def _looks_like_outlet(part: str) -> bool:
    words = part.split()
    # a long glued name with an outlet's root in it ("JURNALMALUKU", "KABARMADURAID")
    glued = len(words) == 1 and len(part) >= 9 and bool(_OUTLET_ROOTS.search(part))
    return bool(_DOMAIN.match(part)) or glued or any(_OUTLET_WORDS.search(w) for w in words)


def _is_town(town: str) -> bool:
    words = town.rstrip(".").split()
    if len(town) < 3 or not words:
        return False
    if words[0].lower().startswith(("dis", "din")) and len(words[0]) >= 6 and words[0][3:4].islower():
        return False  # "Diskominfostaper Fakfak –": an office, not a town
    if any(w.lower().endswith("nya") and len(w) > 5 for w in words):
        return False  # "Dikatakannya, ... –": a clitic, never in a town's name
    return not any(w.lower().strip(".") in _NOT_TOWNS or w.lower() in _NOT_TOWNS for w in words)


def _is_outlet(outlet: str) -> bool:
    words = outlet.split()
    # An outlet is a site name, an agency or initials, never a clause ("Jakarta, Senin (3/3) –").
    return len(words) <= 3 and not any(w.lower() in _NOT_TOWNS for w in words) and (bool(_DOMAIN.match(outlet)) or not re.search(r"\d", outlet))


def title_case(town: str) -> str:
    """``TANJUNG SELOR`` -> ``Tanjung Selor``; a town already in mixed case stays as written."""
    if town.isupper():
        return " ".join("-".join(p.capitalize() for p in w.split("-")) for w in town.split())
    return town

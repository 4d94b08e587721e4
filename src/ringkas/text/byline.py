"""The byline: credit lines ("Penulis: Dedi | Editor: Admin") anywhere, and the desk's initials
that close a release ("... ujarnya. (RDK)"), with what a page prints after them.

The labels are data (``data/byline_labels.txt``). Written by hand: Indonesian desks sign with
initials in parentheses glued to the last sentence, which no metadata extractor reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ringkas.lexicon import load_list
from ringkas.text.furniture import is_date_strip, is_sentence

_LABELS = "|".join(re.escape(w) for w in sorted(load_list("byline_labels"), key=len, reverse=True))
# Labels that are also ordinary words ("Sumber Daya Alam", "Humas Polres") credit only with a colon.
_COLON_ONLY = frozenset({"sumber", "humas", "foto"})
# One labelled credit: "Penulis: Dedi", "Editor : Redaksi", "Reporter Irma" (a bare label takes
# only a name written in capitals).
_CREDIT = re.compile(
    rf"\**\s*(?P<label>{_LABELS})\s*(?:(?P<colon>[:：])\s*(?P<name>[^|/]{{1,60}}?)"
    rf"|\s+(?P<bare>(?-i:[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){{0,3}})))\s*(?=$|[|/,]|\s(?:{_LABELS})\s*[:：])",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s*[|/,]\s*|\s+(?=(?:" + _LABELS + r")\s*[:：])", re.IGNORECASE)
# "(dw/sur)", "(arj)", "(REGITA/HUMAS SATPOL PP)", "(Tm-Ab)", "[US]", "(LK09)": the desk's initials,
# often glued to the last stop.
_INITIALS = re.compile(
    r"[(\[]\s*(?P<name>[A-Za-z][A-Za-z0-9.\-]{1,11}(?:\s[A-Z][a-z]+)?"
    r"(?:\s*/\s*(?:[A-Za-z][A-Za-z0-9.\-]*(?:\s[A-Z][A-Za-z.\-]*){0,3}|\*)){0,3})"
    r"\s*[)\]]\s*\.?\s*$"
)
# Initials alone on the last line, no parentheses: "IEA", "Tm-Ab"; or a name closed by dashes: "Usman---".
_BARE_INITIALS = re.compile(
    r"(?P<name>[A-Z][A-Za-z]{0,2}(?:-[A-Z][a-z]{0,2})?|[A-Z]{2,5}|[A-Z][A-Za-z]+/\d{1,5}"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}(?=\s*[-*]{2,}))\s*[-*]*"
)
# Initials or a starred name glued after the last sentence: "... tandasnya. IEA", "... ucapnya. *** (Nama)".
_GLUED_SIGNATURE = re.compile(
    r"(?<=[.!?”\"’])\s+(?:(?P<initials>[A-Z]{2,5})|\*{2,}\s*\(?(?P<name>[A-Z][\w.' -]{1,40}?)\)?)\s*$"
)
# "***A. Baron", "*** Budi", "*** (Nama Penulis)": a name after asterisks.
_STARS = re.compile(r"\s*\*{2,}\s*\(?(?P<name>[A-Z][\w.' -]{1,60}?)\)?\s*")
# "Nama Penulis adalah penulis di Nama Situs": an author's box.
_AUTHOR_BOX = re.compile(r"(?P<name>[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}) adalah (?:penulis|jurnalis|wartawan|kontributor)\b.*")
# The names above "Tim Redaksi" in a Kompas-style credit block.
_TEAM = re.compile(r"(?i)tim\s+redaksi")
_NAME_LINE = re.compile(r"[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3},?")
_NOT_A_NAME = re.compile(r"(?i)https?:|www\.|\.go\.id|\.com\b|@")
# A desk rather than a person ("Editor : Redaksi"): the byline only when no name is given.
_GENERIC = re.compile(r"(?i)(?:redaksi|admin|tim(?: redaksi)?|humas|web|website)")


@dataclass(frozen=True)
class Byline:
    """The lines without their credits, the byline found (names joined by "/"), lines removed."""

    lines: tuple[str, ...]
    byline: str | None
    removed: int


def credit_names(line: str) -> list[str] | None:
    """The names of a line made only of credits ("Penulis: A | Editor: B"), else None."""
    if len(line.split()) > 16:
        return None
    names: list[str] = []
    pos = 0
    while pos < len(line):
        m = _CREDIT.match(line, pos)
        if not m:
            return None
        if m.group("bare") and m.group("label").lower() in _COLON_ONLY:
            return None
        name = (m.group("name") or m.group("bare") or "").strip(" .*")
        if name and not _NOT_A_NAME.search(name):
            names.append(name)
        pos = m.end()
        sep = _SEPARATOR.match(line, pos)
        if sep and sep.end() > pos:
            pos = sep.end()
        elif pos < len(line):
            return None
    return names


def closing_initials(line: str) -> tuple[str, str] | None:
    """``(rest of the line, initials)`` when ``line`` ends with the desk's initials, else None."""
    m = _INITIALS.search(line)
    if not m:
        glued = _GLUED_SIGNATURE.search(line)
        if glued:
            return line[: glued.start()].rstrip(), (glued.group("initials") or glued.group("name")).strip()
        return None
    name = re.sub(r"\s*/\s*", "/", m.group("name"))
    before = line[: m.start()].rstrip().rstrip("*").rstrip()  # "... ucapnya. *** (Nama)"
    # "(RDK)" after the last stop signs the release; "(APBD)." inside the sentence explains it.
    signed = not before or before.endswith((".", "!", "?", "”", '"', "’")) or "/" in name or name.islower()
    return (before, name) if signed else None


def take_credits(lines: Sequence[str]) -> Byline:
    """Take the credit lines out, wherever the page put them: labels, an author box, a team block."""
    names: list[str] = []
    kept: list[str] = []
    removed = 0
    content = [i for i, line in enumerate(lines) if line][:_HEADER_LINES]
    tail = [i for i, line in enumerate(lines) if line][-2:]
    if len(tail) == 2 and _SEPARATOR_LINE.fullmatch(lines[tail[0]]) and _NAME_LINE.fullmatch(lines[tail[1]]):
        # "-----" / "Usman": a name under a rule at the very end
        names.append(lines[tail[1]].rstrip(","))
        lines = list(lines[: tail[1]])
        removed += 1
    for i, line in enumerate(lines):
        if i in content and _is_author_line(lines, i):
            names.append(line.rstrip(","))
            removed += 1
            continue
        found = credit_names(line) if line else None
        box = _AUTHOR_BOX.fullmatch(line) if line else None
        if found is not None:
            names.extend(found)
        elif box:
            names.append(box.group("name"))
        elif line and _TEAM.fullmatch(line):
            # "Andhi Dwi Setiawan," / "Nama Editor" / "Tim Redaksi": the names just above it
            team: list[str] = []
            while kept and (not kept[-1] or _NAME_LINE.fullmatch(kept[-1])) and len(team) < 3:
                last = kept.pop()
                removed += bool(last)
                if last:
                    team.insert(0, last.rstrip(","))
            names.extend(team)
        else:
            kept.append(line)
            continue
        removed += 1
    return Byline(tuple(kept), _joined(names), removed)


def _joined(names: list[str]) -> str | None:
    """Names joined by "/", a desk ("Redaksi") only when no person is named."""
    people = [n for n in names if not _GENERIC.fullmatch(n)]
    chosen = people or names
    return "/".join(dict.fromkeys(chosen)) if chosen else None


_HEADER_LINES = 10
_SEPARATOR_LINE = re.compile(r"[-_*=~.]{3,}")


def _is_author_line(lines: Sequence[str], i: int) -> bool:
    """A bare name beside the page's date strip ("Nama Penulis" / "Senin, 27 Mei 2019 - 09:21")."""
    words = lines[i].split()
    if not _NAME_LINE.fullmatch(lines[i]) or len(words) < 2 or any(len(w) >= 3 and w.isupper() for w in words):
        return False  # "Giat DLH" is a category label, not a name
    before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j]), "")
    after = next((lines[j] for j in range(i + 1, len(lines)) if lines[j]), "")
    return is_date_strip(before) or is_date_strip(after)


def split_byline(lines: Sequence[str]) -> Byline:
    """The closing signature: initials with the page printed after them, or a starred name."""
    kept = list(lines)
    while kept and not kept[-1]:
        kept.pop()
    names: list[str] = []
    removed = 0
    end = _last_signed(kept)
    if end is not None:
        before, initials = closing_initials(kept[end]) or _bare(kept[end]) or ("", "")
        removed += sum(1 for rest in kept[end:] if rest) - bool(before)
        kept = kept[:end] + ([_closed(before)] if before else [])
        names.append(initials)
    while kept and kept[-1] and (m := _STARS.fullmatch(kept[-1])):
        names.insert(0, m.group("name").strip())
        kept.pop()
        removed += 1
    while kept and not kept[-1]:
        kept.pop()
    return Byline(tuple(kept), _joined(names), removed)


def _bare(line: str) -> tuple[str, str] | None:
    m = _BARE_INITIALS.fullmatch(line)
    return ("", m.group("name")) if m else None


def _last_signed(lines: list[str]) -> int | None:
    """The line with the closing initials, when no release prose follows it."""
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line:
            continue
        if closing_initials(line) is not None or _bare(line) is not None:
            return i
        if is_sentence(line):
            return None
    return None


def _closed(text: str) -> str:
    """A paragraph whose initials were cut keeps a final stop."""
    return text if text.endswith((".", "!", "?", "”", '"', "’")) else text + "."

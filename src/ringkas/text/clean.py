"""Cleaning a release: whitespace and paragraphs, site boilerplate, and the closing byline.

The rules are data (data/boilerplate_lines.txt, data/byline_labels.txt); this module only applies
them. Boilerplate is matched line by line because Indonesian sites insert it as lines of its own
("Scroll Untuk Lanjut Membaca", "Baca juga: ..."), which main-text extractors keep in plain text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ringkas.lexicon import load_list

_BOILERPLATE = re.compile(
    "|".join(f"(?:{p})" for p in load_list("boilerplate_lines")), re.IGNORECASE
)
# A real sentence can start like a prompt ("Bagikan bantuan ..."); prompts are short.
_MAX_BOILERPLATE_WORDS = 25
_BYLINE_LABEL = re.compile(
    r"^\s*\**\s*(?:" + "|".join(re.escape(w) for w in load_list("byline_labels")) + r")\s*[:：]\s*(?P<name>.{2,80}?)\s*$",
    re.IGNORECASE,
)
# "(dw/sur)", "(arj)", "(adv/tra)", "(ant/rd)": the desk's initials, often glued to the last stop.
_BYLINE_INITIALS = re.compile(r"\s*\(\s*(?P<name>[A-Za-z]{2,6}(?:\s*/\s*[A-Za-z]{2,6}){0,3})\s*\)\s*\.?\s*$")
# "***A. Baron", "*** Budi": a name after asterisks on the last line.
_BYLINE_STARS = re.compile(r"^\s*\*{2,}\s*(?P<name>[A-Z][\w.' -]{1,60}?)\s*$")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


@dataclass(frozen=True)
class Cleaned:
    """Text after cleaning, the byline it ended with, and what was removed."""

    text: str
    byline: str | None
    warnings: tuple[str, ...]


def normalize(text: str) -> str:
    """NFC, one kind of newline and space, no invisible characters; paragraphs apart by one blank line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    # Without any blank line, each line is a paragraph (many releases are pasted that way);
    # with blank lines, single newlines are hard wraps inside a paragraph.
    if len(blocks) == 1:
        return "\n\n".join(blocks[0])
    return "\n\n".join(" ".join(b) for b in blocks)


def is_boilerplate(line: str) -> bool:
    """Whether a whole line is site boilerplate rather than part of the release."""
    line = line.strip()
    return (
        bool(line)
        and len(line.split()) <= _MAX_BOILERPLATE_WORDS
        and _BOILERPLATE.fullmatch(line) is not None
    )


def remove_boilerplate(paragraphs: list[str]) -> tuple[list[str], int]:
    """The paragraphs that are not boilerplate, and how many were removed."""
    kept = [p for p in paragraphs if not is_boilerplate(p)]
    return kept, len(paragraphs) - len(kept)


def split_byline(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Remove the closing credit lines and initials; return the rest and the byline found."""
    names: list[str] = []
    paragraphs = list(paragraphs)
    while paragraphs:
        last = paragraphs[-1]
        m = _BYLINE_LABEL.match(last) or _BYLINE_STARS.match(last)
        if m:
            names.insert(0, m.group("name").strip())
            paragraphs.pop()
            continue
        m = _BYLINE_INITIALS.search(last)
        if m and not _looks_like_sentence_parenthesis(last, m):
            names.insert(0, re.sub(r"\s*/\s*", "/", m.group("name")))
            rest = last[: m.start()].rstrip()
            if rest:
                paragraphs[-1] = rest if rest.endswith((".", "!", "?", "”", '"')) else rest + "."
            else:
                paragraphs.pop()
            continue
        break
    return paragraphs, "/".join(names) if names else None


def _looks_like_sentence_parenthesis(paragraph: str, m: re.Match[str]) -> bool:
    """True for an ordinary parenthesis ending a sentence, e.g. "... pembangunan (RPJMD)."."""
    name = m.group("name")
    # Desk initials are lower case ("dw/sur") or short upper case with a slash ("ANT/RD");
    # a lone upper-case word is an acronym the sentence explains.
    return "/" not in name and not name.islower()


def clean(text: str) -> Cleaned:
    """Normalise ``text``, drop boilerplate lines and the closing byline."""
    paragraphs = normalize(text).split("\n\n") if text.strip() else []
    paragraphs, removed = remove_boilerplate(paragraphs)
    paragraphs, byline = split_byline(paragraphs)
    warnings = (f"removed {removed} boilerplate line{'s' if removed != 1 else ''}",) if removed else ()
    return Cleaned(text="\n\n".join(paragraphs), byline=byline, warnings=warnings)

"""Characters and lines: one Unicode form, one kind of space and newline, the original lines kept.

The rules of the other text modules apply to the lines as the page had them, before lines are
joined into paragraphs, because a site's furniture is a line of its own ("Advertisement" above
"scroll kebawah untuk lihat konten") and joined lines match no rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# A line that goes on in the next one: it ends without a sentence's last punctuation and the
# next line starts in lower case (a hard wrap of an e-mailed release), or it ends on a comma or
# a hyphen that joins two halves of a word.
_DOUBLE_MARKS = re.compile(r"[“”\"«»„]")
_ENDS_SENTENCE = re.compile(r"[.!?…:;”\"’')\]]\s*$")


# Double quotes typed as two single marks ("’’Selain itu …’’ ujarnya"): one double mark each, so
# that quote pairing sees them.
_DOUBLED_SINGLES = {"’’": "”", "‘‘": "“", "''": '"', "``": "“"}
_DOUBLED_SINGLE = re.compile("|".join(_DOUBLED_SINGLES))


# WordPress caption shortcodes left in a copy ("[caption id=...]Foto ...[/caption]PADANG - ..."):
# the caption becomes a line of its own, so that it is recognised as one.
_SHORTCODE = re.compile(r"\[/?caption[^\]]*\]")


# A reading-time badge glued to the first line of the text ("1 min readTOP-NEWS.id, NUMFOR –").
_READ_TIME = re.compile(r"^\d{1,2}\s*min(?:ute)?s?\s*read\s*(?=\S)", re.IGNORECASE)


def normalize_lines(text: str) -> list[str]:
    """NFC, no invisible characters, spaces collapsed; the lines, stripped ("" for a blank line)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _DOUBLED_SINGLE.sub(lambda m: _DOUBLED_SINGLES[m.group()], text)
    text = _SHORTCODE.sub("\n", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return [_READ_TIME.sub("", line) for line in lines]


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` is the hard-wrapped rest of ``previous``'s sentence."""
    if _ENDS_SENTENCE.search(previous):
        return False
    first = line[:1]
    # a quote left open at the end of a line goes on in the next ("... serta Biro" / "Pemerintahan ...,” ujar")
    open_quote = len(_DOUBLE_MARKS.findall(previous)) % 2 == 1
    return first.islower() or open_quote or previous.endswith(("-", ",")) and not previous.endswith(" -")


def join_paragraphs(lines: Sequence[str]) -> list[str]:
    """Paragraphs from lines: each line is one, except a hard-wrapped line, which joins the one before."""
    paragraphs: list[str] = []
    after_blank = True
    for line in lines:
        if not line:
            after_blank = True
            continue
        if paragraphs and not after_blank and _continues(paragraphs[-1], line):
            glue = "" if paragraphs[-1].endswith("-") and line[:1].islower() else " "
            paragraphs[-1] = paragraphs[-1] + glue + line
        else:
            paragraphs.append(line)
        after_blank = False
    return paragraphs

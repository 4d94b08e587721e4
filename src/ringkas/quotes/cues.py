"""Speech cues around a quote: the verb, the speaker mention or pronoun, on either side.

The speech verbs and the adverbs that may sit between a subject and its verb are data
(``data/quote_verbs_*.txt``, ``data/quote_adverbs.txt``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ringkas.lexicon import load_list
from ringkas.quotes.mentions import ParsedMention, parse_mention, parse_mention_ending
from ringkas.quotes.tokens import PRONOUNS
from ringkas.types import Mention

_AFTER_VERBS = load_list("quote_verbs_after")
BEFORE_VERBS = load_list("quote_verbs_before")


def _alt(words: Sequence[str]) -> str:
    """A regex alternation of words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))



_PRON = _alt(sorted(PRONOUNS))
# After a closing mark: ", kata X" / "ujarnya" / "kata dia".
# A verb capitalised after the mark is the same cue: ”… berbahaya.” Ujarnya / "… benar, "Kata X.
AFTER_CUE = re.compile(
    rf"\s*,?\s*(?P<verb>{_alt([*_AFTER_VERBS, *(v.capitalize() for v in _AFTER_VERBS)])})(?P<nya>nya)?\b"
    rf"(?:\s+(?P<pron>{_PRON})\b)?"
)
CLAUSE_VERBS = frozenset(load_list("quote_verbs_clause"))
_BEFORE_SET = frozenset(BEFORE_VERBS) | CLAUSE_VERBS
# Candidates by shape, then a set lookup: faster than an alternation of every verb.
_VERB_SHAPE = re.compile(r"\b(?P<verb>(?:me|be)[a-z]+|bilang)\b")


def before_verbs(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Speech verbs of the "X mengatakan, ..." kind in ``text[start:end]``."""
    return [m for m in _VERB_SHAPE.finditer(text, start, end) if m.group("verb") in _BEFORE_SET]


def before_verb_at(text: str, pos: int, end: int | None = None) -> re.Match[str] | None:
    """The speech verb starting at ``pos``, or None."""
    m = _VERB_SHAPE.match(text, pos, len(text) if end is None else end)
    return m if m and m.group("verb") in _BEFORE_SET else None


_ADVERB_WORDS = load_list("quote_adverbs")
ADVERBS = re.compile(rf"(?:\s+(?:{_alt(_ADVERB_WORDS)}))*\s*$")
# What may follow a "before" verb to open a statement: a comma, a colon, bahwa, agar.
LEAD_OUT = re.compile(r"\s*(?:,\s*(?:bahwa\s+)?|:\s*|\s+bahwa\s*,?\s*|\s+(?=agar\b|supaya\b))")
MENURUT = re.compile(r"(?<!\w)[Mm]enurut(?:\s+|(?=nya\b))")
HAL_ITU = re.compile(
    r"(?:Hal|Pernyataan|Keterangan|Penjelasan|Informasi)\s+(?:itu|tersebut|ini)\s+(?:juga\s+)?"
    r"(?P<verb>di\w+kan|di\w+)\s+(?:oleh\s+)?|Demikian\s+(?:(?:juga|pula)\s+)?(?P<verb2>di\w+kan|\w+)\s+(?:oleh\s+)?"
)
_WORD = re.compile(r"\w+")
SPACE = re.compile(r"\s+")
_TRAILING_PUNCT = re.compile(r"[\s.,;:]+$")
_PRONOUN_ONLY = re.compile(rf"(?i)(?:^|.*,\s*)(?P<pron>{_PRON})$")


def word_count(text: str, start: int, end: int) -> int:
    """Number of words in ``text[start:end]``."""
    return len(_WORD.findall(text, start, end))



def speaker_after(
    text: str, pos: int, end: int, cache: dict
) -> tuple[str, ParsedMention | Mention | None] | None:
    """A cue right after a closing mark: ``, kata X`` / ``ujarnya`` / ``, X menambahkan``."""
    m = AFTER_CUE.match(text, pos, end)
    if m:
        verb = m.group("verb")
        if m.group("nya"):
            return verb + "nya", Mention("nya", m.start("nya"), m.end("nya"))
        if m.group("pron"):
            return verb, Mention(m.group("pron"), m.start("pron"), m.end("pron"))
        parsed = parse_mention(text, m.end(), end, cache)
        return verb, parsed
    # Inverted order: ”…,” Sri menambahkan. Only after speech, which ends inside its marks: a
    # slogan (“DESA MANDIRI”, Bupati Sri meminta …) keeps its comma outside.
    if text[pos - 2 : pos - 1] not in (",", ".", "?", "!", "…"):
        return None
    lead = pos + len(text[pos:end]) - len(text[pos:end].lstrip().lstrip(",").lstrip())
    parsed = parse_mention(text, lead, end, cache)
    if parsed is not None:
        rest = text[parsed.end : end]
        gap = len(rest) - len(rest.lstrip())
        v = before_verb_at(text, parsed.end + gap, end)
        if v and gap:
            return v.group("verb"), parsed
    return None


def subject_before(text: str, start: int, end: int, cache: dict) -> ParsedMention | Mention | None:
    """The speaker that fills ``text[start:end]`` (a mention or a pronoun), or None."""
    clause = text[start:end]
    if clause == "nya":  # "Menurutnya, ..."
        return Mention("nya", start, end)
    pm = _PRONOUN_ONLY.match(clause.strip())
    if pm:
        offset = start + len(clause) - len(clause.lstrip()) + pm.start("pron")
        return Mention(pm.group("pron"), offset, offset + len(pm.group("pron")))
    return parse_mention_ending(text, start, end, cache)


def speaker_before(
    text: str, s_start: int, pos: int, cache: dict
) -> tuple[str, ParsedMention | Mention | None] | None:
    """A cue that leads into a quote opening at ``pos``: ``X mengatakan, “`` / ``Menurut X, “``."""
    prefix = text[s_start:pos].rstrip()
    if not prefix:
        return None
    # "Wali Kota menyampaikan”Jalan …”": a speech verb right before the mark leads in as a comma does.
    glued = before_verb_at(text, s_start + len(prefix) - len(prefix.rsplit(None, 1)[-1]), pos)
    if prefix[-1] not in ",:" and not prefix.endswith("bahwa") and glued is None:
        return None
    # "Menurut X, “…”"
    for m in MENURUT.finditer(text, s_start, pos):
        who_end = s_start + len(prefix) - 1
        who = subject_before(text, m.end(), who_end, cache)
        if who is not None:
            return "menurut", who
    verbs = before_verbs(text, s_start, pos)
    if verbs:
        v = verbs[-1]
        if (
            (LEAD_OUT.match(text, v.end()) or not text[v.end() : pos].strip())
            and not text[v.end() : pos].strip(" ,:").replace("bahwa", "").strip()
        ):
            subject_end = s_start + len(ADVERBS.sub("", text[s_start : v.start()]))
            who = subject_before(text, s_start, subject_end, cache)
            if who is not None:
                return v.group("verb"), who
    cue = AFTER_CUE.search(text, s_start, pos)  # "kata X, “…”" (rare)
    if cue and cue.start() == s_start:
        parsed = parse_mention(text, cue.end(), pos, cache)
        if parsed is not None:
            return cue.group("verb"), parsed
    return None



# A verb right after a mention (an age and adverbs may come between): the mention is a subject.
_PREDICATES = load_list("quote_subject_predicates")
VERBISH = re.compile(
    rf"\s*(?:\(\d+\)\s*,?\s*)?(?:(?:{_alt(_ADVERB_WORDS)})\s+)*(?:(?:me|ber|di|ter)\w{{3,}}|(?:{_alt(_PREDICATES)})\b)"
)
AGE = re.compile(r"\s*\(\d{1,3}\)")


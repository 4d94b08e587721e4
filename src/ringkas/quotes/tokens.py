"""Words of a person mention, classified: titles and ranks, roles, affiliation heads and fields,
places, function words, names. Multi-word entries of the lists are one token.

The word lists live in ``data/quote_*``; ``mentions.py`` reads chains of these tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ringkas.lexicon import load_list, load_set



def _phrases(name: str) -> dict[str, list[tuple[str, ...]]]:
    """Multi-word entries of a list, by first word, longest first."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for entry in load_list(name):
        words = tuple(entry.lower().split())
        table.setdefault(words[0], []).append(words)
    for options in table.values():
        options.sort(key=len, reverse=True)
    return table


TITLES = _phrases("quote_titles")
ROLES = _phrases("quote_roles")
REGION_ROLES = frozenset(load_set("quote_region_roles", lower=True))
AFF_HEADS = _phrases("quote_affiliation_heads")
REGION_HEADS = frozenset(load_set("quote_region_heads", lower=True))
FIELD_WORDS = load_set("quote_affiliation_words", lower=True)
PLACE_WORDS = load_set("quote_place_words", lower=True)
UNIT_HEADS = load_set("quote_unit_heads", lower=True)
_AFF_WORDS = FIELD_WORDS | PLACE_WORDS | UNIT_HEADS
_FUNCTION_WORDS = load_set("quote_function_words", lower=True)
PRONOUNS = load_set("quote_pronouns", lower=True)
NAME_PARTICLES = load_set("name_particles", lower=True)

# A word with an optional trailing dot (kept only for titles and initials), a comma, or a short
# parenthesised part: a rank suffix "(Pol)" or an age "(37)".
_TOKEN = re.compile(
    r"\s*(?:(?P<paren>\((?:[A-Z][\w.\-]*(?: [A-Z][\w.\-]*){0,4}|[A-Za-z.]{2,6}|\d{1,3}(?: tahun)?)\))|(?P<comma>,)"
    r"|(?P<slash>/)|(?P<num>\d{1,4}(?![\d.,]|/\d))|(?P<word>[^\W\d_](?:[\w’'\-]|\.(?=[^\W\d_]))*\.?))"
)


def _chain_start_words() -> frozenset[str]:
    """Case-folded first words of roles and titles: where a role or title mention may start."""
    return frozenset(first for table in (ROLES, TITLES) for first in table)


_ROLE_PREFIXES = load_list("quote_role_prefixes")
# One pattern for all the prefixes: this is asked of every capitalised word of a release.
_CONTRACTED_ROLE = re.compile("(?:" + "|".join(re.escape(p) for p in _ROLE_PREFIXES) + r")\w{3,}")


def _is_contracted_role(low: str) -> bool:
    return _CONTRACTED_ROLE.match(low) is not None


_START_WORDS = _chain_start_words()
# One simple pattern and a set lookup: an alternation of hundreds of words is slow in ``re``.
_CAPITALISED = re.compile(r"(?<![\w.])[A-Z][\w’'\-]*\.?")


def chain_starts(text: str) -> list[int]:
    """Offsets where a capitalised role word or title opens a possible mention."""
    out = []
    for m in _CAPITALISED.finditer(text):
        word = m.group().lower()
        if word in _START_WORDS or (word[-1] == "." and word[:-1] in _START_WORDS) or _is_contracted_role(word):
            out.append(m.start())
    return out


_SPEECH_VERBS = load_set("quote_verbs_before", lower=True) | load_set("quote_verbs_clause", lower=True)
_NAME_ABBREVIATIONS = load_set("name_abbreviations", lower=True)
_OUTLETS = load_set("quote_outlets", lower=True)
_SITE_WORD = re.compile(r"\.(?:com|co|id|net|org|news|info|online|tv)\b")
# A capitalised word right after a lower-case one: where a name may start mid-clause.

@dataclass(frozen=True)
class Tok:
    text: str
    start: int
    end: int
    cls: str  # title | role | aff | cap | lower | comma | paren



_Raw = tuple[str, int, int, str, str]  # word, start, end, kind, lower-case word


def _raw_at(text: str, pos: int, cache: dict) -> _Raw | None:
    """The raw token after ``pos`` (a word, a comma, a short parenthesis), or None."""
    key = ("r", pos)
    if key in cache:
        return cache[key]
    m = _TOKEN.match(text, pos)
    raw = None
    if m and "\n\n" in text[pos : m.start(m.lastgroup or "word")]:
        m = None  # a mention never runs over a paragraph break
    if m:
        kind = m.lastgroup or "word"
        s, e = m.start(kind), m.end(kind)
        word = text[s:e]
        if kind == "word" and word[-1] == ".":
            low = word.lower()
            bare = word[:-1]
            # A dot stays with a title or an initial ("H.", "M."), else it ends the sentence.
            if not (
                (low,) in TITLES.get(low, ())
                or (low,) in ROLES.get(low, ())
                or low in _NAME_ABBREVIATIONS
                or (len(bare) == 1 and bare.isupper())
                or "." in bare
                or (low,) in AFF_HEADS.get(low, ())
            ):
                e -= 1
                word = bare
        raw = (word, s, e, kind, word.lower() if kind == "word" else "")
    cache[key] = raw
    return raw


def tok_at(text: str, pos: int, cache: dict) -> Tok | None:
    """The classified token after ``pos``: multi-word titles, roles and heads are one token."""
    if pos in cache:
        return cache[pos]
    first = _raw_at(text, pos, cache)
    tok = None
    if first is not None:
        word, s, e, kind, low = first
        if kind == "word" and "." in word[:-1] and len(word) <= 9 and not word.endswith(".."):
            tok = Tok(word, s, e, "title")  # a dotted degree: S.I.K., S.Tr.K., M.Kes
        elif kind in ("slash", "num"):
            tok = Tok(word, s, e, kind)
        elif kind != "word":
            paren_low = word.lower()
            cls = (
                "comma"
                if kind == "comma"
                else ("title" if (paren_low,) in TITLES.get(paren_low, ()) else "paren")
            )
            tok = Tok(word, s, e, cls)
        else:
            for table, cls in ((TITLES, "title"), (ROLES, "role"), (AFF_HEADS, "aff")):
                # Titles and ranks are written capitalised ("ibu"/"bapak" in lower case are
                # nouns), except the doctors' "dr", "dr." and "drg.".
                if cls == "title" and not word[:1].isupper() and not low.startswith("dr"):
                    continue
                # An organisation's head is capitalised too: "Sekolah Tinggi ...", not "sekolah dibuka"
                if cls == "aff" and not word[:1].isupper():
                    continue
                for option in table.get(low, ()):
                    raws = [first]
                    while len(raws) < len(option):
                        nxt = _raw_at(text, raws[-1][2], cache)
                        if nxt is None or nxt[4] != option[len(raws)]:
                            break
                        raws.append(nxt)
                    if len(raws) == len(option):
                        tok = Tok(" ".join(r[0] for r in raws), s, raws[-1][2], cls)
                        break
                if tok is not None:
                    break
            if tok is None and word[:1].isupper() and _is_contracted_role(low):
                tok = Tok(word, s, e, "role")  # "Kadiskominfo", "Kasatpolpp"
            if tok is None:
                if _SITE_WORD.search(low) or low in _OUTLETS or low in _SPEECH_VERBS:
                    # a site, an outlet, or a speech verb written with a capital ("Msi. Menyampaikan,")
                    cls = "stop"  # "Tribunjogja.com", "Nuansainfo.com-": a site is never a person
                elif low in _FUNCTION_WORDS:
                    cls = "stopcap" if word[:1].isupper() else "stop"
                elif (
                    # "Keluarga Berencana" is a field, "berencana membuat" a verb: field words
                    # count only capitalised
                    (low in _AFF_WORDS and (word[:1].isupper() or low in PLACE_WORDS))
                    or low in cache.get("places", ())
                    or (word.isupper() and len(word) > 1 and word.isalpha())
                    or (not word.isalpha() and any(c.isdigit() for c in word))
                ):
                    cls = "aff"
                elif low.endswith("nya") and len(low) > 5:
                    cls = "stop"  # "Tujuannya, ...": a word with the -nya clitic is no name
                elif word[:1].isupper():
                    cls = "cap"
                elif low in NAME_PARTICLES:
                    cls = "particle"
                else:
                    cls = "lower"
                tok = Tok(word, s, e, cls)
    cache[pos] = tok
    return tok


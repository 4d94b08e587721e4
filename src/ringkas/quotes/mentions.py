"""Person mentions in Indonesian news text, and their resolution to people.

A mention is a chain such as ``Ketua Dekranasda Kabupaten Blitar H. Hadi Prasetyo``, ``Bupati
Blitar, Sri Wulandari``, ``Irjen Bambang`` or a role alone (``Presiden``). Written by hand because
no library parses Indonesian role + affiliation + honorific + name appositions: NER models tag
the whole chain or miss the role, and none splits ranks (``Ajun Komisaris Besar``) from names.
The word lists (roles, titles and ranks, affiliation heads, place words) live in ``data/quote_*``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ringkas.lexicon import load_list, load_set
from ringkas.types import Mention


def _phrases(name: str) -> dict[str, list[tuple[str, ...]]]:
    """Multi-word entries of a list, by first word, longest first."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for entry in load_list(name):
        words = tuple(entry.lower().split())
        table.setdefault(words[0], []).append(words)
    for options in table.values():
        options.sort(key=len, reverse=True)
    return table


_TITLES = _phrases("quote_titles")
_ROLES = _phrases("quote_roles")
_REGION_ROLES = frozenset(load_set("quote_region_roles", lower=True))
_AFF_HEADS = _phrases("quote_affiliation_heads")
_REGION_HEADS = frozenset(load_set("quote_region_heads", lower=True))
_FIELD_WORDS = load_set("quote_affiliation_words", lower=True)
_PLACE_WORDS = load_set("quote_place_words", lower=True)
_UNIT_HEADS = load_set("quote_unit_heads", lower=True)
_AFF_WORDS = _FIELD_WORDS | _PLACE_WORDS | _UNIT_HEADS
_FUNCTION_WORDS = load_set("quote_function_words", lower=True)
PRONOUNS = load_set("quote_pronouns", lower=True)
NAME_PARTICLES = load_set("name_particles", lower=True)

# A word with an optional trailing dot (kept only for titles and initials), a comma, or a short
# parenthesised part: a rank suffix "(Pol)" or an age "(37)".
_TOKEN = re.compile(
    r"\s*(?:(?P<paren>\((?:[A-Z][\w.\-]*(?: [A-Z][\w.\-]*){0,4}|[A-Za-z.]{2,6}|\d{1,3}(?: tahun)?)\))|(?P<comma>,)"
    r"|(?P<slash>/)|(?P<num>\d{1,4}(?![\d.,/]))|(?P<word>[^\W\d_](?:[\w’'\-]|\.(?=[^\W\d_]))*\.?))"
)


def _chain_start_words() -> frozenset[str]:
    """Case-folded first words of roles and titles: where a role or title mention may start."""
    return frozenset(first for table in (_ROLES, _TITLES) for first in table)


_ROLE_PREFIXES = load_list("quote_role_prefixes")


def _is_contracted_role(low: str) -> bool:
    return any(low.startswith(p) and len(low) > len(p) + 2 for p in _ROLE_PREFIXES)


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


_LATER_APPOSITION = re.compile(r"(?:[A-Z][\w.'’-]*|\([^()]{1,20}\))(?:\s+(?:[A-Z][\w.'’-]*|\([^()]{1,20}\)|dan)){0,8},\s+[A-Z]")
_OUTLETS = load_set("quote_outlets", lower=True)
_SITE_WORD = re.compile(r"\.(?:com|co|id|net|org|news|info|online|tv)\b")
# A capitalised word right after a lower-case one: where a name may start mid-clause.
_CAP_WORD = re.compile(r"(?<=[a-z] )[A-Z]")


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int
    cls: str  # title | role | aff | cap | lower | comma | paren


@dataclass(frozen=True)
class ParsedMention:
    """A mention chain split into its parts; ``name`` is None for a role alone."""

    start: int
    end: int
    name: str | None
    role: str | None
    affiliation: str | None

    def mention(self, text: str) -> Mention:
        """The chain as a Mention of ``text``."""
        return Mention(text[self.start : self.end], self.start, self.end)


_Raw = tuple[str, int, int, str, str]  # word, start, end, kind, lower-case word


def _raw_at(text: str, pos: int, cache: dict) -> _Raw | None:
    """The raw token after ``pos`` (a word, a comma, a short parenthesis), or None."""
    key = ("r", pos)
    if key in cache:
        return cache[key]
    m = _TOKEN.match(text, pos)
    raw = None
    if m:
        kind = m.lastgroup or "word"
        s, e = m.start(kind), m.end(kind)
        word = text[s:e]
        if kind == "word" and word[-1] == ".":
            low = word.lower()
            bare = word[:-1]
            # A dot stays with a title or an initial ("H.", "M."), else it ends the sentence.
            if not (
                (low,) in _TITLES.get(low, ())
                or (low,) in _ROLES.get(low, ())
                or (len(bare) == 1 and bare.isupper())
                or "." in bare
                or (low,) in _AFF_HEADS.get(low, ())
            ):
                e -= 1
                word = bare
        raw = (word, s, e, kind, word.lower() if kind == "word" else "")
    cache[key] = raw
    return raw


def _tok_at(text: str, pos: int, cache: dict) -> _Tok | None:
    """The classified token after ``pos``: multi-word titles, roles and heads are one token."""
    if pos in cache:
        return cache[pos]
    first = _raw_at(text, pos, cache)
    tok = None
    if first is not None:
        word, s, e, kind, low = first
        if kind == "word" and "." in word[:-1] and len(word) <= 9 and not word.endswith(".."):
            tok = _Tok(word, s, e, "title")  # a dotted degree: S.I.K., S.Tr.K., M.Kes
        elif kind in ("slash", "num"):
            tok = _Tok(word, s, e, kind)
        elif kind != "word":
            paren_low = word.lower()
            cls = (
                "comma"
                if kind == "comma"
                else ("title" if (paren_low,) in _TITLES.get(paren_low, ()) else "paren")
            )
            tok = _Tok(word, s, e, cls)
        else:
            for table, cls in ((_TITLES, "title"), (_ROLES, "role"), (_AFF_HEADS, "aff")):
                # Titles and ranks are written capitalised ("ibu"/"bapak" in lower case are
                # nouns), except the doctors' "dr", "dr." and "drg.".
                if cls == "title" and not word[:1].isupper() and not low.startswith("dr"):
                    continue
                for option in table.get(low, ()):
                    raws = [first]
                    while len(raws) < len(option):
                        nxt = _raw_at(text, raws[-1][2], cache)
                        if nxt is None or nxt[4] != option[len(raws)]:
                            break
                        raws.append(nxt)
                    if len(raws) == len(option):
                        tok = _Tok(" ".join(r[0] for r in raws), s, raws[-1][2], cls)
                        break
                if tok is not None:
                    break
            if tok is None and word[:1].isupper() and _is_contracted_role(low):
                tok = _Tok(word, s, e, "role")  # "Kadiskominfo", "Kasatpolpp"
            if tok is None:
                if _SITE_WORD.search(low) or low in _OUTLETS:
                    cls = "stop"  # "Tribunjogja.com", "Nuansainfo.com-": a site is never a person
                elif low in _FUNCTION_WORDS:
                    cls = "stopcap" if word[:1].isupper() else "stop"
                elif (
                    # "Keluarga Berencana" is a field, "berencana membuat" a verb: field words
                    # count only capitalised
                    (low in _AFF_WORDS and (word[:1].isupper() or low in _PLACE_WORDS))
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
                tok = _Tok(word, s, e, cls)
    cache[pos] = tok
    return tok


def _chain(text: str, pos: int, end: int, cache: dict) -> list[_Tok]:
    """The longest run of tokens from ``pos`` (up to ``end``) that reads as one person mention."""
    out: list[_Tok] = []
    has_name = has_role = has_title = False
    # Inside an organisation's name ("Kantor Kesyahbandaran Utama Tanjung Priok, Agus Hermawan",
    # "Universitas Jenderal Soedirman, Chusmeru") capitalised words are the organisation's, not
    # a person's: the name comes after the comma.
    in_org = False
    lower_run = 0
    t = _tok_at(text, pos, cache)
    if t is not None and t.end > end:
        t = None
    while t is not None:
        nxt = _tok_at(text, t.end, cache)
        if nxt is not None and nxt.end > end:
            nxt = None
        cls = t.cls
        if cls == "stopcap":
            # "Kepala Satuan Lalu Lintas": inside an affiliation a capitalised function word is
            # part of the name of the unit; elsewhere it ends the mention.
            if (
                has_role
                and out
                and nxt is not None
                and (nxt.cls == "aff" or (nxt.cls == "cap" and not has_name))
            ):
                t = _Tok(t.text, t.start, t.end, "aff")
                cls = "aff"
            else:
                cls = "stop"
        if cls == "stop" and t.text == "yang" and has_role and not has_name and nxt is not None and nxt.text == "juga":
            # "Kepala BNPB yang juga Ketua Satgas Covid-19 Doni Monardo": a second office follows
            after = _tok_at(text, nxt.end, cache)
            if after is not None and after.cls == "role" and after.end <= end:
                out += [_Tok(t.text, t.start, t.end, "lower"), _Tok(nxt.text, nxt.start, nxt.end, "lower")]
                t = after
                continue
        if cls == "stop":
            # "Menteri Koordinator Bidang Politik, Hukum, dan Keamanan Arif ST"
            listing = out and out[-1].cls == "comma"  # "Meteorologi, Klimatologi, dan Geofisika"
            # "General Manager Pelabuhan X dan Terminal Y (GSN), Dhany ...": two offices, then the name
            two_offices = not has_title and nxt is not None and bool(_LATER_APPOSITION.match(text, nxt.start, end))
            if not (
                t.text == "dan"
                and has_role
                and nxt is not None
                and (nxt.cls == "aff" or (nxt.cls == "cap" and (listing or not has_name or two_offices)))
            ):
                break
        if cls == "comma":
            # An apposition goes on with a capitalised part; after a name, only degrees follow.
            # "Bidang Politik, Hukum, dan Keamanan": a list of fields goes on after "dan".
            listed = nxt is not None and nxt.text == "dan" and has_role and not has_title
            if nxt is None or (nxt.cls not in ("cap", "aff", "title", "role") and not listed):
                break
            if nxt.cls == "role" and not nxt.text[:1].isupper():
                break
            # "Bupati Blitar, Sri Wulandari": a role's place is capitalised like a name, so a
            # role chain may go on after a comma; a chain with a rank or a full apposition not.
            if has_name and nxt.cls != "title" and (not has_role or has_title or nxt.cls == "role"):
                break
        elif cls == "lower":
            # "pengajar sosiologi Universitas ...": a few plain words may follow a role word.
            if not has_role or has_name or lower_run >= 3:
                break
            lower_run += 1
        elif cls == "particle":
            if not has_name or nxt is None or nxt.cls != "cap":
                break
        elif cls == "role":
            if has_name:
                break  # "Sri Wulandari Ketua ..." starts another mention
            has_role = True
        elif cls == "paren":
            if not out:
                break
        elif cls in ("slash", "num"):
            # "Menteri Riset dan Teknologi/Kepala Badan ...", "Daop 1 Jakarta": only inside a
            # role's affiliation, never in a name.
            if not has_role or has_title or nxt is None or nxt.cls not in ("role", "aff", "cap"):
                break
            t = _Tok(t.text, t.start, t.end, "aff")
        elif cls == "cap":
            has_name = has_name or not in_org
        elif cls == "title":
            if in_org and t.text.isalpha() and len(t.text) >= 6:
                t = _Tok(t.text, t.start, t.end, "aff")  # "Universitas Jenderal ...": a rank in a name
            else:
                has_title = True
        if cls == "aff" and t.text.lower() in _AFF_HEADS:
            # After a role a region head takes one place ("Ketua DPRD Kabupaten Blitar Sri
            # Wulandari"); opening a chain it names a place of any length ("Kecamatan Seputih Raya").
            in_org = not has_role or t.text.lower() not in _REGION_HEADS
        elif cls not in ("cap", "aff", "title"):
            in_org = False
        if t.cls == "stop":
            t = _Tok(t.text, t.start, t.end, "aff")  # "dan" inside an affiliation
        out.append(t)
        t = nxt
    while out and out[-1].cls in ("comma", "lower", "particle"):
        out.pop()
    return out


def _extend_role(role_toks: list[_Tok], rest: list[_Tok]) -> None:
    """Move the unit and field words that follow a role into it: "Kepala Dinas Kesehatan" |
    "Kabupaten Tulungagung", "Direktur Pemasaran" | "NEHI"; places, acronyms and other heads
    start the affiliation."""
    after_unit = False
    while role_toks and rest:
        t = rest[0]
        low = t.text.lower()
        nxt = rest[1].text if len(rest) > 1 else ""
        if t.cls == "comma":
            # "Bidang Politik, Hukum, dan Keamanan"
            if not (
                nxt.lower() == "dan" or (nxt.lower() in _FIELD_WORDS and nxt.lower() not in _PLACE_WORDS)
            ):
                break
        elif low in _UNIT_HEADS:
            after_unit = True
        elif low in _FIELD_WORDS and low not in _PLACE_WORDS:
            after_unit = False
        elif not (
            (
                low == "dan"
                and (nxt.lower() in _FIELD_WORDS or nxt.lower() in _UNIT_HEADS or nxt.isupper() or after_unit)
            )
            or (t.text.isupper() and role_toks[-1].text == "dan")  # "Koperasi dan UMKM"
            or (t.cls == "cap" and after_unit and not t.text.isupper())  # "Bidang Kemahasiswaan"
            or t.text[:1].islower()  # "Ketua panitia", "Pengajar sosiologi"
        ):
            break
        role_toks.append(rest.pop(0))


def _interpret(text: str, toks: list[_Tok]) -> ParsedMention | None:
    """Split a chain into role, affiliation and name."""
    if not toks:
        return None
    toks = [t for t in toks if not (t.cls == "paren" and t.text[1:2].isdigit())] or toks
    # Degrees after a name ("Yosef Lamanepa, S.Sos., M.AP") are no part of the chain's parts.
    while (
        len(toks) > 1
        and toks[-1].cls in ("title", "comma")
        and toks[-1].text[:1] != "("
        and any(t.cls == "cap" for t in toks[:-1])
    ):
        if toks[-1].cls == "title" and not ("." in toks[-1].text or toks[-1].text.isupper()):
            break
        toks = toks[:-1]
    title_idx = [i for i, t in enumerate(toks) if t.cls == "title"]
    name_toks: list[_Tok] = []
    prefix: list[_Tok]
    if title_idx:
        first = title_idx[0]
        # After a rank or honorific comes the name; a head word there ("Ibu Kota") is no name.
        name_toks = [
            t
            for t in toks[first:]
            if t.cls in ("cap", "particle") or (t.cls == "aff" and t.text.lower() not in _AFF_HEADS)
        ]
        prefix = toks[:first]
        # "M Bambang Sutrisno", "Sukirman": everything after the rank or honorific is the name.
    else:
        commas = [i for i, t in enumerate(toks) if t.cls == "comma"]
        last = toks[commas[-1] + 1 :] if commas else toks
        if commas and last and all(t.cls in ("cap", "particle") for t in last):
            name_toks = last
            prefix = toks[: commas[-1]]
        else:
            head = toks[: commas[-1] + 1] if commas else []
            seg = [t for t in last]
            roles = []
            while seg and seg[0].cls in ("role", "lower"):
                roles.append(seg.pop(0))
            marks = [t.cls for t in seg]
            # A region role takes a place right after it: "Bupati Blitar Sri Wulandari".
            region_role = any(r.text.lower() in _REGION_ROLES for r in roles)
            caps = [i for i, c in enumerate(marks) if c == "cap"]
            if region_role and seg and marks[0] == "cap" and len(caps) >= 3:
                marks[0] = "aff"
            for i in range(1, len(seg)):
                if seg[i - 1].text.lower() in _REGION_HEADS and marks[i] == "cap":
                    marks[i] = "aff"
            # An acronym right after a name is part of it ("Arif ST"), not an organisation.
            for i in range(1, len(seg)):
                if marks[i] == "aff" and seg[i].text.isupper() and marks[i - 1] == "cap":
                    marks[i] = "cap"
            j = max((i for i, c in enumerate(marks) if c in ("aff", "paren")), default=-1)
            name_toks = [t for t, c in zip(seg[j + 1 :], marks[j + 1 :], strict=True) if c in ("cap", "particle")]
            prefix = head + roles + seg[: j + 1]
    role_toks = []
    rest = list(prefix)
    while rest and rest[0].cls in ("role", "lower"):
        role_toks.append(rest.pop(0))
    _extend_role(role_toks, rest)
    while rest and (rest[0].cls == "comma" or rest[0].text == "/"):
        rest.pop(0)
    while rest and rest[-1].cls == "comma":
        rest.pop()
    role = text[role_toks[0].start : role_toks[-1].end] if role_toks else None
    aff = text[rest[0].start : rest[-1].end] if rest else None
    name = " ".join(t.text for t in name_toks) if name_toks else None
    if name is None and role is None:
        return None
    return ParsedMention(toks[0].start, toks[-1].end, name, role, aff)


def parse_mention(
    text: str, pos: int, end: int | None = None, cache: dict | None = None
) -> ParsedMention | None:
    """The person mention that starts at ``pos`` (after spaces), or None.

    ``cache`` (a dict kept for one text) lets many calls share the tokens they read.
    """
    end = len(text) if end is None else end
    cache = {} if cache is None else cache
    toks = _chain(text, pos, end, cache)
    parsed = _interpret(text, toks)
    if parsed is None:
        return None
    return _with_trailing_role(text, parsed, end, cache)


def _with_trailing_role(text: str, parsed: ParsedMention, end: int, cache: dict) -> ParsedMention:
    """Add a role written after a name (``Rizal Fahmi, anggota tim kuasa hukum``)."""
    if parsed.name is None or parsed.role is not None:
        return parsed
    m = _COMMA.match(text, parsed.end, end)
    if not m:
        return parsed
    tok = _tok_at(text, m.end() - 1, cache)
    if tok is None or tok.cls != "role":
        return parsed
    after = parse_mention(text, m.end(), end, cache)
    if after is None or after.role is None:
        return parsed
    phrase = text[m.end() : after.end]
    if after.name is None and after.affiliation and phrase == f"{after.role} {after.affiliation}":
        return ParsedMention(parsed.start, parsed.end, parsed.name, after.role, after.affiliation)
    # "anggota tim kuasa hukum", "juru bicara Andi Mappatoba": the whole apposition is the role.
    return ParsedMention(parsed.start, parsed.end, parsed.name, phrase, None)


_COMMA = re.compile(r"\s*,\s")
# "Andi Anwar (36), warga kota ..., menyatakan": an age between the name and the comma
_AGE_THEN = re.compile(r"\s*\(\d{1,3}(?: tahun)?\)\s*(?:,|$)")


def parse_mention_ending(text: str, start: int, end: int, cache: dict | None = None) -> ParsedMention | None:
    """The first mention that fills ``text[s:end]`` (up to a comma), for a clause start s >= start."""
    # Try the clause start, then after each comma: "Sementara itu, Direktur X Rudolf mengatakan".
    candidates = [start] + [i + 1 for i in range(start, end) if text[i] == ","]
    # A subheading glued to the paragraph ("Belum bisa detail Direktur Jenderal ... Darto
    # menyatakan"): a role or a title may also open the subject.
    candidates += [m.start() for m in _CAP_WORD.finditer(text, start, end)]
    for s in sorted(set(candidates)):
        parsed = parse_mention(text, s, end, cache)
        # The chain fills the clause, or a comma sets off what follows it: "Arif ST, Kamis
        # (30/7/2020) di Jakarta, mengatakan".
        if parsed is not None and (
            not text[parsed.end : end].strip() or text[parsed.end] == "," or _AGE_THEN.match(text, parsed.end, end)
        ):
            return parsed
        if parsed is not None and parsed.name is not None and parsed.role is None:
            # "Kahril Kasi Kelurahan mengaku": a name, then its role without a comma
            after = parse_mention(text, parsed.end, end, cache)
            if after is not None and after.name is None and not text[after.end : end].strip():
                return ParsedMention(parsed.start, after.end, parsed.name, after.role, after.affiliation)
    return None


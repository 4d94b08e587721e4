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

from ringkas.lexicon import load_list
from ringkas.quotes.tokens import (
    AFF_HEADS, FIELD_WORDS, PLACE_WORDS, REGION_HEADS, REGION_ROLES, UNIT_HEADS, Tok, tok_at,
)
from ringkas.types import Mention

_LATER_APPOSITION = re.compile(r"(?:[A-Z][\w.'’-]*|\([^()]{1,20}\))(?:\s+(?:[A-Z][\w.'’-]*|\([^()]{1,20}\)|dan)){0,8},\s+[A-Z]")
_CAP_WORD = re.compile(r"(?<=[a-z] )[A-Z]")


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


def _chain(text: str, pos: int, end: int, cache: dict) -> list[Tok]:
    """The longest run of tokens from ``pos`` (up to ``end``) that reads as one person mention."""
    out: list[Tok] = []
    has_name = has_role = has_title = False
    # Inside an organisation's name ("Kantor Kesyahbandaran Utama Tanjung Priok, Agus Hermawan",
    # "Universitas Jenderal Soedirman, Chusmeru") capitalised words are the organisation's, not
    # a person's: the name comes after the comma.
    in_org = False
    lower_run = 0
    t = tok_at(text, pos, cache)
    if t is not None and t.end > end:
        t = None
    while t is not None:
        nxt = tok_at(text, t.end, cache)
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
                t = Tok(t.text, t.start, t.end, "aff")
                cls = "aff"
            else:
                cls = "stop"
        if cls == "stop" and t.text == "yang" and has_role and not has_name and nxt is not None and nxt.text == "juga":
            # "Kepala BNPB yang juga Ketua Satgas Covid-19 Doni Monardo": a second office follows
            after = tok_at(text, nxt.end, cache)
            if after is not None and after.cls == "role" and after.end <= end:
                out += [Tok(t.text, t.start, t.end, "lower"), Tok(nxt.text, nxt.start, nxt.end, "lower")]
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
            if not has_role or has_title or nxt is None or nxt.cls not in ("role", "aff", "cap", "slash"):
                break  # ("Dandim 1610/Klungkung": a unit's number and its town)
            t = Tok(t.text, t.start, t.end, "aff")
        elif cls == "cap":
            has_name = has_name or not in_org
        elif cls == "title":
            if in_org and t.text.isalpha() and len(t.text) >= 6:
                t = Tok(t.text, t.start, t.end, "aff")  # "Universitas Jenderal ...": a rank in a name
            else:
                has_title = True
        if cls == "aff" and t.text.lower() in AFF_HEADS:
            # After a role a region head takes one place ("Ketua DPRD Kabupaten Blitar Sri
            # Wulandari"); opening a chain it names a place of any length ("Kecamatan Seputih Raya").
            in_org = not has_role or t.text.lower() not in REGION_HEADS
        elif cls not in ("cap", "aff", "title"):
            in_org = False
        if t.cls == "stop":
            t = Tok(t.text, t.start, t.end, "aff")  # "dan" inside an affiliation
        out.append(t)
        t = nxt
    while out and out[-1].cls in ("comma", "lower", "particle"):
        out.pop()
    return out


def _extend_role(role_toks: list[Tok], rest: list[Tok]) -> None:
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
                nxt.lower() == "dan" or (nxt.lower() in FIELD_WORDS and nxt.lower() not in PLACE_WORDS)
            ):
                break
        elif low in UNIT_HEADS:
            after_unit = True
        elif low in FIELD_WORDS and low not in PLACE_WORDS:
            after_unit = False
        elif not (
            (
                low == "dan"
                and (nxt.lower() in FIELD_WORDS or nxt.lower() in UNIT_HEADS or nxt.isupper() or after_unit)
            )
            or (t.text.isupper() and role_toks[-1].text == "dan")  # "Koperasi dan UMKM"
            or (t.cls == "cap" and after_unit and not t.text.isupper())  # "Bidang Kemahasiswaan"
            or t.text[:1].islower()  # "Ketua panitia", "Pengajar sosiologi"
        ):
            break
        role_toks.append(rest.pop(0))


def _interpret(text: str, toks: list[Tok]) -> ParsedMention | None:
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
    name_toks: list[Tok] = []
    prefix: list[Tok]
    if title_idx:
        first = title_idx[0]
        # After a rank or honorific comes the name; a head word there ("Ibu Kota") is no name.
        name_toks = [
            t
            for t in toks[first:]
            if t.cls in ("cap", "particle") or (t.cls == "aff" and t.text.lower() not in AFF_HEADS)
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
            region_role = any(r.text.lower() in REGION_ROLES for r in roles)
            caps = [i for i, c in enumerate(marks) if c == "cap"]
            if region_role and seg and marks[0] == "cap" and len(caps) >= 3:
                marks[0] = "aff"
            for i in range(1, len(seg)):
                if seg[i - 1].text.lower() in REGION_HEADS and marks[i] == "cap":
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
    tok = tok_at(text, m.end() - 1, cache)
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
_FROM_ORG = re.compile(r"\s+dari\s+(?P<org>(?:PT|CV|Universitas|Institut|Yayasan|Lembaga|Dinas|Badan|Kantor|[A-Z]{2,})\b[^,.;]{0,60}?)\s*$")
_APPOSITION = re.compile(
    r"\s+(?:" + "|".join(re.escape(m) for m in load_list("quote_apposition_markers")) + r")\b(?P<rest>.*)", re.DOTALL
)
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
        if parsed is not None and parsed.name is not None and parsed.role is None and len(parsed.name.split()) > 1:
            # "Sukrianto Paputungan salah satu petugas Dinkes mengatakan": a name, then an apposition
            origin = _FROM_ORG.match(text, parsed.end, end)
            if origin and not text[origin.end() : end].strip():
                # "Reynaldi dari PT House of Rattan mengatakan": where the person comes from
                return ParsedMention(parsed.start, origin.end(), parsed.name, None, origin.group("org"))
            marker = _APPOSITION.match(text, parsed.end, end)
            if marker:
                role = text[marker.start("rest") : end].strip(" ,")
                return ParsedMention(parsed.start, parsed.end, parsed.name, role or None, None)
        if parsed is not None and parsed.name is not None and parsed.role is None:
            # "Kahril Kasi Kelurahan mengaku": a name, then its role without a comma
            after = parse_mention(text, parsed.end, end, cache)
            if after is not None and after.name is None and not text[after.end : end].strip():
                return ParsedMention(parsed.start, after.end, parsed.name, after.role, after.affiliation)
    return None


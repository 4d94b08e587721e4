"""Person mentions in Indonesian news text, and their resolution to people.

A mention is a chain such as ``Ketua Dekranasda Kabupaten Blitar H. Zaenal Arifin``, ``Bupati
Blitar, Rini Syarifah``, ``Irjen Fadil`` or a role alone (``Presiden``). Written by hand because
no library parses Indonesian role + affiliation + honorific + name appositions: NER models tag
the whole chain or miss the role, and none splits ranks (``Ajun Komisaris Besar``) from names.
The word lists (roles, titles and ranks, affiliation heads, place words) live in ``data/quote_*``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import load_list, load_set
from .types import Mention, Person


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
_AFF_WORDS = load_set("quote_affiliation_words", lower=True)
_FUNCTION_WORDS = load_set("quote_function_words", lower=True)
PRONOUNS = load_set("quote_pronouns", lower=True)
_NAME_PARTICLES = frozenset({"bin", "binti", "van", "der", "de", "al", "el", "da", "di"})

# A word with an optional trailing dot (kept only for titles and initials), a comma, or a short
# parenthesised part: a rank suffix "(Pol)" or an age "(37)".
_TOKEN = re.compile(
    r"\s*(?:(?P<paren>\((?:[A-Za-z.]{2,6}|\d{1,3}(?: tahun)?)\))|(?P<comma>,)"
    r"|(?P<word>[^\W\d_](?:[\w’'\-]|\.(?=[^\W\d_]))*\.?))"
)


def _chain_start_pattern() -> re.Pattern[str]:
    """Where a role or title mention may start: a capitalised role word or a title."""
    words = set()
    for table in (_ROLES, _TITLES):
        for first in table:
            words.add(first[:1].upper() + first[1:])
    words.discard("")
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alt})(?![\w])")


CHAIN_START = _chain_start_pattern()
_CAP_WORD = re.compile(r"(?<![\w.’'\-])[A-Z]")


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


class _Stream:
    """Classified tokens from an offset, made on demand: most chains end after a few words."""

    __slots__ = ("text", "pos", "end", "raw", "low", "toks", "next_raw")

    def __init__(self, text: str, pos: int, end: int):
        self.text, self.pos, self.end = text, pos, end
        self.raw: list[tuple[str, int, int, str]] = []
        self.low: list[str] = []
        self.toks: list[_Tok] = []
        self.next_raw = 0

    def _fill(self, n: int) -> bool:
        """Make sure ``n`` raw tokens are read; False at the first character no token takes."""
        text = self.text
        while len(self.raw) < n:
            m = _TOKEN.match(text, self.pos, self.end)
            if not m:
                return False
            kind = m.lastgroup or "word"
            s, e = m.start(kind), m.end(kind)
            word = text[s:e]
            if kind == "word" and word[-1] == ".":
                low = word.lower()
                bare = word[:-1]
                # A dot stays with a title or an initial ("H.", "M."), else it ends the sentence.
                if not (
                    (low,) in _TITLES.get(low, ())
                    or (len(bare) == 1 and bare.isupper())
                    or "." in bare
                    or (low,) in _AFF_HEADS.get(low, ())
                ):
                    e -= 1
                    word = bare
            self.raw.append((word, s, e, kind))
            self.low.append(word.lower() if kind == "word" else "")
            self.pos = e
        return True

    def _phrase(self, i: int, table: dict[str, list[tuple[str, ...]]]) -> int:
        """Length of the longest entry of ``table`` at raw token ``i``; 0 if none."""
        for option in table.get(self.low[i], ()):
            n = len(option)
            if n == 1 or (self._fill(i + n) and tuple(self.low[i : i + n]) == option):
                return n
        return 0

    def get(self, k: int) -> _Tok | None:
        """The k-th classified token, or None past the end of the chain's reach."""
        while len(self.toks) <= k:
            i = self.next_raw
            if not self._fill(i + 1):
                return None
            word, s, e, kind = self.raw[i]
            if kind != "word":
                low = word.lower()
                cls = "comma" if kind == "comma" else ("title" if (low,) in _TITLES.get(low, ()) else "paren")
                self.toks.append(_Tok(word, s, e, cls))
                self.next_raw = i + 1
                continue
            for table, cls in ((_TITLES, "title"), (_ROLES, "role"), (_AFF_HEADS, "aff")):
                # Titles and ranks are written capitalised; "ibu"/"bapak" in lower case are nouns.
                if cls == "title" and not word[:1].isupper():
                    continue
                n = self._phrase(i, table)
                if n:
                    self.toks.append(_Tok(" ".join(r[0] for r in self.raw[i : i + n]), s, self.raw[i + n - 1][2], cls))
                    self.next_raw = i + n
                    break
            else:
                low = self.low[i]
                if low in _FUNCTION_WORDS:
                    cls = "stop"
                elif low in _AFF_WORDS or (word.isupper() and len(word) > 1 and word.isalpha()):
                    cls = "aff"
                elif word[:1].isupper():
                    cls = "cap"
                elif low in _NAME_PARTICLES:
                    cls = "particle"
                else:
                    cls = "lower"
                self.toks.append(_Tok(word, s, e, cls))
                self.next_raw = i + 1
        return self.toks[k]


def _match_phrase(words: list[str], i: int, table: dict[str, list[tuple[str, ...]]]) -> int:
    """Length (in words) of the longest entry of ``table`` starting at ``words[i]``; 0 if none."""
    for option in table.get(words[i], ()):
        if tuple(words[i : i + len(option)]) == option:
            return len(option)
    return 0


def _chain(stream: _Stream) -> list[_Tok]:
    """The longest run of tokens from the stream's start that reads as one person mention."""
    out: list[_Tok] = []
    has_name = has_role = has_title = False
    lower_run = 0
    i = 0
    t = stream.get(0)
    while t is not None:
        nxt = stream.get(i + 1)
        cls = t.cls
        if cls == "stop":
            break
        if cls == "comma":
            # An apposition goes on with a capitalised part; after a name, only degrees follow.
            if nxt is None or nxt.cls not in ("cap", "aff", "title", "role"):
                break
            if nxt.cls == "role" and not nxt.text[:1].isupper():
                break
            # "Bupati Blitar, Rini Syarifah": a role's place is capitalised like a name, so a
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
                break  # "Rini Syarifah Ketua ..." starts another mention
            has_role = True
        elif cls == "paren":
            if not out:
                break
        elif cls == "cap":
            has_name = True
        elif cls == "title":
            has_title = True
        out.append(t)
        i += 1
        t = nxt
    while out and out[-1].cls in ("comma", "lower", "particle"):
        out.pop()
    return out


def _interpret(text: str, toks: list[_Tok]) -> ParsedMention | None:
    """Split a chain into role, affiliation and name."""
    if not toks:
        return None
    toks = [t for t in toks if not (t.cls == "paren" and t.text[1:2].isdigit())] or toks
    title_idx = [i for i, t in enumerate(toks) if t.cls == "title"]
    name_toks: list[_Tok] = []
    prefix: list[_Tok]
    if title_idx:
        first = title_idx[0]
        name_toks = [t for t in toks[first:] if t.cls in ("cap", "aff", "particle")]
        prefix = toks[:first]
        # "M Fadil Imran", "Ngajib": everything after the rank or honorific is the name.
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
            # A region role takes a place right after it: "Bupati Blitar Rini Syarifah".
            region_role = any(r.text.lower() in _REGION_ROLES for r in roles)
            caps = [i for i, c in enumerate(marks) if c == "cap"]
            if region_role and seg and marks[0] == "cap" and len(caps) >= 3:
                marks[0] = "aff"
            for i in range(1, len(seg)):
                if seg[i - 1].text.lower() in _REGION_HEADS and marks[i] == "cap":
                    marks[i] = "aff"
            j = max((i for i, c in enumerate(marks) if c in ("aff", "paren")), default=-1)
            name_toks = [t for t, c in zip(seg[j + 1 :], marks[j + 1 :]) if c in ("cap", "particle")]
            prefix = head + roles + seg[: j + 1]
    role_toks = []
    rest = list(prefix)
    while rest and rest[0].cls in ("role", "lower"):
        role_toks.append(rest.pop(0))
    while rest and rest[0].cls == "comma":
        rest.pop(0)
    while rest and rest[-1].cls == "comma":
        rest.pop()
    role = text[role_toks[0].start : role_toks[-1].end] if role_toks else None
    aff = text[rest[0].start : rest[-1].end] if rest else None
    name = " ".join(t.text for t in name_toks) if name_toks else None
    if name is None and role is None:
        return None
    return ParsedMention(toks[0].start, toks[-1].end, name, role, aff)


def parse_mention(text: str, pos: int, end: int | None = None) -> ParsedMention | None:
    """The person mention that starts at ``pos`` (after spaces), or None."""
    end = len(text) if end is None else end
    toks = _chain(_Stream(text, pos, end))
    parsed = _interpret(text, toks)
    if parsed is None:
        return None
    return _with_trailing_role(text, parsed, end)


_TRAILING_ROLE = re.compile(r",\s+((?:[a-z][\w\-]*\s+){0,5}?[a-z][\w\-]*)(?=\s*[,.;:]|\s+(?:di|dalam|saat|pada|ketika|kepada|usai|seusai)\b|\s*$)")


def _with_trailing_role(text: str, parsed: ParsedMention, end: int) -> ParsedMention:
    """Add a role written after a name (``Aziz Yanuar, anggota tim kuasa hukum``)."""
    if parsed.name is None or parsed.role is not None:
        return parsed
    m = _TRAILING_ROLE.match(text, parsed.end, end)
    if not m:
        return parsed
    phrase = m.group(1)
    words = phrase.lower().split()
    if not _match_phrase(words, 0, _ROLES):
        return parsed
    return ParsedMention(parsed.start, parsed.end, parsed.name, phrase, parsed.affiliation)


def parse_mention_ending(text: str, start: int, end: int) -> ParsedMention | None:
    """The longest mention that fills ``text[s:end]`` exactly, for some clause start s >= start."""
    # Try the clause start, then after each comma: "Sementara itu, Direktur X Vinsen mengatakan".
    candidates = [start] + [i + 1 for i in range(start, end) if text[i] == ","]
    # A subheading glued to the paragraph ("Belum bisa detail Direktur Jenderal ... Asep
    # menyatakan"): a role or a title may also open the subject.
    candidates += [m.start() for m in _CAP_WORD.finditer(text, start, end)]
    for s in sorted(set(candidates)):
        parsed = parse_mention(text, s, end)
        if parsed is not None and not text[parsed.end : end].strip():
            return parsed
    return None


def name_words(name: str) -> frozenset[str]:
    """Case-folded words of a name, for alias matching."""
    return frozenset(w.lower().strip(".") for w in name.split() if w.lower() not in _NAME_PARTICLES)


@dataclass
class _Draft:
    name: str
    words: frozenset[str]
    role: str | None
    affiliation: str | None
    mentions: list[Mention] = field(default_factory=list)
    role_only: bool = False


class PeopleRegistry:
    """People of one article, built mention by mention (short forms join full names)."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self._seen: set[tuple[int, int]] = set()

    def _note(self, idx: int, mention: Mention | None) -> None:
        if mention is not None and (mention.start, mention.end) not in self._seen:
            self._seen.add((mention.start, mention.end))
            self.drafts[idx].mentions.append(mention)

    def add(self, parsed: ParsedMention, mention: Mention | None) -> tuple[int, str]:
        """Link a parsed mention to a person (creating one when new); returns (index, how)."""
        if parsed.name is None:
            return self.add_role(parsed, mention)
        words = name_words(parsed.name)
        best = None
        for i in range(len(self.drafts) - 1, -1, -1):
            d = self.drafts[i]
            if d.role_only:
                continue
            if words <= d.words or d.words <= words:
                best = i
                break
        if best is None:
            self.drafts.append(_Draft(parsed.name, words, parsed.role, parsed.affiliation))
            best = len(self.drafts) - 1
            how = "named"
        else:
            d = self.drafts[best]
            how = "named" if words == d.words else "alias"
            if len(words) > len(d.words):
                d.name, d.words, how = parsed.name, words, "named"
            if d.role is None and parsed.role:
                d.role = parsed.role
            if d.affiliation is None and parsed.affiliation:
                d.affiliation = parsed.affiliation
        self._note(best, mention)
        return best, how

    def add_role(self, parsed: ParsedMention, mention: Mention | None) -> tuple[int, str]:
        """Link a role-only mention ("Presiden") to the latest person holding that role."""
        role = (parsed.role or "").lower()
        aff = (parsed.affiliation or "").lower()
        for i in range(len(self.drafts) - 1, -1, -1):
            d = self.drafts[i]
            held = f"{d.role or ''} {d.affiliation or ''}".lower()
            if role and role in (d.role or "").lower() and (not aff or aff in held):
                self._note(i, mention)
                return i, "role"
        label = " ".join(p for p in (parsed.role, parsed.affiliation) if p)
        self.drafts.append(_Draft(label, frozenset(), parsed.role, parsed.affiliation, role_only=True))
        self._note(len(self.drafts) - 1, mention)
        return len(self.drafts) - 1, "role"

    def find(self, name: str) -> int | None:
        """Index of the latest person whose name contains every word of ``name``."""
        words = name_words(name)
        for i in range(len(self.drafts) - 1, -1, -1):
            if not self.drafts[i].role_only and words and words <= self.drafts[i].words:
                return i
        return None

    def note(self, idx: int, mention: Mention | None) -> None:
        """Record one more mention of person ``idx`` (a pronoun, a clitic)."""
        self._note(idx, mention)

    def people(self) -> tuple[list[Person], list[int]]:
        """The people that have a mention, and the map from draft index to people index."""
        out: list[Person] = []
        index = [-1] * len(self.drafts)
        for i, d in enumerate(self.drafts):
            if d.mentions:
                index[i] = len(out)
                out.append(Person(d.name, d.role, d.affiliation, tuple(sorted(d.mentions, key=lambda m: m.start))))
        return out, index

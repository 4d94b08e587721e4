"""Direct quotes and indirect statements of an Indonesian release, with resolved speakers.

Written by hand: no library attributes Indonesian quotes (Kompas-style ``”…”`` where one mark
both opens and closes, ``ujarnya`` clitics, ``Hal itu disampaikan X``). The speech verbs and the
words around titles and slogans are data (``data/quote_*.txt``); mentions and the people they
resolve to are in ``speakers.py``.

How speakers are resolved (``Speaker.resolved``):
    named    the mention holds the person's full name (the longest form seen in the release)
    alias    a short form of a name seen elsewhere (``Rini`` -> ``Rini Syarifah``)
    role     a role alone (``kata Presiden``), linked to the latest person holding that role
    pronoun  dia / ia / beliau / the clitic -nya, or a quote with no cue at all (the speaker goes
             on: ``“A,” kata X. “B.”``); linked to the latest speaker or named sentence subject
             before it, never to a person mentioned only inside a quote (``mention`` is None
             when there was no cue)
    unresolved  nobody to link to
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ringkas.lexicon import load_list, load_set
from ringkas.quotes.speakers import (
    PRONOUNS,
    ParsedMention,
    PeopleRegistry,
    chain_starts,
    parse_mention,
    parse_mention_ending,
)
from ringkas.types import Mention, Quote, QuoteResult, Span, Speaker

_AFTER_VERBS = load_list("quote_verbs_after")
_BEFORE_VERBS = load_list("quote_verbs_before")
_TITLE_CUES = load_set("quote_title_cues", lower=True)


def _alt(words: Sequence[str]) -> str:
    """A regex alternation of words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_MARKS = re.compile(r"[“”\"«»„‟]")
_OPENERS = frozenset("“«„‟")
_PRON = _alt(sorted(PRONOUNS))
# After a closing mark: ", kata X" / "ujarnya" / "kata dia".
_AFTER_CUE = re.compile(rf"\s*,?\s*(?P<verb>{_alt(_AFTER_VERBS)})(?P<nya>nya)?\b(?:\s+(?P<pron>{_PRON})\b)?")
_CLAUSE_VERBS = frozenset(load_list("quote_verbs_clause"))
_BEFORE_SET = frozenset(_BEFORE_VERBS) | _CLAUSE_VERBS
# Candidates by shape, then a set lookup: faster than an alternation of every verb.
_VERB_SHAPE = re.compile(r"\b(?P<verb>(?:me|be)[a-z]+|bilang)\b")


def _before_verbs(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Speech verbs of the "X mengatakan, ..." kind in ``text[start:end]``."""
    return [m for m in _VERB_SHAPE.finditer(text, start, end) if m.group("verb") in _BEFORE_SET]


def _before_verb_at(text: str, pos: int, end: int | None = None) -> re.Match[str] | None:
    """The speech verb starting at ``pos``, or None."""
    m = _VERB_SHAPE.match(text, pos, len(text) if end is None else end)
    return m if m and m.group("verb") in _BEFORE_SET else None


_ADVERBS = re.compile(
    r"(?:\s+(?:juga|pun|kembali|pula|lalu|kemudian|sempat|telah|sudah|lebih lanjut|secara terpisah|"
    r"saat itu|sebelumnya|selanjutnya|sendiri|langsung|pun juga))*\s*$"
)
# What may follow a "before" verb to open a statement: a comma, a colon, bahwa, agar.
_LEAD_OUT = re.compile(r"\s*(?:,\s*(?:bahwa\s+)?|:\s*|\s+bahwa\s*,?\s*|\s+(?=agar\b|supaya\b))")
_MENURUT = re.compile(r"(?<!\w)[Mm]enurut(?:\s+|(?=nya\b))")
_HAL_ITU = re.compile(
    r"(?:Hal|Pernyataan|Keterangan|Penjelasan|Informasi)\s+(?:itu|tersebut|ini)\s+(?:juga\s+)?"
    r"(?P<verb>di\w+kan|di\w+)\s+(?:oleh\s+)?|Demikian\s+(?:(?:juga|pula)\s+)?(?P<verb2>di\w+kan|\w+)\s+(?:oleh\s+)?"
)
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_TRAILING_PUNCT = re.compile(r"[\s.,;:]+$")
_PRONOUN_ONLY = re.compile(rf"(?i)(?:^|.*,\s*)(?P<pron>{_PRON})$")


@dataclass(frozen=True)
class _Pair:
    open: int  # offset of the opening mark
    close: int  # offset of the closing mark
    para_end: int  # end of the paragraph where the quote closes


@dataclass
class _Found:
    kind: str
    start: int
    end: int
    cue: str | None
    who: ParsedMention | Mention | None  # a parsed mention, a pronoun/clitic mention, or nothing
    pos: int  # where the speaker is named (for the order of antecedents)


def _pair_marks(text: str, paragraphs: Sequence[Span]) -> tuple[list[_Pair], list[str]]:
    """Pair double quote marks paragraph by paragraph; a quote may run over paragraphs."""
    pairs: list[_Pair] = []
    unbalanced: list[int] = []
    open_at: int | None = None
    for pi, (p_start, p_end) in enumerate(paragraphs):
        marks = [m.start() for m in _MARKS.finditer(text, p_start, p_end)]
        skip_first = open_at is not None  # a continued quote re-opens with a mark here
        for k, i in enumerate(marks):
            if skip_first and k == 0:
                continue
            ch = text[i]
            before = text[i - 1] if i > p_start else " "
            after = text[i + 1] if i + 1 < p_end else " "
            if open_at is None:
                looks_closing = (
                    not before.isspace() and before not in "([—-" and (after.isspace() or after in ",.;:)")
                )
                if ch == "»" or (ch not in _OPENERS and looks_closing and i > p_start):
                    unbalanced.append(i)
                    continue
                open_at = i
            elif ch in _OPENERS and not after.isspace() and before.isspace():
                unbalanced.append(open_at)
                open_at = i
            else:
                pairs.append(_Pair(open_at, i, p_end))
                open_at = None
        if open_at is not None:
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            if nxt is None or not _MARKS.match(text, nxt[0]):
                unbalanced.append(open_at)
                open_at = None
    return pairs, _unbalanced_warnings(unbalanced)


_MAX_MARK_WARNINGS = 5


def _unbalanced_warnings(offsets: list[int]) -> list[str]:
    """One warning per unbalanced mark, or one line for them all when there are many (a mangled file)."""
    if len(offsets) <= _MAX_MARK_WARNINGS:
        return [f"unbalanced quote mark at offset {i}: no quote extracted" for i in offsets]
    first = ", ".join(str(i) for i in offsets[:_MAX_MARK_WARNINGS])
    return [f"{len(offsets)} unbalanced quote marks (at offsets {first}, ...): no quote extracted there"]


def _word_count(text: str, start: int, end: int) -> int:
    """Number of words in ``text[start:end]``."""
    return len(_WORD.findall(text, start, end))


class _Index:
    """Sentence and paragraph lookup by offset."""

    def __init__(self, sentences: Sequence[Span], paragraphs: Sequence[Span]):
        self.sentences = list(sentences)
        self.s_starts = [s for s, _ in self.sentences]
        self.paragraphs = list(paragraphs)
        self.p_starts = [s for s, _ in self.paragraphs]

    def sentence_at(self, pos: int) -> int:
        """Index of the sentence holding ``pos`` (or the one before it)."""
        return max(0, bisect.bisect_right(self.s_starts, pos) - 1)

    def paragraph_of(self, pos: int) -> Span:
        """The paragraph holding ``pos``."""
        i = max(0, bisect.bisect_right(self.p_starts, pos) - 1)
        return self.paragraphs[i] if self.paragraphs else (0, pos)


def _speaker_after(
    text: str, pos: int, end: int, cache: dict
) -> tuple[str, ParsedMention | Mention | None] | None:
    """A cue right after a closing mark: ``, kata X`` / ``ujarnya`` / ``, X menambahkan``."""
    m = _AFTER_CUE.match(text, pos, end)
    if m:
        verb = m.group("verb")
        if m.group("nya"):
            return verb + "nya", Mention("nya", m.start("nya"), m.end("nya"))
        if m.group("pron"):
            return verb, Mention(m.group("pron"), m.start("pron"), m.end("pron"))
        parsed = parse_mention(text, m.end(), end, cache)
        return verb, parsed
    # Inverted order: ”…,” Rini menambahkan. Only after speech, which ends inside its marks: a
    # slogan (“PEREMPUAN BERDAYA”, Bupati Rini meminta …) keeps its comma outside.
    if text[pos - 2 : pos - 1] not in (",", ".", "?", "!", "…"):
        return None
    lead = re.match(r"\s*,?\s*", text[pos:end]).end() + pos
    parsed = parse_mention(text, lead, end, cache)
    if parsed is not None:
        rest = text[parsed.end : end]
        gap = len(rest) - len(rest.lstrip())
        v = _before_verb_at(text, parsed.end + gap, end)
        if v and gap:
            return v.group("verb"), parsed
    return None


def _subject_before(text: str, start: int, end: int, cache: dict) -> ParsedMention | Mention | None:
    """The speaker that fills ``text[start:end]`` (a mention or a pronoun), or None."""
    clause = text[start:end]
    if clause == "nya":  # "Menurutnya, ..."
        return Mention("nya", start, end)
    pm = _PRONOUN_ONLY.match(clause.strip())
    if pm:
        offset = start + len(clause) - len(clause.lstrip()) + pm.start("pron")
        return Mention(pm.group("pron"), offset, offset + len(pm.group("pron")))
    return parse_mention_ending(text, start, end, cache)


def _speaker_before(
    text: str, s_start: int, pos: int, cache: dict
) -> tuple[str, ParsedMention | Mention | None] | None:
    """A cue that leads into a quote opening at ``pos``: ``X mengatakan, “`` / ``Menurut X, “``."""
    prefix = text[s_start:pos].rstrip()
    if not prefix or prefix[-1] not in ",:" and not prefix.endswith("bahwa"):
        return None
    # "Menurut X, “…”"
    for m in _MENURUT.finditer(text, s_start, pos):
        who_end = s_start + len(prefix) - 1
        who = _subject_before(text, m.end(), who_end, cache)
        if who is not None:
            return "menurut", who
    verbs = _before_verbs(text, s_start, pos)
    if verbs:
        v = verbs[-1]
        if (
            _LEAD_OUT.match(text, v.end())
            and not text[v.end() : pos].strip(" ,:").replace("bahwa", "").strip()
        ):
            subject_end = s_start + len(_ADVERBS.sub("", text[s_start : v.start()]))
            who = _subject_before(text, s_start, subject_end, cache)
            if who is not None:
                return v.group("verb"), who
    m = _AFTER_CUE.search(text, s_start, pos)  # "kata X, “…”" (rare)
    if m and m.start() == s_start:
        parsed = parse_mention(text, m.end(), pos, cache)
        if parsed is not None:
            return m.group("verb"), parsed
    return None


def _is_statement(text: str, pair: _Pair, start: int, end: int, cued: bool, para_start: int) -> bool:
    """Whether a quoted span is something said, not a title, slogan or scare-quoted word."""
    words = _word_count(text, start, end)
    prev = text[para_start : pair.open].rstrip()
    prev_word = prev.rsplit(None, 1)[-1].lower().strip(":,") if prev else ""
    content = text[start:end]
    # Speech ends inside its marks (“…,” kata X); a title keeps its punctuation outside.
    ends_like_speech = content.rstrip()[-1:] in ".?!…," if content.strip() else False
    if prev_word in _TITLE_CUES and not ends_like_speech:
        return False
    if cued:
        return words >= 1
    if words < 3 or content.isupper():
        return False
    opens_sentence = not prev or prev[-1] in ".!?:"
    return opens_sentence and (ends_like_speech or words >= 5)


def _direct_quotes(text: str, index: _Index, pairs: list[_Pair], cache: dict) -> list[_Found]:
    """Direct quotes with their cue and the raw speaker reference."""
    found: list[_Found] = []
    for pair in pairs:
        start, end = pair.open + 1, pair.close
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        para_start = index.paragraph_of(pair.open)[0]
        cue = who = None
        pos = pair.open
        after = _speaker_after(text, pair.close + 1, pair.para_end, cache)
        if after is not None and after[1] is not None:
            cue, who = after
            pos = pair.close
        else:
            si = index.sentence_at(pair.open)
            s_start = max(index.sentences[si][0], para_start) if index.sentences else para_start
            if s_start >= pair.open and si > 0:
                # The lead-in may close the sentence before: "Ia menambahkan: ”…”".
                ps, pe = index.sentences[si - 1]
                if text[ps:pe].rstrip().endswith(":"):
                    before = _speaker_before(text, ps, pe, cache)
                    if before is not None:
                        cue, who = before
            else:
                before = _speaker_before(text, s_start, pair.open, cache)
                if before is not None:
                    cue, who = before
        if not _is_statement(text, pair, start, end, cue is not None, para_start):
            continue
        found.append(_Found("direct", start, end, cue, who, pos))
    return found


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Whether ``pos`` lies inside one of the sorted, disjoint ``spans``."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _clause(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The statement span ``text[start:end]`` trimmed of spaces and final punctuation."""
    while start < end and text[start].isspace():
        start += 1
    m = _TRAILING_PUNCT.search(text, start, end)
    if m:
        end = m.start()
    return (start, end) if _word_count(text, start, end) >= 3 else None


def _indirect(text: str, index: _Index, quoted: list[tuple[int, int]], cache: dict) -> list[_Found]:
    """Indirect statements, sentence by sentence, outside direct quotes.

    ``quoted`` holds the spans of the direct quotes (marks included); a sentence that holds or
    lies in one is left alone, while scare quotes inside a sentence do not stop it.
    """
    found: list[_Found] = []
    q_starts = [s for s, _ in quoted]
    taken: set[int] = set()
    for si, (s0, s1) in enumerate(index.sentences):
        k = bisect.bisect_left(q_starts, s1) - 1
        if k >= 0 and quoted[k][1] > s0:
            continue
        # "Hal itu disampaikan X ..." : the statement is the sentence before.
        h = _HAL_ITU.match(text, s0, s1)
        if h and si > 0 and si - 1 not in taken:
            ps, pe = index.sentences[si - 1]
            who = parse_mention(text, h.end(), s1, cache)
            span = _clause(text, ps, pe)
            k = bisect.bisect_left(q_starts, pe) - 1
            if who is not None and span and not (k >= 0 and quoted[k][1] > ps):
                found.append(_Found("indirect", *span, h.group("verb") or h.group("verb2"), who, h.end()))
                taken.add(si - 1)
            continue
        # "Menurut X, <clause>"
        done = False
        for m in _MENURUT.finditer(text, s0, s1):
            comma = text.find(",", m.end(), s1)
            if comma < 0:
                break
            who = _subject_before(text, m.end(), comma, cache)
            span = _clause(text, comma + 1, s1)
            if who is not None and span:
                found.append(_Found("indirect", *span, "menurut", who, m.end()))
                taken.add(si)
                done = True
            break
        if done:
            continue
        # "X mengatakan, <clause>" / "X menyebutkan bahwa <clause>"
        for v in _before_verbs(text, s0, s1):
            lead = _LEAD_OUT.match(text, v.end(), s1)
            if not lead and v.group("verb") in _CLAUSE_VERBS:
                lead = _SPACE.match(text, v.end(), s1)
            if not lead:
                continue
            subject_end = s0 + len(_ADVERBS.sub("", text[s0 : v.start()]))
            who = _subject_before(text, s0, subject_end, cache)
            span = _clause(text, lead.end(), s1)
            if who is not None and span:
                found.append(_Found("indirect", *span, v.group("verb"), who, v.start()))
                taken.add(si)
                done = True
            break
        if done:
            continue
        # "<clause>, kata X." without quote marks (a stray mark means a broken quote, not this)
        comma = text.rfind(",", s0, s1)
        if comma > s0 and not _MARKS.search(text, s0, s1):
            after = _AFTER_CUE.match(text, comma + 1, s1)
            if after and not after.group("verb")[0].isupper():
                res = _speaker_after(text, comma + 1, s1, cache)
                span = _clause(text, s0, comma)
                if res is not None and res[1] is not None and span:
                    found.append(_Found("indirect", *span, res[0], res[1], comma))
                    taken.add(si)
    return found


_VERBISH = re.compile(
    r"\s*(?:\(\d+\)\s*,?\s*)?(?:(?:juga|pun|kembali|lalu|pula|sempat|telah|sudah)\s+)*(?:me|ber|di|ter)\w{3,}"
)
_AGE = re.compile(r"\s*\(\d{1,3}\)")


def _role_chains(
    text: str, quoted: list[tuple[int, int]], registry: PeopleRegistry, cache: dict
) -> list[tuple[int, int]]:
    """Register people named with a role or title outside quotes; return those that act as
    subjects (a verb follows) as (offset, person)."""
    q_starts = [s for s, _ in quoted]
    events: list[tuple[int, int]] = []
    covered_to = -1
    for at in chain_starts(text):
        if at < covered_to or _inside(quoted, q_starts, at):
            continue
        parsed = parse_mention(text, at, len(text), cache)
        if parsed is not None and parsed.name is not None:
            idx, _ = registry.add(parsed, parsed.mention(text))
            if _VERBISH.match(text, parsed.end):
                events.append((parsed.start, idx))
            covered_to = parsed.end
    return events


class _Antecedents:
    """The person a pronoun or an unattributed quote refers back to (see the module doc)."""

    _LOOKBACK = 30  # sentences

    def __init__(
        self,
        text: str,
        index: _Index,
        quoted: list[tuple[int, int]],
        registry: PeopleRegistry,
        events: list[tuple[int, int]],
        cache: dict,
    ):
        self.text, self.index, self.registry, self.events, self.cache = text, index, registry, events, cache
        self.quoted = quoted
        self.q_starts = [s for s, _ in quoted]
        self.subjects: dict[int, tuple[int, int] | None] = {}

    def subject(self, si: int) -> tuple[int, int] | None:
        """(offset, person) of the named subject of sentence ``si``, parsed on first use."""
        if si in self.subjects:
            return self.subjects[si]
        text, result = self.text, None
        s0, s1 = self.index.sentences[si]
        if not _inside(self.quoted, self.q_starts, s0):
            comma = text.find(",", s0, s1)
            for start in (s0, comma + 1) if comma > 0 else (s0,):
                parsed = parse_mention(text, start, s1, self.cache)
                if parsed is None or parsed.name is None:
                    continue
                titled = parsed.role or parsed.affiliation or parsed.end - parsed.start > len(parsed.name) + 1
                if titled or _VERBISH.match(text, parsed.end):
                    said = _before_verb_at(text, parsed.end + 1)
                    strong = titled or said or _AGE.match(text, parsed.end)
                    # "Situasi membaik ...": a lone capitalised word opening a sentence is no
                    # person unless that name is known already.
                    if strong or self.registry.find(parsed.name) is not None:
                        idx, _ = self.registry.add(parsed, parsed.mention(text))
                        result = (parsed.start, idx)
                break
        self.subjects[si] = result
        return result

    def before(self, pos: int) -> int | None:
        """The latest speaker or named subject before ``pos``."""
        events = self.events
        e = bisect.bisect_left(events, (pos, -1)) - 1
        if not self.index.sentences:
            return events[e][1] if e >= 0 else None
        si = self.index.sentence_at(pos)
        for k in range(si, max(-1, si - self._LOOKBACK), -1):
            s0 = self.index.sentences[k][0]
            best = events[e] if e >= 0 and events[e][0] >= s0 else None
            subj = self.subject(k)
            if subj is not None and subj[0] < pos and (best is None or subj[0] > best[0]):
                best = subj
            if best is not None:
                return best[1]
        return events[e][1] if e >= 0 else None


_PLACE = re.compile(
    r"\b(?:Kabupaten|Kab\.|Kota|Provinsi|Prov\.|Kecamatan|Desa|Kelurahan|Pemkot|Pemkab|Pemprov|Polres|"
    r"Polresta|Polda|Polsek|DPRD|Kodim|Korem|Kodam|Kejari|Kejati)\s+([A-Z][\w\-]+)"
)


def _places(text: str) -> frozenset[str]:
    """Case-folded place names written after a region head anywhere in the text."""
    return frozenset(m.group(1).lower() for m in _PLACE.finditer(text))


def find_quotes(text: str, sentences: Sequence[Span], paragraphs: Sequence[Span]) -> QuoteResult:
    """Direct quotes and indirect statements of ``text``, each with its resolved speaker."""
    index = _Index(sentences, paragraphs)
    pairs, warnings = _pair_marks(text, paragraphs)
    # Tokens read by every mention parse of this text, and the places it names ("Kota Bogor"),
    # which tell "Wali Kota Bogor" (a role and its town) from "Bupati Rini" (a role and a name).
    cache: dict = {"places": _places(text)}
    direct = _direct_quotes(text, index, pairs, cache)
    quoted = sorted((p.open, p.close + 1) for p in pairs)
    registry = PeopleRegistry()
    events = _role_chains(text, quoted, registry, cache)
    antecedents = _Antecedents(text, index, quoted, registry, events, cache)
    said = sorted((f.start - 1, f.end + 1) for f in direct)
    found = sorted(direct + _indirect(text, index, said, cache), key=lambda f: f.start)
    resolved: list[tuple[_Found, int | None, str, Mention | None]] = []
    for f in found:
        idx: int | None = None
        how = "unresolved"
        mention: Mention | None = None
        if isinstance(f.who, ParsedMention):
            mention = f.who.mention(text)
            idx, how = registry.add(f.who, mention)
        else:
            mention = f.who
            idx = antecedents.before(f.pos)
            if idx is not None:
                how = "pronoun"
                registry.note(idx, mention)
        if idx is not None:
            bisect.insort(events, (f.pos, idx))
        resolved.append((f, idx, how, mention))
    people, remap = registry.people()
    used = sorted({remap[i] for _, i, _, _ in resolved if i is not None and remap[i] >= 0})
    renumber = {old: new for new, old in enumerate(used)}
    quotes = []
    for f, idx, how, mention in resolved:
        if idx is not None and remap[idx] >= 0:
            p = people[remap[idx]]
            speaker = Speaker(p.name, p.role, p.affiliation, mention, how, renumber[remap[idx]])
        else:
            speaker = Speaker(None, None, None, mention, "unresolved", None)
        quotes.append(Quote(f.kind, f.start, f.end, text[f.start : f.end], f.cue, speaker))
    return QuoteResult(tuple(quotes), tuple(people[i] for i in used), tuple(warnings))

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

from .lexicon import load_list, load_set
from .speakers import CHAIN_START, PRONOUNS, ParsedMention, PeopleRegistry, parse_mention, parse_mention_ending
from .types import Mention, Quote, QuoteResult, Span, Speaker

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
_BEFORE_VERB = re.compile(rf"\b(?P<verb>{_alt(_BEFORE_VERBS)})\b")
_ADVERBS = re.compile(
    r"(?:\s+(?:juga|pun|kembali|pula|lalu|kemudian|sempat|telah|sudah|lebih lanjut|secara terpisah|"
    r"saat itu|sebelumnya|selanjutnya|sendiri|langsung|pun juga))*\s*$"
)
# What may follow a "before" verb to open a statement: a comma, a colon, bahwa, agar.
_LEAD_OUT = re.compile(r"\s*(?:,\s*(?:bahwa\s+)?|:\s*|\s+bahwa\s*,?\s*|\s+(?=agar\b|supaya\b))")
_MENURUT = re.compile(r"(?:^|(?<=,)\s*|(?<=\s))[Mm]enurut\s+")
_HAL_ITU = re.compile(
    r"^(?:Hal|Pernyataan|Keterangan|Penjelasan|Informasi)\s+(?:itu|tersebut|ini)\s+(?:juga\s+)?"
    r"(?P<verb>di\w+kan|di\w+)\s+(?:oleh\s+)?|^Demikian\s+(?:(?:juga|pula)\s+)?(?P<verb2>di\w+kan|\w+)\s+(?:oleh\s+)?"
)
_WORD = re.compile(r"\w+")
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
    warnings: list[str] = []
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
                looks_closing = not before.isspace() and before not in "([—-" and (after.isspace() or after in ",.;:)")
                if ch == "»" or (ch not in _OPENERS and looks_closing and i > p_start):
                    warnings.append(f"unbalanced quote mark at offset {i}: no quote extracted")
                    continue
                open_at = i
            elif ch in _OPENERS and not after.isspace() and before.isspace():
                warnings.append(f"unbalanced quote mark at offset {open_at}: no quote extracted")
                open_at = i
            else:
                pairs.append(_Pair(open_at, i, p_end))
                open_at = None
        if open_at is not None:
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            if nxt is None or not _MARKS.match(text, nxt[0]):
                warnings.append(f"unbalanced quote mark at offset {open_at}: no quote extracted")
                open_at = None
    return pairs, warnings


def _word_count(text: str, start: int, end: int) -> int:
    """Number of words in ``text[start:end]``."""
    return sum(1 for _ in _WORD.finditer(text, start, end))


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


def _speaker_after(text: str, pos: int, end: int) -> tuple[str, ParsedMention | Mention | None] | None:
    """A cue right after a closing mark: ``, kata X`` / ``ujarnya`` / ``, X menambahkan``."""
    m = _AFTER_CUE.match(text, pos, end)
    if m:
        verb = m.group("verb")
        if m.group("nya"):
            return verb + "nya", Mention("nya", m.start("nya"), m.end("nya"))
        if m.group("pron"):
            return verb, Mention(m.group("pron"), m.start("pron"), m.end("pron"))
        parsed = parse_mention(text, m.end(), end)
        return verb, parsed
    # Inverted order: ”…,” Rini menambahkan.
    lead = re.match(r"\s*,?\s*", text[pos:end]).end() + pos
    parsed = parse_mention(text, lead, end)
    if parsed is not None:
        v = _BEFORE_VERB.match(text, parsed.end + len(text[parsed.end : end]) - len(text[parsed.end : end].lstrip()))
        rest = text[parsed.end : end]
        gap = len(rest) - len(rest.lstrip())
        v = _BEFORE_VERB.match(text, parsed.end + gap, end)
        if v and gap and text[parsed.end : parsed.end + gap].strip() == "":
            return v.group("verb"), parsed
    return None


def _subject_before(text: str, start: int, end: int) -> ParsedMention | Mention | None:
    """The speaker that fills ``text[start:end]`` (a mention or a pronoun), or None."""
    clause = text[start:end]
    pm = _PRONOUN_ONLY.match(clause.strip())
    if pm:
        offset = start + len(clause) - len(clause.lstrip()) + pm.start("pron")
        return Mention(pm.group("pron"), offset, offset + len(pm.group("pron")))
    return parse_mention_ending(text, start, end)


def _speaker_before(text: str, s_start: int, pos: int) -> tuple[str, ParsedMention | Mention | None] | None:
    """A cue that leads into a quote opening at ``pos``: ``X mengatakan, “`` / ``Menurut X, “``."""
    prefix = text[s_start:pos].rstrip()
    if not prefix or prefix[-1] not in ",:" and not prefix.endswith("bahwa"):
        return None
    # "Menurut X, “…”"
    for m in _MENURUT.finditer(text, s_start, pos):
        who_end = s_start + len(prefix) - 1
        who = _subject_before(text, m.end(), who_end)
        if who is not None:
            return "menurut", who
    verbs = list(_BEFORE_VERB.finditer(text, s_start, pos))
    if verbs:
        v = verbs[-1]
        if _LEAD_OUT.match(text, v.end()) and not text[v.end() : pos].strip(" ,:").replace("bahwa", "").strip():
            subject_end = s_start + len(_ADVERBS.sub("", text[s_start : v.start()]))
            who = _subject_before(text, s_start, subject_end)
            if who is not None:
                return v.group("verb"), who
    m = _AFTER_CUE.search(text, s_start, pos)  # "kata X, “…”" (rare)
    if m and m.start() == s_start:
        parsed = parse_mention(text, m.end(), pos)
        if parsed is not None:
            return m.group("verb"), parsed
    return None


def _is_statement(text: str, pair: _Pair, start: int, end: int, cued: bool, para_start: int) -> bool:
    """Whether a quoted span is something said, not a title, slogan or scare-quoted word."""
    words = _word_count(text, start, end)
    prev = text[para_start : pair.open].rstrip()
    prev_word = prev.rsplit(None, 1)[-1].lower().strip(":,") if prev else ""
    if prev_word in _TITLE_CUES and not cued:
        return False
    if cued:
        return words >= 1
    content = text[start:end]
    if words < 3 or content.isupper():
        return False
    opens_sentence = not prev or prev[-1] in ".!?:"
    ends_like_speech = content.rstrip()[-1:] in ".?!…," if content.strip() else False
    return opens_sentence and (ends_like_speech or words >= 5)


def _direct_quotes(text: str, index: _Index, pairs: list[_Pair]) -> list[_Found]:
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
        after = _speaker_after(text, pair.close + 1, pair.para_end)
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
                    before = _speaker_before(text, ps, pe)
                    if before is not None:
                        cue, who = before
            else:
                before = _speaker_before(text, s_start, pair.open)
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


def _indirect(text: str, index: _Index, quoted: list[tuple[int, int]]) -> list[_Found]:
    """Indirect statements, sentence by sentence, outside direct quotes."""
    found: list[_Found] = []
    q_starts = [s for s, _ in quoted]
    taken: set[int] = set()
    for si, (s0, s1) in enumerate(index.sentences):
        if _MARKS.search(text, s0, s1) or _inside(quoted, q_starts, s0):
            continue
        # "Hal itu disampaikan X ..." : the statement is the sentence before.
        h = _HAL_ITU.match(text, s0, s1)
        if h and si > 0 and si - 1 not in taken:
            ps, pe = index.sentences[si - 1]
            who = parse_mention(text, h.end(), s1)
            span = _clause(text, ps, pe)
            if who is not None and span and not _MARKS.search(text, ps, pe):
                found.append(_Found("indirect", *span, h.group("verb") or h.group("verb2"), who, h.end()))
                taken.add(si - 1)
            continue
        # "Menurut X, <clause>"
        done = False
        for m in _MENURUT.finditer(text, s0, s1):
            comma = text.find(",", m.end(), s1)
            if comma < 0:
                break
            who = _subject_before(text, m.end(), comma)
            span = _clause(text, comma + 1, s1)
            if who is not None and span:
                found.append(_Found("indirect", *span, "menurut", who, m.end()))
                taken.add(si)
                done = True
            break
        if done:
            continue
        # "X mengatakan, <clause>" / "X menyebutkan bahwa <clause>"
        for v in _BEFORE_VERB.finditer(text, s0, s1):
            lead = _LEAD_OUT.match(text, v.end(), s1)
            if not lead:
                continue
            subject_end = s0 + len(_ADVERBS.sub("", text[s0 : v.start()]))
            who = _subject_before(text, s0, subject_end)
            span = _clause(text, lead.end(), s1)
            if who is not None and span:
                found.append(_Found("indirect", *span, v.group("verb"), who, v.start()))
                taken.add(si)
                done = True
            break
        if done:
            continue
        # "<clause>, kata X." without quote marks
        comma = text.rfind(",", s0, s1)
        if comma > s0:
            after = _AFTER_CUE.match(text, comma + 1, s1)
            if after and not after.group("verb")[0].isupper():
                res = _speaker_after(text, comma + 1, s1)
                span = _clause(text, s0, comma)
                if res is not None and res[1] is not None and span:
                    rest_start = res[1].end
                    if not _WORD.search(text[rest_start:s1]) or True:
                        found.append(_Found("indirect", *span, res[0], res[1], comma))
                        taken.add(si)
    return found


_VERBISH = re.compile(r"\s*(?:\(\d+\)\s*,?\s*)?(?:(?:juga|pun|kembali|lalu|pula|sempat|telah|sudah)\s+)*(?:me|ber|di|ter)\w{3,}")
_AGE = re.compile(r"\s*\(\d{1,3}\)")


def _prepass(
    text: str, index: _Index, quoted: list[tuple[int, int]], registry: PeopleRegistry
) -> list[tuple[int, int]]:
    """Register people named outside quotes; return (offset, person) of named sentence subjects."""
    q_starts = [s for s, _ in quoted]
    # (offset, mention, is a sentence subject, strong enough to stand for a new person)
    found: list[tuple[int, ParsedMention, bool, bool]] = []
    covered_to = -1
    for m in CHAIN_START.finditer(text):
        if m.start() < covered_to or _inside(quoted, q_starts, m.start()):
            continue
        parsed = parse_mention(text, m.start())
        if parsed is not None and parsed.name is not None:
            found.append((parsed.start, parsed, bool(_VERBISH.match(text, parsed.end)), True))
            covered_to = parsed.end
    for s0, s1 in index.sentences:
        if _inside(quoted, q_starts, s0):
            continue
        comma = text.find(",", s0, s1)
        for start in (s0, comma + 1) if comma > 0 else (s0,):
            parsed = parse_mention(text, start, s1)
            if parsed is None or parsed.name is None:
                continue
            titled = parsed.role or parsed.affiliation or parsed.end - parsed.start > len(parsed.name) + 1
            if titled or _VERBISH.match(text, parsed.end):
                said = _BEFORE_VERB.match(text, parsed.end + 1)
                strong = bool(titled or said or _AGE.match(text, parsed.end))
                found.append((parsed.start, parsed, True, strong))
            break
    found.sort(key=lambda f: f[0])
    events: list[tuple[int, int]] = []
    seen: set[int] = set()
    for pos, parsed, subject, strong in found:
        if pos in seen:
            continue
        seen.add(pos)
        if not strong and registry.find(parsed.name or "") is None:
            continue  # "Situasi membaik ...": a capitalised word opening a sentence is no person
        idx, _ = registry.add(parsed, parsed.mention(text))
        if subject:
            events.append((pos, idx))
    return events


def find_quotes(text: str, sentences: Sequence[Span], paragraphs: Sequence[Span]) -> QuoteResult:
    """Direct quotes and indirect statements of ``text``, each with its resolved speaker."""
    index = _Index(sentences, paragraphs)
    pairs, warnings = _pair_marks(text, paragraphs)
    direct = _direct_quotes(text, index, pairs)
    quoted = sorted((p.open, p.close + 1) for p in pairs)
    registry = PeopleRegistry()
    events = _prepass(text, index, quoted, registry)
    found = sorted(direct + _indirect(text, index, quoted), key=lambda f: f.start)
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
            e = bisect.bisect_left(events, (f.pos, -1)) - 1
            if e >= 0:
                idx, how = events[e][1], "pronoun"
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

"""Direct quotes and indirect statements of an Indonesian release, with resolved speakers.

Written by hand: no library attributes Indonesian quotes (Kompas-style ``”…”`` where one mark
both opens and closes, ``ujarnya`` clitics, ``Hal itu disampaikan X``). The speech verbs and the
words around titles and slogans are data (``data/quote_*.txt``); mentions and the people they
resolve to are in ``mentions.py`` and ``people.py``; marks are paired in ``marks.py``, cues read
in ``cues.py``, and pronouns find their antecedent in ``antecedents.py``.

How speakers are resolved (``Speaker.resolved``):
    named    the mention holds the person's full name (the longest form seen in the release)
    alias    a short form of a name seen elsewhere (``Sri`` -> ``Sri Wulandari``)
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
from ringkas.quotes.antecedents import Antecedents, TextIndex, places_named, role_chains
from ringkas.quotes.cues import (
    AFTER_CUE, HAL_ITU, LEAD_OUT, MENURUT, SPACE, CLAUSE_VERBS, ADVERBS,
    before_verbs, speaker_after, speaker_before, subject_before, word_count,
)
from ringkas.quotes.marks import MARKS, QuotePair, pair_marks
from ringkas.quotes.mentions import ParsedMention, parse_mention
from ringkas.quotes.people import PeopleRegistry
from ringkas.quotes.tokens import chain_starts
from ringkas.types import Mention, Person, Quote, QuoteResult, Span, Speaker

_TITLE_CUES = load_set("quote_title_cues", lower=True)
_TRAILING_PUNCT = re.compile(r"[\s.,;:]+$")


@dataclass
class _Found:
    kind: str
    start: int
    end: int
    cue: str | None
    who: ParsedMention | Mention | None  # a parsed mention, a pronoun/clitic mention, or nothing
    pos: int  # where the speaker is named (for the order of antecedents)


def _is_statement(text: str, pair: QuotePair, start: int, end: int, cued: bool, para_start: int) -> bool:
    """Whether a quoted span is something said, not a title, slogan or scare-quoted word."""
    words = word_count(text, start, end)
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


def _direct_quotes(text: str, index: TextIndex, pairs: list[QuotePair], cache: dict) -> list[_Found]:
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
        after = speaker_after(text, pair.close + 1, pair.para_end, cache)
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
                    before = speaker_before(text, ps, pe, cache)
                    if before is not None:
                        cue, who = before
            else:
                before = speaker_before(text, s_start, pair.open, cache)
                if before is not None:
                    cue, who = before
        if not _is_statement(text, pair, start, end, cue is not None, para_start):
            continue
        found.append(_Found("direct", start, end, cue, who, pos))
    return found



def _clause(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The statement span ``text[start:end]`` trimmed of spaces and final punctuation."""
    while start < end and text[start].isspace():
        start += 1
    m = _TRAILING_PUNCT.search(text, start, end)
    if m:
        end = m.start()
    return (start, end) if word_count(text, start, end) >= 3 else None


def _indirect(text: str, index: TextIndex, quoted: list[tuple[int, int]], cache: dict) -> list[_Found]:
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
        h = HAL_ITU.match(text, s0, s1)
        if h and si > 0 and si - 1 not in taken:
            ps, pe = index.sentences[si - 1]
            who: ParsedMention | Mention | None = parse_mention(text, h.end(), s1, cache)
            span = _clause(text, ps, pe)
            k = bisect.bisect_left(q_starts, pe) - 1
            if who is not None and span and not (k >= 0 and quoted[k][1] > ps):
                found.append(_Found("indirect", *span, h.group("verb") or h.group("verb2"), who, h.end()))
                taken.add(si - 1)
            continue
        # "Dijelaskan Kepala Divisi X, Nama bahwa <clause>": a passive speech verb, then its speaker
        p = _PASSIVE_CUE.match(text, s0, s1)
        if p:
            who = parse_mention(text, p.end(), s1, cache)
            lead = _PASSIVE_LEAD.match(text, who.end, s1) if who is not None else None
            span = _clause(text, lead.end(), s1) if lead else None
            if who is not None and span:
                found.append(_Found("indirect", *span, p.group("verb").lower(), who, p.end()))
                taken.add(si)
                continue
        # "Menurut X, <clause>"
        done = False
        for m in MENURUT.finditer(text, s0, s1):
            comma = text.find(",", m.end(), s1)
            if comma < 0:
                break
            who = subject_before(text, m.end(), comma, cache)
            span = _clause(text, comma + 1, s1)
            if who is not None and span:
                found.append(_Found("indirect", *span, "menurut", who, m.end()))
                taken.add(si)
                done = True
            break
        if done:
            continue
        # "X mengatakan, <clause>" / "X menyebutkan bahwa <clause>"
        for v in before_verbs(text, s0, s1):
            lead = LEAD_OUT.match(text, v.end(), s1)
            if not lead and v.group("verb") in CLAUSE_VERBS:
                lead = SPACE.match(text, v.end(), s1)
            if not lead:
                continue
            subject_end = s0 + len(ADVERBS.sub("", text[s0 : v.start()]))
            who = subject_before(text, s0, subject_end, cache)
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
        if comma > s0 and not MARKS.search(text, s0, s1):
            after = AFTER_CUE.match(text, comma + 1, s1)
            if after and not after.group("verb")[0].isupper():
                res = speaker_after(text, comma + 1, s1, cache)
                span = _clause(text, s0, comma)
                if res is not None and res[1] is not None and span:
                    found.append(_Found("indirect", *span, res[0], res[1], comma))
                    taken.add(si)
    return found



_NOT_WORDS = re.compile(r"\W+")
_PASSIVE_CUE = re.compile(
    r"(?P<verb>" + "|".join(v.capitalize() for v in load_list("quote_verbs_passive")) + r")\s+(?:oleh\s+|pula\s+)?"
)
_PASSIVE_LEAD = re.compile(r"\s*(?:,\s*(?:bahwa\s+)?|\s+bahwa\s*,?\s*)")


def _person_in_captions(captions: Sequence[str]) -> Person | None:
    """The one person the photo captions name ("Kapolres X, AKBP Y saat ..."), if exactly one."""
    found: dict[str, Person] = {}
    for caption in captions:
        for at in chain_starts(caption):
            parsed = parse_mention(caption, at, len(caption), {})
            if parsed is not None and parsed.name is not None:
                found.setdefault(parsed.name, Person(parsed.name, parsed.role, parsed.affiliation, ()))
    return next(iter(found.values())) if len(found) == 1 else None


def _without_repeats(text: str, direct: list[_Found]) -> list[_Found]:
    """A quote printed twice (a teaser above the lead, then in the body) is one: the copy with a cue stays."""
    best: dict[str, _Found] = {}
    for f in direct:
        key = _NOT_WORDS.sub(" ", text[f.start : f.end]).strip().casefold()
        kept = best.get(key)
        if kept is None or (kept.cue is None and f.cue is not None):
            best[key] = f
    return [f for f in direct if best[_NOT_WORDS.sub(" ", text[f.start : f.end]).strip().casefold()] is f]


def find_quotes(
    text: str,
    sentences: Sequence[Span],
    paragraphs: Sequence[Span],
    *,
    lead_start: int = 0,
    captions: Sequence[str] = (),
) -> QuoteResult:
    """Direct quotes and indirect statements of ``text``, each with its resolved speaker.

    ``lead_start`` is where the release's words begin after its dateline: the town and the outlet
    before it are never read as a person ("MUARA BUNGO- Bupati ..."), so that span is blanked out.
    ``captions`` (taken out of the text) may name the person an "ucap dia" refers to, but only when
    the text itself names nobody.
    """
    original = text
    if lead_start:
        text = " " * lead_start + text[lead_start:]
    index = TextIndex(sentences, paragraphs)
    pairs, warnings = pair_marks(text, paragraphs)
    # Tokens read by every mention parse of this text, and the places it names ("Kota Bogor"),
    # which tell "Wali Kota Bogor" (a role and its town) from "Bupati Sri" (a role and a name).
    cache: dict = {"places": places_named(text)}
    direct = _direct_quotes(text, index, pairs, cache)
    quoted = sorted((p.open, p.close + 1) for p in pairs)
    registry = PeopleRegistry()
    events = role_chains(text, quoted, registry, cache)
    antecedents = Antecedents(text, index, quoted, registry, events, cache)
    said = sorted((f.start - 1, f.end + 1) for f in direct)
    found = sorted(_without_repeats(text, direct) + _indirect(text, index, said, cache), key=lambda f: f.start)
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
            idx = antecedents.continued_by(f.pos, f.end) if f.kind == "direct" else None
            if idx is None:
                idx = antecedents.before(f.pos)
            if idx is not None:
                how = "pronoun"
                registry.note(idx, mention)
        if idx is not None:
            bisect.insort(events, (f.pos, idx))
        resolved.append((f, idx, how, mention))
    people, remap = registry.people()
    if not people and captions:
        pictured = _person_in_captions(captions)
        if pictured is not None:
            people, remap = [pictured], remap + [0]
            resolved = [
                (f, len(remap) - 1, "pronoun", m) if i is None and not isinstance(f.who, ParsedMention) else (f, i, h, m)
                for f, i, h, m in resolved
            ]
    used = sorted({remap[i] for _, i, _, _ in resolved if i is not None and remap[i] >= 0})
    renumber = {old: new for new, old in enumerate(used)}
    quotes = []
    for f, idx, how, mention in resolved:
        if idx is not None and remap[idx] >= 0:
            p = people[remap[idx]]
            speaker = Speaker(p.name, p.role, p.affiliation, mention, how, renumber[remap[idx]])
        else:
            speaker = Speaker(None, None, None, mention, "unresolved", None)
        quotes.append(Quote(f.kind, f.start, f.end, original[f.start : f.end], f.cue, speaker))
    return QuoteResult(tuple(quotes), tuple(people[i] for i in used), tuple(warnings))

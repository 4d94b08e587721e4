"""Who a pronoun or an unattributed quote refers back to: people named outside quotes, in order."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ringkas.lexicon import load_list
from ringkas.quotes.cues import AGE, VERBISH, before_verb_at
from ringkas.quotes.mentions import parse_mention
from ringkas.quotes.tokens import chain_starts
from ringkas.quotes.people import PeopleRegistry
from ringkas.types import Span

class TextIndex:
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



def inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Whether ``pos`` lies inside one of the sorted, disjoint ``spans``."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]



def role_chains(
    text: str, quoted: list[tuple[int, int]], registry: PeopleRegistry, cache: dict
) -> list[tuple[int, int]]:
    """Register people named with a role or title outside quotes; return those that act as
    subjects (a verb follows) as (offset, person)."""
    q_starts = [s for s, _ in quoted]
    events: list[tuple[int, int]] = []
    covered_to = -1
    for at in chain_starts(text):
        if at < covered_to or inside(quoted, q_starts, at):
            continue
        parsed = parse_mention(text, at, len(text), cache)
        if parsed is not None and parsed.name is not None:
            idx, _ = registry.add(parsed, parsed.mention(text))
            # a subject ("... Hadi mengatakan"), or a person introduced at the end of a sentence
            # ("Salah satunya adalah Ketua X Hadi."), who the next quotes are about
            if VERBISH.match(text, parsed.end) or _ENDS_SENTENCE.match(text, parsed.end) or _APPOSED.match(text, parsed.end):
                events.append((parsed.start, idx))
            covered_to = parsed.end
    return events


class Antecedents:
    """The person a pronoun or an unattributed quote refers back to (see the module doc)."""

    _LOOKBACK = 30  # sentences

    def __init__(
        self,
        text: str,
        index: TextIndex,
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
        if not inside(self.quoted, self.q_starts, s0):
            comma = text.find(",", s0, s1)
            for start in (s0, comma + 1) if comma > 0 else (s0,):
                if start > s0 and _NAME_BEFORE_COMMA.search(text, s0, start - 1):
                    break  # "oleh Tri Widjanarko, asisten manajer Pelni": an apposition, not a subject
                parsed = parse_mention(text, start, s1, self.cache)
                if parsed is None or parsed.name is None:
                    continue
                titled = parsed.role or parsed.affiliation or parsed.end - parsed.start > len(parsed.name) + 1
                if titled or VERBISH.match(text, parsed.end):
                    said = before_verb_at(text, parsed.end + 1)
                    strong = titled or said or AGE.match(text, parsed.end)
                    # "Situasi membaik ...": a lone capitalised word opening a sentence is no
                    # person unless that name is known already.
                    if strong or self.registry.find(parsed.name) is not None:
                        idx, _ = self.registry.add(parsed, parsed.mention(text))
                        result = (parsed.start, idx)
                break
        self.subjects[si] = result
        return result

    def continued_by(self, pos: int, end: int) -> int | None:
        """A person named before ``pos`` who opens the next paragraph by a one-word short name and a
        speech verb, when the quote ending at ``end`` is in its paragraph's last sentence; else None.

        ``"...," katanya. ¶ Doni menekankan, ...``: Indonesian reports carry one speaker across
        the paragraph break, and the short name after it says who "katanya" was, where the latest
        subject before the quote is often someone the reporter only mentioned. A role or a full
        name opening the next paragraph ("Bupati X menambahkan", "Zaenal Arifin menyampaikan")
        turns to a speaker anew, and is left alone.
        On PFSA-ID dev: 3 more speakers right, none lost on the regional dev pages."""
        text, index = self.text, self.index
        if not index.sentences:
            return None
        _, p1 = index.paragraph_of(end)
        here = index.sentence_at(end)
        if index.sentence_at(max(p1 - 1, 0)) != here:
            return None  # more of the paragraph follows the quote's sentence
        k = here + 1
        if k >= len(index.sentences):
            return None
        s0, s1 = index.sentences[k]
        s0 += len(text[s0:s1]) - len(text[s0:s1].lstrip())
        parsed = parse_mention(text, s0, s1, self.cache)
        if parsed is None or parsed.name is None or parsed.role or parsed.start != s0 or " " in parsed.name:
            return None  # a full name there ("Zaenal Arifin menyampaikan") turns to another speaker
        if not before_verb_at(text, parsed.end + len(text[parsed.end:s1]) - len(text[parsed.end:s1].lstrip())):
            return None
        idx = self.registry.find(parsed.name)
        if idx is None:
            return None
        named = any(i == idx and at < pos for at, i in self.events)
        if not named and not any(m.start < pos for m in self.registry.drafts[idx].mentions):
            return None
        return idx

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


# "dihadiri William Wongso, salah satu tokoh kuliner": a person introduced with an apposition
_APPOSED = re.compile(r",\s+(?:salah\s+(?:satu|seorang)|selaku|yang\s+juga|sebagai)\b")
_MAYOR = re.compile(r"(?i)wali\s*$")
_ENDS_SENTENCE = re.compile(r"\s*[.!?](?:\s|$)")
_NAME_BEFORE_COMMA = re.compile(r"[A-Z][\w.'’-]*\s*$")
_REGION_HEADS = sorted(load_list("quote_region_heads"), key=len, reverse=True)
# A region head, capitalised as in running text ("Kabupaten", "DPRD"), then a capitalised place.
_PLACE = re.compile(
    r"\b(?:" + "|".join(re.escape(h[0].upper() + h[1:]) + "|" + re.escape(h.upper()) for h in _REGION_HEADS)
    + r")\s+([A-Z][\w\-]+)"
)


def places_named(text: str) -> frozenset[str]:
    """Case-folded place names written after a region head anywhere in the text.

    "Wali Kota X" is no such head: X may be the town ("Wali Kota Surabaya") or the mayor's name
    ("Wali Kota Risma"), so it names no place by itself.
    """
    return frozenset(
        m.group(1).lower()
        for m in _PLACE.finditer(text)
        if not _MAYOR.search(text, max(0, m.start() - 6), m.start())
    )


"""The translation stage: English for every paragraph, the summary and each quote of many articles.

Sentences, not paragraphs, go to the model (NLLB drops sentences when several come in one input),
and all the sentences of all the articles go in one ``generate`` call, so the model batches them
by length. A sentence too long for the model is cut at clause boundaries (ringkas.text.clauses) and
its pieces' translations joined; nothing is truncated. The summary and the quotes reuse sentence
translations where their spans coincide with sentences, and are translated themselves otherwise.

The stage asks a ``SegmentTranslator`` for the English of whole segments (a sentence, a gap
between sentences, a quote or summary sentence that no sentence covers); ``ModelSegments`` cuts
each into pieces that fit a model and joins their translations, and the translation cache
(ringkas.models.cache) answers the segments it holds without loading the model at all.

Model-free at import: it needs only a ringkas.types.TextGenerator (``generate``, ``fits``, ``id``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ringkas.text.clauses import split_to_fit
from ringkas.text.sentences import split_sentences
from ringkas.types import Article, Quote, Span, Summary, TextGenerator, Translation


def paragraph_segments(article: Article) -> list[list[Span]]:
    """For each paragraph, the spans to translate in order: its sentences and any text between them."""
    out = []
    for p_start, p_end in article.paragraphs:
        inside = sorted(
            (max(s, p_start), min(e, p_end)) for s, e in article.sentences if s < p_end and e > p_start
        )
        segments: list[Span] = []
        cursor = p_start
        for s, e in inside:
            if s > cursor:
                segments.extend(_gap(article.text, cursor, s))
            if e > max(s, cursor):
                segments.append((max(s, cursor), e))
            cursor = max(cursor, e)
        segments.extend(_gap(article.text, cursor, p_end))
        out.append(segments)
    return out


def _gap(text: str, start: int, end: int) -> list[Span]:
    """Text the sentence splitter left between sentences, as a segment when not just whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if start < end else []


@runtime_checkable
class SegmentTranslator(Protocol):
    """English for whole segments: one string per segment, in order (what the stage asks for)."""

    @property
    def id(self) -> str:
        """``NAME@REVISION`` of the model, as records name it."""
        ...

    def translate(self, segments: Sequence[str]) -> list[str]:
        """The English of each segment, in order."""
        ...


@dataclass
class _Requests:
    """Texts to translate, each once, in first-seen order."""

    texts: list[str]
    index: dict[str, int]

    def add(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.texts)
            self.texts.append(text)
        return self.index[text]


class ModelSegments:
    """Segments through a model: each cut into pieces that fit, every piece translated once, joined."""

    def __init__(self, model: TextGenerator):
        self.model = model

    @property
    def id(self) -> str:
        """The model's id."""
        return self.model.id

    def translate(self, segments: Sequence[str]) -> list[str]:
        """The English of each segment: its pieces' translations joined by single spaces."""
        requests = _Requests([], {})
        pieces = [[requests.add(text[s:e]) for s, e in split_to_fit(text, self.model.fits)] for text in segments]
        english = self.model.generate(requests.texts) if requests.texts else []
        return [" ".join(english[i] for i in ids if english[i]) for ids in pieces]


@dataclass
class _Plan:
    """What one article needs: segment request ids per paragraph, for the summary and for each quote."""

    paragraphs: list[list[int]]  # paragraph -> segment request ids
    summary: list[int] | None
    quotes: list[list[int]]


def _plan_article(article: Article, summary: Summary, quotes: Sequence[Quote], requests: _Requests) -> _Plan:
    """Cut an article into segment requests, reusing a segment wherever a span coincides."""
    segments = paragraph_segments(article)
    paragraphs = [[requests.add(article.text[s:e]) for s, e in para] for para in segments]
    flat = [span for para in segments for span in para]
    ids = [i for row in paragraphs for i in row]
    starts = {span[0]: i for i, span in enumerate(flat)}

    def covering(start: int, end: int) -> list[int] | None:
        """Requests of the consecutive segments that exactly make up [start, end), if they do."""
        i = starts.get(start)
        if i is None:
            return None
        got = []
        while i < len(flat) and flat[i][1] <= end:
            got.append(ids[i])
            if flat[i][1] == end:
                return got
            i += 1
        return None

    summary_ids: list[int] | None = None
    if summary.sentences:
        summary_ids = []
        for s, e in summary.sentences:
            summary_ids.extend(covering(s, e) or [requests.add(article.text[s:e])])
    elif summary.text.strip():
        text = summary.text
        summary_ids = [requests.add(text[s:e]) for s, e in split_sentences(text)]
    quote_ids = [covering(q.start, q.end) or [requests.add(q.text)] for q in quotes]
    return _Plan(paragraphs, summary_ids, quote_ids)


def _join(ids: list[int], english: list[str]) -> str:
    """English of segments joined by single spaces (the same text as joining all their pieces)."""
    return " ".join(english[i] for i in ids if english[i]).strip()


def translate_articles(
    items: Sequence[tuple[Article, Summary, Sequence[Quote]]], model: TextGenerator | SegmentTranslator
) -> list[Translation]:
    """Translations of many articles with one batched model call; one string per paragraph."""
    translator = model if isinstance(model, SegmentTranslator) else ModelSegments(model)
    requests = _Requests([], {})
    plans = [_plan_article(a, s, q, requests) for a, s, q in items]
    english = translator.translate(requests.texts) if requests.texts else []
    out = []
    for plan in plans:
        out.append(
            Translation(
                paragraphs=tuple(_join(row, english) for row in plan.paragraphs),
                summary=_join(plan.summary, english) if plan.summary is not None else None,
                quotes=tuple(_join(ids, english) for ids in plan.quotes),
                model=translator.id,
            )
        )
    return out

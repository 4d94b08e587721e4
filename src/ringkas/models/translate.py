"""The translation stage: English for every paragraph, the summary and each quote of many articles.

Sentences, not paragraphs, go to the model (NLLB drops sentences when several come in one input),
and all the sentences of all the articles go in one ``generate`` call, so the model batches them
by length. A sentence too long for the model is cut at clause boundaries (ringkas.text.clauses) and
its pieces' translations joined; nothing is truncated. The summary and the quotes reuse sentence
translations where their spans coincide with sentences, and are translated themselves otherwise.

Model-free at import: it needs only a ringkas.types.TextGenerator (``generate``, ``fits``, ``id``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


def _pieces(text: str, model: TextGenerator, requests: _Requests) -> list[int]:
    """Request ids of the pieces of one text, cut so each fits the model."""
    return [requests.add(text[s:e]) for s, e in split_to_fit(text, model.fits)]


@dataclass
class _Plan:
    """What one article needs: request ids per paragraph, for the summary and for each quote."""

    paragraphs: list[list[list[int]]]  # paragraph -> segment -> piece request ids
    summary: list[list[int]] | None
    quotes: list[list[list[int]]]


def _plan_article(article: Article, summary: Summary, quotes: Sequence[Quote], model: TextGenerator,
                  requests: _Requests) -> _Plan:
    """Cut an article into requests, reusing a segment's pieces wherever a span coincides."""
    segments = paragraph_segments(article)
    by_span: dict[Span, list[int]] = {}
    paragraphs = []
    for para in segments:
        row = []
        for span in para:
            by_span[span] = _pieces(article.text[span[0]:span[1]], model, requests)
            row.append(by_span[span])
        paragraphs.append(row)
    flat = [span for para in segments for span in para]
    starts = {span[0]: i for i, span in enumerate(flat)}

    def covering(start: int, end: int) -> list[list[int]] | None:
        """Pieces of the consecutive segments that exactly make up [start, end), if they do."""
        i = starts.get(start)
        if i is None:
            return None
        got = []
        while i < len(flat) and flat[i][1] <= end:
            got.append(by_span[flat[i]])
            if flat[i][1] == end:
                return got
            i += 1
        return None

    summary_ids: list[list[int]] | None = None
    if summary.sentences:
        summary_ids = []
        for s, e in summary.sentences:
            summary_ids.extend(covering(s, e) or [_pieces(article.text[s:e], model, requests)])
    elif summary.text.strip():
        text = summary.text
        summary_ids = [_pieces(text[s:e], model, requests) for s, e in split_sentences(text)]
    quote_ids = []
    for q in quotes:
        quote_ids.append(covering(q.start, q.end) or [_pieces(q.text, model, requests)])
    return _Plan(paragraphs, summary_ids, quote_ids)


def _join(groups: list[list[int]], english: list[str]) -> str:
    """English of segments (each a list of piece translations), joined by single spaces."""
    return " ".join(english[i] for pieces in groups for i in pieces if english[i]).strip()


def translate_articles(
    items: Sequence[tuple[Article, Summary, Sequence[Quote]]], model: TextGenerator
) -> list[Translation]:
    """Translations of many articles with one batched model call; one string per paragraph."""
    requests = _Requests([], {})
    plans = [_plan_article(a, s, q, model, requests) for a, s, q in items]
    english = model.generate(requests.texts) if requests.texts else []
    out = []
    for plan in plans:
        out.append(
            Translation(
                paragraphs=tuple(_join(row, english) for row in plan.paragraphs),
                summary=_join(plan.summary, english) if plan.summary is not None else None,
                quotes=tuple(_join(groups, english) for groups in plan.quotes),
                model=model.id,
            )
        )
    return out

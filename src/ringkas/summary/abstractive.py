"""Abstractive summaries from a seq2seq model, for releases of any length.

A release that fits the model's input is summarised in one go. A longer one is cut at sentence
boundaries into chunks that fit (a sentence too long on its own is cut at clauses), each chunk is
summarised, and the chunk summaries are packed and summarised again until one text remains. All
the chunks of all the articles of a round go to the model in one batched call.

Model-free at import: it needs only a ringkas.types.TextGenerator (``generate``, ``fits``, ``id``).
"""

from __future__ import annotations

from collections.abc import Sequence
from ringkas.text.clauses import split_to_fit
from ringkas.types import Article, Summary, TextGenerator

MAX_ROUNDS = 4  # chunk summaries shrink each round; four rounds cover far longer texts than releases


def article_units(article: Article, model: TextGenerator) -> list[str]:
    """The sentences of an article (or its paragraphs, or its text), each cut to fit the model."""
    spans = article.sentences or article.paragraphs or ((0, len(article.text)),)
    units: list[str] = []
    for s, e in spans:
        sentence = article.text[s:e]
        units.extend(sentence[a:b] for a, b in split_to_fit(sentence, model.fits))
    return units


def pack(units: Sequence[str], model: TextGenerator) -> list[str]:
    """Consecutive units joined into as few texts as possible, each fitting the model."""
    chunks: list[str] = []
    for unit in units:
        candidate = f"{chunks[-1]} {unit}" if chunks else unit
        if chunks and model.fits(candidate):
            chunks[-1] = candidate
        else:
            chunks.append(unit)
    return chunks


def summarize_articles(articles: Sequence[Article], model: TextGenerator) -> list[Summary]:
    """A model summary of each article, chunked when an article exceeds the model's input."""
    texts = [pack(article_units(a, model), model) for a in articles]
    finals = [""] * len(articles)
    for _ in range(MAX_ROUNDS):
        pending = [i for i, chunks in enumerate(texts) if chunks]
        flat = [c for i in pending for c in texts[i]]
        if not flat:
            break
        summaries = model.generate(flat)
        pos = 0
        for i in pending:
            n = len(texts[i])
            parts = [s for s in summaries[pos:pos + n] if s]
            pos += n
            if n == 1:
                texts[i] = []
                finals[i] = parts[0] if parts else ""
                continue
            packed = pack(parts, model)
            if len(packed) >= n:  # the summaries no longer shrink: keep them side by side
                texts[i], finals[i] = [], " ".join(parts)
            else:
                texts[i] = packed
    for i, chunks in enumerate(texts):  # rounds ran out: what is left is the summary
        if chunks:
            finals[i] = " ".join(chunks)
    method = f"model:{model.id}"
    return [Summary(method=method, text=finals[i], sentences=(), model=model.id) for i in range(len(articles))]

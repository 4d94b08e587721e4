"""From a decoded Source to an Article: cleaning, metadata, paragraphs, sentences, language."""

from __future__ import annotations

from ringkas.text.clean import clean
from ringkas.errors import InputError
from ringkas.text.langid import detect_language
from ringkas.text.metadata import find_date, find_dateline, headline_of
from ringkas.text.sentences import split_paragraphs, split_sentences
from ringkas.types import Article, Source

# A language identified with less confidence than this is not reported as foreign.
_FOREIGN_MIN_PROB = 0.6


def build_article(source: Source, *, date_hint: str | None = None) -> Article:
    """Clean ``source.text`` and find its title, dateline, date, byline, paragraphs and sentences."""
    if source.text is None:
        raise InputError("empty", "source has no text")
    cleaned = clean(source.text)
    warnings = list(source.warnings) + list(cleaned.warnings)
    paragraphs = cleaned.text.split("\n\n") if cleaned.text else []

    title = source.hints.title
    headline = headline_of(paragraphs) if source.kind == "text" else None
    if headline is not None:
        title = title or headline
        paragraphs = paragraphs[1:]
    text = "\n\n".join(paragraphs)
    if not text.strip():
        raise InputError("empty", "no release text left after cleaning")

    dateline, outlet = find_dateline(paragraphs[0])
    hint = date_hint or source.hints.date
    # The release date sits in the opening paragraphs; a date further down is some other event.
    found = find_date("\n\n".join(paragraphs[:3]), hint=hint)
    date, date_text = (found.iso, found.text) if found else (None, None)
    if found:
        warnings.extend(found.warnings)
    if date is None and hint and not found:
        date = hint

    lang, prob = detect_language(text)
    if lang != "id" and lang is not None and prob >= _FOREIGN_MIN_PROB:
        warnings.append(f"language looks like {lang!r} (p={prob:.2f}), not Indonesian; processed anyway")

    para_spans = split_paragraphs(text)
    return Article(
        text=text,
        paragraphs=tuple(para_spans),
        sentences=tuple(split_sentences(text, para_spans)),
        title=title,
        dateline=dateline,
        outlet=outlet,
        date=date,
        date_text=date_text,
        byline=cleaned.byline,
        lang=lang,
        warnings=tuple(warnings),
    )

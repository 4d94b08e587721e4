"""From a decoded Source to an Article: page furniture off, header, byline, dateline, date,
paragraphs and sentences, language."""

from __future__ import annotations

from ringkas.errors import InputError
from ringkas.text.byline import split_byline, take_credits
from ringkas.text.dates import find_date
from ringkas.text.furniture import strip_furniture
from ringkas.text.header import split_header
from ringkas.text.langid import detect_language
from ringkas.text.normalize import join_paragraphs, normalize_lines
from ringkas.text.sentences import split_paragraphs, split_sentences
from ringkas.types import Article, Source

# A language identified with less confidence than this is not reported as foreign.
_FOREIGN_MIN_PROB = 0.6
# The release date sits in the opening paragraphs; a date further down is some other event.
_DATE_PARAGRAPHS = 5


def _byline(credits: str | None, signature: str | None) -> str | None:
    """The credits and the signature together; a desk's name ("Redaksi") only when it is all there is."""
    parts = [p for b in (credits, signature) if b for p in b.split("/")]
    named = [p for p in parts if p.lower() not in ("redaksi", "admin", "tim redaksi")]
    chosen = named or parts
    return "/".join(dict.fromkeys(chosen)) or None


def build_article(source: Source, *, date_hint: str | None = None) -> Article:
    """Clean ``source.text`` and find its title, dateline, date, byline, captions, paragraphs and sentences."""
    if source.text is None:
        raise InputError("empty", "source has no text")
    credits = take_credits(normalize_lines(source.text))
    stripped = strip_furniture(credits.lines)
    signed = split_byline(stripped.lines)
    header = split_header(join_paragraphs(signed.lines), source.hints.title)
    paragraphs = list(header.paragraphs)
    text = "\n\n".join(paragraphs)
    if not text.strip():
        raise InputError("empty", "no release text left after cleaning")
    warnings = list(source.warnings)
    removed = credits.removed + stripped.removed + signed.removed + header.removed
    if removed:
        warnings.append(f"removed {removed} line{'s' if removed != 1 else ''} of page furniture")

    hint = date_hint or source.hints.date
    found = None
    for strip in stripped.page_dates:  # the page's own date strip above the release
        found = find_date(strip, hint=hint)
        if found is not None and found.iso is not None:
            break
        found = None
    if found is None:
        found = find_date("\n\n".join(paragraphs[:_DATE_PARAGRAPHS]), hint=hint)
    date, date_text = (found.iso, found.text) if found else (None, None)
    if found:
        warnings.extend(found.warnings)
    if date is None and hint and not found:
        date = hint

    lang, prob = detect_language(text)
    if lang != "id" and lang is not None and prob >= _FOREIGN_MIN_PROB:
        warnings.append(f"language looks like {lang!r} (p={prob:.2f}), not Indonesian; processed anyway")

    para_spans = split_paragraphs(text)
    dateline = header.dateline
    return Article(
        text=text,
        paragraphs=tuple(para_spans),
        sentences=tuple(split_sentences(text, para_spans)),
        title=header.title,
        dateline=dateline.town if dateline else None,
        outlet=dateline.outlet if dateline else None,
        date=date,
        date_text=date_text,
        byline=_byline(credits.byline, signed.byline),
        lang=lang,
        captions=stripped.captions,
        lead_start=dateline.end if dateline else 0,
        warnings=tuple(warnings),
    )

"""Turning the stage outputs into one record dict (schema "ringkas.record/1")."""

from __future__ import annotations

try:  # CPython's own SHA-256: importing hashlib loads OpenSSL, a few ms of every start-up
    from _sha256 import sha256
except ImportError:  # pragma: no cover - other interpreters, Python >= 3.12 (_sha2)
    from hashlib import sha256
import json

from ringkas.types import Article, ErrorInfo, Mention, QuoteResult, Source, Speaker, Summary, Translation

SCHEMA = "ringkas.record/1"


def stable_id(source: Source) -> str:
    """The given id, else a hash of the text (or of the origin when there is no text)."""
    if source.id:
        return source.id
    basis = source.text if source.text is not None else f"origin:{source.origin}"
    return sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _mention(m: Mention | None) -> tuple[str | None, list[int] | None]:
    return (m.text, [m.start, m.end]) if m else (None, None)


def _speaker(s: Speaker | None) -> dict | None:
    if s is None:
        return None
    text, span = _mention(s.mention)
    return {"name": s.name, "role": s.role, "affiliation": s.affiliation, "mention": text,
            "mention_span": span, "resolved": s.resolved, "person": s.person}


def build_record(
    source: Source, article: Article, quotes: QuoteResult, summary: Summary,
    translation: Translation | None, warnings: list[str] | tuple[str, ...] = (),
) -> dict:
    """The record of one processed document."""
    quote_en = translation.quotes if translation else (None,) * len(quotes.quotes)
    return {
        "schema": SCHEMA,
        "id": stable_id(source),
        "source": source.origin,
        "lang": article.lang,
        "title": article.title,
        "dateline": article.dateline,
        "outlet": article.outlet,
        "date": article.date,
        "date_text": article.date_text,
        "byline": article.byline,
        "captions": list(article.captions),
        "url": source.hints.url,
        "text": article.text,
        "paragraphs": [list(p) for p in article.paragraphs],
        "summary": {
            "id": summary.text,
            "en": translation.summary if translation else None,
            "method": summary.method,
            "sentences": [list(s) for s in summary.sentences],
        },
        "translation": {
            "en": translation.en if translation else None,
            "paragraphs": list(translation.paragraphs) if translation else [],
            "model": translation.model if translation else None,
        },
        "quotes": [
            {"kind": q.kind, "text": q.text, "start": q.start, "end": q.end, "text_en": en, "cue": q.cue,
             "speaker": _speaker(q.speaker)}
            for q, en in zip(quotes.quotes, quote_en, strict=True)
        ],
        "people": [
            {"name": p.name, "role": p.role, "affiliation": p.affiliation,
             "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in p.mentions]}
            for p in quotes.people
        ],
        "models": {"summary": summary.model, "translation": translation.model if translation else None},
        "warnings": list(warnings),
        "error": None,
        # Last, so that a batch can set them on the serialised line (ringkas.run.duplicates).
        "duplicate_of": None,
        "duplicate_similarity": None,
    }


def error_record(source: Source, error: ErrorInfo, warnings: list[str] | tuple[str, ...] = ()) -> dict:
    """The record of a document that could not be processed: same keys, empty values, ``error`` set."""
    return {
        "schema": SCHEMA,
        "id": stable_id(source),
        "source": source.origin,
        "lang": None, "title": source.hints.title, "dateline": None, "outlet": None, "date": None,
        "date_text": None, "byline": None, "captions": [], "url": source.hints.url,
        "text": None, "paragraphs": [],
        "summary": {"id": None, "en": None, "method": None, "sentences": []},
        "translation": {"en": None, "paragraphs": [], "model": None},
        "quotes": [], "people": [],
        "models": {"summary": None, "translation": None},
        "warnings": list(warnings),
        "error": {"type": error.type, "message": error.message},
        "duplicate_of": None,
        "duplicate_similarity": None,
    }


def load_schema() -> dict:
    """The JSON Schema of a record, shipped in the package."""
    from importlib import resources

    return json.loads(resources.files("ringkas").joinpath("record.schema.json").read_text("utf-8"))

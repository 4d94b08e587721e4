"""The page model: a record, however corrupted, turned into a plain view for the review template.

A view holds only strings, ints, lists and dicts, every field validated; what looks wrong in a
record becomes a note on its section, never an exception. Quote highlighting cuts the text at
every quote boundary into flat segments, so overlapping, nested or crossing quotes can never
produce badly nested tags.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from typing import Any

from ringkas.run.record import SCHEMA

# (underline/badge colour, background tint). Okabe-Ito hues darkened so each strong colour has at
# least 4.5:1 contrast with white (badge numbers) and each tint at least 7:1 with the body text;
# hues are spread so neighbours in the legend stay tellable apart for colour-blind readers. The
# badge number beside every quote keeps speakers apart when colours repeat (more than 8 speakers).
PALETTE: tuple[tuple[str, str], ...] = (
    ("#0072B2", "#d6e9f5"),  # blue
    ("#B34700", "#fbe1cf"),  # vermillion
    ("#00795A", "#d2f0e6"),  # bluish green
    ("#A8457E", "#f6dcea"),  # reddish purple
    ("#8F6400", "#fcebc4"),  # ochre
    ("#6A3D9A", "#e6dcf1"),  # violet
    ("#882255", "#f1d6e3"),  # wine
    ("#5B6B00", "#e9eec8"),  # olive
)
UNRESOLVED_COLOUR: tuple[str, str] = ("#5F6670", "#e6e8eb")
TEXT_COLOUR = "#1f2328"

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
INDEX_HEADING_LIMIT = 120  # characters of a title in the index (cut at a word, with "…")
_LINK_SCHEMES = frozenset({"http", "https"})
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f]")
_NO_TRANSLATION = "no translation in this record"


def record_view(record: Any, number: int) -> dict:
    """A plain, fully validated view of one record for the template."""
    anchor = f"r{number}"
    if not isinstance(record, dict):
        record = {"error": {"type": "NotARecord", "message": f"item is {type(record).__name__}, not a dict"}}
    try:
        return _build_view(record, number, anchor)
    except Exception as exc:  # noqa: BLE001 - one corrupted record must not lose the whole page
        return _build_view(
            {
                "id": _text(record.get("id")),
                "source": _text(record.get("source")),
                "warnings": [],
                "error": {"type": "RenderError", "message": f"could not render this record: {exc!r}"},
            },
            number,
            anchor,
        )


def _build_view(record: dict, number: int, anchor: str) -> dict:
    """Validate every field the page shows; collect what looks wrong as notes, never raise."""
    notes: list[str] = []
    schema = _text(record.get("schema"))
    if schema is not None and schema != SCHEMA:
        notes.append(f"unknown schema {schema!r}; shown as best effort")
    text = _text(record.get("text")) or ""
    error = _error(record.get("error"))
    warnings = [w for w in (_text(item) for item in _list(record.get("warnings"))) if w]
    summary = _dict(record.get("summary"))
    translation = _dict(record.get("translation"))
    models = _dict(record.get("models"))

    paragraphs = _paragraphs(record.get("paragraphs"), text, notes)
    legend, others, quotes = _speakers_and_quotes(record, text, notes, anchor)
    summary_spans = [
        span
        for span in (_span(item, len(text), allow_empty=False) for item in _list(summary.get("sentences")))
        if span
    ]
    rows = _rows(text, paragraphs, quotes, summary_spans)
    en_paragraphs = [_text(item) or "" for item in _list(translation.get("paragraphs"))]
    en_note = None
    if not en_paragraphs:
        en_note = _why_no_translation(warnings)
    elif len(en_paragraphs) != len(rows):
        notes.append(
            f"translation has {len(en_paragraphs)} paragraphs for {len(rows)} in the text; rows may not line up"
        )
    for index, row in enumerate(rows):
        row["en"] = en_paragraphs[index] if index < len(en_paragraphs) else None
    extra_en = en_paragraphs[len(rows) :]

    title = _text(record.get("title"))
    source = _text(record.get("source"))
    record_id = _text(record.get("id"))
    heading = title or _headline(text) or source or record_id or f"record {number}"
    short = _headline(heading, INDEX_HEADING_LIMIT) or heading
    return {
        "number": number,
        "anchor": anchor,
        "heading": heading,
        "index_heading": short,  # the index shortens a long title; the record's own section has it whole
        "heading_shortened": short != " ".join(heading.split()),
        "url": _link(record.get("url")),
        "untitled": not title,
        "title": title,
        "id": record_id,
        "source": source,
        "lang": _text(record.get("lang")),
        "dateline": _text(record.get("dateline")),
        "outlet": _text(record.get("outlet")),
        "date": _text(record.get("date")),
        "date_text": _text(record.get("date_text")),
        "byline": _text(record.get("byline")),
        "models": {
            "summary": _text(models.get("summary")),
            "translation": _text(models.get("translation")) or _text(translation.get("model")),
            "summary_method": _text(summary.get("method")),
        },
        "summary_id": _text(summary.get("id")),
        "summary_en": _text(summary.get("en")),
        "summary_en_note": None if _text(summary.get("en")) else _why_no_translation(warnings),
        "has_text": bool(text.strip()),
        "rows": rows,
        "extra_en": extra_en,
        "en_note": en_note,
        "legend": legend,
        "others": others,
        "quotes": quotes,
        "n_quotes": len(quotes),
        "warnings": warnings,
        "notes": notes,
        "error": error,
    }


def _link(value: Any) -> dict | None:
    """The record's ``url`` as the page shows it: a link only for http(s) with a host; else plain text."""
    url = _text(value)
    if not url or not url.strip():
        return None
    url = url.strip()
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and the like
        return {"text": url, "href": None}
    # javascript:, data:, file: and relative URLs are never links; nor is anything holding
    # whitespace or control characters, which browsers strip or read in their own ways
    ok = parts.scheme.lower() in _LINK_SCHEMES and bool(parts.netloc) and not _UNSAFE_IN_URL.search(url)
    return {"text": url, "href": url if ok else None}


def _headline(text: str, limit: int = 90) -> str | None:
    """A stand-in title for an untitled release: its opening words, cut at a word boundary."""
    opening = " ".join(text.split())
    if len(opening) <= limit:
        return opening or None
    cut = opening.rfind(" ", 0, limit)
    return opening[: cut if cut > limit // 2 else limit].rstrip(" ,;:.–-") + "…"


def _why_no_translation(warnings: list[str]) -> str:
    """The record's own reason for a missing translation, else a plain default."""
    for warning in warnings:
        if "translat" in warning.lower() or "terjemah" in warning.lower():
            return warning
    return _NO_TRANSLATION


def _paragraphs(value: Any, text: str, notes: list[str]) -> list[tuple[int, int]]:
    """The record's paragraph spans when all are valid, else paragraphs split on blank lines."""
    spans = [_span(item, len(text), allow_empty=True) for item in _list(value)]
    if spans and all(span is not None for span in spans):
        return [span for span in spans if span is not None]
    if value not in (None, []) and text:
        notes.append("paragraph offsets are missing or invalid; paragraphs split on blank lines instead")
    return _split_paragraphs(text)


def _split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the blank-line separated paragraphs of text, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_BLANK_LINE.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + len(chunk.rstrip())))
        if match:
            start = match.end()
    return spans


def _speakers_and_quotes(
    record: dict, text: str, notes: list[str], anchor: str
) -> tuple[list[dict], list[dict], list[dict]]:
    """The legend (speakers who have quotes), other people mentioned, and validated quote views."""
    people = [_dict(item) for item in _list(record.get("people"))]
    by_name = {}
    for index, person in enumerate(people):
        name = _text(person.get("name"))
        if name and name.casefold() not in by_name:
            by_name[name.casefold()] = index

    entries: dict[tuple[str, Any], dict] = {}
    quotes: list[dict] = []
    for number, raw in enumerate(_list(record.get("quotes")), start=1):
        if not isinstance(raw, dict):
            notes.append(f"quote {number} is not an object; skipped")
            continue
        key, name, role, affiliation = _speaker_key(_dict(raw.get("speaker")), people, by_name)
        if key not in entries:
            entries[key] = {
                "key": key,
                "name": name,
                "role": role,
                "affiliation": affiliation,
                "n_quotes": 0,
                "n_direct": 0,
                "n_indirect": 0,
                "n_other": 0,
            }
        entry = entries[key]
        kind = _text(raw.get("kind"))
        kind = kind if kind in ("direct", "indirect") else "other"
        entry["n_quotes"] += 1
        entry["n_" + kind] += 1
        span = _span([raw.get("start"), raw.get("end")], len(text), allow_empty=False)
        quote_text = _text(raw.get("text"))
        if span is None:
            notes.append(
                f"quote {number} has offsets outside the text ({raw.get('start')!r}, "
                f"{raw.get('end')!r}); not highlighted"
            )
        elif quote_text is not None and text[span[0] : span[1]] != quote_text:
            notes.append(f"quote {number}: text at its offsets differs from its own text field")
        speaker = _dict(raw.get("speaker"))
        quotes.append(
            {
                "number": number,
                "anchor": f"{anchor}-q{number}",
                "kind": kind,
                "span": span,
                "mention_span": _span(speaker.get("mention_span"), len(text), allow_empty=False),
                "text": quote_text if quote_text is not None else (text[span[0] : span[1]] if span else ""),
                "text_en": _text(raw.get("text_en")),
                "cue": _text(raw.get("cue")),
                "mention": _text(speaker.get("mention")),
                "resolved": _text(speaker.get("resolved")) or ("unresolved" if key[0] == "none" else None),
                "entry": entry,
            }
        )

    # Colours go to speakers in order of their first quote; the unresolved bucket is always grey.
    legend = list(entries.values())
    legend.sort(key=lambda item: item["key"][0] == "none")
    for index, entry in enumerate(legend):
        entry["index"] = index
        entry["anchor"] = f"{anchor}-s{index + 1}"
        entry["quotes"] = [quote for quote in quotes if quote["entry"] is entry]
        if entry["key"][0] == "none":
            entry["label"] = "?"
            entry["colour"], entry["tint"] = UNRESOLVED_COLOUR
            entry["name"] = "Unresolved speaker"
        else:
            entry["label"] = str(index + 1)
            entry["colour"], entry["tint"] = PALETTE[index % len(PALETTE)]
    quoted = {entry["key"][1] for entry in legend if entry["key"][0] == "person"}
    others = [
        {
            "name": _text(person.get("name")) or "(no name)",
            "role": _text(person.get("role")),
            "affiliation": _text(person.get("affiliation")),
            "n_mentions": len(_list(person.get("mentions"))),
        }
        for index, person in enumerate(people)
        if index not in quoted
    ]
    return legend, others, quotes


def _speaker_key(speaker: dict, people: list[dict], by_name: dict[str, int]) -> tuple[tuple, Any, Any, Any]:
    """Which legend entry a quote belongs to: a person, a bare name, or the unresolved bucket."""
    name = _text(speaker.get("name"))
    person = speaker.get("person")
    if speaker.get("resolved") == "unresolved" and not name:
        person = None
    if not (isinstance(person, int) and not isinstance(person, bool) and 0 <= person < len(people)):
        person = by_name.get(name.casefold()) if name else None
    if person is not None:
        known = people[person]
        return (
            ("person", person),
            _text(known.get("name")) or name,
            _text(known.get("role")) or _text(speaker.get("role")),
            _text(known.get("affiliation")) or _text(speaker.get("affiliation")),
        )
    if name:
        return ("name", name.casefold()), name, _text(speaker.get("role")), _text(speaker.get("affiliation"))
    return ("none", None), None, _text(speaker.get("role")), _text(speaker.get("affiliation"))


def _rows(
    text: str, paragraphs: list[tuple[int, int]], quotes: list[dict], summary: list[tuple[int, int]]
) -> list[dict]:
    """One row per paragraph, its text cut into flat segments at every quote and speaker mention."""
    placed = [quote for quote in quotes if quote["span"] is not None]
    mentions = [quote for quote in quotes if quote["mention_span"] is not None]
    return [
        {
            "segments": _segments(text, start, end, placed, mentions),
            "in_summary": any(s_start < end and start < s_end for s_start, s_end in summary),
        }
        for start, end in paragraphs
    ]


def _segments(text: str, start: int, end: int, quotes: list[dict], mentions: Sequence[dict] = ()) -> list[dict]:
    """Flat, non-overlapping pieces of text[start:end], each with the quotes and mentions covering it."""
    cuts = {start, end}
    for quote in quotes:
        cuts.update(cut for cut in quote["span"] if start < cut < end)
    for quote in mentions:
        cuts.update(cut for cut in quote["mention_span"] if start < cut < end)
    bounds = sorted(cuts)
    segments = []
    for left, right in itertools.pairwise(bounds):
        covering = [q for q in quotes if q["span"][0] <= left and q["span"][1] >= right]
        # The innermost (shortest) quote owns the colour; an enclosing one shows as a top rule.
        covering.sort(key=lambda q: (q["span"][1] - q["span"][0], -q["span"][0], q["number"]))
        named = [q for q in mentions if q["mention_span"][0] <= left and q["mention_span"][1] >= right]
        segments.append(
            {
                "text": text[left:right],
                "quote": covering[0] if covering else None,
                "outer": covering[1] if len(covering) > 1 else None,
                "starts": sorted((q for q in covering if q["span"][0] == left), key=lambda q: q["number"]),
                "title": " + ".join(_quote_title(q) for q in covering),
                "mention": named[0] if named else None,
                "mention_title": "speaker of quote " + ", ".join(str(q["number"]) for q in named),
            }
        )
    return segments


def _quote_title(quote: dict) -> str:
    """Hover text of a highlight: quote number, kind and speaker."""
    entry = quote["entry"]
    who = entry["name"] or "unresolved speaker"
    extra = ", ".join(part for part in (entry["role"], entry["affiliation"]) if part)
    return f"quote {quote['number']} ({quote['kind']}): {who}" + (f" ({extra})" if extra else "")


# --- defensive accessors: a corrupted record yields empty values, never an exception ---------------


def _text(value: Any) -> str | None:
    """A string for the page, or None when the value is absent."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _list(value: Any) -> list:
    """The value when it is a list, else an empty list."""
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    """The value when it is a dict, else an empty dict."""
    return value if isinstance(value, dict) else {}


def _span(value: Any, length: int, *, allow_empty: bool) -> tuple[int, int] | None:
    """A (start, end) pair inside a text of the given length, or None when it is not one."""
    if not (isinstance(value, (list, tuple)) and len(value) == 2):
        return None
    start, end = value
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        return None
    if not 0 <= start <= end <= length or (start == end and not allow_empty):
        return None
    return start, end


def _error(value: Any) -> dict | None:
    """The record's error as {type, message}, or None."""
    if value is None or value is False:
        return None
    if isinstance(value, dict):
        return {"type": _text(value.get("type")) or "Error", "message": _text(value.get("message")) or ""}
    return {"type": "Error", "message": _text(value) or ""}

"""The review page: structure, highlighting by offsets, escaping, and robustness to bad records."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from ringkas.review import page as page_model
from ringkas.review import render
from ringkas.errors import UsageError

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTR = '"><img src=x onerror=alert(1)>'

PARAS = [
    "Blitar – Bupati Blitar Rini Syarifah menghadiri Rakorda Dekranasda, Sabtu (24/12/22).",
    "“Dekranasda hadir sebagai wadah bagi pengrajin,” ujar Rini.",
    "Zaenal Arifin menyampaikan, Dekranasda tidak bisa berjalan sendiri tanpa dukungan pemerintah.",
    "“Mohon dukungannya,” pungkasnya.",
]
RINI, ZAENAL = 0, 1
PEOPLE = [
    {"name": "Rini Syarifah", "role": "Bupati", "affiliation": "Kabupaten Blitar"},
    {"name": "Zaenal Arifin", "role": "Ketua", "affiliation": "Dekranasda Kabupaten Blitar"},
]


def make_record(
    paras=PARAS,
    quotes=(),
    people=PEOPLE,
    en=None,
    warnings=(),
    **fields,
) -> dict:
    """A record like the pipeline's; quotes are (substring, kind, person index or None, speaker name)."""
    text = "\n\n".join(paras)
    spans, pos = [], 0
    for para in paras:
        spans.append([pos, pos + len(para)])
        pos += len(para) + 2
    quote_dicts = []
    for needle, kind, person, name in quotes:
        start = text.index(needle)
        speaker = None
        if person is not None or name is not None:
            speaker = {
                "name": name if name is not None else people[person]["name"],
                "role": None,
                "affiliation": None,
                "mention": name,
                "mention_span": None,
                "resolved": "named" if person is not None else "alias",
                "person": person,
            }
        else:
            speaker = {
                "name": None,
                "role": None,
                "affiliation": None,
                "mention": None,
                "mention_span": None,
                "resolved": "unresolved",
                "person": None,
            }
        quote_dicts.append(
            {
                "kind": kind,
                "text": needle,
                "start": start,
                "end": start + len(needle),
                "text_en": None,
                "cue": "ujar",
                "speaker": speaker,
            }
        )
    record = {
        "schema": "ringkas.record/1",
        "id": "rec-1",
        "source": "samples/blitar.txt",
        "lang": "id",
        "title": "Rakorda Dekranasda",
        "dateline": "Blitar",
        "outlet": "KOMPAS",
        "date": "2022-12-24",
        "date_text": "Sabtu (24/12/22)",
        "byline": "dw/sur",
        "text": text,
        "paragraphs": spans,
        "summary": {"id": PARAS[0], "en": None, "method": "extractive-lead", "sentences": [spans[0]]},
        "translation": {
            "en": None if en is None else "\n\n".join(en),
            "paragraphs": list(en or []),
            "model": "opus-mt-id-en@abc" if en else None,
        },
        "quotes": quote_dicts,
        "people": [dict(p, mentions=[]) for p in people],
        "models": {"summary": None, "translation": "opus-mt-id-en@abc" if en else None},
        "warnings": list(warnings),
        "error": None,
    }
    record.update(fields)
    return record


DIRECT_RINI = ("“Dekranasda hadir sebagai wadah bagi pengrajin,”", "direct", RINI, None)
INDIRECT_ZAENAL = (
    "Dekranasda tidak bisa berjalan sendiri tanpa dukungan pemerintah",
    "indirect",
    ZAENAL,
    None,
)
UNRESOLVED = ("“Mohon dukungannya,”", "direct", None, None)


class TagChecker(HTMLParser):
    """Checks that every element closes in order, and records tags and attributes seen."""

    VOID: ClassVar[set[str]] = {"meta", "br", "col", "img", "input", "link", "hr", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.visible = ""  # text and attribute values, unescaped, as a reader or tooltip shows them

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.visible += "".join(value or "" for _, value in attrs)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.visible += data


def check_markup(page: str) -> TagChecker:
    """Parse the page; fail on misnested tags or anything that could run script or load a resource."""
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.problems == []
    assert checker.stack == []
    for tag, attrs in checker.tags:
        assert tag not in {"script", "img", "iframe", "object", "embed", "link", "svg"}, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("src", "href"):
            value = (attrs.get(name) or "#").lstrip()
            if tag == "a" and name == "href" and value.startswith(("http://", "https://")):
                # the record's original, a link the reader follows (nothing loads): never tells it where from
                assert {"noopener", "noreferrer"} <= set((attrs.get("rel") or "").split()), attrs
                continue
            assert not value.startswith(("http", "//", "javascript")), attrs
    return checker


def highlighted(page: str) -> list[tuple[str, str]]:
    """(class, text) of every quote highlight in the page."""
    return [
        (cls, html.unescape(text)) for cls, text in re.findall(r'<a class="(q [^"]*)"[^>]*>([^<]*)</a>', page)
    ]


def paragraph_numbers(page: str) -> list[tuple[str, str]]:
    """(class, number) of every numbered paragraph row."""
    return re.findall(r'<td class="(pn[^"]*)"[^>]*>(\d+)</td>', page)


def test_page_shows_metadata_index_and_summary():
    page = render.render_records([make_record(quotes=[DIRECT_RINI])])
    check_markup(page)
    for value in (
        "Rakorda Dekranasda",
        "samples/blitar.txt",
        "rec-1",
        "KOMPAS",
        "2022-12-24",
        "Sabtu (24/12/22)",
        "dw/sur",
        "extractive-lead",
    ):
        assert html.escape(value) in page, value
    assert '<a href="#r1">Rakorda Dekranasda</a>' in page
    assert 'id="r1"' in page
    assert "<h3>Ringkasan</h3>" in page


@pytest.mark.parametrize(
    "quotes, expected",
    [
        ([DIRECT_RINI], [("q direct k0", DIRECT_RINI[0])]),
        ([INDIRECT_ZAENAL], [("q indirect k0", INDIRECT_ZAENAL[0])]),
        ([UNRESOLVED], [("q direct k0", UNRESOLVED[0])]),
        (
            [DIRECT_RINI, INDIRECT_ZAENAL],
            [("q direct k0", DIRECT_RINI[0]), ("q indirect k1", INDIRECT_ZAENAL[0])],
        ),
        ([], []),  # no quotes: nothing highlighted
    ],
)
def test_each_quote_is_highlighted_with_its_kind(quotes, expected):
    page = render.render_records([make_record(quotes=quotes)])
    check_markup(page)
    assert highlighted(page) == expected


def test_speakers_get_distinct_colours_and_unresolved_is_grey():
    record = make_record(quotes=[DIRECT_RINI, INDIRECT_ZAENAL, UNRESOLVED])
    page = render.render_records([record])
    colours = re.findall(r'<li class="spk k\d+" id="r1-s\d+" style="--c: (#\w+)', page)
    assert colours == [page_model.PALETTE[0][0], page_model.PALETTE[1][0], page_model.UNRESOLVED_COLOUR[0]]
    assert "Unresolved speaker" in page


def test_legend_lists_role_affiliation_and_quote_count():
    second = ("“Mohon dukungannya,”", "direct", RINI, None)
    page = render.render_records([make_record(quotes=[DIRECT_RINI, second, INDIRECT_ZAENAL])])
    legend = page[page.index('aria-label="Speakers"') : page.index('class="bilingual"')]
    assert "Rini Syarifah" in legend and "Bupati, Kabupaten Blitar" in legend
    assert re.search(r"2 quotes\s+\(2 direct, 0 indirect\)", legend)
    assert re.search(r"1 quote\s+\(0 direct, 1 indirect\)", legend)
    # every highlight links to a legend entry that exists
    targets = set(re.findall(r'<a class="q [^"]*" href="#([\w-]+)"', page))
    assert targets and targets <= set(re.findall(r'<li class="spk k\d+" id="([\w-]+)"', page))


@pytest.mark.parametrize(
    "mention_span, shown",
    [
        ("Rini", True),  # the "ujar Rini" after the quote
        (None, False),
        ([5, 2], False),  # reversed
        ([0, 10_000], False),  # out of range
    ],
)
def test_speaker_mention_is_marked_in_the_speakers_colour(mention_span, shown):
    record = make_record(quotes=[DIRECT_RINI])
    if mention_span == "Rini":
        start = record["text"].index("ujar Rini") + len("ujar ")
        mention_span = [start, start + 4]
    record["quotes"][0]["speaker"]["mention_span"] = mention_span
    page = render.render_records([record])
    check_markup(page)
    marked = re.findall(
        r'<b class="mention k0" style="--m: (#\w+)" title="speaker of quote 1">([^<]*)</b>', page
    )
    assert marked == ([(page_model.PALETTE[0][0], "Rini")] if shown else [])


@pytest.mark.parametrize(
    "sentences, marked",
    [
        ([[0, 10]], ["1"]),
        ([[0, 10], "junk", [9999, 10000]], ["1"]),  # invalid spans are ignored
        ([], []),
    ],
)
def test_paragraphs_holding_summary_sentences_are_marked(sentences, marked):
    record = make_record()
    record["summary"]["sentences"] = sentences
    page = render.render_records([record])
    assert [number for cls, number in paragraph_numbers(page) if cls == "pn sum"] == marked


def test_person_without_quotes_is_listed_as_mentioned_not_as_speaker():
    page = render.render_records([make_record(quotes=[DIRECT_RINI])])
    assert "Also mentioned, no quotes:" in page
    others = page[page.index("Also mentioned") :]
    assert "Zaenal Arifin" in others[: others.index("</p>")]
    assert page.count('class="spk ') == 1


def test_speaker_matched_by_name_when_person_index_is_missing():
    by_name = ("“Mohon dukungannya,”", "direct", None, "Zaenal Arifin")
    page = render.render_records([make_record(quotes=[by_name])])
    assert "Dekranasda Kabupaten Blitar" in page[page.index('class="spk') :]


TEXT = "0123456789abcdefghij"


def seg_view(spans):
    """Quote stand-ins for _segments: number, span, and a legend entry."""
    return [
        {
            "number": i + 1,
            "span": span,
            "kind": "direct",
            "entry": {"name": "x", "role": None, "affiliation": None},
        }
        for i, span in enumerate(spans)
    ]


@pytest.mark.parametrize(
    "spans, expected",  # expected: (text, innermost quote number or None, outer number or None)
    [
        ([], [(TEXT, None, None)]),
        ([(2, 5)], [("01", None, None), ("234", 1, None), ("56789abcdefghij", None, None)]),
        ([(0, 20)], [(TEXT, 1, None)]),
        # an indirect statement containing a direct quote: the inner one owns the colour
        (
            [(2, 12), (4, 8)],
            [
                ("01", None, None),
                ("23", 1, None),
                ("4567", 2, 1),
                ("89ab", 1, None),
                ("cdefghij", None, None),
            ],
        ),
        # crossing quotes: cut at every boundary, never nested tags
        (
            [(2, 8), (5, 12)],
            [
                ("01", None, None),
                ("234", 1, None),
                ("567", 1, 2),
                ("89ab", 2, None),
                ("cdefghij", None, None),
            ],
        ),
        # identical spans and adjacent spans
        ([(3, 6), (3, 6)], [("012", None, None), ("345", 1, 2), ("6789abcdefghij", None, None)]),
        ([(0, 5), (5, 10)], [("01234", 1, None), ("56789", 2, None), ("abcdefghij", None, None)]),
    ],
)
def test_segments_cut_text_flat_at_every_quote_boundary(spans, expected):
    segments = page_model._segments(TEXT, 0, len(TEXT), seg_view(spans))
    got = [
        (s["text"], s["quote"] and s["quote"]["number"], s["outer"] and s["outer"]["number"])
        for s in segments
    ]
    assert got == expected
    assert "".join(s["text"] for s in segments) == TEXT


@pytest.mark.parametrize(
    "start, end, shown",
    [
        (5, 9, True),
        (-3, 4, False),
        (4, 9999, False),
        (9, 5, False),
        (5, 5, False),
        ("5", 9, False),
        (5.0, 9, False),
        (True, 9, False),
        (None, None, False),
    ],
)
def test_bad_offsets_never_crash_and_are_reported(start, end, shown):
    record = make_record(quotes=[DIRECT_RINI])
    record["quotes"][0].update(start=start, end=end, text=record["text"][5:9])
    page = render.render_records([record])
    check_markup(page)
    assert bool(highlighted(page)) is shown
    assert ("has offsets outside the text" in page) is not shown


class CellText(HTMLParser):
    """The text of each Indonesian paragraph cell as a reader sees it, without the badge numbers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.depth = 0  # > 0 inside a td.id
        self.in_badge = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "td" and "id" in classes:
            self.cells.append("")
            self.depth = 1
        elif self.depth:
            self.depth += 1
            self.in_badge = "badge" in classes

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.in_badge = False

    def handle_data(self, data):
        if self.depth and not self.in_badge:
            self.cells[-1] += data


@pytest.mark.parametrize(
    "quotes",
    [
        [],
        [DIRECT_RINI, INDIRECT_ZAENAL, UNRESOLVED],
        [DIRECT_RINI, ("hadir sebagai", "indirect", ZAENAL, None), ("Rini.\n\nZaenal", "direct", None, None)],
    ],
)
def test_paragraph_text_reads_exactly_as_in_the_record(quotes):
    record = make_record(quotes=quotes)
    start = record["text"].index("ujar Rini") + len("ujar ")
    for quote in record["quotes"]:
        quote["speaker"]["mention_span"] = [start, start + 4]
    parser = CellText()
    parser.feed(render.render_records([record]))
    assert parser.cells == PARAS


def test_overlapping_and_nested_quotes_render_well_formed():
    indirect = ("Dekranasda hadir sebagai wadah bagi pengrajin,” ujar Rini", "indirect", RINI, None)
    crossing = ("ujar Rini.\n\nZaenal Arifin", "indirect", ZAENAL, None)
    page = render.render_records([make_record(quotes=[DIRECT_RINI, indirect, crossing])])
    check_markup(page)
    assert " nested" in page
    # the quote that crosses a paragraph break is highlighted in both paragraphs
    pieces = [text for cls, text in highlighted(page) if "k1" in cls]
    assert "Zaenal Arifin" in pieces


PAYLOADS = [XSS_SCRIPT, XSS_ATTR, "</td></tr></table><b>", "{{ 7*7 }}"]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    "where",
    [
        "title",
        "text",
        "speaker",
        "warning",
        "source",
        "id",
        "outlet",
        "translation",
        "error",
        "summary",
        "role",
    ],
)
def test_everything_from_a_record_is_escaped(payload, where):
    quote = (payload, "direct", RINI, None)
    paras = list(PARAS)
    record = make_record()
    if where == "title":
        record = make_record(title=payload)
    elif where == "text":
        paras[1] = f"Kata {payload} dia."
        record = make_record(paras=paras, quotes=[quote])
    elif where == "speaker":
        record = make_record(quotes=[("“Mohon dukungannya,”", "direct", None, payload)])
    elif where == "warning":
        record = make_record(warnings=[payload, f"translation skipped: {payload}"])
    elif where == "role":
        record = make_record(
            quotes=[DIRECT_RINI], people=[dict(PEOPLE[0], role=payload, affiliation=payload), PEOPLE[1]]
        )
    elif where == "translation":
        record = make_record(en=[payload, "b", "c", "d"])
    elif where == "error":
        record = {"id": payload, "source": payload, "error": {"type": payload, "message": payload}}
    elif where == "summary":
        record = make_record(summary={"id": payload, "en": payload, "method": payload})
    else:
        record = make_record(**{where: payload})
    page = render.render_records([record])
    checker = check_markup(page)
    assert payload in checker.visible  # shown to the reader as text ...
    if set(payload) & set('<>"'):
        assert payload not in page  # ... never as markup
    assert "49" not in re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL)  # no template injection


def test_english_column_gives_the_records_reason_when_there_is_no_translation():
    page = render.render_records(
        [make_record(warnings=["translation skipped: model opus-mt-id-en not found"])]
    )
    cell = re.search(r'<td class="en empty" rowspan="4"><p>([^<]*)</p>', page)
    assert cell and cell.group(1) == "translation skipped: model opus-mt-id-en not found"


@pytest.mark.parametrize("warnings", [[], ["date not found"]])
def test_english_column_says_no_translation_by_default(warnings):
    page = render.render_records([make_record(warnings=warnings)])
    assert '<td class="en empty" rowspan="4"><p>no translation in this record</p>' in page


def test_translation_is_shown_beside_each_paragraph():
    en = [
        "Blitar – Regent ...",
        "“Dekranasda is here,” said Rini.",
        "Zaenal said ...",
        "“Please support,” he said.",
    ]
    page = render.render_records([make_record(en=en)])
    check_markup(page)
    cells = [html.unescape(c) for c in re.findall(r'<td class="en" lang="en">([^<]*)</td>', page)]
    assert cells == en
    assert "en empty" not in page


def test_translation_with_wrong_paragraph_count_is_flagged():
    page = render.render_records([make_record(en=["one", "two"])])
    check_markup(page)
    assert "translation has 2 paragraphs for 4 in the text" in page
    assert page.count("no translated paragraph for this one") == 2


def test_error_record_shows_error_plainly():
    record = {
        "schema": "ringkas.record/1",
        "id": "x1",
        "source": "bad.html",
        "warnings": ["decoded as cp1252"],
        "error": {"type": "InputError", "message": "empty document"},
    }
    page = render.render_records([record, make_record()])
    check_markup(page)
    assert 'role="alert"' in page and "InputError" in page and "empty document" in page
    assert "decoded as cp1252" in page
    assert "error: InputError" in page  # in the index
    assert "<b>1</b> with errors" in page


CORRUPT = [
    {},
    {"text": 12345},
    {"text": "abc", "paragraphs": "nope", "quotes": {"a": 1}, "people": "x", "warnings": "w"},
    {"text": "abc def", "paragraphs": [[0, 3], [4, 99]], "quotes": [None, 3, {"start": 0, "end": 3}]},
    {"text": "abc def", "quotes": [{"start": 0, "end": 3, "speaker": "Rini"}]},
    {
        "text": "abc def",
        "quotes": [{"start": 0, "end": 3, "speaker": {"person": 7, "name": None}}],
        "people": [],
    },
    {"text": "abc def", "quotes": [{"start": 0, "end": 3, "kind": "shouted", "speaker": {"person": True}}]},
    {"text": "abc", "translation": {"paragraphs": [None, 1, {"x": 1}]}, "summary": "s", "models": []},
    {"error": "just a string"},
    {"schema": "ringkas.record/99", "text": "abc"},
    ["not", "a", "dict"],
    None,
]


@pytest.mark.parametrize("record", CORRUPT)
def test_corrupted_records_render_without_crashing(record):
    page = render.render_records([record])
    check_markup(page)
    assert 'id="r1"' in page


@pytest.mark.parametrize(
    "fields, heading",
    [
        ({}, "Rakorda Dekranasda"),
        (
            {"title": None},
            "Blitar – Bupati Blitar Rini Syarifah menghadiri Rakorda Dekranasda, Sabtu (24/12/22)…",
        ),
        ({"title": None, "text": "Singkat  saja.\n\nLagi."}, "Singkat saja. Lagi."),
        ({"title": None, "text": ""}, "samples/blitar.txt"),
        ({"title": None, "text": None, "source": None}, "rec-1"),
    ],
)
def test_heading_falls_back_to_opening_words_then_source(fields, heading):
    page = render.render_records([make_record(**fields)])
    assert re.search(r'<a href="#r1"[^>]*>([^<]*)</a>', page).group(1) == html.escape(heading)


def test_missing_paragraph_offsets_fall_back_to_blank_lines():
    record = make_record(paragraphs=None)
    page = render.render_records([record])
    assert len(paragraph_numbers(page)) == 4


def test_empty_input_renders_an_empty_page():
    page = render.render_records([])
    check_markup(page)
    assert "No records in this file." in page


def test_page_is_self_contained():
    page = render.render_records([make_record(quotes=[DIRECT_RINI])])
    check_markup(page)
    assert not re.search(r"https?://|url\(|@import|<script|<link", page)


def lum(colour: str) -> float:
    """Relative luminance (WCAG 2)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio."""
    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("strong, tint", [*page_model.PALETTE, page_model.UNRESOLVED_COLOUR])
def test_palette_is_readable(strong, tint):
    assert contrast(strong, "#ffffff") >= 4.5  # white badge numbers
    assert contrast(tint, page_model.TEXT_COLOUR) >= 7  # body text on the highlight
    assert contrast(strong, tint) >= 3  # underline visible on its own highlight


def test_palette_colours_are_distinct():
    assert len({strong for strong, _ in page_model.PALETTE}) == len(page_model.PALETTE)
    assert page_model.UNRESOLVED_COLOUR[0] not in {strong for strong, _ in page_model.PALETTE}


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_render_file_turns_malformed_lines_into_error_sections(tmp_path):
    src = write_jsonl(
        tmp_path / "records.jsonl",
        [
            json.dumps(make_record(quotes=[DIRECT_RINI])),
            '{"id": "broken", "text": ',
            "",
            "[1, 2]",
            json.dumps({"id": "e", "source": "x", "error": {"type": "InputError", "message": "empty"}}),
        ],
    )
    out = tmp_path / "out" / "review.html"
    out.parent.mkdir()
    count = render.render_file(src, out)
    page = out.read_text(encoding="utf-8")
    assert count == 4
    check_markup(page)
    assert "MalformedLine" in page and "line 2 is not valid JSON" in page
    assert "NotARecord" in page and "line 4 is JSON list" in page
    assert f"{src}:2" in page
    assert sorted(p.name for p in out.parent.iterdir()) == ["review.html"]  # no temp file left


def test_render_file_replaces_existing_output(tmp_path):
    src = write_jsonl(tmp_path / "r.jsonl", [json.dumps(make_record())])
    out = tmp_path / "review.html"
    out.write_text("old", encoding="utf-8")
    assert render.render_file(src, out) == 1
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_render_file_survives_bad_bytes_and_bom(tmp_path):
    src = tmp_path / "r.jsonl"
    src.write_bytes(
        b"\xef\xbb\xbf" + json.dumps(make_record(title="caf\xe9")).encode() + b'\n{"title": "\xff"}\n'
    )
    out = tmp_path / "review.html"
    assert render.render_file(src, out) == 2
    assert "\ufffd" in out.read_text(encoding="utf-8")


def test_parse_records_keeps_line_separators_inside_json_strings():
    line = json.dumps(make_record(title="a\u2028b\x85c"), ensure_ascii=False)
    records = render.parse_records(line + "\r\n" + line + "\n", "mem")
    assert [r.get("error") for r in records] == [None, None]
    assert records[0]["title"] == "a\u2028b\x85c"


def test_render_file_missing_input_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="cannot read records file"):
        render.render_file(tmp_path / "missing.jsonl", tmp_path / "review.html")
    assert not (tmp_path / "review.html").exists()


SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.mark.parametrize("sample", ["polres-mukomuko-curanmor.txt", "kabupaten-tulungagung-posyandu.txt"])
def test_real_record_from_the_pipeline_renders(sample):
    pipeline = pytest.importorskip(
        "ringkas.run.pipeline", reason="the pipeline (ringkas.process) is not importable yet"
    )
    text = (SAMPLES / sample).read_text(encoding="utf-8")
    record = json.loads(json.dumps(pipeline.process(text, source=f"samples/{sample}", translate=False)))
    page = render.render_records([record])
    check_markup(page)
    assert "Found while rendering" not in page  # the pipeline's offsets and paragraphs are all valid
    placed = [q for q in record["quotes"] if 0 <= q["start"] < q["end"] <= len(record["text"])]
    assert len(placed) == len(record["quotes"])
    assert len(paragraph_numbers(page)) == len(record["paragraphs"])
    assert ("no translation in this record" in page) or ("translat" in " ".join(record["warnings"]).lower())


@pytest.mark.parametrize(
    "argv, stdin, status, expect_out, expect_err",
    [
        (["render", "{src}", "-o", "{out}"], b"", 0, "", "wrote"),
        (["render", "{src}"], b"", 0, "<!doctype html>", ""),
        (["render", "-"], b'{"id": "s1", "text": "abc"}\n{oops\n', 0, "MalformedLine", ""),
        (["render", "{missing}"], b"", 2, "", "cannot read records file"),
        (["render"], b"", 2, "", ""),  # RECORDS is required
    ],
)
def test_cli_render(tmp_path, argv, stdin, status, expect_out, expect_err):
    from conftest import run_cli

    src = write_jsonl(tmp_path / "r.jsonl", [json.dumps(make_record(quotes=[DIRECT_RINI]))])
    names = {"src": str(src), "out": str(tmp_path / "review.html"), "missing": str(tmp_path / "nope.jsonl")}
    result = run_cli([arg.format(**names) for arg in argv], input=stdin)
    assert result.exit_code == status
    assert expect_out in result.stdout
    assert expect_err in result.stderr
    if "-o" in argv:
        assert len(highlighted((tmp_path / "review.html").read_text(encoding="utf-8"))) == 1


# -- the record's original URL, and long titles in the index ----------------------------------------


@pytest.mark.parametrize("url, href", [
    ("https://blitarkab.go.id/berita/rakorda", "https://blitarkab.go.id/berita/rakorda"),
    ("http://humas.polri.go.id/a?b=1&c=2", "http://humas.polri.go.id/a?b=1&c=2"),
    ("  https://blitarkab.go.id/x  ", "https://blitarkab.go.id/x"),  # stripped
    ("HTTPS://BLITARKAB.GO.ID/", "HTTPS://BLITARKAB.GO.ID/"),
    # shown as text, never linked
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("file:///etc/passwd", None),
    ("ftp://files.example.org/rilis.txt", None),
    ("//blitarkab.go.id/x", None),  # protocol-relative
    ("/berita/rakorda", None),
    ("https://", None),  # no host
    ("https://blitar kab.go.id/x", None),  # whitespace inside
    ("https://blitarkab.go.id/\x00x", None),
    ('https://x.id/"><img src=x onerror=alert(1)>', None),
    ("http://[::1", None),  # not parseable
    (42, None),  # not a string: shown as the record has it
    (["https://x.id"], None),
])
def test_the_original_url_is_linked_only_when_it_is_http(url, href):
    page = render.render_records([make_record(url=url)])
    check_markup(page)
    links = re.findall(r'<a href="([^"]*)" rel="noopener noreferrer" target="_blank">([^<]*)</a>', page)
    if href is None:
        assert links == []
        shown = url.strip() if isinstance(url, str) else json.dumps(url)
        assert "<dt>Original</dt>" in page and shown in html.unescape(page)  # shown, as text
    else:
        assert links == [(html.escape(href), html.escape(href))]


@pytest.mark.parametrize("url", [None, "", "   "])
def test_no_url_no_original_row(url):
    page = render.render_records([make_record(url=url)])
    check_markup(page)
    assert "<dt>Original</dt>" not in page


@pytest.mark.parametrize("title, shown, shortened", [
    ("Rakorda Dekranasda", "Rakorda Dekranasda", False),
    ("Bupati " * 16 + "hadir ok", "Bupati " * 16 + "hadir ok", False),  # 120 characters: the limit
    ("Bupati Blitar Rini Syarifah menghadiri rapat koordinasi daerah Dekranasda " * 6,
     "Bupati Blitar Rini Syarifah menghadiri rapat koordinasi daerah Dekranasda Bupati Blitar Rini Syarifah "
     "menghadiri rapat…", True),
    ("X" * 300, "X" * 120 + "…", True),  # no word boundary: cut at the limit
])
def test_long_titles_are_shortened_in_the_index_only(title, shown, shortened):
    page = render.render_records([make_record(title=title)])
    check_markup(page)
    index = re.search(r'<a href="#r1"([^>]*)>([^<]*)</a>', page)
    assert html.unescape(index.group(2)) == shown
    assert ('title="' in index.group(1)) is shortened  # the whole title on hover
    heading = re.search(r"<h2[^>]*>([^<]*)</h2>", page).group(1)
    assert html.unescape(heading) == title  # the record's own section keeps it whole

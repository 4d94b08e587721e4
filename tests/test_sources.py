import codecs
import io
import json

import pytest

from ringkas.io.sources import decode_bytes, read_inputs, read_jsonl, read_path, read_stdin, source_from_bytes

RELEASE = "Blitar – Bupati Blitar menghadiri rapat koordinasi daerah, Sabtu (24/12/22).\n\nIa hadir."


@pytest.mark.parametrize(
    "data, text",
    [
        (RELEASE.encode("utf-8"), RELEASE),
        ("\ufeff".encode("utf-8") + RELEASE.encode("utf-8"), RELEASE),  # BOM dropped
        ("Café “André” – Bandung hadir di sini hari ini bersama warga.".encode("cp1252"),
         "Café “André” – Bandung hadir di sini hari ini bersama warga."),
        ("Caf\u00e9 d\u00e9j\u00e0 vu pada hari Sabtu di kota Bandung.".encode("latin-1"),
         "Caf\u00e9 d\u00e9j\u00e0 vu pada hari Sabtu di kota Bandung."),
    ],
)
def test_decodes(data, text):
    assert decode_bytes(data)[0] == text


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"", "empty"),
        (b"  \n\n \t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (bytes(range(1, 32)) * 50, "binary"),
        (b"x" * 5001, "too_large"),
    ],
)
def test_bad_bytes_become_errors(data, kind):
    source = source_from_bytes(data, "f.txt", max_bytes=5000)
    assert source.text is None and source.error.type == kind


def test_legacy_sample_reads_correctly():
    source = next(read_path("samples/legacy-cp1252.txt"))
    assert source.error is None
    assert "Café" in source.text and "“" in source.text
    assert source.warnings == ("input decoded as cp1252, not UTF-8",)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be"])
def test_utf16_and_utf32_with_a_bom_are_text(encoding):
    data = (codecs.BOM_UTF16_BE if encoding == "utf-16-be" else b"") + RELEASE.encode(encoding)
    text, warnings = decode_bytes(data)
    assert text.lstrip("\ufeff") == RELEASE and "byte-order mark" in warnings[0]


def test_unreadable_path_is_an_error_record():
    source = next(read_path("no/such/file.txt"))
    assert source.error.type == "unreadable" and "no/such/file.txt" in source.error.message


def test_jsonl_malformed_line_names_its_number_and_others_go_on():
    lines = [
        json.dumps({"id": "a", "text": RELEASE, "date": "2022-12-24", "title": "Judul"}).encode(),
        b'{"id": "b", "text": ',
        b"",
        json.dumps({"id": "c"}).encode(),
        json.dumps([1, 2]).encode(),
        json.dumps({"text": RELEASE}).encode(),
    ]
    sources = list(read_jsonl(lines, "arsip.jsonl"))
    assert [s.origin for s in sources] == ["arsip.jsonl:1", "arsip.jsonl:2", "arsip.jsonl:4", "arsip.jsonl:5",
                                           "arsip.jsonl:6"]
    assert sources[0].error is None and sources[0].id == "a" and sources[0].hints.title == "Judul"
    assert sources[0].hints.date == "2022-12-24"
    assert sources[1].error.type == "bad_jsonl" and "line 2" in sources[1].error.message
    assert sources[2].error.type == "bad_jsonl" and "'text'" in sources[2].error.message
    assert sources[3].error.type == "bad_jsonl"
    assert sources[4].error is None and sources[4].id is None


@pytest.mark.parametrize(
    "stdin, kinds",
    [
        (b"\n\n" + json.dumps({"text": RELEASE}).encode() + b"\n" + json.dumps({"text": RELEASE}).encode(),
         ["jsonl", "jsonl"]),
        (RELEASE.encode(), ["text"]),
        (b"", ["text"]),
    ],
)
def test_stdin_jsonl_or_text(stdin, kinds):
    sources = list(read_stdin(io.BytesIO(stdin)))
    assert [s.kind for s in sources] == kinds
    assert all(s.origin.startswith("-") for s in sources)


def test_stdin_jsonl_line_numbers_count_blank_lines():
    data = b"\n" + json.dumps({"text": RELEASE}).encode() + b"\n{bad\n"
    sources = list(read_stdin(io.BytesIO(data)))
    assert [s.origin for s in sources] == ["-:2", "-:3"]


def test_html_main_text_title_and_date():
    source = next(read_path("samples/pemprov-kalteng-banjir.html"))
    assert source.error is None
    assert source.hints.date == "2022-12-24"
    assert source.hints.title and "Portal Berita" not in source.hints.title
    assert "Berita Terkait" not in source.text and "Facebook" not in source.text
    assert source.text.startswith("Palangka Raya")


def test_folders_are_walked_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(RELEASE)
    (tmp_path / "a.txt").write_text(RELEASE)
    (tmp_path / "skip.bin").write_bytes(b"\x00")
    origins = [s.origin for s in read_inputs([str(tmp_path)])]
    assert origins == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt")]


def test_stdin_html_page_is_read_as_html():
    with open("samples/pemprov-kalteng-banjir.html", "rb") as fh:
        (source,) = read_stdin(io.BytesIO(fh.read()))
    assert source.kind == "html" and source.text.startswith("Palangka Raya") and "<" not in source.text

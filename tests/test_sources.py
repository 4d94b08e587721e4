import codecs
import io
import json

import pytest

from ringkas.io.decode import decode_bytes, looks_binary
from ringkas.io.sources import read_inputs, read_jsonl, read_path, read_stdin, source_from_bytes
from ringkas.run.pipeline import Options, Pipeline
from ringkas.types import Hints

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


@pytest.mark.parametrize("text, binary", [
    ("", False),
    (RELEASE, False),
    ("\t\n\r\f" * 100, False),  # whitespace controls are text
    ("\x01" + "a" * 49, False),  # 2 % is still text
    ("\x01\x0b" + "a" * 48, True),  # 4 %, vertical tab counted
    ("\x1f\x00" + "a" * 48, True),
    ("\x7f\x85" + "a" * 48, False),  # DEL and C1 controls are not counted
    ("a" * 8192 + "\x01" * 1000, False),  # only the first 8,192 characters are looked at
])
def test_looks_binary(text, binary):
    assert looks_binary(text) is binary


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


def line(**fields: object) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode("utf-8")


def test_jsonl_bad_lines_name_their_number_and_the_others_go_on():
    lines = [line(id="a", text=RELEASE, date="2022-12-24", title="Judul"), b'{"id": "b", "text": ', b"",
             line(id="c"), json.dumps([1, 2]).encode(), line(text=RELEASE)]
    sources = list(read_jsonl(lines, "arsip.jsonl"))
    assert [(s.origin, s.error and s.error.type) for s in sources] == [
        ("arsip.jsonl:1", None), ("arsip.jsonl:2", "bad_jsonl"), ("arsip.jsonl:4", "bad_jsonl"),
        ("arsip.jsonl:5", "bad_jsonl"), ("arsip.jsonl:6", None)]
    assert (sources[0].id, sources[0].hints, sources[0].warnings) == ("a", Hints("Judul", "2022-12-24"), ())
    assert sources[4].id is None and sources[4].text == RELEASE


@pytest.mark.parametrize("raw, kind, message", [  # read with max_bytes=10,000
    (b'{"id": "b", "text": ', "bad_jsonl", "line 1: malformed JSON (Expecting value at column 21)"),
    (b'{"text": "x",}', "bad_jsonl", "line 1: malformed JSON (Expecting property name enclosed in double quotes"),
    (b"[1, 2]", "bad_jsonl", "line 1 is not a JSON object (it is an array)"),
    (b"42", "bad_jsonl", "line 1 is not a JSON object (it is a number)"),
    (b'"Bupati hadir"', "bad_jsonl", "line 1 is not a JSON object (it is a string)"),
    (b"null", "bad_jsonl", "line 1 is not a JSON object (it is null)"),
    (b"true", "bad_jsonl", "line 1 is not a JSON object (it is true or false)"),
    (b'{"id": "c"}', "bad_jsonl", "line 1: field 'text' (a string) is required"),
    (b'{"text": 5}', "bad_jsonl", "line 1: field 'text' (a string) is required"),
    (b'{"text": "a\x01b"}', "bad_jsonl", "line 1: malformed JSON (Invalid control character at column 12)"),
    (b"[" * 9999, "bad_jsonl", "line 1: malformed JSON (nested too deeply)"),
    (b'{"n": ' + b"1" * 5000 + b"}", "bad_jsonl", "line 1: malformed JSON (Exceeds the limit (4300 digits)"),
    (b'{"text": "' + b"x" * 10_000 + b'"}', "too_large", "line 1 is 10,012 bytes, over the limit of 10,000"),
    (b'{"text": "a\x00b"}', "binary", "input looks binary (NUL bytes)"),
    (line(text="\x01\x02\x03\x04" * 8), "binary", "input looks binary (control characters)"),
    (b'{"text": ""}', "empty", "input is empty"),
], ids=lambda value: value if isinstance(value, str) else "line")
def test_jsonl_bad_line_becomes_an_error_source(raw: bytes, kind: str, message: str):
    (source,) = read_jsonl([raw], "a.jsonl", max_bytes=10_000)
    assert (source.origin, source.text, source.error.type) == ("a.jsonl:1", None, kind)
    assert source.error.message.startswith(message)


@pytest.mark.parametrize("raw, text", [
    (codecs.BOM_UTF8 + line(text=RELEASE), RELEASE),  # a BOM before the first line
    ("\x1e".encode() + line(text=RELEASE), RELEASE),  # RFC 7464 record separator (jsonlines drops it)
    (line(text="Café “André” hadir di Bandung hari ini.").decode().encode("cp1252"),
     "Café “André” hadir di Bandung hari ini."),  # a legacy-encoded line is decoded as a file would be
    (b'{"text": "Jakarta \\u2013 rapat \\ud83d\\ude00"}', "Jakarta \u2013 rapat \U0001f600"),
    (line(text=RELEASE) + b"\r\n", RELEASE),
])
def test_jsonl_line_is_read(raw: bytes, text: str):
    (source,) = read_jsonl([raw], "a.jsonl")
    assert source.error is None and source.text == text


@pytest.mark.parametrize("fields, hints, warnings", [
    # good hints, and absent or empty ones: no warning
    ({"title": "Judul", "date": "2024-02-29", "url": "https://x.example/a"},
     Hints("Judul", "2024-02-29", "https://x.example/a"), ()),
    ({"title": None, "date": None, "url": None}, Hints(date="2024-10-05"), ()),
    ({"title": "", "date": "", "url": "  "}, Hints(date="2024-10-05"), ()),
    ({"title": "  Judul  ", "date": "2024-10-03T08:15:00+07:00"}, Hints("Judul", "2024-10-03"), ()),
    # the wrong kind of value: a warning on the record, the hint ignored (--date stays)
    ({"title": 5}, Hints(date="2024-10-05"), ("JSONL field 'title' is not a string (a number): ignored",)),
    ({"title": ["a", "b"], "url": {"href": "x"}}, Hints(date="2024-10-05"),
     ("JSONL field 'title' is not a string (an array): ignored",
      "JSONL field 'url' is not a string (an object): ignored")),
    ({"url": True}, Hints(date="2024-10-05"), ("JSONL field 'url' is not a string (true or false): ignored",)),
    ({"date": "2024-02-30"}, Hints(date="2024-10-05"),
     ("JSONL field 'date' is not a date (YYYY-MM-DD): '2024-02-30' ignored",)),
    ({"date": "yesterday"}, Hints(date="2024-10-05"),
     ("JSONL field 'date' is not a date (YYYY-MM-DD): 'yesterday' ignored",)),
    ({"date": "05/10/2024"}, Hints(date="2024-10-05"),
     ("JSONL field 'date' is not a date (YYYY-MM-DD): '05/10/2024' ignored",)),
    ({"date": "20241005"}, Hints(date="2024-10-05"),
     ("JSONL field 'date' is not a date (YYYY-MM-DD): '20241005' ignored",)),
    ({"date": 20241005}, Hints(date="2024-10-05"), ("JSONL field 'date' is not a string (a number): ignored",)),
])
def test_jsonl_hints_and_their_warnings(fields: dict, hints: Hints, warnings: tuple[str, ...]):
    (source,) = read_jsonl([line(text=RELEASE, **fields)], "a.jsonl", hints=Hints(date="2024-10-05"))
    assert (source.error, source.hints, source.warnings) == (None, hints, warnings)


def test_a_bad_hint_is_a_warning_of_the_record_and_not_its_date():
    lines = [line(id="a", text=RELEASE, date="yesterday", title=5), line(id="b", text=RELEASE, date="2022-12-30")]
    first, second = Pipeline(Options(translate=False)).run(read_jsonl(lines, "a.jsonl"))
    assert first["error"] is None and first["date"] == "2022-12-24" and first["title"] is None
    assert "JSONL field 'date' is not a date (YYYY-MM-DD): 'yesterday' ignored" in first["warnings"]
    assert "JSONL field 'title' is not a string (a number): ignored" in first["warnings"]
    assert not [w for w in second["warnings"] if "JSONL" in w]


def test_jsonl_line_numbers_count_blank_lines_and_a_huge_line_stops_nothing():
    lines = [b"\n", line(text=RELEASE) + b"\n", b"   \n", b'{"text": "' + b"x" * 600 + b'"}\n', b"\t\n",
             line(text=RELEASE)]
    sources = list(read_jsonl(lines, "a.jsonl", max_bytes=500, first_line=10))
    assert [(s.origin, s.error and s.error.type) for s in sources] == [
        ("a.jsonl:11", None), ("a.jsonl:13", "too_large"), ("a.jsonl:15", None)]
    assert "line 13 is" in sources[1].error.message


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


# -- legacy encodings: Windows-1252 and Latin-1 first, UTF-16 without a BOM ---------------------------

NAMES = "Bupati Héndro Prasetyö dan Wakil Bupati André Sánchez menghadiri Désa Wisata bersama José Müller"
LONG_NAMES = (NAMES + ". Warga menyambut rombongan dengan antusias di balai desa. ") * 30  # about 4 KB


@pytest.mark.parametrize("text, encoding, decoded_as", [
    ("Héndro Prasetyö", "latin-1", "cp1252"),  # short: charset-normalizer alone reads cp775 ("Hķndro Prasety÷")
    ("Héndro Prasetyö", "cp1252", "cp1252"),
    (NAMES + ".", "latin-1", "cp1252"),  # about 100 bytes
    (LONG_NAMES, "latin-1", "cp1252"),
    ("“Kami siap,” ujar Héndro – Kepala Désa Sukamaju – di Bandung.", "cp1252", "cp1252"),  # curly quotes, dash
    ("Ir. Sutámi dan Dr. Ïrma hadir pada Sabtu (24/12/22) di Gedung Sate.", "latin-1", "cp1252"),
    (LONG_NAMES, "utf-16-le", "utf-16-le (no byte-order mark)"),  # Notepad's "Unicode" without its mark
    (NAMES + ".", "utf-16-be", "utf-16-be (no byte-order mark)"),
])
def test_legacy_indonesian_text_is_decoded_as_written(text: str, encoding: str, decoded_as: str):
    decoded, warnings = decode_bytes(text.encode(encoding))
    assert decoded == text
    assert warnings == (f"input decoded as {decoded_as}, not UTF-8",)


@pytest.mark.parametrize("text, encoding", [
    # NOT read as cp1252: scripts whose bytes, read as cp1252, are runs of accented letters
    ("Привет мир, это тестовый текст на русском языке. " * 5, "cp1251"),
    ("Γειά σου κόσμε, αυτό είναι ένα κείμενο στα ελληνικά. " * 5, "cp1253"),
])
def test_other_legacy_scripts_are_left_to_detection(text: str, encoding: str):
    decoded, warnings = decode_bytes(text.encode(encoding))
    assert decoded == text and "cp1252" not in warnings[0]


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    b"\x00\x01\x02PK\x03\x04" * 100,
    "Héndro".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le"),  # NULs, but a lone surrogate
])
def test_nul_bytes_that_are_not_utf16_stay_binary(data: bytes):
    source = source_from_bytes(data, "f.txt")
    assert source.error is not None and source.error.type == "binary"


# -- --max-bytes applies to every kind of input --------------------------------------------------------

BIG = "Blitar – Bupati hadir di pasar kota bersama warga desa. " * 40_000  # 2.32 MB of UTF-8, over 2M


@pytest.mark.parametrize("kind, max_bytes, error", [
    ("text", 3_000_000, None),  # over the default: a larger limit lets it through
    ("text", 2_000_000, "too_large"),
    ("html", 3_000_000, None),
    ("html", 2_000_000, "too_large"),
    ("jsonl", 3_000_000, None),
    ("jsonl", 2_000_000, "too_large"),
    ("stdin", 3_000_000, None),
    ("stdin", 2_000_000, "too_large"),
    ("api", 3_000_000, None),
    ("api", 2_000_000, "too_large"),
])
def test_max_bytes_applies_to_every_input_kind(tmp_path, kind: str, max_bytes: int, error: str | None):
    from ringkas.io.sources import source_from_text

    if kind in ("text", "html"):
        path = tmp_path / f"big.{'txt' if kind == 'text' else 'html'}"
        path.write_text(BIG if kind == "text" else f"<html><body><article><p>{BIG}</p></article></body></html>")
        source = next(read_path(str(path), max_bytes=max_bytes))  # a page: through trafilatura (1-2 s)
    elif kind == "jsonl":
        source = next(read_jsonl([json.dumps({"text": BIG}).encode()], "a.jsonl", max_bytes=max_bytes))
    elif kind == "stdin":
        source = next(read_stdin(io.BytesIO(BIG.encode()), max_bytes=max_bytes))
    else:
        source = source_from_text(BIG, "<1>", max_bytes=max_bytes)
    assert (source.error and source.error.type) == error
    if error:
        assert "over the limit of 2,000,000" in source.error.message


def test_a_legacy_file_under_the_limit_is_not_refused_for_its_utf8_size():
    # 1,000 cp1252 bytes of curly quotes are 3,000 bytes of UTF-8: the file's own size is what counts
    data = "“”".encode("cp1252") * 250 + b" Bupati hadir di pasar kota bersama warga desa."
    source = source_from_bytes(data, "f.txt", max_bytes=len(data))
    assert source.error is None


@pytest.mark.parametrize("size, message", [
    ("0", "must be at least 1 byte"),
    ("-5", "must be at least 1 byte"),
    ("-1k", "must be at least 1 byte"),
    ("0.0001k", "must be at least 1 byte"),  # 0.1 bytes rounds down to none
    ("lots", "not a size"),
    ("infk", "not a size"),
])
def test_a_bad_max_bytes_is_a_usage_error(size: str, message: str):
    from conftest import run_cli

    result = run_cli(["summarize", "--no-translate", "--max-bytes", size, "samples/polres-mukomuko-curanmor.txt"])
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


@pytest.mark.parametrize("value", [0, -1, 1.5, "2M", True])
def test_options_refuse_a_bad_max_bytes(value):
    from ringkas.errors import UsageError

    with pytest.raises(UsageError, match="max_bytes must be a whole number of at least 1"):
        Options(max_bytes=value)


# -- an HTML page's footer is not a date hint ---------------------------------------------------------

BODY = ("<article><h1>Bupati hadir</h1><p>Blitar - Bupati Blitar menghadiri rapat koordinasi daerah di Kota "
        "Batu, Kamis (03/10). Kegiatan itu bertujuan memberikan laporan pelaksanaan program kerja tahun ini "
        "kepada masyarakat luas di seluruh kabupaten.</p><p>Warga menyambut rombongan dengan antusias di "
        "balai desa pada kesempatan tersebut.</p></article>")


@pytest.mark.parametrize("head, footer, hint", [
    ("", "<footer><p>Copyright 2024 Pemerintah Kabupaten Blitar. All rights reserved.</p></footer>", None),
    ("", "<footer><p>&copy; 2023 Humas Polres Mukomuko</p></footer>", None),
    ("", "<footer><p>Hak cipta 2024</p></footer>", None),
    ('<meta property="article:published_time" content="2024-01-01T08:00:00+07:00">', "", "2024-01-01"),  # a real 1 Jan
    ('<meta property="article:published_time" content="2024-10-05T08:00:00+07:00">',
     "<footer><p>Copyright 2021</p></footer>", "2024-10-05"),
])
def test_an_html_footer_is_not_a_date_hint(head: str, footer: str, hint: str | None):
    page = f"<!doctype html><html><head><title>Bupati hadir</title>{head}</head><body>{BODY}{footer}</body></html>"
    source = source_from_bytes(page.encode(), "p.html", kind="html")
    assert source.error is None and source.hints.date == hint
    (record,) = Pipeline(Options(translate=False)).run([source])
    assert record["date"] == ("2024-10-03" if hint else None)  # "Kamis, (03/10)": a Thursday in 2024

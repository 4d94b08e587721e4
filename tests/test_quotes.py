"""Tests of the quote and speaker extractor: tables of small texts, then the samples' gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ringkas.quotes.find import find_quotes
from ringkas.text.sentences import split_paragraphs, split_sentences
from ringkas.quotes.mentions import parse_mention

ROOT = Path(__file__).resolve().parent.parent
GOLD = json.loads((ROOT / "tests" / "gold" / "quotes_samples.json").read_text(encoding="utf-8"))


def run(text: str):
    """find_quotes on a plain text, with the product's sentence splitter."""
    paragraphs = split_paragraphs(text)
    return find_quotes(text, split_sentences(text, paragraphs), paragraphs)


def summary(text: str) -> list[tuple[str, str, str | None, str]]:
    """(kind, text, speaker name, resolved) of each quote."""
    return [
        (q.kind, q.text, q.speaker.name if q.speaker else None, q.speaker.resolved if q.speaker else "")
        for q in run(text).quotes
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # curly marks, cue after
        (
            "Bupati Blitar, Rini Syarifah membuka acara.\n\n“Kita harus maju bersama,” ujar Rini.",
            [("direct", "Kita harus maju bersama,", "Rini Syarifah", "alias")],
        ),
        # straight marks
        (
            'Kapolres Malang AKBP Budi Santoso hadir.\n\n"Kami siap mengamankan jalannya acara," kata Budi.',
            [("direct", "Kami siap mengamankan jalannya acara,", "Budi Santoso", "alias")],
        ),
        # Kompas style: the same mark opens and closes
        (
            "Menteri Keuangan Sri Mulyani Indrawati hadir.\n\n”Anggaran sudah kami siapkan,” kata Sri Mulyani.",
            [("direct", "Anggaran sudah kami siapkan,", "Sri Mulyani Indrawati", "alias")],
        ),
        # nested single marks stay inside the quote
        (
            "“Warga menyebutnya ‘kampung hijau’ sejak lama,” kata Kepala Desa Sukamaju, Agus Salim.",
            [("direct", "Warga menyebutnya ‘kampung hijau’ sejak lama,", "Agus Salim", "named")],
        ),
        # a quote over two paragraphs is one quote
        (
            (
                "Rektor UI Prof. Dr. Ari Kuncoro memberi sambutan.\n\n“Kampus terbuka bagi semua.\n\n"
                "“Kami tidak membeda-bedakan mahasiswa,” kata Ari."
            ),
            [
                (
                    "direct",
                    "Kampus terbuka bagi semua.\n\n“Kami tidak membeda-bedakan mahasiswa,",
                    "Ari Kuncoro",
                    "alias",
                )
            ],
        ),
        # a quote split by its attribution: two quotes, one speaker
        (
            'Ketua KPU Kota Bogor, Samsudin, memberi keterangan.\n\n"Semua siap," kata Samsudin. "Logistik sudah tiba."',
            [
                ("direct", "Semua siap,", "Samsudin", "named"),
                ("direct", "Logistik sudah tiba.", "Samsudin", "pronoun"),
            ],
        ),
        # cue before the quote
        (
            "Kepala Dinas Kominfo Barito Selatan, Syahdianor mengatakan, “Semua data akan dibuka untuk publik.”",
            [("direct", "Semua data akan dibuka untuk publik.", "Syahdianor", "named")],
        ),
        # a role alone, linked to the person holding it
        (
            "Presiden Joko Widodo meninjau pasar.\n\n”Harga harus stabil,” kata Presiden.",
            [("direct", "Harga harus stabil,", "Joko Widodo", "role")],
        ),
        # pronoun and clitic go to the latest speaker, never to a person named inside a quote
        (
            (
                "Direktur Utama PT Maju Jaya, Dewi Lestari, hadir.\n\n"
                "“Kami bekerja sama dengan Bapak Hasan Basri,” ujar Dewi.\n\n“Semua lancar,” katanya."
            ),
            [
                ("direct", "Kami bekerja sama dengan Bapak Hasan Basri,", "Dewi Lestari", "alias"),
                ("direct", "Semua lancar,", "Dewi Lestari", "pronoun"),
            ],
        ),
        # indirect statements
        (
            "Camat Kauman, Budi Hartono mengatakan, jalan desa akan diperbaiki tahun depan.",
            [("indirect", "jalan desa akan diperbaiki tahun depan", "Budi Hartono", "named")],
        ),
        (
            "Kepala BPBD Kota Batu Agus Riyadi hadir. Menurut Agus, air sudah surut sejak pagi.",
            [("indirect", "air sudah surut sejak pagi", "Agus Riyadi", "alias")],
        ),
        (
            "Kepala BPBD Kota Batu Agus Riyadi hadir. Ia menyebutkan bahwa tiga rumah rusak berat.",
            [("indirect", "tiga rumah rusak berat", "Agus Riyadi", "pronoun")],
        ),
        (
            "Stok beras aman hingga akhir tahun. Hal itu disampaikan Kepala Bulog Kota Batu, Rudi Hartono.",
            [("indirect", "Stok beras aman hingga akhir tahun", "Rudi Hartono", "named")],
        ),
        # NOT quotes: scare quotes, titles, slogans; a request with no comma is no statement
        ("Desa itu dulu disebut “lumbung stunting” di Jawa Timur.", []),
        ("Acara bertema “Bersama Membangun Desa Kita” digelar di balai desa.", []),
        ("Sesuai tema “PEREMPUAN BERDAYA INDONESIA MAJU”, Bupati Rini meminta warga hadir.", []),
        ("Bupati Rini meminta para camat menyisihkan dana desa.", []),
        # an unbalanced mark gives no quote
        ("“Kami akan terus bekerja, kata Rini.\n\nAcara selesai pukul 12.00.", []),
    ],
)
def test_find_quotes(text, expected):
    assert summary(text) == expected


@pytest.mark.parametrize(
    ("text", "warns"),
    [
        ("“Kami akan terus bekerja, kata Rini.\n\nAcara selesai pukul 12.00.", True),
        ("“Kami akan terus bekerja,” kata Rini.", False),
    ],
)
def test_unbalanced_mark_warns(text, warns):
    assert any("unbalanced quote mark" in w for w in run(text).warnings) is warns


@pytest.mark.parametrize(
    ("text", "name", "role", "affiliation"),
    [
        ("Bupati Blitar, Rini Syarifah bersama", "Rini Syarifah", "Bupati", "Blitar"),
        (
            "Ketua Dekranasda Kabupaten Blitar H. Zaenal Arifin menghadiri",
            "Zaenal Arifin",
            "Ketua",
            "Dekranasda Kabupaten Blitar",
        ),
        (
            "Kepala Unit Reserse Kriminal Kepolisian Sektor Tamansari Ajun Komisaris Roland Manurung mengatakan",
            "Roland Manurung",
            "Kepala Unit Reserse Kriminal",
            "Kepolisian Sektor Tamansari",
        ),
        (
            "Kepala Dinas Kominfo Barito Selatan, Syahdianor.",
            "Syahdianor",
            "Kepala Dinas Kominfo",
            "Barito Selatan",
        ),
        ("Gubernur Jawa Tengah Ganjar Pranowo di", "Ganjar Pranowo", "Gubernur", "Jawa Tengah"),
        ("Brigjen (Pol) Ahmad Ramadhan mengatakan", "Ahmad Ramadhan", None, None),
        ("AKBP Budi Santoso, S.H., M.H. mengatakan", "Budi Santoso", None, None),
        ("Aziz Yanuar, anggota tim kuasa hukum.", "Aziz Yanuar", "anggota tim kuasa hukum", None),
        ("Presiden dalam rapat", None, "Presiden", None),
        ("Irjen Fadil dalam keterangan", "Fadil", None, None),
        (
            "Menteri Koordinator Bidang Politik, Hukum, dan Keamanan Mahfud MD mengatakan",
            "Mahfud MD",
            "Menteri Koordinator Bidang Politik, Hukum, dan Keamanan",
            None,
        ),
    ],
)
def test_parse_mention(text, name, role, affiliation):
    parsed = parse_mention(text, 0)
    assert parsed is not None
    assert (parsed.name, parsed.role, parsed.affiliation) == (name, role, affiliation)


@pytest.mark.parametrize("text", ["Namun, pemerintah", "dalam rapat itu", "Sementara itu, warga"])
def test_parse_mention_rejects(text):
    assert parse_mention(text, 0) is None


def test_offsets_and_people_are_consistent():
    text = (ROOT / "samples" / "polres-mukomuko-curanmor.txt").read_text(encoding="utf-8")
    result = run(text)
    assert [q.start for q in result.quotes] == sorted(q.start for q in result.quotes)
    for q in result.quotes:
        assert text[q.start : q.end] == q.text
        assert q.text[:1] not in '“”"' and q.text[-1:] not in '“”"'
        assert q.speaker.person is not None and result.people[q.speaker.person].name == q.speaker.name
        m = q.speaker.mention
        assert m is None or text[m.start : m.end] == m.text
    for person in result.people:
        assert all(text[m.start : m.end] == m.text for m in person.mentions)


def _articles(origin: str):
    """(origin, Article) for a sample, through the product's reader and cleaner."""
    from ringkas.text.document import build_article
    from ringkas.io.sources import read_path

    for source in read_path(str(ROOT / origin)):
        yield source.origin, build_article(source)


@pytest.mark.parametrize("origin", sorted(k for k in GOLD if not k.startswith("_")))
def test_samples_gold(origin):
    path = origin.split(":")[0]
    articles = {Path(o).name: a for o, a in _articles(path)}
    article = articles[Path(origin).name]
    result = find_quotes(article.text, article.sentences, article.paragraphs)
    gold = GOLD[origin]
    got = [(q.kind, q.cue, q.speaker.name, q.speaker.resolved) for q in result.quotes]
    want = [(g["kind"], g["cue"], g["speaker"], g["resolved"]) for g in gold["quotes"]]
    assert got == want
    for q, g in zip(result.quotes, gold["quotes"], strict=False):
        assert q.text.startswith(g["text_prefix"]), (q.text, g["text_prefix"])
        if "text_suffix" in g:
            assert q.text.endswith(g["text_suffix"]), (q.text, g["text_suffix"])
    people = {(p.name, p.role, p.affiliation) for p in result.people}
    assert people == {(p["name"], p["role"], p["affiliation"]) for p in gold["people"]}
    for bad in gold["not_quotes"]:
        assert not any(q.text.strip(" ,.") == bad or q.text.startswith(bad) for q in result.quotes), bad


def test_blitar_release():
    """The real release of the brief (kept outside the project; skipped when absent)."""
    path = ROOT.parent / "shared" / "samples" / "blitar-dekranasda-2022-12-24.txt"
    if not path.exists():
        pytest.skip("shared sample not available")
    result = run(path.read_text(encoding="utf-8"))
    got = [(q.kind, q.cue, q.speaker.name, q.speaker.resolved) for q in result.quotes]
    assert got == [
        ("direct", "ujar", "Rini Syarifah", "alias"),
        ("indirect", "mengingatkan", "Rini Syarifah", "alias"),
        ("direct", "ucapnya", "Rini Syarifah", "pronoun"),
        ("indirect", "menyampaikan", "Zaenal Arifin", "named"),
        ("direct", "pungkasnya", "Zaenal Arifin", "pronoun"),
    ]
    assert not any("PEREMPUAN BERDAYA" in q.text for q in result.quotes)
    people = {p.name: (p.role, p.affiliation) for p in result.people}
    assert people == {
        "Rini Syarifah": ("Bupati", "Blitar"),
        "Zaenal Arifin": ("Ketua", "Dekranasda Kabupaten Blitar"),
    }


def test_many_unbalanced_marks_give_one_warning():
    from ringkas.text.sentences import split_paragraphs, split_sentences

    text = "“a " * 1000
    paragraphs = split_paragraphs(text)
    result = find_quotes(text, split_sentences(text, paragraphs), paragraphs)
    assert result.quotes == ()
    assert len(result.warnings) == 1 and result.warnings[0].startswith("1000 unbalanced quote marks")

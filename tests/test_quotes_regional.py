"""Quotes and speakers as regional writers type them (releases written for ringkas)."""

from __future__ import annotations

import pytest

from ringkas.quotes.find import find_quotes
from ringkas.text.sentences import split_paragraphs, split_sentences


def run(text: str):
    paragraphs = split_paragraphs(text)
    return find_quotes(text, split_sentences(text, paragraphs), paragraphs)


def brief(text: str) -> list[tuple[str, str, str | None]]:
    """(kind, quote text, speaker name) of each quote."""
    return [(q.kind, q.text, q.speaker.name if q.speaker else None) for q in run(text).quotes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a closing mark used to open, glued to the verb
        (
            "Wali Kota Tarakan, Hendra Wijaya meninjau proyek itu.\n\n"
            "Wali Kota menyampaikan”Jalan lingkar itu harus selesai tahun ini”.",
            [("direct", "Jalan lingkar itu harus selesai tahun ini", "Hendra Wijaya")],
        ),
        # an opening mark used to close
        (
            "“Kami paham keluhan warga soal air bersih dan akan kami tangani secepatnya, “kata Bupati Lembata, "
            "H. Yosef Ladjar.",
            [("direct", "Kami paham keluhan warga soal air bersih dan akan kami tangani secepatnya,",
              "Yosef Ladjar")],
        ),
        # each paragraph of a long quote opens with a mark, only the last one closes
        (
            "Kepala Dinas Kesehatan, dr. Maria Lamahoda, menjelaskan program itu.\n\n"
            "“Kami mulai dari posyandu di desa terpencil.\n\n"
            "“Setelah itu baru ke kota,” ujar Maria.",
            [("direct", "Kami mulai dari posyandu di desa terpencil.\n\n“Setelah itu baru ke kota,", "Maria Lamahoda")],
        ),
        # a capitalised cue after the mark
        (
            "Kapolres Nunukan, AKBP Bonifasius Tamba, memimpin razia.\n\n"
            "“Narkoba itu berbahaya bagi generasi muda.” Ujarnya.",
            [("direct", "Narkoba itu berbahaya bagi generasi muda.", "Bonifasius Tamba")],
        ),
        (
            "Camat Sebatik, Yusuf Tandi, hadir.\n\n“Warga harus waspada banjir.” Tegasnya.",
            [("direct", "Warga harus waspada banjir.", "Yusuf Tandi")],
        ),
    ],
)
def test_regional_quote_marks(text, expected):
    assert brief(text) == expected


def test_quotes_typed_as_two_single_marks():
    import ringkas

    record = ringkas.process("Kasat Lantas Polres Tanggamus, AKP Wayan Sudarsa, menjelaskan kejadian itu.\n\n"
                             "’’Pengendara diminta berhati-hati di tikungan,’’ ujarnya.", translate=False)
    assert [(q["text"], q["speaker"]["name"]) for q in record["quotes"] if q["kind"] == "direct"] == [
        ("Pengendara diminta berhati-hati di tikungan,", "Wayan Sudarsa")]


def test_multi_paragraph_quote_has_no_unbalanced_warning():
    text = ("Bupati Malinau, Yansen Tipa, membuka rapat.\n\n“Kita kerja bersama.\n\n“Kita jaga hutan.\n\n"
            "“Kita rawat sungai,” kata Yansen.")
    result = run(text)
    assert result.warnings == ()
    assert [q.speaker.name for q in result.quotes] == ["Yansen Tipa"]


def test_teaser_quote_repeated_in_the_body_is_one_quote():
    text = ("“Jalan ini harus selesai tahun ini.”\n\nBupati Bulungan, Syarif Hamid, meninjau proyek jalan.\n\n"
            "“Jalan ini harus selesai tahun ini,” kata Syarif.")
    quotes = [q for q in run(text).quotes if q.kind == "direct"]
    assert len(quotes) == 1 and quotes[0].speaker.name == "Syarif Hamid"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a role-only cue is the one person holding exactly that role
        ("Bupati Lembata, Yosef Ladjar, didampingi Wakil Bupati Markus Bala dan Pj Sekda Frans Eda.\n\n"
         "“Semua OPD wajib hadir,” ucap Bupati.", "Yosef Ladjar"),
        ("Wakil Bupati Markus Bala dan Bupati Lembata Yosef Ladjar hadir.\n\n“Kami siap,” kata Bupati.",
         "Yosef Ladjar"),
        ("Kapolres Bulungan AKBP Rudy Hasiholan didampingi Wakapolres Kompol Ari Sandi.\n\n"
         "“Kami tindak tegas,” kata Kapolres.", "Rudy Hasiholan"),
        # a rank written out stays out of the name
        ("Ajun Komisaris Besar Polisi (AKBP) Rudy Hasiholan memimpin apel.\n\n“Jaga kamtibmas,” katanya.",
         "Rudy Hasiholan"),
        ("Pj. Bupati Tana Tidung, Jafar Sidik, membuka acara.\n\n“Ayo sekolah,” ujarnya.", "Jafar Sidik"),
        ("Plt. Kepala Dinas Pendidikan, Marthen Sau, hadir.\n\n“Ayo sekolah,” ujarnya.", "Marthen Sau"),
        # a word before the title is not part of the name
        ("Sementara Kadiskominfo Nunukan, Hasan Basri, mengatakan data sudah lengkap.\n\n“Sudah,” ujarnya.",
         "Hasan Basri"),
        # a site and a town are never the antecedent
        ("Bupati Sintang Yosef Sukarta hadir.\n\nHal itu disampaikan dalam keterangan tertulisnya di Sintang.\n\n"
         "“Kami siap,” ujarnya.", "Yosef Sukarta"),
        ("Camat Sebatik Yusuf Tandi meninjau lokasi banjir.\n\nDikutip dari KabarUtara.com, banjir surut.\n\n"
         "“Warga aman,” ujarnya.", "Yusuf Tandi"),
    ],
)
def test_regional_speakers(text, speaker):
    direct = [q for q in run(text).quotes if q.kind == "direct"]
    assert direct and direct[-1].speaker.name == speaker


def test_speaker_introduced_by_role_and_named_later_is_one_person():
    text = ("Ketua Karang Taruna Desa Binalawan menegaskan kegiatan itu rutin.\n\n"
            "“Kami gelar tiap bulan,” jelas dia.\n\n"
            "“Pemuda harus aktif,” ucap Yohanis Lamba, Ketua Karang Taruna Desa Binalawan.")
    people = {q.speaker.person for q in run(text).quotes if q.kind == "direct"}
    assert len(people) == 1


def test_a_caption_names_the_speaker_only_when_the_text_names_nobody():
    text = "Warga diminta waspada terhadap banjir susulan.\n\n“Jangan dulu kembali ke rumah,” ucap dia."
    paragraphs = split_paragraphs(text)
    sentences = split_sentences(text, paragraphs)
    caption = ("Kapolres Nunukan, AKBP Bonifasius Tamba saat meninjau pengungsi/Foto : RIZ",)
    quotes = find_quotes(text, sentences, paragraphs, captions=caption).quotes
    assert quotes[-1].speaker.name == "Bonifasius Tamba"
    # with a person named in the text, the caption is not used
    named = "Camat Sebatik, Yusuf Tandi, meninjau lokasi.\n\n" + text
    paragraphs = split_paragraphs(named)
    quotes = find_quotes(named, split_sentences(named, paragraphs), paragraphs, captions=caption).quotes
    assert quotes[-1].speaker.name == "Yusuf Tandi"


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # names and titles quoted inside the speech
        ("“Kegiatan ini menghadirkan narasumber “Budi Santoso” dan “Ani Lestari” dari kementerian,”ujar Erwin.",
         "Kegiatan ini menghadirkan narasumber “Budi Santoso” dan “Ani Lestari” dari kementerian,"),
        # a straight mark closing a nested curly one
        ("“Lurah harus paham upaya “ngawula\", yaitu melayani warga dengan sepenuh hati,” pesan Sultan.",
         "Lurah harus paham upaya “ngawula\", yaitu melayani warga dengan sepenuh hati,"),
    ],
)
def test_nested_quotes_stay_inside_the_outer_one(text, quote):
    assert [q.text for q in run(text).quotes if q.kind == "direct"] == [quote]


def test_an_outer_mark_that_never_closes_leaves_the_inner_quote():
    text = "“Warga diminta tenang. “Kami sudah siap,” kata Camat Sebatik, Yusuf Tandi."
    result = run(text)
    assert [q.text for q in result.quotes] == ["Kami sudah siap,"]
    assert len(result.warnings) == 1


def test_a_role_never_spans_a_paragraph_break():
    text = "Acara dibuka oleh Bupati\n\nSri Wulandari dan warga menari bersama.\n\n“Kami senang,” kata Bupati."
    people = run(text).people
    assert all("\n" not in (p.role or "") + (p.name or "") for p in people)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dijelaskan Kepala Divisi Teknis KPU, Hendrik Sule bahwa verifikasi dilakukan dalam tiga tahap.",
         [("indirect", "verifikasi dilakukan dalam tiga tahap", "Hendrik Sule")]),
        ("Ditambahkan Kadis Pendidikan, Marthen Sau, sekolah dibuka pekan depan bagi semua siswa.",
         [("indirect", "sekolah dibuka pekan depan bagi semua siswa", "Marthen Sau")]),
        # a passive verb of another kind is no cue
        ("Dibangunkan Kepala Desa Sukamaju, Budi Santoso, rumah itu selesai dalam sebulan.", []),
    ],
)
def test_passive_speech_verbs_open_an_indirect_statement(text, expected):
    assert brief(text) == expected


# Without the next paragraph, "katanya" is the latest named subject: Camat Joko Santoso.
_VISIT = ("Bupati Sikka, Sari Wulandari, meninjau pasar ikan Alok pada Senin pagi. Camat Alok Joko Santoso "
          "menjelaskan rencana perbaikan los pedagang.\n\n")


@pytest.mark.parametrize(("text", "speaker"), [
    # the next paragraph opens with a person already named and a speech verb: the same speaker
    (_VISIT + "“Pasar ini harus bersih sebelum musim hujan,” katanya.\n\n"
     "Sari menambahkan, anggaran perbaikan sudah disiapkan.", "Sari Wulandari"),
    # must not change: someone new opens the next paragraph
    (_VISIT + "“Pasar ini harus bersih sebelum musim hujan,” katanya.\n\n"
     "Budi menambahkan, pedagang mendukung rencana itu.", "Joko Santoso"),
    # must not change: the quote does not close its paragraph
    (_VISIT + "“Pasar ini harus bersih sebelum musim hujan,” katanya. Perbaikan dimulai bulan depan.\n\n"
     "Sari menambahkan, anggaran perbaikan sudah disiapkan.", "Joko Santoso"),
    # must not change: a role or a full name opens the next paragraph (a speaker introduced anew), or no
    # speech verb follows
    (_VISIT + "“Pasar ini harus bersih sebelum musim hujan,” katanya.\n\n"
     "Bupati Sari menambahkan, anggaran perbaikan sudah disiapkan.", "Joko Santoso"),
    (_VISIT + "“Pasar ini harus bersih sebelum musim hujan,” katanya.\n\n"
     "Sari Wulandari menambahkan, anggaran perbaikan sudah disiapkan.", "Joko Santoso"),
    (_VISIT + "“Pasar ini harus bersih sebelum musim hujan,” katanya.\n\n"
     "Sari lalu meninjau los daging di sisi timur.", "Joko Santoso"),
])
def test_a_pronoun_cue_is_the_known_person_who_opens_the_next_paragraph(text, speaker):
    said = [q for q in run(text).quotes if q.kind == "direct"]
    assert said and said[0].speaker.name == speaker

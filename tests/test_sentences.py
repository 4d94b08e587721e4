import pytest

from ringkas.text.sentences import split_paragraphs, split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ia datang. Lalu pulang.", ["Ia datang.", "Lalu pulang."]),
        ("Apa kabar? Baik! Terima kasih.", ["Apa kabar?", "Baik!", "Terima kasih."]),
        # a closing quote after the stop stays with the sentence it closes
        ("“Kami siap.” Lalu ia pergi.", ["“Kami siap.”", "Lalu ia pergi."]),
        ('"Kami siap." Lalu ia pergi.', ['"Kami siap."', "Lalu ia pergi."]),
        # Kompas style: ” after a space opens the next sentence
        ("“Kami siap,” kata dia. ”Besok kami datang.”", ["“Kami siap,” kata dia.", "”Besok kami datang.”"]),
        ("“Apa kabar?” tanya dia. “Baik.”", ["“Apa kabar?” tanya dia.", "“Baik.”"]),
        # a stop before a number starts a new sentence
        ("Tahun lalu naik. 500 orang hadir.", ["Tahun lalu naik.", "500 orang hadir."]),
        ("Oleh A. Baron. Terima kasih.", ["Oleh A. Baron.", "Terima kasih."]),
        ("Ia membeli pena, dll. Kemudian pulang.", ["Ia membeli pena, dll.", "Kemudian pulang."]),
    ],
)
def test_splits(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ketua Dekranasda H. Hadi Prasetyo hadir.",
        "Kantor itu di Jl. Jend. Sudirman No. 5 Jakarta.",
        "Pj. Bupati Tana Tidung membuka acara.",
        "Plt. Kadis. PUPR hadir bersama Plh. Sekda dan Pjs. Camat.",
        "Dirut. PT Nusantara Energi Tbk. Budi hadir.",
        "Surat itu ditandatangani a.n. Bupati oleh Sekda.",
        "Yth. Bapak Bupati hadir bersama Kol. Inf. Budi dan Letkol. Arm. Agus serta Brigjen. Pol. Yusuf.",
        "Dokter hewan drh. Ratna memeriksa sapi.",
        "Hj. Sri Wahyuningsih dan Prof. Dr. Ir. Budi Santoso, M.Sc. hadir.",
        "Rektor Prof. Budi hadir bersama dr. Ratna dan Drs. Amir.",
        "Ia menjadi Kepala Dinas Kominfo Prov. Jatim di Kab. Blitar Kec. Wlingi.",
        "Kantornya di Jl. Sudirman No. 5 Jakarta.",
        "Harga naik menjadi Rp. 1.500 per kilogram.",
        "Acara dimulai pukul 16.00 WIB di aula.",
        "Angkanya 14,2 persen atau 1.742 balita.",
        "Rakorda digelar Sabtu (24/12/22) di Batu.",
        "Ia membawa buku, pena, dll. untuk sekolah.",
        "Budi Santoso, S.H., M.H. hadir sebagai saksi.",
        "Kapolres AKBP Dedi Kurniawan, S.I.K., M.H. memimpin apel.",
        "Penyerahan dilakukan a.n. Bupati oleh Sekda.",
        "Muhammad S. Ali hadir.",
        "Tunggu sebentar... lalu masuk.",
        "“Kami siap,” ujar Bupati.",
    ],
)
def test_does_not_split(text):
    assert sentences(text) == [text]


def test_offsets_are_exact_and_trimmed():
    text = "  Bupati hadir.   Ia berkata.\n\n“Kami siap,” ujarnya.  "
    for s, e in split_sentences(text):
        assert text[s:e] == text[s:e].strip() and text[s:e]
    assert sentences(text) == ["Bupati hadir.", "Ia berkata.", "“Kami siap,” ujarnya."]


def test_sentences_never_cross_paragraphs():
    text = "Kalimat tanpa titik\n\nParagraf kedua."
    assert sentences(text) == ["Kalimat tanpa titik", "Paragraf kedua."]
    assert [text[s:e] for s, e in split_paragraphs(text)] == ["Kalimat tanpa titik", "Paragraf kedua."]

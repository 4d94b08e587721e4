import pytest

from ringkas.text.metadata import find_date, find_dateline, headline_of


@pytest.mark.parametrize(
    "paragraph, dateline, outlet",
    [
        ("Blitar – Bupati Blitar hadir.", "Blitar", None),
        ("MUKOMUKO, JAPOS.CO – Polisi menangkap dua orang.", "Mukomuko", "JAPOS.CO"),
        ("DENPASAR, KOMPAS — Gubernur meresmikan.", "Denpasar", "KOMPAS"),
        ("JAKARTA - Perseroan meluncurkan.", "Jakarta", None),
        ("Palangka Raya – Pemprov menyalurkan.", "Palangka Raya", None),
        ("Jakarta (ANTARA) - Presiden hadir.", "Jakarta", "ANTARA"),
        # not datelines
        ("Bupati Blitar hadir – bersama istri.", None, None),
        ("Kegiatan yang diinisiasi tersebut.", None, None),
        ("Di – sana.", None, None),
    ],
)
def test_dateline(paragraph, dateline, outlet):
    assert find_dateline(paragraph) == (dateline, outlet)


@pytest.mark.parametrize(
    "text, hint, iso, raw",
    [
        ("menghadiri Rakorda, Sabtu (24/12/22).", None, "2022-12-24", "Sabtu (24/12/22)"),
        ("digelar Selasa (8/3/2022) di pendopo.", None, "2022-03-08", "Selasa (8/3/2022)"),
        ("ditangkap Kamis, (03/10) malam.", "2024-10-05", "2024-10-03", "Kamis, (03/10)"),
        ("diluncurkan 6 Juni 2023 di Jakarta.", None, "2023-06-06", "6 Juni 2023"),
        ("Senin, 12 Desember 2022, rektor hadir.", None, "2022-12-12", "Senin, 12 Desember 2022"),
        ("pada 24-12-2022 pukul 10.00.", None, "2022-12-24", "24-12-2022"),
        # a year-less date near a year boundary takes the nearer year
        ("Sabtu (31/12) malam.", "2023-01-02", "2022-12-31", "Sabtu (31/12)"),
    ],
)
def test_dates(text, hint, iso, raw):
    found = find_date(text, hint=hint)
    assert (found.iso, found.text) == (iso, raw)


def test_date_without_year_and_hint_is_null_with_warning():
    found = find_date("ditangkap Kamis, (03/10) malam.")
    assert found.iso is None and found.text == "Kamis, (03/10)"
    assert "no year" in found.warnings[0]


@pytest.mark.parametrize("text", ["skor 3/2 untuk tuan rumah", "pukul 16.00 WIB", "nomor 12-5 di rak", "tidak ada tanggal"])
def test_not_dates(text):
    assert find_date(text) is None


def test_wrong_weekday_warns():
    found = find_date("Senin (24/12/22)")
    assert found.iso == "2022-12-24" and "not a Senin" in found.warnings[0]


@pytest.mark.parametrize(
    "paragraphs, title",
    [
        (["Bupati Blitar Hadiri Rakorda Dekranasda", "Blitar – Bupati hadir."], "Bupati Blitar Hadiri Rakorda Dekranasda"),
        (["Blitar – Bupati hadir.", "Isi."], None),
        (["Bupati hadir di acara itu.", "Isi."], None),
        (["Satu paragraf saja"], None),
    ],
)
def test_headline(paragraphs, title):
    assert headline_of(paragraphs) == title

"""Datelines and dates in the shapes regional writers use (examples written for ringkas)."""

import pytest

from ringkas.text.dateline import find_dateline
from ringkas.text.dates import find_date


@pytest.mark.parametrize(
    "paragraph, town, outlet",
    [
        ("Blitar – Bupati Blitar hadir.", "Blitar", None),
        ("MUKOMUKO, JAPOS.CO – Polisi menangkap dua orang.", "Mukomuko", "JAPOS.CO"),
        ("DENPASAR, KOMPAS — Gubernur meresmikan.", "Denpasar", "KOMPAS"),
        ("JAKARTA - Perseroan meluncurkan.", "Jakarta", None),
        ("Palangka Raya – Pemprov menyalurkan.", "Palangka Raya", None),
        ("Jakarta (ANTARA) - Presiden hadir.", "Jakarta", "ANTARA"),
        ("TANJUNG SELOR, KALTARANEWS.CO – Bupati hadir.", "Tanjung Selor", "KALTARANEWS.CO"),
        ("Sebatik, WartaUtara.com – Camat hadir.", "Sebatik", "WartaUtara.com"),
        ("KALTARAPOS.COM, TARAKAN - Wali Kota hadir.", "Tarakan", "KALTARAPOS.COM"),
        ("KABARUTARA MEDIA, KUTAI TIMUR – Dinas hadir.", "Kutai Timur", "KABARUTARA MEDIA"),
        ("Tarakan(tarakanpos.com) - Polisi hadir.", "Tarakan", "tarakanpos.com"),
        ("Malinau – KP- Bupati hadir.", "Malinau", "KP"),
        ("NUNUKAN, Kaltaraku", "Nunukan", "Kaltaraku"),
        ("Malinau, SNP", "Malinau", "SNP"),
        ("PALU- Kegiatan dibuka.", "Palu", None),
        ("Kalitengah (26/2)- Petani ikut.", "Kalitengah", None),
        ("Bima, Berita11.com— Caleg melanggar.", "Bima", "Berita11.com"),
        ("Purworejo. Kabar Selatan. Sesuai dengan undang-undang.", "Purworejo", "Kabar Selatan"),
        ("MADIUN-Dinas Pendidikan menerapkan zonasi.", "Madiun", None),
        ("Tarakan, Jumat (7/3/2025) – Wali Kota meninjau banjir.", "Tarakan", None),
        ("JAKARTA, 12/3 (ANTARA) - Presiden hadir.", "Jakarta", "ANTARA"),
        ("Nunukan, 5 Maret 2025 – Bupati membuka rapat.", "Nunukan", None),
        ("Kabarutara.co.id-Manado. Sejumlah wilayah padam.", "Manado", "Kabarutara.co.id"),
        ("LIPUTANUTARA, PALANGKA RAYA — DPRD menggelar rapat.", "Palangka Raya", "LIPUTANUTARA"),
        ("KBU, Kupang – Warga kesulitan air.", "Kupang", "KBU"),
        ("KABARJAMBI.ID,MUARA BUNGO- Bupati meninjau banjir.", "Muara Bungo", "KABARJAMBI.ID"),
        ("METRO, KOMPAS – Wali Kota Metro hadir.", "Metro", "KOMPAS"),
        ("PALU, MERCUSUAR – Gubernur hadir.", "Palu", "MERCUSUAR"),
        ("MPA, PADANG - Operasi Ketupat dimulai.", "Padang", "MPA"),
        ("KABARUTARA.COM: (Klungkung) Keberadaan Babinsa penting.", "Klungkung", "KABARUTARA.COM"),
        ("1 min readKABAR-UTARA.id, NUMFOR – Babinsa membersihkan jalan.", "Numfor", "KABAR-UTARA.id"),
        ("KABARMADURAID | BANGKALAN-Universitas menggelar wisuda.", "Bangkalan", "KABARMADURAID"),
        ("NTB – Lotim – Komsos Babinsa digelar.", "Lotim", None),
        ("Banda Aceh ‒ DPRA menggelar rapat.", "Banda Aceh", None),
        # not datelines
        ("Bupati Blitar hadir – bersama istri.", None, None),
        ("Bupati Blitar, Hadi Prasetyo – hadir.", None, None),
        ("Kegiatan yang diinisiasi tersebut.", None, None),
        ("Di – sana.", None, None),
        ("Diam-diam Bawaslu merekap pelanggaran.", None, None),
        ("TOPMEDIA – Rencana keberangkatan haji.", None, None),
        ("Kab-contoh.kpu.go.id – Panitia bekerja.", None, None),
        ("PONTIANAK INFORMASI – Wali Kota melantik direksi.", None, None),
        ("JURNALMALUKU-Tekad yang kuat lahir.", None, None),
        ("Diskominfo Fakfak – Dinas menggelar sosialisasi.", None, None),
        ("Dikatakannya, KPU – kata dia – siap.", None, None),
        ("Sementara itu – kata dia – warga menunggu.", None, None),
    ],
)
def test_dateline(paragraph, town, outlet):
    found = find_dateline(paragraph)
    assert ((found.town, found.outlet) if found else (None, None)) == (town, outlet)


@pytest.mark.parametrize(
    "text, hint, iso, raw",
    [
        ("menghadiri Rakorda, Sabtu (24/12/22).", None, "2022-12-24", "Sabtu (24/12/22)"),
        ("digelar Selasa (8/3/2022) di pendopo.", None, "2022-03-08", "Selasa (8/3/2022)"),
        ("ditangkap Kamis, (03/10) malam.", "2024-10-05", "2024-10-03", "Kamis, (03/10)"),
        ("diluncurkan 6 Juni 2023 di Jakarta.", None, "2023-06-06", "6 Juni 2023"),
        ("Senin, 12 Desember 2022, rektor hadir.", None, "2022-12-12", "Senin, 12 Desember 2022"),
        ("pada 24-12-2022 pukul 10.00.", None, "2022-12-24", "24-12-2022"),
        ("digelar Jum'at (7/3/2025).", None, "2025-03-07", "Jum'at (7/3/2025)"),
        ("digelar Jum’at (7/3/2025).", None, "2025-03-07", "Jum’at (7/3/2025)"),
        ("rapat pada Senin, 3 Maret 2025 di aula.", None, "2025-03-03", "Senin, 3 Maret 2025"),
        ("Kamis (4/4/2024) pagi.", None, "2024-04-04", "Kamis (4/4/2024)"),
        ("Jumat 04 Aug 2017 10:13 WIB", None, "2017-08-04", "Jumat 04 Aug 2017"),
        # deadlines, schedules and ranges are not the release date
        ("Pendaftaran berakhir pada 15 April 2020, kata Ketua KPU, Senin (6/4/2020).", None, "2020-04-06",
         "Senin (6/4/2020)"),
        ("Festival digelar 19-20 Januari 2019 dan dibuka 18 Januari 2019.", None, "2019-01-18", "18 Januari 2019"),
        # a date inside a name is not the release date
        ("Rektor Universitas 17 Agustus 1945 hadir Selasa (8/3/2022).", None, "2022-03-08", "Selasa (8/3/2022)"),
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


@pytest.mark.parametrize("text", ["skor 3/2 untuk tuan rumah", "pukul 16.00 WIB", "nomor 12-5 di rak", "tidak ada tanggal",
                                  "Universitas 17 Agustus 1945", "di Jalan 10 November",
                                  "vaksinasi dilaksanakan sejak 18 Oktober 2011", "kloter awal tanggal 3 Juni 2022"])
def test_not_dates(text):
    assert find_date(text) is None


def test_wrong_weekday_warns():
    found = find_date("Senin (24/12/22)")
    assert found.iso == "2022-12-24" and "not a Senin" in found.warnings[0]


@pytest.mark.parametrize("text, hint, iso, warning", [
    # "Kamis, (03/10)" is a Thursday: 2024-10-03 is one, 2023-10-03 (nearer 2024-01-01) is a Tuesday
    ("ditangkap Kamis, (03/10) malam.", "2024-01-01", "2024-10-03", None),
    ("ditangkap Kamis, (03/10) malam.", "2024-10-05", "2024-10-03", None),
    ("ditangkap Kamis, (03/10) malam.", "2025-06-01", "2024-10-03", None),  # hint - 1
    ("digelar Jumat (3/10) pagi.", "2024-01-01", "2025-10-03", None),  # hint + 1: 2025-10-03 is a Friday
    ("Sabtu (31/12) malam.", "2023-01-02", "2022-12-31", None),  # weekday and nearness agree
    ("Selasa (31/12) malam.", "2023-01-02", "2024-12-31", None),  # of 2022-2024, only 2024-12-31 is a Tuesday
    ("Minggu (31/12) malam.", "2023-01-02", "2023-12-31", None),
    # no year next to the hint falls on the written weekday: null with a warning, never a wrong day
    ("digelar Rabu (03/10) pagi.", "2024-01-01", None, "no year next to the date hint 2024-01-01 puts it on a Rabu"),
    ("digelar Senin (03/10) pagi.", "2024-01-01", None, "no year next to the date hint 2024-01-01 puts it on a Senin"),
    # no weekday written: the nearest year, as before
    ("rapat pada 3 Oktober di aula.", "2024-01-01", "2023-10-03", None),
])
def test_a_year_hint_agrees_with_the_weekday(text, hint, iso, warning):
    found = find_date(text, hint=hint)
    assert found.iso == iso
    if warning is None:
        assert not [w for w in found.warnings if "is not a" in w or "no year" in w]
    else:
        assert any(warning in w for w in found.warnings)

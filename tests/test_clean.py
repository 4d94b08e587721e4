import pytest

from ringkas.text.clean import clean, is_boilerplate, normalize, split_byline


@pytest.mark.parametrize(
    "line",
    [
        "Scroll Untuk Lanjut Membaca",
        "scroll kebawah untuk lihat konten",
        "Baca juga: Bupati Resmikan Pasar Baru",
        "BACA JUGA: Polisi Tangkap Dua Pelaku",
        "Advertisement",
        "Sebarkan artikel ini",
        "Views: 101",
        "Dibaca: 1.234 kali",
        "Bagikan: Facebook Twitter WhatsApp",
        "Facebook Twitter WhatsApp",
        "Tulis komentar Anda",
        "Copyright © 2024 Portal Berita",
    ],
)
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Bupati meminta warga membaca juga aturan yang berlaku.",
        "Iklan layanan masyarakat itu diputar di 20 stasiun televisi selama sebulan penuh.",
        ("Baca juga menjadi kebiasaan baru para siswa, kata kepala sekolah itu dalam sambutannya di depan "
         "ratusan siswa dan guru yang hadir pada upacara bendera hari Senin pagi di halaman sekolah yang luas."),
        "Kegiatan ini dihadiri 101 peserta.",
    ],
)
def test_not_boilerplate(line):
    assert not is_boilerplate(line)


@pytest.mark.parametrize(
    "paragraphs, rest_last, byline",
    [
        (["Isi.", "“Terima kasih,” pungkasnya.(dw/sur)."], "“Terima kasih,” pungkasnya.", "dw/sur"),
        (["Isi.", "Kegiatan ditutup doa. (arj)"], "Kegiatan ditutup doa.", "arj"),
        (["Isi.", "Kegiatan ditutup doa.", "***A. Baron"], "Kegiatan ditutup doa.", "A. Baron"),
        (["Isi.", "Kegiatan ditutup doa.", "Editor: Rahmat Hidayat"], "Kegiatan ditutup doa.", "Rahmat Hidayat"),
        (["Isi.", "Selesai.", "Penulis: Dimas", "Editor: Budi"], "Selesai.", "Dimas/Budi"),
        # an acronym in parentheses ending a sentence is not a byline
        (["Isi.", "Dana berasal dari anggaran daerah (APBD)."], "Dana berasal dari anggaran daerah (APBD).", None),
        (["Isi.", "Ia hadir bersama istri."], "Ia hadir bersama istri.", None),
    ],
)
def test_byline(paragraphs, rest_last, byline):
    rest, found = split_byline(paragraphs)
    assert found == byline
    assert rest[-1] == rest_last


def test_normalize_paragraphs_and_spaces():
    assert normalize("Satu\u00a0 dua\r\ntiga\r\n\r\n\r\nEmpat\u200b lima") == "Satu dua tiga\n\nEmpat lima"
    # no blank line at all: each line is a paragraph
    assert normalize("Baris satu.\nBaris dua.") == "Baris satu.\n\nBaris dua."


def test_clean_counts_removed_lines():
    cleaned = clean("Paragraf satu.\n\nScroll Untuk Lanjut Membaca\n\nBaca juga: Berita lain\n\nParagraf dua. (dw/sur)")
    assert cleaned.text == "Paragraf satu.\n\nParagraf dua."
    assert cleaned.byline == "dw/sur"
    assert cleaned.warnings == ("removed 2 boilerplate lines",)

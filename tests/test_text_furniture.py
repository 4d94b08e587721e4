"""Page furniture, bylines and the header of releases copied off regional sites (written for ringkas)."""

import pytest

from ringkas.text.byline import closing_initials, credit_names, split_byline, take_credits
from ringkas.text.furniture import is_caption, is_date_strip, is_furniture, strip_furniture
from ringkas.text.header import is_headline, split_header
from ringkas.text.normalize import join_paragraphs, normalize_lines


@pytest.mark.parametrize(
    "line",
    [
        "Scroll Untuk Lanjut Membaca",
        "scroll kebawah untuk lihat konten",
        "Scroll untuk baca artikel",
        "Baca juga: Bupati Resmikan Pasar Baru",
        "BACA JUGA: Polisi Tangkap Dua Pelaku",
        "Baca Juga :  Warga Desa Gotong Royong",
        "BACA: Jembatan Putus Diterjang Banjir",
        "Baca Juga:Pasar Murah Digelar di Alun-alun",
        "(Baca Juga: Festival Kopi Dibuka)",
        "Advertisement",
        "SPACE IKLAN",
        "GESER KE ATAS",
        "Sebarkan artikel ini",
        "Views: 101",
        "Views: 87",
        "939 views",
        "Dibaca: 1.234 kali",
        "Bagikan: Facebook Twitter WhatsApp",
        "Facebook Twitter WhatsApp",
        "Tulis komentar Anda",
        "Copyright © 2024 Portal Berita",
        "×",
        "0",
        "330",
        "DaerahBeritaUTAMA",
        "31 C / Tarakan / Friday, March 7, 2025",
        "Senin, 01 Desember 2025 | 02:29",
        "Fotor 151627841055261",
        "Gabung di Kabar Utara",
        "Tag: PETANI",
        "Diberdayakan oleh Blogger.",
        "humas@contohkab.go.id",
        "(0361) 222333",
        "Sumber: https://www.contoh.example/daerah/",
    ],
)
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Bupati meminta warga membaca juga aturan yang berlaku.",
        "Iklan layanan masyarakat itu diputar di 20 stasiun televisi selama sebulan penuh.",
        ("Baca juga menjadi kebiasaan baru para siswa, kata kepala sekolah itu dalam sambutannya di depan "
         "ratusan siswa dan guru yang hadir pada upacara bendera hari Senin pagi di halaman sekolah yang luas."),
        "Kegiatan ini dihadiri 101 peserta.",
        "Universitas 17 Agustus 1945 membuka pendaftaran.",
        "Pemkab Lembata",
        "Halaman kantor bupati dipenuhi warga sejak pagi.",
    ],
)
def test_not_furniture(line):
    assert not is_furniture(line)


@pytest.mark.parametrize(
    "line, strip",
    [
        ("Admin dinas | 24 Februari 2020 | 261 kali", True),
        ("23 - Mei - 2022 | 17:00 | kategori:Headline", True),
        ("Kompas.com - 07/04/2024, 10:53 WIB", True),
        ("Rabu (19/2/2025) petugas menertibkan lapak.", False),
        ("Kegiatan digelar pada 24 Februari 2020 di aula kantor bupati.", False),
    ],
)
def test_date_strips(line, strip):
    assert is_date_strip(line) is strip


@pytest.mark.parametrize(
    "line, caption",
    [
        ("Kepala Dinas PUPR saat meninjau lokasi/Foto : RIZ", True),
        ("Kapolres Tarakan, AKBP Yudi Santoso. Sumber foto: https://contoh.example/foto", True),
        ("Bupati menyerahkan bantuan di aula kantor bupati, Rabu pagi 9 Juli 2025.--", True),
        ("Suasana rapat paripurna DPRD /Nama Fotografer/", True),
        ("Warga antre air bersih (foto : Dedi)", True),
        ("Keterangan foto : Sekretaris Dinas PUPR saat ditemui", True),
        ("Jalan rusak di Kecamatan Sepaku/KabarUtara", True),
        ("-Dok Andi Saputra/Radar Utara-", True),
        ("Badan Pengawas Pemilu. Foto Ist.", True),
        ("KABARUTARA.COM/ANDI SAPUTRA", True),
        # release prose and quotes are never captions
        ("“Foto: semua sudah kami periksa,” kata Bupati.", False),
        ("Bupati meminta dokumentasi kegiatan dikirim ke dinas sebelum akhir bulan.", False),
        ("Dana desa dipakai untuk jalan dan/atau irigasi.", False),
    ],
)
def test_captions(line, caption):
    assert is_caption(line) is caption


def test_strip_furniture_keeps_release_lines_and_sets_captions_apart():
    lines = normalize_lines(
        "Scroll untuk baca artikel\n×\nBupati Tinjau Jalan Rusak\nBupati Tinjau Jalan Rusak\n"
        "Views: 87\nAdmin dinas | 24 Februari 2020 | 261 kali\n"
        "Bupati meninjau jalan rusak di Kecamatan Sepaku, Rabu (19/2/2025).\n"
        "Kepala Dinas PUPR saat meninjau lokasi/Foto : RIZ\n"
        "Advertisement\nscroll kebawah untuk lihat konten\n"
        "Perbaikan jalan dimulai pekan depan dengan anggaran daerah tahun ini.\n"
        "Berita Populer\nWarga Keluhkan Harga Beras\nSenin, 01 Desember 2025 | 02:29\n"
        "Pasar Murah Digelar di Alun-alun\n"
        "Bupati menutup kunjungan dengan berdialog bersama warga di balai desa.\n"
        "Tinggalkan Balasan\nNama\nEmail\n"
    )
    stripped = strip_furniture(lines)
    kept = [line for line in stripped.lines if line]
    assert kept == [
        "Bupati Tinjau Jalan Rusak",
        "Bupati meninjau jalan rusak di Kecamatan Sepaku, Rabu (19/2/2025).",
        "Perbaikan jalan dimulai pekan depan dengan anggaran daerah tahun ini.",
        "Bupati menutup kunjungan dengan berdialog bersama warga di balai desa.",
    ]
    assert stripped.captions == ("Kepala Dinas PUPR saat meninjau lokasi/Foto : RIZ",)
    assert stripped.page_dates == ("Admin dinas | 24 Februari 2020 | 261 kali",)


def test_a_short_line_repeated_three_times_is_an_advert():
    lines = ["Hosting murah mulai 10 ribu", "Isi rilis yang pertama sudah ditulis dengan lengkap.",
             "Hosting murah mulai 10 ribu", "Isi rilis kedua juga ditulis dengan lengkap di sini.",
             "Hosting murah mulai 10 ribu"]
    assert "Hosting murah mulai 10 ribu" not in strip_furniture(lines).lines


@pytest.mark.parametrize(
    "line, names",
    [
        ("Editor: Rahmat Hidayat", ["Rahmat Hidayat"]),
        ("Penulis : Dedi | Editor : Admin", ["Dedi", "Admin"]),
        ("Reporter: Sari / Editor: Yanto", ["Sari", "Yanto"]),
        ("Penulis: Dimas Editor: Budi", ["Dimas", "Budi"]),
        ("Reporter Irma", ["Irma"]),
        ("Sumber:Ant", ["Ant"]),
        ("Editor : Redaksi", ["Redaksi"]),
        # not credit lines
        ("Editor Bupati meminta warga hadir", None),
        ("Sumber Daya Alam", None),
        ("Humas Polres Tarakan menyampaikan imbauan kepada warga.", None),
        ("Penulis buku itu hadir di acara peluncuran bersama Bupati.", None),
    ],
)
def test_credit_lines(line, names):
    assert credit_names(line) == names


@pytest.mark.parametrize(
    "line, found",
    [
        ("“Terima kasih,” pungkasnya.(dw/sur).", ("“Terima kasih,” pungkasnya.", "dw/sur")),
        ("Kegiatan ditutup doa. (arj)", ("Kegiatan ditutup doa.", "arj")),
        ("Warga diminta waspada, ujarnya. (RDK)", ("Warga diminta waspada, ujarnya.", "RDK")),
        ("Acara ditutup..(tk/red)", ("Acara ditutup..", "tk/red")),
        ("(REGITA/HUMAS SATPOL PP)", ("", "REGITA/HUMAS SATPOL PP")),
        ("Demikian disampaikan Bupati.(LK09)", ("Demikian disampaikan Bupati.", "LK09")),
        ("Kegiatan berjalan lancar. [US]", ("Kegiatan berjalan lancar.", "US")),
        # an acronym in parentheses inside the sentence is no byline
        ("Dana berasal dari anggaran daerah (APBD).", None),
        ("Kegiatan diikuti Pemkab Lembata (PL)", None),
    ],
)
def test_closing_initials(line, found):
    assert closing_initials(line) == found


@pytest.mark.parametrize(
    "lines, rest, byline",
    [
        (["Isi.", "Kegiatan ditutup doa.", "***A. Baron"], ["Isi.", "Kegiatan ditutup doa."], "A. Baron"),
        (["Isi pertama ditulis.", "“Kami siap,” ujarnya. (RDK)", "Satu Komentar", "Nama"],
         ["Isi pertama ditulis.", "“Kami siap,” ujarnya."], "RDK"),
        (["Isi.", "Selesai.", "IEA"], ["Isi.", "Selesai."], "IEA"),
        (["Isi.", "Ditutup doa bersama.", "Tm-Ab"], ["Isi.", "Ditutup doa bersama."], "Tm-Ab"),
        (["Isi.", "Ia hadir bersama istri."], ["Isi.", "Ia hadir bersama istri."], None),
        # initials earlier in the text, with release prose after them, are not the signature
        (["Dana daerah (dw/sur).", "Setelah itu Bupati menutup rapat dengan doa bersama warga desa."],
         ["Dana daerah (dw/sur).", "Setelah itu Bupati menutup rapat dengan doa bersama warga desa."], None),
    ],
)
def test_signature(lines, rest, byline):
    signed = split_byline(lines)
    assert list(signed.lines) == rest and signed.byline == byline


@pytest.mark.parametrize(
    "lines, byline",
    [
        (["Penulis : Dedi | Editor : Admin", "Isi."], "Dedi"),  # a desk's name only when it is all there is
        (["Laporan: Redaksi", "Isi."], "Redaksi"),
        (["Isi rilis.", "Ditutup doa. (Kominfo7/RD2)"], None),  # (the signature is split_byline's)
    ],
)
def test_desk_names_in_credits(lines, byline):
    assert take_credits(lines).byline == byline


@pytest.mark.parametrize(
    "line, found",
    [
        ("Warga diminta tertib, ujarnya.(YUL/*)", ("Warga diminta tertib, ujarnya.", "YUL/*")),
        ("Vaksinasi terus berjalan. (Kominfo7/RD2)", ("Vaksinasi terus berjalan.", "Kominfo7/RD2")),
        ("Lurah wajib hadir. (DPMK Bantul)", ("Lurah wajib hadir.", "DPMK Bantul")),
    ],
)
def test_more_closing_initials(line, found):
    assert closing_initials(line) == found


def test_credits_anywhere():
    lines = ["Judul Rilis Daerah", "Penulis: Alif Rahman | Editor: Joko Susilo", "Isi rilis.",
             "Andi Saputra,", "Sri Lestari", "Tim Redaksi", "Isi lagi.", "Budi Darma adalah penulis di Kabar Utara"]
    credits = take_credits(lines)
    assert credits.byline == "Alif Rahman/Joko Susilo/Andi Saputra/Sri Lestari/Budi Darma"
    assert list(credits.lines) == ["Judul Rilis Daerah", "Isi rilis.", "Isi lagi."]


def test_normalize_and_join_paragraphs():
    assert join_paragraphs(normalize_lines("Satu\u00a0 dua\r\ntiga\r\n\r\n\r\nEmpat\u200b lima")) == [
        "Satu dua tiga", "Empat lima"]
    # each line is a paragraph, blank lines or not; a hard wrap joins the line before it
    assert join_paragraphs(["Baris satu.", "Baris dua."]) == ["Baris satu.", "Baris dua."]
    assert join_paragraphs(["Judul Tanpa Titik", "MALINAU – Isi."]) == ["Judul Tanpa Titik", "MALINAU – Isi."]
    assert join_paragraphs(["Kalimat yang", "berlanjut di baris lain."]) == ["Kalimat yang berlanjut di baris lain."]


@pytest.mark.parametrize(
    "paragraphs, title, first",
    [
        (["Bupati Blitar Hadiri Rakorda Dekranasda", "Blitar – Bupati hadir."],
         "Bupati Blitar Hadiri Rakorda Dekranasda", "Blitar – Bupati hadir."),
        # kicker, headline, subtitle and teaser above the dateline are all page
        (["Penutupan TPA", "Aturan Baru Pengambilan Sampah di Kota, DLH Tidak Akan Ambil Sampah Tak Dipilah",
          "DLH buat aturan baru pengambilan sampah.", "“Kami tegas,” kata Kepala DLH.",
          "TANJUNG SELOR, KALTARANEWS.CO – Kepala DLH membuat aturan baru."],
         "Aturan Baru Pengambilan Sampah di Kota, DLH Tidak Akan Ambil Sampah Tak Dipilah",
         "TANJUNG SELOR, KALTARANEWS.CO – Kepala DLH membuat aturan baru."),
        # the headline printed twice, then the lead
        (["Warga Gotong Royong Bersihkan Sungai", "Warga Gotong Royong Bersihkan Sungai",
          "Ratusan warga membersihkan sungai di desa itu pada Minggu pagi bersama aparat."],
         "Warga Gotong Royong Bersihkan Sungai",
         "Ratusan warga membersihkan sungai di desa itu pada Minggu pagi bersama aparat."),
        # a dateline alone on its line joins the text on the next one
        (["NUNUKAN, Kaltaraku", "Pemkab menggelar rapat."], None, "NUNUKAN, Kaltaraku Pemkab menggelar rapat."),
        (["Blitar – Bupati hadir.", "Isi."], None, "Blitar – Bupati hadir."),
        (["Bupati hadir di acara itu.", "Isi."], None, "Bupati hadir di acara itu."),
    ],
)
def test_header(paragraphs, title, first):
    header = split_header(paragraphs)
    assert header.title == title and header.paragraphs[0] == first


def test_given_title_is_not_repeated_in_the_text():
    header = split_header(["Judul Dari Halaman", "Isi rilis yang pertama.", "Judul Dari Halaman"], "Judul Dari Halaman")
    assert header.paragraphs == ("Isi rilis yang pertama.",)


@pytest.mark.parametrize("paragraph, headline", [
    ("Bupati Tinjau Banjir di Tiga Kecamatan", True),
    ("Apakah Jalan Itu Akan Diperbaiki?", True),
    ("Bupati meninjau banjir.", False),
    ("Dua kata", False),
])
def test_is_headline(paragraph, headline):
    assert is_headline(paragraph) is headline


@pytest.mark.parametrize(
    "lines, rest, byline",
    [
        (["Isi rilis.", "“Kami siap,” tandasnya. IEA"], ["Isi rilis.", "“Kami siap,” tandasnya."], "IEA"),
        (["Isi rilis.", "“Kami siap,” ucapnya. *** (Natalia Yoku)"], ["Isi rilis.", "“Kami siap,” ucapnya."],
         "Natalia Yoku"),
        (["Isi rilis.", "Usman---"], ["Isi rilis."], "Usman"),
    ],
)
def test_glued_signatures(lines, rest, byline):
    signed = split_byline(lines)
    assert (list(signed.lines), signed.byline) == (rest, byline)


@pytest.mark.parametrize(
    "lines, byline",
    [
        (["Judul Berita Daerah Hari Ini", "", "Bayu Almutaqin", "", "Senin, 27 Mei 2019 - 09:21", "Isi."], "Bayu Almutaqin"),
        (["Isi rilis yang lengkap.", "----------", "Usman"], "Usman"),
        # a category label beside the date strip is no author
        (["Giat DLH", "Admin dlh | 24 Februari 2020 | 261 kali", "Isi."], None),
    ],
)
def test_credits_by_position(lines, byline):
    assert take_credits(lines).byline == byline


@pytest.mark.parametrize(
    "line, furniture",
    [
        ("Kirim pesan ke kami", True),
        ("Artikel ini ditulis oleh:", True),
        ("WhatsappRecent KBR Prime Podcast", True),
        ("Warga Desa Sukamaju menerima bantuan.", False),
    ],
)
def test_more_furniture(line, furniture):
    assert is_furniture(line) is furniture


def test_a_list_of_linked_titles_after_the_release_goes():
    lines = ["Bupati meninjau banjir di tiga kecamatan pada Senin pagi bersama camat.",
             "Strategi Petani Menghadapi Kemarau Panjang (Bag.4)", "Kabar Baru Jam 7",
             "Menguji Gagasan Pangan Daerah",
             "Bupati juga meminta warga tetap waspada karena hujan masih akan turun."]
    kept = [line for line in strip_furniture(lines).lines if line]
    assert kept == [lines[0], lines[-1]]


def test_caption_with_a_credit_in_capitals():
    assert is_caption("Rektor memindahkan tali toga seorang wisudawan di aula kampus, Sabtu (16/7/2022). ISTIMEWA")


def test_inline_links_and_reading_badges_go():
    lines = normalize_lines("1 min readKABAR.id, NUMFOR – Babinsa membersihkan jalan kampung bersama warga. "
                            "(Baca: Warga Gotong Royong Bersihkan Sungai) Kegiatan berlangsung sejak pagi.")
    kept = [line for line in strip_furniture(lines).lines if line]
    assert kept == ["KABAR.id, NUMFOR – Babinsa membersihkan jalan kampung bersama warga. "
                    "Kegiatan berlangsung sejak pagi."]


def test_a_quote_open_at_a_line_end_goes_on_in_the_next_line():
    lines = ["“Apresiasi kepada pemerintah daerah, khususnya", "kepada Bapak Bupati, serta Biro", "Pemerintahan,” ujar Ketua DPRD.",
             "Rapat ditutup siang hari."]
    assert join_paragraphs(lines) == [
        "“Apresiasi kepada pemerintah daerah, khususnya kepada Bapak Bupati, serta Biro Pemerintahan,” ujar Ketua DPRD.",
        "Rapat ditutup siang hari."]


def test_a_named_dateline_below_a_caption_and_a_pull_quote_opens_the_release():
    paragraphs = ["Bupati Datang ke Dinas, Komunikasi Diperiksa",
                  "Bupati Garut, Hadi Prasetyo, kunjungi kerja ke kantor dinas komunikasi di Jalan Pembangunan, "
                  "Kecamatan Tarogong Kidul, Kabupaten Garut, yang bertempat di pusat kota, Selasa (13/1/2026) pagi.",
                  "“Kunjungan ini diharapkan memantik perubahan di tubuh dinas.”",
                  "KABARGARUT, GARUT – Bupati Garut melakukan kunjungan kerja ke kantor dinas."]
    header = split_header(paragraphs)
    assert header.dateline is not None and header.dateline.town == "Garut"
    assert header.paragraphs[0].startswith("KABARGARUT, GARUT –")

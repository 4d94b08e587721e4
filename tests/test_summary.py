import re

import pytest

from ringkas.text.document import build_article
from ringkas.io.sources import read_path
from ringkas.summary.extractive import METHOD, summarize_extractive

SAMPLES = ["samples/kabupaten-tulungagung-posyandu.txt", "samples/polres-mukomuko-curanmor.txt",
           "samples/pt-nusantara-energi-peluncuran.txt", "samples/universitas-brawijaya-beasiswa.txt"]


@pytest.fixture(scope="module", params=SAMPLES)
def article(request):
    return build_article(next(read_path(request.param)))


@pytest.mark.parametrize("k", [1, 3, 5])
def test_summary_is_k_sentences_of_the_text_in_order(article, k):
    summary = summarize_extractive(article, k)
    assert summary.method == METHOD
    assert len(summary.sentences) == k
    assert list(summary.sentences) == sorted(summary.sentences)
    assert set(summary.sentences) <= set(article.sentences)
    assert summary.text == " ".join(article.text[s:e] for s, e in summary.sentences)


def test_lead_sentence_is_picked(article):
    assert summarize_extractive(article, 3).sentences[0] == article.sentences[0]


def test_no_fragments_or_near_duplicates():
    text = ("Jakarta – Pemerintah kota meresmikan taman kota baru di pusat kota pada hari Senin pagi.\n\n"
            "Pemerintah kota meresmikan taman kota baru di pusat kota pada hari Senin pagi.\n\n"
            "Foto bersama\n\n"
            "Taman itu dilengkapi jalur sepeda, area bermain anak, dan perpustakaan kecil untuk warga.\n\n"
            "Warga menyambut baik taman baru tersebut karena selama ini ruang terbuka hijau masih kurang.")
    from ringkas.types import Source

    article = build_article(Source(id=None, text=text, origin="t"))
    picked = [article.text[s:e] for s, e in summarize_extractive(article, 3).sentences]
    assert "Foto bersama" not in picked
    assert sum("meresmikan taman" in p for p in picked) == 1
    assert len(picked) == 3


def test_short_release_gives_what_there_is():
    from ringkas.types import Source

    article = build_article(Source(id=None, text="Bupati meresmikan pasar baru di desa itu kemarin pagi.", origin="t"))
    assert len(summarize_extractive(article, 3).sentences) == 1


def test_summary_of_a_copied_page_opens_with_the_lead():
    from ringkas.types import Source

    page = ("DaerahBeritaUTAMA\n×\nScroll untuk baca artikel\n"
            "“Jalan lingkar itu harus selesai tahun ini.”\n"
            "Wali Kota Tinjau Pembangunan Jalan Lingkar Utara\nWali Kota Tinjau Pembangunan Jalan Lingkar Utara\n"
            "Penulis : Dedi | Editor : Admin\n"
            "Wali Kota saat meninjau lokasi proyek/Foto : RIZ\n"
            "TARAKAN, KABARUTARA.COM – Wali Kota Tarakan, Hendra Wijaya meninjau pembangunan jalan lingkar utara "
            "pada Senin, 3 Maret 2025.\n"
            "Proyek sepanjang 12 kilometer itu dikerjakan dengan anggaran daerah sebesar Rp 80 miliar tahun ini.\n"
            "“Jalan lingkar itu harus selesai tahun ini. Warga sudah lama menunggu,” kata Hendra.\n"
            "Ia meminta kontraktor menambah pekerja agar target waktu pembangunan jalan itu tercapai.\n"
            "Warga berharap jalan baru itu mengurangi kemacetan di pusat kota setiap pagi dan sore. (RDK)\n"
            "Satu Komentar\nBudi: mantap\n")
    article = build_article(Source(id=None, text=page, origin="t"))
    assert article.title == "Wali Kota Tinjau Pembangunan Jalan Lingkar Utara"
    assert (article.dateline, article.outlet, article.date) == ("Tarakan", "KABARUTARA.COM", "2025-03-03")
    assert article.byline == "Dedi/RDK"
    assert article.captions == ("Wali Kota saat meninjau lokasi proyek/Foto : RIZ",)
    for junk in ("DaerahBeritaUTAMA", "Scroll", "Penulis", "Foto", "Komentar", "mantap"):
        assert junk not in article.text
    summary = summarize_extractive(article, 3)
    sentences = [article.text[s:e] for s, e in summary.sentences]
    assert sentences[0].startswith("TARAKAN, KABARUTARA.COM – Wali Kota Tarakan")
    assert all(len(re.findall(r"[“”\"]", s)) % 2 == 0 for s in sentences)  # no stray quote mark

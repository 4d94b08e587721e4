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

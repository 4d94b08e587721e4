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


# -- the learned scorer (ringkas.summary.extractive, data/summary_weights.txt) ---------------

from ringkas.summary.extractive import WEIGHTS, score, sentence_features  # noqa: E402
from ringkas.types import Source  # noqa: E402


def _article(text: str):
    return build_article(Source(id=None, text=text, origin="t"))


def test_weights_file_states_provenance_and_licence():
    from pathlib import Path

    import ringkas

    head = (Path(ringkas.__file__).parent / "data" / "summary_weights.txt").read_text(encoding="utf-8").splitlines()
    assert head[0].startswith("# ")
    comments = " ".join(line for line in head if line.startswith("#"))
    for fact in ("IndoSum", "CC BY-SA 4.0", "benchmarks/train_summary.py"):
        assert fact in comments
    assert WEIGHTS["pos0"] > WEIGHTS["pos10"]  # the lead outranks the tail, as fitted


RELEASE = ("Pemerintah kota meresmikan taman baru di pusat kota pada hari Senin pagi.\n\n"
           "“Taman ini untuk semua warga kota yang membutuhkan ruang terbuka,” kata Wali Kota Budi.\n\n"
           "Taman itu dilengkapi jalur sepeda, area bermain anak, dan perpustakaan kecil untuk warga.\n\n"
           "Apakah warga akan merawat taman itu dengan baik setiap hari?")


@pytest.mark.parametrize("index, feature, expected", [
    (0, "pos0", 1.0), (1, "pos1", 1.0), (0, "weekday", 1.0), (2, "weekday", 0.0),
    (1, "quote_start", 1.0), (0, "quote_start", 0.0), (1, "quote_marks", 1.0), (2, "quote_marks", 0.0),
    (1, "speech_tail", 1.0), (2, "speech_tail", 0.0), (3, "question", 1.0), (0, "question", 0.0),
    (0, "first_pemerintah", 1.0), (2, "first_taman", 1.0), (0, "prev_cos", 0.0),
])
def test_sentence_features(index, feature, expected):
    values = sentence_features(_article(RELEASE))[index].values
    assert values.get(feature, 0.0) == expected


def test_candidates_keep_the_old_rules():
    text = "Foto bersama\n\n" + RELEASE + "\n\n“Kalimat ini membuka kutipan yang tidak pernah ditutup lagi di sini."
    article = _article(text)
    feats = sentence_features(article)
    sentences = [article.text[s:e] for s, e in article.sentences]
    candidates = {s for s, f in zip(sentences, feats, strict=True) if f.candidate}
    assert "Foto bersama" not in candidates  # a heading
    assert not any(s.startswith("“Kalimat ini membuka") for s in candidates)  # its quote marks do not pair
    assert any(s.startswith("Taman itu dilengkapi") for s in candidates)


@pytest.mark.parametrize("text, opens_with_first", [
    ("BLITAR – " + RELEASE, True),  # a dateline: its sentence is the lead, whatever the scores say
    (RELEASE, False),  # no dateline: the scores decide
])
def test_a_dateline_lead_opens_the_summary(text, opens_with_first):
    article = _article(text)
    favour_the_end = {"relpos": 10.0}  # weights that rank the last sentences first
    summary = summarize_extractive(article, 2, weights=favour_the_end)
    assert (summary.sentences[0] == article.sentences[0]) is opens_with_first
    assert list(summary.sentences) == sorted(summary.sentences)


def test_score_is_the_weighted_sum():
    assert score({"a": 1.0, "b": 0.5, "unknown": 3.0}, {"a": 2.0, "b": -1.0}) == 1.5


def test_summary_path_imports_no_numeric_or_model_library():
    import subprocess
    import sys

    code = ("import sys, ringkas\n"
            "r = ringkas.process(open('samples/kabupaten-tulungagung-posyandu.txt').read(), translate=False)\n"
            "assert r['summary']['method'] == 'extractive-learned', r['summary']\n"
            "print(sorted(m for m in ('numpy', 'scipy', 'sklearn', 'rouge_score', 'sacrebleu', 'torch',\n"
            "                          'transformers') if m in sys.modules))\n")
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=root,
                            env={"RINGKAS_MODELS": "/nonexistent", "PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"

"""`ringkas eval summaries`, `--summarizer auto` and chunked model summaries, end to end with the tiny models."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_cli

from ringkas.errors import UsageError
from ringkas.eval.summaries import lead, read_pairs

ARTICLES = [
    {"id": "a1", "category": "daerah",
     "text": "BLITAR – Bupati Blitar meresmikan pasar desa yang baru di Kecamatan Wlingi pada hari Senin.\n\n"
             "Pasar itu dibangun dengan dana desa sebesar dua miliar rupiah selama enam bulan terakhir.\n\n"
             "Warga berharap pasar baru itu membuat harga kebutuhan pokok di desa menjadi lebih murah.\n\n"
             "“Pasar ini untuk semua pedagang kecil di desa kami,” kata Bupati Rini.",
     "summary": "Bupati Blitar meresmikan pasar desa yang baru di Kecamatan Wlingi. Pasar dibangun dengan dana desa."},
    {"id": "a2", "category": "daerah",
     "text": "Polisi menangkap dua orang tersangka pencurian sepeda motor di pasar kota pada malam hari.\n\n"
             "Kedua tersangka ditangkap setelah polisi memeriksa rekaman kamera pengawas di sekitar pasar.\n\n"
             "Barang bukti berupa dua unit sepeda motor kini diamankan di kantor polisi setempat.",
     "summary": "Polisi menangkap dua tersangka pencurian sepeda motor di pasar kota."},
    {"id": "a3", "category": "kesehatan",
     "text": "Kepala dinas kesehatan menyampaikan bahwa vaksinasi di kabupaten berjalan dengan baik dan aman.\n\n"
             "Sebanyak sepuluh ribu warga sudah menerima vaksin dosis pertama sejak awal bulan lalu.\n\n"
             "Dinas kesehatan akan membuka pos vaksinasi baru di setiap kecamatan mulai pekan depan.",
     "summary": "Vaksinasi di kabupaten berjalan baik; sepuluh ribu warga sudah divaksin."},
]


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


@pytest.mark.parametrize("lines, message", [
    ('{"text": "Satu dua tiga."}\n', "needs string fields 'text' and 'summary'"),
    ('{"text": "Satu dua tiga.", "summary": 3}\n', "needs string fields 'text' and 'summary'"),
    ('{"text": "Satu", "summary": "x"\n', "malformed JSON"),
    ("\n\n", "no articles"),
])
def test_read_pairs_rejects_what_it_cannot_score(tmp_path, lines, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(lines, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        read_pairs(path)


def test_read_pairs_keeps_ids_and_categories(data):
    pairs = read_pairs(data)
    assert [(p.id, p.category) for p in pairs] == [("a1", "daerah"), ("a2", "daerah"), ("a3", "kesehatan")]


@pytest.mark.parametrize("text, n, expected", [
    ("Satu dua tiga. Empat lima enam.\n\nTujuh delapan sembilan.", 2, "Satu dua tiga. Empat lima enam."),
    ("Satu dua tiga. Empat lima enam.\n\nTujuh delapan sembilan.", 5,
     "Satu dua tiga. Empat lima enam. Tujuh delapan sembilan."),
    ("", 3, ""),
])
def test_lead(text, n, expected):
    assert lead(text, n) == expected


def test_eval_summaries_table_with_categories(data, empty_store):
    result = run_cli(["eval", "summaries", str(data)])
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == ["system", "R-1", "R-2", "R-L", "articles"]
    assert [r[:2] for r in rows[1:3]] == [["all", "ringkas"], ["all", "lead-3"]]
    assert rows[3][:2] == ["daerah", "ringkas"] and rows[3][-1] == "2"
    assert rows[6][:2] == ["kesehatan", "lead-3"] and rows[6][-1] == "1"
    assert result.stdout.splitlines()[-1] == "summaries by: extractive-learned (3)"  # auto, no model: extractive


def test_eval_summaries_json(data, empty_store):
    result = run_cli(["eval", "summaries", str(data), "--summarizer", "extractive", "--json", "--sentences", "1"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report["overall"]) == {"ringkas", "lead-1"}
    assert report["overall"]["ringkas"]["n"] == 3
    assert all(0 <= report["overall"]["lead-1"][k] <= 100 for k in ("rouge1", "rouge2", "rougeL"))
    assert set(report["by_category"]) == {"daerah", "kesehatan"}
    assert report["methods"] == {"extractive-learned": 3}


def test_eval_summaries_with_a_model(data, tiny_t5_dir, empty_store):
    result = run_cli(["eval", "summaries", str(data), "--summarizer", str(tiny_t5_dir), "--json", "--limit", "2"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["overall"]["ringkas"]["n"] == 2
    (method,) = report["methods"]
    assert method.startswith(f"model:{tiny_t5_dir.resolve().name}@local")


def test_eval_summaries_without_rouge_score_names_the_extra(data, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "rouge_score", None)  # an import of it now fails
    result = run_cli(["eval", "summaries", str(data)])
    assert result.exit_code == 2
    assert "needs rouge-score: pip install 'ringkas[eval]'" in result.stderr


# -- --summarizer auto -------------------------------------------------------------------------

def _install(store: Path, name: str, model_dir: Path) -> None:
    shutil.copytree(model_dir, store / name)


@pytest.mark.parametrize("installed, expected", [
    ((), None),
    (("mt5-xlsum",), "mt5-xlsum"),
    (("mt5-xlsum", "indonanot5-indosum"), "indonanot5-indosum"),  # the catalog's default first
    (("opus-mt-id-en",), None),  # a translator is no summarizer
])
def test_default_summarizer(empty_store, tmp_path, installed, expected):
    from ringkas.models.catalog import default_summarizer

    fake = tmp_path / "fake-model"
    fake.mkdir()
    (fake / "config.json").write_text('{"model_type": "t5"}', encoding="utf-8")
    (fake / "model.safetensors").write_bytes(b"")
    for name in installed:
        _install(empty_store, name, fake)
    ref = default_summarizer()
    assert (ref.name if ref else None) == expected


def _summary_of(args: list[str]) -> tuple[dict, str]:
    result = run_cli(["summarize", "--no-translate", *args, "samples/kabupaten-tulungagung-posyandu.txt"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_auto_uses_an_installed_summarization_model(empty_store, tiny_t5_dir):
    record, stderr = _summary_of([])
    assert record["summary"]["method"] == "extractive-learned"
    assert record["models"]["summary"] is None
    assert "summar" not in stderr  # no warning when no model is installed

    _install(empty_store, "indonanot5-indosum", tiny_t5_dir)
    record, _ = _summary_of([])
    assert record["summary"]["method"].startswith("model:indonanot5-indosum@")
    assert record["models"]["summary"].startswith("indonanot5-indosum@")
    assert record["summary"]["sentences"] == []

    record, _ = _summary_of(["--summarizer", "extractive"])  # forced
    assert record["summary"]["method"] == "extractive-learned"
    assert record["models"]["summary"] is None


def test_summary_en_translates_the_model_summary(empty_store, tiny_t5_dir, tiny_marian_dir):
    _install(empty_store, "indonanot5-indosum", tiny_t5_dir)
    result = run_cli(["summarize", "--translator", str(tiny_marian_dir), "--no-cache",
                      "samples/kabupaten-tulungagung-posyandu.txt"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["summary"]["method"].startswith("model:indonanot5-indosum@")
    assert record["summary"]["id"] and isinstance(record["summary"]["en"], str)
    assert record["models"]["translation"].startswith(tiny_marian_dir.name)


# -- long releases within the model's input ---------------------------------------------------

class Recording:
    """A model that records what it is asked to summarise (the tiny T5 underneath)."""

    def __init__(self, model):
        self.model = model
        self.inputs: list[str] = []

    @property
    def id(self) -> str:
        return self.model.id

    def fits(self, text: str) -> bool:
        return self.model.fits(text)

    def generate(self, texts):
        self.inputs.extend(texts)
        return self.model.generate(texts)


def test_long_releases_are_summarised_in_chunks_that_fit(tiny_t5):
    from ringkas.summary.abstractive import summarize_articles
    from ringkas.text.document import build_article
    from ringkas.types import Source

    long_text = "\n\n".join(a["text"] for a in ARTICLES) * 3
    short_text = ARTICLES[1]["text"].split("\n\n")[0]
    articles = [build_article(Source(id=None, text=t, origin="t")) for t in (long_text, short_text)]
    model = Recording(tiny_t5)
    summaries = summarize_articles(articles, model)
    assert len(summaries) == 2
    assert all(s.method == f"model:{tiny_t5.id}" and s.model == tiny_t5.id for s in summaries)
    assert not tiny_t5.fits(long_text)
    assert model.inputs and all(tiny_t5.fits(t) for t in model.inputs)  # nothing was cut by the model
    assert len(model.inputs) > 2  # the long one went in several chunks, batched with the short one

"""The pipeline when models fail or inputs are odd: a failed load is tried again, a stage that
raises costs one record, the generate() fallback and --summarizer end to end, a batch that checks
its models before it makes OUT, a crashed worker, what ``Pipeline.run`` takes, and documents with
no usable sentence."""

from __future__ import annotations

import concurrent.futures
import json
import shutil
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from conftest import run_cli

import ringkas.models.loader as loader
from ringkas.errors import ModelError
from ringkas.run.pipeline import NO_SENTENCES_WARNING, NO_TRANSLATOR_WARNING, Options, Pipeline
from ringkas.types import Source

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = str(ROOT / "samples/kabupaten-tulungagung-posyandu.txt")
RELEASE = ("Blitar – Bupati Blitar Rini Syarifah menghadiri rapat koordinasi daerah di Kota Batu, Sabtu. "
           "Kegiatan itu bertujuan memberikan laporan pelaksanaan program kerja tahun ini kepada warga.")
BOOM = "MELEDAK"  # a document holding this word makes the patched stage raise


def records_in(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- a model that failed to load once -----------------------------------------------------------------


def test_a_translator_that_failed_to_load_is_tried_again(tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = loader.load_model
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise ModelError("cannot load model: the disk went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "load_model", flaky)
    pipeline = Pipeline(Options(translator=str(tiny_marian_dir), device="cpu"))
    with pytest.raises(ModelError, match="the disk went away"):
        list(pipeline.run([RELEASE]))
    (record,) = pipeline.run([RELEASE])  # the same Pipeline again: loads, and translates
    assert len(calls) == 2
    assert record["translation"]["en"] and NO_TRANSLATOR_WARNING not in record["warnings"]


# -- a stage that raises on one document --------------------------------------------------------------


@pytest.mark.parametrize("module, name, options", [
    ("ringkas.summary.abstractive", "summarize_articles", {"summarizer": "tiny_t5_dir", "translate": False}),
    ("ringkas.models.translate", "translate_articles", {"translator": "tiny_marian_dir"}),
])
def test_a_stage_raising_on_one_document_costs_one_error_record(module: str, name: str, options: dict,
                                                                 request: pytest.FixtureRequest,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    target = importlib.import_module(module)
    real = getattr(target, name)

    def fragile(items, model):
        if any(BOOM in (item[0] if isinstance(item, tuple) else item).text for item in items):
            raise RuntimeError("stage broke")
        return real(items, model)

    monkeypatch.setattr(target, name, fragile)
    folders = {key: str(request.getfixturevalue(value)) for key, value in options.items() if key in ("summarizer", "translator")}
    opts = Options(**{**options, **folders}, device="cpu")
    docs = [RELEASE, RELEASE.replace("Sabtu", f"Sabtu. Warga {BOOM} hari ini"), RELEASE.replace("Blitar", "Kediri")]
    records = list(Pipeline(opts).run(docs))
    assert [r["error"] and r["error"]["type"] for r in records] == [None, "internal", None]
    assert records[1]["error"]["message"] == "RuntimeError: stage broke"
    assert records[1]["source"] == "<2>" and records[1]["id"]
    good = [records[0], records[2]]
    assert all(r["summary"]["id"] for r in good) if "summarizer" in options else all(r["translation"]["en"] for r in good)


# -- the generate() fallback and --summarizer, end to end ---------------------------------------------


@pytest.fixture(scope="module")
def no_repeat_t5_dir(tiny_t5_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny T5 with ``no_repeat_ngram_size: 3`` in its generation settings, as both catalog
    summarisers have: settings ringkas's own loops do not cover, so generate() decodes."""
    folder = tmp_path_factory.mktemp("t5-no-repeat") / "model"
    shutil.copytree(tiny_t5_dir, folder)
    config_path = folder / "generation_config.json"
    config = json.loads(config_path.read_text()) if config_path.exists() else {}
    config.update(no_repeat_ngram_size=3, decoder_start_token_id=0, eos_token_id=1, pad_token_id=0)
    config_path.write_text(json.dumps(config))
    return folder


def repeated_trigrams(ids: list[int], eos: int = 1) -> int:
    """How many 3-grams of ``ids`` (cut at the first EOS) occur more than once."""
    ids = ids[: ids.index(eos)] if eos in ids else ids
    grams = [tuple(ids[i:i + 3]) for i in range(len(ids) - 2)]
    return len(grams) - len(set(grams))


def spy_generate(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Rows that the model's own generate() returns while the test runs."""
    from transformers import T5ForConditionalGeneration

    rows: list[list[int]] = []
    real = T5ForConditionalGeneration.generate

    def spy(self, *args, **kwargs):
        out = real(self, *args, **kwargs)
        rows.extend(row[1:] for row in out.tolist())  # the first position is the decoder start token
        return out

    monkeypatch.setattr(T5ForConditionalGeneration, "generate", spy)
    return rows


@pytest.mark.slow
def test_summarizer_through_the_generate_fallback_end_to_end(no_repeat_t5_dir: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    rows = spy_generate(monkeypatch)
    out = tmp_path / "out.jsonl"
    archive = tmp_path / "two.jsonl"
    archive.write_text("".join(json.dumps({"id": f"r{i}", "text": RELEASE.replace("Blitar", town)}) + "\n"
                               for i, town in enumerate(("Blitar", "Kediri"))), encoding="utf-8")
    result = run_cli(["-q", "summarize", "--no-translate", "--summarizer", str(no_repeat_t5_dir), "--device", "cpu",
                      str(archive), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    records = records_in(out)
    assert [r["error"] for r in records] == [None, None]
    for record in records:
        assert record["summary"]["method"].startswith("model:") and record["summary"]["sentences"] == []
        assert record["models"]["summary"] == record["summary"]["method"].removeprefix("model:")
        assert isinstance(record["summary"]["id"], str)
    assert rows, "generate() decoded the summaries (the greedy loop does not cover no_repeat_ngram_size)"
    assert all(repeated_trigrams(row) == 0 for row in rows)  # the setting reached generate()


def test_without_the_setting_the_tiny_t5_repeats_itself(tiny_t5_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # what makes the test above able to fail: random weights repeat 3-grams when nothing stops them
    from ringkas.models.loader import load_model

    model = load_model(tiny_t5_dir, task="summarization", device="cpu")
    ids = model._generate_ids(model.encode([RELEASE]), max_new_tokens=40, min_new_tokens=None)
    assert repeated_trigrams(ids[0]) > 0


# -- batch: models first, then OUT; a crashed worker --------------------------------------------------


def test_a_bad_translator_leaves_no_output_behind(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run_cli(["-q", "batch", SAMPLE, "-o", str(out), "--translator", str(tmp_path / "no-such-model")])
    assert result.exit_code == 2 and result.stderr.startswith("ringkas: error: ")
    assert not out.exists()
    fixed = run_cli(["-q", "batch", SAMPLE, "-o", str(out), "--no-translate"])  # the corrected rerun, no --resume
    assert fixed.exit_code == 0, fixed.stderr
    assert len(records_in(out)) == 1


def test_a_model_that_fails_to_load_in_the_run_leaves_no_output(tiny_marian_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise ModelError("cannot load model marian: weights are corrupt")

    monkeypatch.setattr(loader, "load_model", broken)  # its files pass the check; loading fails
    out = tmp_path / "out.jsonl"
    result = run_cli(["-q", "batch", SAMPLE, "-o", str(out), "--translator", str(tiny_marian_dir), "--workers", "1"])
    assert result.exit_code == 2 and "weights are corrupt" in result.stderr
    assert not out.exists()


class DyingPool:
    """A ProcessPoolExecutor whose every worker has died (what the OOM killer leaves)."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, *args, **kwargs):
        future: Future = Future()
        future.set_exception(BrokenProcessPool("A process in the process pool was terminated abruptly"))
        return future


def test_a_crashed_worker_exits_1_not_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", DyingPool)
    out = tmp_path / "out.jsonl"
    result = run_cli(["-q", "batch", SAMPLE, "-o", str(out), "--no-translate", "--workers", "2"])
    assert result.exit_code == 1
    assert "ringkas: error: a worker process died" in result.stderr and "--resume" in result.stderr


# -- what Pipeline.run takes --------------------------------------------------------------------------


@pytest.mark.parametrize("document, error, source", [
    (RELEASE, None, "<1>"),
    ({"text": RELEASE, "id": "r1", "source": "arsip:7"}, None, "arsip:7"),
    (Source(id="s1", text=RELEASE, origin="given.txt"), None, "given.txt"),
    ({"title": "no text"}, "bad_input", "<1>"),
    (42, "bad_input", "<1>"),
    (None, "bad_input", "<1>"),
    (b"bytes are not text", "bad_input", "<1>"),
])
def test_pipeline_run_takes_what_process_many_takes(document: object, error: str | None, source: str) -> None:
    (record,) = Pipeline(Options(translate=False)).run([document])
    assert (record["error"] and record["error"]["type"]) == error
    assert record["source"] == source
    if error:
        assert "a document must be a string, a dict with 'text' or a ringkas Source" in record["error"]["message"]


# -- documents with no usable sentence ----------------------------------------------------------------


@pytest.mark.parametrize("text, warns", [
    ("bupati hadir di pasar kota bersama warga desa untuk meninjau harga beras " * 14000, True),  # ~1 MB, one line
    ("Bupati hadir di pasar kota bersama warga desa", True),  # no full stop
    ("Satu. Dua. Tiga.", True),  # sentences, none long enough to be a summary
    (RELEASE, False),
])
def test_a_document_with_no_usable_sentence_says_so(text: str, warns: bool) -> None:
    (record,) = Pipeline(Options(translate=False)).run([text])
    assert record["error"] is None
    assert (NO_SENTENCES_WARNING in record["warnings"]) is warns
    assert (record["summary"]["id"] == "") is warns

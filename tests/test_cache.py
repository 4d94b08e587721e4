"""The translation cache: exact keys, same records with and without it, no model for a cached run,
and the conditions batch runs meet (concurrent writers, kill -9, read-only, full, old or corrupt)."""

from __future__ import annotations

import dataclasses
import json
import logging
import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli

from ringkas.models import cache as cache_module
from ringkas.models.cache import (SCHEMA_VERSION, CachedSegments, CacheUnavailable, TranslationCache, digest,
                                  model_key, request_key)
from ringkas.models.catalog import ModelRef
from ringkas.models.settings import ModelSettings
from ringkas.run.pipeline import Options, Pipeline, process_many

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")) if "cp1252" not in p.name]


# -- keys ------------------------------------------------------------------------------------------


SETTINGS = ModelSettings(device="cpu", dtype="float32", compute_type=None, threads=2, src_lang=None,
                         tgt_lang=None, prefix="", max_input_tokens=512, max_new_tokens=512)


@dataclasses.dataclass
class FakeModel:
    """What model_key reads of a loaded model."""

    id: str
    settings: ModelSettings
    ref: ModelRef | None = None


@pytest.mark.parametrize("change, same", [
    ({}, True),
    ({"threads": 1}, True),  # threads change the speed, not the output
    ({"device": "cuda"}, False),
    ({"dtype": "float16"}, False),
    ({"compute_type": "int8"}, False),
    ({"max_new_tokens": 64}, False),
    ({"prefix": "translate: "}, False),
    ({"generate": {"num_beams": 4}}, False),
])
def test_model_key_holds_every_setting_that_changes_the_output(change: dict, same: bool) -> None:
    base = FakeModel("opus-mt-id-en@abc greedy", SETTINGS)
    other = FakeModel("opus-mt-id-en@abc greedy", dataclasses.replace(SETTINGS, **change))
    assert (model_key(base) == model_key(other)) == same


@pytest.mark.parametrize("model_id, same", [
    ("opus-mt-id-en@abc greedy", True),
    ("opus-mt-id-en@abc beam4", False),  # the decoding, as the model's id says it
    ("opus-mt-id-en@def greedy", False),  # another revision
    ("opus-mt-id-en@abc+ct2-int8 greedy", False),  # another backend
])
def test_model_key_holds_the_model_id(model_id: str, same: bool) -> None:
    assert (model_key(FakeModel("opus-mt-id-en@abc greedy", SETTINGS)) == model_key(FakeModel(model_id, SETTINGS))) == same


def test_a_changed_model_file_is_another_model(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    ref = ModelRef("m", "local", tmp_path, "translation")
    before = (model_key(FakeModel("m@local greedy", SETTINGS, ref)), request_key(ref, {"device": "cpu"}))
    os.utime(tmp_path / "model.safetensors", ns=(1, 1))
    after = (model_key(FakeModel("m@local greedy", SETTINGS, ref)), request_key(ref, {"device": "cpu"}))
    assert before[0] != after[0] and before[1] != after[1]
    assert request_key(ref, {"device": "cpu"}) != request_key(ref, {"device": "cpu", "beams": 4})


# -- the database ----------------------------------------------------------------------------------


def test_lookup_returns_what_was_stored_for_that_model_only(tmp_path: Path) -> None:
    db = TranslationCache(tmp_path / "c.sqlite3")
    a, b = db.model_row("key-a", "a@1"), db.model_row("key-b", "b@1")
    assert db.model_row("key-a", "a@1") == a != b
    db.store(a, [("Bupati hadir.", "The regent came."), ("Warga senang.", "")], hits=0, misses=2)
    assert db.lookup(a, ["Bupati hadir.", "Warga senang.", "Bupati hadir", "bupati hadir."]) == {
        "Bupati hadir.": "The regent came.", "Warga senang.": ""}  # exact segments only; "" is an answer
    assert db.lookup(b, ["Bupati hadir."]) == {}
    many = [f"Kalimat {i}." for i in range(2500)]  # more than one statement's parameters
    db.store(a, [(s, s.upper()) for s in many], hits=3, misses=2500)
    assert db.lookup(a, many) == {s: s.upper() for s in many}
    info = db.info()
    assert info.segments == 2502 and [(m.model, m.segments, m.hits, m.misses) for m in info.models] == [
        ("a@1", 2502, 3, 2502), ("b@1", 0, 0, 0)]
    assert db.clear() == 2502 and db.info().segments == 0


def test_requests_remember_the_model_they_loaded(tmp_path: Path) -> None:
    db = TranslationCache(tmp_path / "c.sqlite3")
    assert db.recall("req") is None
    row = db.remember("req", "key-a", "a@1 greedy")
    assert db.recall("req") == (row, "key-a", "a@1 greedy")


class Counting:
    """A fake model that counts what reaches it."""

    id = "echo@1 greedy"
    settings = SETTINGS

    def __init__(self) -> None:
        self.seen: list[str] = []

    def fits(self, text: str) -> bool:
        return len(text.split()) <= 4

    def generate(self, texts: list[str]) -> list[str]:
        self.seen.extend(texts)
        return [t.upper() for t in texts]


def test_cached_segments_reach_the_model_once_and_load_it_only_on_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    loads: list[Counting] = []

    def load() -> Counting:
        loads.append(Counting())
        return loads[-1]

    segments = ["Bupati Blitar hadir di rapat koordinasi.", "Warga senang.", "Warga senang."]
    first = CachedSegments(TranslationCache(path), "req", load)  # an unknown request loads at once
    assert len(loads) == 1 and first.translate(segments) == ["BUPATI BLITAR HADIR DI RAPAT KOORDINASI.",
                                                             "WARGA SENANG.", "WARGA SENANG."]
    assert loads[0].seen.count("Warga senang.") == 1 and len(loads[0].seen) == 3  # two pieces that fit, one segment
    again = CachedSegments(TranslationCache(path), "req", load)
    assert again.translate(segments) == first.translate(segments) and len(loads) == 1 and not again.loaded
    assert again.id == "echo@1 greedy"
    assert again.translate(["Rapat selesai."]) == ["RAPAT SELESAI."] and len(loads) == 2 and again.loaded


def _older_layout(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE segments (source TEXT, english TEXT)")  # same name, another layout
    db.execute("INSERT INTO segments VALUES ('Bupati hadir.', 'WRONG')")
    db.commit()
    db.close()


def _newer_layout(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()


def test_an_older_database_is_rebuilt_not_misread(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    _older_layout(path)
    db = TranslationCache(path)
    row = db.model_row("key", "m@1")
    assert db.lookup(row, ["Bupati hadir."]) == {} and db.info().segments == 0


@pytest.mark.parametrize("spoil, message", [
    (_newer_layout, "was written by a newer ringkas"),
    (lambda path: path.write_bytes(b"not a database at all " * 100), "file is not a database"),
    (lambda path: path.mkdir(), "unable to open database file"),
])
def test_an_unusable_database_is_refused_by_name(tmp_path: Path, spoil, message: str) -> None:
    path = tmp_path / "c.sqlite3"
    spoil(path)
    with pytest.raises(CacheUnavailable, match=message):
        TranslationCache(path)


# -- through the pipeline ----------------------------------------------------------------------------


def records(model_dir: Path, texts: list[str], **options: object) -> list[str]:
    """The records of ``texts`` as JSON text, each document its own id as source (so order may change)."""
    docs = [{"text": t, "source": f"doc-{TEXTS.index(t) if t in TEXTS else i}"} for i, t in enumerate(texts)]
    return [json.dumps(r, ensure_ascii=False) for r in
            process_many(docs, translator=str(model_dir), device="cpu", **options)]


def test_records_are_the_same_with_and_without_the_cache(tiny_marian_dir: Path, tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite3")
    plain = records(tiny_marian_dir, TEXTS, cache=False)
    assert records(tiny_marian_dir, TEXTS, cache_path=path) == plain  # every segment a miss
    assert records(tiny_marian_dir, TEXTS[::-1], cache_path=path) == plain[::-1]  # every segment a hit
    assert records(tiny_marian_dir, TEXTS[:2], cache_path=path, chunk_docs=1) == plain[:2]
    use = TranslationCache(path).info().models
    assert len(use) == 1 and use[0].misses == use[0].segments > 50 and use[0].hits > use[0].segments


def test_a_cached_run_never_loads_the_model(tiny_marian_dir: Path, tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite3")
    records(tiny_marian_dir, TEXTS[:2], cache_path=path)
    pipeline = Pipeline(Options(translator=str(tiny_marian_dir), device="cpu", cache_path=path))
    list(pipeline.run(_sources(TEXTS[:2])))
    assert pipeline._translator_loaded is False
    list(pipeline.run(_sources(TEXTS[2:3])))  # a miss: now it loads
    assert pipeline._translator is not None


def _sources(texts: list[str]):
    from ringkas.io.sources import source_from_text

    return [source_from_text(t, f"<{i}>") for i, t in enumerate(texts)]


def test_an_all_cached_run_imports_no_torch(tiny_marian_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    sample = str(SAMPLES / "polres-mukomuko-curanmor.txt")
    argv = ["summarize", "--translator", str(tiny_marian_dir), "--device", "cpu", "--cache", str(path), sample]
    code = ("import sys\nfrom ringkas.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
            "print(sorted(m for m in ('torch', 'transformers', 'sentencepiece') if m in sys.modules), file=sys.stderr)")
    runs = [subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False,
                           cwd=ROOT, timeout=300) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[1].stderr
    assert runs[0].stderr.splitlines()[-1] == "['sentencepiece', 'torch', 'transformers']"
    assert runs[1].stderr.splitlines()[-1] == "[]"
    assert runs[0].stdout == runs[1].stdout and json.loads(runs[1].stdout)["translation"]["en"]


# -- what batch runs meet ------------------------------------------------------------------------------


def _write_many(path: str, worker: int, count: int) -> None:
    db = TranslationCache(path)
    row = db.model_row("key", "m@1")
    for i in range(count):
        db.store(row, [(f"w{worker} s{i} k{k}", f"english {worker} {i} {k}") for k in range(20)], hits=1, misses=20)


def test_several_processes_write_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite3")
    context = mp.get_context("spawn")
    procs = [context.Process(target=_write_many, args=(path, w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    db = TranslationCache(path)
    info = db.info()
    assert info.segments == 4 * 40 * 20 and info.models[0].hits == 160
    assert db._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


KILLER = """
import sys
from ringkas.models.cache import TranslationCache
db = TranslationCache(sys.argv[1])
row = db.model_row("key", "m@1")
print("ready", flush=True)
i = 0
while True:
    db.store(row, [(f"s{i} {k}" * 20, "x" * 400) for k in range(2000)], hits=0, misses=2000)
    i += 1
"""


def test_kill_9_in_the_middle_of_a_write_leaves_a_usable_database(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    proc = subprocess.Popen([sys.executable, "-c", KILLER, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    time.sleep(1.5)  # a few whole transactions, and one in the middle
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    db = TranslationCache(path)
    assert db._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count = db.info().segments
    assert count % 2000 == 0 and count > 0  # whole transactions only
    row = db.model_row("key", "m@1")
    db.store(row, [("after", "the crash")], hits=0, misses=1)
    assert db.lookup(row, ["after"]) == {"after": "the crash"}


@pytest.mark.slow
def test_kill_9_then_resume_with_the_cache_gives_the_clean_records(tiny_marian_dir: Path, tmp_path: Path) -> None:
    from test_batch import make_releases

    folder = make_releases(tmp_path / "in", 70)  # more than one chunk (64) of the batch
    base = [sys.executable, "-m", "ringkas", "-q", "batch", str(folder), "--workers", "1", "--translator",
            str(tiny_marian_dir), "--device", "cpu"]
    clean = tmp_path / "clean.jsonl"
    assert subprocess.run([*base, "-o", str(clean), "--no-cache"], check=False, timeout=600).returncode == 0
    out, cache = tmp_path / "out.jsonl", tmp_path / "c.sqlite3"
    cmd = [*base, "-o", str(out), "--cache", str(cache)]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 1:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert out.read_bytes().count(b"\n") < 70, "the kill must land mid-run"
    resumed = subprocess.run([*cmd, "--resume"], check=False, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert out.read_bytes() == clean.read_bytes()


def _connect_with(pragma: str | None = None, uri_mode: str | None = None):
    real = sqlite3.connect

    def connect(path, *args, **kwargs):
        if uri_mode:
            return real(f"file:{path}?mode={uri_mode}", *args, uri=True, **kwargs)
        db = real(path, *args, **kwargs)
        if pragma:
            db.execute(pragma)
        return db

    return connect


@pytest.mark.parametrize("connect, warning", [
    # the cache file on a read-only disk (root writes through chmod, so SQLite's own read-only mode)
    (_connect_with(uri_mode="ro"), "attempt to write a readonly database"),
    # a full disk: SQLite's page limit gives the same SQLITE_FULL as a full file system
    (_connect_with(pragma="PRAGMA max_page_count=12"), "database or disk is full"),
])
def test_a_read_only_or_full_cache_warns_and_the_run_goes_on(tiny_marian_dir: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             caplog: pytest.LogCaptureFixture, connect,
                                                             warning: str) -> None:
    path = str(tmp_path / "c.sqlite3")
    plain = records(tiny_marian_dir, TEXTS, cache=False)
    TranslationCache(path).close()  # an empty cache of the current layout
    monkeypatch.setattr(cache_module.sqlite3, "connect", connect)
    with caplog.at_level(logging.WARNING, logger="ringkas.cache"):
        assert records(tiny_marian_dir, TEXTS, cache_path=path) == plain
    assert [r.getMessage() for r in caplog.records if warning in r.getMessage()], caplog.text
    assert all("going on without it" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("spoil", [_newer_layout, lambda path: path.write_bytes(b"\x00garbage" * 500)])
def test_an_unusable_cache_file_warns_and_the_run_goes_on(tiny_marian_dir: Path, tmp_path: Path, spoil,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite3"
    spoil(path)
    with caplog.at_level(logging.WARNING, logger="ringkas.cache"):
        assert records(tiny_marian_dir, TEXTS[:1], cache_path=str(path)) == records(tiny_marian_dir, TEXTS[:1],
                                                                                   cache=False)
    assert "translation cache off" in caplog.text


# -- the command line ------------------------------------------------------------------------------------


def test_cache_info_and_clear(tiny_marian_dir: Path, tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite3")
    sample = str(SAMPLES / "polres-mukomuko-curanmor.txt")
    for _ in range(2):
        result = run_cli(["-q", "summarize", "--translator", str(tiny_marian_dir), "--device", "cpu", "--cache",
                          path, sample])
        assert result.exit_code == 0, result.stderr
    info = run_cli(["cache", "info", "--cache", path])
    assert info.exit_code == 0 and info.stdout.startswith(f"cache: {path}\nsize: ")
    line = info.stdout.splitlines()[2]
    assert line.startswith("  model@local") and "hit rate 50%" in line
    cleared = run_cli(["cache", "clear", "--cache", path])
    assert cleared.exit_code == 0 and cleared.stderr.startswith("ringkas: cleared ")
    assert " 0 segments" in run_cli(["cache", "info", "--cache", path]).stdout


@pytest.mark.parametrize("content, said", [
    (b"\x00garbage" * 500, "ringkas: removed "),
    (None, "no cache to clear"),
])
def test_cache_clear_removes_what_it_cannot_open(tmp_path: Path, content: bytes | None, said: str) -> None:
    path = tmp_path / "c.sqlite3"
    if content is not None:
        path.write_bytes(content)
    result = run_cli(["cache", "clear", "--cache", str(path)])
    assert result.exit_code == 0 and said in result.stderr and not path.exists()


def test_cache_info_of_a_corrupt_file_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"\x00garbage" * 500)
    result = run_cli(["cache", "info", "--cache", str(path)])
    assert result.exit_code == 2 and "translation cache: cannot use" in result.stderr


def test_digest_is_exact() -> None:
    assert digest("Bupati hadir.") != digest("Bupati hadir. ") and len(digest("")) == 16

"""`ringkas batch`: resume after kill -9, bad files, workers, the output file's repair."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
from conftest import run_cli

from ringkas.run.output import LineAppender, check_output, repair_output
from ringkas.run.pipeline import Options, Pipeline
from ringkas.run.units import Line, Skipped, Unit, chunk_size, count_units, iter_units, process_units
from ringkas.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def make_releases(folder: Path, count: int) -> Path:
    """``count`` distinct small releases in ``folder``: the UTF-8 samples, each with a numbered paragraph."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")) if "cp1252" not in p.name]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        paragraphs = texts[i % len(texts)].split("\n\n")
        paragraphs.insert(1, f"Rilis nomor {i} diterbitkan oleh bagian hubungan masyarakat.")
        (folder / f"rilis-{i:04d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    return folder


def batch(*args: str) -> tuple[int, str]:
    """Run `ringkas -q batch ARGS --no-translate` in this process; the exit status and stderr."""
    result = run_cli(["-q", "batch", *args, "--no-translate"])
    return result.exit_code, result.stderr


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- resume after kill -9 -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("torn_tail", [b"", b'{"schema":"ringkas.record/1","id":"abc","text":"setengah'])
def test_kill_9_then_resume_loses_and_repeats_nothing(tmp_path: Path, torn_tail: bytes) -> None:
    folder = make_releases(tmp_path / "in", 300)
    clean = tmp_path / "clean.jsonl"
    assert batch(str(folder), "-o", str(clean), "--workers", "1")[0] == 0
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "ringkas", "-q", "batch", str(folder), "-o", str(out), "--workers", "1",
           "--no-translate"]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 20:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = out.read_bytes().count(b"\n")
    assert 20 <= written < 300, "the kill must land mid-run"
    with open(out, "ab") as fh:  # a crash in the middle of a write() leaves a torn last line
        fh.write(torn_tail)
    proc = subprocess.run([*cmd, "--resume"], check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"skipped {written}" in proc.stderr
    resumed = lines_of(out)  # every line whole and valid JSON
    assert [r["id"] for r in resumed] == [r["id"] for r in lines_of(clean)]
    assert len({r["id"] for r in resumed}) == 300
    assert out.read_bytes() == clean.read_bytes()


def test_resume_keeps_a_duplicate_beyond_what_the_output_holds(tmp_path: Path) -> None:
    """The same release twice: the output held one copy at the crash, so the resumed run writes the other."""
    folder = make_releases(tmp_path / "in", 3)
    shutil.copy(folder / "rilis-0001.txt", folder / "rilis-0003.txt")
    clean = tmp_path / "clean.jsonl"
    batch(str(folder), "-o", str(clean), "--workers", "1")
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"".join(clean.read_bytes().splitlines(keepends=True)[:2]))
    code, err = batch(str(folder), "-o", str(out), "--workers", "1", "--resume")
    assert code == 0
    assert "done 2, failed 0, skipped 2" in err
    assert out.read_bytes() == clean.read_bytes()


def test_resume_of_a_finished_run_skips_everything(tmp_path: Path) -> None:
    folder = make_releases(tmp_path / "in", 4)
    out = tmp_path / "out.jsonl"
    batch(str(folder), "-o", str(out), "--workers", "1")
    before = out.read_bytes()
    code, err = batch(str(folder), "-o", str(out), "--workers", "1", "--resume")
    assert (code, out.read_bytes()) == (0, before)
    assert "done 0, failed 0, skipped 4" in err


# -- the output file ------------------------------------------------------------------------------

GOOD = b'{"id":"a","error":null}\n'
FAILED = b'{"id":"b","error":{"type":"empty","message":"input is empty"}}\n'


@pytest.mark.parametrize("content, ids, failed, kept", [
    (b"", {}, 0, b""),
    (GOOD + FAILED, {"a": 1, "b": 1}, 1, GOOD + FAILED),
    (GOOD + GOOD, {"a": 2}, 0, GOOD + GOOD),
    (GOOD + b'{"id":"c","err', {"a": 1}, 0, GOOD),  # torn: no newline
    (GOOD + b'{"id":"c"', {"a": 1}, 0, GOOD),  # torn right before the newline would have come
    (GOOD + b'{"id":"c","error":null}', {"a": 1}, 0, GOOD),  # valid JSON, but the write did not finish
    (GOOD + b"\n", {"a": 1}, 0, GOOD),  # a blank last line is not a record
    (GOOD + b'{"id":"c",\n', {"a": 1}, 0, GOOD),  # newline, yet not JSON
    (GOOD + b'["a"]\n', {"a": 1}, 0, GOOD),  # JSON, yet not a record
])
def test_repair_output_cuts_only_a_torn_last_line(tmp_path: Path, content: bytes, ids: dict, failed: int,
                                                  kept: bytes) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(content)
    state = repair_output(str(path))
    assert (dict(state.ids), state.failed, path.read_bytes()) == (ids, failed, kept)
    assert state.truncated == len(content) - len(kept)


@pytest.mark.parametrize("content", [b"not json\n" + GOOD, GOOD + b'{"id":"c"\n' + GOOD, b"x\ny"])
def test_repair_output_refuses_a_file_that_is_not_batch_output(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(content)
    with pytest.raises(UsageError, match="not a JSON record"):
        repair_output(str(path))
    assert path.read_bytes() == content  # refused: left untouched


@pytest.mark.parametrize("exists, resume, expected", [
    (False, False, False),
    (False, True, False),  # --resume on a first run just starts
    (True, True, True),
    (True, False, "already exists: pass --resume"),
])
def test_check_output(tmp_path: Path, exists: bool, resume: bool, expected: bool | str) -> None:
    path = tmp_path / "out.jsonl"
    if exists:
        path.write_bytes(GOOD)
    if isinstance(expected, str):
        with pytest.raises(UsageError, match=expected):
            check_output(str(path), resume)
    else:
        assert check_output(str(path), resume) is expected
    assert (path.read_bytes() if path.exists() else None) == (GOOD if exists else None)  # left as it was


@pytest.mark.parametrize("where, error", [
    ("no-such-folder/out.jsonl", "folder of the output does not exist"),
    (".", "output is a folder"),
])
def test_check_output_refuses_what_cannot_be_a_file(tmp_path: Path, where: str, error: str) -> None:
    with pytest.raises(UsageError, match=error):
        check_output(str(tmp_path / where), True)


def test_existing_output_without_resume_exits_2_and_is_kept(tmp_path: Path) -> None:
    folder = make_releases(tmp_path / "in", 1)
    out = tmp_path / "out.jsonl"
    out.write_bytes(GOOD)
    code, err = batch(str(folder), "-o", str(out))
    assert code == 2
    assert "--resume" in err
    assert out.read_bytes() == GOOD


@pytest.mark.parametrize("argv", [
    ["batch", "samples"],  # -o is required
    ["batch", "-o", "x.jsonl"],  # a source is required
    ["batch", "samples", "-o", "x.jsonl", "--workers", "0"],
    ["batch", "samples", "-o", "x.jsonl", "--engine", "spark"],
])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert run_cli(argv).exit_code == 2


def test_stdin_is_a_usage_error(tmp_path: Path) -> None:
    code, err = batch("-", "-o", str(tmp_path / "out.jsonl"))
    assert code == 2
    assert "summarize -" in err


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "out.jsonl")
    with closing(LineAppender(path)), pytest.raises(UsageError, match="another ringkas batch"):
        LineAppender(path)


def test_ray_missing_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    code, err = batch(str(SAMPLES), "-o", str(tmp_path / "out.jsonl"), "--engine", "ray")
    assert code == 2
    assert "pip install 'ringkas[ray]'" in err
    assert not (tmp_path / "out.jsonl").exists()


# -- units and counting ---------------------------------------------------------------------------


def test_units_follow_input_order_and_jsonl_lines(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("x")
    (tmp_path / "a.jsonl").write_bytes(b'{"text":"satu"}\n\n{"text":"dua"}\n')
    (tmp_path / "c.html").write_text("<p>x</p>")
    (tmp_path / "skip.csv").write_text("x")
    units = [(Path(u.path).relative_to(tmp_path).as_posix(), u.line) for u in iter_units([str(tmp_path)])]
    assert units == [("a.jsonl", 1), ("a.jsonl", 3), ("b/z.txt", None), ("c.html", None)]
    assert count_units([str(tmp_path)]) == 5  # blank JSONL lines are counted: a cheap estimate


def test_process_units_skips_what_the_output_holds_and_keeps_the_order() -> None:
    lines = [b'{"id": "a", "text": "Jakarta - Rapat digelar hari ini."}',
             b'{"id": "b", "text": "Bandung - Warga hadir."}', b"[1]", b'{"id": "c", "text": "x"}']
    units = [Unit("arsip.jsonl", i + 1, raw) for i, raw in enumerate(lines)]
    results = process_units(Pipeline(Options(translate=False)), units, frozenset({"b", "c"}))
    assert [type(r) for r in results] == [Line, Skipped, Line, Skipped]
    assert [(r.id, r.unit.line) for r in results if isinstance(r, Skipped)] == [("b", 2), ("c", 4)]
    first, bad = (r for r in results if isinstance(r, Line))
    assert (json.loads(first.text)["id"], first.where, first.error) == ("a", "arsip.jsonl:1", None)
    assert (bad.where, bad.error) == ("arsip.jsonl:3", "line 3 is not a JSON object (it is an array)")


@pytest.mark.parametrize("options, size", [
    (Options(translate=False), 16),  # model-free: small chunks keep the workers balanced
    (Options(translate=False, chunk_docs=8), 8),
    (Options(translate=True), 16),  # no translator installed (RINGKAS_MODELS is empty)
    (Options(translate=True, translator="some-folder"), 64),  # a model runs: its batch size
    (Options(translate=False, summarizer="some-summarizer", chunk_docs=32), 32),
    (Options(translate=True, require_translation=True), 64),  # `ringkas translate` loads one, or fails
])
def test_chunk_size(options: Options, size: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RINGKAS_MODELS", str(tmp_path))
    assert chunk_size(options) == size


# -- bad documents --------------------------------------------------------------------------------


def test_bad_files_become_error_records_and_the_run_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_releases(folder, 2)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02GIF89a" * 50)
    (folder / "huge.txt").write_text("Kalimat yang panjang sekali. " * 400, encoding="utf-8")
    (folder / "legacy.txt").write_bytes((SAMPLES / "legacy-cp1252.txt").read_bytes())
    (folder / "archive.jsonl").write_bytes(b'{"id":"ok-1","text":"Jakarta - Rapat digelar hari ini."}\n'
                                           b'{"id": "broken", "text": \n'
                                           b'{"id":"no-text"}\n'
                                           b'["bukan objek"]\n')
    os.symlink(folder / "missing.txt", folder / "dangling.txt")
    out = tmp_path / "out.jsonl"
    code, err = batch(str(folder), "-o", str(out), "--workers", "1", "--max-bytes", "5000")
    assert code == 1
    records = {Path(r["source"]).name: r for r in lines_of(out)}
    errors = {name: (r["error"] or {}).get("type") for name, r in records.items()}
    assert errors == {
        "archive.jsonl:1": None, "archive.jsonl:2": "bad_jsonl", "archive.jsonl:3": "bad_jsonl",
        "archive.jsonl:4": "bad_jsonl", "binary.txt": "binary", "dangling.txt": "unreadable",
        "empty.txt": "empty", "huge.txt": "too_large", "legacy.txt": None,
        "rilis-0000.txt": None, "rilis-0001.txt": None,
    }
    assert "Café" in records["legacy.txt"]["text"]
    assert "“" in records["legacy.txt"]["text"]
    assert "done 11, failed 7, skipped 0" in err
    # error records carry stable ids too: a resume skips every one of them
    code, err = batch(str(folder), "-o", str(out), "--workers", "1", "--max-bytes", "5000", "--resume")
    assert code == 1  # the output still holds error records
    assert "done 0, failed 0, skipped 11" in err


# -- workers ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_workers_write_what_one_writes(tmp_path: Path) -> None:
    folder = make_releases(tmp_path / "in", 40)
    (folder / "empty.txt").write_bytes(b"")
    shutil.copy(SAMPLES / "archive.jsonl", folder / "archive.jsonl")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert batch(str(folder), "-o", str(one), "--workers", "1")[0] == 1
    assert batch(str(folder), "-o", str(two), "--workers", "2")[0] == 1
    assert two.read_bytes() == one.read_bytes()
    assert Counter(r["error"] is None for r in lines_of(one)) == {True: 44, False: 1}


def test_batch_writes_what_summarize_writes(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert batch(str(SAMPLES), "-o", str(out), "--workers", "1")[0] == 0
    stdout = run_cli(["-q", "summarize", str(SAMPLES), "--no-translate"]).stdout
    assert out.read_text(encoding="utf-8") == stdout


@pytest.mark.slow
def test_workers_each_load_the_translator_and_write_what_one_writes(tmp_path: Path, tiny_marian_dir: Path) -> None:
    folder = make_releases(tmp_path / "in", 6)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    for out, workers in ((one, "1"), (two, "2")):
        result = run_cli(["-q", "batch", str(folder), "-o", str(out), "--workers", workers, "--translator",
                          str(tiny_marian_dir), "--device", "cpu"])
        assert result.exit_code == 0, result.stderr
    records = lines_of(one)
    assert all(r["translation"]["en"] and r["translation"]["model"] for r in records)
    assert two.read_bytes() == one.read_bytes()

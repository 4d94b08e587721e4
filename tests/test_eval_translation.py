"""`ringkas eval translation`: chrF and BLEU of a translator on a parallel pair, end to end with the tiny Marian."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from ringkas.errors import UsageError
from ringkas.eval.translation import read_parallel, score

SOURCES = ["Bupati Blitar menghadiri rapat koordinasi daerah di Kota Batu.",
           "",
           "Polisi menangkap dua orang tersangka pencurian sepeda motor di pasar kota."]
REFERENCES = ["The Regent of Blitar attended a regional coordination meeting in Batu.",
              "",
              "Police arrested two suspects of motorcycle theft at the city market."]


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path, "src.ind", SOURCES), _write(tmp_path, "ref.eng", REFERENCES)


@pytest.mark.parametrize("src, ref, message", [
    (["a", "b"], ["a"], "has 2 lines but .* has 1"),
    ([], [], "no lines"),
])
def test_read_parallel_rejects_files_that_do_not_align(tmp_path, src, ref, message):
    with pytest.raises(UsageError, match=message):
        read_parallel(_write(tmp_path, "s", src) if src else _empty(tmp_path, "s"),
                      _write(tmp_path, "r", ref) if ref else _empty(tmp_path, "r"))


def _empty(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(b"")
    return path


def test_read_parallel_limit(pair):
    assert read_parallel(*pair, limit=1) == (SOURCES[:1], REFERENCES[:1])


@pytest.mark.parametrize("hypotheses, perfect", [
    (REFERENCES, True),
    (["Something else entirely.", "", "Nothing alike here."], False),
])
def test_score(hypotheses, perfect):
    scores = score(hypotheses, REFERENCES, "m@1")
    assert (scores.chrf == pytest.approx(100.0) and scores.bleu == pytest.approx(100.0)) is perfect
    assert scores.n == 3 and scores.chrf_signature.startswith("nrefs:1")


def test_eval_translation_with_a_model(pair, tiny_marian_dir):
    result = run_cli(["eval", "translation", *map(str, pair), "--translator", str(tiny_marian_dir), "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["segments"] == 3
    assert report["model"].startswith(f"{tiny_marian_dir.name}@local")
    assert 0 <= report["chrf"] <= 100 and 0 <= report["bleu"] <= 100

    table = run_cli(["eval", "translation", *map(str, pair), "--translator", str(tiny_marian_dir), "--limit", "1"])
    assert table.exit_code == 0, table.stderr
    assert [line.split()[0] for line in table.stdout.splitlines()] == ["model", "segments", "chrF", "BLEU"]
    assert table.stdout.splitlines()[1].split() == ["segments", "1"]


def test_eval_translation_without_a_translator(pair, tmp_path, monkeypatch):
    monkeypatch.setenv("RINGKAS_MODELS", str(tmp_path / "empty-store"))
    result = run_cli(["eval", "translation", *map(str, pair)])
    assert result.exit_code == 2
    assert "no translator is installed: run `ringkas models pull opus-mt-id-en`" in result.stderr


def test_eval_translation_of_files_that_do_not_align(tmp_path, tiny_marian_dir):
    src, ref = _write(tmp_path, "s", SOURCES), _write(tmp_path, "r", REFERENCES[:2])
    result = run_cli(["eval", "translation", str(src), str(ref), "--translator", str(tiny_marian_dir)])
    assert result.exit_code == 2
    assert "they must align line by line" in result.stderr

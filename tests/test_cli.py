"""End to end through the CLI (in-process, with injected streams) and the Python API."""

import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import ringkas
from ringkas.errors import UsageError
from ringkas.cli.main import Env, main
from ringkas.run.record import load_schema

VALIDATOR = jsonschema.Draft202012Validator(load_schema())
SAMPLES = sorted(str(p) for p in Path("samples").iterdir() if p.suffix in (".txt", ".html", ".jsonl"))


def run(argv, stdin=b""):
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, Env(stdin=io.BytesIO(stdin), stdout=out, stderr=err))
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    return status, records, err.getvalue()


def check(record):
    VALIDATOR.validate(record)
    if record["error"] is None:
        text = record["text"]
        for s, e in record["paragraphs"] + record["summary"]["sentences"]:
            assert 0 <= s < e <= len(text)
        for q in record["quotes"]:
            assert text[q["start"]:q["end"]] == q["text"]
            if q["speaker"] and q["speaker"]["person"] is not None:
                assert q["speaker"]["person"] < len(record["people"])
        for p in record["people"]:
            for m in p["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
    return record


def test_every_sample_gives_valid_records():
    status, records, err = run(["summarize", "--no-translate", *SAMPLES])
    assert status == 0, err
    assert len(records) == len(SAMPLES) - 1 + 4  # archive.jsonl holds four releases
    for record in records:
        check(record)
        assert record["error"] is None and record["lang"] == "id"
        assert record["summary"]["id"] and record["translation"]["en"] is None


@pytest.mark.parametrize(
    "sample, fields",
    [
        ("samples/kabupaten-tulungagung-posyandu.txt",
         {"dateline": "Tulungagung", "outlet": None, "date": "2022-03-08", "date_text": "Selasa (8/3/2022)",
          "byline": "adv/tra"}),
        ("samples/polres-mukomuko-curanmor.txt",
         {"dateline": "Mukomuko", "outlet": "JAPOS.CO", "date": None, "date_text": "Kamis, (03/10)",
          "byline": "Rahmat Hidayat"}),
        ("samples/pt-nusantara-energi-peluncuran.txt",
         {"dateline": "Jakarta", "date": "2023-06-06", "byline": "Dimas Arya Nugraha"}),
        ("samples/universitas-brawijaya-beasiswa.txt",
         {"dateline": "Malang", "outlet": "KOMPAS", "date": "2022-12-12", "byline": "A. Baron"}),
        ("samples/pemprov-kalteng-banjir.html", {"dateline": "Palangka Raya", "date": "2022-12-24"}),
        ("samples/legacy-cp1252.txt", {"dateline": "Bandung", "date": "2023-10-14", "byline": "rls/ika"}),
    ],
)
def test_metadata_of_samples(sample, fields):
    _, (record,), _ = run(["summarize", "--no-translate", sample])
    assert {k: record[k] for k in fields} == fields
    for phrase in ("Scroll Untuk", "Baca juga", "BACA JUGA", "Advertisement", "Views:", "Sebarkan"):
        assert phrase not in record["text"]


def test_date_hint_gives_the_year():
    _, (record,), _ = run(["summarize", "--no-translate", "--date", "2024-10-05", "samples/polres-mukomuko-curanmor.txt"])
    assert record["date"] == "2024-10-03"


def test_no_year_without_hint_warns():
    _, (record,), err = run(["summarize", "--no-translate", "samples/polres-mukomuko-curanmor.txt"])
    assert any("no year" in w for w in record["warnings"]) and "no year" in err


def test_jsonl_date_gives_the_year_and_ids_are_kept():
    _, records, _ = run(["summarize", "--no-translate", "samples/archive.jsonl"])
    assert [r["source"] for r in records] == [f"samples/archive.jsonl:{i}" for i in range(1, 5)]
    assert all(r["id"] for r in records)
    assert records[3]["date"] == "2023-02-15"


def test_bad_inputs_become_error_records_and_exit_1(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (tmp_path / "big.txt").write_text("Bupati hadir. " * 1000)
    good = "samples/kabupaten-tulungagung-posyandu.txt"
    args = ["summarize", "--no-translate", "--max-bytes", "5k", str(tmp_path / "empty.txt"), good,
            str(tmp_path / "binary.txt"), str(tmp_path / "missing.txt"), str(tmp_path / "big.txt")]
    status, records, err = run(args)
    assert status == 1
    assert [r["error"] and r["error"]["type"] for r in records] == ["empty", None, "binary", "unreadable", "too_large"]
    for r in records:
        check(r)
        assert r["id"] and r["source"]
    assert "Traceback" not in err


def test_stdin_text_and_jsonl():
    text = Path("samples/kabupaten-tulungagung-posyandu.txt").read_bytes()
    status, (record,), _ = run(["summarize", "--no-translate"], stdin=text)
    assert status == 0 and record["source"] == "-" and record["dateline"] == "Tulungagung"
    lines = b'{"id": "x1", "text": "Blitar \xe2\x80\x93 Bupati hadir di pasar."}\nnot json\n'
    status, records, _ = run(["summarize", "--no-translate", "-"], stdin=lines)
    assert status == 1 and records[0]["id"] == "x1" and records[1]["error"]["type"] == "bad_jsonl"


def test_not_indonesian_is_processed_with_a_warning():
    english = b"London - The mayor opened a new park in the city centre on Monday, saying residents had waited years."
    status, (record,), _ = run(["summarize", "--no-translate"], stdin=english)
    assert status == 0 and record["lang"] == "en"
    assert any("not Indonesian" in w for w in record["warnings"])


def test_unbalanced_quotes_do_not_crash():
    text = "Blitar – “Kami siap membantu warga, kata Bupati Rini di pendopo.\n\nIa lalu pergi.".encode()
    status, (record,), _ = run(["summarize", "--no-translate"], stdin=text)
    assert status == 0 and record["error"] is None
    check(record)


def test_output_file_is_written_whole(tmp_path):
    out = tmp_path / "out.jsonl"
    status, records, _ = run(["summarize", "--no-translate", "-o", str(out), "samples/archive.jsonl"])
    assert status == 0 and records == []
    assert len(out.read_text().splitlines()) == 4
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # no temporary file left


def test_translation_warning_names_the_pull_command(monkeypatch, tmp_path):
    monkeypatch.setenv("RINGKAS_MODELS", str(tmp_path))
    status, (record,), _ = run(["summarize", "samples/kabupaten-tulungagung-posyandu.txt"])
    assert status == 0 and record["translation"]["en"] is None
    assert any("ringkas models pull opus-mt-id-en" in w for w in record["warnings"])


def test_translate_without_translator_is_a_usage_error(monkeypatch, tmp_path):
    monkeypatch.setenv("RINGKAS_MODELS", str(tmp_path))
    status, records, err = run(["translate", "samples/kabupaten-tulungagung-posyandu.txt"])
    assert status == 2 and records == [] and "ringkas models pull" in err


@pytest.mark.parametrize("argv", [["summarize", "--sentences", "0", "x.txt"], ["summarize", "--date", "24/12/2022", "x"],
                                  ["nonsense"], []])
def test_usage_errors_exit_2(argv):
    assert run(argv)[0] == 2


def test_version_and_help():
    assert run(["--version"])[0] == 0
    out = subprocess.run([sys.executable, "-m", "ringkas", "summarize", "--help"], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and "examples:" in out.stdout


def test_python_api():
    text = Path("samples/universitas-brawijaya-beasiswa.txt").read_text()
    record = check(ringkas.process(text, translate=False, sentences=2))
    assert record["dateline"] == "Malang" and len(record["summary"]["sentences"]) == 2
    assert ringkas.process(text, translate=False)["id"] == record["id"]  # stable ids
    records = list(ringkas.process_many([text, {"text": text, "id": "u1"}, {"nope": 1}], translate=False))
    assert [r["id"] for r in records][1] == "u1" and records[2]["error"]["type"] == "bad_input"
    with pytest.raises(UsageError):
        ringkas.process(text, colour="red")


def test_model_free_path_never_imports_torch():
    code = ("import sys, ringkas; ringkas.process(open('samples/pt-nusantara-energi-peluncuran.txt').read()); "
            "bad = [m for m in ('torch', 'transformers', 'ctranslate2', 'ray') if m in sys.modules]; "
            "assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                            env={"RINGKAS_MODELS": "/nonexistent", "PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr


def test_no_input_on_a_terminal_is_a_usage_error():
    class Terminal(io.BytesIO):
        def isatty(self):
            return True

    err = io.StringIO()
    assert main(["summarize"], Env(stdin=Terminal(), stdout=io.StringIO(), stderr=err)) == 2
    assert "no input" in err.getvalue()


@pytest.mark.parametrize("argv", [["-q", "summarize", "--no-translate"], ["summarize", "-q", "--no-translate"]])
def test_quiet_before_or_after_the_command(argv):
    status, _, err = run([*argv, "samples/polres-mukomuko-curanmor.txt"])
    assert status == 0 and err == ""

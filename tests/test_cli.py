"""End to end through the CLI (in-process through Click's CliRunner, and a few real processes)
and the Python API."""

import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import run_cli

import ringkas
from ringkas.errors import UsageError
from ringkas.run.record import load_schema

VALIDATOR = jsonschema.Draft202012Validator(load_schema())
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(str(p) for p in Path("samples").iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
RINGKAS = str(Path(sys.executable).parent / "ringkas")
MODEL_FREE_ENV = {**os.environ, "RINGKAS_MODELS": "/nonexistent"}


def run(argv, stdin=b""):
    result = run_cli(argv, input=stdin)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, records, result.stderr


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


def test_no_command_shows_the_help_on_stderr():
    result = run_cli([])
    assert result.exit_code == 2 and result.stdout == ""
    assert "Commands:" in result.stderr and "summarize" in result.stderr


def test_version_and_help():
    result = run_cli(["--version"])
    assert result.exit_code == 0 and result.stdout == "ringkas 0.1.0\n"
    result = run_cli(["--help"])
    assert result.exit_code == 0 and result.stderr == ""
    commands = result.stdout.split("Commands:")[1].split("\n\n")[0]
    assert re.findall(r"^  (\S+)", commands, flags=re.MULTILINE) == [
        "summarize", "translate", "batch", "render", "models", "cache", "eval"]


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


# Imported only by other commands or inputs: a one-document run must not pay for them.
NOT_FOR_ONE_TEXT = ("torch", "transformers", "ctranslate2", "ray", "jinja2", "tqdm", "trafilatura",
                    "charset_normalizer", "argparse", "pkg_resources", "importlib.metadata", "click.testing",
                    "click.shell_completion", "ringkas.cli.batch", "ringkas.cli.models", "ringkas.cli.review",
                    "ringkas.cli.evaluate", "ringkas.review", "ringkas.io.destination", "tempfile", "signal")


def test_a_one_document_run_imports_only_what_it_needs():
    code = ("import sys\n"
            "from ringkas.cli import main\n"
            "try:\n"
            "    main(['summarize', '--no-translate', 'samples/kabupaten-tulungagung-posyandu.txt'])\n"
            "except SystemExit as exc:\n"
            "    assert exc.code == 0, exc.code\n"
            f"print(sorted(set({NOT_FOR_ONE_TEXT!r}) & set(sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                            env=MODEL_FREE_ENV, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


class Terminal(io.BytesIO):
    """A stdin that says it is a terminal (nobody is piping anything in)."""

    def isatty(self):
        return True


@pytest.mark.parametrize("argv, stdin, status", [
    (["summarize", "--no-translate"], Terminal(), 2),  # would wait for typing forever
    (["translate"], Terminal(), 2),
    (["summarize", "--no-translate", "-"], Terminal(b"Blitar - Bupati hadir."), 0),  # `-` asks for stdin
    (["summarize", "--no-translate"], io.BytesIO(b"Blitar - Bupati hadir."), 0),  # a pipe
])
def test_no_input_on_a_terminal_is_a_usage_error(argv, stdin, status):
    result = run_cli(argv, input=stdin)
    assert result.exit_code == status
    assert ("ringkas: error: no input: give .txt, .html or .jsonl files" in result.stderr) == (status == 2)


@pytest.mark.parametrize("argv, quiet", [
    (["-q", "summarize", "--no-translate"], True),
    (["summarize", "-q", "--no-translate"], True),
    (["summarize", "--no-translate", "--quiet"], True),
    (["summarize", "--no-translate"], False),
])
def test_quiet_before_or_after_the_command(argv, quiet):
    status, (record,), err = run([*argv, "samples/polres-mukomuko-curanmor.txt"])
    assert status == 0 and record["warnings"]
    assert (err == "") == quiet


def test_quiet_keeps_errors(tmp_path):
    status, (record,), err = run(["-q", "summarize", "--no-translate", str(tmp_path / "missing.txt")])
    assert status == 1 and record["error"]["type"] == "unreadable"
    assert err.startswith(f"ringkas: {tmp_path / 'missing.txt'}: error: ")


# -- the error policy: one line on stderr, a documented exit status -------------------------------


@pytest.mark.parametrize("argv, status, stderr_start", [
    (["summarize", "--colour", "red"], 2, "Usage: ringkas summarize [OPTIONS] [INPUT]...\n"),
    (["--nope"], 2, "Usage: ringkas [OPTIONS] COMMAND [ARGS]...\n"),
    (["nonsense"], 2, "Usage: ringkas [OPTIONS] COMMAND [ARGS]...\n"),
    (["summarize", "--sentences", "0", "x.txt"], 2, "Usage: ringkas summarize"),
    (["summarize", "--max-bytes", "2Q", "x.txt"], 2, "Usage: ringkas summarize"),
    (["summarize", "--device", "tpu", "x.txt"], 2, "Usage: ringkas summarize"),
    (["eval", "pfsa"], 2, "Usage: ringkas eval pfsa [OPTIONS] PATH\n"),
    (["eval", "pfsa", "no/such/file.txt"], 2, "Usage: ringkas eval pfsa [OPTIONS] PATH\n"),
    (["eval", "pfsa", "samples"], 2, "Usage: ringkas eval pfsa [OPTIONS] PATH\n"),  # a folder
    (["models"], 2, "Usage: ringkas models [OPTIONS] COMMAND [ARGS]...\n"),
    (["translate", "--no-translate", "x.txt"], 2, "Usage: ringkas translate"),
    # ringkas's own usage errors are one line, without Click's usage banner
    (["summarize", "--date", "24/12/2022", "x.txt"], 2, "ringkas: error: --date must be YYYY-MM-DD, got '24/12/2022'\n"),
])
def test_usage_errors_exit_2_with_nothing_on_stdout(argv, status, stderr_start):
    result = run_cli(argv)
    assert result.exit_code == status
    assert result.stdout == ""
    assert result.stderr.startswith(stderr_start)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("argv, message", [
    (["summarize", "--colour", "red"], "Error: No such option '--colour'."),
    (["eval", "pfsa"], "Error: Missing argument 'PATH'."),
    (["eval", "pfsa", "no/such/file.txt"], "'no/such/file.txt' does not exist."),
])
def test_click_usage_errors_say_what_is_wrong(argv, message):
    assert message in run_cli(argv).stderr


def _explode(self, sources):
    raise RuntimeError("boom")


def test_an_internal_error_is_one_line_and_exit_1(monkeypatch):
    monkeypatch.setattr("ringkas.run.pipeline.Pipeline.run", _explode)
    result = run_cli(["summarize", "--no-translate", "samples/polres-mukomuko-curanmor.txt"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "ringkas: internal error: RuntimeError: boom (run with --debug for the traceback)\n"


@pytest.mark.parametrize("argv, env", [(["--debug"], None), ([], {"RINGKAS_DEBUG": "1"})])
def test_debug_lets_an_internal_error_through(monkeypatch, argv, env):
    monkeypatch.setattr("ringkas.run.pipeline.Pipeline.run", _explode)
    with pytest.raises(RuntimeError, match="^boom$"):
        run_cli([*argv, "summarize", "--no-translate", "samples/polres-mukomuko-curanmor.txt"], env=env)


def test_debug_does_not_change_usage_errors():
    result = run_cli(["--debug", "summarize", "--date", "soon", "x.txt"])
    assert result.exit_code == 2 and result.stderr == "ringkas: error: --date must be YYYY-MM-DD, got 'soon'\n"


def test_debug_prints_the_traceback_in_a_real_process():
    code = ("import ringkas.run.pipeline as p\n"
            "def boom(self, sources): raise RuntimeError('boom')\n"
            "p.Pipeline.run = boom\n"
            "from ringkas.cli import main\n"
            "main(['{flag}summarize', '--no-translate', 'samples/polres-mukomuko-curanmor.txt'])\n")
    plain, debug = (subprocess.run([sys.executable, "-c", code.format(flag=flag)], capture_output=True, text=True,
                                   check=False, env=MODEL_FREE_ENV, cwd=ROOT) for flag in ("", "--debug', '"))
    assert plain.returncode == 1 and "Traceback" not in plain.stderr and "internal error: RuntimeError" in plain.stderr
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.rstrip().endswith("RuntimeError: boom")


# -- help and completion --------------------------------------------------------------------------


HELP_PAGES = [[], ["summarize"], ["translate"], ["batch"], ["render"], ["models"], ["models", "list"],
              ["models", "pull"], ["models", "verify"], ["models", "convert"], ["eval"], ["eval", "pfsa"]]


@pytest.mark.parametrize("command", HELP_PAGES, ids=lambda c: " ".join(c) or "ringkas")
def test_every_help_page_has_examples(command):
    result = run_cli([*command, "--help"])
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    examples = lines.index("  Examples:")
    shown = [line.strip() for line in lines[examples + 1:] if line.startswith("    ")]
    assert any(("ringkas " + " ".join(command)).strip() in line for line in shown), shown


def test_short_help_flag():
    assert run_cli(["summarize", "-h"]).stdout == run_cli(["summarize", "--help"]).stdout


@pytest.mark.parametrize("shell, marker", [
    ("bash", "complete -o nosort -F _ringkas_completion ringkas"),
    ("zsh", "#compdef ringkas"),
    ("fish", "complete --no-files --command ringkas"),
])
def test_completion_script(shell, marker):
    result = run_cli([], env={"_RINGKAS_COMPLETE": f"{shell}_source"})
    assert result.exit_code == 0 and marker in result.stdout


@pytest.mark.parametrize("words, cword, expected", [
    ("ringkas su", "1", ["summarize"]),
    ("ringkas models ", "2", ["convert", "list", "pull", "verify"]),
    ("ringkas summarize --dev", "2", ["--device"]),
    ("ringkas zz", "1", []),
])
def test_completion_answers(words, cword, expected):
    result = run_cli([], env={"_RINGKAS_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword})
    assert result.exit_code == 0
    assert [line.split(",", 1)[1] for line in result.stdout.splitlines() if line] == expected


def test_completion_script_in_a_real_process():
    result = subprocess.run([RINGKAS], capture_output=True, text=True, check=False,
                            env={**MODEL_FREE_ENV, "_RINGKAS_COMPLETE": "bash_source"})
    assert result.returncode == 0 and "_ringkas_completion()" in result.stdout


# -- real processes: exit statuses, stdin, signals, pipes -----------------------------------------


@pytest.mark.parametrize("argv, status", [
    (["summarize", "--no-translate", "samples/polres-mukomuko-curanmor.txt"], 0),
    (["summarize", "--no-translate", "samples/polres-mukomuko-curanmor.txt", "no/such.txt"], 1),
    (["summarize", "--sentences", "0"], 2),
    (["summarize", "--date", "never", "x.txt"], 2),
    ([], 2),
])
def test_exit_status_of_the_process(argv, status):
    result = subprocess.run([RINGKAS, *argv], capture_output=True, check=False, env=MODEL_FREE_ENV, cwd=ROOT)
    assert result.returncode == status
    assert b"Traceback" not in result.stderr


def test_python_m_ringkas_version():
    result = subprocess.run([sys.executable, "-m", "ringkas", "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout == "ringkas 0.1.0\n"


def test_stdin_pipe_in_a_real_process():
    text = (ROOT / "samples/kabupaten-tulungagung-posyandu.txt").read_bytes()
    result = subprocess.run([RINGKAS, "-q", "summarize", "--no-translate"], input=text, capture_output=True,
                            check=False, env=MODEL_FREE_ENV)
    assert result.returncode == 0 and result.stderr == b""
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["source"] == "-" and record["dateline"] == "Tulungagung"


def test_sigint_exits_130_with_one_line():
    proc = subprocess.Popen([RINGKAS, "-q", "summarize", "--no-translate", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=MODEL_FREE_ENV)
    proc.stdin.write(b'{"id": "a", "text": "Blitar - Bupati hadir di pasar."}\n')
    proc.stdin.flush()
    assert json.loads(proc.stdout.readline())["id"] == "a"  # running, now waiting for the next line
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == b"ringkas: interrupted\n"


def test_a_closed_pipe_is_not_an_error():
    # Far more output than a pipe buffers, so ringkas is still writing when the reader goes away.
    inputs = [str(ROOT / "samples/kabupaten-tulungagung-posyandu.txt")] * 60
    proc = subprocess.Popen([RINGKAS, "-q", "summarize", "--no-translate", *inputs], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=MODEL_FREE_ENV)
    assert json.loads(proc.stdout.readline())["dateline"] == "Tulungagung"
    proc.stdout.close()  # what `| head -n 1` does
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert err == b""


def test_a_closed_pipe_through_head():
    script = f"'{RINGKAS}' -q summarize --no-translate {' '.join(['samples/archive.jsonl'] * 40)} | head -n 2"
    result = subprocess.run(["bash", "-c", script + "; exit ${PIPESTATUS[0]}"], capture_output=True, check=False,
                            env=MODEL_FREE_ENV, cwd=ROOT)
    assert result.returncode == 0 and result.stderr == b""
    assert len(result.stdout.splitlines()) == 2

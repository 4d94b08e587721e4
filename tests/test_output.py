"""Where records go: ``-o`` onto files, symlinks, FIFOs, devices and folders; the output's mode;
closed standard streams; SIGTERM; and a batch whose output lies among its inputs. The cases a
shell line hits run as real processes."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli

from ringkas.errors import UsageError
from ringkas.io.destination import output_target
from ringkas.io.writer import RecordWriter
from ringkas.run.output import LineAppender, check_output

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = str(ROOT / "samples/kabupaten-tulungagung-posyandu.txt")
RINGKAS = str(Path(sys.executable).parent / "ringkas")
ENV = {**os.environ, "RINGKAS_MODELS": "/nonexistent"}


def ringkas(*args: str, stdin: int | None = None, pass_fds: tuple[int, ...] = (), shell: str | None = None,
            cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``ringkas ARGS`` (or a shell line naming it as "$R"); its status and streams."""
    if shell is not None:
        return subprocess.run(["bash", "-c", shell], capture_output=True, check=False, env={**ENV, "R": RINGKAS},
                              cwd=cwd, timeout=120)
    return subprocess.run([RINGKAS, *args], capture_output=True, check=False, env=ENV, cwd=cwd, stdin=stdin,
                          timeout=120)


def records_in(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.splitlines()]


@contextlib.contextmanager
def read_only_folder(path: Path) -> Iterator[Path]:
    """A folder nobody may create files in, root included: ``chattr +i`` (immutable) where root can
    set it, mode 0555 for other users; the flag is taken off again, whatever happens."""
    path.mkdir()
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True, check=False).returncode:
        pytest.skip("running as root and chattr +i is not available here: no folder refuses root")
    try:
        yield path
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def make_char_device(path: Path) -> Path:
    """A character device node like /dev/null (1, 3), private to the test: never the system's own."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


# -- where -o writes --------------------------------------------------------------------------------


def make_target(tmp_path: Path, kind: str) -> str:
    """A destination of the named kind under ``tmp_path``."""
    if kind == "new":
        return str(tmp_path / "out.jsonl")
    if kind == "file":
        (tmp_path / "out.jsonl").write_text("old\n")
        (tmp_path / "out.jsonl").chmod(0o640)
        return str(tmp_path / "out.jsonl")
    if kind == "symlink":
        (tmp_path / "real.jsonl").write_text("old\n")
        (tmp_path / "link.jsonl").symlink_to("real.jsonl")
        return str(tmp_path / "link.jsonl")
    if kind == "dangling symlink":
        (tmp_path / "link.jsonl").symlink_to("real.jsonl")
        return str(tmp_path / "link.jsonl")
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe")
        return str(tmp_path / "pipe")
    if kind == "device":
        return str(make_char_device(tmp_path / "null"))
    if kind == "folder":
        return str(tmp_path)
    if kind == "missing folder":
        return str(tmp_path / "no-such-folder" / "out.jsonl")
    return kind  # a path of the system: /dev/stdout, /dev/fd/1


@pytest.mark.parametrize("kind, real, stream, mode, error", [
    ("new", "out.jsonl", False, None, None),
    ("file", "out.jsonl", False, 0o640, None),
    ("symlink", "real.jsonl", False, 0o644, None),  # the link's target is replaced, the link kept
    ("dangling symlink", "real.jsonl", False, None, None),
    ("fifo", None, True, None, None),
    ("device", None, True, None, None),
    ("/dev/stdout", None, True, None, None),
    ("/dev/fd/1", None, True, None, None),
    ("folder", None, None, None, "output is a folder, not a file"),
    ("missing folder", None, None, None, "folder of the output does not exist"),
])
def test_output_target(tmp_path: Path, kind: str, real: str | None, stream: bool | None, mode: int | None,
                       error: str | None) -> None:
    old = os.umask(0o022)
    try:
        path = make_target(tmp_path, kind)
        if error is not None:
            with pytest.raises(UsageError, match=error):
                output_target(path)
            return
        target = output_target(path)
    finally:
        os.umask(old)
    assert target.stream is stream and target.mode == mode
    assert target.real == (str(tmp_path / real) if real else path)


@pytest.mark.parametrize("existing, umask, mode", [
    (None, 0o022, 0o644),  # a new file gets the umask's default, as `>` would give it
    (None, 0o077, 0o600),
    (None, 0o002, 0o664),
    (0o644, 0o077, 0o644),  # a replaced file keeps its mode, whatever the umask
    (0o600, 0o022, 0o600),
    (0o640, 0o022, 0o640),
])
def test_output_mode(tmp_path: Path, existing: int | None, umask: int, mode: int) -> None:
    path = tmp_path / "out.jsonl"
    if existing is not None:
        path.write_text("old\n")
        path.chmod(existing)
    old = os.umask(umask)
    try:
        with RecordWriter(str(path), None) as out:
            out.write({"id": "a", "error": None})
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert path.read_text() == '{"id":"a","error":null}\n'


def test_render_keeps_the_mode_of_the_page(tmp_path: Path) -> None:
    records = tmp_path / "r.jsonl"
    records.write_text('{"id": "a", "text": "Blitar - Bupati hadir."}\n')
    page = tmp_path / "review.html"
    page.write_text("old")
    page.chmod(0o600)
    assert run_cli(["-q", "render", str(records), "-o", str(page)]).exit_code == 0
    assert stat.S_IMODE(page.stat().st_mode) == 0o600 and page.read_text().startswith("<!doctype html>")


@pytest.mark.parametrize("command", [
    ["summarize", "--no-translate", SAMPLE],
    ["render", str(ROOT / "samples/archive.jsonl")],
    ["batch", SAMPLE, "--no-translate"],
])
def test_a_symlink_is_followed_and_kept_in_a_real_process(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "real.out").write_text("")
    if command[0] != "batch":
        (tmp_path / "real.out").write_text("old\n")
    (tmp_path / "link.out").symlink_to("real.out")
    result = ringkas("-q", *command, "-o", str(tmp_path / "link.out"),
                     *(["--resume"] if command[0] == "batch" else []))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.out").is_symlink() and os.readlink(tmp_path / "link.out") == "real.out"
    written = (tmp_path / "real.out").read_text()
    assert written.startswith("<!doctype html>") if command[0] == "render" else records_in(written.encode())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.out", "real.out"]  # no temporary file left


@pytest.mark.parametrize("command", [
    ["summarize", "--no-translate", SAMPLE],
    ["batch", SAMPLE, "--no-translate"],
])
def test_a_fifo_is_written_through_in_a_real_process(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))  # open blocks until ringkas opens it
    reader.start()
    result = ringkas("-q", *command, "-o", str(fifo))
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert [r["dateline"] for r in records_in(got[0])] == ["Tulungagung"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a FIFO, not replaced by a file
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


@pytest.mark.parametrize("command", [
    ["summarize", "--no-translate", SAMPLE],
    ["render", str(ROOT / "samples/archive.jsonl")],
    ["batch", SAMPLE, "--no-translate"],
])
def test_a_device_is_written_through_in_a_real_process(tmp_path: Path, command: list[str]) -> None:
    device = make_char_device(tmp_path / "null")
    result = ringkas("-q", *command, "-o", str(device))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)  # root would otherwise have replaced the node with a file
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_dev_stdout_is_written_through_in_a_real_process(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = ringkas(shell=f'"$R" -q summarize --no-translate {SAMPLE} -o /dev/stdout > {out}')
    assert result.returncode == 0, result.stderr
    assert [r["dateline"] for r in records_in(out.read_bytes())] == ["Tulungagung"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
    piped = ringkas(shell=f'"$R" -q summarize --no-translate {SAMPLE} -o /dev/stdout | cat')
    assert piped.returncode == 0 and [r["dateline"] for r in records_in(piped.stdout)] == ["Tulungagung"]


# -- destinations that cannot be written: checked before any document ------------------------------


@pytest.mark.parametrize("command", [
    ["summarize", "--no-translate", "-"],  # stdin stays open: a check after processing would hang
    ["render", "-"],
    ["batch", SAMPLE, "--no-translate"],
])
@pytest.mark.parametrize("where, message", [
    ("missing", "folder of the output does not exist"),
    ("folder", "output is a folder, not a file"),
    ("read-only", "cannot write"),
])
def test_an_output_that_cannot_be_written_exits_2_before_any_work(tmp_path: Path, command: list[str], where: str,
                                                                   message: str) -> None:
    with contextlib.ExitStack() as stack:
        if where == "missing":
            out = tmp_path / "no-such-folder" / "out.jsonl"
        elif where == "folder":
            out = tmp_path / "existing"
            out.mkdir()
        else:
            out = stack.enter_context(read_only_folder(tmp_path / "locked")) / "out.jsonl"
        # a pipe nobody writes to or closes: a run that read its input first would wait for ever
        read_end, write_end = os.pipe()
        try:
            result = ringkas(*command, "-o", str(out), stdin=read_end)
        finally:
            os.close(read_end)
            os.close(write_end)
        lines = result.stderr.decode().splitlines()
        assert result.returncode == 2, result.stderr
        assert len(lines) == 1 and lines[0].startswith("ringkas: error: ") and message in lines[0]
        assert result.stdout == b""
        left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert left == {"missing": [], "folder": ["existing"], "read-only": ["locked"]}[where]


def test_a_file_system_that_refuses_writes_is_a_usage_error() -> None:
    # /sys refuses new files to everyone, root included: the other read-only folder root cannot write
    if not os.path.isdir("/sys/kernel"):
        pytest.skip("no /sys here")
    result = ringkas("summarize", "--no-translate", SAMPLE, "-o", "/sys/kernel/ringkas-out.jsonl")
    assert result.returncode == 2
    assert result.stderr.decode().startswith("ringkas: error: cannot write /sys/kernel/ringkas-out.jsonl")


# -- closed standard streams ------------------------------------------------------------------------


@pytest.mark.parametrize("line, status, stderr, records", [
    ('"$R" summarize --no-translate {sample} >&-', 2, "ringkas: error: stdout is closed", 0),
    ('"$R" -q summarize --no-translate {sample} -o {out} >&-', 0, "", 1),  # -o: stdout is not needed
    ('"$R" -q summarize --no-translate {sample} <&-', 0, "", 1),  # files given: stdin is not read
    ('"$R" summarize --no-translate <&-', 2, "ringkas: error: stdin is closed", 0),
    ('"$R" summarize --no-translate - <&-', 2, "ringkas: error: stdin is closed", 0),
    ('"$R" -q summarize --no-translate {sample} -o {out} 2>&-', 0, "", 1),
    ('"$R" render {archive} >&-', 2, "ringkas: error: stdout is closed", 0),
    ('"$R" -q batch {sample} -o {out} --no-translate <&- >&-', 0, "", 1),
])
def test_closed_streams_in_a_real_process(tmp_path: Path, line: str, status: int, stderr: str, records: int) -> None:
    out = tmp_path / "out.jsonl"
    result = ringkas(shell=line.format(sample=SAMPLE, out=out, archive=ROOT / "samples/archive.jsonl"))
    assert result.returncode == status, result.stderr
    assert b"Traceback" not in result.stderr
    assert result.stderr.decode().startswith(stderr) and len(result.stderr.decode().splitlines()) <= 1
    written = out.read_bytes() if "{out}" in line else result.stdout
    assert len(records_in(written)) == records


def test_a_closed_stderr_does_not_land_in_the_output(tmp_path: Path) -> None:
    # the output file would be given fd 2 if ringkas did not hold it: warnings would go into it
    out = tmp_path / "out.jsonl"
    result = ringkas(shell=f'"$R" summarize --no-translate samples/polres-mukomuko-curanmor.txt -o {out} 2>&-')
    assert result.returncode == 0
    (record,) = records_in(out.read_bytes())
    assert record["warnings"]  # warnings there were, and they went nowhere


# -- SIGTERM -----------------------------------------------------------------------------------------


def test_sigterm_during_o_removes_the_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([RINGKAS, "-q", "summarize", "--no-translate", "-", "-o", str(out)],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(b'{"id": "a", "text": "Blitar - Bupati hadir di pasar."}\n')
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not any(p.suffix == ".part" for p in tmp_path.iterdir()):  # writing, now waiting for the next line
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert err == b"ringkas: terminated\n"
    assert list(tmp_path.iterdir()) == []  # no .part file, and no half output


@pytest.mark.slow
def test_sigterm_during_batch_keeps_whole_lines(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = Path(SAMPLE).read_text(encoding="utf-8")
    for i in range(DOCS := 1500):
        (folder / f"rilis-{i:03d}.txt").write_text(text.replace("Tulungagung", f"Tulungagung {i}", 1), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([RINGKAS, "-q", "batch", str(folder), "-o", str(out), "--no-translate", "--workers", "1"],
                            stderr=subprocess.PIPE, env=ENV)
    deadline = time.monotonic() + 60
    while not out.exists() or out.stat().st_size == 0:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and b"ringkas: terminated\n" in err
    data = out.read_bytes()
    assert data.endswith(b"\n") and 0 < len(records_in(data)) < DOCS
    resumed = ringkas("-q", "batch", str(folder), "-o", str(out), "--no-translate", "--resume")
    assert resumed.returncode == 0 and len(records_in(out.read_bytes())) == DOCS


# -- batch: its own output is never an input ---------------------------------------------------------


def test_batch_output_inside_an_input_folder_is_not_read_back(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(Path(SAMPLE).read_text().replace("Tulungagung", name.upper(), 1))
    out = folder / "records.jsonl"
    for _ in range(3):  # 3 -> 3 -> 3, not 3 -> 6 -> 9
        result = run_cli(["-q", "batch", str(folder), "-o", str(out), "--no-translate", "--resume"])
        assert result.exit_code == 0, result.stderr
        assert len(records_in(out.read_bytes())) == 3
    linked = folder / "link.jsonl"
    linked.symlink_to("records.jsonl")  # a second name for the output is still the output
    assert run_cli(["-q", "batch", str(folder), "-o", str(out), "--no-translate", "--resume"]).exit_code == 0
    assert len(records_in(out.read_bytes())) == 3


@pytest.mark.parametrize("command", [["batch", "--no-translate", "--resume"], ["summarize", "--no-translate"]])
def test_the_output_named_as_an_input_is_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "records.jsonl"
    out.write_bytes(b'{"id": "a", "text": "Blitar - Bupati hadir di pasar."}\n')
    before = out.read_bytes()
    result = run_cli([command[0], str(out), "-o", str(out), *command[1:]])
    assert result.exit_code == 2 and "is this run's output" in result.stderr
    assert out.read_bytes() == before


def test_summarize_output_inside_an_input_folder_is_not_read_back(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a.txt")
    out = folder / "records.jsonl"
    for _ in range(2):
        assert run_cli(["-q", "summarize", "--no-translate", str(folder), "-o", str(out)]).exit_code == 0
        assert [r["source"] for r in records_in(out.read_bytes())] == [str(folder / "a.txt")]


@pytest.mark.parametrize("kind, resume, expected", [
    ("fifo", False, False),  # written straight through: nothing to resume, nothing refused
    ("fifo", True, "not a regular file"),
    ("device", False, False),
])
def test_check_output_of_a_stream(tmp_path: Path, kind: str, resume: bool, expected: bool | str) -> None:
    path = make_target(tmp_path, kind)
    if isinstance(expected, str):
        with pytest.raises(UsageError, match=expected):
            check_output(path, resume)
    else:
        assert check_output(path, resume) is expected


def test_line_appender_in_a_read_only_folder_is_a_usage_error(tmp_path: Path) -> None:
    with read_only_folder(tmp_path / "locked") as folder, pytest.raises(UsageError, match="cannot write"):
        LineAppender(str(folder / "out.jsonl"))

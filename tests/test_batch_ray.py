"""`ringkas batch --engine ray` writes what the local engine writes, resume included (one small Ray run)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_cli

pytest.importorskip("ray.data", reason="needs the ray extra: pip install 'ringkas[ray]'")

pytestmark = [pytest.mark.ray, pytest.mark.slow]

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def batch(*args: str) -> tuple[int, str]:
    result = run_cli(["-q", "batch", *args, "--no-translate"])
    return result.exit_code, result.stderr


def test_ray_engine_writes_the_local_records_and_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("*.md"))
    (folder / "empty.txt").write_bytes(b"")
    with (folder / "archive.jsonl").open("ab") as fh:
        fh.write(b'{"id": "rusak", "text": \n')
    local = tmp_path / "local.jsonl"
    assert batch(str(folder), "-o", str(local), "--workers", "1")[0] == 1
    lines = local.read_bytes().splitlines(keepends=True)
    assert len(lines) == 12
    # Start Ray on an output that a crash left with 3 whole records and a torn fourth: Ray must skip
    # those 3, process the other 9 (html, jsonl, cp1252, bad ones) and match the local run byte for byte.
    out = tmp_path / "ray.jsonl"
    out.write_bytes(b"".join(lines[:3]) + lines[3][:40])
    code, err = batch(str(folder), "-o", str(out), "--workers", "2", "--engine", "ray", "--resume")
    assert code == 1, err
    assert "done 9, failed 2, skipped 3" in err
    assert out.read_bytes() == local.read_bytes()

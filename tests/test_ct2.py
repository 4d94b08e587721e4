"""The CTranslate2 backend: conversion, loading, batching, the CLI and the pipeline (tiny models)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

pytest.importorskip("ctranslate2")

from ringkas import tuning
from ringkas.errors import ModelError, UsageError
from ringkas.models.ct2 import CT2_MANIFEST, conversion_dir, convert
from ringkas.models.loader import load_model

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "kabupaten-tulungagung-posyandu.txt"
SENTENCES = [
    "Bupati Blitar menghadiri rapat koordinasi daerah.",
    "Rini juga mengingatkan agar program kerja sejalan dengan pemerintah kabupaten.",
    "Warga berharap jalan segera diperbaiki.",
    "Ya.",
    "Polisi menangkap dua orang tersangka pencurian sepeda motor di pasar kota pada malam hari.",
]


@pytest.fixture(scope="session")
def marian_ct2_dir(tiny_marian_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the tiny Marian model folder holding its int8 CTranslate2 conversion."""
    folder = shutil.copytree(tiny_marian_dir, tmp_path_factory.mktemp("ct2") / "marian")
    convert(folder)
    return folder


@pytest.fixture(scope="session")
def marian_ct2(marian_ct2_dir: Path):
    """The tiny Marian model loaded with the ct2 backend on CPU."""
    return load_model(marian_ct2_dir, device="cpu", backend="ct2")


def _cli(*argv: str) -> tuple[int, str, str]:
    result = run_cli(list(argv))
    return result.exit_code, result.stdout, result.stderr


# -- conversion ------------------------------------------------------------------------------


def test_convert_writes_a_self_contained_folder(marian_ct2_dir: Path) -> None:
    out = conversion_dir(marian_ct2_dir)
    assert out == marian_ct2_dir / "ct2-int8"
    for name in ("model.bin", "config.json", "source.spm", "target.spm", "vocab.json", "tokenizer_config.json"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / CT2_MANIFEST).read_text())
    assert manifest["quantization"] == "int8" and manifest["model_type"] == "marian"
    assert manifest["max_position_embeddings"] == 64


def test_convert_keeps_an_up_to_date_conversion_unless_forced(marian_ct2_dir: Path) -> None:
    weights = conversion_dir(marian_ct2_dir) / "model.bin"
    before = weights.stat().st_mtime_ns
    assert convert(marian_ct2_dir) == weights.parent
    assert weights.stat().st_mtime_ns == before
    convert(marian_ct2_dir, force=True)
    assert weights.stat().st_mtime_ns != before


@pytest.mark.parametrize(
    "how, error, message",
    [
        ("quantization", UsageError, "--quantization must be one of int8, .*, not 'int4'"),
        ("no folder", ModelError, "neither a folder nor a catalog name"),
        ("no weights", ModelError, r"is missing or broken \(no \*\.safetensors weights"),
    ],
)
def test_convert_refuses_what_it_cannot_convert(tmp_path: Path, tiny_marian_dir: Path, how, error, message) -> None:
    folder = shutil.copytree(tiny_marian_dir, tmp_path / "m")
    kwargs = {"quantization": "int4"} if how == "quantization" else {}
    if how == "no folder":
        folder = tmp_path / "absent"
    if how == "no weights":
        (folder / "model.safetensors").unlink()
    with pytest.raises(error, match=message):
        convert(folder, **kwargs)
    assert not list(tmp_path.glob("*/ct2-*")) and not list(tmp_path.glob("*/.ct2-*"))


def test_cli_models_convert(tmp_path: Path, tiny_marian_dir: Path) -> None:
    folder = shutil.copytree(tiny_marian_dir, tmp_path / "m")
    status, out, _ = _cli("models", "convert", str(folder))
    assert status == 0 and out.strip() == str(folder / "ct2-int8")
    status, _, err = _cli("models", "convert", str(folder), "--quantization", "int3")
    assert status == 2 and "--quantization" in err


# -- loading ---------------------------------------------------------------------------------


def test_missing_conversion_names_the_convert_command(tmp_path: Path, tiny_marian_dir: Path) -> None:
    folder = shutil.copytree(tiny_marian_dir, tmp_path / "m")
    with pytest.raises(ModelError, match=f"ringkas models convert {folder}"):
        load_model(folder, device="cpu", backend="ct2")


def test_conversion_of_another_revision_is_refused(tmp_path: Path, marian_ct2_dir: Path) -> None:
    folder = shutil.copytree(marian_ct2_dir, tmp_path / "m")
    manifest = conversion_dir(folder) / CT2_MANIFEST
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "revision": "0123abc"}))
    with pytest.raises(ModelError, match="--force"):
        load_model(folder, device="cpu", backend="ct2")


def test_loaded_settings_are_the_resolved_ones(marian_ct2) -> None:
    # compute types and the rest are tabled in test_models.py::test_resolve_settings
    assert (marian_ct2.settings.compute_type, marian_ct2.device, marian_ct2.max_input_tokens) == ("int8", "cpu", 32)
    assert (marian_ct2.token_budget, marian_ct2.max_batch) == (tuning.CT2_TOKEN_BUDGET_CPU, tuning.CT2_MAX_BATCH_CPU)


def test_nllb_reads_ind_latn_and_writes_eng_latn(tmp_path: Path, tiny_nllb_dir: Path) -> None:
    folder = shutil.copytree(tiny_nllb_dir, tmp_path / "nllb")
    convert(folder)
    model = load_model(folder, device="cpu", backend="ct2")
    tok = model.tokenizer
    encoded = model.encode(["Bupati Blitar."])
    assert encoded[0][0] == tok.convert_tokens_to_ids("ind_Latn")
    out = model._generate_ids(encoded, max_new_tokens=3, min_new_tokens=None)
    assert out[0][0] == tok.convert_tokens_to_ids("eng_Latn")


def test_ct2_backend_never_imports_torch(marian_ct2_dir: Path) -> None:
    code = (
        "import sys; from ringkas.models.loader import load_model; "
        f"m = load_model({str(marian_ct2_dir)!r}, device='cpu', backend='ct2'); "
        "assert m.generate(['Warga berharap jalan segera diperbaiki.'])[0]; "
        "assert 'torch' not in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# -- generation ------------------------------------------------------------------------------


def test_batched_equals_unbatched(marian_ct2) -> None:
    batched = marian_ct2.generate(SENTENCES)
    alone = [marian_ct2.generate([s])[0] for s in SENTENCES]
    assert batched == alone
    assert len(set(batched)) > 1  # the outputs depend on the input, so the comparison means something


def test_small_token_budget_changes_batches_not_outputs(marian_ct2) -> None:
    expected = marian_ct2.generate(SENTENCES)
    budget, marian_ct2.token_budget = marian_ct2.token_budget, 40
    try:
        assert marian_ct2.generate(SENTENCES) == expected
    finally:
        marian_ct2.token_budget = budget


@pytest.mark.parametrize("new_tokens", [1, 5, 12])
def test_fixed_output_length(marian_ct2, new_tokens: int) -> None:
    ids = marian_ct2._generate_ids(marian_ct2.encode(SENTENCES), max_new_tokens=new_tokens,
                                   min_new_tokens=new_tokens)
    assert [len(row) for row in ids] == [new_tokens] * len(SENTENCES)


def test_keeps_order_and_handles_empty(marian_ct2) -> None:
    assert marian_ct2.generate([]) == []
    assert marian_ct2.generate(SENTENCES[::-1]) == marian_ct2.generate(SENTENCES)[::-1]


# -- through the command line ----------------------------------------------------------------


def test_cli_translate_with_ct2_gives_a_complete_record(marian_ct2_dir: Path) -> None:
    status, out, err = _cli("translate", str(SAMPLE), "--translator", str(marian_ct2_dir),
                            "--backend", "ct2", "--device", "cpu")
    assert status == 0, err
    record = json.loads(out)
    tr = record["translation"]
    assert record["error"] is None and tr["en"]
    assert len(tr["paragraphs"]) == len(record["paragraphs"]) and all(tr["paragraphs"])
    assert tr["model"] == record["models"]["translation"] == "marian@local+ct2-int8_float32 greedy"
    assert record["summary"]["en"]


def test_cli_translate_ct2_without_conversion_exits_2(tmp_path: Path, tiny_marian_dir: Path) -> None:
    folder = shutil.copytree(tiny_marian_dir, tmp_path / "m")
    status, out, err = _cli("translate", str(SAMPLE), "--translator", str(folder), "--backend", "ct2")
    assert status == 2 and not out and "ringkas models convert" in err


def test_batch_runner_accepts_ct2(tmp_path: Path, marian_ct2_dir: Path) -> None:
    output = tmp_path / "records.jsonl"
    status, _, err = _cli("batch", str(SAMPLE), "-o", str(output), "--workers", "1",
                          "--translator", str(marian_ct2_dir), "--backend", "ct2", "--device", "cpu")
    assert status == 0, err
    records = [json.loads(line) for line in output.read_text().splitlines()]
    assert len(records) == 1 and records[0]["translation"]["en"]

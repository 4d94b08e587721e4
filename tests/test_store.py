"""The model store's location and the cheap "holds any model" check (ringkas.models.store)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ringkas.models import catalog, store


@pytest.mark.parametrize("layout, holds", [
    ({}, False),
    ({"catalog.toml": "", "README.md": ""}, False),  # the checkout's models/ with nothing pulled
    ({"opus-mt-id-en/README.md": ""}, False),  # a folder that is not a model
    ({"config.json": "{}"}, False),  # a config at the top is not a model folder
    ({"opus-mt-id-en/config.json": "{}"}, True),
    ({"catalog.toml": "", "my-t5/config.json": "{}", "notes/x.txt": ""}, True),
])
def test_holds_models(tmp_path, monkeypatch, layout, holds):
    for name, text in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.setenv("RINGKAS_MODELS", str(tmp_path))
    assert store.holds_models() is holds


def test_a_missing_store_holds_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("RINGKAS_MODELS", str(tmp_path / "absent"))
    assert store.holds_models() is False


def test_the_catalog_and_the_store_agree_on_the_location(monkeypatch, tmp_path):
    monkeypatch.setenv("RINGKAS_MODELS", str(tmp_path))
    assert catalog.store_root() == Path(store.store_root()) == tmp_path
    monkeypatch.delenv("RINGKAS_MODELS")
    checkout = Path(__file__).resolve().parents[1] / "models"
    assert catalog.store_root() == Path(store.store_root()) == checkout, "an editable checkout's models/"


@pytest.mark.parametrize("options", ["translate=False", ""])  # `--no-translate`, and the default at a desk
def test_a_model_free_run_with_an_empty_store_never_reads_the_catalog(tmp_path, options):
    code = ("import sys; from ringkas.run.pipeline import Options; "
            f"assert not Options({options}).uses_models(); "
            "print('ringkas.models.catalog' in sys.modules, 'tomllib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"RINGKAS_MODELS": str(tmp_path), "PATH": "/usr/bin"})
    assert done.stdout.split() == ["False", "False"]


def test_default_model_finds_what_the_catalog_finds(monkeypatch, tmp_path, tiny_marian_dir):
    import shutil

    monkeypatch.setenv("RINGKAS_MODELS", str(tmp_path))
    assert store.default_model("translation") is None
    shutil.copytree(tiny_marian_dir, tmp_path / "opus-mt-id-en")
    assert store.default_model("translation") == catalog.default_translator() is not None
    assert store.default_model("summarization") is None

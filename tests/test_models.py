"""The model catalog, the local store and the seq2seq model layer (tiny random models)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from ringkas.models import catalog
from ringkas.models.catalog import ModelRef, parse_catalog, resolve, verify
from ringkas.errors import ModelError, UsageError
from ringkas.models.loader import load_model
from ringkas.models.seq2seq import cut_at_eos, default_new_tokens, plan_batches
from ringkas.models.settings import Machine, ModelConfig, resolve_settings

ROOT = Path(__file__).resolve().parents[1]
TRANSLATOR = "opus-mt-id-en"
SENTENCES = [
    "Bupati Blitar menghadiri rapat koordinasi daerah.",
    "Rini juga mengingatkan agar program kerja sejalan dengan pemerintah kabupaten.",
    "Warga berharap jalan segera diperbaiki.",
    "Ya.",
    "Polisi menangkap dua orang tersangka pencurian sepeda motor di pasar kota pada malam hari.",
]


@pytest.fixture()
def installed(empty_store: Path, tiny_marian_dir: Path) -> Path:
    """The store holding the tiny Marian model under the default translator's catalog name."""
    shutil.copytree(tiny_marian_dir, empty_store / TRANSLATOR)
    return empty_store / TRANSLATOR


# -- the catalog -----------------------------------------------------------------------------


def test_catalog_pins_every_model_with_a_licence() -> None:
    entries = catalog.load_catalog(ROOT / "models" / "catalog.toml")
    assert {"opus-mt-id-en", "nllb-200-distilled-600M", "mt5-xlsum"} <= set(entries)
    for entry in entries.values():
        assert entry.licence and entry.repo.count("/") == 1
        pin = entry.commit or entry.revision
        assert len(pin) >= 7 and all(c in "0123456789abcdef" for c in pin), entry.name
    defaults = sorted(e.task for e in entries.values() if e.default)
    assert defaults == ["summarization", "translation"]
    assert entries["nllb-200-distilled-600M"].settings["src_lang"] == "ind_Latn"


@pytest.mark.parametrize(
    "text, message",
    [
        ("models = [", "not valid TOML"),
        ('[models.x]\nrepo = "a/b"\nrevision = "abc1234"\ntask = "translation"\n', r"lacks \['licence'\]"),
        ('[models.x]\nrepo = "a/b"\nrevision = "abc1234"\ntask = "poetry"\nlicence = "MIT"\n', "a known task"),
    ],
)
def test_malformed_catalog_is_a_model_error(text: str, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        parse_catalog(text)


def test_well_formed_catalog_keeps_settings() -> None:
    text = '[models.x]\nrepo = "a/b"\nrevision = "abc1234"\ntask = "translation"\nlicence = "MIT"\nprefix = "p: "\n'
    entry = parse_catalog(text)["x"]
    assert (entry.repo, entry.settings) == ("a/b", {"prefix": "p: "})


# -- the store -------------------------------------------------------------------------------


def test_store_root_follows_the_environment(empty_store: Path) -> None:
    assert catalog.store_root() == empty_store
    assert catalog.catalog_path() == ROOT / "models" / "catalog.toml"  # the catalog stays the checkout's


def test_list_models_marks_what_is_installed(installed: Path) -> None:
    status = {s.entry.name: s for s in catalog.list_models()}
    assert status[TRANSLATOR].installed and status[TRANSLATOR].size_bytes > 0
    assert not status["nllb-200-distilled-600M"].installed
    assert status["nllb-200-distilled-600M"].size_bytes == 0


def test_default_translator_only_when_installed(empty_store: Path, tiny_marian_dir: Path) -> None:
    assert catalog.default_translator() is None
    shutil.copytree(tiny_marian_dir, empty_store / TRANSLATOR)
    ref = catalog.default_translator()
    assert ref is not None and ref.name == TRANSLATOR and ref.path == empty_store / TRANSLATOR


def test_resolve_by_name_uses_the_catalog_pin(installed: Path) -> None:
    ref = resolve(TRANSLATOR)
    assert ref == ModelRef(TRANSLATOR, "947e42c7", installed, "translation", "CC-BY-4.0",
                           entry=catalog.load_catalog()[TRANSLATOR])
    assert ref.id == "opus-mt-id-en@947e42c7"


def test_resolve_by_folder(tmp_path: Path, tiny_marian_dir: Path) -> None:
    plain = resolve(tiny_marian_dir)
    assert (plain.name, plain.revision, plain.licence) == ("model", "local", None)
    pulled = tmp_path / "pulled"
    shutil.copytree(tiny_marian_dir, pulled)
    (pulled / catalog.MANIFEST_FILE).write_text(json.dumps({"name": TRANSLATOR, "commit": "f" * 40}))
    ref = resolve(pulled)
    assert (ref.name, ref.revision, ref.licence) == (TRANSLATOR, "f" * 40, "CC-BY-4.0")


def test_resolve_by_store_folder_path_keeps_catalog_settings(installed: Path) -> None:
    assert resolve(str(installed)).entry == catalog.load_catalog()[TRANSLATOR]


@pytest.mark.parametrize("ref", ["no-such-model", "./no/such/folder"])
def test_resolve_nothing_names_the_pull_command(empty_store: Path, ref: str) -> None:
    with pytest.raises(ModelError, match="ringkas models pull opus-mt-id-en"):
        resolve(ref)


def test_resolve_wrong_task_is_a_usage_error(installed: Path) -> None:
    with pytest.raises(UsageError, match="is a translation model, not a summarization model"):
        resolve(TRANSLATOR, task="summarization")


# -- verify ----------------------------------------------------------------------------------


def _break(folder: Path, how: str) -> None:
    if how == "garbage config":
        (folder / "config.json").write_text("{not json")
    elif how == "config without model_type":
        (folder / "config.json").write_text("{}")
    elif how == "no weights":
        (folder / "model.safetensors").unlink()
    elif how == "truncated weights":
        data = (folder / "model.safetensors").read_bytes()
        (folder / "model.safetensors").write_bytes(data[: len(data) // 2])
    elif how == "no tokenizer":
        for name in ("vocab.json", "source.spm", "target.spm"):
            (folder / name).unlink()


BREAKAGES = ["garbage config", "config without model_type", "no weights", "truncated weights", "no tokenizer"]


def test_verify_accepts_a_good_folder(tiny_marian_dir: Path) -> None:
    report = verify(tiny_marian_dir)
    assert report.ok, report.problems


@pytest.mark.parametrize("how", BREAKAGES)
def test_verify_reports_a_broken_folder(tmp_path: Path, tiny_marian_dir: Path, how: str) -> None:
    folder = shutil.copytree(tiny_marian_dir, tmp_path / "m")
    _break(folder, how)
    assert not verify(folder).ok


def test_verify_checks_pulled_checksums(tmp_path: Path, tiny_marian_dir: Path) -> None:
    folder = shutil.copytree(tiny_marian_dir, tmp_path / "m")
    files = {"vocab.json": {"size": (folder / "vocab.json").stat().st_size, "sha256": "0" * 64}}
    (folder / catalog.MANIFEST_FILE).write_text(json.dumps({"name": "x", "files": files}))
    report = verify(folder)
    assert [p for p in report.problems if "checksum" in p] and report.checked_files == 1
    assert verify(folder, checksums=False).ok


# -- pull (the hub faked: tests never reach the network) --------------------------------------


class FakeHub:
    """Stands in for huggingface_hub: resolves the revision and 'downloads' a local folder."""

    def __init__(self, source: Path, sha: str):
        self.source, self.sha, self.calls = source, sha, []
        self.utils = type("utils", (), {"disable_progress_bars": staticmethod(lambda: None)})

    def HfApi(self):  # mirrors huggingface_hub's class name
        hub = self
        return type("Api", (), {"model_info": lambda _self, repo, revision: type("I", (), {"sha": hub.sha})})()

    def snapshot_download(self, *, repo_id, revision, local_dir, allow_patterns):
        self.calls.append((repo_id, revision, tuple(allow_patterns)))
        shutil.copytree(self.source, local_dir, dirs_exist_ok=True)
        return str(local_dir)


@pytest.mark.parametrize(
    "sha, ok",
    [("947e42c7" + "a" * 32, True), ("0123456" + "b" * 33, False)],  # pinned commit, moved ref
)
def test_pull_checks_the_pin_and_writes_a_manifest(empty_store, tiny_marian_dir, monkeypatch, sha, ok) -> None:
    hub = FakeHub(tiny_marian_dir, sha)
    monkeypatch.setitem(sys.modules, "huggingface_hub", hub)
    if not ok:
        with pytest.raises(ModelError, match="not the pinned"):
            catalog.pull(TRANSLATOR, progress=False)
        assert not hub.calls
        return
    ref = catalog.pull(TRANSLATOR, progress=False)
    assert ref.revision == sha and ref.path == empty_store / TRANSLATOR
    assert hub.calls[0][1] == sha and "*.safetensors" in hub.calls[0][2]
    assert not [p for p in hub.calls[0][2] if p.endswith(".bin")]
    assert verify(TRANSLATOR).ok and verify(TRANSLATOR).checked_files > 3


def test_pull_unknown_name_is_a_usage_error(empty_store: Path) -> None:
    with pytest.raises(UsageError, match="no catalog model 'no-such-model'"):
        catalog.pull("no-such-model")


# -- loading ---------------------------------------------------------------------------------


def test_load_by_catalog_name(installed: Path) -> None:
    model = load_model(TRANSLATOR, device="cpu")
    assert (model.id, model.ref.path, model.device) == ("opus-mt-id-en@947e42c7 greedy", installed, "cpu")
    out = model.generate(SENTENCES[:2])
    assert len(out) == 2 and all(isinstance(t, str) and t for t in out)


def test_load_by_folder(tiny_marian_dir: Path) -> None:
    model = load_model(tiny_marian_dir, device="cpu")
    assert model.id == "model@local greedy" and model.max_input_tokens == 32


def test_missing_catalog_model_names_the_pull_command(empty_store: Path) -> None:
    with pytest.raises(ModelError, match="`ringkas models pull opus-mt-id-en`"):
        load_model(TRANSLATOR, device="cpu")


@pytest.mark.parametrize("how", BREAKAGES + ["unknown model_type"])
def test_broken_catalog_model_names_the_pull_command(installed: Path, how: str) -> None:
    if how == "unknown model_type":  # passes the cheap checks, fails inside transformers
        (installed / "config.json").write_text(json.dumps({"model_type": "no-such-architecture"}))
    else:
        _break(installed, how)
    with pytest.raises(ModelError, match="`ringkas models pull opus-mt-id-en`"):
        load_model(TRANSLATOR, device="cpu")


def test_broken_folder_names_a_pull_command(tmp_path: Path, tiny_marian_dir: Path) -> None:
    folder = shutil.copytree(tiny_marian_dir, tmp_path / "m")
    _break(folder, "garbage config")
    with pytest.raises(ModelError, match="ringkas models pull"):
        load_model(folder, device="cpu")


@pytest.mark.parametrize("by", ["folder", "catalog name"])
def test_nllb_reads_ind_latn_and_writes_eng_latn(empty_store: Path, tiny_nllb_dir: Path, by: str) -> None:
    ref: str | Path = tiny_nllb_dir
    if by == "catalog name":
        ref = "nllb-200-distilled-600M"
        shutil.copytree(tiny_nllb_dir, empty_store / ref)
    model = load_model(ref, device="cpu")
    tok = model.tokenizer
    encoded = model.encode(["Bupati Blitar."])
    assert encoded[0][0] == tok.convert_tokens_to_ids("ind_Latn")
    out = model._generate_ids(encoded, max_new_tokens=3, min_new_tokens=None)
    assert out[0][0] == tok.convert_tokens_to_ids("eng_Latn")


def test_unknown_backend_and_device_are_usage_errors(tiny_marian_dir: Path) -> None:
    with pytest.raises(UsageError, match="--backend must be one of transformers, ct2, not 'nope'"):
        load_model(tiny_marian_dir, backend="nope")
    with pytest.raises(UsageError, match="--device must be one of auto, cpu, cuda, not 'tpu'"):
        load_model(tiny_marian_dir, device="tpu")


def test_loaded_settings_are_the_resolved_ones(tiny_marian, tiny_t5) -> None:
    assert (tiny_marian.settings.dtype, tiny_marian.device, tiny_marian.max_input_tokens) == ("float32", "cpu", 32)
    assert (tiny_marian.max_new_tokens, tiny_t5.max_new_tokens) == (32, 128)  # translation: the input limit
    assert tiny_marian.settings.compute_type is None and tiny_marian.settings.threads >= 1


# -- the settings both backends load with ----------------------------------------------------

CPU = Machine(threads=2)
GPU = Machine(cuda=True, bf16=True, threads=2)
OLD_GPU = Machine(cuda=True, bf16=False, threads=2)  # no bfloat16 (before Ampere)
MARIAN = ModelConfig("marian", max_position_embeddings=512, tokenizer_max_length=512)
NLLB = ModelConfig("m2m_100", max_position_embeddings=1024, tokenizer_max_length=1024)
T5 = ModelConfig("t5", tokenizer_max_length=512)  # T5 has no position table
TF, CT2 = "transformers", "ct2"


@pytest.mark.parametrize(
    "config, entry, task, backend, device, machine, expected",
    [
        # device, float type and threads
        (MARIAN, {}, "translation", TF, "auto", CPU, {"device": "cpu", "dtype": "float32", "threads": 2,
                                                      "compute_type": None}),
        (MARIAN, {}, "translation", TF, "cpu", GPU, {"device": "cpu", "dtype": "float32", "threads": 2}),
        (MARIAN, {}, "translation", TF, "auto", GPU, {"device": "cuda", "dtype": "float16", "threads": 0}),
        (NLLB, {}, "translation", TF, "cuda", GPU, {"device": "cuda", "dtype": "float16"}),
        # T5-family weights overflow in float16: never float16 for them
        (T5, {}, "summarization", TF, "cuda", GPU, {"dtype": "bfloat16"}),
        (ModelConfig("mt5"), {}, "summarization", TF, "auto", GPU, {"dtype": "bfloat16"}),
        (T5, {}, "summarization", TF, "cuda", OLD_GPU, {"dtype": "float32"}),
        (T5, {}, "summarization", TF, "cpu", GPU, {"dtype": "float32"}),
        # CTranslate2 compute types: int8 weights stay int8, the rest computes in the float type
        (replace(MARIAN, quantization="int8"), {}, "translation", CT2, "cpu", CPU, {"compute_type": "int8"}),
        (replace(MARIAN, quantization="float32"), {}, "translation", CT2, "cpu", CPU, {"compute_type": "float32"}),
        (replace(MARIAN, quantization="float16"), {}, "translation", CT2, "cpu", CPU, {"compute_type": "float32"}),
        (replace(MARIAN, quantization="int8"), {}, "translation", CT2, "cuda", GPU,
         {"compute_type": "int8_float16", "threads": 0}),
        (replace(NLLB, quantization="float16"), {}, "translation", CT2, "cuda", GPU, {"compute_type": "float16"}),
        (replace(T5, quantization="int8"), {}, "summarization", CT2, "cuda", GPU, {"compute_type": "int8_bfloat16"}),
        (replace(T5, quantization="int8"), {}, "summarization", CT2, "cuda", OLD_GPU, {"compute_type": "int8_float32"}),
        (replace(MARIAN, quantization="int8"), {}, "translation", CT2, "cpu",
         Machine(ct2_compute="int16"), {"compute_type": "int16"}),  # $RINGKAS_CT2_COMPUTE wins
        (MARIAN, {}, "translation", TF, "cpu", Machine(ct2_compute="int16"), {"compute_type": None}),
        # languages: a bare NLLB folder reads Indonesian and writes English; the catalog's win
        (NLLB, {}, "translation", TF, "cpu", CPU, {"src_lang": "ind_Latn", "tgt_lang": "eng_Latn"}),
        (NLLB, {"src_lang": "zsm_Latn", "tgt_lang": "eng_Latn"}, "translation", CT2, "cpu", CPU,
         {"src_lang": "zsm_Latn", "tgt_lang": "eng_Latn"}),
        (MARIAN, {}, "translation", TF, "cpu", CPU, {"src_lang": None, "tgt_lang": None}),
        # length caps: the least input limit; a translation may be as long as its input, a summary 128
        (MARIAN, {"max_input_tokens": 256}, "translation", TF, "cpu", CPU,
         {"max_input_tokens": 256, "max_new_tokens": 256}),
        (replace(MARIAN, tokenizer_max_length=int(1e30)), {}, "translation", TF, "cpu", CPU, {"max_input_tokens": 512}),
        (ModelConfig("marian", max_position_embeddings=64), {}, "translation", CT2, "cpu", CPU,
         {"max_input_tokens": 64}),
        (ModelConfig(), {}, "translation", TF, "cpu", CPU, {"max_input_tokens": 512, "max_new_tokens": 512}),
        (T5, {}, "summarization", TF, "cpu", CPU, {"max_input_tokens": 512, "max_new_tokens": 128}),
        (T5, {"max_new_tokens": 84, "prefix": "ringkasan: ", "generate": {"no_repeat_ngram_size": 3}},
         "summarization", CT2, "cpu", CPU,
         {"max_new_tokens": 84, "prefix": "ringkasan: ", "generate": {"no_repeat_ngram_size": 3}}),
    ],
)
def test_resolve_settings(config, entry, task, backend, device, machine, expected) -> None:
    got = resolve_settings(config, entry, task=task, backend=backend, device=device, machine=machine)
    assert {k: getattr(got, k) for k in expected} == expected


@pytest.mark.parametrize(
    "backend, device, message",
    [
        (TF, "tpu", "--device must be one of auto, cpu, cuda, not 'tpu'"),
        (TF, "cuda", "--device cuda: no CUDA device is visible to torch"),
        (CT2, "cuda", "--device cuda: CTranslate2 sees no CUDA device"),
    ],
)
def test_resolve_settings_refuses_devices_it_cannot_give(backend, device, message) -> None:
    with pytest.raises(UsageError, match=message):
        resolve_settings(MARIAN, {}, task="translation", backend=backend, device=device, machine=CPU)


# -- generation ------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["tiny_marian", "tiny_t5"])
def test_batched_equals_unbatched(request: pytest.FixtureRequest, fixture: str) -> None:
    model = request.getfixturevalue(fixture)
    batched = model.generate(SENTENCES, max_new_tokens=12 if fixture == "tiny_t5" else None)
    alone = [model.generate([s], max_new_tokens=12 if fixture == "tiny_t5" else None)[0] for s in SENTENCES]
    assert batched == alone
    assert len(set(batched)) > 1  # the outputs depend on the input, so the comparison means something


def test_small_token_budget_changes_batches_not_outputs(tiny_marian) -> None:
    expected = tiny_marian.generate(SENTENCES)
    budget, tiny_marian.token_budget = tiny_marian.token_budget, 40
    try:
        assert tiny_marian.generate(SENTENCES) == expected
    finally:
        tiny_marian.token_budget = budget


def test_generate_keeps_order_and_handles_empty(tiny_marian) -> None:
    assert tiny_marian.generate([]) == []
    forward = tiny_marian.generate(SENTENCES)
    assert tiny_marian.generate(SENTENCES[::-1]) == forward[::-1]


@pytest.mark.parametrize(
    "lengths, budget, max_batch, expected",
    [
        ([5, 9, 3, 9], 100, 64, [[1, 3, 0, 2]]),  # all fit: one batch, longest first, stable
        ([5, 9, 3, 9], 18, 64, [[1, 3], [0, 2]]),  # 2 x 9 fits, a third 9-wide row would not
        ([5, 9, 3, 9], 100, 3, [[1, 3, 0], [2]]),  # the batch size cap
        ([50, 1], 10, 64, [[0], [1]]),  # a text over the budget still gets its own batch
        ([], 10, 64, []),
    ],
)
def test_plan_batches(lengths, budget, max_batch, expected) -> None:
    assert plan_batches(lengths, token_budget=budget, max_batch=max_batch) == expected


@pytest.mark.parametrize(
    "lengths, budget, expected",
    [
        ([5, 9, 3, 9], 26, [[1, 3, 0, 2]]),  # 9 + 9 + 5 + 3 = 26 tokens, where padded it would be 36
        ([5, 9, 3, 9], 25, [[1, 3, 0], [2]]),
        ([50, 1, 1], 10, [[0], [1, 2]]),
    ],
)
def test_plan_batches_counting_real_tokens(lengths, budget, expected) -> None:
    assert plan_batches(lengths, token_budget=budget, max_batch=64, padded=False) == expected


@pytest.mark.parametrize(
    "ids, expected",
    [([5, 6, 0, 7], [5, 6]), ([5, 6], [5, 6]), ([0, 5], []), ([9, 9, 1], [9, 9])],
)
def test_cut_at_eos(ids, expected) -> None:
    assert cut_at_eos(ids, frozenset({0, 1})) == expected


@pytest.mark.parametrize(
    "length, task, limit, expected",
    [(10, "translation", 512, 25), (400, "translation", 512, 512), (10, "summarization", 84, 84)],
)
def test_default_new_tokens(length, task, limit, expected) -> None:
    assert default_new_tokens(length, task=task, limit=limit) == expected


def test_model_free_modules_never_import_torch() -> None:
    code = (
        "import sys, ringkas.models.catalog, ringkas.models.translate, ringkas.summary.abstractive, ringkas.text.clauses, "
        "ringkas.models.seq2seq, ringkas.models.loader, ringkas.tuning; "
        "ringkas.models.catalog.list_models(); ringkas.models.catalog.default_translator(); "
        "heavy = [m for m in ('torch', 'transformers', 'huggingface_hub', 'ctranslate2') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# -- the `ringkas models` command ------------------------------------------------------------


def _cli(*argv: str) -> tuple[int, str, str]:
    from conftest import run_cli

    result = run_cli(list(argv))
    return result.exit_code, result.stdout, result.stderr


def test_cli_models_list(installed: Path) -> None:
    status, out, _ = _cli("models", "list")
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert status == 0 and " yes " in rows[TRANSLATOR] and "CC-BY-4.0" in rows[TRANSLATOR]
    assert " no " in rows["mt5-xlsum"] and "CC-BY-NC-SA-4.0" in rows["mt5-xlsum"]
    status, out, _ = _cli("models", "list", "--json")
    assert json.loads(out.splitlines()[0])["installed"] is True


@pytest.mark.parametrize(
    "refs, status, message",
    [
        ([TRANSLATOR], 0, "ok"),
        (["mt5-xlsum"], 1, "ringkas models pull mt5-xlsum"),  # in the catalog, not installed
        ([TRANSLATOR, "./no/such/dir"], 1, "does not exist"),
    ],
)
def test_cli_models_verify(installed: Path, refs, status, message) -> None:
    got, out, err = _cli("models", "verify", *refs)
    assert got == status and message in out + err

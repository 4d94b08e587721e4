"""The CTranslate2 backend: the same Seq2SeqModel, run by a CTranslate2 Translator (int8 on CPU).

A model is converted once, with CTranslate2's own converter, into a folder INSIDE its model
folder: ``<model folder>/ct2-<quantization>/`` (``ringkas models convert NAME``). Keeping it
inside means the conversion travels and disappears with its model, and ``models list`` counts it
in the size on disk. The folder is self-contained: CTranslate2's ``model.bin`` and vocabulary,
the tokenizer files copied from the model, and ``ringkas-ct2.json`` recording what was converted
(model name and revision, quantization, model type, position limit), so that a conversion left
behind by an older pull of the model is refused rather than silently used.

Batching, length caps, order restoration and decoding are the base class's, and the device,
compute type, languages, caps and the decoding (the model folder's generation settings: beams,
length penalty, bad words, ...) come from ringkas.models.settings as for the transformers backend;
this module maps a batch of token ids to CTranslate2's token strings and back, and those settings
to ``translate_batch``'s. CTranslate2's beam search is its own (its stopping rule is not
generate's), so with beams its output may differ from the transformers backend's beyond int8.
ctranslate2 is imported only when ``--backend ct2`` is asked for, and torch never: the tokenizer
class is taken from ``tokenizer_config.json`` and imported directly, which keeps torch out.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ringkas import tuning
from ringkas.errors import ModelError, UsageError
from ringkas.models.catalog import ModelRef, folder_problems, resolve
from ringkas.models.decoding import read_generation_config
from ringkas.models.seq2seq import Seq2SeqModel
from ringkas.models.settings import (
    Machine, ModelConfig, ModelSettings, cpu_threads, languages, pick_device, resolve_settings,
)

CT2_PREFIX = "ct2-"
CT2_MANIFEST = "ringkas-ct2.json"
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")
# Which stored conversion to take first on each device when a model folder holds several.
PREFERENCE = {
    "cpu": ("int8", "int8_float32", "float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16"),
    "cuda": ("int8_float16", "float16", "int8_bfloat16", "bfloat16", "int8", "int8_float32", "float32"),
}
# Files the tokenizer needs, copied from the model folder (config.json is not among them: the
# converter writes its own config.json into the conversion folder).
TOKENIZER_FILES = (
    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
    "vocab.json", "source.spm", "target.spm", "spiece.model", "sentencepiece.bpe.model",
)


def conversion_dir(model_dir: Path, quantization: str = "int8") -> Path:
    """Where ``convert`` writes a model folder's conversion for one quantization."""
    return Path(model_dir) / f"{CT2_PREFIX}{quantization}"


def _ref(ref: str | os.PathLike[str] | ModelRef) -> ModelRef:
    return ref if isinstance(ref, ModelRef) else resolve(ref)


def _convert_hint(ref: ModelRef) -> str:
    """The command that converts this model (by catalog name, else by folder)."""
    return f"ringkas models convert {ref.entry.name if ref.entry else ref.path}"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _is_conversion(folder: Path) -> bool:
    return (folder / "model.bin").is_file() and (folder / CT2_MANIFEST).is_file()


def convert(ref: str | os.PathLike[str] | ModelRef, *, quantization: str = "int8", force: bool = False) -> Path:
    """Convert a catalog model or folder with CTranslate2's converter; returns the conversion folder.

    An up-to-date conversion is kept unless ``force``; one made from another revision is redone.
    """
    if quantization not in QUANTIZATIONS:
        raise UsageError(f"--quantization must be one of {', '.join(QUANTIZATIONS)}, not {quantization!r}")
    mref = _ref(ref)
    problems = folder_problems(mref.path)
    if problems:
        raise ModelError(f"model {mref.name} at {mref.path} is missing or broken ({'; '.join(problems)}); "
                         f"get it with `{mref.pull_hint}`")
    out = conversion_dir(mref.path, quantization)
    if not force and _is_conversion(out) and _read_json(out / CT2_MANIFEST).get("revision") == mref.revision:
        return out
    try:
        from ctranslate2 import __version__ as ct2_version
        from ctranslate2.converters import TransformersConverter
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise ModelError("converting needs ctranslate2 and transformers: pip install 'ringkas[models,ct2]'") from exc
    hf_logging.disable_progress_bar()
    copy = [name for name in TOKENIZER_FILES if (mref.path / name).is_file()]
    # Convert beside the target and rename at the end, so an interrupted conversion never leaves a
    # folder that looks complete.
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        TransformersConverter(str(mref.path), copy_files=copy).convert(str(tmp), quantization=quantization, force=True)
    except Exception as exc:  # the converter raises ValueError, KeyError, OSError... for what it cannot read
        shutil.rmtree(tmp, ignore_errors=True)
        raise ModelError(f"CTranslate2 cannot convert {mref.name} ({mref.path}): {type(exc).__name__}: {exc}") from exc
    config = _read_json(mref.path / "config.json")
    manifest = {
        "name": mref.name, "revision": mref.revision, "quantization": quantization,
        "model_type": config.get("model_type"), "max_position_embeddings": config.get("max_position_embeddings"),
        "ctranslate2": ct2_version,
    }
    (tmp / CT2_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)
    return out


def find_conversion(ref: ModelRef, device: str) -> Path:
    """The conversion folder to load on a device; ModelError naming the convert command when none fits."""
    found = {p.name[len(CT2_PREFIX):]: p for p in sorted(Path(ref.path).glob(f"{CT2_PREFIX}*")) if _is_conversion(p)}
    for quantization in PREFERENCE[device]:
        folder = found.get(quantization)
        if folder is None:
            continue
        made_from = _read_json(folder / CT2_MANIFEST).get("revision")
        if made_from != ref.revision:
            raise ModelError(f"the CTranslate2 conversion in {folder} was made from revision {made_from}, "
                             f"not {ref.revision}; redo it with `{_convert_hint(ref)} --force`")
        return folder
    raise ModelError(f"model {ref.name} has no CTranslate2 conversion in {ref.path}; "
                     f"make one with `{_convert_hint(ref)}` (or use --backend transformers)")


def probe_machine(device: str) -> Machine:
    """What CTranslate2 sees (no torch): CUDA devices, bfloat16 on them, threads and $RINGKAS_CT2_COMPUTE
    (the GPU's compute types are asked for only when it may be used)."""
    import ctranslate2

    cuda = ctranslate2.get_cuda_device_count() > 0
    bf16 = cuda and device != "cpu" and "bfloat16" in ctranslate2.get_supported_compute_types("cuda")
    return Machine(cuda=cuda, bf16=bf16, threads=cpu_threads(), ct2_compute=os.environ.get("RINGKAS_CT2_COMPUTE") or None)


def _load_tokenizer(folder: Path, **kwargs: Any) -> Any:
    """The folder's tokenizer through its own class when named (no torch import), else AutoTokenizer."""
    import transformers

    name = _read_json(folder / "tokenizer_config.json").get("tokenizer_class")
    cls = getattr(transformers, name, None) if isinstance(name, str) else None
    if cls is None:
        cls = transformers.AutoTokenizer
    return cls.from_pretrained(folder, local_files_only=True, trust_remote_code=False, **kwargs)


def target_vocabulary(folder: Path) -> frozenset[str] | None:
    """The tokens a conversion can produce (its target or shared vocabulary file), None when unknown."""
    for name in ("target_vocabulary", "shared_vocabulary"):
        if (folder / f"{name}.json").is_file():
            data = _read_json_list(folder / f"{name}.json")
            return frozenset(data) if data is not None else None
        if (folder / f"{name}.txt").is_file():
            return frozenset((folder / f"{name}.txt").read_text(encoding="utf-8").splitlines())
    return None


def _read_json_list(path: Path) -> list[str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [str(t) for t in data] if isinstance(data, list) else None


class CT2Seq2Seq(Seq2SeqModel):
    """A model converted for CTranslate2, run by ``ctranslate2.Translator`` (greedy)."""

    def __init__(self, ref: ModelRef, tokenizer: Any, settings: ModelSettings, translator: Any,
                 vocabulary: frozenset[str] | None = None):
        cpu = settings.device == "cpu"
        super().__init__(ref, tokenizer, settings, token_budget=tuning.CT2_TOKEN_BUDGET_CPU if cpu else None,
                         max_batch=tuning.CT2_MAX_BATCH_CPU if cpu else None)
        self.translator = translator
        self.target_token = settings.tgt_lang
        d = self.decoding
        # translate_batch's names for the decoding; bad words as token strings. A bad word outside
        # the conversion's target vocabulary can never be produced (the Marian converter drops
        # <pad>, which opus-mt bans), and CTranslate2 refuses to be told about it.
        self.decode_options: dict[str, Any] = {
            "beam_size": d.num_beams, "length_penalty": d.length_penalty,
            "no_repeat_ngram_size": d.no_repeat_ngram_size, "repetition_penalty": d.repetition_penalty,
        }
        bad = [tokenizer.convert_ids_to_tokens(list(w)) for w in d.bad_words_ids]
        bad = [w for w in bad if vocabulary is None or all(t in vocabulary for t in w)]
        if bad:
            self.decode_options["suppress_sequences"] = bad

    @property
    def engine_id(self) -> str:
        """``NAME@REVISION+ct2-COMPUTE``: int8 output differs from the original's, so records say so."""
        return f"{super().engine_id}+ct2-{self.translator.compute_type}"

    @classmethod
    def load(cls, ref: ModelRef, *, device: str = "auto", beams: int | None = None) -> CT2Seq2Seq:
        """Load the conversion inside ``ref.path``, to decode as the model folder says (``beams``
        overrides its beam count); ModelError naming `ringkas models convert` when absent."""
        try:
            import ctranslate2
            import transformers  # noqa: F401  (the tokenizer)
        except ImportError as exc:
            raise ModelError("--backend ct2 needs ctranslate2 and transformers: "
                             "pip install 'ringkas[models,ct2]'") from exc
        machine = probe_machine(device)
        folder = find_conversion(ref, pick_device(device, cuda=machine.cuda, backend="ct2"))
        manifest = _read_json(folder / CT2_MANIFEST)
        config = ModelConfig(model_type=manifest.get("model_type"),
                             max_position_embeddings=manifest.get("max_position_embeddings"),
                             quantization=str(manifest.get("quantization") or folder.name[len(CT2_PREFIX):]))
        src_lang, _ = languages(config.model_type, ref.settings)
        try:
            tokenizer = _load_tokenizer(folder, **({"src_lang": src_lang} if src_lang else {}))
            config = dataclasses.replace(config, tokenizer_max_length=getattr(tokenizer, "model_max_length", None))
            settings = resolve_settings(config, ref.settings, task=ref.task, backend="ct2", device=device,
                                        machine=machine, generation=read_generation_config(ref.path), beams=beams)
            translator = ctranslate2.Translator(
                str(folder), device=settings.device, compute_type=settings.compute_type,
                inter_threads=tuning.CT2_INTER_THREADS, intra_threads=settings.threads,
            )
        except Exception as exc:  # a damaged conversion: say how to redo it
            raise ModelError(f"cannot load the CTranslate2 conversion {folder}: {type(exc).__name__}: {exc}; "
                             f"redo it with `{_convert_hint(ref)} --force`") from exc
        return cls(ref, tokenizer, settings, translator, target_vocabulary(folder))

    def _generate_ids(
        self, batch: list[list[int]], *, max_new_tokens: int | Sequence[int], min_new_tokens: int | None
    ) -> list[list[int]]:
        """translate_batch on the batch's tokens; ids out, target-language token first (NLLB).
        Greedy rows share the longest cap (the caller cuts each to its own); beams need their own."""
        caps = [max_new_tokens] * len(batch) if isinstance(max_new_tokens, int) else list(max_new_tokens)
        by_cap = {max(caps): list(range(len(batch)))} if self.decoding.greedy else {
            cap: [i for i, c in enumerate(caps) if c == cap] for cap in sorted(set(caps))}
        out: list[list[int]] = [[] for _ in batch]
        for cap, rows in by_cap.items():
            source = [self.tokenizer.convert_ids_to_tokens(batch[i]) for i in rows]
            results = self.translator.translate_batch(
                source,
                target_prefix=[[self.target_token]] * len(rows) if self.target_token else None,
                max_decoding_length=cap,
                min_decoding_length=min_new_tokens or 1,
                max_input_length=0,  # the base class already fits inputs to the model; never cut again
                **self.decode_options,
            )
            for i, r in zip(rows, results, strict=True):
                out[i] = self.tokenizer.convert_tokens_to_ids(r.hypotheses[0])
        return out

"""The settings a model is loaded with, resolved once for both backends (transformers, CTranslate2).

``resolve_settings`` is a pure function of three frozen inputs: what the model folder's config
says (``ModelConfig``), what the catalog entry says (its settings table) and what the machine
offers (``Machine``). It decides the device (auto/cpu/cuda), the float type (never float16 for a
model family that overflows in it), the NLLB language pair, the length caps and the decoding (the
folder's generation settings, ringkas.models.decoding), so the two backends cannot drift apart.
Reading the folder and probing the machine is the backends' part.

Nothing here imports torch, transformers or ctranslate2.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ringkas.errors import UsageError
from ringkas.models.decoding import Decoding, resolve_decoding

DEVICES = ("auto", "cpu", "cuda")
# T5-family weights overflow in float16; on GPU they run in bfloat16, or float32 without it.
NO_FP16_TYPES = frozenset({"t5", "mt5", "umt5", "longt5"})
# A bare NLLB folder (no catalog entry naming its languages): ringkas translates Indonesian to English.
NLLB_TYPE = "m2m_100"
NLLB_LANGUAGES = ("ind_Latn", "eng_Latn")
# The input limit when neither catalog, tokenizer nor position table gives one.
FALLBACK_INPUT_TOKENS = 512
# At most this many tokens of summary, unless the catalog says otherwise (a translation may be as
# long as the model's input).
SUMMARY_NEW_TOKENS = 128
# Limits at or above this are "no limit" placeholders (transformers' VERY_LARGE_INTEGER, ...).
_NO_LIMIT = 100_000


@dataclass(frozen=True)
class ModelConfig:
    """What a model folder says about itself: config.json (or a CTranslate2 manifest) and tokenizer."""

    model_type: str | None = None
    max_position_embeddings: int | None = None
    tokenizer_max_length: int | None = None
    quantization: str | None = None  # of a CTranslate2 conversion ("int8", "float16", ...)


@dataclass(frozen=True)
class Machine:
    """What the machine offers a backend, as the backend's own framework probed it."""

    cuda: bool = False  # a CUDA device is visible to the backend's framework
    bf16: bool = False  # that device computes in bfloat16
    threads: int = 1  # intra-op threads on CPU (cpu_threads())
    ct2_compute: str | None = None  # $RINGKAS_CT2_COMPUTE: a CTranslate2 compute type that wins


@dataclass(frozen=True)
class ModelSettings:
    """Everything a backend needs to load and run a model, resolved."""

    device: str  # "cpu" | "cuda"
    dtype: str  # "float32" | "float16" | "bfloat16": the float type the model computes in
    compute_type: str | None  # CTranslate2's compute type ("int8", "int8_float16", ...); None for transformers
    threads: int  # intra-op threads on CPU; 0 on GPU (the framework's default)
    src_lang: str | None  # the tokenizer's source language (NLLB: "ind_Latn")
    tgt_lang: str | None  # the token that starts the output (NLLB: "eng_Latn")
    prefix: str  # put before every input text (T5 task prefixes)
    max_input_tokens: int
    max_new_tokens: int  # ringkas's cap where the folder sets no length (see Decoding.max_new_tokens)
    generate: Mapping[str, Any] = field(default_factory=dict, hash=False)  # the catalog's generate options
    decoding: Decoding = Decoding()


def cpu_threads() -> int:
    """Intra-op threads for a backend: $RINGKAS_THREADS or $OMP_NUM_THREADS, else the usable CPUs."""
    chosen = os.environ.get("RINGKAS_THREADS") or os.environ.get("OMP_NUM_THREADS")
    if chosen:
        return max(1, int(chosen))
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, n)


def check_device(device: str) -> None:
    """UsageError unless ``device`` is one of DEVICES."""
    if device not in DEVICES:
        raise UsageError(f"--device must be one of {', '.join(DEVICES)}, not {device!r}")


# How each backend says that it sees no GPU (the framework is the one that looked).
_NO_CUDA = {"transformers": "no CUDA device is visible to torch", "ct2": "CTranslate2 sees no CUDA device"}


def pick_device(device: str, *, cuda: bool, backend: str = "transformers") -> str:
    """'cpu' or 'cuda' for a --device choice; 'auto' takes the GPU when there is one."""
    check_device(device)
    if device == "auto":
        return "cuda" if cuda else "cpu"
    if device == "cuda" and not cuda:
        raise UsageError(f"--device cuda: {_NO_CUDA.get(backend, 'no CUDA device is visible')}")
    return device


def languages(model_type: str | None, entry: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(source, target) language codes: the catalog's, else Indonesian -> English for a bare NLLB folder."""
    if model_type == NLLB_TYPE and "src_lang" not in entry:
        return NLLB_LANGUAGES
    return entry.get("src_lang"), entry.get("tgt_lang")


def _float_type(model_type: str | None, device: str, bf16: bool) -> str:
    """float32 on CPU; float16 on GPU, or bfloat16 (float32 without it) for families that overflow."""
    if device != "cuda":
        return "float32"
    if model_type not in NO_FP16_TYPES:
        return "float16"
    return "bfloat16" if bf16 else "float32"


def _ct2_compute_type(stored: str | None, device: str, dtype: str) -> str:
    """CTranslate2 compute type of a conversion stored as ``stored``: int8 weights stay int8, the
    rest computes in ``dtype`` (CPU: int8 or float32)."""
    int8 = (stored or "").startswith("int8")
    if device == "cuda":
        return f"int8_{dtype}" if int8 else dtype
    return "int8" if int8 else "float32"


def _input_limit(entry: Mapping[str, Any], config: ModelConfig) -> int:
    """The model's input limit in tokens: the least of catalog setting, tokenizer and position table."""
    limits = [entry.get("max_input_tokens"), config.tokenizer_max_length, config.max_position_embeddings]
    usable = [int(x) for x in limits if isinstance(x, int) and 0 < x < _NO_LIMIT]
    return min(usable) if usable else FALLBACK_INPUT_TOKENS


def check_beams(beams: int | None) -> None:
    """UsageError unless ``beams`` is None (the model's own) or at least 1."""
    if beams is not None and (not isinstance(beams, int) or isinstance(beams, bool) or beams < 1):
        raise UsageError(f"--beams must be a whole number of at least 1, not {beams!r}")


def resolve_settings(
    config: ModelConfig, entry: Mapping[str, Any], *, task: str, backend: str, device: str, machine: Machine,
    generation: Mapping[str, Any] | None = None, beams: int | None = None,
) -> ModelSettings:
    """The settings to load a model with, from its folder's config and generation settings, its
    catalog entry, the machine and the --beams override."""
    check_beams(beams)
    dev = pick_device(device, cuda=machine.cuda, backend=backend)
    dtype = _float_type(config.model_type, dev, machine.bf16)
    compute = None
    if backend == "ct2":
        compute = machine.ct2_compute or _ct2_compute_type(config.quantization, dev, dtype)
    src_lang, tgt_lang = languages(config.model_type, entry)
    limit = _input_limit(entry, config)
    default_new = limit if task == "translation" else SUMMARY_NEW_TOKENS
    return ModelSettings(
        device=dev,
        dtype=dtype,
        compute_type=compute,
        threads=machine.threads if dev == "cpu" else 0,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        prefix=str(entry.get("prefix", "")),
        max_input_tokens=limit,
        max_new_tokens=int(entry.get("max_new_tokens") or default_new),
        generate=dict(entry.get("generate", {})),
        decoding=resolve_decoding(generation or {}, entry, beams=beams),
    )

"""Seq2seq models (translation, abstractive summary) behind one batch-first interface.

Shaped like a transformers pipeline: ``encode`` and ``plan_batches`` (preprocess) and
``decode``/order restoration (postprocess) are pure and torch-free; only a backend's
``_generate_ids`` touches the framework. A backend (transformers here, CTranslate2 in
ct2_backend.py) implements that one method and ``load``; batching, caps, order and decoding are
shared. The transformers backend decodes greedily with ringkas.models.greedy when the model allows it,
else with ``generate``.

torch and transformers are imported inside the functions that need them, never at module import.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from typing import Any

from ringkas.models.catalog import ModelRef, folder_problems, resolve
from ringkas.errors import ModelError, UsageError
from ringkas.models.greedy import GreedyDecoder, pad_batch

DEVICES = ("auto", "cpu", "cuda")
# Source tokens per batch. A backend that pads the batch as one block counts rows x longest; the
# greedy loop (ringkas.models.greedy) pads only within its length groups, so for it the budget counts the
# tokens themselves: it bounds the cross-attention cache (24.6 KB a source token for opus-mt, 98 KB
# for NLLB-600M). More rows per batch means fewer reads of the output projection per token
# (measured with opus-mt shapes: 137 rows in one batch 421 tok/s, in batches of <= 64 rows 315).
TOKEN_BUDGET = {"cpu": 8192, "cuda": 16384}
MAX_BATCH = {"cpu": 256, "cuda": 256}
# T5-family weights overflow in float16; they run in bfloat16 (or float32) on GPU.
NO_FP16_TYPES = frozenset({"t5", "mt5", "umt5", "longt5"})


def plan_batches(lengths: Sequence[int], *, token_budget: int, max_batch: int,
                 padded: bool = True) -> list[list[int]]:
    """Indices grouped into batches, longest first, each batch's tokens under the budget: counted
    padded (rows x longest) or, for a backend that does not pad a batch as one block, as the sum."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    total = 0
    for i in order:
        longest = lengths[current[0]] if current else lengths[i]
        tokens = (len(current) + 1) * longest if padded else total + lengths[i]
        if current and (tokens > token_budget or len(current) >= max_batch):
            batches.append(current)
            current, total = [], 0
        current.append(i)
        total += lengths[i]
    if current:
        batches.append(current)
    return batches


def default_new_tokens(source_len: int, *, task: str, limit: int) -> int:
    """How many tokens to generate at most for a source of this length."""
    if task == "translation":
        # English runs a little longer than Indonesian in subwords; 1.5x + 10 leaves room.
        return min(limit, math.ceil(source_len * 1.5) + 10)
    return limit


def cut_at_eos(ids: Sequence[int], eos_ids: frozenset[int]) -> list[int]:
    """Token ids up to (not including) the first end-of-sequence id."""
    out = []
    for t in ids:
        if t in eos_ids:
            break
        out.append(t)
    return out


class Seq2SeqModel:
    """A loaded seq2seq model: ``generate`` maps many texts to many outputs, batched and in order."""

    backend = "base"

    def __init__(
        self,
        ref: ModelRef,
        tokenizer: Any,
        *,
        device: str,
        max_input_tokens: int,
        max_new_tokens: int,
        generate_kwargs: dict[str, Any] | None = None,
        prefix: str = "",
        token_budget: int | None = None,
        max_batch: int | None = None,
    ):
        self.ref = ref
        self.name = ref.name
        self.revision = ref.revision
        self.path = ref.path
        self.task = ref.task
        self.device = device
        self.tokenizer = tokenizer
        self.max_input_tokens = max_input_tokens
        self.max_new_tokens = max_new_tokens
        self.generate_kwargs = dict(generate_kwargs or {})
        self.prefix = prefix
        self.token_budget = token_budget or TOKEN_BUDGET.get(device, TOKEN_BUDGET["cpu"])
        self.max_batch = max_batch or MAX_BATCH.get(device, MAX_BATCH["cpu"])
        self.pads_batches = True  # see plan_batches
        self.eos_ids = frozenset(i for i in (tokenizer.eos_token_id, tokenizer.pad_token_id) if i is not None)

    @property
    def id(self) -> str:
        """``NAME@REVISION`` of the model, as records name it."""
        return f"{self.name}@{self.revision}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} on {self.device}>"

    # -- preprocess (pure) --

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text (prefix and special tokens included), cut to the input limit."""
        enc = self.tokenizer([self.prefix + t for t in texts], add_special_tokens=True, verbose=False)["input_ids"]
        return [self._fit(list(ids)) for ids in enc]

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Input tokens each text takes, special tokens and prefix included, without cutting."""
        enc = self.tokenizer([self.prefix + t for t in texts], add_special_tokens=True, verbose=False)["input_ids"]
        return [len(ids) for ids in enc]

    def fits(self, text: str) -> bool:
        """True when the text fits the model's input as one piece."""
        return self.count_tokens([text])[0] <= self.max_input_tokens

    def _fit(self, ids: list[int]) -> list[int]:
        """Ids cut to the input limit, keeping the final special token; callers split before this."""
        if len(ids) <= self.max_input_tokens:
            return ids
        return ids[: self.max_input_tokens - 1] + ids[-1:]

    # -- forward (backend) --

    def _generate_ids(
        self, batch: list[list[int]], *, max_new_tokens: int, min_new_tokens: int | None
    ) -> list[list[int]]:
        """Output ids of one batch of unpadded input ids (the only framework-touching step)."""
        raise NotImplementedError

    # -- postprocess (pure) --

    def decode(self, ids: Sequence[Sequence[int]]) -> list[str]:
        """Text of each output id sequence, special tokens dropped."""
        return [t.strip() for t in self.tokenizer.batch_decode(ids, skip_special_tokens=True)]

    def generate(
        self,
        texts: Sequence[str],
        *,
        max_new_tokens: int | None = None,
        min_new_tokens: int | None = None,
    ) -> list[str]:
        """One output per text, in input order; greedy, batched by length under the token budget.

        A text longer than ``max_input_tokens`` is cut to fit, as the model cannot read more: the
        stages (translate, abstractive) split such texts first with ``ringkas.text.clauses.split_to_fit``.
        """
        if not texts:
            return []
        encoded = self.encode(texts)
        caps = [
            max_new_tokens or default_new_tokens(len(ids), task=self.task, limit=self.max_new_tokens)
            for ids in encoded
        ]
        outputs: list[list[int]] = [[] for _ in texts]
        lengths = [len(ids) for ids in encoded]
        for batch in plan_batches(lengths, token_budget=self.token_budget, max_batch=self.max_batch,
                                  padded=self.pads_batches):
            cap = max(caps[i] for i in batch)
            ids = self._generate_ids([encoded[i] for i in batch], max_new_tokens=cap,
                                     min_new_tokens=min_new_tokens)
            for i, out in zip(batch, ids, strict=True):
                # Greedy decoding is causal, so each output's own cap gives the same text batched
                # or alone, whatever the batch's longest neighbour allowed.
                outputs[i] = cut_at_eos(out, self.eos_ids)[: caps[i]]
        return self.decode(outputs)


# -- the transformers backend ----------------------------------------------------------------


def pick_device(device: str) -> str:
    """'cpu' or 'cuda' for a --device choice; 'auto' takes the GPU when torch sees one."""
    if device not in DEVICES:
        raise UsageError(f"--device must be one of {', '.join(DEVICES)}, not {device!r}")
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda: no CUDA device is visible to torch")
    return device


def cpu_threads() -> int:
    """Intra-op threads for a backend: $RINGKAS_THREADS or $OMP_NUM_THREADS, else the usable CPUs."""
    chosen = os.environ.get("RINGKAS_THREADS") or os.environ.get("OMP_NUM_THREADS")
    if chosen:
        return max(1, int(chosen))
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, n)


def configure_threads() -> int:
    """Set torch's intra-op threads to ``cpu_threads()``."""
    import torch

    n = cpu_threads()
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def _input_limit(ref: ModelRef, tokenizer: Any, config: Any) -> int:
    """The model's input limit in tokens: the least of catalog setting, tokenizer and position table."""
    limits = [
        ref.settings.get("max_input_tokens"),
        getattr(tokenizer, "model_max_length", None),
        getattr(config, "max_position_embeddings", None),
    ]
    usable = [int(x) for x in limits if isinstance(x, int) and 0 < x < 100_000]
    return min(usable) if usable else 512


class TransformersSeq2Seq(Seq2SeqModel):
    """A Hugging Face AutoModelForSeq2SeqLM from a local folder (no network, no remote code)."""

    backend = "transformers"

    def __init__(self, ref: ModelRef, tokenizer: Any, model: Any, **kwargs: Any):
        super().__init__(ref, tokenizer, **kwargs)
        self.model = model
        self.greedy = GreedyDecoder.for_model(model, tokenizer, self.generate_kwargs)
        self.pads_batches = self.greedy is None
        if self.pads_batches and self.device == "cpu" and "max_batch" not in kwargs:
            self.max_batch = 64  # generate() decodes the whole batch padded to its longest source

    @classmethod
    def load(cls, ref: ModelRef, *, device: str = "auto") -> TransformersSeq2Seq:
        """Load tokenizer and weights from ``ref.path``; ModelError (naming the pull command) on failure."""
        try:
            import torch
            from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise ModelError("model support needs torch and transformers: pip install 'ringkas[models]'") from exc
        hf_logging.disable_progress_bar()  # per-tensor loading bars are noise on a CLI's stderr
        dev = pick_device(device)
        if dev == "cpu":
            configure_threads()
        settings = dict(ref.settings)
        if _model_type(ref.path) == "m2m_100" and "src_lang" not in settings:
            # A bare NLLB folder: ringkas translates Indonesian to English.
            settings.update(src_lang="ind_Latn", tgt_lang="eng_Latn")
        src_lang = settings.get("src_lang")
        tok_kwargs = {"src_lang": src_lang} if src_lang else {}
        try:
            tokenizer = AutoTokenizer.from_pretrained(
                ref.path, local_files_only=True, trust_remote_code=False, **tok_kwargs
            )
            config_type = _model_type(ref.path)
            dtype = torch.float32
            if dev == "cuda":
                if config_type not in NO_FP16_TYPES:
                    dtype = torch.float16
                elif torch.cuda.is_bf16_supported():
                    dtype = torch.bfloat16
            model = AutoModelForSeq2SeqLM.from_pretrained(
                ref.path,
                local_files_only=True,
                trust_remote_code=False,
                use_safetensors=True,
                dtype=dtype,
            )
        except Exception as exc:  # transformers raises OSError, ValueError, KeyError... for bad folders
            raise ModelError(
                f"cannot load model {ref.name} from {ref.path}: {type(exc).__name__}: {exc}; "
                f"re-fetch it with `{ref.pull_hint}`"
            ) from exc
        model.to(dev).eval()
        if dev == "cpu":
            _fast_small_linears(model)
        # Marian forces EOS at the length cap; ringkas cuts each output to its own cap instead, so
        # that a text's output does not depend on the longest text it was batched with.
        model.generation_config.forced_eos_token_id = None
        generate_kwargs = dict(settings.get("generate", {}))
        tgt_lang = settings.get("tgt_lang")
        if tgt_lang:
            # NLLB picks the output language from the first generated token.
            generate_kwargs["forced_bos_token_id"] = tokenizer.convert_tokens_to_ids(tgt_lang)
        limit = _input_limit(ref, tokenizer, model.config)
        max_new = int(ref.settings.get("max_new_tokens") or (limit if ref.task == "translation" else 128))
        return cls(
            ref,
            tokenizer,
            model,
            device=dev,
            max_input_tokens=limit,
            max_new_tokens=max_new,
            generate_kwargs=generate_kwargs,
            prefix=str(ref.settings.get("prefix", "")),
        )

    def _generate_ids(
        self, batch: list[list[int]], *, max_new_tokens: int, min_new_tokens: int | None
    ) -> list[list[int]]:
        """Greedy output ids of one batch: the fast loop when the model allows it, else ``generate``."""
        import torch

        with torch.inference_mode():
            if self.greedy is not None:
                return self.greedy.decode(batch, max_new_tokens=max_new_tokens, min_new_tokens=min_new_tokens or 0)
            input_ids, mask = pad_batch(batch, self.tokenizer.pad_token_id)
            extra = dict(self.generate_kwargs)
            if min_new_tokens:
                extra["min_new_tokens"] = min_new_tokens
            out = self.model.generate(
                input_ids=input_ids.to(self.model.device),
                attention_mask=mask.to(self.model.device),
                max_new_tokens=max_new_tokens,
                num_beams=1,
                do_sample=False,
                **extra,
            )
        # The first position is the decoder start token, never part of the output.
        return [row[1:] for row in out.cpu().tolist()]


# Up to this many rows, and for a multiple of 16 rows only, W @ x^T beats x @ W^T on CPU (measured
# on the 2-core machine with MKL: 48 x 512 -> 2048 at 84 GFLOP/s instead of 78, 64 rows at 105
# instead of 100); at other row counts it falls to 50-60 GFLOP/s while x @ W^T stays at 65-95.
# Above 96 rows the usual product is as fast or faster. GreedyDecoder sizes its groups to suit.
_SMALL_ROWS = 96
_ROW_MULTIPLE = 16
# For the vocabulary projection the transposed product stays ahead up to hundreds of rows
# (128 x 512 -> 54,796: 50 ms instead of 91).
_SMALL_ROWS_VOCAB = 512
# An output this wide is the vocabulary projection: its result is only added to and argmax-ed, so
# it stays in the transposed layout (a copy would cost what the faster product saved).
_VOCAB_WIDTH = 8192


def _fast_small_linears(model: Any) -> None:
    """On CPU, run each Linear with few rows as W @ x^T, which MKL runs much faster at decoding sizes.

    Greedy decoding multiplies a few dozen rows per step by every weight matrix, and the projection
    to the 55k-256k vocabulary is a third of each step. Same product, different kernel.
    """
    import torch
    import torch.nn.functional as F

    for linear in model.modules():
        if not isinstance(linear, torch.nn.Linear) or getattr(linear, "_ringkas_fast", False):
            continue

        vocab = linear.out_features >= _VOCAB_WIDTH

        def forward(x: Any, linear: Any = linear, vocab: bool = vocab) -> Any:
            flat = x.reshape(-1, x.shape[-1])
            rows = flat.shape[0]
            if rows > (_SMALL_ROWS_VOCAB if vocab else _SMALL_ROWS) or (not vocab and rows % _ROW_MULTIPLE):
                return F.linear(x, linear.weight, linear.bias)
            if linear.bias is None:
                out = torch.mm(linear.weight, flat.t()).t()
            else:
                out = torch.addmm(linear.bias[:, None], linear.weight, flat.t()).t()
            if not vocab:
                out = out.contiguous()
            return out.reshape(*x.shape[:-1], linear.out_features)

        linear.forward = forward
        linear._ringkas_fast = True


def _model_type(path: Any) -> str | None:
    """model_type from a folder's config.json, or None."""
    import json
    from pathlib import Path

    try:
        return json.loads((Path(path) / "config.json").read_text(encoding="utf-8")).get("model_type")
    except (OSError, ValueError, AttributeError):
        return None


def _load_ct2(ref: ModelRef, *, device: str = "auto") -> Seq2SeqModel:
    """The CTranslate2 backend (ringkas.models.ct2), imported only when it is asked for."""
    from ringkas.models.ct2 import CT2Seq2Seq

    return CT2Seq2Seq.load(ref, device=device)


# Backends by name: each loads a ModelRef onto a device.
BACKENDS: dict[str, Callable[..., Seq2SeqModel]] = {"transformers": TransformersSeq2Seq.load, "ct2": _load_ct2}


def load_model(
    ref: str | os.PathLike[str] | ModelRef,
    *,
    task: str = "translation",
    device: str = "auto",
    backend: str = "transformers",
) -> Seq2SeqModel:
    """Load a catalog model or a folder for a task; raises ModelError naming the pull command."""
    if backend not in BACKENDS:
        raise UsageError(f"--backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    mref = ref if isinstance(ref, ModelRef) else resolve(ref, task=task)
    problems = folder_problems(mref.path)
    if problems:
        raise ModelError(
            f"model {mref.name} at {mref.path} is missing or broken ({'; '.join(problems)}); "
            f"get it with `{mref.pull_hint}`"
        )
    return BACKENDS[backend](mref, device=device)

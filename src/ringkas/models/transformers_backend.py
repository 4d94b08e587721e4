"""The transformers backend: a Hugging Face AutoModelForSeq2SeqLM from a local folder.

No network, no remote code, safetensors only. The decoding is the folder's generation settings
(ringkas.models.decoding), beams overridable at load. Greedy decoding runs in ringkas.models.greedy
and beam search in ringkas.models.beam when the model passes the load-time check and its settings
are ones they cover, else ``generate`` decodes. On CPU, linears with few rows run as
W @ x^T (``_fast_small_linears``), and the loops' independent pieces run side by side, one thread
each (ringkas.models.lanes). torch and transformers are imported inside functions only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from ringkas import tuning
from ringkas.errors import ModelError, UsageError
from ringkas.models.catalog import ModelRef
from ringkas.models.beam import BeamDecoder
from ringkas.models.decoding import read_generation_config
from ringkas.models.greedy import DecoderParts, GreedyDecoder, covers, pad_batch
from ringkas.models.lanes import lanes_for
from ringkas.models.seq2seq import Seq2SeqModel
from ringkas.models.settings import Machine, ModelConfig, ModelSettings, cpu_threads, languages, resolve_settings


def configure_threads(n: int | None = None) -> int:
    """Set torch's intra-op threads to ``n`` (default ``cpu_threads()``)."""
    import torch

    n = n or cpu_threads()
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def probe_machine(device: str) -> Machine:
    """What torch sees: a CUDA device, bfloat16 on it, and the CPU threads to use. With --device cpu
    the GPU is not asked about (asking for bfloat16 would make a CUDA context a CPU run never uses)."""
    import torch

    cuda = device != "cpu" and torch.cuda.is_available()
    return Machine(cuda=cuda, bf16=cuda and torch.cuda.is_bf16_supported(), threads=cpu_threads())


class TransformersSeq2Seq(Seq2SeqModel):
    """A Hugging Face AutoModelForSeq2SeqLM from a local folder (no network, no remote code)."""

    def __init__(self, ref: ModelRef, tokenizer: Any, settings: ModelSettings, model: Any):
        super().__init__(ref, tokenizer, settings)
        self.model = model
        if settings.tgt_lang:
            # NLLB picks the output language from the first generated token.
            self.decoding = dataclasses.replace(self.decoding,
                                                forced_bos_token_id=tokenizer.convert_tokens_to_ids(settings.tgt_lang))
        parts = DecoderParts.of(model, tokenizer) if covers(self.decoding) else None
        if parts is not None:
            parts.lanes = lanes_for(self.device, settings.threads, tuning.CPU_LANES)
        self.greedy = GreedyDecoder.for_model(model, tokenizer, self.decoding, parts) if parts else None
        self.beam = BeamDecoder.for_model(model, tokenizer, self.decoding, parts) if parts else None
        self.pads_batches = self.greedy is None and self.beam is None
        if self.pads_batches and self.device == "cpu":
            self.max_batch = tuning.GENERATE_MAX_BATCH_CPU

    @classmethod
    def load(cls, ref: ModelRef, *, device: str = "auto", beams: int | None = None) -> TransformersSeq2Seq:
        """Load tokenizer and weights from ``ref.path``, to decode as the folder says (``beams``
        overrides its beam count); ModelError (naming the pull command) on failure."""
        try:
            import torch
            from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise ModelError("model support needs torch and transformers: pip install 'ringkas[models]'") from exc
        hf_logging.disable_progress_bar()  # per-tensor loading bars are noise on a CLI's stderr
        machine = probe_machine(device)
        try:
            hf_config = AutoConfig.from_pretrained(ref.path, local_files_only=True, trust_remote_code=False)
            config = ModelConfig(model_type=hf_config.model_type,
                                 max_position_embeddings=getattr(hf_config, "max_position_embeddings", None))
            src_lang, _ = languages(config.model_type, ref.settings)
            tokenizer = AutoTokenizer.from_pretrained(
                ref.path, local_files_only=True, trust_remote_code=False, **({"src_lang": src_lang} if src_lang else {})
            )
            config = dataclasses.replace(config, tokenizer_max_length=getattr(tokenizer, "model_max_length", None))
            settings = resolve_settings(config, ref.settings, task=ref.task, backend="transformers", device=device,
                                        machine=machine, generation=read_generation_config(ref.path), beams=beams)
            if settings.threads:
                configure_threads(settings.threads)
            model = AutoModelForSeq2SeqLM.from_pretrained(
                ref.path,
                local_files_only=True,
                trust_remote_code=False,
                use_safetensors=True,
                dtype=getattr(torch, settings.dtype),
            )
        except UsageError:  # the --device choice, not the folder
            raise
        except Exception as exc:  # transformers raises OSError, ValueError, KeyError... for bad folders
            raise ModelError(
                f"cannot load model {ref.name} from {ref.path}: {type(exc).__name__}: {exc}; "
                f"re-fetch it with `{ref.pull_hint}`"
            ) from exc
        model.to(settings.device).eval()
        if settings.device == "cpu":
            _fast_small_linears(model)
            if tuning.CPU_DECODER_EAGER_ATTENTION:
                _eager_decoder_attention(model)
        return cls(ref, tokenizer, settings, model)

    def _generate_ids(
        self, batch: list[list[int]], *, max_new_tokens: int | Sequence[int], min_new_tokens: int | None
    ) -> list[list[int]]:
        """Output ids of one batch: ringkas's own loops when the model allows them, else ``generate``."""
        import torch

        caps = [max_new_tokens] * len(batch) if isinstance(max_new_tokens, int) else list(max_new_tokens)
        with torch.inference_mode():
            if self.greedy is not None:
                return self.greedy.decode(batch, max_new_tokens=caps, min_new_tokens=min_new_tokens or 0)
            if self.beam is not None:
                return self.beam.decode(batch, max_new_tokens=caps, min_new_tokens=min_new_tokens or 0)
            # generate() takes one cap a call: greedy rows share the longest, beams need their own.
            out: list[list[int]] = [[] for _ in batch]
            by_cap = {max(caps): list(range(len(batch)))} if self.decoding.greedy else {
                cap: [i for i, c in enumerate(caps) if c == cap] for cap in sorted(set(caps))}
            for cap, rows in by_cap.items():
                for i, ids in zip(rows, self._generate([batch[i] for i in rows], cap, min_new_tokens), strict=True):
                    out[i] = ids
        return out

    def _generate(self, batch: list[list[int]], cap: int, min_new_tokens: int | None) -> list[list[int]]:
        """``model.generate`` on a batch, padded, with the model's decoding settings."""
        input_ids, mask = pad_batch(batch, self.tokenizer.pad_token_id)
        extra = self.decoding.generate_kwargs()
        if min_new_tokens:
            extra["min_new_tokens"] = min_new_tokens
        out = self.model.generate(input_ids=input_ids.to(self.model.device), attention_mask=mask.to(self.model.device),
                                  max_new_tokens=cap, **extra)
        # The first position is the decoder start token, never part of the output.
        return [row[1:] for row in out.cpu().tolist()]


def _fast_small_linears(model: Any) -> None:
    """On CPU, run each Linear with few rows as W @ x^T, which MKL runs much faster at decoding sizes.

    Greedy decoding multiplies a few dozen rows per step by every weight matrix, and the projection
    to the 55k-256k vocabulary is a third of each step. Same product, different kernel; the row
    limits are ringkas.tuning's FAST_LINEAR_* (GreedyDecoder cuts its groups to suit them).
    """
    import torch
    import torch.nn.functional as F

    small, multiple = tuning.FAST_LINEAR_MAX_ROWS, tuning.FAST_LINEAR_ROW_MULTIPLE
    small_vocab, vocab_width = tuning.FAST_LINEAR_MAX_ROWS_VOCAB, tuning.FAST_LINEAR_VOCAB_WIDTH
    for linear in model.modules():
        if not isinstance(linear, torch.nn.Linear) or getattr(linear, "_ringkas_fast", False):
            continue

        vocab = linear.out_features >= vocab_width

        def forward(x: Any, linear: Any = linear, vocab: bool = vocab) -> Any:
            flat = x.reshape(-1, x.shape[-1])
            rows = flat.shape[0]
            if rows > (small_vocab if vocab else small) or (not vocab and rows % multiple):
                return F.linear(x, linear.weight, linear.bias)
            if linear.bias is None:
                out = torch.mm(linear.weight, flat.t()).t()
            else:
                out = torch.addmm(linear.bias[:, None], linear.weight, flat.t()).t()
            if not vocab:
                out = out.contiguous()
            return out.reshape(*x.shape[:-1], linear.out_features)

        # An instance attribute shadows the class's forward for this one module (nn.Module looks
        # it up per call); setattr keeps type checkers from reading it as a method assignment.
        setattr(linear, "forward", forward)  # noqa: B010
        setattr(linear, "_ringkas_fast", True)  # noqa: B010


def _eager_decoder_attention(model: Any) -> None:
    """On CPU, the decoder attends with transformers' eager attention (two matmuls and a softmax),
    the encoder still with SDPA.

    A decoding step asks one query token of each row to attend over the cache; torch's CPU SDPA
    kernel blocks over query positions and does poorly with one (a 64-row opus-mt decoder step 30-31
    ms eager against 34 with SDPA), where the encoder's full-length attention is faster with SDPA
    (tuning.CPU_DECODER_EAGER_ATTENTION). The attention modules and the decoder's mask builders read
    the implementation from their config, which the whole model shares, so the decoder's modules get
    a copy of it that says "eager". Same attention, another kernel: tests compare with ``generate``.
    """
    import copy

    decoder = model.get_decoder()
    config = getattr(decoder, "config", None)
    if config is None or getattr(config, "_attn_implementation", None) != "sdpa":
        return
    eager = copy.copy(config)
    eager._attn_implementation = "eager"
    for module in decoder.modules():
        if getattr(module, "config", None) is config:
            module.config = eager

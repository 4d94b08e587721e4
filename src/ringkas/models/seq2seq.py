"""Seq2seq models (translation, abstractive summary) behind one batch-first interface.

Shaped like a transformers pipeline: ``encode`` and ``plan_batches`` (preprocess) and
``decode``/order restoration (postprocess) are pure and torch-free; only a backend's
``_generate_ids`` touches the framework. A backend (ringkas.models.transformers_backend,
ringkas.models.ct2) implements that one method and ``load``; batching, caps, order and decoding
are shared here, and the settings both load with come from ringkas.models.settings (the decoding
itself, greedy or beams, from ringkas.models.decoding). ringkas.models.loader picks the backend.

torch and transformers are imported inside the backends' functions, never at module import.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from typing import Any

from ringkas import tuning
from ringkas.models.catalog import ModelRef
from ringkas.models.settings import ModelSettings

log = logging.getLogger("ringkas.models")

# ringkas's cap where the model folder sets no length (generate's default, 20 tokens, would cut
# translations): English runs a little longer than Indonesian in subwords, so a translation may
# take 1.5x the source's tokens plus 10.
TRANSLATION_LENGTH_RATIO, TRANSLATION_LENGTH_EXTRA = 1.5, 10


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
        return min(limit, math.ceil(source_len * TRANSLATION_LENGTH_RATIO) + TRANSLATION_LENGTH_EXTRA)
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

    def __init__(self, ref: ModelRef, tokenizer: Any, settings: ModelSettings, *,
                 token_budget: int | None = None, max_batch: int | None = None):
        self.ref = ref
        self.settings = settings
        self.task = ref.task
        self.device = settings.device
        self.tokenizer = tokenizer
        self.max_input_tokens = settings.max_input_tokens
        self.max_new_tokens = settings.max_new_tokens
        self.decoding = settings.decoding
        self.prefix = settings.prefix
        self.token_budget = token_budget or tuning.TOKEN_BUDGET.get(self.device, tuning.TOKEN_BUDGET["cpu"])
        self.max_batch = max_batch or tuning.MAX_BATCH.get(self.device, tuning.MAX_BATCH["cpu"])
        self.pads_batches = True  # see plan_batches
        self.eos_ids = frozenset(i for i in (tokenizer.eos_token_id, tokenizer.pad_token_id) if i is not None)

    @property
    def engine_id(self) -> str:
        """``NAME@REVISION`` of the weights as this backend runs them."""
        return self.ref.id

    @property
    def id(self) -> str:
        """``NAME@REVISION DECODING`` (``opus-mt-id-en@947e42c7 beam4``), as records name the model."""
        return f"{self.engine_id} {self.decoding.label}"

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
        self, batch: list[list[int]], *, max_new_tokens: int | Sequence[int], min_new_tokens: int | None
    ) -> list[list[int]]:
        """Output ids of one batch of unpadded input ids (the only framework-touching step), each
        row within its own cap (``max_new_tokens``: one for all rows, or one per row)."""
        raise NotImplementedError

    # -- postprocess (pure) --

    def decode(self, ids: Sequence[Sequence[int]]) -> list[str]:
        """Text of each output id sequence, special tokens dropped."""
        return [t.strip() for t in self.tokenizer.batch_decode(ids, skip_special_tokens=True)]

    def caps(self, encoded: Sequence[Sequence[int]], max_new_tokens: int | None = None) -> list[int]:
        """Most new tokens of each encoded text: the call's, else the folder's, else ringkas's cap."""
        fixed = max_new_tokens or self.decoding.max_new_tokens
        return [fixed or default_new_tokens(len(ids), task=self.task, limit=self.max_new_tokens) for ids in encoded]

    def generate(
        self,
        texts: Sequence[str],
        *,
        max_new_tokens: int | None = None,
        min_new_tokens: int | None = None,
    ) -> list[str]:
        """One output per text, in input order, decoded as ``self.decoding`` says (greedy or beams),
        batched by length under the token budget.

        A text longer than ``max_input_tokens`` is cut to fit, as the model cannot read more: the
        stages (translate, abstractive) split such texts first with ``ringkas.text.clauses.split_to_fit``.
        """
        if not texts:
            return []
        started = time.perf_counter()
        encoded = self.encode(texts)
        caps = self.caps(encoded, max_new_tokens)
        minimum = self.decoding.min_new_tokens if min_new_tokens is None else min_new_tokens
        # A forced EOS takes the last position a cap allows (as generate() forces it).
        keep = [cap - 1 if self.decoding.forced_eos_token_id is not None else cap for cap in caps]
        outputs: list[list[int]] = [[] for _ in texts]
        lengths = [len(ids) for ids in encoded]
        beams = self.decoding.num_beams
        # Each beam is a decoder row with its own cache: the budget and batch size count rows.
        for batch in plan_batches(lengths, token_budget=max(1, self.token_budget // beams),
                                  max_batch=max(1, self.max_batch // beams), padded=self.pads_batches):
            ids = self._generate_ids([encoded[i] for i in batch], max_new_tokens=[caps[i] for i in batch],
                                     min_new_tokens=minimum)
            for i, out in zip(batch, ids, strict=True):
                # Greedy decoding is causal, so each output's own cap gives the same text batched
                # or alone, whatever the batch's longest neighbour allowed; beams stop at their own.
                outputs[i] = cut_at_eos(out, self.eos_ids)[: keep[i]]
        log.debug("%s: %d texts, %d tokens generated in %.2f s", self.id, len(texts),
                  sum(len(o) for o in outputs), time.perf_counter() - started)
        return self.decode(outputs)

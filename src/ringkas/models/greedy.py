"""Greedy decoding for transformers seq2seq models, written out for throughput.

``model.generate`` pays per step for logits processors, stopping criteria and bookkeeping, runs
the whole batch padded to its longest source, and materialises the logits over the whole
vocabulary. On a CPU those costs are most of the time (measured with opus-mt shapes in
benchmarks/bench_translate.py), so this loop does three things differently and nothing else:

- groups: rows are sorted by source length and cut into groups. The encoder runs in small
  length-tight sub-batches (padding is where its time goes), and each decoder group's
  cross-attention is padded only to that group's longest source;
- one head: the decoder's last hidden states of all groups meet in one output projection, the
  largest matrix of the model, which is read from memory once per step for every row;
- no logits: the projection runs in vocabulary chunks that stay in cache, each reduced to its
  maximum at once, so the [rows, vocabulary] logits never exist.

It gives what greedy ``generate`` gives (tests compare them on Marian, NLLB and T5), and it is
only used when a model passes a load-time check that its decoder plus the head here reproduces the
model's own logits (``DecoderParts.of``), and its generation settings are ones it covers
(``covers``); otherwise ringkas calls ``generate``. Beam search runs on the same parts
(ringkas.models.beam). torch is imported inside functions, like the rest of the model code.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

from ringkas import tuning
from ringkas.models.decoding import Decoding
from ringkas.models.lanes import SINGLE, Lanes


def pad_batch(batch: Sequence[Sequence[int]], pad: int) -> tuple[Any, Any]:
    """Right-padded input ids and attention mask tensors of a batch of id lists."""
    import torch

    width = max(len(ids) for ids in batch)
    input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, ids in enumerate(batch):
        input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        mask[row, : len(ids)] = 1
    return input_ids, mask


def length_groups(lengths: Sequence[int], *, max_rows: int, min_fill: float) -> list[list[int]]:
    """Positions of ``lengths`` (sorted longest first) cut into groups of at most ``max_rows``,
    a row shorter than ``min_fill`` of its group's longest starting a new group."""
    groups: list[list[int]] = []
    longest = 0
    for i, length in enumerate(lengths):
        if not groups or len(groups[-1]) >= max_rows or length < min_fill * longest:
            groups.append([])
            longest = length
        groups[-1].append(i)
    return groups


def balanced_groups(count: int, max_rows: int, multiple: int = 1, lanes: int = 1) -> list[range]:
    """``count`` positions cut into the fewest contiguous groups of at most ``max_rows``, as equal
    as whole ``multiple``s of rows allow, the remainder last (64 + 64 + 9 rows would run a 9-row
    group at nearly a full group's cost; CPU kernels are fastest at multiples of 16 rows). With
    ``lanes`` the number of groups is a multiple of it (while rows last), so that every lane
    (ringkas.models.lanes) gets as many groups as the others."""
    n = max(1, -(-count // max_rows))
    if lanes > 1:
        n = min(max(1, count), -(-n // lanes) * lanes)
    if multiple == 1:
        bounds = [count * k // n for k in range(n + 1)]
        return [range(bounds[k], bounds[k + 1]) for k in range(n)]
    per = -(-count // n)
    for size in (per // multiple * multiple, min(max_rows, -(-per // multiple) * multiple)):
        if size > 0 and size // 2 <= count - (n - 1) * size <= max_rows:
            cuts = [k * size for k in range(n)] + [count]
            return [range(cuts[k], cuts[k + 1]) for k in range(n)]
    return balanced_groups(count, max_rows, 1, lanes)


class OutputHead:
    """The model's output projection (plus Marian's final_logits_bias, T5's output scale), reduced
    chunk by chunk to each row's best token."""

    def __init__(self, weight: Any, bias: Any | None, scale: float, chunk: int):
        self.weight, self.bias, self.scale = weight, bias, scale
        self.vocab = weight.shape[0]
        self.chunk = min(chunk, self.vocab)

    @classmethod
    def of(cls, model: Any) -> OutputHead | None:
        """The head of ``model``, or None when it has none this class can reproduce."""
        head = model.get_output_embeddings()
        weight = getattr(head, "weight", None)
        if weight is None or weight.dim() != 2 or getattr(head, "bias", None) is not None:
            return None
        bias = getattr(model, "final_logits_bias", None)
        bias = bias.view(-1) if bias is not None else None  # a view: later changes to the buffer count
        config = model.config
        scale = config.d_model ** -0.5 if getattr(config, "scale_decoder_outputs", False) else 1.0
        chunk = tuning.HEAD_CHUNK_CPU if weight.device.type == "cpu" else weight.shape[0]
        return cls(weight, bias, scale, chunk)

    def logits(self, hidden: Any) -> Any:
        """Full logits [rows, vocabulary] (only for the load-time check)."""
        out = (hidden * self.scale) @ self.weight.t()
        return out + self.bias if self.bias is not None else out

    def chunks(self, banned: Sequence[int]) -> list[tuple[int, int, Any]]:
        """(start, stop, banned ids inside as chunk positions or None) of each vocabulary chunk;
        made once per decode so that a step does no per-chunk bookkeeping."""
        import torch

        out = []
        for start in range(0, self.vocab, self.chunk):
            stop = min(start + self.chunk, self.vocab)
            inside = sorted({t - start for t in banned if start <= t < stop})
            out.append((start, stop, torch.tensor(inside, device=self.weight.device) if inside else None))
        return out

    def best(self, hidden: Any, chunks: list[tuple[int, int, Any]], lanes: Lanes = SINGLE) -> Any:
        """Index of each row's highest logit (the first one on ties, like argmax), over ``chunks``
        (from ``chunks``: its banned ids can never win); the chunks shared out over ``lanes``."""
        import torch

        x = hidden * self.scale if self.scale != 1.0 else hidden
        parts = lanes.map(lambda span: self._best_of(x, chunks[span.start : span.stop]), lanes.split(len(chunks)))
        best_value, best_index = parts[0]
        for value, index in parts[1:]:
            better = value > best_value  # strictly: an earlier chunk keeps a tie, as argmax does
            best_value = torch.where(better, value, best_value)
            best_index = torch.where(better, index, best_index)
        return best_index

    def _best_of(self, x: Any, chunks: list[tuple[int, int, Any]]) -> tuple[Any, Any]:
        """(highest logit, its vocabulary index) of each row over ``chunks``, the first on ties."""
        import torch

        best_value: Any = None
        best_index: Any = None
        for start, stop, banned in chunks:
            w = self.weight[start:stop]
            part = torch.addmm(self.bias[start:stop], x, w.t()) if self.bias is not None else x @ w.t()
            if banned is not None:
                part[:, banned] = float("-inf")
            index = part.argmax(-1)
            value = part.gather(1, index[:, None]).squeeze(1)
            if best_value is None:
                best_value, best_index = value, index + start
            else:
                better = value > best_value
                best_value = torch.where(better, value, best_value)
                best_index = torch.where(better, index + start, best_index)
        return best_value, best_index


def _new_cache() -> Any:
    """An encoder-decoder cache whose self-attention layers grow in place (see _growing_layer)."""
    from transformers.cache_utils import DynamicCache, EncoderDecoderCache

    self_attention = DynamicCache()  # a DynamicCache still: EncoderDecoderCache selects rows only of those
    self_attention.layer_class_to_replicate = _growing_layer()
    return EncoderDecoderCache(self_attention, DynamicCache())


_GROWING_LAYER = None


def _growing_layer() -> type:
    """A self-attention cache layer that writes each step into a buffer with room to spare.

    transformers' DynamicLayer concatenates, copying the whole cache of every layer at every step:
    11% of decoding time with opus-mt shapes on CPU. This one doubles its buffer when full, so the
    copies are amortised away; what it returns are views of the filled part. The class is made on
    first use because its base class lives in transformers, which the model-free path never imports.
    """
    global _GROWING_LAYER
    if _GROWING_LAYER is not None:
        return _GROWING_LAYER
    from transformers.cache_utils import DynamicLayer

    class GrowingLayer(DynamicLayer):
        FIRST_ROOM = 32  # positions of the first buffer; it doubles from there
        length: int
        room_k: Any
        room_v: Any

        def update(self, key_states: Any, value_states: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
            if not self.is_initialized:
                self.lazy_initialization(key_states, value_states)
                self.length, self.room_k, self.room_v = 0, None, None
            end = self.length + key_states.shape[-2]
            if self.room_k is None or end > self.room_k.shape[-2]:
                size = max(end, self.FIRST_ROOM, 2 * (self.room_k.shape[-2] if self.room_k is not None else 0))
                room_k = key_states.new_empty((*key_states.shape[:-2], size, key_states.shape[-1]))
                room_v = value_states.new_empty((*value_states.shape[:-2], size, value_states.shape[-1]))
                if self.length:
                    room_k[..., : self.length, :] = self.keys
                    room_v[..., : self.length, :] = self.values
                self.room_k, self.room_v = room_k, room_v
            self.room_k[..., self.length : end, :] = key_states
            self.room_v[..., self.length : end, :] = value_states
            self.length = end
            self.keys, self.values = self.room_k[..., :end, :], self.room_v[..., :end, :]
            return self.keys, self.values

        def batch_select_indices(self, indices: Any) -> None:
            if self.is_initialized and self.length:
                self.room_k, self.room_v = self.room_k[indices], self.room_v[indices]
                self.keys, self.values = self.room_k[..., : self.length, :], self.room_v[..., : self.length, :]

        def crop(self, tokens_to_remove: int) -> None:
            super().crop(tokens_to_remove)
            keys: Any = self.keys
            if self.is_initialized:
                self.length = keys.shape[-2]

    _GROWING_LAYER = GrowingLayer
    return GrowingLayer


class _Group:
    """Rows decoded together: their encoder states padded to the group's longest, their cache,
    the token each row reads next and whether it has ended."""

    def __init__(self, rows: Any, states: Any, mask: Any, start: int, caps: Any):
        import torch

        self.rows, self.states, self.mask = rows, states, mask  # rows: positions in the batch
        self.caps = caps  # each row's most new tokens: a row at its cap has ended, as at EOS
        self.cache = _new_cache()
        self.current = torch.full((len(rows), 1), start, dtype=torch.long, device=rows.device)
        self.finished = torch.zeros(len(rows), dtype=torch.bool, device=rows.device)


def covers(decoding: Decoding) -> bool:
    """True when ringkas's own loops apply every setting of ``decoding`` (else generate() decodes)."""
    return (not decoding.other and decoding.no_repeat_ngram_size == 0 and decoding.repetition_penalty == 1.0
            and all(len(words) == 1 for words in decoding.bad_words_ids))


class DecoderParts:
    """A model's encoder, decoder and output head as ringkas's own loops drive them (greedy here,
    beams in ringkas.models.beam), checked at load against the model's own logits."""

    def __init__(self, model: Any, head: OutputHead, *, eos: list[int], start: int, pad: int):
        self.model, self.head, self.eos, self.start, self.pad = model, head, eos, start, pad
        self.lanes = SINGLE  # the backend gives CPU models theirs (ringkas.models.lanes)
        self.encoder, self.decoder = model.get_encoder(), model.get_decoder()
        # transformers 5 renamed the decoder cache argument from past_key_values to cache.
        params = inspect.signature(self.decoder.forward).parameters
        self.cache_arg = "cache" if "cache" in params else "past_key_values"

    @classmethod
    def of(cls, model: Any, tokenizer: Any) -> DecoderParts | None:
        """The parts of ``model``, or None when its architecture needs ``generate`` (the load-time check)."""
        if not model.config.is_encoder_decoder:
            return None
        config = model.generation_config
        start = config.decoder_start_token_id
        if start is None:
            start = model.config.decoder_start_token_id
        eos = config.eos_token_id if config.eos_token_id is not None else tokenizer.eos_token_id
        eos = [eos] if isinstance(eos, int) else list(eos or [])
        pad = config.pad_token_id if config.pad_token_id is not None else tokenizer.pad_token_id
        head = OutputHead.of(model)
        if start is None or not eos or pad is None or head is None:
            return None
        parts = cls(model, head, eos=eos, start=start, pad=pad)
        return parts if parts.reproduces_model() else None

    def reproduces_model(self) -> bool:
        """True when decoder + head give the model's own logits on a probe (else use generate)."""
        import torch
        from transformers.modeling_outputs import BaseModelOutput

        device = self.model.device
        ids = torch.tensor([[self.eos[0], self.start, self.eos[0]]], device=device)
        step = torch.tensor([[self.start]], device=device)
        try:
            with torch.inference_mode():
                states = self.encoder(input_ids=ids).last_hidden_state
                full = self.model(encoder_outputs=BaseModelOutput(last_hidden_state=states),
                                  decoder_input_ids=step).logits[:, -1].float()
                hidden = self.decoder(input_ids=step, encoder_hidden_states=states).last_hidden_state[:, -1]
                ours = self.head.logits(hidden).float()
        except (TypeError, ValueError, RuntimeError, AttributeError, IndexError, KeyError):  # parts that take other arguments
            return False
        return ours.shape == full.shape and bool(torch.allclose(ours, full, rtol=1e-3, atol=1e-3 * float(
            full.abs().max().clamp(min=1.0))))

    def spans(self, count: int, beams: int = 1) -> list[range]:
        """Positions (longest sources first) of each decoder group, ``beams`` decoder rows a source."""
        cpu = self.model.device.type == "cpu"
        rows = tuning.DECODER_ROWS_CPU if cpu else tuning.DECODER_ROWS_GPU
        multiple = tuning.DECODER_ROW_MULTIPLE_CPU if cpu else 1
        return balanced_groups(count, max(1, rows // beams), max(1, multiple // beams), self.lanes.n)

    def encode(self, batch: list[list[int]], rows: list[int]) -> tuple[Any, Any]:
        """Encoder states and mask of ``rows`` of the batch (longest first), padded to the longest,
        computed in length-tight sub-batches of at most tuning.ENCODER_ROWS."""
        import torch

        device = self.model.device
        width = len(batch[rows[0]])
        states = None
        mask = torch.zeros((len(rows), width), dtype=torch.long, device=device)
        for sub in length_groups([len(batch[r]) for r in rows], max_rows=tuning.ENCODER_ROWS,
                                 min_fill=tuning.ENCODER_MIN_FILL):
            ids, sub_mask = pad_batch([batch[rows[k]] for k in sub], self.pad)
            hidden = self.encoder(input_ids=ids.to(device), attention_mask=sub_mask.to(device)).last_hidden_state
            if states is None:
                states = hidden.new_zeros((len(rows), width, hidden.shape[-1]))
            index = torch.tensor(sub, device=device)
            states[index, : hidden.shape[1]] = hidden
            mask[index, : hidden.shape[1]] = sub_mask.to(device)
        return states, mask

    def step(self, current: Any, states: Any, mask: Any, cache: Any) -> tuple[Any, Any]:
        """(last hidden state of each row, the cache) after one decoder step on ``current`` tokens."""
        out = self.decoder(input_ids=current, encoder_hidden_states=states, encoder_attention_mask=mask,
                           use_cache=True, **{self.cache_arg: cache})
        return out.last_hidden_state[:, -1], getattr(out, self.cache_arg)  # outputs name the cache as the argument does

    def step_group(self, group: Any) -> Any:
        """One decoder step of a group of either loop (its ``current``, ``states``, ``mask`` and
        ``cache``; run on a lane): the rows' last hidden states, the group's cache kept."""
        last, group.cache = self.step(group.current, group.states, group.mask, group.cache)
        return last


class GreedyDecoder:
    """Greedy decoding written out: grouped encoder and decoder, one chunked output head."""

    # Rows of the encoder sub-batches and decoder groups: ringkas.tuning's ENCODER_* and
    # DECODER_*, read at each decode.

    def __init__(self, parts: DecoderParts, *, forced_bos: int | None, banned: list[int]):
        self.parts, self.forced_bos, self.banned = parts, forced_bos, banned
        self.model, self.head, self.eos, self.start, self.pad = parts.model, parts.head, parts.eos, parts.start, parts.pad

    @classmethod
    def for_model(cls, model: Any, tokenizer: Any, decoding: Decoding,
                  parts: DecoderParts | None = None) -> GreedyDecoder | None:
        """A decoder for ``model``, or None when its decoding or architecture needs ``generate``."""
        if not decoding.greedy or not covers(decoding):
            return None
        parts = parts or DecoderParts.of(model, tokenizer)
        if parts is None:
            return None
        return cls(parts, forced_bos=decoding.forced_bos_token_id, banned=[w[0] for w in decoding.bad_words_ids])

    def _groups(self, batch: list[list[int]], caps: Sequence[int]) -> list[_Group]:
        """Decoder groups of the batch (longest sources first) with their encoder states."""
        import torch

        device = self.model.device
        order = sorted(range(len(batch)), key=lambda i: -len(batch[i]))
        groups = []
        for span in self.parts.spans(len(order)):
            rows = [order[k] for k in span]
            states, mask = self.parts.encode(batch, rows)
            groups.append(_Group(torch.tensor(rows, device=device), states, mask, self.start,
                                 torch.tensor([caps[r] for r in rows], device=device)))
        return groups

    def decode(self, batch: list[list[int]], *, max_new_tokens: int | Sequence[int],
               min_new_tokens: int = 0) -> list[list[int]]:
        """Greedy output ids (without the start token) of a batch of unpadded input ids, each row
        within its own cap (one for all, or one a row): a row at its cap leaves, as one at EOS does."""
        caps = [max_new_tokens] * len(batch) if isinstance(max_new_tokens, int) else list(max_new_tokens)
        groups = self._groups(batch, caps)  # the encoder's large products split well over intra-op threads
        with self.parts.lanes.active():
            return self._decode(batch, groups, caps, min_new_tokens)

    def _decode(self, batch: list[list[int]], groups: list[_Group], caps: list[int], min_new_tokens: int
                ) -> list[list[int]]:
        import torch

        device = self.model.device
        max_new_tokens = max(caps, default=0)
        eos = torch.tensor(self.eos, device=device)
        chunks = self.head.chunks(self.banned)
        chunks_no_eos = self.head.chunks([*self.banned, *self.eos]) if min_new_tokens else chunks
        out_ids = torch.full((len(batch), max_new_tokens), self.pad, dtype=torch.long, device=device)
        for step in range(max_new_tokens):
            hidden = self.parts.lanes.map(self.parts.step_group, groups)
            if step == 0 and self.forced_bos is not None:
                chosen = torch.full((sum(len(g.rows) for g in groups),), self.forced_bos, dtype=torch.long,
                                    device=device)
            else:
                chosen = self.head.best(torch.cat(hidden) if len(hidden) > 1 else hidden[0],
                                        chunks_no_eos if step < min_new_tokens else chunks, self.parts.lanes)
            alive = []
            for g, picked in zip(groups, chosen.split([len(g.rows) for g in groups]), strict=True):
                picked = torch.where(g.finished, torch.full_like(picked, self.pad), picked)
                out_ids[g.rows, step] = picked
                g.finished |= torch.isin(picked, eos) | (g.caps <= step + 1)
                done = int(g.finished.sum())
                if done == len(g.rows):
                    continue  # the whole group has ended
                # Rows that finished stop costing decoder steps; the cache copy this takes is
                # worth it once a share of the group is done.
                if done >= len(g.rows) * tuning.PRUNE_FINISHED_SHARE and hasattr(g.cache, "batch_select_indices"):
                    keep = (~g.finished).nonzero().squeeze(1)
                    g.cache.batch_select_indices(keep)
                    g.states, g.mask, g.rows, g.caps = g.states[keep], g.mask[keep], g.rows[keep], g.caps[keep]
                    picked, g.finished = picked[keep], g.finished[keep]
                g.current = picked[:, None]
                alive.append(g)
            groups = alive
            if not groups:
                break
        return out_ids.cpu().tolist()

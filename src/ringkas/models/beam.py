"""Beam search for transformers seq2seq models, batched across documents like the greedy loop.

It runs on the greedy loop's parts (ringkas.models.greedy.DecoderParts: the encoder in
length-tight sub-batches, decoder groups padded only to their own longest source, one output head
for all groups) and follows transformers 5's ``_beam_search`` step for step: log-softmax, then the
folder's processors (bad words, minimum length, forced BOS and EOS), the top ``2 x beams``
continuations of each source, the best unfinished ones running on, finished ones scored with the
length penalty, and generate's early-stop heuristic. What it does differently, for throughput:

- a source whose search is over (its finished hypotheses can no longer be beaten, by that same
  heuristic, or its cap is reached) leaves its group at once, its beams' cache rows dropped;
  ``generate`` decodes every row of a batch until the last one is done. A finished source's
  hypotheses are frozen in ``generate`` too, so dropping it changes nothing;
- each source keeps its own cap, so its output is what ``generate`` gives it alone;
- the first step runs one decoder row a source, not one a beam: every beam reads the same start
  token then, and the cross-attention keys and values are computed once a source;
- only the self-attention cache is reordered at each step: a source's beams share the same
  cross-attention keys and values, which ``generate`` copies along at every step;
- the decoder rows of all groups meet in one output projection, as in the greedy loop.

Its output equals ``generate``'s with the same settings (tests compare them on Marian, NLLB and
T5 with 2 and 4 beams). Scores are sums of float32 log-probabilities, so two hypotheses within
rounding of each other may be ranked differently by a differently shaped batch: a text's output
can then depend on its neighbours, which is as true of ``generate``. torch is imported inside
functions only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ringkas import tuning
from ringkas.models.decoding import Decoding
from ringkas.models.greedy import DecoderParts, OutputHead, _new_cache, covers
from ringkas.models.lanes import SINGLE, Lanes

# generate() starts every beam but the first at this score, and pushes finished or impossible
# candidates down by it; the same constant keeps the arithmetic identical.
_LOW = -1.0e9


def top_log_probs(head: OutputHead, hidden: Any, banned: Any, k: int, lanes: Lanes = SINGLE) -> tuple[Any, Any]:
    """(log-probabilities, token ids) of each row's ``k`` best tokens, best first; ``banned`` ids (a
    tensor, or None) can never be picked but still count in the normaliser, as in generate.

    Unlike the greedy head, the logits are materialised, a block of rows at a time
    (tuning.BEAM_LOGITS_ELEMENTS, and at least one block a lane): a beam step needs every row's
    log-sum-exp, and one fused log_softmax over whole rows costs a fraction of per-chunk
    reductions (and is generate's own)."""
    import torch

    step = max(1, tuning.BEAM_LOGITS_ELEMENTS // head.vocab)
    count = hidden.shape[0]
    blocks = [range(start, min(start + step, count)) for start in range(0, count, step)]
    if len(blocks) < lanes.n:
        blocks = lanes.split(count)

    def block(span: range) -> tuple[Any, Any]:
        rows = hidden[span.start : span.stop]
        x = rows * head.scale if head.scale != 1.0 else rows
        if x.device.type == "cpu" and len(x) <= tuning.FAST_LINEAR_MAX_ROWS_VOCAB:
            # W @ x^T is MKL's faster layout for the vocabulary at these rows (tuning.FAST_LINEAR_*,
            # `python benchmarks/bench_greedy.py --matmul`), the copy back to rows included.
            logits = (torch.addmm(head.bias[:, None], head.weight, x.t()) if head.bias is not None
                      else head.weight @ x.t()).t().contiguous()
        else:
            logits = torch.addmm(head.bias, x, head.weight.t()) if head.bias is not None else x @ head.weight.t()
        scores = torch.log_softmax(logits.float(), dim=-1)
        if banned is not None:
            scores[:, banned] = float("-inf")
        return torch.topk(scores, k=min(k, head.vocab), dim=-1)

    found = lanes.map(block, blocks)
    if len(found) == 1:
        return found[0][0], found[0][1]
    return torch.cat([v for v, _ in found]), torch.cat([i for _, i in found])


class _Beams:
    """The sources of one decoder group and their beams: running and finished hypotheses."""

    def __init__(self, parts: DecoderParts, batch: list[list[int]], rows: list[int], caps: Sequence[int], beams: int):
        import torch

        device = parts.model.device
        n = len(rows)
        states, mask = parts.encode(batch, rows)
        # One decoder row a source for the first step (its beams would all read the same start
        # token), then row r * beams + b is beam b of source r.
        self.states, self.mask, self.expanded = states, mask, False
        self.rows = torch.tensor(rows, device=device)  # positions in the batch
        self.caps = torch.tensor([caps[r] for r in rows], device=device)
        width = max(int(self.caps.max()), 1)
        self.cache = _new_cache()
        self.current = torch.full((n, 1), parts.start, dtype=torch.long, device=device)
        self.running = torch.zeros((n, beams), dtype=torch.float32, device=device)
        self.running[:, 1:] = _LOW  # only the first beam is live at the start, as in generate
        self.running_ids = torch.full((n, beams, width), parts.pad, dtype=torch.long, device=device)
        self.finished = torch.full((n, beams), _LOW, dtype=torch.float32, device=device)
        self.finished_ids = self.running_ids.clone()
        self.is_finished = torch.zeros((n, beams), dtype=torch.bool, device=device)
        self.open = torch.ones(n, dtype=torch.bool, device=device)  # generate's is_early_stop_heuristic_unsatisfied

    def keep(self, alive: Any, index: Any, beams: int) -> None:
        """Keep the sources ``alive`` (a mask), their decoder rows reordered by ``index``."""
        import torch

        sources = alive.nonzero().squeeze(1)
        if not self.expanded:  # after the first step: each source's one row becomes its beams
            rows = sources.repeat_interleave(beams)
            self.cache.batch_select_indices(rows)
            self.states, self.mask, self.expanded = self.states[rows], self.mask[rows], True
        elif bool(alive.all()):
            # The beams of a source share their cross-attention rows: only self-attention moves.
            self.cache.self_attention_cache.batch_select_indices(index)
            return
        else:
            rows = (sources[:, None] * beams + torch.arange(beams, device=sources.device)).reshape(-1)
            self.cache.batch_select_indices(index)
            self.states, self.mask = self.states[rows], self.mask[rows]
        for name in ("rows", "caps", "running", "running_ids", "finished", "finished_ids", "is_finished", "open"):
            setattr(self, name, getattr(self, name)[sources])


class BeamDecoder:
    """Beam search written out on the greedy loop's parts; ``generate``'s result, faster."""

    def __init__(self, parts: DecoderParts, decoding: Decoding):
        self.parts, self.beams = parts, decoding.num_beams
        self.length_penalty, self.early_stopping = decoding.length_penalty, decoding.early_stopping
        self.forced_bos, self.forced_eos = decoding.forced_bos_token_id, decoding.forced_eos_token_id
        self.banned = [w[0] for w in decoding.bad_words_ids if w[0] not in parts.eos]  # generate never bans EOS
        # Candidates kept per source: enough that num_beams stay unfinished whatever ends (generate's rule).
        self.keep_k = max(2, 1 + len(parts.eos)) * self.beams

    @classmethod
    def for_model(cls, model: Any, tokenizer: Any, decoding: Decoding,
                  parts: DecoderParts | None = None) -> BeamDecoder | None:
        """A beam decoder for ``model``, or None when its decoding or architecture needs ``generate``."""
        if decoding.greedy or not covers(decoding):
            return None
        parts = parts or DecoderParts.of(model, tokenizer)
        return cls(parts, decoding) if parts is not None else None

    def decode(self, batch: list[list[int]], *, max_new_tokens: Sequence[int], min_new_tokens: int = 0
               ) -> list[list[int]]:
        """Output ids (the best hypothesis, without the start token) of each source, within its own cap."""
        order = sorted(range(len(batch)), key=lambda i: -len(batch[i]))
        # The encoder runs first: its large products split well over intra-op threads.
        groups = [_Beams(self.parts, batch, [order[k] for k in span], max_new_tokens, self.beams)
                  for span in self.parts.spans(len(order), self.beams)]
        with self.parts.lanes.active():
            return self._decode(len(batch), groups, min_new_tokens)

    def _decode(self, count: int, groups: list[_Beams], min_new_tokens: int) -> list[list[int]]:
        import torch

        parts = self.parts
        device = parts.model.device
        banned = torch.tensor(self.banned, device=device) if self.banned else None
        banned_eos = torch.tensor([*self.banned, *parts.eos], device=device)
        eos = torch.tensor(parts.eos, device=device)
        out: list[list[int]] = [[] for _ in range(count)]
        step = 0
        while groups:
            hidden = parts.lanes.map(parts.step_group, groups)
            rows = sum(len(h) for h in hidden)
            if step == 0 and self.forced_bos is not None:
                scores, ids = self._forced(rows, self.forced_bos, device)
            else:
                scores, ids = top_log_probs(parts.head, torch.cat(hidden) if len(hidden) > 1 else hidden[0],
                                            banned_eos if step < min_new_tokens else banned, self.keep_k, parts.lanes)
            sizes = [len(h) for h in hidden]
            work = list(zip(groups, scores.split(sizes), ids.split(sizes), strict=True))

            def advance(w: tuple[_Beams, Any, Any], step: int = step) -> tuple[list[tuple[int, list[int]]], bool]:
                return self._advance(w[0], w[1], w[2], step, eos)

            advanced = parts.lanes.map(advance, work)
            alive_groups = []
            for g, (ended, going) in zip(groups, advanced, strict=True):
                for r, ids_row in ended:
                    out[r] = ids_row
                if going:
                    alive_groups.append(g)
            groups = alive_groups
            step += 1
        return out

    def _forced(self, rows: int, token: int, device: Any) -> tuple[Any, Any]:
        """Candidates of rows whose next token is forced: that token at log-probability 0, the rest -inf."""
        import torch

        scores = torch.full((rows, self.keep_k), float("-inf"), device=device)
        scores[:, 0] = 0.0
        ids = torch.full((rows, self.keep_k), self.parts.pad, dtype=torch.long, device=device)
        ids[:, 0] = token
        return scores, ids

    def _advance(self, g: _Beams, scores: Any, ids: Any, step: int, eos: Any) -> tuple[list[tuple[int, list[int]]], bool]:
        """One beam-search step of a group, as generate takes it: (batch position, best ids) of the
        sources that ended at this step, and whether any source of the group goes on."""
        import torch

        beams, k, lp = self.beams, self.keep_k, self.length_penalty
        n = len(g.rows)
        if not g.expanded:  # the first step ran one row a source: its beams' candidates are the same
            scores, ids = scores.repeat_interleave(beams, dim=0), ids.repeat_interleave(beams, dim=0)
        if self.forced_eos is not None:  # a source at its last position may only end
            last = (g.caps - 1 == step).repeat_interleave(beams)
            if bool(last.any()):
                forced_s, forced_i = self._forced(int(last.sum()), self.forced_eos, scores.device)
                scores, ids = scores.clone(), ids.clone()
                scores[last], ids[last] = forced_s[:, : scores.shape[1]], forced_i[:, : ids.shape[1]]
        k = min(k, scores.shape[1] * beams)
        total = (scores.view(n, beams, -1) + g.running[:, :, None]).reshape(n, -1)
        top, flat = torch.topk(total, k=k, dim=1)
        origin = flat // scores.shape[1]
        token = ids.view(n, -1).gather(1, flat)
        # Every candidate's ids so far, then its new token.
        candidates = g.running_ids.gather(1, origin[:, :, None].expand(-1, -1, g.running_ids.shape[2])).clone()
        if step < candidates.shape[2]:
            candidates[:, :, step] = token
        hits = torch.isin(token, eos) | (step + 1 >= g.caps)[:, None]
        # Unfinished candidates run on (generate's _get_running_beams_for_next_iteration).
        running_scores = top + hits.to(torch.float32) * _LOW
        pick = torch.topk(running_scores, k=beams, dim=1)[1]
        g.running = running_scores.gather(1, pick)
        g.running_ids = candidates.gather(1, pick[:, :, None].expand(-1, -1, candidates.shape[2]))
        # Finished ones among the best num_beams join the finished hypotheses (_update_finished_beams).
        scored = top / ((step + 1) ** lp)
        full = g.is_finished.all(dim=1, keepdim=True) & (self.early_stopping is True)
        scored = scored + full.to(torch.float32) * _LOW
        scored = scored + (~g.open[:, None]).to(torch.float32) * _LOW
        just = hits & (torch.arange(k, device=hits.device) < beams)[None, :]
        scored = scored + (~just) * _LOW
        merged = torch.cat((g.finished, scored), dim=1)
        best = torch.topk(merged, k=beams, dim=1)[1]
        g.finished = merged.gather(1, best)
        g.finished_ids = torch.cat((g.finished_ids, candidates), dim=1).gather(
            1, best[:, :, None].expand(-1, -1, candidates.shape[2]))
        g.is_finished = torch.cat((g.is_finished, just), dim=1).gather(1, best)
        # generate's early-stop heuristic, at the next length.
        if self.early_stopping == "never" and lp > 0.0:
            best_possible = g.running[:, :1] / (g.caps.to(torch.float32) ** lp)[:, None]
        else:
            best_possible = g.running[:, :1] / float((step + 1) ** lp)
        worst = torch.where(g.is_finished, g.finished.min(dim=1, keepdim=True)[0], _LOW)
        g.open &= (best_possible > worst).any(dim=1)
        done = ~g.open | (step + 1 >= g.caps)
        if self.early_stopping is True:
            done |= g.is_finished.all(dim=1)
        ended = list(zip(g.rows[done].cpu().tolist(), g.finished_ids[:, 0][done].cpu().tolist(), strict=True))
        alive = ~done
        if not bool(alive.any()):
            return ended, False
        source_beam = origin.gather(1, pick)
        index = (torch.arange(n, device=alive.device)[:, None] * beams + source_beam)[alive].reshape(-1)
        g.current = g.running_ids[alive][:, :, step].reshape(-1, 1)
        g.keep(alive, index, beams)
        return ended, True

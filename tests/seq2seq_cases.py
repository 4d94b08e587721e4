"""What the decoding-loop tests share: the sentences they decode, the tiny models they decode them
with, ``generate``'s output on the same ids, which ringkas's loops must reproduce, and a spy on the
cache's row selection, which shows rows leaving a batch."""

from __future__ import annotations

from ringkas.models.greedy import pad_batch
from ringkas.models.seq2seq import cut_at_eos

SENTENCES = [
    "Bupati Blitar menghadiri rapat koordinasi daerah.",
    "Ia berharap pengrajin dapat menembus pasar global dengan produk unggulan daerah masing-masing.",
    "Terima kasih.",
    "Polisi menangkap dua tersangka pencurian sepeda motor di kebun sawit warga pada Kamis malam.",
    "Kegiatan itu dihadiri ratusan warga.",
]
# (fixture of the tiny model's folder, its task)
MODELS = [("tiny_marian_dir", "translation"), ("tiny_nllb_dir", "translation"), ("tiny_t5_dir", "summarization")]


def generate_reference(model, batch, *, max_new_tokens, min_new_tokens=0, hf_model=None, **settings):
    """``generate`` on the same ids (padded as one batch) with ``model``'s decoding and ``settings``,
    by ``hf_model`` (default: the loaded model's own), cut at the end token."""
    import torch

    ids, mask = pad_batch(batch, model.tokenizer.pad_token_id)
    extra = {**model.decoding.generate_kwargs(), **settings}
    if min_new_tokens:
        extra["min_new_tokens"] = min_new_tokens
    with torch.inference_mode():
        out = (hf_model or model.model).generate(input_ids=ids, attention_mask=mask,
                                                 max_new_tokens=max_new_tokens, **extra)
    return [cut_at_eos(row[1:], model.eos_ids) for row in out.tolist()]


def spy_on_row_selection(monkeypatch) -> list[int]:
    """The number of rows kept at each cache row selection from now on (rows that leave a batch)."""
    from transformers.cache_utils import EncoderDecoderCache

    kept: list[int] = []
    original = EncoderDecoderCache.batch_select_indices
    monkeypatch.setattr(EncoderDecoderCache, "batch_select_indices",
                        lambda self, idx: (kept.append(len(idx)), original(self, idx))[1])
    return kept

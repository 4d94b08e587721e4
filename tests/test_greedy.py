"""The fast greedy loop must give exactly what greedy ``model.generate`` gives."""

import pytest

from ringkas import tuning
from ringkas.models.greedy import GreedyDecoder
from ringkas.models.loader import load_model

SENTENCES = [
    "Bupati Blitar menghadiri rapat koordinasi daerah.",
    "Ia berharap pengrajin dapat menembus pasar global dengan produk unggulan daerah masing-masing.",
    "Terima kasih.",
    "Polisi menangkap dua tersangka pencurian sepeda motor di kebun sawit warga pada Kamis malam.",
    "Kegiatan itu dihadiri ratusan warga.",
]


def _generate_reference(model, batch, *, max_new_tokens, min_new_tokens):
    """Greedy ``generate`` on the same ids: the behaviour the fast loop must reproduce."""
    import torch

    from ringkas.models.greedy import pad_batch

    ids, mask = pad_batch(batch, model.tokenizer.pad_token_id)
    extra = dict(model.generate_kwargs)
    if min_new_tokens:
        extra["min_new_tokens"] = min_new_tokens
    with torch.inference_mode():
        out = model.model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new_tokens,
                                   num_beams=1, do_sample=False, **extra)
    return [row[1:] for row in out.tolist()]


@pytest.mark.parametrize("folder, task", [("tiny_marian_dir", "translation"), ("tiny_nllb_dir", "translation"),
                                          ("tiny_t5_dir", "summarization")])
@pytest.mark.parametrize("max_new, min_new", [(12, 0), (9, 9), (20, 3)])
def test_fast_loop_equals_generate(request, folder, task, max_new, min_new):
    model = load_model(request.getfixturevalue(folder), task=task, device="cpu")
    assert model.greedy is not None, "tiny models use the fast loop"
    batch = model.encode(SENTENCES)
    fast = model._generate_ids(batch, max_new_tokens=max_new, min_new_tokens=min_new)
    reference = _generate_reference(model, batch, max_new_tokens=max_new, min_new_tokens=min_new)
    eos = model.eos_ids
    from ringkas.models.seq2seq import cut_at_eos

    assert [cut_at_eos(r, eos) for r in fast] == [cut_at_eos(r, eos) for r in reference]
    if min_new:
        assert all(len(cut_at_eos(r, eos)) >= min_new for r in fast)


def test_encoder_sub_batches_do_not_change_the_result(tiny_marian_dir, monkeypatch):
    model = load_model(tiny_marian_dir, task="translation", device="cpu")
    batch = model.encode(SENTENCES * 4)
    whole = model._generate_ids(batch, max_new_tokens=10, min_new_tokens=None)
    monkeypatch.setattr(tuning, "ENCODER_ROWS", 3)
    assert model._generate_ids(batch, max_new_tokens=10, min_new_tokens=None) == whole


def test_settings_the_loop_does_not_cover_fall_back_to_generate(tiny_t5_dir):
    model = load_model(tiny_t5_dir, task="summarization", device="cpu")
    model.model.generation_config.no_repeat_ngram_size = 2
    assert GreedyDecoder.for_model(model.model, model.tokenizer, model.generate_kwargs) is None
    assert GreedyDecoder.for_model(model.model, model.tokenizer, {"length_penalty": 2.0}) is None


def test_rows_that_finish_early_leave_the_batch_and_outputs_stay_the_same(tiny_marian_dir, monkeypatch):
    from transformers.cache_utils import EncoderDecoderCache

    from ringkas.models.seq2seq import cut_at_eos

    model = load_model(tiny_marian_dir, task="translation", device="cpu")
    selects = []
    original = EncoderDecoderCache.batch_select_indices
    monkeypatch.setattr(EncoderDecoderCache, "batch_select_indices",
                        lambda self, idx: (selects.append(len(idx)), original(self, idx))[1])
    batch = model.encode(SENTENCES * 3)
    eos = model.model.generation_config.eos_token_id
    varied = False
    # A growing bias towards EOS makes rows end at different steps, as real translations do.
    for bias in (1.0, 3.0, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0):
        model.model.final_logits_bias[0, eos] = bias
        fast = [cut_at_eos(r, model.eos_ids) for r in model._generate_ids(batch, max_new_tokens=16,
                                                                              min_new_tokens=None)]
        reference = [cut_at_eos(r, model.eos_ids) for r in _generate_reference(model, batch, max_new_tokens=16,
                                                                                  min_new_tokens=0)]
        assert fast == reference, f"bias {bias}"
        varied |= len({len(r) for r in fast}) > 1
    model.model.final_logits_bias[0, eos] = 0.0
    assert varied and selects, "some rows finished early and left the batch"


def test_decoder_groups_share_one_head_and_do_not_change_the_result(tiny_marian_dir, monkeypatch):
    model = load_model(tiny_marian_dir, task="translation", device="cpu")
    batch = model.encode(SENTENCES * 4)
    whole = model._generate_ids(batch, max_new_tokens=10, min_new_tokens=2)
    monkeypatch.setattr(tuning, "DECODER_ROWS_CPU", 3)  # 20 rows: seven groups, padded differently
    assert model._generate_ids(batch, max_new_tokens=10, min_new_tokens=2) == whole


def test_head_chunks_break_ties_like_argmax():
    import torch

    from ringkas.models.greedy import OutputHead

    weight = torch.zeros(10, 4)
    weight[[2, 7, 9]] = 1.0  # three equal best tokens, in different chunks of 3
    head = OutputHead(weight, None, 1.0, chunk=3)
    hidden = torch.ones(2, 4)
    assert head.best(hidden, head.chunks([])).tolist() == [2, 2]
    assert head.best(hidden, head.chunks([2])).tolist() == [7, 7]
    assert head.best(hidden, head.chunks([2, 7, 9])).tolist() == torch.zeros(2, 10).argmax(-1).tolist()


@pytest.mark.parametrize("count, max_rows, multiple, sizes", [
    (1, 2, 1, [1]), (64, 64, 1, [64]), (65, 64, 1, [32, 33]), (137, 64, 1, [45, 46, 46]), (0, 64, 1, [0]),
    # CPU: multiples of 16 rows where the remainder stays between half a group and a whole one
    (137, 64, 16, [48, 48, 41]), (200, 64, 16, [48, 48, 48, 56]), (100, 64, 16, [48, 52]),
    (65, 64, 16, [32, 33]), (9, 64, 16, [9]),
    (257, 64, 16, [51, 51, 52, 51, 52]),  # 64 x 4 + 1 would leave a 1-row group: equal sizes instead
])
def test_balanced_groups(count, max_rows, multiple, sizes):
    from ringkas.models.greedy import balanced_groups

    groups = balanced_groups(count, max_rows, multiple)
    assert [len(g) for g in groups] == sizes
    assert [i for g in groups for i in g] == list(range(count)), "contiguous, in order, each position once"


def test_a_head_that_does_not_reproduce_the_model_falls_back_to_generate(tiny_marian_dir, monkeypatch):
    from ringkas.models.greedy import OutputHead

    model = load_model(tiny_marian_dir, task="translation", device="cpu")
    original = OutputHead.of

    def wrong_scale(m):
        head = original(m)
        head.scale = 0.5
        return head

    monkeypatch.setattr(OutputHead, "of", wrong_scale)
    assert GreedyDecoder.for_model(model.model, model.tokenizer, model.generate_kwargs) is None

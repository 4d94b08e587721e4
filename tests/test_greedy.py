"""The fast greedy loop must give exactly what greedy ``model.generate`` gives."""

import dataclasses

import pytest

from ringkas import tuning
from ringkas.models.greedy import DecoderParts, GreedyDecoder
from ringkas.models.loader import load_model
from ringkas.models.seq2seq import cut_at_eos
from seq2seq_cases import MODELS, SENTENCES, generate_reference, spy_on_row_selection


def _ours(model, batch, *, max_new_tokens, min_new_tokens):
    """The backend's ids, cut as Seq2SeqModel.generate cuts them (a forced EOS takes the cap's last place)."""
    keep = max_new_tokens - (model.decoding.forced_eos_token_id is not None)
    ids = model._generate_ids(batch, max_new_tokens=max_new_tokens, min_new_tokens=min_new_tokens)
    return [cut_at_eos(row, model.eos_ids)[:keep] for row in ids]


@pytest.mark.parametrize("folder, task", MODELS)
@pytest.mark.parametrize("max_new, min_new", [(12, 0), (9, 9), (20, 3)])
def test_fast_loop_equals_generate(request, folder, task, max_new, min_new):
    model = load_model(request.getfixturevalue(folder), task=task, device="cpu")
    assert model.greedy is not None and model.decoding.greedy, "tiny models decode greedily, in the fast loop"
    batch = model.encode(SENTENCES)
    fast = _ours(model, batch, max_new_tokens=max_new, min_new_tokens=min_new)
    assert fast == generate_reference(model, batch, max_new_tokens=max_new, min_new_tokens=min_new)
    if min_new:
        assert all(len(r) >= min_new - (model.decoding.forced_eos_token_id is not None) for r in fast)


def test_encoder_sub_batches_do_not_change_the_result(tiny_marian_dir, monkeypatch):
    model = load_model(tiny_marian_dir, task="translation", device="cpu")
    batch = model.encode(SENTENCES * 4)
    whole = model._generate_ids(batch, max_new_tokens=10, min_new_tokens=None)
    monkeypatch.setattr(tuning, "ENCODER_ROWS", 3)
    assert model._generate_ids(batch, max_new_tokens=10, min_new_tokens=None) == whole


@pytest.mark.parametrize("change, covered", [
    ({}, True),
    ({"length_penalty": 2.0}, True),  # no effect on greedy choices
    ({"bad_words_ids": ((5,),)}, True),
    ({"no_repeat_ngram_size": 2}, False),
    ({"repetition_penalty": 1.2}, False),
    ({"bad_words_ids": ((5, 6),)}, False),  # a banned sequence, not a token
    ({"other": {"suppress_tokens": [5]}}, False),
    ({"num_beams": 2}, False),  # beams: ringkas.models.beam
])
def test_settings_the_loop_does_not_cover_fall_back_to_generate(tiny_t5_dir, change, covered):
    model = load_model(tiny_t5_dir, task="summarization", device="cpu")
    decoding = dataclasses.replace(model.decoding, **change)
    assert (GreedyDecoder.for_model(model.model, model.tokenizer, decoding) is not None) == covered


def test_rows_that_finish_early_leave_the_batch_and_outputs_stay_the_same(tiny_marian_dir, monkeypatch):
    model = load_model(tiny_marian_dir, task="translation", device="cpu")
    selects = spy_on_row_selection(monkeypatch)
    batch = model.encode(SENTENCES * 3)
    eos = model.model.generation_config.eos_token_id
    varied = False
    # A growing bias towards EOS makes rows end at different steps, as real translations do.
    for bias in (1.0, 3.0, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0):
        model.model.final_logits_bias[0, eos] = bias
        fast = _ours(model, batch, max_new_tokens=16, min_new_tokens=None)
        assert fast == generate_reference(model, batch, max_new_tokens=16, min_new_tokens=0), f"bias {bias}"
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
    assert DecoderParts.of(model.model, model.tokenizer) is None
    assert GreedyDecoder.for_model(model.model, model.tokenizer, model.decoding) is None
    assert load_model(tiny_marian_dir, task="translation", device="cpu").greedy is None


def test_rows_at_their_own_cap_leave_the_batch(tiny_marian_dir, monkeypatch):
    model = load_model(tiny_marian_dir, task="translation", device="cpu")
    selects = spy_on_row_selection(monkeypatch)
    batch = model.encode(SENTENCES * 2)
    caps = [3, 12, 5, 12, 4, 12, 3, 8, 12, 2]
    capped = model._generate_ids(batch, max_new_tokens=caps, min_new_tokens=None)
    assert selects, "rows that reached their cap left the batch (the tiny model never ends on its own)"
    longest = model._generate_ids(batch, max_new_tokens=12, min_new_tokens=None)
    for row, whole, cap in zip(capped, longest, caps, strict=True):
        assert cut_at_eos(row, model.eos_ids) == cut_at_eos(whole, model.eos_ids)[:cap]  # greedy is causal

"""Lanes (ringkas.models.lanes) and the decoder's eager attention must not change any output."""

from __future__ import annotations

import threading

import pytest

from ringkas.models.greedy import balanced_groups
from ringkas.models.lanes import SINGLE, Lanes, lanes_for
from ringkas.models.loader import load_model
from ringkas.models.seq2seq import cut_at_eos
from seq2seq_cases import MODELS, SENTENCES, generate_reference


def test_map_keeps_the_order_of_the_pieces_and_uses_the_lanes():
    lanes = Lanes(2)
    seen = set()

    def piece(x):
        seen.add(threading.current_thread().name)
        return x * x

    assert lanes.map(piece, list(range(40))) == [x * x for x in range(40)]
    assert all(name.startswith("ringkas-lane") for name in seen)
    lanes.close()
    seen.clear()
    assert SINGLE.map(piece, [1, 2, 3]) == [1, 4, 9]
    assert seen == {threading.current_thread().name}, "one lane runs in the calling thread"
    assert Lanes(2).map(piece, [5]) == [25]


@pytest.mark.parametrize("n, count, sizes", [
    (2, 10, [5, 5]), (2, 9, [4, 5]), (3, 10, [3, 3, 4]), (2, 1, [1]), (4, 2, [1, 1]), (1, 7, [7]), (2, 0, [0]),
])
def test_split_cuts_into_near_equal_contiguous_parts(n, count, sizes):
    parts = Lanes(n).split(count)
    assert [len(p) for p in parts] == sizes
    assert [i for p in parts for i in p] == list(range(count))


def test_active_gives_one_intra_op_thread_and_restores_the_count():
    import torch

    before = torch.get_num_threads()
    with Lanes(2).active():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with SINGLE.active():
        assert torch.get_num_threads() == before


@pytest.mark.parametrize("device, threads, enabled, n", [
    ("cpu", 2, True, 2), ("cpu", 1, True, 1), ("cpu", 4, False, 1), ("cuda", 8, True, 1),
])
def test_lanes_only_on_cpu_with_several_threads(device, threads, enabled, n):
    assert lanes_for(device, threads, enabled).n == n


@pytest.mark.parametrize("count, max_rows, multiple, lanes, sizes", [
    (130, 96, 16, 2, [64, 66]),  # one group would fit, but each lane gets one
    (386, 96, 16, 2, [64, 64, 64, 64, 64, 66]),  # five groups would leave one lane a group short
    (20, 96, 16, 2, [10, 10]),  # too few rows for 16-row multiples: equal halves
    (3, 96, 16, 4, [1, 1, 1]),  # never an empty group
    (137, 64, 16, 1, [48, 48, 41]),  # one lane: as before
])
def test_groups_come_in_multiples_of_the_lanes(count, max_rows, multiple, lanes, sizes):
    groups = balanced_groups(count, max_rows, multiple, lanes)
    assert [len(g) for g in groups] == sizes
    assert [i for g in groups for i in g] == list(range(count))


@pytest.mark.parametrize("folder, task", MODELS)
@pytest.mark.parametrize("beams", [1, 2, 4])
def test_outputs_do_not_depend_on_the_lanes_and_equal_a_plain_models_generate(request, folder, task, beams):
    path = request.getfixturevalue(folder)
    model = load_model(path, task=task, device="cpu", beams=beams)
    parts = (model.greedy or model.beam).parts
    batch = model.encode(SENTENCES * 3)
    results = {}
    for n in (1, 2, 3):
        parts.lanes = Lanes(n)
        ids = model._generate_ids(batch, max_new_tokens=[10] * len(batch), min_new_tokens=None)
        results[n] = [cut_at_eos(row, model.eos_ids) for row in ids]
    assert results[1] == results[2] == results[3]
    keep = 10 - (model.decoding.forced_eos_token_id is not None)
    from transformers import AutoModelForSeq2SeqLM

    # the folder loaded as its card says, with no ringkas change to the model (eager decoder, fast linears)
    plain = AutoModelForSeq2SeqLM.from_pretrained(path, local_files_only=True).eval()
    expected = generate_reference(model, batch, max_new_tokens=10, hf_model=plain)
    assert [r[:keep] for r in results[2]] == [r[:keep] for r in expected]


def test_the_decoder_attends_eagerly_and_the_encoder_keeps_sdpa(tiny_marian_dir):
    model = load_model(tiny_marian_dir, task="translation", device="cpu").model
    decoder_configs = {id(m.config) for m in model.get_decoder().modules() if hasattr(m, "config")}
    assert len(decoder_configs) == 1
    decoder_config = model.get_decoder().config
    assert decoder_config._attn_implementation == "eager"
    assert model.config._attn_implementation == "sdpa"
    assert model.get_encoder().config._attn_implementation == "sdpa"
    assert decoder_config.d_model == model.config.d_model, "a copy of the model's config, not another one"


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_the_head_shared_out_over_lanes_breaks_ties_like_argmax(n):
    import torch

    from ringkas.models.greedy import OutputHead

    weight = torch.zeros(10, 4)
    weight[[2, 7, 9]] = 1.0  # three equal best tokens, in chunks 0, 2 and 3 of 3 ids each
    head = OutputHead(weight, None, 1.0, chunk=3)
    hidden = torch.ones(2, 4)
    lanes = Lanes(n)
    assert head.best(hidden, head.chunks([]), lanes).tolist() == [2, 2]
    assert head.best(hidden, head.chunks([2]), lanes).tolist() == [7, 7]
    assert head.best(hidden, head.chunks([2, 7]), lanes).tolist() == [9, 9]
    assert head.best(hidden, head.chunks([2, 7, 9]), lanes).tolist() == torch.zeros(2, 10).argmax(-1).tolist()

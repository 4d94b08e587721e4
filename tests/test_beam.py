"""ringkas's beam search must give what ``model.generate`` gives with the same settings, batched or not."""

from __future__ import annotations

import dataclasses

import pytest

from ringkas import tuning
from ringkas.models.beam import BeamDecoder, top_log_probs
from ringkas.models.loader import load_model
from ringkas.models.seq2seq import cut_at_eos
from seq2seq_cases import MODELS, SENTENCES, generate_reference, spy_on_row_selection


def _ours(model, batch, *, max_new_tokens, min_new_tokens=0):
    ids = model._generate_ids(batch, max_new_tokens=max_new_tokens, min_new_tokens=min_new_tokens)
    return [cut_at_eos(row, model.eos_ids) for row in ids]


class EosPush:
    """Makes the end token likelier, so that hypotheses end at different steps as real ones do
    (random tiny models never end on their own): Marian's final_logits_bias, else the EOS row of
    the output projection scaled up."""

    def __init__(self, model):
        self.model = model
        self.eos = model.beam.parts.eos[0]
        self.bias = getattr(model.model, "final_logits_bias", None)
        self.weight = model.model.get_output_embeddings().weight
        self.saved = self.weight[self.eos].clone()

    def set(self, amount: float) -> None:
        import torch

        with torch.no_grad():
            if self.bias is not None:
                self.bias[0, self.eos] = amount
            else:
                self.weight[self.eos] = self.saved * (1 + amount)


@pytest.mark.parametrize("folder, task, beams, length_penalty, early_stopping", [
    *[(folder, task, beams, 1.0, False) for folder, task in MODELS for beams in (2, 4)],  # the folders' own
    ("tiny_marian_dir", "translation", 4, 0.0, True),
    ("tiny_marian_dir", "translation", 2, 2.0, "never"),  # the longest hypotheses win: all reach the cap
    ("tiny_nllb_dir", "translation", 4, -1.0, "never"),
    ("tiny_t5_dir", "summarization", 3, 0.6, True),
])
def test_beam_search_equals_generate(request, folder, task, beams, length_penalty, early_stopping):
    model = load_model(request.getfixturevalue(folder), task=task, device="cpu", beams=beams)
    assert model.beam is not None and model.greedy is None, "tiny models use ringkas's beam loop"
    model.beam = BeamDecoder(model.beam.parts, dataclasses.replace(
        model.decoding, length_penalty=length_penalty, early_stopping=early_stopping))
    push = EosPush(model)
    batch = model.encode(SENTENCES * 2)
    lengths = set()
    for amount in (0.0, 4.0, 5.0, 6.0):
        push.set(amount)
        ours = _ours(model, batch, max_new_tokens=14)
        assert ours == generate_reference(model, batch, max_new_tokens=14, length_penalty=length_penalty,
                                  early_stopping=early_stopping), f"EOS pushed by {amount}"
        lengths |= {len(r) for r in ours}
    if length_penalty <= 1.0:
        assert len(lengths) > 2, "hypotheses ended at different steps, so finishing was exercised"


@pytest.mark.parametrize("folder, task", MODELS)
def test_minimum_length_and_forced_tokens_as_generate(request, folder, task):
    model = load_model(request.getfixturevalue(folder), task=task, device="cpu", beams=3)
    EosPush(model).set(6.0)  # ends at once unless the minimum holds it back
    batch = model.encode(SENTENCES)
    ours = _ours(model, batch, max_new_tokens=10, min_new_tokens=4)
    assert ours == generate_reference(model, batch, max_new_tokens=10, min_new_tokens=4)
    forced_eos = model.decoding.forced_eos_token_id is not None
    assert all(len(r) >= 4 - (forced_eos and folder == "tiny_marian_dir") for r in ours)
    if folder == "tiny_nllb_dir":  # NLLB: the target language is forced first
        assert {r[0] for r in ours} == {model.tokenizer.convert_tokens_to_ids("eng_Latn")}


def test_a_text_gets_the_same_output_batched_or_alone_with_its_own_cap(tiny_marian_dir, monkeypatch):
    monkeypatch.setattr(tuning, "DECODER_ROWS_CPU", 8)  # two sources a group with 4 beams
    monkeypatch.setattr(tuning, "BEAM_LOGITS_ELEMENTS", 5000)  # several blocks of rows in the head
    model = load_model(tiny_marian_dir, task="translation", device="cpu", beams=4)
    EosPush(model).set(5.0)
    batch = model.encode(SENTENCES * 3)
    caps = [4 + (i * 5) % 11 for i in range(len(batch))]
    together = _ours(model, batch, max_new_tokens=caps)
    alone = [_ours(model, [ids], max_new_tokens=[cap])[0] for ids, cap in zip(batch, caps, strict=True)]
    assert together == alone
    assert together == [generate_reference(model, [ids], max_new_tokens=cap)[0] for ids, cap in zip(batch, caps, strict=True)]
    assert len({len(r) for r in together}) > 2


def test_sources_that_finish_leave_their_group(tiny_marian_dir, monkeypatch):
    model = load_model(tiny_marian_dir, task="translation", device="cpu", beams=2)
    dropped = spy_on_row_selection(monkeypatch)
    EosPush(model).set(5.0)
    batch = model.encode(SENTENCES * 3)
    assert _ours(model, batch, max_new_tokens=16) == generate_reference(model, batch, max_new_tokens=16)
    assert dropped and min(dropped) < 2 * len(batch), "finished sources left before the longest ended"


@pytest.mark.parametrize("change, covered", [
    ({}, True),
    ({"length_penalty": 0.6, "early_stopping": True}, True),
    ({"bad_words_ids": ((5,),)}, True),
    ({"no_repeat_ngram_size": 3}, False),
    ({"repetition_penalty": 1.3}, False),
    ({"other": {"num_beam_groups": 2}}, False),
    ({"num_beams": 1}, False),  # greedy: ringkas.models.greedy
])
def test_beam_loop_only_for_settings_it_covers(tiny_marian_dir, change, covered):
    model = load_model(tiny_marian_dir, task="translation", device="cpu", beams=4)
    decoding = dataclasses.replace(model.decoding, **change)
    assert (BeamDecoder.for_model(model.model, model.tokenizer, decoding) is not None) == covered


def test_uncovered_settings_decode_with_generate_and_the_same_cap_per_row(tiny_marian_dir):
    model = load_model(tiny_marian_dir, task="translation", device="cpu", beams=2)
    model.beam, model.decoding = None, dataclasses.replace(model.decoding, no_repeat_ngram_size=2)
    batch = model.encode(SENTENCES)
    caps = [5, 9, 5, 12, 9]
    got = _ours(model, batch, max_new_tokens=caps)
    assert got == [generate_reference(model, [ids], max_new_tokens=cap)[0] for ids, cap in zip(batch, caps, strict=True)]


@pytest.mark.parametrize("block", [30, 40, 1000])  # rows of 10 logits: 3, 4 and all 7 rows a block
@pytest.mark.parametrize("banned", [[], [2, 7]])
def test_top_log_probs_equal_log_softmax_in_any_row_blocks(monkeypatch, block, banned):
    import torch

    from ringkas.models.greedy import OutputHead

    monkeypatch.setattr(tuning, "BEAM_LOGITS_ELEMENTS", block)
    torch.manual_seed(0)
    weight, bias = torch.randn(10, 6), torch.randn(10)
    head = OutputHead(weight, bias, 1.0, chunk=4)
    hidden = torch.randn(7, 6)
    full = torch.log_softmax(hidden @ weight.t() + bias, dim=-1)
    full[:, banned] = float("-inf")
    expected_v, expected_i = torch.topk(full, k=4, dim=-1)
    got_v, got_i = top_log_probs(head, hidden, torch.tensor(banned) if banned else None, 4)
    assert torch.equal(got_i, expected_i)
    assert torch.allclose(got_v, expected_v, atol=1e-6)
    assert not set(got_i.flatten().tolist()) & set(banned)

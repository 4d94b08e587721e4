"""Decoding as the model folder configures it: resolution, --beams, the record's label, the caps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_cli

from ringkas.errors import UsageError
from ringkas.models.decoding import Decoding, read_generation_config, resolve_decoding
from ringkas.models.loader import load_model
from ringkas.run.pipeline import Options

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "kabupaten-tulungagung-posyandu.txt"
# What opus-mt-id-en's folder says (its conversion from Marian sets num_beams from the decoder's beam size).
OPUS = {"num_beams": 4, "max_length": 512, "bad_words_ids": [[54795]], "forced_eos_token_id": 0}
NLLB = {"max_length": 200}


@pytest.mark.parametrize(
    "folder, entry, beams, expected",
    [
        (OPUS, {}, None, {"num_beams": 4, "max_new_tokens": 511, "bad_words_ids": ((54795,),),
                          "forced_eos_token_id": 0, "label": "beam4"}),
        (OPUS, {}, 1, {"num_beams": 1, "label": "greedy", "max_new_tokens": 511}),  # --beams 1
        (OPUS, {}, 6, {"num_beams": 6, "label": "beam6"}),
        (NLLB, {"src_lang": "ind_Latn"}, None, {"num_beams": 1, "max_new_tokens": 199, "label": "greedy"}),
        ({}, {}, None, {"num_beams": 1, "max_new_tokens": None, "min_new_tokens": 0, "label": "greedy"}),
        # the catalog refines a model, and the label says how
        ({"num_beams": 4, "max_length": 200}, {"max_new_tokens": 84, "generate": {"no_repeat_ngram_size": 2}}, None,
         {"max_new_tokens": 84, "no_repeat_ngram_size": 2, "label": "beam4 max_new_tokens=84 no_repeat_ngram_size=2"}),
        ({"no_repeat_ngram_size": 3}, {"generate": {"no_repeat_ngram_size": 3}}, None,
         {"label": "greedy"}),  # the folder's own value: nothing to say
        ({}, {"generate": {"num_beams": 5}}, None, {"num_beams": 5, "label": "beam5"}),
        ({}, {"generate": {"num_beams": 5}}, 2, {"num_beams": 2, "label": "beam2"}),  # --beams wins
        # new-token counts: max_new_tokens wins over max_length; min_length counts the start token
        ({"max_new_tokens": 40, "max_length": 512}, {}, None, {"max_new_tokens": 40}),
        ({"min_length": 5}, {}, None, {"min_new_tokens": 4}),
        ({"min_length": 5, "min_new_tokens": 7}, {}, None, {"min_new_tokens": 7}),
        ({"length_penalty": 0.6, "early_stopping": True}, {}, 4, {"length_penalty": 0.6, "early_stopping": True}),
        ({"forced_eos_token_id": [2, 3]}, {}, None, {"forced_eos_token_id": 2}),
        # settings only generate() applies are kept apart; neutral values are no settings
        ({"suppress_tokens": [5], "guidance_scale": 1.0}, {}, None, {"other": {"suppress_tokens": [5]}}),
    ],
)
def test_resolve_decoding(folder, entry, beams, expected) -> None:
    got = resolve_decoding(folder, entry, beams=beams)
    assert {k: getattr(got, k) for k in expected} == expected


def test_generate_kwargs_never_sample_and_leave_unset_ids_out() -> None:
    kwargs = resolve_decoding(OPUS, {}).generate_kwargs()
    assert kwargs["do_sample"] is False and kwargs["num_beams"] == 4 and kwargs["bad_words_ids"] == [[54795]]
    assert "forced_bos_token_id" not in Decoding().generate_kwargs()


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"generation_config.json": {"num_beams": 4, "max_length": 512, "temperature": 0.7}, "config.json": {"num_beams": 2}},
         {"num_beams": 4, "max_length": 512}),  # generation_config.json wins; sampling settings are no decoding
        ({"config.json": {"model_type": "marian", "num_beams": 4, "bad_words_ids": [[9]], "d_model": 512}},
         {"num_beams": 4, "bad_words_ids": [[9]]}),  # an older folder: config.json's generation keys
        ({"config.json": {"model_type": "t5", "max_length": None}}, {}),
        ({}, {}),
    ],
)
def test_read_generation_config(tmp_path: Path, files, expected) -> None:
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data))
    assert read_generation_config(tmp_path) == expected


@pytest.mark.parametrize("beams", [0, -1, 2.5, True])
def test_beams_must_be_a_positive_whole_number(tiny_marian_dir: Path, beams) -> None:
    with pytest.raises(UsageError, match="--beams must be a whole number of at least 1"):
        Options(beams=beams)
    with pytest.raises(UsageError, match="--beams must be a whole number of at least 1"):
        load_model(tiny_marian_dir, device="cpu", beams=beams)


@pytest.fixture()
def beam3_dir(tmp_path: Path, tiny_marian_dir: Path) -> Path:
    """The tiny Marian folder configured, as opus-mt is, for beam search (3 beams), <pad> banned and a
    6-token cap."""
    folder = shutil.copytree(tiny_marian_dir, tmp_path / "m")
    config = json.loads((folder / "generation_config.json").read_text())
    (folder / "generation_config.json").write_text(json.dumps(
        {**config, "num_beams": 3, "max_length": 7, "bad_words_ids": [[config["pad_token_id"]]]}))
    return folder


def test_a_model_decodes_as_its_folder_says(beam3_dir: Path) -> None:
    model = load_model(beam3_dir, device="cpu")
    assert (model.decoding.num_beams, model.decoding.max_new_tokens, model.id) == (3, 6, "m@local beam3")
    assert model.beam is not None and model.greedy is None
    out = model._generate_ids(model.encode(["Bupati Blitar menghadiri rapat."]), max_new_tokens=[6],
                              min_new_tokens=0)
    assert out[0][5] == model.decoding.forced_eos_token_id  # the cap's last place is the forced EOS
    decoded = []
    model.decode = lambda ids: decoded.extend(ids) or ["x"] * len(ids)  # the ids generate() keeps
    model.generate(["Bupati Blitar menghadiri rapat koordinasi daerah.", "Terima kasih."])
    assert [len(ids) for ids in decoded] == [5, 5]  # the folder's cap, less the forced EOS
    greedy = load_model(beam3_dir, device="cpu", beams=1)
    assert greedy.id == "m@local greedy" and greedy.greedy is not None


@pytest.mark.parametrize(
    "extra, status, label",
    [
        ([], 0, "m@local beam3"),  # the folder's setting
        (["--beams", "1"], 0, "m@local greedy"),
        (["--beams", "2"], 0, "m@local beam2"),
        (["--beams", "0"], 2, None),
    ],
)
def test_cli_beams_and_the_record_label(beam3_dir: Path, extra, status, label) -> None:
    result = run_cli(["translate", str(SAMPLE), "--translator", str(beam3_dir), "--device", "cpu", *extra])
    assert result.exit_code == status, result.stderr
    if label is None:
        assert "--beams" in result.stderr and not result.stdout
        return
    record = json.loads(result.stdout)
    assert record["models"]["translation"] == record["translation"]["model"] == label
    assert record["translation"]["en"]


def test_ct2_decodes_with_the_folder_settings(beam3_dir: Path) -> None:
    pytest.importorskip("ctranslate2")
    from ringkas.models.ct2 import convert

    convert(beam3_dir)
    model = load_model(beam3_dir, device="cpu", backend="ct2")
    assert model.id == "m@local+ct2-int8_float32 beam3"
    assert "suppress_sequences" not in model.decode_options  # the conversion has no <pad> to produce
    assert model.decode_options["beam_size"] == 3 and model.decoding.max_new_tokens == 6
    sentences = ["Bupati Blitar menghadiri rapat koordinasi daerah.", "Terima kasih.", "Warga berharap jalan diperbaiki."]
    assert model.generate(sentences) == [model.generate([s])[0] for s in sentences]
    assert load_model(beam3_dir, device="cpu", backend="ct2", beams=1).decode_options["beam_size"] == 1
    config = json.loads((beam3_dir / "generation_config.json").read_text())
    (beam3_dir / "generation_config.json").write_text(json.dumps({**config, "bad_words_ids": [[5], [400]]}))
    banned = load_model(beam3_dir, device="cpu", backend="ct2")
    assert banned.decode_options["suppress_sequences"] == [banned.tokenizer.convert_ids_to_tokens([5])]

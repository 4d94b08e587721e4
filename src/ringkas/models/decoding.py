"""How a model decodes: its folder's generation settings, refined by the catalog and ``--beams``.

A model folder says how its authors meant it to be decoded: ``generation_config.json`` (older
folders: the same keys in ``config.json``, which transformers still honours). OPUS-MT models come
with beam search (``num_beams`` 4 from the Marian decoder's beam size) and a 512-token cap; NLLB
and mT5 with their own settings. ``resolve_decoding`` turns that, the catalog entry (its
``max_new_tokens`` and ``[generate]`` table refine a model) and the ``--beams`` override into one
frozen ``Decoding`` that both backends apply, and whose ``label`` records carry
(``opus-mt-id-en@REV beam4``), so that archives decoded differently are never mixed up.

Two deliberate departures from ``generate()``: ringkas never samples (``do_sample`` and its
settings are ignored: records must be reproducible), and a folder that sets no length gets
ringkas's cap (ringkas.models.seq2seq.default_new_tokens) instead of generate's 20 tokens.

Pure and model-free: reading two JSON files is the only I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Settings both of ringkas's own decoding loops and CTranslate2 understand (with the caps).
COVERED = ("num_beams", "length_penalty", "early_stopping", "no_repeat_ngram_size", "repetition_penalty",
           "bad_words_ids", "forced_bos_token_id", "forced_eos_token_id")
LENGTHS = ("max_new_tokens", "max_length", "min_new_tokens", "min_length")
# Settings that change the output that ringkas's loops do not implement: with any of them set,
# the transformers backend decodes with generate() (CTranslate2 has no equivalent and ignores them).
OTHER = ("encoder_no_repeat_ngram_size", "suppress_tokens", "begin_suppress_tokens", "sequence_bias",
         "renormalize_logits", "exponential_decay_length_penalty", "forced_decoder_ids", "guidance_scale",
         "num_beam_groups", "diversity_penalty", "force_words_ids", "constraints", "remove_invalid_values",
         "epsilon_cutoff", "eta_cutoff")


@dataclass(frozen=True)
class Decoding:
    """How a model decodes, resolved; ``label`` says it in records."""

    num_beams: int = 1
    max_new_tokens: int | None = None  # None: the folder sets no length; ringkas's cap per source
    min_new_tokens: int = 0
    length_penalty: float = 1.0
    early_stopping: bool | str = False  # True, False or "never", as generate() takes it
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    bad_words_ids: tuple[tuple[int, ...], ...] = ()
    forced_bos_token_id: int | None = None
    forced_eos_token_id: int | None = None  # forced at the last position the cap allows
    other: Mapping[str, Any] = field(default_factory=dict, hash=False)  # options only generate() applies
    label: str = "greedy"

    @property
    def greedy(self) -> bool:
        """True for one beam."""
        return self.num_beams == 1

    def generate_kwargs(self) -> dict[str, Any]:
        """Keyword arguments that make ``model.generate`` decode this way (lengths given per call)."""
        kwargs: dict[str, Any] = {
            "num_beams": self.num_beams, "do_sample": False, "length_penalty": self.length_penalty,
            "early_stopping": self.early_stopping, "no_repeat_ngram_size": self.no_repeat_ngram_size,
            "repetition_penalty": self.repetition_penalty,
            "bad_words_ids": [list(w) for w in self.bad_words_ids] or None,
            "forced_bos_token_id": self.forced_bos_token_id, "forced_eos_token_id": self.forced_eos_token_id,
        }
        return {**{k: v for k, v in kwargs.items() if v is not None}, **self.other}


def read_generation_config(folder: str | Path) -> dict[str, Any]:
    """The generation settings a model folder gives: generation_config.json, else config.json's."""
    folder = Path(folder)
    for name in ("generation_config.json", "config.json"):
        try:
            data = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k in (*COVERED, *LENGTHS, *OTHER) and v is not None}
    return {}


def _new_tokens(settings: Mapping[str, Any], new: str, total: str) -> int | None:
    """A length in new tokens: ``new`` as given, else ``total`` less the decoder's start token."""
    if isinstance(settings.get(new), int):
        return int(settings[new])
    if isinstance(settings.get(total), int):
        return max(0, int(settings[total]) - 1)
    return None


def _label(beams: int, refined: Mapping[str, Any]) -> str:
    """``greedy`` or ``beamN``, then each setting that is not the model folder's, as ``name=value``."""
    head = "greedy" if beams == 1 else f"beam{beams}"
    return " ".join([head, *(f"{k}={json.dumps(v, separators=(',', ':'))}" for k, v in sorted(refined.items()))])


def resolve_decoding(folder: Mapping[str, Any], entry: Mapping[str, Any], *, beams: int | None = None) -> Decoding:
    """The decoding of a model: its folder's settings, the catalog entry's refinements, then ``beams``."""
    catalog = dict(entry.get("generate", {}))
    if "max_new_tokens" in entry:
        catalog["max_new_tokens"] = entry["max_new_tokens"]
    merged = {**folder, **catalog}
    refined = {k: v for k, v in catalog.items() if folder.get(k) != v and k != "num_beams"}
    num_beams = int(beams if beams is not None else merged.get("num_beams") or 1)
    maximum = _new_tokens(catalog, "max_new_tokens", "max_length")
    if maximum is None:
        maximum = _new_tokens(folder, "max_new_tokens", "max_length")
    # generate() applies both minimums; min_length counts the decoder's start token too.
    minimum = max(int(merged.get("min_new_tokens") or 0), int(merged.get("min_length") or 0) - 1)
    other = {k: v for k, v in merged.items() if k in OTHER and v not in (None, False, 0, 1.0, [])}
    return Decoding(
        num_beams=num_beams,
        max_new_tokens=maximum,
        min_new_tokens=max(0, minimum),
        length_penalty=float(merged.get("length_penalty", 1.0)),
        early_stopping=merged.get("early_stopping", False),
        no_repeat_ngram_size=int(merged.get("no_repeat_ngram_size") or 0),
        repetition_penalty=float(merged.get("repetition_penalty") or 1.0),
        bad_words_ids=tuple(tuple(int(t) for t in words) for words in merged.get("bad_words_ids") or ()),
        forced_bos_token_id=merged.get("forced_bos_token_id"),
        forced_eos_token_id=_single(merged.get("forced_eos_token_id")),
        other=other,
        label=_label(num_beams, refined),
    )


def _single(token: Any) -> int | None:
    """A forced token id; a list of ids (allowed by generate) is taken by its first."""
    if isinstance(token, list):
        return int(token[0]) if token else None
    return None if token is None else int(token)

